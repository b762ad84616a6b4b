"""Small cells of the funder report are hidden, so that nobody can be recognised from Bundesland × funding line.

Primary suppression: in tables of amounts (meetings, mentoring days) a cell behind which fewer than five
Tandems or Mentor*innen stand is hidden (shown as "x"), whatever its amount: 40 days of one Mentor*in
would name her as well as "1" would, and "< 5" for her 0.4 days would give away a bound of her work.
Any other cell with a value above 0 and below 5 is shown as "< 5".

0 is shown as 0: that nobody from a Bundesland is in a funding line says nothing about a person.

Secondary suppression: with row and column sums printed, a reader can work out a hidden cell from the
others of its row or column: one hidden cell is the sum minus the rest, and since a "< 5" is known to be
1 to 4, five "< 5" cells under a printed 5 are each 1, as are four "< 5" cells under a "< 5" sum. So
for every row and column (sums included) the range each hidden entry can have is worked out from what
the line shows ("< 5": 1 to 4; "x": at least 0 or 1, no upper bound); while any hidden entry of a line
has one possible value, the line hides one more entry: its smallest visible cell above 0, else its sum;
when nothing in it is visible any more, a "< 5" there becomes "x" (no upper bound). This repeats until
no line pins a hidden entry. Then all lines are read together, as a reader with a solver would: for each
hidden entry the least and greatest value that every printed sum and every mark allow are found by (integer)
linear programming; an entry left one value hides one more entry in a line through it, and both checks run again.
"""
import math
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
    # In a table of amounts: how many Tandems or Mentor*innen stand behind each cell and sum.
    behind: list[list[int]] | None = None

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
             column_totals: bool = True, outside: list[list[int]] | None = None) -> Grid:
    """The table with its sums and every cell that must stay hidden marked.

    ``outside``: for a report narrowed to a Jahrgang, how many of the whole programme's people (a table of counts)
    or Tandems and Mentor*innen (a table of amounts) each cell leaves out. The whole programme's report shows the
    same cell; where one to four are left out, the difference of the two would give their figure, so the narrowed
    cell is hidden (as the evaluation hides a filtered row beside its wider scope).
    """
    if not matrix or not matrix[0]:
        return Grid(values=[], marks=[], row_totals=row_totals, column_totals=column_totals)
    rows, columns = len(matrix), len(matrix[0])
    values = _with_totals(matrix, row_totals=row_totals, column_totals=column_totals)
    behind = _with_totals(contributors, row_totals=row_totals, column_totals=column_totals) if contributors else None
    left_out = _with_totals(outside, row_totals=row_totals, column_totals=column_totals) if outside else None
    marks = [["" for _value in row] for row in values]
    for i, row in enumerate(values):
        for j, value in enumerate(row):
            shown_by_wider = left_out is not None and left_out[i][j] > 0 and not enough(left_out[i][j])
            if (behind is not None and behind[i][j] > 0 and not enough(behind[i][j])) or (shown_by_wider and value):
                marks[i][j] = HIDDEN
            elif value > 0 and not enough(value):
                marks[i][j] = SMALL
    lines = _lines(rows, columns, row_totals=row_totals, column_totals=column_totals)
    while True:
        changed = True
        while changed:
            changed = False
            for members, total in lines:
                if _pinned_in_line(values, marks, members, total):
                    _hide_one_more(values, marks, members, total)
                    changed = True
        # Then every line together, as a reader with a solver reads the table: a hidden entry that all the
        # printed sums leave one value hides one more entry in one of its lines.
        pinned = _pinned_jointly(values, marks, lines)
        if not pinned or not _hide_beside(values, marks, lines, pinned):
            break
    return Grid(values=values, marks=marks, row_totals=row_totals, column_totals=column_totals, behind=behind)


