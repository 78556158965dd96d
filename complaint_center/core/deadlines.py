"""Working-time deadline arithmetic (处理时效).

Everything here works on naive *local* datetimes (the working calendar's time
zone); the model layer converts from and to UTC.

``intervals`` are the working intervals ``(start, end)`` of a calendar over a
window, as Odoo's ``resource.calendar._work_intervals_batch`` gives them:
attendances (two-week calendars and validity dates included) minus public
holidays. A day is a working day when some working time is left on it.

"Within N working days" counts the working days *after* the day of receipt
and ends when work ends on the N-th one, so a complaint received on a Friday
evening before a holiday is charged neither for the weekend nor for the
holiday, and one received after hours is treated like one received that day.
"""

from datetime import datetime, time, timedelta

HOURS, DAYS, WORKING_DAYS = "hours", "days", "working_days"


class NoWorkingTime(ValueError):
    """The intervals given hold no working day far enough after ``start``:
    the window was too short, or the calendar has no working time."""


def day_ends(intervals):
    """When work ends on each working day of ``intervals``: ``{date: end}``."""
    ends = {}
    for start, end in intervals:
        if end > start:
            day = start.date()
            ends[day] = max(ends.get(day, end), end)
    return ends


def add_working_days(start, days, intervals):
    """End of work on the ``days``-th working day after ``start``'s day.

    ``days`` = 0 means the end of work on ``start``'s own day if work is
    still going on then, else on the next working day. Raises
    ``NoWorkingTime`` when ``intervals`` end too soon.
    """
    if days < 0:
        raise ValueError(days)
    ends = day_ends(intervals)
    today = start.date()
    if days == 0 and ends.get(today) and ends[today] > start:
        return ends[today]
    later = sorted(day for day in ends if day > today)
    wanted = days or 1
    if len(later) < wanted:
        raise NoWorkingTime(start)
    return ends[later[wanted - 1]]


def add_calendar_days(start, days):
    """End of the ``days``-th calendar day after ``start`` (23:59:59): the
    regulations' "within 15 days" counts days, not working days."""
    if days < 0:
        raise ValueError(days)
    return datetime.combine(start.date() + timedelta(days=days), time(23, 59, 59))


def add_hours(start, hours):
    """Elapsed-time deadline: "reply within 24 hours" runs round the clock."""
    if hours < 0:
        raise ValueError(hours)
    return start + timedelta(hours=hours)


def add_period(start, amount, unit, intervals=()):
    """``start`` plus ``amount`` of ``unit``: ``hours``, ``days`` (calendar)
    or ``working_days`` (over ``intervals``)."""
    if unit == HOURS:
        return add_hours(start, amount)
    if unit == DAYS:
        return add_calendar_days(start, int(amount))
    if unit == WORKING_DAYS:
        return add_working_days(start, int(amount), intervals)
    raise ValueError(unit)


def policy_periods(policy):
    """The stages of a deadline policy as ``(amount, unit)``.

    ``policy`` is a dict with ``ack_hours``, ``ack_working_days`` (replaces
    the hours when set), ``decision_days`` (calendar days, 0 for none),
    ``resolve_days``, ``resolve_day_type`` (``working``/``calendar``) and
    ``visit_days`` (working days).
    """
    if policy.get("ack_working_days"):
        ack = (policy["ack_working_days"], WORKING_DAYS)
    else:
        ack = (policy.get("ack_hours") or 0, HOURS)
    resolve_unit = (
        DAYS if policy.get("resolve_day_type") == "calendar" else WORKING_DAYS
    )
    return {
        "ack": ack,
        "decision": (policy.get("decision_days") or 0, DAYS),
        "resolve": (policy.get("resolve_days") or 0, resolve_unit),
        "visit": (policy.get("visit_days") or 0, WORKING_DAYS),
    }


def stage_deadlines(
    policy, received, acknowledged=None, resolved=None, extension_days=0, intervals=()
):
    """The deadlines of one complaint: ``{"ack", "decision", "resolve",
    "visit"}`` (``None`` where a stage has no deadline yet).

    ``policy`` as for ``policy_periods``, plus ``resolve_from``
    (``received``/``acknowledged``). A clock that starts at acknowledgement
    runs from the acknowledgement deadline until the complaint is
    acknowledged, and the stages are ordered: acknowledge ≤ decide ≤
    resolve, whatever units the policy mixes.
    """
    periods = policy_periods(policy)
    ack = add_period(received, *periods["ack"], intervals)
    # Until acknowledged, the latest acknowledgement the policy allows.
    accepted = acknowledged or ack
    decision = None
    if periods["decision"][0]:
        decision = add_period(accepted, *periods["decision"], intervals)
        if not acknowledged:
            decision = max(decision, ack)
    start = accepted if policy.get("resolve_from") == "acknowledged" else received
    resolve = add_period(start, *periods["resolve"], intervals)
    if extension_days:
        resolve = add_working_days(resolve, extension_days, intervals)
    resolve = max([resolve, decision or resolve] + ([] if acknowledged else [ack]))
    visit = resolved and add_period(resolved, *periods["visit"], intervals)
    return {
        "ack": ack,
        "decision": decision,
        "resolve": resolve,
        "visit": visit or None,
    }


# Technicians on site (004 篇3 e, 004 篇4 §4.7): the limit depends on where
# the customer is, seen from the company.
PROVINCE, OUTSIDE, REMOTE = "province", "outside", "remote"


def site_region(customer_state, company_state, remote_states=()):
    """Where a site visit goes: ``province`` when the customer's state is
    the company's, ``remote`` when it is one of ``remote_states``, else
    ``outside`` (a customer whose state is unknown included: the middle
    limit, neither the shortest nor the longest)."""
    if customer_state and customer_state == company_state:
        return PROVINCE
    if customer_state and customer_state in set(remote_states):
        return REMOTE
    return OUTSIDE


def site_deadline(start, region, limits, unit, intervals=()):
    """When the technician must be on site: ``start`` plus the ``limits``
    (``{region: days}``) of ``region``, counted in ``unit`` (``days`` or
    ``working_days``, over ``intervals``)."""
    return add_period(start, limits[region], unit, intervals)
