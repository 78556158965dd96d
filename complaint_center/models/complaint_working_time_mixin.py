from datetime import datetime, time, timedelta

from odoo import api, models
from odoo.exceptions import UserError

from ..core import deadlines

# Calendar days of working time read at first past the latest clock start,
# and the furthest a deadline is looked for (then the calendar is unusable).
FIRST_WINDOW_DAYS = 60
MAX_WINDOW_DAYS = 3 * 366


class ComplaintWorkingTimeMixin(models.AbstractModel):
    """Working time for the core's deadline arithmetic, read from Odoo's
    ``resource.calendar`` (``_work_intervals_batch``: attendances, two-week
    calendars, attendance validity dates, public holidays as calendar
    leaves), once per calendar and window for a whole batch."""

    _name = "complaint.working.time.mixin"
    _description = "Complaint Center Working Time"

    @api.model
    def _with_working_time(self, calendar, tz, starts, compute):
        """``compute(intervals)`` over the working intervals of ``calendar``
        (local, naive) from the earliest of ``starts`` on; the window widens
        until the deadlines fall inside it."""
        first = min(starts).date() - timedelta(days=1)
        days = FIRST_WINDOW_DAYS
        while True:
            last = max(starts).date() + timedelta(days=days)
            try:
                return compute(self._working_intervals(calendar, tz, first, last))
            except deadlines.NoWorkingTime as err:
                if days >= MAX_WINDOW_DAYS:
                    raise UserError(
                        self.env._(
                            "Working calendar %(calendar)s has no working time "
                            "within %(days)s days: check its working hours and "
                            "public holidays.",
                            calendar=calendar.name,
                            days=MAX_WINDOW_DAYS,
                        )
                    ) from err
                days = min(days * 4, MAX_WINDOW_DAYS)

    @api.model
    def _working_intervals(self, calendar, tz, first, last):
        """Odoo's working intervals of ``calendar`` from ``first`` to
        ``last`` (dates) in ``tz``, as local naive ``(start, end)`` pairs:
        attendances (two-week calendars, validity dates) minus leaves."""
        start = tz.localize(datetime.combine(first, time.min))
        stop = tz.localize(datetime.combine(last, time.max))
        work = calendar.sudo()._work_intervals_batch(start, stop, tz=tz)[False]
        return [
            (begin.replace(tzinfo=None), end.replace(tzinfo=None))
            for begin, end, _records in work
        ]
