from datetime import date

from cc_core.retention import long_term_at_closing, may_purge, retention_date


def test_one_year_after_the_closing_day():
    assert retention_date(date(2025, 3, 10), 1) == date(2026, 3, 10)
    assert retention_date(date(2025, 12, 31), 3) == date(2028, 12, 31)


def test_leap_day_falls_on_the_28th():
    assert retention_date(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert retention_date(date(2024, 2, 29), 4) == date(2028, 2, 29)


def test_open_record_has_no_retention_date():
    assert retention_date(None, 1) is None


def test_purge_only_after_the_day_and_not_long_term():
    until = date(2026, 3, 10)
    assert not may_purge("closed", until, False, date(2026, 3, 10))
    assert may_purge("closed", until, False, date(2026, 3, 11))
    assert not may_purge("closed", until, True, date(2030, 1, 1))
    assert not may_purge("resolved", until, False, date(2030, 1, 1))
    assert not may_purge("closed", None, False, date(2030, 1, 1))


def test_a_rejected_record_falls_due_as_a_closed_one():
    until = date(2026, 3, 10)
    assert not may_purge("rejected", until, False, date(2026, 3, 10))
    assert may_purge("rejected", until, False, date(2026, 3, 11))
    assert not may_purge("rejected", until, True, date(2030, 1, 1))
    assert not may_purge("cancelled", until, False, date(2030, 1, 1))


def test_major_and_critical_kept_long_term():
    assert long_term_at_closing("major")
    assert long_term_at_closing("critical")
    assert not long_term_at_closing("general")
