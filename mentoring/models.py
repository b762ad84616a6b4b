"""The project package's models, defined in the kernel (outbox) and the site pages (barrier reports)."""
from .kernel.models import OutboxMessage
from .pages.models import BarrierReport, BarrierReportNote, BarrierReportReply

__all__ = ["BarrierReport", "BarrierReportNote", "BarrierReportReply", "OutboxMessage"]
