"""Ids and slugs from request values: anything a database query would choke on gives None."""
import pytest

from mentoring.kernel.params import MAX_ID, parse_id, parse_slug


@pytest.mark.parametrize("value", ["", "0", "-1", "²", "٣", "1\x00", "abc", " 1", "1.0", str(MAX_ID + 1), None, True])
def test_garbage_is_no_id(value):
    assert parse_id(value) is None


def test_ids_up_to_the_bigint_limit():
    assert parse_id("7") == 7
    assert parse_id(str(MAX_ID)) == MAX_ID == 2**63 - 1


@pytest.mark.parametrize(("value", "expected"), [("fragen-antworten", "fragen-antworten"), ("fragen\x00", None),
                                                 ("²", None), ("", None), ("a" * 51, None)])
def test_slugs(value, expected):
    assert parse_slug(value) == expected
