import pytz
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, format_datetime

from ..core import deadlines
from ..core.lifecycle import OPEN_STATES

HANDOVER_KINDS = [
    ("handle", "Handover"),
    ("support", "Support"),
]

HANDOVER_STATES = [
    ("open", "Open"),
    ("done", "Done"),
]

# The unit (or the case's handler, or a manager) answers; the model says who.
HANDOVER_TRANSITIONS = {"done": {"open": ("done", ())}}

# Written only by the server: at the handover, the answer and the sweep.
WORKFLOW_FIELDS = {
    "state",
    "handed_by_id",
    "date_start",
    "limit_days",
    "date_deadline",
    "date_done",
    "date_escalated",
    "unit_activity_ids",
}
# What the case's handler (or a manager) may still change while it is open;
# the unit itself writes its answer only.
HANDLER_FIELDS = {"user_id", "note", "result"}
UNIT_FIELDS = {"result"}

# A complaint is handed over once accepted and until it is resolved.
HANDOVER_COMPLAINT_STATES = ("investigating", "proposed", "approved")

HANDLE_ACTIVITY = "complaint_center.mail_activity_type_complaint_handle"
ESCALATION_ACTIVITY = "complaint_center.mail_activity_type_complaint_escalation"

SWEEP_BATCH = 200


