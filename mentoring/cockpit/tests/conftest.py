"""A generated programme at a fixed moment, for the cockpit's tests."""
import pytest
import time_machine

from .programme import NOW, programme


@pytest.fixture
def frozen():
    """Time stands at ``NOW`` (a Wednesday in November 2026) for the whole test."""
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def generated(db, frozen):
    return programme(42)
