"""Overdue complaints climb the escalation ladder (逾期反映, 逐级上报): the
handler and department head, the center director, the general manager (major
cases start at the director), one level per interval; open complaints get a
follow-up every few days (每三天跟进); whoever held a complaint when its
resolution deadline passed is recorded for the delay penalty. The ladder is
``core/escalation.py``; the sweeps are scheduled actions (data/ir_cron_data.xml)."""

from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL, format_datetime

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
    def _claim_due(self, fname, now, batch_size):
        """Up to ``batch_size`` complaints whose ``fname`` is due, oldest
        first, locked for this transaction. Rows another transaction holds
        (a user saving, the other server's sweep) are skipped, never waited
        for nor done twice: they are taken by the next run."""
        self.flush_model([fname, "active"])
        self.env.cr.execute(
            SQL(
                "SELECT id FROM complaint_complaint"
                " WHERE %(field)s <= %(now)s AND active"
                " ORDER BY %(field)s, id LIMIT %(limit)s"
                " FOR NO KEY UPDATE SKIP LOCKED",
                field=SQL.identifier(fname),
                now=now,
                limit=max(int(batch_size), 1),
            )
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    @api.model
    def _count_due(self, fname, now):
        self.flush_model([fname, "active"])
        self.env.cr.execute(
            SQL(
                "SELECT count(*) FROM complaint_complaint"
                " WHERE %(field)s <= %(now)s AND active",
                field=SQL.identifier(fname),
                now=now,
            )
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _cron_escalate_overdue(self, batch_size=SWEEP_BATCH):
        """Escalate overdue complaints one level, one batch per call.

        Only the indexed ``date_next_escalation`` is searched: complaints that
        are not overdue cost nothing. After an escalation the next one is an
        interval away, so a second run finds nothing and sends nothing. The
        cost of a batch does not grow with its size: one write, one insert
        of activities, one of notes, one mail per person told.
        """
        now = fields.Datetime.now()
        complaints = self._claim_due("date_next_escalation", now, batch_size)
        complaints._escalate(now)
        remaining = (
            self._count_due("date_next_escalation", now)
            if len(complaints) == max(int(batch_size), 1)
            else 0
        )
        self.env["ir.cron"]._notify_progress(done=len(complaints), remaining=remaining)
        return len(complaints)

    def _escalate(self, now):
        """Escalate each of ``self`` one level (as superuser: the sweep)."""
        levels = {}
        for rec in self:
            level = escalation.next_level(rec._current_escalation_level(), rec.severity)
            if level is not None:
                levels[rec] = level
        if not levels:
            return
        targets = {rec: rec._escalation_targets(level) for rec, level in levels.items()}
        for rec, level in levels.items():
            vals = {
                "escalation_level": level,
                "date_escalated": now,
                "escalated_deadline": rec.next_deadline,
            }
            if (
                rec.next_deadline == rec.date_resolve_deadline
                and not rec.delay_responsible_id
            ):
                vals["delay_responsible_id"] = (
                    rec.user_id or rec.first_responder_id
                ).id
            # The note below records the level; tracking would add a message
            # per complaint. Written in the cache, flushed as one UPDATE.
            rec.sudo().with_context(mail_notrack=True).write(vals)
        users = self.env["res.users"].union(*targets.values())
        summaries = {
            lang: {
                rec: rec.with_context(lang=lang)._escalation_summary(level)
                for rec, level in levels.items()
            }
            for lang in set(users.mapped("lang"))
        }
        self._schedule_activities(
            ESCALATION_ACTIVITY,
            [
                (rec, user, fields.Date.context_today(rec), summaries[user.lang][rec])
                for rec in levels
                for user in targets[rec]
            ],
        )
        bodies = {
            rec.id: self.env._(
                "%(summary)s: the deadline of %(deadline)s was missed. "
                "Notified: %(people)s.",
                summary=rec._escalation_summary(level),
                deadline=format_datetime(self.env, rec.escalated_deadline),
                people=", ".join(targets[rec].mapped("name")) or "-",
            )
            for rec, level in levels.items()
        }
        self.browse([rec.id for rec in levels])._message_log_batch(
            bodies=bodies, author_id=self.env.ref("base.partner_root").id
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
        now = fields.Datetime.now()
        complaints = self._claim_due("date_next_followup", now, batch_size)
        users = complaints.mapped(lambda rec: rec.user_id or rec.first_responder_id)
        summaries = self._activity_summaries(FOLLOWUP_ACTIVITY, users)
        plan = []
        for rec in complaints:
            user = rec.user_id or rec.first_responder_id
            plan.append(
                (rec, user, fields.Date.context_today(rec), summaries.get(user))
            )
        self._schedule_activities(FOLLOWUP_ACTIVITY, plan)
        complaints.sudo().write({"date_last_followup": now})
        remaining = (
            self._count_due("date_next_followup", now)
            if len(complaints) == max(int(batch_size), 1)
            else 0
        )
        self.env["ir.cron"]._notify_progress(done=len(complaints), remaining=remaining)
        return len(complaints)
