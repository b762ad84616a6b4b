"""Bar charts as server-side SVG, computed and written here (``render``), shown inline in the page.

No script and nothing from elsewhere: the page stays readable without JavaScript and under the
site's Content-Security-Policy. Colours come from ``static/css/cockpit.css`` (classes
``series-0`` …), each at least 3:1 against white (WCAG 1.4.11); the numbers are in the table
beside every chart (WCAG 1.1.1), so the chart itself is one image with a name.
"""
import math
from dataclasses import dataclass, field

from django.utils import dateformat
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .tables import Table

WIDTH = 520
FONT = 12
MAX_SERIES = 5


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: int
    title: str  # shown as a tooltip: "März 2026, eingegangen: 4"


@dataclass
class Label:
    x: float
    y: float
    text: str
    anchor: str = "start"


@dataclass
class Line:
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass
class Key:
    """One entry of the legend: a swatch of the series' colour and its name."""

    x: float
    y: float
    series: int
    text: str

    @property
    def text_x(self) -> float:
        return self.x + 18

    @property
    def text_y(self) -> float:
        return self.y + 11


@dataclass
class Svg:
    name: str
    width: int
    height: int
    bars: list[Bar] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    grid: list[Line] = field(default_factory=list)
    axis: list[Line] = field(default_factory=list)
    legend: list[Key] = field(default_factory=list)


def nice_ticks(top: float) -> list[float]:
    """0 and four or five round steps up to at least ``top`` (1, 2 or 5 times a power of ten)."""
    if top <= 0:
        return [0, 1]
    raw = top / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(s * power for s in (1, 2, 5, 10) if s * power >= raw)
    if step < 1 and float(top).is_integer():
        step = 1
    count = math.ceil(top / step)
    return [round(i * step, 10) for i in range(count + 1)]


def _number(value: float) -> str:
    """A chart's number in the reader's language (``4,38`` in German, ``4.38`` in English), as the table
    beside it writes it."""
    short = float(f"{value:g}")
    return number_format(int(short) if short.is_integer() else short)


def _shorten(text: str, length: int) -> str:
    return text if len(text) <= length else text[:length - 1] + "…"


def _values(table: Table, column: int) -> list[float | None]:
    return [row.values[column] if isinstance(row.values[column], (int, float)) else None for row in table.rows]


def chart(table: Table) -> Svg | None:
    """The table's chart, or None when it has none or nothing to draw."""
    if table.chart is None or not table.rows:
        return None
    columns = table.chart.columns[:MAX_SERIES]
    if not any(isinstance(row.values[column], int | float) for row in table.rows for column in columns):
        return None  # every row says "zu wenige Antworten": an empty frame would say nothing
    if table.chart.kind == "months":
        return _months(table, columns)
    return _hbars(table, columns)


def _name(table: Table) -> str:
    return _("Diagramm: %(title)s. Die Zahlen stehen in der Tabelle daneben.") % {"title": table.title}


def _legend(table: Table, columns: list[int]) -> tuple[list[Key], float]:
    """The legend's entries, wrapped into lines across the chart, and the height it takes (0 for one series)."""
    if len(columns) < 2:
        return [], 0
    keys, x, y = [], 0.0, 4.0
    for series, column in enumerate(columns):
        text = _shorten(table.columns[column], 40)
        width = 18 + len(text) * FONT * 0.55 + 14
        if x and x + width > WIDTH:
            x, y = 0.0, y + FONT + 8
        keys.append(Key(x, y, series, text))
        x += width
    return keys, y + FONT + 10


