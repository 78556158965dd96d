from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

ACTION_TYPES = [
    ("corrective", "Corrective"),
    ("preventive", "Preventive"),
]

ACTION_STATES = [
    ("open", "Open"),
    ("done", "Done"),
    ("verified", "Verified"),
]

# step -> {from_state: (to_state, roles)}: the owner (whatever his role)
# or a manager marks an action done, a manager or the responsible
# department's head verifies it (the model says who), a manager reopens it.
ACTION_TRANSITIONS = {
    "done": {"open": ("done", ())},
    "verify": {"done": ("verified", ())},
    "reopen": {
        "done": ("open", ("manager",)),
        "verified": ("open", ("manager",)),
    },
}

# Written only by the workflow methods (as superuser).
WORKFLOW_FIELDS = {"state", "date_done", "verified_by_id", "date_verified"}
# Frozen once the action is no longer open.
CONTENT_FIELDS = {
    "complaint_id",
    "action_type",
    "name",
    "description",
    "user_id",
    "date_deadline",
}


class ComplaintCorrectiveAction(models.Model):
    """A corrective or preventive action (纠正/预防措施) decided on a
    complaint: an owner carries it out by a deadline, then someone other
    than the owner verifies it."""

    _name = "complaint.action"
    _description = "Complaint Corrective/Preventive Action"
    _inherit = [
        "complaint.workflow.mixin",
        "complaint.activity.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _workflow_fields = WORKFLOW_FIELDS
    _workflow_transitions = ACTION_TRANSITIONS
    _order = "date_deadline, id"
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
    active = fields.Boolean(default=True)
    action_type = fields.Selection(
        ACTION_TYPES, string="Type", required=True, default="corrective"
    )
    name = fields.Char(string="Action", required=True)
    description = fields.Text()
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        required=True,
        index=True,
        tracking=True,
        domain="[('share', '=', False)]",
        default=lambda self: self.env.user,
    )
    date_deadline = fields.Date(string="Deadline", required=True, tracking=True)
    state = fields.Selection(
        ACTION_STATES,
        required=True,
        default="open",
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    date_done = fields.Datetime(readonly=True, copy=False)
    verified_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_verified = fields.Datetime(readonly=True, copy=False)
    result = fields.Text(help="What was done and the evidence that it works.")
    is_overdue = fields.Boolean(compute="_compute_is_overdue")
    can_done = fields.Boolean(compute="_compute_can")
    can_verify = fields.Boolean(compute="_compute_can")
    can_reopen = fields.Boolean(compute="_compute_can")

    @api.depends("date_deadline", "state")
    def _compute_is_overdue(self):
        today = self._complaint_today()
        for action in self:
            action.is_overdue = bool(
                action.state == "open"
                and action.date_deadline
                and action.date_deadline < today
            )

    @api.depends(
        "state",
        "user_id",
        "complaint_id.department_id.manager_id.user_id",
        "complaint_id.involved_user_ids",
    )
    @api.depends_context("uid")
    def _compute_can(self):
        self._workflow_set_flags(ACTION_TRANSITIONS)

    # Workflow guard (complaint.workflow.mixin) ------------------------------
    @api.model
    def _workflow_editable_fields(self):
        # Archiving follows the closing rule: an open action is never hidden.
        return {
            "open": CONTENT_FIELDS | {"result"},
            "done": {"result", "active"},
            "verified": {"active"},
        }

    # CRUD -------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        actions = super().create(vals_list)
        for action in actions:
            action._check_may_plan()
        actions._schedule_owner_activity()
        return actions

    def write(self, vals):
        if "active" in vals and not self.env.su and not self._is_manager():
            raise AccessError(
                self.env._("Only a complaint manager archives or restores actions.")
            )
        old_owners = {rec: rec.user_id for rec in self} if "user_id" in vals else {}
        old_deadlines = (
            {rec: rec.date_deadline for rec in self} if "date_deadline" in vals else {}
        )
        res = super().write(vals)
        if CONTENT_FIELDS & set(vals):
            for action in self:
                action._check_may_plan()
        moved = self.filtered(
            lambda rec: (
                rec.state == "open"
                and (
                    (old_owners and rec.user_id != old_owners[rec])
                    or (old_deadlines and rec.date_deadline != old_deadlines[rec])
                )
            )
        )
        if moved:
            moved.activity_unlink(["mail.mail_activity_data_todo"])
            moved._schedule_owner_activity()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_not_open(self):
        for action in self:
            if action.state != "open":
                raise UserError(
                    self.env._(
                        "Action %(action)s is %(state)s and cannot be deleted; "
                        "archive it instead.",
                        action=action.name,
                        state=action._state_label(),
                    )
                )

    # Workflow ---------------------------------------------------------------
    def _check_step(self, step):
        """The guard of Mark Done, Verify and Reopen, shared with ``can_*``."""
        res = super()._check_step(step)
        if step == "done" and not self._may_done():
            raise AccessError(
                self.env._(
                    "Only the owner of action %(action)s (%(owner)s) or a "
                    "complaint manager may mark it done.",
                    action=self.name,
                    owner=self.user_id.name,
                )
            )
        if step in ("verify", "reopen"):
            # Verifying (or reopening) is a decision on the complaint: never
            # by someone involved in it. Its owner (often the person
            # responsible) still carries it out.
            self.complaint_id._check_recusal()
        if step == "verify":
            if self.user_id == self.env.user:
                raise AccessError(
                    self.env._(
                        "You own action %(action)s: someone else must verify it.",
                        action=self.name,
                    )
                )
            if not self._may_verify():
                raise AccessError(
                    self.env._(
                        "Only a complaint manager or the head of the "
                        "responsible department may verify action %(action)s.",
                        action=self.name,
                    )
                )
        return res

    def _role_refusal(self, step, err):
        return self.env._("Only a complaint manager may reopen an action.")

    def _step_refusal(self, step, err):
        if step == "reopen":
            return self.env._("Action %(action)s is already open.", action=self.name)
        if step == "done":
            message = self.env._(
                "Action %(action)s is %(state)s; only an open action can be "
                "marked done."
            )
        else:
            message = self.env._(
                "Action %(action)s is %(state)s; only a done action can be verified."
            )
        return message % {"action": self.name, "state": self._state_label()}

    def action_done(self):
        self._step("done", {"date_done": self._complaint_now()})
        self.sudo().activity_feedback(["mail.mail_activity_data_todo"])
        return True

    def action_verify(self):
        self._step(
            "verify",
            {
                "verified_by_id": self.env.user.id,
                "date_verified": self._complaint_now(),
            },
        )
        return True

    def action_reopen(self):
        self._step(
            "reopen",
            {"date_done": False, "verified_by_id": False, "date_verified": False},
        )
        self._schedule_owner_activity()
        return True

    # Helpers ----------------------------------------------------------------
    @api.model
    def _is_manager(self):
        return "manager" in self.env.user._complaint_roles()

    def _department_head(self):
        self.ensure_one()
        return self.complaint_id.department_id.manager_id.user_id

    def _may_done(self):
        self.ensure_one()
        return self.user_id == self.env.user or self._is_manager()

    def _may_verify(self):
        self.ensure_one()
        user = self.env.user
        if self.user_id == user:
            return False
        return self._is_manager() or self._department_head() == user

    def _check_may_plan(self):
        """Handlers plan actions only on complaints they may handle (assigned
        to them, to their department or unassigned); managers on any. No new
        action on a complaint that is over."""
        self.ensure_one()
        if self.env.su:
            return
        complaint = self.complaint_id
        if not complaint._is_handler():
            raise AccessError(
                self.env._(
                    "Only the handler of complaint %(ref)s, their department or "
                    "a complaint manager may plan its actions.",
                    ref=complaint.name,
                )
            )
        if complaint.state in ("closed", "rejected", "cancelled"):
            raise UserError(
                self.env._(
                    "Complaint %(ref)s is over; reopen it to plan actions.",
                    ref=complaint.name,
                )
            )

    def _state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    def _schedule_owner_activity(self):
        """The owner's to-do of each open action, in the owner's language."""
        plan = []
        for action in self:
            if action.state != "open" or not action.user_id:
                continue
            env = action.with_context(lang=action.user_id.lang).env
            plan.append(
                (
                    action,
                    action.user_id,
                    action.date_deadline,
                    env._(
                        "%(type)s action on %(ref)s: %(action)s",
                        type=dict(
                            self._fields["action_type"]._description_selection(env)
                        )[action.action_type],
                        ref=action.complaint_id.name,
                        action=action.name,
                    ),
                )
            )
        self._schedule_activities("mail.mail_activity_data_todo", plan)
