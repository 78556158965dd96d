"""Deadlines of a complaint (处理时效管制): the policy, the stage deadlines
computed from the working calendar, the facts they are met by, the reply
promised to the customer, and extensions.

A deadline is computed once, when its clock starts, from the policy and the
working calendar (``resource.calendar``: attendances, two-week weeks,
public holidays as calendar leaves, in the calendar's time zone) in force
then, and stored: later changes of settings never shift it. A complaint
manager recomputes them on purpose (``action_recompute_deadlines``, tracked);
the intake correction does too. The arithmetic is ``core/deadlines.py``.
Escalation of missed deadlines is ``complaint_complaint_escalation.py``.
"""

from collections import defaultdict
from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..core import deadlines, lifecycle
from ..core import policy as policy_core
from .complaint_complaint import HANDLE_ACTIVITY

DEADLINE_STATUS = [
    ("on_time", "On Time"),
    ("due_soon", "Due Soon"),
    ("overdue", "Overdue"),
    ("done", "Done"),
]
DUE_SOON_HOURS = 24
# Stage of the core -> stored deadline.
STAGE_FIELDS = {
    "ack": "date_ack_deadline",
    "decision": "date_decision_deadline",
    "resolve": "date_resolve_deadline",
    "visit": "date_visit_deadline",
}
MANAGER = "complaint_center.group_complaint_manager"


