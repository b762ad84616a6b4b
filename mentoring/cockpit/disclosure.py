"""The one rule behind every figure staff or the funder read: a group of fewer than five people is never shown.

The funder report hides such a cell (``report.suppression``); the evaluation of the Kurzbefragungen and
reviews shows "zu wenige Antworten" instead of the row and reads out free texts only from at least this
many people (``figures.evaluation``). Both ask this module, so the threshold is set in one place.
"""

SMALLEST_GROUP = 5


def enough(people: int) -> bool:
    """Whether a figure about this many people (or answers) may be shown."""
    return people >= SMALLEST_GROUP
