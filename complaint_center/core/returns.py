"""Unconditional returns (001 篇五): a quality defect reported within 15
days of delivery is returned unconditionally once quality has verified it
against the delivery record; damage from the customer's own storage is not
a quality incident."""

RETURN_WINDOW_DAYS = 15

ELIGIBLE = "eligible"
NOT_QUALITY = "not_quality"
OWN_STORAGE = "own_storage"
NO_DELIVERY = "no_delivery"
TOO_LATE = "too_late"
BEFORE_DELIVERY = "before_delivery"


def return_status(is_quality, own_storage, received, delivered, window=None):
    """``(eligible, status)`` of one complaint.

    ``received`` and ``delivered`` are dates (``delivered`` may be ``None``);
    the complaint is eligible when it was received on the delivery day or
    within ``window`` days after it.
    """
    window = RETURN_WINDOW_DAYS if window is None else window
    if not is_quality:
        return False, NOT_QUALITY
    if own_storage:
        return False, OWN_STORAGE
    if not delivered or not received:
        return False, NO_DELIVERY
    days = (received - delivered).days
    if days < 0:
        return False, BEFORE_DELIVERY
    if days > window:
        return False, TOO_LATE
    return True, ELIGIBLE
