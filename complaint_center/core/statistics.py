"""Complaint statistics (统计分析): reporting periods, rates, averages,
changes against the previous period, breakdowns and the Pareto of causes.

The Odoo layer fetches grouped counts and a few fields per complaint; every
figure of the monthly, quarterly and half-year reports is computed here
from plain values. Rates are fractions between 0 and 1, ``None`` when nothing was
there to measure (a rate over nothing is unknown, not zero).
"""

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .lifecycle import OPEN_STATES

KINDS = ("month", "quarter", "half")
# Months per period of each kind; a year holds 12 // MONTHS[kind] of them.
MONTHS = {"month": 1, "quarter": 3, "half": 6}
# A year outside this range is a typing error, not a reporting period.
MIN_YEAR, MAX_YEAR = 2000, 2100
NOT_VALID = ("invalid", "malicious")


class PeriodError(ValueError):
    """A period the reports cannot cover; ``field`` names the bad input
    (``kind``, ``year``, ``month``, ``quarter`` or ``half``)."""

    def __init__(self, field, value):
        super().__init__(field, value)
        self.field = field
        self.value = value


# Periods ----------------------------------------------------------------------
def period(kind, year, number):
    """The month ``number`` (1-12), quarter ``number`` (1-4) or half-year
    ``number`` (1-2, 半年: January to June, July to December) of ``year``:
    ``date_to`` is the first day after it."""
    if kind not in KINDS:
        raise PeriodError("kind", kind)
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError("year", year)
    months_ = MONTHS[kind]
    last = 12 // months_
    if not isinstance(number, int) or not 1 <= number <= last:
        raise PeriodError(kind, number)
    first_month = (number - 1) * months_ + 1
    date_from = date(year, first_month, 1)
    end_month = first_month + months_
    date_to = date(year + (end_month > 12), (end_month - 1) % 12 + 1, 1)
    label = {
        "month": f"{year}-{number:02d}",
        "quarter": f"{year} Q{number}",
        "half": f"{year} H{number}",
    }[kind]
    return {
        "kind": kind,
        "year": year,
        "number": number,
        "date_from": date_from,
        "date_to": date_to,
        "label": label,
    }


def months(period_):
    """The month periods a period covers (one for a month, three for a
    quarter, six for a half-year), in order."""
    count = MONTHS[period_["kind"]]
    first = (period_["number"] - 1) * count + 1
    return [period("month", period_["year"], first + i) for i in range(count)]


def payroll_periods(period_):
    """The payroll periods (``YYYY-MM``) of a period: the penalties applied
    in them are the period's."""
    return [f"{month['year']}-{month['number']:02d}" for month in months(period_)]