class ComplaintComplaint(models.Model):
    _name = "complaint.complaint"
    _inherit = ["complaint.complaint", "complaint.working.time.mixin"]

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
        readonly=True,
        copy=False,
        index="btree_not_null",
        tracking=True,
    )
    date_decided = fields.Datetime(string="Decided On", copy=False, readonly=True)
    date_ack_deadline = fields.Datetime(
        string="Acknowledge By",
        readonly=True,
        copy=False,
        index="btree_not_null",
        tracking=True,
    )
    date_resolve_deadline = fields.Datetime(
        string="Resolve By",
        readonly=True,
        copy=False,
        index="btree_not_null",
        tracking=True,
    )
    date_visit_deadline = fields.Datetime(
        string="Return Visit By",
        readonly=True,
        copy=False,
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

    # Workflow guard ---------------------------------------------------------
    @api.model
    def _workflow_guarded_fields(self):
        return super()._workflow_guarded_fields() | {
            "date_replied",
            "date_decided",
            *STAGE_FIELDS.values(),
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

    # Hooks of the base and the lifecycle ------------------------------------
    def _after_create(self):
        # Before super(): the handler's to-do is due with the resolution.
        # Part of the creation: no tracking message for the first deadlines.
        self.with_context(mail_notrack=True)._set_deadlines()
        return super()._after_create()

    def _write_watched(self):
        return super()._write_watched() | {"policy_id"}

    def _after_write(self, vals, before):
        res = super()._after_write(vals, before)
        # Deadlines derive from the policy, whatever changed it (category,
        # severity, a safety flag, a raise by nature, a manager's choice):
        # the clocks still running are counted again on the new one.
        moved = self.filtered(
            lambda rec: (
                rec.policy_id != before[rec]["policy_id"]
                and rec.state in lifecycle.OPEN_STATES
            )
        )
        if {"date_received", "company_id"} & set(vals):
            moved |= self.filtered(lambda rec: rec.state == "new")
        for stages, recs in moved.grouped(lambda rec: rec._running_stages()).items():
            recs._set_deadlines(stages)
            recs._deadlines_changed()
        return res

    def _running_stages(self):
        """The stages whose clock has not stopped yet, as a tuple."""
        self.ensure_one()
        met = {
            "ack": self.date_acknowledged,
            "decision": self.date_decided,
            "resolve": self.date_resolved,
            "visit": self.date_feedback,
        }
        return tuple(stage for stage in STAGE_FIELDS if not met[stage])

    def _move_handler_activities(self):
        """The handler's to-do is due with the resolution: wherever the
        resolution deadline is set or moved, its date follows (one search
        for a whole batch)."""
        if not self:
            return
        todos = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("activity_type_id", "=", self.env.ref(HANDLE_ACTIVITY).id),
                ]
            )
        )
        for todo in todos:
            due = self.browse(todo.res_id)._handler_activity_date()
            if todo.date_deadline != due:
                todo.date_deadline = due

    def _after_step(self, step):
        res = super()._after_step(step)
        if step == "accept":
            # The clocks that start at acknowledgement start now.
            self._set_deadlines(("decision", "resolve"), started="acknowledged")
            self._stamp_decided()
        elif step == "resolve":
            self._set_deadlines(("visit",))
        elif step in ("review", "reopen"):
            self.sudo().write({"date_visit_deadline": False})
        if step in ("accept", "resolve"):
            self._deadlines_changed()
        return res

    def _after_handler_change(self, old_handlers):
        res = super()._after_handler_change(old_handlers)
        self._stamp_decided()
        return res

    def _after_feedback(self):
        res = super()._after_feedback()
        self._deadlines_changed()
        return res

    def _handler_activity_date(self):
        if self.date_resolve_deadline:
            return self.date_resolve_deadline.date()
        return super()._handler_activity_date()

    def _deadlines_changed(self):
        """Hook: a deadline was met, moved or set (escalation starts again)."""

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

    # Actions --------------------------------------------------------------
    def action_record_reply(self):
        """The customer was answered (within the promised reply time)."""
        for rec in self:
            rec._check_transition_rights_for_reply()
        self.sudo().write({"date_replied": fields.Datetime.now()})
        self._deadlines_changed()
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

    def action_recompute_deadlines(self):
        """A complaint manager recomputes every deadline from the policy and
        the working calendar as they are now (e.g. after a holiday was
        entered late); the chatter tracks each change."""
        if not self.env.user.has_group(MANAGER):
            raise AccessError(
                self.env._("Only a complaint manager recomputes deadlines.")
            )
        self._set_deadlines()
        for rec in self:
            rec.message_post(
                body=self.env._(
                    "Deadlines recomputed by %(user)s from policy %(policy)s.",
                    user=self.env.user.name,
                    policy=rec.policy_id.sudo().name or "-",
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    # Checks ---------------------------------------------------------------
    def _check_transition_rights_for_reply(self):
        if not self._is_handler():
            raise AccessError(
                self.env._(
                    "Only the handler of complaint %(ref)s may record the reply.",
                    ref=self.name,
                )
            )

    # Deadline computation ---------------------------------------------------
    def _set_deadlines(self, stages=None, started=None):
        """Compute and store ``stages`` (default: all) of each complaint from
        its policy and working calendar in force now. ``started``: the clock
        that starts now (``acknowledged``): a resolution counted from
        receipt keeps its deadline then."""
        stages = tuple(stages or STAGE_FIELDS)
        cleared = {STAGE_FIELDS[stage]: False for stage in stages}
        todo = self.filtered(lambda rec: rec.policy_id and rec.date_received)
        (self - todo).sudo().write(cleared)
        groups = defaultdict(lambda: self.browse())
        moved = self.browse()
        for rec in todo:
            groups[rec._deadline_calendar()] |= rec
        for calendar, recs in groups.items():
            computed = recs._stage_deadlines(calendar)
            for rec in recs:
                wanted = stages
                policy = rec.policy_id.sudo()
                if started == "acknowledged" and policy.resolve_from != "acknowledged":
                    wanted = tuple(stage for stage in stages if stage != "resolve")
                vals = {
                    STAGE_FIELDS[stage]: computed[rec][stage] or False
                    for stage in wanted
                }
                if any(rec[name] != value for name, value in vals.items()):
                    rec.sudo().write(vals)
                    if "date_resolve_deadline" in vals:
                        moved |= rec
        moved._move_handler_activities()

    def _deadline_calendar(self):
        self.ensure_one()
        calendar = (
            self.policy_id.sudo().resource_calendar_id
            or self.company_id.sudo().resource_calendar_id
        )
        if not calendar:
            raise UserError(
                self.env._(
                    "Company %(company)s has no working calendar: set one in "
                    "Settings to count the deadlines of complaint %(ref)s.",
                    company=self.company_id.name,
                    ref=self.name,
                )
            )
        return calendar

    def _deadline_policy(self):
        """The complaint's policy as the plain dict the core reads."""
        policy = self.policy_id.sudo()
        return {
            "ack_hours": policy.ack_hours,
            "ack_working_days": policy.ack_working_days,
            "decision_days": policy.decision_days,
            "resolve_days": policy.resolve_days,
            "resolve_day_type": policy.resolve_day_type,
            "resolve_from": policy.resolve_from,
            "visit_days": policy.visit_days,
        }

    def _stage_deadlines(self, calendar):
        """``{complaint: {stage: UTC deadline or None}}`` for complaints
        counted on ``calendar``: one read of its working time for them all."""
        tz = pytz.timezone(calendar.tz or "UTC")

        def local(value):
            return value and self._to_local(value, tz)

        facts = {
            rec: {
                "policy": rec._deadline_policy(),
                "received": local(rec.date_received),
                "acknowledged": local(rec.date_acknowledged),
                "resolved": local(rec.date_resolved),
                "extension_days": rec.extension_days,
            }
            for rec in self
        }

        def compute(intervals):
            return {
                rec: deadlines.stage_deadlines(intervals=intervals, **kwargs)
                for rec, kwargs in facts.items()
            }

        starts = [
            value
            for kwargs in facts.values()
            for value in (
                kwargs["received"],
                kwargs["acknowledged"],
                kwargs["resolved"],
            )
            if value
        ]
        results = self._with_working_time(calendar, tz, starts, compute)
        return {
            rec: {
                stage: value and self._to_utc(value, tz)
                for stage, value in result.items()
            }
            for rec, result in results.items()
        }

    def _extend_resolve_deadline(self, days):
        """Move the resolution deadline by ``days`` working days (an approved
        extension), on the calendar in force now."""
        self.ensure_one()
        if not self.date_resolve_deadline:
            return
        calendar = self._deadline_calendar()
        tz = pytz.timezone(calendar.tz or "UTC")
        start = self._to_local(self.date_resolve_deadline, tz)
        moved = self._with_working_time(
            calendar,
            tz,
            [start],
            lambda intervals: deadlines.add_working_days(start, days, intervals),
        )
        self.sudo().write({"date_resolve_deadline": self._to_utc(moved, tz)})
        self._move_handler_activities()
        self._deadlines_changed()