def _pinned_jointly(values, marks, lines) -> list[tuple[int, int]]:
    """The hidden entries whose value the table's lines together leave one: each entry's least and greatest value
    under every printed sum and every mark's range (SciPy's HiGHS; in whole numbers where the table counts)."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    hidden = [(i, j) for i, row in enumerate(marks) for j, mark in enumerate(row) if mark]
    if not hidden:
        return []
    index = {cell: k for k, cell in enumerate(hidden)}
    equations, sums = [], []
    for members, total in lines:
        row, known = [0.0] * len(hidden), 0.0
        for cell, sign in [*((member, 1.0) for member in members), (total, -1.0)]:
            if cell in index:
                row[index[cell]] += sign
            else:
                known -= sign * values[cell[0]][cell[1]]
        if any(row):
            equations.append(row)
            sums.append(known)
    if not equations:
        return []
    # What the printed table tells a reader of a hidden entry: above 0 (a 0 is printed), and below 5 for "< 5"; in
    # whole numbers where the table counts. (The line check grants the reader an amount's own value as its least,
    # which, solved together, pinned every small amount at it and hid the overall sum to protect them.)
    counts = all(float(value).is_integer() for row in values for value in row)
    bounds = Bounds([1 if counts else 0] * len(hidden),
                    [(SMALLEST_GROUP - (1 if counts else 0)) if marks[i][j] == SMALL else math.inf for i, j in hidden])
    constraint = LinearConstraint(equations, sums, sums)
    pinned = []
    for k, cell in enumerate(hidden):
        extremes = []
        for sign in (1.0, -1.0):
            objective = [0.0] * len(hidden)
            objective[k] = sign
            result = milp(objective, constraints=constraint, bounds=bounds, integrality=[int(counts)] * len(hidden))
            extremes.append(sign * result.fun if result.status == 0 else -sign * math.inf)
        if extremes[1] - extremes[0] < 0.5:  # counts and amounts in whole or half units: one value left
            pinned.append(cell)
    return pinned


def _hide_beside(values, marks, lines, pinned) -> bool:
    """For each pinned entry, one more hidden in a line through it (``_hide_one_more``); whether anything changed.
    The table's overall sum, the report's headline figure, goes only where nothing else is left to hide."""
    before = [row[:] for row in marks]
    overall = (len(values) - 1, len(values[0]) - 1)

    def order(line):
        members, (i, j) = line
        return not any(not marks[a][b] and values[a][b] > 0 for a, b in members), bool(marks[i][j])

    for keep in (overall, None):  # the overall sum only once no other entry of any pinned entry's lines is left
        for cell in pinned:
            through = sorted(((members, total) for members, total in lines if cell in members or cell == total),
                             key=order)
            line = next((line for line in through if _can_hide_more(values, marks, *line, keep=keep)), None)
            if line is not None:
                _hide_one_more(values, marks, *line, keep=keep)
        if marks != before:
            return True
    return False


def _can_hide_more(values, marks, members, total, keep=None) -> bool:
    """Whether the line has an entry left to hide (other than ``keep``) or a "< 5" to widen."""
    return (any(not marks[i][j] and values[i][j] > 0 and (i, j) != keep for i, j in members)
            or (not marks[total[0]][total[1]] and total != keep)
            or any(marks[i][j] == SMALL for i, j in (*members, total)))


def _range(values, marks, cell) -> tuple[float, float]:
    """What a reader knows of a cell: its value, or the range its mark allows."""
    i, j = cell
    value = values[i][j]
    if not marks[i][j]:
        return value, value
    # A hidden entry is never below what a reader may assume of it: 1 for a count above 0; an amount's own
    # value where it is less (the reader knows only "above 0", so this grants the reader more, never less).
    low = min(value, 1)
    return (low, SMALLEST_GROUP - 1) if marks[i][j] == SMALL else (low, math.inf)


def _pinned_in_line(values, marks, members, total) -> bool:
    """Whether the line (members and their printed sum) leaves one hidden entry a single possible value."""
    if not any(marks[i][j] for i, j in (*members, total)):
        return False
    ranges = {cell: _range(values, marks, cell) for cell in (*members, total)}
    low_sum = sum(ranges[cell][0] for cell in members)
    high_sum = sum(ranges[cell][1] for cell in members)
    for cell in members:
        if not marks[cell[0]][cell[1]]:
            continue
        own_low, own_high = ranges[cell]
        others = [ranges[other] for other in members if other != cell]  # not a difference: inf - inf is nan
        others_low, others_high = sum(r[0] for r in others), sum(r[1] for r in others)
        low = max(own_low, ranges[total][0] - others_high)
        high = min(own_high, ranges[total][1] - others_low)
        if high - low < 0.5:  # counts and amounts in whole or half units: one value left
            return True
    if marks[total[0]][total[1]]:
        low, high = max(ranges[total][0], low_sum), min(ranges[total][1], high_sum)
        if high - low < 0.5:
            return True
    return False


def _hide_one_more(values, marks, members, total, keep=None) -> None:
    """Hide the line's smallest visible cell above 0, else its sum; with nothing left to hide, widen a
    "< 5" (the sum's first) to "x", whose upper bound a reader does not know. ``keep``: a cell never hidden."""
    visible = [cell for cell in members
               if not marks[cell[0]][cell[1]] and values[cell[0]][cell[1]] > 0 and cell != keep]
    if visible:
        i, j = min(visible, key=lambda cell: (values[cell[0]][cell[1]], cell))
        marks[i][j] = HIDDEN
    elif not marks[total[0]][total[1]] and total != keep:
        marks[total[0]][total[1]] = HIDDEN
    else:
        small = [cell for cell in (total, *members) if marks[cell[0]][cell[1]] == SMALL]
        i, j = small[0]  # with every entry an "x" no line can pin one: the loop ends
        marks[i][j] = HIDDEN
