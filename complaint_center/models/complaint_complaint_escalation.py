"""Overdue complaints climb the escalation ladder (逾期反映, 逐级上报): the
handler and department head, the center director, the general manager (major
cases start at the director), one level per interval; open complaints get a
follow-up every few days (每三天跟进); whoever held a complaint when its
resolution deadline passed is recorded for the delay penalty. The ladder is
``core/escalation.py``; the sweeps are scheduled actions (data/ir_cron_data.xml)."""

from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import format_datetime

from ..core import escalation, lifecycle

SWEEP_BATCH = 200
ESCALATION_ACTIVITY = "complaint_center.mail_activity_type_complaint_escalation"
FOLLOWUP_ACTIVITY = "complaint_center.mail_activity_type_complaint_followup"


class ComplaintComplaint(models.Model):
    _inherit = "complaint.complaint"

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

    @api.model
    def _workflow_guarded_fields(self):
        return super()._workflow_guarded_fields() | {
            "escalation_level",
            "date_escalated",
            "escalated_deadline",
            "date_last_followup",
            "delay_responsible_id",
        }

    def _reopen_values(self):
        return dict(
            super()._reopen_values(),
            escalated_deadline=False,
            escalation_level=0,
            delay_responsible_id=False,
        )

    def _after_step(self, step):
        res = super()._after_step(step)
        if step == "resolve":
            self._stamp_delay_responsible()
            # Open complaints are followed up; a resolved one is visited.
            self.sudo().activity_feedback([FOLLOWUP_ACTIVITY])
        return res

    def _deadlines_changed(self):
        res = super()._deadlines_changed()
        self._reset_escalation()
        return res

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

    def _current_escalation_level(self):
        """Escalation level for the deadline now pending: a newly missed
        deadline starts the ladder again."""
        self.ensure_one()
        if self.escalated_deadline and self.escalated_deadline == self.next_deadline:
            return self.escalation_level
        return 0

    def _reset_escalation(self):
        """A deadline was met or moved: the ladder starts again for the next,
        and the escalations of the missed one are answered (for everyone)."""
        self.sudo().write({"escalation_level": 0, "escalated_deadline": False})
        self.sudo().activity_feedback([ESCALATION_ACTIVITY])

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
        summary = self._escalation_summary(level)
        for user in targets:
            # Each in the language of whom it is for (the sweep runs as root).
            self.activity_schedule(
                ESCALATION_ACTIVITY,
                summary=self.with_context(lang=user.lang)._escalation_summary(level),
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

    def _escalation_summary(self, level):
        return self.env._(
            "Overdue complaint %(ref)s escalated to level %(level)s",
            ref=self.name,
            level=level,
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
            user = complaint.user_id or complaint.first_responder_id
            complaint.activity_schedule(
                FOLLOWUP_ACTIVITY,
                summary=complaint._activity_summary(FOLLOWUP_ACTIVITY, user),
                user_id=user.id,
                date_deadline=fields.Date.context_today(complaint),
            )
        complaints.sudo().write({"date_last_followup": now})
        remaining = self.search_count(domain) if len(complaints) == batch_size else 0
        self.env["ir.cron"]._notify_progress(done=len(complaints), remaining=remaining)
        return len(complaints)
