"""The complaint's lifecycle (处理流程): the actions that move it, the one
guard they and their buttons share, and the hooks features extend.

``new → investigating → proposed → approved → resolved → closed``, plus
``rejected`` and ``cancelled``; the table is ``core/lifecycle.py``. Every
action runs ``_check_step`` (state and role from the table, recusal, the
handler's own complaints), then ``_step`` writes the state with the smallest
``sudo()`` (complaint.workflow.mixin). Hooks for features, each extended
with ``super()`` first:

* ``_transition_values(step)``: extra values a step writes;
* ``_after_step(step)``: effects once complaints moved (mails, deadlines,
  accounting, penalties);
* ``_reopen_values()``: what a complaint handled again clears;
* ``_check_can_close(force)``, ``_unlink_blockers()``, ``_after_feedback()``.
"""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_datetime, is_html_empty

from ..core import lifecycle
from .complaint_complaint import HANDLE_ACTIVITY
from .complaint_complaint_recusal import RECUSED_ACTIONS

# Actions with a can_* button (``review`` is taken by action_close).
BUTTON_ACTIONS = tuple(action for action in lifecycle.TRANSITIONS if action != "review")
# Steps that end the handling: no activity left on the complaint has
# anything to answer, whoever it is assigned to.
ENDING_STEPS = ("close", "force_close", "reject", "cancel")


