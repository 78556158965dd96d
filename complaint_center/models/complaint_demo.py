"""Demo data goes through the real actions: helpers for the demo files.

Every demo complaint is received by its first responder at its receipt time
and then moved by the real ``action_*`` methods, as the demo user who would
take each step, at the moment of the step: the addon's clock
(complaint.clock.mixin) reads that moment for the step, so that stamped
dates, deadlines and activities carry demo-history dates, and the messages
the step posted (chatter, tracking, mails) are dated then too. Of what Odoo
itself dates by the real clock, a confirmed order keeps its step as its
order date (``_demo_confirm_orders``); a draft credit note's accounting date
is the day the demo is loaded (finance dates it when posting).

The helpers are private (never reachable over RPC) and refuse anyone but
the data loader (the superuser). Short xml ids (without a module) are ids of
this addon.

A step's time is a UTC datetime string, usually relative to the day the
demo is loaded. It may also be given relative to the latest public holiday
of a working calendar (``_demo_when``), so that a complaint received on the
eve of a holiday straddles it whatever the day the demo is loaded.
"""

from contextlib import contextmanager
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tools import SQL

from .complaint_clock_mixin import DEMO_CLOCK_KEY

# Penalty action -> the states it starts from (complaint_penalty.py's
# PENALTY_TRANSITIONS): ``_demo_penalties`` moves the penalties of a
# complaint that are there.
PENALTY_STEP_STATES = {
    "action_confirm": ("draft",),
    "action_approve": ("confirmed",),
    "action_apply": ("approved",),
    "action_cancel": ("draft", "confirmed", "approved"),
}


