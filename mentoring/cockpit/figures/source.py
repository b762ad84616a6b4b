"""What the figures of one overview share: the scope, how many list rows to show, the registration facts."""
from functools import cached_property

from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.formats import date_format

from ..facts import facts_for_year
from ..scope import Scope, local_day
from ..tables import Row, Table

# The page shows the first rows of long lists; CSV and Excel hold all of them.
PAGE_ROWS = 20


class Source:
    def __init__(self, scope: Scope, *, limit: int | None = PAGE_ROWS):
        self.scope = scope
        self.limit = limit

    @cached_property
    def facts(self):
        """The registration figures of the year, read once for every table that needs them (7 queries)."""
        return facts_for_year(self.scope.year, self.scope)

    def cut(self, queryset):
        """The first ``limit`` rows of a list (all of them for an export)."""
        return queryset if self.limit is None else queryset[:self.limit]

    def total(self, queryset) -> int | None:
        """How many rows the whole list has, when ``cut`` shows only the first ones (None for an export)."""
        return None if self.limit is None else queryset.count()


def month_label(month) -> str:
    """"März 2026" in the active language."""
    return dateformat.format(month, "F Y")


def since(moment, today, *, format_name: str = "SHORT_DATE_FORMAT") -> list:
    """The two last cells of a list of waiting work (an open report, a quiet Tandem, an overdue talk):
    when it began, in the reader's date format, and how many days before ``today`` that was."""
    return [date_format(timezone.localtime(moment), format_name), (today - local_day(moment)).days]


def waiting_work(source: Source, queryset, *, label, began: str, change: str, with_time: bool = False,
                 **table) -> Table:
    """A list of waiting work, oldest first (a quiet Tandem, an overdue talk, an open report).

    A row an item of ``queryset``: ``label(item)``, when it began (its field ``began``) and how many
    days ago that was, linked to its page in the admin (``change``, as "app_model"). ``table`` holds
    the list's slug, title, header, columns and empty text.
    """
    today = timezone.localdate()
    format_name = "SHORT_DATETIME_FORMAT" if with_time else "SHORT_DATE_FORMAT"
    rows = [Row(label(item), since(getattr(item, began), today, format_name=format_name),
                url=reverse(f"admin:{change}_change", args=[item.pk]))
            for item in source.cut(queryset)]
    return Table(rows=rows, total_rows=source.total(queryset), **table)