def _hbars(table: Table, columns: list[int]) -> Svg:
    """One group of horizontal bars per row: labels left, values at the bar's end."""
    label_width, right = 200, 44
    plot = WIDTH - label_width - right
    bar, gap = 14, 10
    legend, legend_height = _legend(table, columns)
    group = bar * len(columns) + gap
    top = legend_height + 6
    height = top + group * len(table.rows) + 22
    series = [_values(table, column) for column in columns]
    ticks = nice_ticks(max([v for values in series for v in values if v is not None] or [0]))
    scale = plot / ticks[-1]
    svg = Svg(name=_name(table), width=WIDTH, height=height, legend=legend)
    bottom = top + group * len(table.rows)
    for tick in ticks:
        x = label_width + tick * scale
        svg.grid.append(Line(x, top, x, bottom))
        svg.labels.append(Label(x, bottom + FONT + 4, _number(tick), "middle"))
    svg.axis.append(Line(label_width, top, label_width, bottom))
    for index, row in enumerate(table.rows):
        y = top + index * group + gap / 2
        svg.labels.append(Label(label_width - 6, y + group / 2 - gap / 2 + FONT / 3, _shorten(row.label, 26), "end"))
        for position, values in enumerate(series):
            value = values[index]
            if value is None:
                continue
            bar_y = y + position * bar
            svg.bars.append(Bar(label_width, bar_y + 1, max(value * scale, 0), bar - 2, position,
                                f"{row.label}, {table.columns[columns[position]]}: {_number(value)}"))
            svg.labels.append(Label(label_width + value * scale + 4, bar_y + bar - 3, _number(value)))
    return svg


def _months(table: Table, columns: list[int]) -> Svg:
    """Vertical bars grouped by month: the month's short name below each group."""
    left, right, bottom_space = 44, 8, 24
    legend, legend_height = _legend(table, columns)
    top = legend_height + 8
    height = top + 200 + bottom_space
    plot_height = height - top - bottom_space
    plot_width = WIDTH - left - right
    series = [_values(table, column) for column in columns]
    ticks = nice_ticks(max([v for values in series for v in values if v is not None] or [0]))
    scale = plot_height / ticks[-1]
    base = top + plot_height
    svg = Svg(name=_name(table), width=WIDTH, height=height, legend=legend)
    for tick in ticks:
        y = base - tick * scale
        svg.grid.append(Line(left, y, WIDTH - right, y))
        svg.labels.append(Label(left - 6, y + FONT / 3, _number(tick), "end"))
    svg.axis.append(Line(left, base, WIDTH - right, base))
    slots = 12  # a year's months keep their places, so charts of different years look alike
    group = plot_width / slots
    bar = (group - 6) / len(columns)
    for index, row in enumerate(table.rows):
        x = left + index * group + 3
        short = dateformat.format(row.month, "M") if row.month else row.label[:3]
        svg.labels.append(Label(x + (group - 6) / 2, base + FONT + 6, short, "middle"))
        for position, values in enumerate(series):
            value = values[index]
            if value is None or value <= 0:
                continue
            svg.bars.append(Bar(x + position * bar, base - value * scale, max(bar - 1, 1), value * scale, position,
                                f"{row.label}, {table.columns[columns[position]]}: {_number(value)}"))
    return svg


def _n(value: float) -> str:
    return f"{value:.1f}"


def render(svg: Svg) -> SafeString:
    """The chart as SVG markup: one image with a name (role="img"), every text escaped.

    Written here rather than in a template: a chart has a few hundred elements, and the
    template engine would take longer to draw them than the database takes to count them.
    """
    parts = [f'<svg class="cockpit-svg" viewBox="0 0 {svg.width} {svg.height}" role="img" '
             f'aria-label="{escape(svg.name)}" focusable="false" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(svg.name)}</title>"]
    parts += [f'<line class="cockpit-grid" x1="{_n(g.x1)}" y1="{_n(g.y1)}" x2="{_n(g.x2)}" y2="{_n(g.y2)}"/>'
              for g in svg.grid]
    parts += [f'<rect class="series-{b.series}" x="{_n(b.x)}" y="{_n(b.y)}" width="{_n(b.width)}" '
              f'height="{_n(b.height)}"><title>{escape(b.title)}</title></rect>' for b in svg.bars]
    parts += [f'<line class="cockpit-axis" x1="{_n(a.x1)}" y1="{_n(a.y1)}" x2="{_n(a.x2)}" y2="{_n(a.y2)}"/>'
              for a in svg.axis]
    parts += [f'<text x="{_n(label.x)}" y="{_n(label.y)}" text-anchor="{label.anchor}">{escape(label.text)}</text>'
              for label in svg.labels]
    for key in svg.legend:
        parts.append(f'<rect class="series-{key.series}" x="{_n(key.x)}" y="{_n(key.y)}" width="12" height="12"/>'
                     f'<text x="{_n(key.text_x)}" y="{_n(key.text_y)}">{escape(key.text)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above went through escape()
