from datetime import date, datetime

import pytest
from cc_core import reference


def test_format_pads_serial_and_uses_two_digit_year_and_month():
    assert reference.format_reference("CC", date(2026, 3, 5), 7) == "CC2603-0007"


def test_format_accepts_datetime_and_empty_prefix():
    when = datetime(2009, 12, 31, 23, 59)
    assert reference.format_reference("", when, 12) == "0912-0012"


def test_serial_widens_past_padding():
    assert reference.format_reference("TS", date(2026, 1, 1), 12345) == ("TS2601-12345")


@pytest.mark.parametrize("serial", [0, -1])
def test_serial_must_be_positive(serial):
    with pytest.raises(ValueError):
        reference.format_reference("CC", date(2026, 1, 1), serial)


@pytest.mark.parametrize("prefix", ["C C", "投诉", "A-B", "X" * 11, "CC/"])
def test_bad_prefix_refused(prefix):
    with pytest.raises(ValueError):
        reference.check_prefix(prefix)


def test_prefix_is_stripped():
    assert reference.check_prefix("  TS ") == "TS"


def test_period_key():
    assert reference.period_key(date(2030, 11, 2)) == "3011"
    assert reference.period_key(datetime(2000, 1, 31, 12)) == "0001"
