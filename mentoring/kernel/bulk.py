"""Bulk loading helpers (benchmarks and generated programmes)."""
import contextlib


@contextlib.contextmanager
def keeping_dates(*models):
    """Let bulk_create keep the given dates: auto_now_add would set every row to now."""
    fields = [f for model in models for f in model._meta.fields if getattr(f, "auto_now_add", False)]
    for f in fields:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f in fields:
            f.auto_now_add = True