def previous_period(kind, year, number):
    """The period of the same kind just before."""
    if number > 1:
        return period(kind, year, number - 1)
    return period(kind, year - 1, 12 // MONTHS[kind])


def last_period(kind, today):
    """The last complete period of ``kind`` before the one holding ``today``."""
    number = (today.month - 1) // MONTHS[kind] + 1
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
VALIDITY_ROWS = ("valid", "invalid", "undetermined", "cancelled")


def validity_of(state, validity):
    """Which one of ``VALIDITY_ROWS`` a complaint counts in: not valid when
    rejected or found not valid or malicious; valid when found valid;
    cancelled when withdrawn before either; undetermined otherwise (still
    being examined). The four add up to the total."""
    if state == "rejected" or validity in NOT_VALID:
        return "invalid"
    if validity == "valid":
        return "valid"
    if state == "cancelled":
        return "cancelled"
    return "undetermined"


def summarize(groups):
    """Head counts of a period from ``(state, validity, is_repeat, count)``
    groups: ``valid + invalid + undetermined + cancelled == total``, and the
    repeat complaints as a count and a rate."""
    result = dict.fromkeys(("total", "open", "closed", "repeat", *VALIDITY_ROWS), 0)
    for state, validity, is_repeat, count in groups:
        result["total"] += count
        result[validity_of(state, validity)] += count
        result["open"] += count if state in OPEN_STATES else 0
        result["closed"] += count if state == "closed" else 0
        result["repeat"] += count if is_repeat else 0
    result["repeat_rate"] = share(result["repeat"], result["total"])
    return result


def weighted_counts(lines, complaint_ids):
    """Complaints per responsible party, weighted by share: ``lines`` are
    ``(complaint_id, key, share)`` (share in percent) of the complaints
    ``complaint_ids``. What no line covers of a complaint (all of it without
    lines) counts under ``False`` (not attributed), so that the weights add
    up to the number of complaints."""
    counts, covered = {}, dict.fromkeys(complaint_ids, 0.0)
    for complaint_id, key, percent in lines:
        if complaint_id not in covered:
            continue
        part = min(percent or 0.0, 100.0 - covered[complaint_id]) / 100.0
        if part <= 0:
            continue
        covered[complaint_id] += part * 100.0
        counts[key] = counts.get(key, 0.0) + part
    rest = sum(100.0 - done for done in covered.values()) / 100.0
    if rest > 1e-9:
        counts[False] = counts.get(False, 0.0) + rest
    return {key: round(count, 6) for key, count in counts.items()}


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


# A step of the handling and its timeliness (one definition for the PDF, the
# workbook, the Complaints Analysis view and the dashboard): the date the
# step was reached, its deadline, and the states a complaint still waits for
# it in. A complaint counts for a step once it reached it or once its
# deadline passed while it still waited: on time when reached by the
# deadline; late when reached after it, or not reached and the deadline has
# passed. Without a deadline, or before it, or never to be reached (a
# rejected or cancelled complaint is acknowledged no more), it is not counted.
ON_TIME_STEPS = {
    "acknowledge": ("date_acknowledged", "date_ack_deadline", OPEN_STATES),
    "resolve": ("date_resolved", "date_resolve_deadline", OPEN_STATES),
    "visit": ("date_feedback", "date_visit_deadline", ("resolved",)),
}
ON_TIME, LATE = "on_time", "late"


def step_timeliness(reached, deadline, state, waiting_states, now):
    """``ON_TIME``, ``LATE`` or ``None`` (not counted) for one step of one
    complaint, at ``now`` (naive UTC like the dates)."""
    if not deadline:
        return None
    if reached:
        return ON_TIME if reached <= deadline else LATE
    if state in waiting_states and deadline < now:
        return LATE
    return None


def on_time_rates(rows, now):
    """``{step: share on time}`` of ``rows`` (dicts holding the fields of
    ``ON_TIME_STEPS`` and ``state``): ``None`` where no complaint counts."""
    rates = {}
    for step, (reached, deadline, waiting) in ON_TIME_STEPS.items():
        marks = [
            step_timeliness(row[reached], row[deadline], row["state"], waiting, now)
            for row in rows
        ]
        counted = [mark for mark in marks if mark]
        rates[step] = share(counted.count(ON_TIME), len(counted))
    return rates


def timing(rows, satisfied, now):
    """On-time rates, average hours and satisfaction of a period's complaints.

    ``rows`` are dicts with ``state``, ``date_received``, the reached dates
    and deadlines of ``ON_TIME_STEPS`` and ``satisfaction``; ``now`` is the
    moment the open steps are judged at (see ``step_timeliness``).
    ``satisfied`` holds the satisfaction keys that count as satisfied.
    """
    rated = [row["satisfaction"] for row in rows if row["satisfaction"]]
    return {
        "on_time": on_time_rates(rows, now),
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


def by_month(rows, period_, tz_name, now):
    """The months of ``period_`` (a quarter or a half-year shows its
    months), each with its head counts and on-time rates: ``rows`` are the
    period's complaints as for ``timing``, with ``validity`` and
    ``is_repeat`` too; a complaint falls in the month of its receipt in
    ``tz_name``."""
    result = []
    for month in months(period_):
        inside = [
            row
            for row in rows
            if month["date_from"]
            <= local_date(row["date_received"], tz_name)
            < month["date_to"]
        ]
        figures = summarize(
            (row["state"], row["validity"], row["is_repeat"], 1) for row in inside
        )
        figures.update(period=month, on_time=on_time_rates(inside, now))
        result.append(figures)
    return result


# Customer satisfaction (客户满意度调查分析) ------------------------------------
def satisfaction_summary(answers, levels, satisfied):
    """Counts of ``answers`` (satisfaction keys, one per response):
    ``responses``, ``satisfied`` (the answers in ``satisfied``), their
    ``satisfied_rate`` and ``distribution``, one row per key of ``levels``
    in that order with its count and share."""
    answers = [answer for answer in answers if answer]
    total = len(answers)
    happy = sum(1 for answer in answers if answer in satisfied)
    return {
        "responses": total,
        "satisfied": happy,
        "satisfied_rate": share(happy, total),
        "distribution": [
            {
                "key": level,
                "count": answers.count(level),
                "share": share(answers.count(level), total),
            }
            for level in levels
        ],
    }


def satisfaction_analysis(rows, levels, satisfied, year, tz_name):
    """The annual satisfaction analysis of ``rows``: dicts with
    ``satisfaction``, ``date_feedback`` (naive UTC), ``category`` and
    ``department`` (keys). A row is a response of ``year`` when its
    feedback was recorded in that year in ``tz_name``. Returns the summary
    of ``satisfaction_summary`` with ``by_category`` and ``by_department``
    (``{key: summary}``) and ``months`` (twelve summaries, January first)."""
    inside = [
        row
        for row in rows
        if row["satisfaction"]
        and row["date_feedback"]
        and local_date(row["date_feedback"], tz_name).year == year
    ]
    result = satisfaction_summary(
        (row["satisfaction"] for row in inside), levels, satisfied
    )
    for name, key in (("by_category", "category"), ("by_department", "department")):
        groups = {}
        for row in inside:
            groups.setdefault(row[key], []).append(row["satisfaction"])
        result[name] = {
            group: satisfaction_summary(answers, levels, satisfied)
            for group, answers in groups.items()
        }
    result["months"] = [
        satisfaction_summary(
            (
                row["satisfaction"]
                for row in inside
                if local_date(row["date_feedback"], tz_name).month == month
            ),
            levels,
            satisfied,
        )
        for month in range(1, 13)
    ]
    return result
