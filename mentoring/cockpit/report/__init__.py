"""The yearly report for the funder: figures with small cells hidden, written as Excel and as PDF."""
from .figures import funder_report
from .pdf import report_pdf
from .xlsx import report_xlsx

__all__ = ["funder_report", "report_pdf", "report_xlsx"]
