from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ..core import penalty as penalty_core

PENALTY_STATES = [
    ("draft", "Draft"),
    ("confirmed", "Confirmed"),
    ("approved", "Approved"),
    ("applied", "Applied"),
    ("cancelled", "Cancelled"),
]
KINDS = [
    ("deduction", "Deduction"),
    ("points", "Points"),
    ("chargeback", "Supplier Chargeback"),
    ("reward", "Reward"),
]
# What payroll settles: an employee's or unit's deductions, points, rewards
# (supplier chargebacks go through accounting). A penalty counts in the
# reports once applied, in its payroll period: the deduction list, the points
# ledger and the statistics agree on it.
PAYROLL_KINDS = ("deduction", "points", "reward")
AMOUNT_GROUPS = (
    "complaint_center.group_complaint_finance,complaint_center.group_complaint_manager"
)
# step -> {from_state: (to_state, roles)}: a manager confirms, finance
# approves (and the executive too above the threshold: a first approval then
# keeps the penalty confirmed until his) and applies; managers and finance
# cancel.
PENALTY_TRANSITIONS = {
    "confirm": {"draft": ("confirmed", ("manager",))},
    "approve": {"confirmed": ("approved", ("finance", "executive"))},
    "apply": {"approved": ("applied", ("finance",))},
    "cancel": {
        state: ("cancelled", ("manager", "finance"))
        for state in ("draft", "confirmed", "approved")
    },
    # A reversal is a new penalty; the applied one stays as it is.
    "reverse": {"applied": ("applied", ("finance",))},
}
# The steps that move a penalty forward, in order; the table says which one
# a state waits for.
PROGRESS_STEPS = ("confirm", "approve", "apply")
# Written only by the workflow methods (as superuser).
WORKFLOW_FIELDS = {
    "state",
    "confirmed_by_id",
    "approved_by_id",
    "executive_approved_by_id",
    "applied_by_id",
    "date_applied",
    "reversed_penalty_id",
    "move_id",
    "repeat_multiplier",
    "notice_number",
}
# What the penalty is: free while draft, then frozen.
CONTENT_FIELDS = {
    "complaint_id",
    "responsibility_id",
    "rule_id",
    "company_id",
    "kind",
    "employee_id",
    "department_id",
    "partner_id",
    "share",
    "points",
    "amount",
    "currency_id",
}


