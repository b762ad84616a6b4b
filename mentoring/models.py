"""The project package's models, defined in the kernel (outbox) and the site pages (barrier reports)."""
from .kernel.models import OutboxMessage
from .pages.models import BarrierReport

__all__ = ["BarrierReport", "OutboxMessage"]
