"""The project package's models, defined in the kernel (outbox) and the site pages (barrier reports,
sign-language video)."""
from .kernel.models import OutboxMessage
from .pages.models import BarrierReport, BarrierReportNote, BarrierReportReply, SignLanguageVideo

__all__ = ["BarrierReport", "BarrierReportNote", "BarrierReportReply", "OutboxMessage", "SignLanguageVideo"]
