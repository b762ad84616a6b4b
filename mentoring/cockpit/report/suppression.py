"""Small cells of the funder report are hidden, so that nobody can be recognised from Bundesland × funding line.

Primary suppression: a cell with a value above 0 and below 5 is shown as "< 5". In tables of
amounts (meetings, mentoring days) a cell behind which fewer than five Tandems or
Mentor*innen stand is hidden too (shown as "x"), whatever its amount: 40 days of one
Mentor*in would name her as well as "1" would.

0 is shown as 0: that nobody from a Bundesland is in a funding line says nothing about a person.

Secondary suppression: with row and column sums printed, one hidden cell in a row could be
recomputed as the sum minus the others. So every row and column (sums included) that has
exactly one hidden entry gets a second one: its smallest visible cell above 0, or its sum when
all other cells are 0; this repeats until no row or column has exactly one. Those cells show
"x" too. This guards against recomputing a cell from one row or column, which is what a
reader of a printed table can do; it is not a full linear-programming audit across rows and
columns together.
"""
from dataclasses import dataclass

from ..disclosure import SMALLEST_GROUP, enough

SMALL = f"< {SMALLEST_GROUP}"
HIDDEN = "x"


@dataclass
class Grid:
    """A table with its sums: ``values[i][j]``, the row sums in the last column and the column sums in
    the last row (as far as the table has them); ``marks`` holds SMALL or HIDDEN for a hidden cell."""

    values: list[list[float]]
    marks: list[list[str]]
    row_totals: bool
    column_totals: bool

    def shown(self, i: int, j: int):
        """What the cell shows: its value, or its mark."""
        return self.marks[i][j] or self.values[i][j]


def _with_totals(matrix: list[list[float]], *, row_totals: bool, column_totals: bool) -> list[list[float]]:
    grid = [list(row) + ([sum(row)] if row_totals else []) for row in matrix]
    if column_totals and grid:
        grid.append([sum(column) for column in zip(*grid, strict=True)])
    return grid


def _lines(rows: int, columns: int, *, row_totals: bool, column_totals: bool):
    """Every (members, sum) relation the printed table shows."""
    lines = []
    if row_totals:
        lines += [([(i, j) for j in range(columns)], (i, columns)) for i in range(rows)]
    if column_totals:
        lines += [([(i, j) for i in range(rows)], (rows, j)) for j in range(columns)]
    if row_totals and column_totals:
        lines.append(([(rows, j) for j in range(columns)], (rows, columns)))
        lines.append(([(i, columns) for i in range(rows)], (rows, columns)))
    return lines


def suppress(matrix: list[list[float]], *, contributors: list[list[int]] | None = None, row_totals: bool = True,
             column_totals: bool = True) -> Grid:
    """The table with its sums and every cell that must stay hidden marked."""
    if not matrix or not matrix[0]:
        return Grid(values=[], marks=[], row_totals=row_totals, column_totals=column_totals)
    rows, columns = len(matrix), len(matrix[0])
    values = _with_totals(matrix, row_totals=row_totals, column_totals=column_totals)
    behind = _with_totals(contributors, row_totals=row_totals, column_totals=column_totals) if contributors else None
    marks = [["" for _value in row] for row in values]
    for i, row in enumerate(values):
        for j, value in enumerate(row):
            if value > 0 and not enough(value):
                marks[i][j] = SMALL
            elif behind is not None and behind[i][j] > 0 and not enough(behind[i][j]):
                marks[i][j] = HIDDEN
    lines = _lines(rows, columns, row_totals=row_totals, column_totals=column_totals)
    changed = True
    while changed:
        changed = False
        for members, total in lines:
            hidden = [cell for cell in (*members, total) if marks[cell[0]][cell[1]]]
            if len(hidden) != 1:
                continue
            visible = [cell for cell in members if not marks[cell[0]][cell[1]] and values[cell[0]][cell[1]] > 0]
            if visible:
                i, j = min(visible, key=lambda cell: (values[cell[0]][cell[1]], cell))
            else:
                i, j = total
            if marks[i][j]:
                continue  # cannot happen with sums of the members; never loop on it
            marks[i][j] = HIDDEN
            changed = True
    return Grid(values=values, marks=marks, row_totals=row_totals, column_totals=column_totals)