class ComplaintPenalty(models.Model):
    """A deduction, points, supplier chargeback or reward from one complaint.

    Exact and auditable: ``draft → confirmed`` (complaint manager) ``→
    approved`` (finance, and the executive above a company threshold) ``→
    applied`` (finance, in a payroll period). An applied penalty never
    changes; a reversal is a new, linked penalty.
    """

    _name = "complaint.penalty"
    _description = "Complaint Penalty"
    _inherit = [
        "complaint.workflow.mixin",
        "complaint.activity.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _workflow_fields = WORKFLOW_FIELDS
    _workflow_transitions = PENALTY_TRANSITIONS
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    complaint_id = fields.Many2one(
        "complaint.complaint",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    # A line of the penalty's own complaint (_check_responsibility).
    responsibility_id = fields.Many2one(
        "complaint.responsibility",
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
    )
    rule_id = fields.Many2one(
        "complaint.penalty.rule",
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    kind = fields.Selection(KINDS, required=True, default="deduction", tracking=True)
    employee_id = fields.Many2one(
        "hr.employee", index="btree_not_null", tracking=True, check_company=True
    )
    department_id = fields.Many2one(
        "hr.department", index="btree_not_null", tracking=True, check_company=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Supplier",
        index="btree_not_null",
        tracking=True,
        check_company=True,
    )
    share = fields.Float(string="Share (%)", digits=(5, 2))
    # Set by the system with the proposal, so that the notice says why the
    # rule's value was multiplied (二次投诉).
    repeat_multiplier = fields.Float(
        readonly=True,
        help="How many times the rule counted the complaint: its repeat "
        "multiplier for a repeat complaint, else 1.",
    )
    points = fields.Integer(tracking=True)
    # Never summed as such: a reward and a deduction of 100 do not make 200.
    # Totals use the signed columns (complaint_penalty_account.py).
    amount = fields.Monetary(
        currency_field="currency_id",
        tracking=True,
        groups=AMOUNT_GROUPS,
        aggregator=None,
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
    )
    state = fields.Selection(
        PENALTY_STATES,
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    reason = fields.Text()
    payroll_period = fields.Char(
        help="Payroll period the penalty is applied in, e.g. 2026-11.",
        index="btree_not_null",
        tracking=True,
        copy=False,
    )
    date_applied = fields.Date(readonly=True, copy=False, tracking=True)
    # 罚扣通知单编号: given once, when the penalty is approved, so that every
    # print of its notice carries the same number (_number_notices).
    notice_number = fields.Char(readonly=True, copy=False, index="btree_not_null")
    confirmed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    # Who approved, and whether the executive had to, says something of the
    # amount: not for the person penalised.
    approved_by_id = fields.Many2one(
        "res.users", readonly=True, copy=False, groups=AMOUNT_GROUPS
    )
    executive_approved_by_id = fields.Many2one(
        "res.users", readonly=True, copy=False, groups=AMOUNT_GROUPS
    )
    applied_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    # Whether an amount passed the threshold says something of the amount.
    needs_executive = fields.Boolean(
        compute="_compute_needs_executive", groups=AMOUNT_GROUPS
    )
    reversed_penalty_id = fields.Many2one(
        "complaint.penalty",
        string="Reverses",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
    )
    reversal_ids = fields.One2many("complaint.penalty", "reversed_penalty_id")
    move_id = fields.Many2one(
        "account.move",
        string="Vendor Credit Note",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )

    # Buttons shown only when the guard of the step lets it through.
    can_confirm = fields.Boolean(compute="_compute_can_buttons")
    can_approve = fields.Boolean(compute="_compute_can_buttons")
    can_apply = fields.Boolean(compute="_compute_can_buttons")
    can_cancel = fields.Boolean(compute="_compute_can_buttons")
    can_reverse = fields.Boolean(compute="_compute_can_buttons")
    next_step = fields.Char(
        compute="_compute_next_step",
        help="Who acts next on this penalty, or why you cannot: the checks of "
        "its buttons.",
    )

    _sql_constraints = [
        (
            "target_set",
            "CHECK(employee_id IS NOT NULL OR department_id IS NOT NULL "
            "OR partner_id IS NOT NULL)",
            "A penalty names an employee, a unit or a supplier.",
        ),
        (
            "notice_number_unique",
            "UNIQUE(notice_number)",
            "A penalty notice number is given once.",
        ),
        (
            "applied_has_period",
            "CHECK(state != 'applied' OR (payroll_period IS NOT NULL "
            "AND date_applied IS NOT NULL))",
            "An applied penalty has a payroll period and a date.",
        ),
    ]

    def init(self):
        # Proposals never duplicate: one penalty per complaint, rule,
        # responsibility line and person (reversals excepted).
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS complaint_penalty_proposal_uniq "
                "ON complaint_penalty (complaint_id, rule_id, "
                "COALESCE(responsibility_id, 0), COALESCE(employee_id, 0)) "
                "WHERE rule_id IS NOT NULL AND reversed_penalty_id IS NULL"
            )
        )

    @api.depends(
        "complaint_id.name", "kind", "employee_id", "department_id", "partner_id"
    )
    def _compute_name(self):
        kinds = dict(KINDS)
        for penalty in self:
            target = (
                penalty.employee_id.name
                or penalty.department_id.name
                or penalty.partner_id.name
                or ""
            )
            penalty.name = (
                f"{penalty.complaint_id.name} · {kinds[penalty.kind]} · {target}"
            )

    @api.depends("amount", "company_id", "currency_id")
    def _compute_needs_executive(self):
        # At the rate of the day the penalty was made: its approvals do not
        # change with the exchange rate.
        for penalty in self:
            penalty.needs_executive = bool(
                penalty.company_id
                and penalty.company_id._complaint_above_threshold(
                    "complaint_penalty_executive_threshold",
                    penalty.sudo().amount,
                    penalty.currency_id,
                    penalty.create_date and penalty.create_date.date(),
                )
            )

    @api.constrains("responsibility_id", "complaint_id")
    def _check_responsibility(self):
        for penalty in self.sudo():
            line = penalty.responsibility_id
            if line and line.complaint_id != penalty.complaint_id:
                raise ValidationError(
                    self.env._(
                        "The responsibility line of a penalty is one of its own "
                        "complaint's (%(ref)s).",
                        ref=penalty.complaint_id.name,
                    )
                )

    @api.constrains("payroll_period")
    def _check_period(self):
        for penalty in self:
            penalty._check_period_value(penalty.payroll_period)

    def _check_period_value(self, period):
        if period and not penalty_core.valid_period(period):
            raise ValidationError(
                self.env._(
                    "The payroll period %(period)s must read YYYY-MM, e.g. 2026-11.",
                    period=period,
                )
            )

    @api.depends(
        "state",
        "approved_by_id",
        "executive_approved_by_id",
        "needs_executive",
        "reversal_ids.state",
        "employee_id.user_id",
        "complaint_id.involved_user_ids",
    )
    @api.depends_context("uid")
    def _compute_can_buttons(self):
        self._workflow_set_flags(PENALTY_TRANSITIONS)

    @api.depends(
        "state",
        "approved_by_id",
        "executive_approved_by_id",
        "needs_executive",
        "payroll_period",
    )
    @api.depends_context("uid")
    def _compute_next_step(self):
        readable = self._filtered_access("read")
        # The person penalised learns who acts next, never whether the
        # amount passed the executive's threshold.
        neutral = not {"finance", "manager"} & self._current_roles()
        for penalty in self:
            if penalty not in readable:
                penalty.next_step = False
            elif neutral:
                penalty.next_step = penalty._neutral_step_hint()
            else:
                penalty.next_step = penalty._next_step_hint()

    def _neutral_step_hint(self):
        self.ensure_one()
        hints = {
            "draft": self.env._("A complaint manager confirms this penalty first."),
            "confirmed": self.env._("The penalty waits for its approval."),
            "approved": self.env._("Finance applies this penalty in a payroll period."),
        }
        return hints.get(self.state, False)

    def _pending_step(self):
        """The step this penalty's state waits for, from the table (none
        once applied or cancelled)."""
        self.ensure_one()
        return next(
            (s for s in PROGRESS_STEPS if self.state in PENALTY_TRANSITIONS[s]),
            None,
        )

    def _next_step_hint(self):
        """Who acts next, for the current user: the refusal of the pending
        step's guard when it refuses him, else what is his to do."""
        self.ensure_one()
        step = self._pending_step()
        if not step:
            return False
        try:
            self._check_step(step)
        except UserError as err:  # AccessError included
            return err.args[0]
        if step == "confirm":
            return self.env._(
                "Your turn: check the target and the value, then confirm. "
                "Finance approves next."
            )
        if step == "approve":
            if self.approved_by_id:
                return self.env._(
                    "Your turn: the amount is above the company threshold and "
                    "needs the executive's approval too."
                )
            if self.sudo().needs_executive:
                return self.env._(
                    "Your turn: approve. The amount is above the company "
                    "threshold, so the executive approves as well."
                )
            return self.env._(
                "Your turn: approve. Finance then applies it in a payroll period."
            )
        if self.payroll_period:
            return self.env._(
                "Your turn: apply it in payroll period %(period)s.",
                period=self.payroll_period,
            )
        return self.env._("Your turn: set the payroll period (YYYY-MM), then apply it.")

    # Workflow guard (complaint.workflow.mixin) ------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self._check_not_own(vals_list)
        penalties = super().create(vals_list)
        # A reversal is made approved.
        penalties._number_notices()
        return penalties

    def write(self, vals):
        if not self.env.su:
            self._check_not_own([vals])
        res = super().write(vals)
        if "state" in vals:
            self._number_notices()
        if vals.get("state") == "approved":
            self._feedback_to_customer()
        return res

    @api.model
    def _workflow_editable_fields(self):
        # Amount, target and kind lock once a manager confirmed them.
        return {
            "draft": CONTENT_FIELDS | {"reason", "payroll_period"},
            "confirmed": {"reason", "payroll_period"},
            "approved": {"payroll_period"},
        }

    @api.ondelete(at_uninstall=False)
    def _unlink_not_own(self):
        # Deleting a draft is the cheapest way out of a penalty.
        if not self.env.su:
            self._check_not_own()

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(penalty.state != "draft" for penalty in self):
            raise UserError(
                self.env._(
                    "Only draft penalties can be deleted; cancel or reverse the others."
                )
            )

    def _feedback_to_customer(self):
        """Once a penalty on a person or unit is approved, the complaint's
        customer may be told the matter was dealt with (company setting
        ``complaint_penalty_feedback``): not for a reward, a supplier
        chargeback or a reversal."""
        dealt_with = self.filtered(
            lambda p: p.kind in ("deduction", "points") and not p.reversed_penalty_id
        )
        dealt_with.sudo().complaint_id._post_penalty_feedback()

    def _number_notices(self):
        """Give the approved or applied penalties of ``self`` that have none
        their notice number: their complaint's reference and their rank
        among its numbered penalties, in the order approved
        (``HX2609-0001-01``). Given once, never changed: a reprint carries
        it.

        The complaint's penalty rows are locked first (NOWAIT): of two
        approvals of one complaint at the same moment, the second fails
        with a concurrency error and Odoo replays it, which then counts the
        first's number."""
        todo = self.filtered(
            lambda p: p.state in ("approved", "applied") and not p.notice_number
        ).sudo()
        if not todo:
            return
        complaints = todo.complaint_id
        self.env.cr.execute(
            SQL(
                "SELECT id FROM complaint_penalty WHERE complaint_id IN %s "
                "ORDER BY id FOR UPDATE NOWAIT",
                tuple(complaints.ids),
            )
        )
        ranks = dict(
            todo.with_context(active_test=False)._read_group(
                [
                    ("complaint_id", "in", complaints.ids),
                    ("notice_number", "!=", False),
                ],
                ["complaint_id"],
                ["__count"],
            )
        )
        for penalty in todo.sorted("id"):
            complaint = penalty.complaint_id
            ranks[complaint] = ranks.get(complaint, 0) + 1
            penalty.notice_number = f"{complaint.name}-{ranks[complaint]:02d}"

    # Workflow -------------------------------------------------------------
    def _check_step(self, step):
        """The guard of every penalty button, shared with its ``can_*``:
        the table (state and role, in the mixin), the approvers, the
        executive's approval before applying, one reversal, and nobody on
        their own case."""
        res = super()._check_step(step)
        if step == "approve":
            self._check_approver()
        # Checked again at apply: the executive's approval above the
        # threshold is never skipped.
        if (
            step == "apply"
            and self.needs_executive
            and not self.executive_approved_by_id
        ):
            raise UserError(
                self.env._(
                    "The amount is above the company threshold: the "
                    "executive approves this penalty before it is applied."
                )
            )
        if step == "reverse" and self.reversal_ids.filtered(
            lambda r: r.state != "cancelled"
        ):
            raise UserError(self.env._("This penalty is already reversed."))
        # Last: the refusals above say who acts, this one why not you.
        self._check_not_own()
        return res

    def _role_refusal(self, step, err):
        # Refusals say who acts instead: they are the form's next-step hint.
        if step == "approve":
            return self._approval_hint()
        return {
            "confirm": self.env._("A complaint manager confirms this penalty first."),
            "apply": self.env._("Finance applies this penalty in a payroll period."),
            "cancel": self.env._("Only managers and finance cancel penalties."),
            "reverse": self.env._("Only finance reverses applied penalties."),
        }[step]

    def _is_own_case(self):
        """Whether the current user is the person this penalty or reward is
        on, or is involved in its complaint (回避). Read as superuser: the
        complaint may be hidden from them."""
        self.ensure_one()
        user = self.env.user
        penalty = self.sudo()
        if penalty.employee_id.user_id == user:
            return True
        return penalty.complaint_id._is_recused(user)

    def _check_not_own(self, vals_list=()):
        """Nobody edits, deletes, confirms, approves, applies, cancels or
        reverses a penalty or reward on themselves, nor one of a complaint
        they are involved in; nor makes one so (``vals_list``: the values a
        create or write gives)."""
        for penalty in self:
            if penalty._is_own_case():
                raise AccessError(
                    self.env._(
                        "This penalty is on yourself or comes from a complaint "
                        "you are involved in: someone else edits and decides it."
                    )
                )
        user = self.env.user
        employees = self.env["hr.employee"].sudo()
        complaints = self.env["complaint.complaint"]
        for vals in vals_list:
            employee = employees.browse(vals.get("employee_id") or [])
            complaint = complaints.browse(vals.get("complaint_id") or [])
            if employee.user_id == user or (complaint and complaint._is_recused()):
                raise AccessError(
                    self.env._(
                        "A penalty or reward on yourself, or from a complaint "
                        "you are involved in, is made by someone else."
                    )
                )

    def _step_refusal(self, step, err):
        # Besides the state the step needs, say who the penalty waits for.
        field = self._fields["state"]
        labels = dict(field._description_selection(self.env))
        message = self.env._(
            "This penalty is %(state)s; this step needs it %(allowed)s.",
            state=self._workflow_state_label(),
            allowed=", ".join(labels[state] for state in err.allowed),
        )
        hint = self._next_step_hint()
        return f"{message} {hint}" if hint else message

    def _check_steps(self, step):
        """Check every penalty before any moves: the first one refused stops
        the whole batch, named (the refusals themselves do not name it)."""
        for penalty in self:
            try:
                penalty._check_step(step)
            except UserError as err:  # AccessError included; keep the type
                raise type(err)(
                    self.env._(
                        "%(penalty)s: %(reason)s",
                        penalty=penalty.display_name,
                        reason=err.args[0],
                    )
                ) from err

    def _approval_hint(self):
        """Whose approval the penalty waits for, as far as the user may
        know."""
        if not {"finance", "manager"} & self._current_roles():
            # Whose approval is missing would tell the amount's size.
            return self.env._(
                "Finance approves this penalty, and the executive as well "
                "above the company threshold."
            )
        if not self.sudo().approved_by_id:
            return self.env._("Finance approves this penalty next.")
        return self.env._(
            "Finance approved; the amount is above the company threshold, "
            "so the executive approves as well."
        )

    def _check_approver(self):
        """Finance approves first; above the company threshold the executive
        approves as well, and never the same person twice."""
        roles = self._current_roles()
        approved_by = self.sudo().approved_by_id
        if ("finance" if not approved_by else "executive") not in roles:
            raise AccessError(self._approval_hint())
        if approved_by == self.env.user:
            raise AccessError(
                self.env._(
                    "You gave the first approval; the executive's approval must "
                    "come from another person."
                )
            )

    def action_confirm(self):
        self._check_steps("confirm")
        self._write_step("confirm", {"confirmed_by_id": self.env.uid})
        return True

    def action_approve(self):
        """Finance approves; above the company threshold the executive must
        approve as well, and never the same person twice."""
        self._check_steps("approve")
        uid = self.env.uid
        first = self.filtered(lambda p: not p.approved_by_id)
        waiting = first.filtered("needs_executive")
        if waiting:
            # Waits, confirmed, for the executive.
            waiting._write_step(
                "approve", {"state": "confirmed", "approved_by_id": uid}
            )
            waiting._ask_executive()
        if first - waiting:
            (first - waiting)._write_step("approve", {"approved_by_id": uid})
        if self - first:
            (self - first)._write_step("approve", {"executive_approved_by_id": uid})
        return True

    def _ask_executive(self):
        """An approval to-do for the executives of each penalty's company,
        in one batch: one mail per executive, whatever the count."""
        today = self._complaint_today()
        self._schedule_activities(
            "mail.mail_activity_data_todo",
            [
                (
                    penalty,
                    user,
                    today,
                    penalty.with_context(lang=user.lang).env._(
                        "Approve penalty %(name)s", name=penalty.name
                    ),
                )
                for penalty in self
                for user in penalty.company_id._complaint_people("executive")
                - self.env.user
            ],
        )

    def action_cancel(self):
        self._check_steps("cancel")
        self._write_step("cancel", {})
        return True
