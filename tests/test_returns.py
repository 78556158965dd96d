from datetime import date

from cc_core.returns import (
    BEFORE_DELIVERY,
    ELIGIBLE,
    NO_DELIVERY,
    NOT_QUALITY,
    OWN_STORAGE,
    RETURN_WINDOW_DAYS,
    TOO_LATE,
    return_status,
)

DELIVERED = date(2026, 3, 1)


def test_within_fifteen_days_of_delivery():
    assert RETURN_WINDOW_DAYS == 15
    assert return_status(True, False, date(2026, 3, 1), DELIVERED) == (True, ELIGIBLE)
    assert return_status(True, False, date(2026, 3, 16), DELIVERED) == (True, ELIGIBLE)


def test_too_late_or_before_delivery():
    assert return_status(True, False, date(2026, 3, 17), DELIVERED) == (False, TOO_LATE)
    assert return_status(True, False, date(2026, 2, 27), DELIVERED) == (
        False,
        BEFORE_DELIVERY,
    )


def test_not_quality_own_storage_or_unknown_delivery():
    received = date(2026, 3, 5)
    assert return_status(False, False, received, DELIVERED) == (False, NOT_QUALITY)
    assert return_status(True, True, received, DELIVERED) == (False, OWN_STORAGE)
    assert return_status(True, False, received, None) == (False, NO_DELIVERY)


def test_window_is_a_parameter():
    assert return_status(True, False, date(2026, 3, 9), DELIVERED, window=7) == (
        False,
        TOO_LATE,
    )
