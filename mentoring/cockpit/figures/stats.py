"""Median and 90th percentile of a month's waiting times (a bounded list of whole days)."""
import math
import statistics


def median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def percentile(values: list[int], share: float) -> int | None:
    """The nearest-rank percentile: the smallest value that at least ``share`` of all values do not exceed."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)), 1) - 1]