class ComplaintDemo(models.AbstractModel):
    _name = "complaint.demo"
    _description = "Complaint Center Demo Loader"

    # Helpers ----------------------------------------------------------------
    @api.model
    def _demo_check_loader(self):
        if not self.env.su:
            raise AccessError(self.env._("Only the data loader runs demo steps."))

    @api.model
    def _demo_ref(self, xmlid):
        return self.env.ref(xmlid if "." in xmlid else f"complaint_center.{xmlid}")

    @api.model
    def _demo_when(self, when):
        """A step's time as a UTC datetime string. ``when`` is such a string
        (returned as is), nothing, or a dict placing the step around the
        latest public holiday of a working calendar::

            {"holiday": "resource_calendar_cn_demo",  # calendar xml id
             "working_days": -1,  # -1: last working day before the holiday,
                                  # 1: first working day after it, ...
             "hour": 16.5,        # local time on that day (16:30)
             "age": 21}           # the holiday ended at least 21 days ago

        The holiday is the calendar's latest global leave (a leave of the
        whole calendar, no resource) that ended ``age`` days ago or more
        (default 21), so that a story told around it is over by now; working
        days are those of the calendar (attendances, their validity dates,
        its other leaves), in its time zone."""
        if not isinstance(when, dict):
            return when
        calendar = self._demo_ref(when["holiday"]).sudo()
        tz = pytz.timezone(calendar.tz or "UTC")
        # The real clock: the day the demo is loaded.
        ended = fields.Datetime.now() - timedelta(days=when.get("age", 21))
        holiday = (
            self.env["resource.calendar.leaves"]
            .sudo()
            .search(
                [
                    ("calendar_id", "=", calendar.id),
                    ("resource_id", "=", False),
                    ("date_to", "<=", ended),
                ],
                order="date_to desc",
                limit=1,
            )
        )
        if not holiday:
            raise UserError(
                self.env._(
                    "Demo data: working calendar %(calendar)s has no public "
                    "holiday that ended before %(date)s.",
                    calendar=calendar.name,
                    date=ended,
                )
            )
        first = pytz.utc.localize(holiday.date_from).astimezone(tz).date()
        last = pytz.utc.localize(holiday.date_to).astimezone(tz).date()
        steps = when["working_days"]
        if not steps:
            raise UserError(self.env._("Demo data: working_days cannot be 0."))
        # Wide enough for a month of working days around a long holiday.
        margin = timedelta(days=7 * abs(steps) // 5 + 45)
        start = tz.localize(datetime.combine(first - margin, time.min))
        stop = tz.localize(datetime.combine(last + margin, time.max))
        work = calendar._work_intervals_batch(start, stop, tz=tz)[False]
        days = sorted({begin.date() for begin, end, _records in work if end > begin})
        if steps < 0:
            day = [day for day in days if day < first][steps]
        else:
            day = [day for day in days if day > last][steps - 1]
        local = datetime.combine(day, time.min) + timedelta(hours=when.get("hour", 9))
        moment = tz.localize(local).astimezone(pytz.utc).replace(tzinfo=None)
        return fields.Datetime.to_string(moment)

    @contextmanager
    def _demo_clock(self, when):
        """Run the block at ``when`` (a UTC datetime string, a holiday-relative
        time of ``_demo_when``, or nothing for the real clock), for the data
        loader only.

        The addon's clock reads ``when`` for the block (the step time is kept
        on the cursor, never in the context). What the block left for the end
        of the transaction (tracking messages of the workflow fields,
        recomputations) is done inside it; what earlier steps left is done
        before. Odoo dates the messages it creates by the real clock: those
        the block created are then dated ``when``. (No activity type the
        demo completes keeps its done activities, so no ``date_done``.)"""
        self._demo_check_loader()
        when = self._demo_when(when)
        cr = self.env.cr
        cr.flush()
        if not when:
            yield
            cr.flush()
            return
        moment = fields.Datetime.to_datetime(when)
        started = fields.Datetime.now()
        cr.execute("SELECT COALESCE(MAX(id), 0) FROM mail_message")
        last_message = cr.fetchone()[0]
        cr.cache[DEMO_CLOCK_KEY] = moment
        try:
            yield
            cr.flush()
        finally:
            cr.cache.pop(DEMO_CLOCK_KEY, None)
        # Only what the real clock dated during the block: a message given a
        # date of its own keeps it. Notifications read at once (the author's
        # own, the mails) were read then too.
        cr.execute(
            SQL(
                "UPDATE mail_message SET date = %s WHERE id > %s AND date >= %s",
                moment,
                last_message,
                started,
            )
        )
        cr.execute(
            SQL(
                "UPDATE mail_notification SET read_date = %s "
                "WHERE mail_message_id > %s AND read_date >= %s",
                moment,
                last_message,
                started,
            )
        )
        self.env["mail.message"].invalidate_model(["date"])
        self.env["mail.notification"].invalidate_model(["read_date"])

    # Steps --------------------------------------------------------------------
    @api.model
    def _demo_act(self, user_xmlid, model, method, xmlids, when=False, args=None):
        """Run ``model.method`` on the records ``xmlids`` as the demo user
        ``user_xmlid`` at ``when`` (a datetime string, ``_demo_clock``) so
        that stamped facts, chatter and activities carry demo-history dates.
        Only the data loader (the superuser) may call it; it is private, so
        never reachable over RPC."""
        self._demo_check_loader()
        user = self._demo_ref(user_xmlid)
        records = (
            self.env[model]
            .with_user(user)
            .browse([self._demo_ref(xmlid).id for xmlid in xmlids])
        )
        with self._demo_clock(when):
            result = getattr(records, method)(*(args or []))
            # The customer mails the step queued leave at once, as the
            # scheduled action sends them moments after the step.
            self.env["complaint.mail.job"]._cron_send(limit=1000)
        return result

    @api.model
    def _demo_confirm_orders(self, user_xmlid, xmlids, when):
        """Confirm the sale orders ``xmlids`` as the demo user ``user_xmlid``
        at ``when``, their order date: Odoo dates a confirmed order by the
        real clock, the demo history's orders were ordered at ``when``."""
        self._demo_check_loader()
        user = self._demo_ref(user_xmlid)
        orders = self.env["sale.order"].browse(
            [self._demo_ref(xmlid).id for xmlid in xmlids]
        )
        with self._demo_clock(when):
            orders.with_user(user).action_confirm()
            orders.with_user(user).sudo().write({"date_order": self._demo_when(when)})

    @api.model
    def _demo_create(self, user_xmlid, model, xmlid, vals, when=False):
        """Create a ``model`` record from ``vals`` as the demo user
        ``user_xmlid`` at ``when``, under the xml id ``xmlid`` of this addon
        (so that later demo steps can ``ref`` it)."""
        self._demo_check_loader()
        Model = self.env[model].with_user(self._demo_ref(user_xmlid))
        with self._demo_clock(when):
            record = Model.create(vals)
        self._demo_register(xmlid, record)
        return record.id

    @api.model
    def _demo_receive(self, user_xmlid, xmlid, **values):
        """A complaint received by the demo user ``user_xmlid`` (its first
        responder, unless ``first_responder_id`` says otherwise) at its
        ``date_received``, registered under the xml id ``xmlid``.

        The intake values are given as ``<value name="field">`` children of
        the ``<function>`` tag. Like a ``<record>``, the intake is written as
        superuser (a salesperson may log a complaint about an order she does
        not see), but in the user's name and at the receipt time: the
        creation note, its author and the followers are those of a real
        intake. A many2many value may be one id or a list of ids; the dates
        may be holiday-relative (``_demo_when``). The complaint belongs to
        the user's company unless ``company_id`` says otherwise."""
        self._demo_check_loader()
        user = self._demo_ref(user_xmlid)
        Complaint = self.env["complaint.complaint"]
        vals = {}
        for name, value in values.items():
            if name in ("date_received", "date_occurred"):
                value = self._demo_when(value)
            if Complaint._fields[name].type == "many2many" and not (
                isinstance(value, list) and value and isinstance(value[0], tuple)
            ):
                ids = value if isinstance(value, list) else [value] if value else []
                value = [Command.set(ids)]
            vals[name] = value
        vals.setdefault("first_responder_id", user.id)
        vals.setdefault("company_id", user.company_id.id)
        with self._demo_clock(vals["date_received"]):
            complaint = Complaint.with_user(user).sudo().create(vals)
        self._demo_register(xmlid, complaint)
        return complaint.id

    @api.model
    def _demo_penalties(
        self, user_xmlid, complaint_xmlids, method, when=False, args=None
    ):
        """Run the penalty action ``method`` as the demo user ``user_xmlid``
        at ``when`` on the penalties of the complaints ``complaint_xmlids``
        that the action starts from (e.g. the draft ones for
        ``action_confirm``). The penalties themselves were proposed by the
        complaints' own workflow."""
        self._demo_check_loader()
        user = self._demo_ref(user_xmlid)
        complaints = [self._demo_ref(xmlid).id for xmlid in complaint_xmlids]
        penalties = (
            self.env["complaint.penalty"]
            .sudo()
            .search(
                [
                    ("complaint_id", "in", complaints),
                    ("state", "in", PENALTY_STEP_STATES[method]),
                ],
                order="id",
            )
        )
        if not penalties:
            raise UserError(
                self.env._(
                    "Demo data: no penalty of %(complaints)s to %(method)s.",
                    complaints=", ".join(complaint_xmlids),
                    method=method,
                )
            )
        with self._demo_clock(when):
            result = getattr(penalties.with_user(user), method)(*(args or []))
        return result

    @api.model
    def _demo_company_accounting(self, company_xmlid):
        """Give the demo company ``company_xmlid`` a chart of accounts (the
        generic one: no Chinese localization is installed), so that its
        approved refunds get draft credit notes and its supplier chargebacks
        vendor credit notes, in its own currency and fiscal country (the
        generic chart would set those to the US)."""
        self._demo_check_loader()
        company = self._demo_ref(company_xmlid)
        if company.chart_template:
            return
        currency, country = company.currency_id, company.country_id
        # try_loading() warns that the registry is still loading (the demo
        # data is loaded during the install); every model the chart needs is.
        self.env["account.chart.template"]._load("generic_coa", company, False)
        company.write(
            {
                "currency_id": currency.id,
                "country_id": country.id,
                "account_fiscal_country_id": country.id,
                # The generic 15 % taxes are no VAT rates of the company's
                # country: its prices are entered tax included, without tax.
                "account_sale_tax_id": False,
                "account_purchase_tax_id": False,
            }
        )

    @api.model
    def _demo_register(self, xmlid, record):
        self.env["ir.model.data"]._update_xmlids(
            [
                {
                    "xml_id": xmlid if "." in xmlid else f"complaint_center.{xmlid}",
                    "record": record.sudo(),
                    "noupdate": True,
                }
            ]
        )

    @api.model
    def _demo_portal_appeal(self, xmlid, partner_xmlid, reason, when=False):
        """The customer ``partner_xmlid`` appeals the complaint ``xmlid`` on
        the portal at ``when`` (申诉), as the portal controller does."""
        self._demo_check_loader()
        complaint = self._demo_ref(xmlid).sudo()
        with self._demo_clock(when):
            complaint._portal_appeal(self._demo_ref(partner_xmlid), reason)