class ComplaintComplaint(models.Model):
    _inherit = "complaint.complaint"

    review_level = fields.Selection(
        [("0", "First Handling"), ("1", "Manager Review"), ("2", "Executive Review")],
        compute="_compute_review_level",
        store=True,
        help="Raised each time the complaint is reopened for a review or an appeal.",
    )
    force_close_reason = fields.Text(
        copy=False,
        tracking=True,
        help="Why the complaint is closed without the customer's agreement.",
    )

    # Buttons shown only when the server would allow them -------------------
    can_accept = fields.Boolean(compute="_compute_can")
    can_reject = fields.Boolean(compute="_compute_can")
    can_propose = fields.Boolean(compute="_compute_can")
    can_send_back = fields.Boolean(compute="_compute_can")
    can_approve = fields.Boolean(compute="_compute_can")
    can_resolve = fields.Boolean(compute="_compute_can")
    can_close = fields.Boolean(compute="_compute_can")
    can_reopen = fields.Boolean(compute="_compute_can")
    can_cancel = fields.Boolean(compute="_compute_can")
    can_force_close = fields.Boolean(compute="_compute_can")

    @api.depends("reopen_count")
    def _compute_review_level(self):
        for rec in self:
            rec.review_level = str(lifecycle.review_level(rec.reopen_count))

    @api.depends(
        "state",
        "user_id",
        "department_id",
        "involved_user_ids",
        "reopen_count",
        "first_responder_id",
    )
    @api.depends_context("uid")
    def _compute_can(self):
        # The very guard the actions run: the button and the server agree.
        self._workflow_set_flags(BUTTON_ACTIONS)

    @api.model
    def _workflow_editable_fields(self):
        editable = super()._workflow_editable_fields()
        editable["resolved"] = editable["resolved"] | {"force_close_reason"}
        return editable

    # Deletion -------------------------------------------------------------
    @api.ondelete(at_uninstall=False)
    def _unlink_except_new(self):
        if any(rec.state != "new" for rec in self):
            raise UserError(
                self.env._(
                    "Only new complaints can be deleted; archive the others "
                    "instead so that nothing is lost."
                )
            )
        if self.env.su:
            return
        roles = self._current_roles()
        for rec in self:
            if "manager" not in roles or not rec._workflow_allows("cancel"):
                raise AccessError(
                    self.env._(
                        "Only a complaint manager who may cancel complaint "
                        "%(ref)s may delete it.",
                        ref=rec.name,
                    )
                )
            attached = rec._unlink_blockers()
            if attached:
                raise UserError(
                    self.env._(
                        "Complaint %(ref)s already has %(what)s; cancel it "
                        "instead of deleting it.",
                        ref=rec.name,
                        what=", ".join(attached),
                    )
                )

    def _unlink_blockers(self):
        """Hook: labels of the records attached to the complaint that its
        deletion would lose (their links are ``ondelete='restrict'``)."""
        self.ensure_one()
        if self.sudo().responsibility_ids:
            return [self.env._("responsibility lines")]
        return []

    # Actions --------------------------------------------------------------
    def action_accept(self):
        """The complaint is valid (成立): start investigating."""
        self._step("accept", self._stamped("date_acknowledged", validity="valid"))
        return True

    def action_reject(self):
        """Not valid (不成立) or malicious (恶意): answer and stop."""
        self._check_steps("reject")
        for rec in self:
            if not (rec.rejection_reason or "").strip():
                raise UserError(
                    self.env._(
                        "Write the reason for rejecting complaint %(ref)s first; "
                        "the customer is told why.",
                        ref=rec.name,
                    )
                )
            if rec.validity == "valid":
                raise UserError(
                    self.env._(
                        "Complaint %(ref)s was found valid; set it to Not Valid or "
                        "Malicious before rejecting it.",
                        ref=rec.name,
                    )
                )
        self._write_step("reject", lambda rec: {"validity": rec.validity or "invalid"})
        return True

    def action_propose(self):
        self._check_steps("propose")
        for rec in self:
            if not rec.resolution_type or is_html_empty(rec.resolution):
                raise UserError(
                    self.env._(
                        "Complaint %(ref)s needs a resolution type and a written "
                        "plan before it is proposed.",
                        ref=rec.name,
                    )
                )
        self._write_step("propose")
        return True

    def action_send_back(self):
        """The plan is not approved: back to investigation."""
        self._step("send_back")
        return True

    def action_resolve(self):
        self._step("resolve", self._stamped("date_resolved"))
        return True

    def action_close(self):
        """Close with the customer's agreement. An unsatisfied customer sends
        the complaint back for another review (复审) instead."""
        self._check_steps("close")
        for rec in self:
            if not rec.satisfaction:
                raise UserError(
                    self.env._(
                        "Record the customer's feedback on complaint %(ref)s "
                        "(satisfaction) before closing it.",
                        ref=rec.name,
                    )
                )
        unsatisfied = self.filtered(lambda rec: rec.satisfaction == "unsatisfied")
        if unsatisfied:
            unsatisfied._step("review", lambda rec: rec._reopen_values())
            for rec in unsatisfied:
                rec.message_post(
                    body=self.env._(
                        "The customer is not satisfied: complaint sent back for "
                        "review (level %(level)s).",
                        level=rec.review_level,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
            unsatisfied._schedule_handler_activity()
        satisfied = self - unsatisfied
        satisfied._check_can_close()
        satisfied._step("close", self._stamped("date_closed"))
        return True

    def action_force_close(self):
        """A manager closes without the customer's agreement, in writing."""
        self._check_steps("force_close")
        for rec in self:
            if not (rec.force_close_reason or "").strip():
                raise UserError(
                    self.env._(
                        "Write why complaint %(ref)s is closed without the "
                        "customer's agreement.",
                        ref=rec.name,
                    )
                )
        self._check_can_close(force=True)
        self._write_step("force_close", self._stamped("date_closed"))
        return True

    def action_reopen(self):
        """Appeal or re-review: back to investigation, history kept."""
        self._step("reopen", lambda rec: rec._reopen_values())
        self._schedule_handler_activity()
        return True

    def action_cancel(self):
        self._step("cancel")
        return True

    def action_record_feedback(self):
        """Stamp when the customer's feedback was recorded (its handler)."""
        for rec in self:
            rec._check_record_feedback()
            if not rec.satisfaction:
                raise UserError(self.env._("Choose the customer's satisfaction first."))
            if rec.date_feedback:
                raise UserError(
                    self.env._(
                        "The customer's feedback on complaint %(ref)s was already "
                        "recorded on %(date)s.",
                        ref=rec.name,
                        date=format_datetime(self.env, rec.date_feedback),
                    )
                )
        self.sudo().write({"date_feedback": fields.Datetime.now()})
        self._after_feedback()
        return True

    def _check_record_feedback(self):
        self.ensure_one()
        if self.state != "resolved":
            raise UserError(
                self.env._(
                    "Feedback is recorded on resolved complaints; %(ref)s is not.",
                    ref=self.name,
                )
            )
        if not self.env.su and not self._is_handler():
            raise AccessError(
                self.env._(
                    "Only the handler of complaint %(ref)s records its feedback.",
                    ref=self.name,
                )
            )

    def action_correct_intake(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Correct Intake"),
            "res_model": "complaint.intake.correction",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_complaint_id": self.id},
        }

    def action_view_children(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_center.complaint_complaint_action"
        )
        action["domain"] = [("parent_id", "=", self.id)]
        action["context"] = {"default_parent_id": self.id}
        return action

    # Hooks ----------------------------------------------------------------
    def _transition_values(self, step):
        """Hook: values ``step`` writes on this complaint besides the state."""
        self.ensure_one()
        return {}

    def _reopen_values(self):
        """Values of a complaint handled again: the review level rises, the
        outcome of the previous round is cleared (the chatter keeps it)."""
        self.ensure_one()
        return {
            "reopen_count": self.reopen_count + 1,
            "date_closed": False,
            "date_resolved": False,
            "date_feedback": False,
            "satisfaction": False,
        }

    def _check_can_close(self, force=False):
        """Hook: raise ``UserError`` when a complaint may not be closed yet
        (``force``: a manager closes without the customer's agreement)."""
        return True

    def _after_feedback(self):
        """Hook run once the customer's feedback is recorded."""

    def _after_step(self, step):
        res = super()._after_step(step)
        # sudo: a step answers the activities of everyone, not only the
        # current user's.
        if step == "resolve":
            self.sudo().activity_feedback([HANDLE_ACTIVITY])
        elif step in ENDING_STEPS:
            self.sudo().activity_ids.unlink()
        return res

    # State machine (complaint.workflow.mixin) -------------------------------
    def _stamped(self, stamp, **values):
        """Step values: ``values`` plus ``stamp`` set to now unless already
        set (a fact is stamped once)."""
        now = fields.Datetime.now()
        return lambda rec: dict(values, **({} if rec[stamp] else {stamp: now}))

    def _workflow_next_state(self, step):
        return lifecycle.target_state(step, self.state, self._current_roles())

    def _write_step(self, step, values=None):
        def step_values(rec):
            given = values(rec) if callable(values) else values
            return {**rec._transition_values(step), **(given or {})}

        return super()._write_step(step, step_values)

    def _check_step(self, step):
        """The guard of every lifecycle action, shared by the action and its
        ``can_*`` button: state and role (the table), recusal, appeals, and
        the handler's own complaints."""
        self.ensure_one()
        roles = self._current_roles()
        try:
            lifecycle.target_state(step, self.state, roles)
        except lifecycle.TransitionError as err:
            states = dict(self._fields["state"]._description_selection(self.env))
            if err.reason == "role":
                raise AccessError(
                    self.env._(
                        "You are not allowed to %(action)s complaint %(ref)s.",
                        action=self._action_label(step),
                        ref=self.name,
                    )
                ) from err
            raise UserError(
                self.env._(
                    "Complaint %(ref)s is %(state)s; it can %(action)s only when "
                    "%(allowed)s.",
                    ref=self.name,
                    state=states[self.state],
                    action=self._action_label(step),
                    allowed=", ".join(
                        states[s] for s in lifecycle.STATE_KEYS if s in err.allowed
                    ),
                )
            ) from err
        if step in RECUSED_ACTIONS and self.env.user in self.involved_user_ids:
            raise AccessError(
                self.env._(
                    "You are complained about or responsible in complaint %(ref)s "
                    "and must stay out of its handling.",
                    ref=self.name,
                )
            )
        if step == "reopen" and self.reopen_count and "executive" not in roles:
            raise AccessError(
                self.env._(
                    "Complaint %(ref)s was already reviewed again; a further appeal "
                    "goes to the executive.",
                    ref=self.name,
                )
            )
        if not self._may_act(step, roles):
            raise AccessError(
                self.env._(
                    "Complaint %(ref)s is handled by %(handler)s (%(department)s); "
                    "you may not %(action)s it.",
                    ref=self.name,
                    handler=self.user_id.name or "-",
                    department=self.department_id.name or "-",
                    action=self._action_label(step),
                )
            )

    def _action_label(self, action):
        return {
            "accept": self.env._("accept"),
            "reject": self.env._("reject"),
            "propose": self.env._("propose a plan for"),
            "send_back": self.env._("send back"),
            "approve": self.env._("approve"),
            "resolve": self.env._("resolve"),
            "close": self.env._("close"),
            "review": self.env._("send back for review"),
            "reopen": self.env._("reopen"),
            "force_close": self.env._("force-close"),
            "cancel": self.env._("cancel"),
        }[action]