class ComplaintHandover(models.Model):
    """A complaint handed over to a unit (移交单位, 各单位处理期限, 001 篇八),
    or a department or person asked for support on it (协办部门: legal, HR,
    quality, 003). The unit has its own deadline from the complaint's
    policy, reads the complaint (never writes it) and writes its answer;
    a handover still open past its deadline is escalated to the unit's
    head by the sweep."""

    _name = "complaint.handover"
    _description = "Complaint Handover"
    _inherit = ["complaint.workflow.mixin"]
    _workflow_fields = WORKFLOW_FIELDS
    _workflow_transitions = HANDOVER_TRANSITIONS
    _order = "date_start desc, id desc"
    _check_company_auto = True

    complaint_id = fields.Many2one(
        "complaint.complaint",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="complaint_id.company_id", store=True, index=True
    )
    kind = fields.Selection(
        HANDOVER_KINDS,
        required=True,
        default="handle",
        help="Handover: the unit handles its part of the case (移交单位). "
        "Support: the department or person is asked for an opinion (协办部门: "
        "legal, HR, quality) and reads the case only.",
    )
    department_id = fields.Many2one(
        "hr.department",
        string="Unit",
        index=True,
        check_company=True,
        help="Its members read the complaint and answer the handover.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Person",
        index=True,
        domain="[('share', '=', False)]",
        help="Optional: the person of the unit who answers.",
    )
    handed_by_id = fields.Many2one("res.users", string="Handed Over By", readonly=True)
    date_start = fields.Datetime(string="Handed Over On", readonly=True)
    limit_days = fields.Integer(
        string="Handling Limit (Days)",
        readonly=True,
        help="The unit's limit in the complaint's policy when it was handed "
        "over; 0: none, the complaint's own resolution deadline applies.",
    )
    date_deadline = fields.Datetime(string="Handling Deadline", readonly=True)
    date_done = fields.Datetime(string="Answered On", readonly=True)
    date_escalated = fields.Datetime(readonly=True, copy=False)
    is_late = fields.Boolean(
        string="Late",
        compute="_compute_is_late",
        store=True,
        help="Answered after its deadline, or still open past it (set by the "
        "escalation sweep).",
    )
    note = fields.Text(string="Request", help="What the unit is asked to do.")
    result = fields.Text(string="Answer", help="The unit's answer or result.")
    state = fields.Selection(
        HANDOVER_STATES, required=True, default="open", readonly=True, index=True
    )
    unit_activity_ids = fields.Many2many(
        "mail.activity", string="Unit Activities", readonly=True, copy=False
    )
    can_done = fields.Boolean(compute="_compute_can_done")

    @api.depends("complaint_id.name", "department_id.name", "user_id.name")
    def _compute_display_name(self):
        for rec in self:
            unit = rec.department_id.sudo().name or rec.user_id.sudo().name or ""
            rec.display_name = f"{rec.complaint_id.sudo().name or ''} → {unit}"

    @api.depends("state", "date_done", "date_deadline", "date_escalated")
    def _compute_is_late(self):
        # Open: late once the sweep found it past its deadline (stored, so
        # never read from the clock at whatever time it is recomputed).
        for rec in self:
            if rec.state == "done":
                rec.is_late = bool(
                    rec.date_deadline
                    and rec.date_done
                    and rec.date_done > rec.date_deadline
                )
            else:
                rec.is_late = bool(rec.date_escalated)

    @api.depends("state", "user_id", "department_id")
    @api.depends_context("uid")
    def _compute_can_done(self):
        # Offered before the answer is saved: the step then asks for it.
        readable = self._filtered_access("read")
        for rec in self:
            rec.can_done = bool(
                rec in readable and rec.state == "open" and rec._may_answer()
            )

    # Constraints ------------------------------------------------------------
    @api.constrains("kind", "department_id", "user_id", "complaint_id")
    def _check_unit(self):
        group = "complaint_center.group_complaint_user"
        for rec in self:
            if rec.kind == "handle" and not rec.department_id:
                raise ValidationError(
                    self.env._("A complaint is handed over to a unit: choose it.")
                )
            if not rec.department_id and not rec.user_id:
                raise ValidationError(
                    self.env._("Choose the department or the person asked for support.")
                )
            user = rec.user_id
            if user and (user.share or not user.has_group(group)):
                raise ValidationError(
                    self.env._(
                        "%(user)s does not use the complaint center: choose a "
                        "complaint user.",
                        user=user.name,
                    )
                )
            if user and rec.complaint_id._is_recused(user):
                raise ValidationError(
                    self.env._(
                        "%(user)s is involved in complaint %(ref)s and cannot "
                        "answer for it.",
                        user=user.name,
                        ref=rec.complaint_id.sudo().name,
                    )
                )

    # Workflow guard (complaint.workflow.mixin) ------------------------------
    @api.model
    def _workflow_editable_fields(self):
        return {"open": set(HANDLER_FIELDS), "done": set()}

    # CRUD -------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        handovers = super().create(vals_list)
        for rec in handovers:
            rec._check_may_hand_over(rec.complaint_id)
        handovers._start()
        return handovers

    def write(self, vals):
        if not self.env.su and vals:
            for rec in self:
                rec._check_may_write(set(vals))
        before = {rec: rec.user_id for rec in self} if "user_id" in vals else {}
        res = super().write(vals)
        # Another person named: the to-do follows (the server's).
        moved = self.filtered(lambda r: before and r.user_id != before[r])
        if moved:
            moved.sudo().unit_activity_ids.exists().unlink()
            moved._schedule_unit_activities()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_answered(self):
        for rec in self:
            if rec.state != "open" or rec.result:
                raise UserError(
                    self.env._(
                        "Handover %(handover)s has an answer and cannot be deleted.",
                        handover=rec.display_name,
                    )
                )
        # A handover made by mistake: its unit's to-do goes with it.
        self.sudo().unit_activity_ids.exists().unlink()

    # Workflow ---------------------------------------------------------------
    def _check_step(self, step):
        res = super()._check_step(step)
        if step == "done":
            if not self._may_answer():
                raise AccessError(
                    self.env._(
                        "Only the unit of handover %(handover)s, the handler of "
                        "the complaint or a complaint manager may mark it done.",
                        handover=self.display_name,
                    )
                )
            if not (self.result or "").strip():
                raise UserError(
                    self.env._(
                        "Write the answer of handover %(handover)s before marking "
                        "it done.",
                        handover=self.display_name,
                    )
                )
        return res

    def _step_refusal(self, step, err):
        return self.env._(
            "Handover %(handover)s is already done.", handover=self.display_name
        )

    def action_done(self):
        handovers = self._step("done", {"date_done": self._complaint_now()})
        for rec in handovers:
            rec.sudo().unit_activity_ids.exists().action_feedback(
                feedback=self.env._("Answered.")
            )
            rec.complaint_id.sudo().message_post(
                body=Markup("<p>%s</p><p>%s</p>")
                % (
                    self.env._(
                        "%(unit)s answered (%(kind)s) by %(user)s%(late)s:",
                        unit=rec._unit_label(),
                        kind=rec._kind_label(),
                        user=self.env.user.name,
                        late=self.env._(", late") if rec.is_late else "",
                    ),
                    rec.result,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    # Helpers ----------------------------------------------------------------
    def _check_may_hand_over(self, complaint):
        """The handler of the case (or a manager) hands it over, once it is
        accepted and until it is resolved."""
        if complaint.state not in HANDOVER_COMPLAINT_STATES:
            raise UserError(
                self.env._(
                    "Complaint %(ref)s is handed over or given support once "
                    "accepted and until it is resolved.",
                    ref=complaint.name,
                )
            )
        if self.env.su:
            return
        if not complaint._is_handler():
            raise AccessError(
                self.env._(
                    "Only the handler of complaint %(ref)s or a complaint "
                    "manager may hand it over or ask for support.",
                    ref=complaint.name,
                )
            )

    def _is_unit_member(self, user=None):
        self.ensure_one()
        user = user or self.env.user
        if self.complaint_id._is_recused(user):
            return False
        return self.user_id == user or (
            self.department_id
            and self.department_id in user.sudo().employee_ids.department_id
        )

    def _may_answer(self):
        self.ensure_one()
        return self.env.su or self._is_unit_member() or self.complaint_id._is_handler()

    def _check_may_write(self, names):
        """The handler (or a manager) changes the request, the person and
        the answer; the unit writes its answer only. What the state allows
        is the workflow guard's."""
        self.ensure_one()
        if self.complaint_id._is_handler():
            return
        if self._is_unit_member() and names <= UNIT_FIELDS:
            return
        raise AccessError(
            self.env._(
                "Handover %(handover)s: its unit writes its answer only; the "
                "rest is the complaint handler's.",
                handover=self.display_name,
            )
        )

    def _unit_users(self):
        """Who is told: the named person, else the unit's head."""
        self.ensure_one()
        users = self.user_id or self.department_id.sudo().manager_id.user_id
        return users.filtered(lambda u: u.active and not u.share)

    def _unit_label(self):
        self.ensure_one()
        return self.department_id.sudo().name or self.user_id.sudo().name or ""

    def _kind_label(self):
        self.ensure_one()
        return dict(self._fields["kind"]._description_selection(self.env))[self.kind]

    def _unit_deadline(self, start):
        """(days, deadline): the unit's limit in the complaint's policy,
        counted in calendar days from ``start`` to the end of the last day
        in the calendar's time zone, and never past the complaint's own
        resolution deadline (the limits are parts of the overall one); no
        limit: the complaint's resolution deadline."""
        self.ensure_one()
        complaint = self.complaint_id.sudo()
        overall = complaint.date_resolve_deadline
        policy = complaint.policy_id
        days = (
            policy._unit_limit_days(self.department_id)
            if policy and self.department_id
            else 0
        )
        if not days:
            return 0, overall or False
        # Counted in the time zone of the complaint's own deadlines.
        calendar = (
            policy.resource_calendar_id or complaint.company_id.resource_calendar_id
        )
        tz = (
            pytz.timezone(calendar.tz)
            if calendar and calendar.tz
            else complaint._company_tz(complaint.company_id)
        )
        local = deadlines.add_calendar_days(complaint._to_local(start, tz), days)
        deadline = complaint._to_utc(local, tz)
        if overall and overall < deadline:
            deadline = overall
        return days, deadline

    def _start(self):
        """Stamp the handover and its deadline, tell the unit, note it on
        the complaint (as the server: checked by the caller)."""
        now = self._complaint_now()
        for rec in self:
            days, deadline = rec._unit_deadline(now)
            rec.sudo().write(
                {
                    "handed_by_id": self.env.uid,
                    "date_start": now,
                    "limit_days": days,
                    "date_deadline": deadline,
                }
            )
            rec.complaint_id.sudo().message_post(
                body=self.env._(
                    "%(kind)s to %(unit)s by %(user)s; deadline %(deadline)s.",
                    kind=rec._kind_label(),
                    unit=rec._unit_label(),
                    user=self.env.user.name,
                    deadline=format_datetime(self.env, deadline) if deadline else "-",
                ),
                subtype_xmlid="mail.mt_note",
            )
        self._schedule_unit_activities()

    def _schedule_unit_activities(self):
        """A to-do on the complaint for the unit (the named person, else its
        head), due on the unit's deadline."""
        Complaint = self.env["complaint.complaint"].sudo()
        for rec in self.filtered(lambda r: r.state == "open"):
            deadline = rec.date_deadline
            summary = self.env._(
                "%(kind)s of complaint %(ref)s: answer by %(deadline)s",
                kind=rec._kind_label(),
                ref=rec.complaint_id.sudo().name,
                deadline=format_datetime(self.env, deadline) if deadline else "-",
            )
            due = (
                fields.Date.context_today(rec, deadline)
                if deadline
                else rec._complaint_today()
            )
            activities = Complaint._schedule_activities(
                HANDLE_ACTIVITY,
                [
                    (rec.complaint_id.sudo(), user, due, summary)
                    for user in rec._unit_users()
                ],
            )
            rec.sudo().unit_activity_ids = [Command.link(act.id) for act in activities]

    # Escalation sweep (逾期反映) ----------------------------------------------
    @api.model
    def _cron_escalate_late(self, batch_size=SWEEP_BATCH):
        """Escalate each open handover past its deadline once: the unit's
        head (and the named person) get an escalation activity on the
        complaint, the complaint's chatter says so, the handover is flagged
        late. Rows another transaction holds are left for the next run."""
        now = self._complaint_now()
        self.flush_model(["state", "date_deadline", "date_escalated"])
        self.env.cr.execute(
            SQL(
                "SELECT h.id FROM complaint_handover h"
                " JOIN complaint_complaint c ON c.id = h.complaint_id"
                " WHERE h.state = 'open' AND h.date_escalated IS NULL"
                " AND h.date_deadline <= %(now)s AND c.active"
                " AND c.state IN %(states)s"
                " ORDER BY h.date_deadline, h.id LIMIT %(limit)s"
                " FOR NO KEY UPDATE OF h SKIP LOCKED",
                now=now,
                states=tuple(OPEN_STATES),
                limit=max(int(batch_size), 1),
            )
        )
        late = self.sudo().browse([row[0] for row in self.env.cr.fetchall()])
        late._escalate(now)
        self.env["ir.cron"]._notify_progress(done=len(late), remaining=0)
        return len(late)

    def _escalation_targets(self):
        """The unit's head and the named person; with neither, the
        complaint's handler (or its first responder)."""
        self.ensure_one()
        users = self.department_id.sudo().manager_id.user_id | self.user_id
        users = users.filtered(lambda u: u.active and not u.share)
        complaint = self.complaint_id.sudo()
        return users or (complaint.user_id or complaint.first_responder_id)

    def _escalate(self, now):
        if not self:
            return
        self.write({"date_escalated": now})
        plan = []
        bodies = {}
        for rec in self:
            complaint = rec.complaint_id
            targets = rec._escalation_targets()
            summary = self.env._(
                "%(unit)s is late on complaint %(ref)s (%(kind)s)",
                unit=rec._unit_label(),
                ref=complaint.name,
                kind=rec._kind_label(),
            )
            plan.extend(
                (complaint, user, rec._complaint_today(), summary) for user in targets
            )
            body = self.env._(
                "%(summary)s: the deadline of %(deadline)s was missed. "
                "Notified: %(people)s.",
                summary=summary,
                deadline=format_datetime(self.env, rec.date_deadline),
                people=", ".join(targets.mapped("name")) or "-",
            )
            bodies[complaint.id] = " ".join(
                filter(None, (bodies.get(complaint.id), body))
            )
        Complaint = self.env["complaint.complaint"].sudo()
        Complaint._schedule_activities(ESCALATION_ACTIVITY, plan)
        Complaint.browse(list(bodies))._message_log_batch(
            bodies=bodies, author_id=self.env.ref("base.partner_root").id
        )
