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

MANAGER_GROUP = "complaint_center.group_complaint_manager"

# Written only by the workflow methods.
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


class ComplaintAction(models.Model):
    """A corrective or preventive action (纠正/预防措施) decided on a
    complaint: an owner carries it out by a deadline, then someone other
    than the owner verifies it."""

    _name = "complaint.action"
    _description = "Complaint Corrective/Preventive Action"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_deadline, id"
    _check_company_auto = True

    complaint_id = fields.Many2one(
        "complaint.complaint",
        required=True,
        index=True,
        ondelete="cascade",
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
        today = fields.Date.context_today(self)
        for action in self:
            action.is_overdue = bool(
                action.state == "open"
                and action.date_deadline
                and action.date_deadline < today
            )

    @api.depends("state", "user_id", "complaint_id.department_id.manager_id.user_id")
    @api.depends_context("uid")
    def _compute_can(self):
        for action in self:
            action.can_done = action.state == "open" and action._may_done()
            action.can_verify = action.state == "done" and action._may_verify()
            action.can_reopen = action.state in ("done", "verified") and (
                self._is_manager()
            )

    # CRUD -------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get("complaint_action_workflow"):
            for vals in vals_list:
                if vals.get("state", "open") != "open" or any(
                    vals.get(name) for name in WORKFLOW_FIELDS - {"state"}
                ):
                    raise UserError(
                        self.env._("A new action starts open; mark it done later.")
                    )
        actions = super().create(vals_list)
        for action in actions:
            action._check_may_plan()
        actions._schedule_owner_activity()
        return actions

    def write(self, vals):
        if not self.env.context.get("complaint_action_workflow"):
            if WORKFLOW_FIELDS & set(vals):
                raise UserError(
                    self.env._(
                        "The state of an action changes only through its "
                        "buttons (Mark Done, Verify, Reopen)."
                    )
                )
            if CONTENT_FIELDS & set(vals):
                for action in self:
                    if action.state != "open":
                        raise UserError(
                            self.env._(
                                "Action %(action)s is %(state)s: reopen it "
                                "before changing it.",
                                action=action.name,
                                state=action._state_label(),
                            )
                        )
                    action._check_may_plan()
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
    def action_done(self):
        for action in self:
            if action.state != "open":
                raise UserError(
                    self.env._(
                        "Action %(action)s is %(state)s; only an open action "
                        "can be marked done.",
                        action=action.name,
                        state=action._state_label(),
                    )
                )
            if not action._may_done():
                raise AccessError(
                    self.env._(
                        "Only the owner of action %(action)s (%(owner)s) or a "
                        "complaint manager may mark it done.",
                        action=action.name,
                        owner=action.user_id.name,
                    )
                )
        self.sudo().with_context(complaint_action_workflow=True).write(
            {"state": "done", "date_done": fields.Datetime.now()}
        )
        self.sudo().activity_feedback(["mail.mail_activity_data_todo"])
        return True

    def action_verify(self):
        for action in self:
            if action.state != "done":
                raise UserError(
                    self.env._(
                        "Action %(action)s is %(state)s; only a done action can "
                        "be verified.",
                        action=action.name,
                        state=action._state_label(),
                    )
                )
            if action.user_id == self.env.user:
                raise AccessError(
                    self.env._(
                        "You own action %(action)s: someone else must verify it.",
                        action=action.name,
                    )
                )
            if not action._may_verify():
                raise AccessError(
                    self.env._(
                        "Only a complaint manager or the head of the "
                        "responsible department may verify action %(action)s.",
                        action=action.name,
                    )
                )
        self.sudo().with_context(complaint_action_workflow=True).write(
            {
                "state": "verified",
                "verified_by_id": self.env.user.id,
                "date_verified": fields.Datetime.now(),
            }
        )
        return True

    def action_reopen(self):
        for action in self:
            if action.state not in ("done", "verified"):
                raise UserError(
                    self.env._("Action %(action)s is already open.", action=action.name)
                )
        if not self._is_manager():
            raise AccessError(
                self.env._("Only a complaint manager may reopen an action.")
            )
        self.sudo().with_context(complaint_action_workflow=True).write(
            {
                "state": "open",
                "date_done": False,
                "verified_by_id": False,
                "date_verified": False,
            }
        )
        self._schedule_owner_activity()
        return True

    # Helpers ----------------------------------------------------------------
    @api.model
    def _is_manager(self):
        return self.env.user.has_group(MANAGER_GROUP)

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
        for action in self:
            if action.state != "open" or not action.user_id:
                continue
            action.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=action.date_deadline,
                summary=self.env._(
                    "%(type)s action on %(ref)s: %(action)s",
                    type=dict(
                        self._fields["action_type"]._description_selection(self.env)
                    )[action.action_type],
                    ref=action.complaint_id.name,
                    action=action.name,
                ),
                user_id=action.user_id.id,
            )
