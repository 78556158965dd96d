"""Deadlines of a complaint (处理时效管制): policy, working-time deadlines,
on-time facts, extensions, the escalation sweep and follow-ups."""

import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import format_datetime

from ..core import deadlines, escalation, lifecycle
from ..core import policy as policy_core

_logger = logging.getLogger(__name__)

DEADLINE_STATUS = [
    ("on_time", "On Time"),
    ("due_soon", "Due Soon"),
    ("overdue", "Overdue"),
    ("done", "Done"),
]
DUE_SOON_HOURS = 24
SWEEP_BATCH = 200
# Holidays are read this far around the receipt date.
HOLIDAY_HORIZON_DAYS = 400


class ComplaintComplaint(models.Model):
    _inherit = "complaint.complaint"

    policy_id = fields.Many2one(
        "complaint.policy",
        string="Deadline Policy",
        compute="_compute_policy_id",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        check_company=True,
        help="Chosen from category, severity, channel, company and customer "
        "origin; the most specific policy wins.",
    )
    date_promised_reply = fields.Datetime(
        string="Promised Reply",
        tracking=True,
        copy=False,
        help="The reply time agreed with the customer.",
    )
    date_replied = fields.Datetime(string="Replied On", copy=False, readonly=True)
    date_decision_deadline = fields.Datetime(
        string="Decide By",
        compute="_compute_deadlines",
        store=True,
        index="btree_not_null",
        tracking=True,
    )
    date_decided = fields.Datetime(string="Decided On", copy=False, readonly=True)
    date_ack_deadline = fields.Datetime(
        string="Acknowledge By",
        compute="_compute_deadlines",
        store=True,
        index="btree_not_null",
        tracking=True,
    )
    date_resolve_deadline = fields.Datetime(
        string="Resolve By",
        compute="_compute_deadlines",
        store=True,
        index="btree_not_null",
        tracking=True,
    )
    date_visit_deadline = fields.Datetime(
        string="Return Visit By",
        compute="_compute_deadlines",
        store=True,
        index="btree_not_null",
        tracking=True,
    )
    extension_ids = fields.One2many(
        "complaint.extension", "complaint_id", string="Extensions"
    )
    extension_days = fields.Integer(
        string="Extension (Working Days)",
        compute="_compute_extension_days",
        store=True,
    )
    ack_on_time = fields.Boolean(
        string="Acknowledged On Time", compute="_compute_on_time", store=True
    )
    resolve_on_time = fields.Boolean(
        string="Resolved On Time", compute="_compute_on_time", store=True
    )
    visit_on_time = fields.Boolean(
        string="Visited On Time", compute="_compute_on_time", store=True
    )
    next_deadline = fields.Datetime(
        compute="_compute_next_deadline",
        store=True,
        index="btree_not_null",
        help="The earliest deadline still to be met.",
    )
    is_overdue = fields.Boolean(
        string="Overdue",
        compute="_compute_deadline_status",
        search="_search_is_overdue",
    )
    deadline_status = fields.Selection(
        DEADLINE_STATUS, compute="_compute_deadline_status"
    )
    escalation_level = fields.Integer(readonly=True, copy=False, tracking=True)
    date_escalated = fields.Datetime(
        string="Last Escalation", readonly=True, copy=False
    )
    escalated_deadline = fields.Datetime(readonly=True, copy=False)
    date_next_escalation = fields.Datetime(
        string="Next Escalation",
        compute="_compute_date_next_escalation",
        store=True,
        index="btree_not_null",
        copy=False,
    )
    date_last_followup = fields.Datetime(
        string="Last Follow-up", readonly=True, copy=False
    )
    date_next_followup = fields.Datetime(
        string="Next Follow-up",
        compute="_compute_date_next_followup",
        store=True,
        index="btree_not_null",
        copy=False,
    )
    delay_responsible_id = fields.Many2one(
        "res.users",
        readonly=True,
        copy=False,
        tracking=True,
        help="Who held the complaint when its resolution deadline passed.",
    )

    # Workflow guard ---------------------------------------------------------
    @api.model
    def _workflow_guarded_fields(self):
        return super()._workflow_guarded_fields() | {
            "date_replied",
            "date_decided",
            "escalation_level",
            "date_escalated",
            "escalated_deadline",
            "date_last_followup",
            "delay_responsible_id",
        }

    @api.model
    def _workflow_editable_fields(self):
        editable = super()._workflow_editable_fields()
        editable["new"] = editable["new"] | {"policy_id", "date_promised_reply"}
        for state in ("investigating", "proposed", "approved"):
            editable[state] = editable[state] | {"date_promised_reply"}
        return editable

    def _unlink_blockers(self):
        blockers = super()._unlink_blockers()
        if self.sudo().extension_ids:
            blockers.append(self.env._("extension requests"))
        return blockers

    def _reopen_values(self):
        return dict(
            super()._reopen_values(),
            escalated_deadline=False,
            escalation_level=0,
            delay_responsible_id=False,
        )

    def _after_transition(self, action):
        res = super()._after_transition(action)
        if action == "resolve":
            self._stamp_delay_responsible()
        if action == "accept":
            self._stamp_decided()
        if action in ("accept", "resolve"):
            # A deadline was met: the ladder starts again for the next one.
            self._reset_escalation()
        return res

    def _after_handler_change(self, old_handlers):
        res = super()._after_handler_change(old_handlers)
        self._stamp_decided()
        return res

    def _stamp_decided(self):
        """Handling decided (决定处理方式和责任人): accepted with a handler."""
        todo = self.filtered(
            lambda rec: (
                not rec.date_decided
                and rec.user_id
                and rec.date_acknowledged
                and rec.state in lifecycle.OPEN_STATES
            )
        )
        if todo:
            todo.sudo().write({"date_decided": fields.Datetime.now()})

    def _after_feedback(self):
        res = super()._after_feedback()
        self._reset_escalation()
        return res

    # Computes -------------------------------------------------------------
    @api.depends(
        "category_id",
        "severity",
        "channel",
        "company_id",
        "partner_id.country_id",
        "company_id.country_id",
    )
    def _compute_policy_id(self):
        facts = {rec: rec._policy_facts() for rec in self}
        matched = self.env["complaint.policy"].sudo()._match(facts)
        for rec in self:
            rec.policy_id = matched[rec].sudo(False)

    def _policy_facts(self):
        return {
            "company_id": self.company_id.id,
            "category_id": self.category_id.id,
            "severity": self.severity,
            "channel": self.channel,
            "scope": policy_core.scope_of(
                self.partner_id.commercial_partner_id.country_id.id,
                self.company_id.country_id.id,
            ),
        }

    @api.depends("extension_ids.state", "extension_ids.days")
    def _compute_extension_days(self):
        for rec in self:
            rec.extension_days = sum(
                rec.extension_ids.filtered(lambda e: e.state == "approved").mapped(
                    "days"
                )
            )

    @api.depends(
        "date_received",
        "date_acknowledged",
        "date_resolved",
        "policy_id",
        "extension_days",
        "company_id",
        "state",
    )
    def _compute_deadlines(self):
        calendars = {}
        for rec in self:
            pol = rec.policy_id.sudo()
            if not rec.date_received or not pol:
                rec.date_ack_deadline = rec.date_decision_deadline = False
                rec.date_resolve_deadline = rec.date_visit_deadline = False
                continue
            tz = rec._deadline_tz()
            calendar = pol.resource_calendar_id or rec.company_id.resource_calendar_id
            key = (calendar.id, tz.zone)
            if key not in calendars:
                calendars[key] = self._work_time(calendar, tz)
            schedule, holidays = calendars[key]

            rec.update(rec._deadline_values(pol, schedule, holidays, tz))

    def _deadline_values(self, pol, schedule, holidays, tz):
        """Deadlines of the complaint under policy ``pol`` (UTC values)."""

        def local(value):
            return self._to_local(value, tz)

        def utc(value):
            return self._to_utc(value, tz)

        received = local(self.date_received)
        acknowledged = local(self.date_acknowledged or self.date_received)
        if pol.ack_working_days:
            ack = deadlines.add_working_days(
                received, pol.ack_working_days, schedule, holidays
            )
        else:
            ack = deadlines.add_hours(received, pol.ack_hours)
        start = acknowledged if pol.resolve_from == "acknowledged" else received
        if pol.resolve_day_type == "calendar":
            resolve = deadlines.add_calendar_days(start, pol.resolve_days)
        else:
            resolve = deadlines.add_working_days(
                start, pol.resolve_days, schedule, holidays
            )
        if self.extension_days:
            resolve = deadlines.add_working_days(
                resolve, self.extension_days, schedule, holidays
            )
        visit = self.date_resolved and deadlines.add_working_days(
            local(self.date_resolved), pol.visit_days, schedule, holidays
        )
        decision = pol.decision_days and deadlines.add_calendar_days(
            acknowledged, pol.decision_days
        )
        return {
            "date_ack_deadline": utc(ack),
            "date_decision_deadline": decision and utc(decision),
            "date_resolve_deadline": utc(resolve),
            "date_visit_deadline": visit and utc(visit),
        }

    @api.depends(
        "date_acknowledged",
        "date_ack_deadline",
        "date_resolved",
        "date_resolve_deadline",
        "date_feedback",
        "date_visit_deadline",
    )
    def _compute_on_time(self):
        for rec in self:
            rec.ack_on_time = bool(
                rec.date_acknowledged
                and rec.date_ack_deadline
                and rec.date_acknowledged <= rec.date_ack_deadline
            )
            rec.resolve_on_time = bool(
                rec.date_resolved
                and rec.date_resolve_deadline
                and rec.date_resolved <= rec.date_resolve_deadline
            )
            rec.visit_on_time = bool(
                rec.date_feedback
                and rec.date_visit_deadline
                and rec.date_feedback <= rec.date_visit_deadline
            )

    @api.depends(
        "state",
        "date_acknowledged",
        "date_ack_deadline",
        "date_decided",
        "date_decision_deadline",
        "date_resolve_deadline",
        "date_promised_reply",
        "date_replied",
        "date_feedback",
        "date_visit_deadline",
    )
    def _compute_next_deadline(self):
        for rec in self:
            due = []
            if rec.state in lifecycle.OPEN_STATES:
                if not rec.date_acknowledged:
                    due.append(rec.date_ack_deadline)
                if not rec.date_decided:
                    due.append(rec.date_decision_deadline)
                if not rec.date_replied:
                    due.append(rec.date_promised_reply)
                due.append(rec.date_resolve_deadline)
            elif rec.state == "resolved" and not rec.date_feedback:
                due.append(rec.date_visit_deadline)
            due = [value for value in due if value]
            rec.next_deadline = min(due) if due else False

    @api.depends("next_deadline")
    def _compute_deadline_status(self):
        now = fields.Datetime.now()
        soon = now + timedelta(hours=DUE_SOON_HOURS)
        for rec in self:
            pending = rec.next_deadline
            rec.is_overdue = bool(pending and pending < now)
            if not pending:
                rec.deadline_status = "done"
            elif pending < now:
                rec.deadline_status = "overdue"
            elif pending < soon:
                rec.deadline_status = "due_soon"
            else:
                rec.deadline_status = "on_time"

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(operator)
        overdue = [("next_deadline", "<", fields.Datetime.now())]
        if (operator == "=") == value:
            return overdue
        return [
            "|",
            ("next_deadline", "=", False),
            ("next_deadline", ">=", overdue[0][2]),
        ]

    @api.depends(
        "next_deadline",
        "escalation_level",
        "escalated_deadline",
        "date_escalated",
        "severity",
        "policy_id.escalation_interval_hours",
    )
    def _compute_date_next_escalation(self):
        for rec in self:
            level = rec._current_escalation_level()
            at = escalation.next_escalation_at(
                level,
                rec.severity,
                rec.next_deadline or None,
                rec.date_escalated if level else None,
                rec.policy_id.sudo().escalation_interval_hours or 24.0,
            )
            rec.date_next_escalation = at or False

    @api.depends(
        "state", "date_received", "date_last_followup", "policy_id.followup_days"
    )
    def _compute_date_next_followup(self):
        for rec in self:
            days = rec.policy_id.sudo().followup_days
            if (
                rec.state not in lifecycle.OPEN_STATES
                or not days
                or not rec.date_received
            ):
                rec.date_next_followup = False
                continue
            base = rec.date_last_followup or rec.date_received
            rec.date_next_followup = base + timedelta(days=days)

    # Actions --------------------------------------------------------------
    def action_record_reply(self):
        """The customer was answered (within the promised reply time)."""
        for rec in self:
            rec._check_transition_rights_for_reply()
        self.sudo().write({"date_replied": fields.Datetime.now()})
        self._reset_escalation()
        return True

    def action_request_extension(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Request Extension"),
            "res_model": "complaint.extension",
            "view_mode": "form",
            "target": "new",
            "context": {"default_complaint_id": self.id},
        }

    # Business methods -----------------------------------------------------
    def _check_transition_rights_for_reply(self):
        if not self._is_handler():
            raise AccessError(
                self.env._(
                    "Only the handler of complaint %(ref)s may record the reply.",
                    ref=self.name,
                )
            )

    def _current_escalation_level(self):
        """Escalation level for the deadline now pending: a newly missed
        deadline starts the ladder again."""
        self.ensure_one()
        if self.escalated_deadline and self.escalated_deadline == self.next_deadline:
            return self.escalation_level
        return 0

    def _reset_escalation(self):
        """A deadline was met or moved: the ladder starts again for the next."""
        self.sudo().write({"escalation_level": 0, "escalated_deadline": False})

    def _work_time(self, calendar, tz):
        """``(schedule, holidays)`` of ``calendar`` in local time for the core."""
        schedule = {}
        for att in calendar.sudo().attendance_ids:
            if att.display_type or att.day_period == "lunch":
                continue
            schedule.setdefault(int(att.dayofweek), []).append(
                (att.hour_from, att.hour_to)
            )
        start = fields.Datetime.now() - timedelta(days=HOLIDAY_HORIZON_DAYS)
        stop = fields.Datetime.now() + timedelta(days=HOLIDAY_HORIZON_DAYS)
        received = self.mapped("date_received")
        if received:
            start = min(start, min(received) - timedelta(days=1))
            stop = max(stop, max(received) + timedelta(days=HOLIDAY_HORIZON_DAYS))
        leaves = (
            self.env["resource.calendar.leaves"]
            .sudo()
            .search(
                [
                    ("resource_id", "=", False),
                    ("calendar_id", "in", [calendar.id, False]),
                    ("date_to", ">=", start),
                    ("date_from", "<=", stop),
                ]
            )
        )
        holidays = [
            (self._to_local(leave.date_from, tz), self._to_local(leave.date_to, tz))
            for leave in leaves
        ]
        return schedule or deadlines.STANDARD_SCHEDULE, holidays

    def _deadline_tz(self):
        return self._company_tz(self.company_id)

    def _holder_at(self, when):
        """The handler at ``when``, read back from the chatter's tracking."""
        self.ensure_one()
        changes = (
            self.env["mail.tracking.value"]
            .sudo()
            .search(
                [
                    ("mail_message_id.model", "=", self._name),
                    ("mail_message_id.res_id", "=", self.id),
                    ("field_id.name", "=", "user_id"),
                ],
                order="id",
            )
        )
        before = changes.filtered(lambda c: c.mail_message_id.date <= when)
        if before:
            return self.env["res.users"].browse(before[-1].new_value_integer)
        after = changes - before
        if after:
            return self.env["res.users"].browse(after[0].old_value_integer)
        return self.user_id

    def _stamp_delay_responsible(self):
        """Resolved late: keep who held the complaint when the deadline passed."""
        for rec in self:
            if rec.delay_responsible_id or not rec.date_resolve_deadline:
                continue
            if rec.date_resolved and rec.date_resolved > rec.date_resolve_deadline:
                holder = rec._holder_at(rec.date_resolve_deadline)
                rec.sudo().delay_responsible_id = holder or rec.first_responder_id

    # Scheduled actions ----------------------------------------------------
    @api.model
    def _cron_escalate_overdue(self, batch_size=SWEEP_BATCH):
        """Escalate overdue complaints one level, one batch per call.

        Only the indexed ``date_next_escalation`` is searched: complaints that
        are not overdue cost nothing. After an escalation the next one is an
        interval away, so a second run finds nothing and sends nothing.
        """
        batch_size = max(int(batch_size), 1)
        now = fields.Datetime.now()
        domain = [("date_next_escalation", "<=", now)]
        complaints = self.search(
            domain, limit=batch_size, order="date_next_escalation, id"
        )
        for complaint in complaints:
            complaint._escalate(now)
        remaining = self.search_count(domain) if len(complaints) == batch_size else 0
        self.env["ir.cron"]._notify_progress(done=len(complaints), remaining=remaining)
        return len(complaints)

    def _escalate(self, now):
        self.ensure_one()
        level = escalation.next_level(self._current_escalation_level(), self.severity)
        if level is None:
            return
        vals = {
            "escalation_level": level,
            "date_escalated": now,
            "escalated_deadline": self.next_deadline,
        }
        if (
            self.next_deadline == self.date_resolve_deadline
            and not self.delay_responsible_id
        ):
            vals["delay_responsible_id"] = (self.user_id or self.first_responder_id).id
        targets = self._escalation_targets(level)
        self.sudo().write(vals)
        summary = self.env._(
            "Overdue complaint %(ref)s escalated to level %(level)s",
            ref=self.name,
            level=level,
        )
        for user in targets:
            self.activity_schedule(
                "complaint_center.mail_activity_type_complaint_escalation",
                summary=summary,
                user_id=user.id,
                date_deadline=fields.Date.context_today(self),
            )
        self.message_post(
            body=self.env._(
                "%(summary)s: the deadline of %(deadline)s was missed. "
                "Notified: %(people)s.",
                summary=summary,
                deadline=format_datetime(self.env, self.escalated_deadline),
                people=", ".join(targets.mapped("name")) or "-",
            ),
            partner_ids=targets.partner_id.ids,
            subtype_xmlid="mail.mt_note",
        )

    def _escalation_targets(self, level):
        """Users told at ``level``: 1 handler and department head, 2 the
        center director, 3 the executive."""
        self.ensure_one()
        if level == 1:
            users = (self.user_id or self.first_responder_id) | (
                self.department_id.sudo().manager_id.user_id
            )
        else:
            role = "director" if level == 2 else "executive"
            users = self.company_id._complaint_people(role)
        return users.filtered(lambda u: u.active and not u.share)

    @api.model
    def _cron_schedule_followups(self, batch_size=SWEEP_BATCH):
        """Every policy interval (每三天跟进), a follow-up activity for the
        handler of each open complaint."""
        batch_size = max(int(batch_size), 1)
        now = fields.Datetime.now()
        domain = [("date_next_followup", "<=", now)]
        complaints = self.search(
            domain, limit=batch_size, order="date_next_followup, id"
        )
        for complaint in complaints:
            complaint.activity_schedule(
                "complaint_center.mail_activity_type_complaint_followup",
                user_id=(complaint.user_id or complaint.first_responder_id).id,
                date_deadline=fields.Date.context_today(complaint),
            )
        complaints.sudo().write({"date_last_followup": now})
        remaining = self.search_count(domain) if len(complaints) == batch_size else 0
        self.env["ir.cron"]._notify_progress(done=len(complaints), remaining=remaining)
        return len(complaints)
