from odoo import api, fields, models

# Where the demo loader (complaint.demo) puts the time of the demo step it
# runs: the database cursor's cache, which lives as long as the cursor and
# which no request can write (unlike the context, which every caller sends).
DEMO_CLOCK_KEY = "complaint_center.demo_clock"


class ComplaintClockMixin(models.AbstractModel):
    """The addon's clock: the time of the facts the addon stamps (received,
    accepted, approved, resolved...) and of the deadlines counted from them.

    It is the real clock. Only the demo loader, as superuser, sets it for the
    length of one step of the demo history (``complaint.demo._demo_clock``),
    so that the real actions stamp the demo's dates; nothing a caller sends,
    context or parameter, moves it. What is about the moment of reading
    (print dates, report periods, wizard defaults) reads the real clock.
    """

    _name = "complaint.clock.mixin"
    _description = "Complaint Center Clock"

    @api.model
    def _complaint_now(self):
        """Now, a naive UTC datetime as ``fields.Datetime.now()``."""
        return self.env.cr.cache.get(DEMO_CLOCK_KEY) or fields.Datetime.now()

    @api.model
    def _complaint_today(self):
        """Today in the user's time zone, as ``fields.Date.context_today``."""
        return fields.Date.context_today(self, self._complaint_now())
