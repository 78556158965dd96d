"""Complaint statistics (统计分析): reporting periods, rates, averages,
changes against the previous period, breakdowns and the Pareto of causes.

The Odoo layer fetches grouped counts and a few fields per complaint; every
figure of the monthly and quarterly reports is computed here from plain
values. Rates are fractions between 0 and 1, ``None`` when nothing was
there to measure (a rate over nothing is unknown, not zero).
"""

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .lifecycle import OPEN_STATES

KINDS = ("month", "quarter")
# A year outside this range is a typing error, not a reporting period.
MIN_YEAR, MAX_YEAR = 2000, 2100
NOT_VALID = ("invalid", "malicious")


class PeriodError(ValueError):
    """A period the reports cannot cover; ``field`` names the bad input
    (``kind``, ``year``, ``month`` or ``quarter``)."""

    def __init__(self, field, value):
        super().__init__(field, value)
        self.field = field
        self.value = value


# Periods ----------------------------------------------------------------------
def period(kind, year, number):
    """The month ``number`` (1-12) or quarter ``number`` (1-4) of ``year``:
    ``date_to`` is the first day after it."""
    if kind not in KINDS:
        raise PeriodError("kind", kind)
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError("year", year)
    last = 12 if kind == "month" else 4
    if not isinstance(number, int) or not 1 <= number <= last:
        raise PeriodError(kind, number)
    months = 1 if kind == "month" else 3
    first_month = number if kind == "month" else (number - 1) * 3 + 1
    date_from = date(year, first_month, 1)
    end_month = first_month + months
    date_to = date(year + (end_month > 12), (end_month - 1) % 12 + 1, 1)
    label = f"{year}-{number:02d}" if kind == "month" else f"{year} Q{number}"
    return {
        "kind": kind,
        "year": year,
        "number": number,
        "date_from": date_from,
        "date_to": date_to,
        "label": label,
    }


def previous_period(kind, year, number):
    """The period of the same kind just before."""
    if number > 1:
        return period(kind, year, number - 1)
    return period(kind, year - 1, 12 if kind == "month" else 4)


def last_period(kind, today):
    """The last complete period of ``kind`` before the one holding ``today``."""
    number = today.month if kind == "month" else (today.month - 1) // 3 + 1
    return previous_period(kind, today.year, number)


def local_date(moment, tz_name):
    """The calendar date of the naive UTC datetime ``moment`` in ``tz_name``."""
    aware = moment.replace(tzinfo=timezone.utc).astimezone(_zone(tz_name))
    return aware.date()


def utc_bounds(date_from, date_to, tz_name):
    """Local midnights of ``date_from`` and ``date_to`` in ``tz_name``, as
    naive UTC datetimes (how Odoo stores datetimes)."""
    zone = _zone(tz_name)

    def to_utc(day):
        local = datetime(day.year, day.month, day.day, tzinfo=zone)
        return local.astimezone(timezone.utc).replace(tzinfo=None)

    return to_utc(date_from), to_utc(date_to)


def _zone(tz_name):
    try:
        return ZoneInfo(tz_name) if tz_name else timezone.utc
    except (ZoneInfoNotFoundError, ValueError):
        return timezone.utc


# Rates and changes ------------------------------------------------------------
def share(part, whole):
    """``part / whole``, or ``None`` when there is no whole."""
    return part / whole if whole else None


def per_thousand(count, base):
    """Complaints per 1,000 units of ``base`` (order lines), ``None`` without
    a base."""
    return count * 1000.0 / base if base else None


def difference(current, previous):
    """``current - previous``, ``None`` when either side is unknown."""
    if current is None or previous is None:
        return None
    return current - previous


def changes(current, previous):
    """``{name: current - previous}`` for every number of ``current``
    (booleans, dicts and lists are not figures to compare)."""
    result = {}
    for name, value in current.items():
        if isinstance(value, bool) or not isinstance(value, int | float | None):
            continue
        if name in previous:
            result[name] = difference(value, previous[name])
    return result


# Counts -----------------------------------------------------------------------
def summarize(groups):
    """Head counts of a period from ``(state, validity, is_repeat, count)``
    groups."""
    result = dict.fromkeys(("total", "valid", "invalid", "open", "closed"), 0)
    result["repeat"] = 0
    for state, validity, is_repeat, count in groups:
        result["total"] += count
        result["valid"] += count if validity == "valid" else 0
        not_valid = state == "rejected" or validity in NOT_VALID
        result["invalid"] += count if not_valid else 0
        result["open"] += count if state in OPEN_STATES else 0
        result["closed"] += count if state == "closed" else 0
        result["repeat"] += count if is_repeat else 0
    return result


def breakdown(counts, previous, labels, total):
    """Rows of one breakdown (by category, department...): every key counted
    in this period or the previous one, most frequent first."""
    rows = []
    for key in set(counts) | set(previous):
        count, before = counts.get(key, 0), previous.get(key, 0)
        rows.append(
            {
                "key": key,
                "label": labels.get(key, ""),
                "count": count,
                "previous": before,
                "change": count - before,
                "share": share(count, total) or 0.0,
            }
        )
    rows.sort(key=lambda row: (-row["count"], str(row["label"])))
    return rows


def pareto(items):
    """``(label, count)`` items as a Pareto table: most frequent first, with
    the cumulative share of all counts reached at each row."""
    items = sorted(
        ((label, count) for label, count in items if count > 0),
        key=lambda item: (-item[1], str(item[0])),
    )
    total = sum(count for _label, count in items)
    rows, running = [], 0
    for label, count in items:
        running += count
        rows.append(
            {"label": label, "count": count, "cumulative_share": running / total}
        )
    return rows


# Timing -----------------------------------------------------------------------
def average_hours(intervals):
    """Mean length in hours of the ``(start, end)`` intervals whose end is
    known; ``None`` when none is."""
    spans = [
        (end - start) / timedelta(hours=1) for start, end in intervals if start and end
    ]
    return sum(spans) / len(spans) if spans else None


def timing(rows, satisfied):
    """On-time rates, average hours and satisfaction of a period's complaints.

    ``rows`` are dicts with ``date_received``, ``date_acknowledged``,
    ``date_resolved``, ``date_feedback``, ``ack_on_time``,
    ``resolve_on_time``, ``visit_on_time`` and ``satisfaction``; a step's
    rate counts only the complaints that reached it. ``satisfied`` holds the
    satisfaction keys that count as satisfied.
    """
    steps = {
        "acknowledge": ("date_acknowledged", "ack_on_time"),
        "resolve": ("date_resolved", "resolve_on_time"),
        "visit": ("date_feedback", "visit_on_time"),
    }
    on_time = {}
    for step, (reached, flag) in steps.items():
        flags = [bool(row[flag]) for row in rows if row[reached]]
        on_time[step] = share(sum(flags), len(flags))
    rated = [row["satisfaction"] for row in rows if row["satisfaction"]]
    return {
        "on_time": on_time,
        "avg_hours_acknowledge": average_hours(
            (row["date_received"], row["date_acknowledged"]) for row in rows
        ),
        "avg_hours_resolve": average_hours(
            (row["date_received"], row["date_resolved"]) for row in rows
        ),
        "satisfaction_rate": share(
            sum(1 for value in rated if value in satisfied), len(rated)
        ),
    }
