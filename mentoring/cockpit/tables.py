"""One figure of the overview as a table: what the page shows, a chart draws and CSV and Excel export."""
from dataclasses import dataclass, field

from django.utils.formats import number_format


@dataclass
class Row:
    label: str
    values: list
    url: str = ""  # the row header links here (an admin page), if anywhere
    month: object = None  # the first day of the row's month, in tables by month (the chart's axis)


@dataclass
class Chart:
    """Which columns a chart draws: ``hbar`` (one bar per row) or ``months`` (rows are the year's months)."""

    kind: str
    columns: list[int]


@dataclass
class Table:
    slug: str
    title: str
    header: str  # the heading of the row-header column
    columns: list[str]
    rows: list[Row]
    chart: Chart | None = None
    note: str = ""
    empty: str = ""  # said instead of an empty table
    total_rows: int | None = None  # all rows there are, when the page shows only the first ones
    decimals: list[int] = field(default_factory=list)  # per column; 0 when not given

    @property
    def cut(self) -> bool:
        return self.total_rows is not None and self.total_rows > len(self.rows)

    def decimals_of(self, index: int) -> int:
        return self.decimals[index] if index < len(self.decimals) else 0

    @property
    def lines(self) -> list[tuple[Row, list[tuple[str, bool]]]]:
        """Each row with its values as the page shows them (German number format, "–" for none) and
        whether each is a number (numbers align right, text left)."""
        return [(row, [(shown(value, self.decimals_of(index)), not isinstance(value, str))
                       for index, value in enumerate(row.values)])
                for row in self.rows]

    def records(self) -> list[list]:
        """Header and rows as plain values, for CSV and Excel."""
        return [[self.header, *self.columns], *([row.label, *row.values] for row in self.rows)]


def shown(value, decimals: int = 0) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, float) and decimals:
        return number_format(value, decimal_pos=decimals, force_grouping=True)
    return number_format(round(value, decimals) if decimals else round(value), force_grouping=True)
