"""Complaint reference numbers: ``<prefix>YYMM-NNNN``, restarting every month.

The rule comes from the register's numbering principle (编码原则: 年度(××)
月份(××)流水编号): two-digit year, two-digit month, then a serial that
starts again at 1 each month. The serial itself is counted by Odoo's
``ir.sequence`` (one date range per month, gapless): see
``models/complaint_reference_mixin.py``.
"""

import re

DEFAULT_PREFIX = "CC"
DEFAULT_PADDING = 4
_PREFIX_RE = re.compile(r"^[A-Za-z0-9_]{0,10}$")


def check_prefix(prefix):
    """Return ``prefix`` stripped, or raise ``ValueError`` if it is unusable.

    Letters, digits and underscores only, at most ten: the reference is
    printed on forms and read out on the phone.
    """
    prefix = (prefix or "").strip()
    if not _PREFIX_RE.match(prefix):
        raise ValueError(prefix)
    return prefix


def period_key(when):
    """``YYMM`` of a date or datetime: the part that restarts the serial."""
    return f"{when.year % 100:02d}{when.month:02d}"


def format_reference(prefix, when, serial, padding=DEFAULT_PADDING):
    """Build ``<prefix>YYMM-NNNN`` (the serial widens past ``padding`` digits)."""
    if serial < 1:
        raise ValueError(serial)
    return f"{check_prefix(prefix)}{period_key(when)}-{serial:0{padding}d}"
