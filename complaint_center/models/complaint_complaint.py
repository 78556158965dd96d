from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.osv import expression
from odoo.tools import SQL, is_html_empty

from ..core import lifecycle, reference

# Shown field -> its system-only column (the complainant's contact).
CONTACT_FIELDS = {
    "complainant_name": "contact_name",
    "complainant_phone": "contact_phone",
    "complainant_email": "contact_email",
    "complainant_address": "contact_address",
}
# Field groups of the per-state whitelist (what a user may still change).
INTAKE_FIELDS = {
    "complainant_name",
    "complainant_phone",
    "complainant_email",
    "complainant_address",
    "sale_order_id",
    "sale_line_ids",
    "product_ids",
    "description",
    "customer_request",
    "claimed_amount",
    "currency_id",
    "date_occurred",
    "subject_employee_ids",
    "parent_id",
}
# Inputs of the deadlines: free while the complaint is new, then changed only
# by a manager's intake correction, with a reason (date_received and the
# company are set at intake only).
DEADLINE_INPUT_FIELDS = {"partner_id", "category_id", "severity", "channel"}
ROUTING_FIELDS = {"user_id", "department_id"}
# The plan: locked once proposed, reopened only by a transition.
PLAN_FIELDS = {"resolution_type", "resolution", "compensation_amount"}
VALIDITY_FIELDS = {"validity", "rejection_reason"}
FEEDBACK_FIELDS = {"satisfaction", "feedback"}

COMPLAINT_STATE = lifecycle.STATES

CHANNELS = [
    ("phone", "Phone"),
    ("email", "Email"),
    ("letter", "Letter"),
    ("visit", "Walk-in"),
    ("web", "Website / Online"),
    ("comment_book", "Customer Comment Book"),
    ("fax", "Fax"),
    ("media", "Media / Press"),
    ("regulator", "Regulator Transfer (12315/12365)"),
    ("internal", "Forwarded by a Department"),
    ("portal", "Customer Portal"),
]

SEVERITIES = [
    ("general", "General"),
    ("major", "Major"),
    ("critical", "Critical"),
]

REMEDIES = [
    ("return", "Return"),
    ("exchange", "Exchange"),
    ("repair", "Repair"),
    ("discount", "Discount / Price Reduction"),
    ("refund", "Refund / Compensation"),
    ("apology", "Apology"),
    ("explanation", "Explanation"),
    ("reservice", "Re-service"),
    ("other", "Other"),
]

VALIDITY = [
    ("valid", "Valid"),
    ("invalid", "Not Valid"),
    ("malicious", "Malicious"),
]

SATISFACTION = [
    ("very_satisfied", "Very Satisfied"),
    ("satisfied", "Satisfied"),
    ("neutral", "Neutral"),
    ("unsatisfied", "Unsatisfied"),
]

# Group xml ids by lifecycle role, lowest first.
ROLE_GROUPS = {
    "user": "complaint_center.group_complaint_user",
    "handler": "complaint_center.group_complaint_handler",
    "manager": "complaint_center.group_complaint_manager",
    "executive": "complaint_center.group_complaint_executive",
}
# Actions a handler may only take on complaints assigned to them or to
# their department; managers act on any complaint of their companies.
HANDLER_ACTIONS = ("accept", "propose", "resolve")
# Actions with a can_* button (``review`` is taken by action_close).
BUTTON_ACTIONS = tuple(action for action in lifecycle.TRANSITIONS if action != "review")
APPROVAL_ACTIVITY = "complaint_center.mail_activity_type_complaint_approval"
# Minutes a receipt time may run ahead of the server's clock.
INTAKE_CLOCK_SKEW = 5
# People complained about or responsible may not decide their own case.
RECUSED_ACTIONS = (
    "accept",
    "reject",
    "propose",
    "send_back",
    "approve",
    "resolve",
    "close",
    "force_close",
    "review",
    "reopen",
)


class ComplaintComplaint(models.Model):
    _name = "complaint.complaint"
    _description = "Customer Complaint"
    # rating.mixin extends mail.thread, so it comes first in the MRO.
    _inherit = [
        "complaint.workflow.mixin",
        "portal.mixin",
        "rating.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "date_received desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["name", "partner_id.name", "complainant_name"]

    # Intake ---------------------------------------------------------------
    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        index="trigram",
        default=lambda self: self.env._("New"),
    )
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True
    )
    # The complainant's contact is stored in system-only columns and shown
    # through the complainant_* fields only to the people handling the
    # complaint (保密: the complainant's identity is not disclosed).
    contact_name = fields.Char(
        compute="_compute_contact",
        store=True,
        readonly=False,
        precompute=True,
        copy=False,
        groups="base.group_system",
    )
    contact_phone = fields.Char(
        compute="_compute_contact",
        store=True,
        readonly=False,
        precompute=True,
        copy=False,
        groups="base.group_system",
    )
    contact_email = fields.Char(
        compute="_compute_contact",
        store=True,
        readonly=False,
        precompute=True,
        copy=False,
        groups="base.group_system",
    )
    contact_address = fields.Char(
        compute="_compute_contact",
        store=True,
        readonly=False,
        precompute=True,
        copy=False,
        groups="base.group_system",
    )
    complainant_name = fields.Char(
        compute="_compute_complainant",
        inverse="_inverse_complainant",
        search="_search_complainant_name",
        help="Person who made the complaint, when not the customer itself. "
        "Seen only by the people handling the complaint.",
    )
    complainant_phone = fields.Char(
        compute="_compute_complainant",
        inverse="_inverse_complainant",
        search="_search_complainant_phone",
    )
    complainant_email = fields.Char(
        compute="_compute_complainant",
        inverse="_inverse_complainant",
        search="_search_complainant_email",
    )
    complainant_address = fields.Char(
        compute="_compute_complainant", inverse="_inverse_complainant"
    )
    sale_order_id = fields.Many2one(
        "sale.order",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('partner_id', 'child_of', commercial_partner_id)]",
    )
    sale_line_ids = fields.Many2many(
        "sale.order.line",
        string="Order Lines",
        check_company=True,
        domain="[('order_id', '=', sale_order_id), ('display_type', '=', False)]",
        help="Order lines the complaint is about.",
    )
    product_ids = fields.Many2many(
        "product.product",
        string="Products",
        compute="_compute_product_ids",
        store=True,
        readonly=False,
        precompute=True,
    )
    channel = fields.Selection(
        CHANNELS, required=True, default="phone", tracking=True, index=True
    )
    category_id = fields.Many2one(
        "complaint.category",
        index=True,
        tracking=True,
        check_company=True,
    )
    severity = fields.Selection(
        SEVERITIES,
        required=True,
        default="general",
        tracking=True,
        index=True,
        help="Major: safety incidents, group complaints (three or more "
        "customers), media exposure, large losses. Major and critical cases "
        "are reported to leadership at once.",
    )
    description = fields.Html(
        help="The facts as the customer tells them: what happened, who and what "
        "is complained about, evidence and witnesses."
    )
    customer_request = fields.Selection(REMEDIES, help="Remedy the customer asks for.")
    claimed_amount = fields.Monetary(currency_field="currency_id")
    currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_currency_id",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    date_received = fields.Datetime(
        string="Received",
        required=True,
        default=fields.Datetime.now,
        index=True,
        tracking=True,
        copy=False,
        help="Set at intake; afterwards only a complaint manager corrects it, "
        "with a reason.",
    )
    date_occurred = fields.Datetime(string="Occurred")
    first_responder_id = fields.Many2one(
        "res.users",
        required=True,
        default=lambda self: self.env.user,
        tracking=True,
        copy=False,
        check_company=True,
        help="The employee who first received the complaint; stays accountable "
        "for its follow-up.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Handler",
        compute="_compute_routing",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('share', '=', False)]",
    )
    department_id = fields.Many2one(
        "hr.department",
        string="Responsible Department",
        compute="_compute_routing",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        tracking=True,
        check_company=True,
    )

    # Lifecycle ------------------------------------------------------------
    state = fields.Selection(
        COMPLAINT_STATE,
        required=True,
        default="new",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        group_expand=True,
    )
    validity = fields.Selection(
        VALIDITY,
        tracking=True,
        copy=False,
        help="Whether the complaint is founded, not founded or malicious.",
    )
    is_valid = fields.Boolean(compute="_compute_is_valid", store=True)
    rejection_reason = fields.Text(tracking=True, copy=False)
    parent_id = fields.Many2one(
        "complaint.complaint",
        string="Earlier Complaint",
        index="btree_not_null",
        check_company=True,
        help="The earlier complaint this one repeats or appeals.",
    )
    child_ids = fields.One2many(
        "complaint.complaint", "parent_id", string="Follow-up Complaints"
    )
    child_count = fields.Integer(
        string="Follow-up Count", compute="_compute_child_count"
    )
    reopen_count = fields.Integer(readonly=True, copy=False, tracking=True)

    # Facts stamped when met (deadlines: complaint_complaint_deadline.py) --
    date_acknowledged = fields.Datetime(string="Acknowledged On", copy=False)
    date_resolved = fields.Datetime(string="Resolved On", copy=False)
    date_closed = fields.Datetime(string="Closed On", copy=False)

    # Responsibility and recusal -------------------------------------------
    subject_employee_ids = fields.Many2many(
        "hr.employee",
        string="Employees Complained About",
        check_company=True,
        help="Staff whose conduct the complaint is about. They may not handle, "
        "approve or close it, nor see the complainant's details.",
    )
    responsibility_ids = fields.One2many(
        "complaint.responsibility", "complaint_id", string="Responsibilities"
    )
    involved_user_ids = fields.Many2many(
        "res.users",
        "complaint_complaint_involved_user_rel",
        string="Involved Users",
        compute="_compute_involved_user_ids",
        store=True,
        compute_sudo=True,
        help="Users of the employees complained about or named responsible: "
        "recused from this complaint.",
    )

    # Approval (主管领导批示) ------------------------------------------------
    proposed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_proposed = fields.Datetime(readonly=True, copy=False)
    approved_by_id = fields.Many2one(
        "res.users", readonly=True, copy=False, tracking=True
    )
    date_approved = fields.Datetime(readonly=True, copy=False)
    executive_approved_by_id = fields.Many2one(
        "res.users",
        string="Executive Approval",
        readonly=True,
        copy=False,
        tracking=True,
    )
    date_executive_approved = fields.Datetime(readonly=True, copy=False)
    # What was approved, frozen at the first approval: the executive check,
    # the credit note and the penalties read these, never the live fields.
    approved_severity = fields.Selection(SEVERITIES, readonly=True, copy=False)
    approved_compensation_amount = fields.Monetary(
        string="Approved Compensation",
        currency_field="currency_id",
        readonly=True,
        copy=False,
    )
    needs_executive = fields.Boolean(
        string="Needs Executive Approval",
        compute="_compute_needs_executive",
        help="Major and critical complaints, compensation above the company "
        "threshold and complaints at the executive review level are approved "
        "by the general manager as well.",
    )
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

    # Resolution and feedback ----------------------------------------------
    resolution_type = fields.Selection(REMEDIES, tracking=True)
    resolution = fields.Html(string="Resolution Plan")
    compensation_amount = fields.Monetary(currency_field="currency_id", tracking=True)
    satisfaction = fields.Selection(SATISFACTION, tracking=True, copy=False)
    feedback = fields.Text(string="Customer Feedback", copy=False)
    date_feedback = fields.Datetime(string="Feedback Recorded", copy=False)

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

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "A complaint reference must be unique per company.",
        ),
        (
            "claimed_amount_positive",
            "CHECK(claimed_amount IS NULL OR claimed_amount >= 0)",
            "The claimed amount cannot be negative.",
        ),
        (
            "compensation_amount_positive",
            "CHECK(compensation_amount IS NULL OR compensation_amount >= 0)",
            "The compensation amount cannot be negative.",
        ),
    ]

    # Computes -------------------------------------------------------------
    @api.depends("partner_id")
    def _compute_contact(self):
        # Prefilled from the customer contact at intake; stored on the
        # complaint only, never written back to a partner.
        for rec in self:
            partner = rec.partner_id
            rec.contact_name = partner.name or False
            rec.contact_phone = partner.phone or partner.mobile or False
            rec.contact_email = partner.email or False
            rec.contact_address = (partner.contact_address or "").strip() or False

    @api.depends(
        *CONTACT_FIELDS.values(),
        "involved_user_ids",
        "user_id",
        "department_id",
        "first_responder_id",
    )
    @api.depends_context("uid")
    def _compute_complainant(self):
        allowed = self._complainant_readers()
        for rec in self:
            contact = rec.sudo() if rec in allowed else rec.browse()
            for shown, stored in CONTACT_FIELDS.items():
                rec[shown] = contact[stored] if contact else False

    def _inverse_complainant(self):
        allowed = self._complainant_readers()
        for rec in self:
            if rec not in allowed:
                raise AccessError(
                    self.env._(
                        "Only the people handling complaint %(ref)s see or change "
                        "the complainant's details.",
                        ref=rec.name,
                    )
                )
            rec.sudo().write(
                {stored: rec[shown] for shown, stored in CONTACT_FIELDS.items()}
            )

    def _search_complainant(self, operator, value, stored):
        """Search the confidential column among the complaints whose
        complainant the user may see only: nobody else finds a complaint by
        who made it."""
        domain = [(stored, operator, value)]
        if not self.env.su:
            domain = expression.AND([domain, self._complainant_domain()])
        return [("id", "in", self.sudo()._search(domain))]

    def _search_complainant_name(self, operator, value):
        return self._search_complainant(operator, value, "contact_name")

    def _search_complainant_phone(self, operator, value):
        return self._search_complainant(operator, value, "contact_phone")

    def _search_complainant_email(self, operator, value):
        return self._search_complainant(operator, value, "contact_email")

    @api.model
    def _complainant_domain(self):
        """Complaints whose complainant the current user may see: those they
        handle (assigned, their department's, or any for managers), logged
        or first received; never one they are involved in (保密, 回避)."""
        user = self.env.user
        roles = self._current_roles()
        not_involved = [("involved_user_ids", "not in", [user.id])]
        if "manager" in roles:
            return not_involved
        mine = [
            [("user_id", "=", user.id)],
            [("first_responder_id", "=", user.id)],
            [("create_uid", "=", user.id)],
        ]
        departments = user.employee_ids.department_id
        if "handler" in roles and departments:
            mine.append([("department_id", "in", departments.ids)])
        return expression.AND([not_involved, expression.OR(mine)])

    def _complainant_readers(self):
        """The complaints of ``self`` whose complainant the user may see."""
        if self.env.su:
            return self
        records = self.filtered("id")
        new = self - records
        if not records:
            return new
        return (
            records.sudo()
            .filtered_domain(self._complainant_domain())
            .sudo(False)
            .with_env(self.env)
            | new
        )

    @api.depends("sale_line_ids")
    def _compute_product_ids(self):
        for rec in self:
            rec.product_ids = [Command.set(rec.sale_line_ids.product_id.ids)]

    @api.depends("sale_order_id", "company_id")
    def _compute_currency_id(self):
        for rec in self:
            rec.currency_id = (
                rec.sale_order_id.currency_id or rec.company_id.currency_id
            )

    @api.depends("category_id")
    def _compute_routing(self):
        for rec in self:
            if rec.category_id.department_id:
                rec.department_id = rec.category_id.department_id
            if rec.category_id.user_id:
                rec.user_id = rec.category_id.user_id

    @api.depends("child_ids")
    def _compute_child_count(self):
        for rec in self:
            rec.child_count = len(rec.child_ids)

    @api.depends(
        "subject_employee_ids.user_id",
        "responsibility_ids.employee_id.user_id",
    )
    def _compute_involved_user_ids(self):
        for rec in self:
            rec.involved_user_ids = (
                rec.subject_employee_ids.user_id
                | rec.responsibility_ids.employee_id.user_id
            )

    @api.depends("reopen_count")
    def _compute_review_level(self):
        for rec in self:
            rec.review_level = str(lifecycle.review_level(rec.reopen_count))

    @api.depends(
        "severity",
        "compensation_amount",
        "currency_id",
        "review_level",
        "approved_by_id",
        "approved_severity",
        "approved_compensation_amount",
    )
    def _compute_needs_executive(self):
        for rec in self:
            severity, amount = rec._plan_figures()
            company = rec.company_id
            if rec.currency_id and amount:
                amount = rec.currency_id._convert(
                    amount,
                    company.currency_id,
                    company,
                    fields.Date.context_today(rec),
                )
            threshold = company.complaint_executive_threshold
            rec.needs_executive = bool(
                severity in ("major", "critical")
                or (threshold and amount > threshold)
                or rec.review_level == str(lifecycle.REVIEW_EXECUTIVE)
            )

    def _plan_figures(self):
        """``(severity, compensation)`` of the plan: as approved once the
        first approval froze them, else as proposed."""
        self.ensure_one()
        if self.approved_by_id:
            return self.approved_severity, self.approved_compensation_amount
        return self.severity, self.compensation_amount

    @api.depends("validity")
    def _compute_is_valid(self):
        for rec in self:
            rec.is_valid = rec.validity == "valid"

    @api.depends(
        "state",
        "user_id",
        "department_id",
        "involved_user_ids",
        "reopen_count",
        "proposed_by_id",
        "approved_by_id",
        "first_responder_id",
    )
    @api.depends_context("uid")
    def _compute_can(self):
        # The very guard the actions run: the button and the server agree.
        roles = self._current_roles()
        readable = self._filtered_access("read")
        for rec in self:
            for action in BUTTON_ACTIONS:
                rec[f"can_{action}"] = rec in readable and rec._allows(action, roles)

    # Constraints ----------------------------------------------------------
    @api.constrains("sale_order_id", "partner_id", "sale_line_ids")
    def _check_sale_order(self):
        for rec in self:
            order = rec.sale_order_id
            if (
                order
                and order.partner_id.commercial_partner_id
                != rec.partner_id.commercial_partner_id
            ):
                raise ValidationError(
                    self.env._(
                        "Sale order %(order)s belongs to %(owner)s, not to the "
                        "complaining customer %(customer)s.",
                        order=order.name,
                        owner=order.partner_id.commercial_partner_id.display_name,
                        customer=rec.partner_id.commercial_partner_id.display_name,
                    )
                )
            if rec.sale_line_ids.order_id - order:
                raise ValidationError(
                    self.env._(
                        "The order lines of complaint %(ref)s must come from its "
                        "sale order.",
                        ref=rec.name,
                    )
                )

    @api.constrains("user_id", "involved_user_ids")
    def _check_handler_not_involved(self):
        for rec in self:
            if rec.user_id and rec.user_id in rec.involved_user_ids:
                raise ValidationError(
                    self.env._(
                        "%(user)s is complained about or responsible in complaint "
                        "%(ref)s and must not handle it.",
                        user=rec.user_id.name,
                        ref=rec.name,
                    )
                )

    @api.constrains("date_received", "date_occurred")
    def _check_dates(self):
        for rec in self:
            if rec.date_occurred and rec.date_occurred > rec.date_received:
                raise ValidationError(
                    self.env._(
                        "A complaint cannot be about something that occurred "
                        "after it was received."
                    )
                )

    @api.constrains("parent_id")
    def _check_parent(self):
        if self._has_cycle():
            raise ValidationError(self.env._("A complaint cannot follow itself."))

    # Workflow guard (complaint.workflow.mixin) ------------------------------
    @api.model
    def _workflow_guarded_fields(self):
        return super()._workflow_guarded_fields() | {
            "contact_name",
            "contact_phone",
            "contact_email",
            "contact_address",
            "reopen_count",
            "date_acknowledged",
            "date_resolved",
            "date_closed",
            "date_feedback",
            "proposed_by_id",
            "date_proposed",
            "approved_by_id",
            "date_approved",
            "executive_approved_by_id",
            "date_executive_approved",
            "approved_severity",
            "approved_compensation_amount",
        }

    @api.model
    def _workflow_editable_fields(self):
        """Per state, what a user may still change. Feature files add their
        fields with ``super()``; anything not listed is frozen."""
        open_ = ROUTING_FIELDS | INTAKE_FIELDS
        return {
            "new": open_ | DEADLINE_INPUT_FIELDS | PLAN_FIELDS | VALIDITY_FIELDS,
            "investigating": open_ | PLAN_FIELDS | VALIDITY_FIELDS,
            "proposed": set(ROUTING_FIELDS),
            "approved": set(ROUTING_FIELDS),
            "resolved": FEEDBACK_FIELDS | {"force_close_reason"},
            # Archiving follows the closing rules: only what is over.
            "closed": {"active"},
            "rejected": {"active"},
            "cancelled": {"active"},
        }

    # CRUD -----------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self._check_intake_values(vals_list)
        for vals in vals_list:
            if not vals.get("name") or vals["name"] == self.env._("New"):
                company = self.env["res.company"].browse(
                    vals.get("company_id") or self.env.company.id
                )
                received = fields.Datetime.to_datetime(
                    vals.get("date_received") or fields.Datetime.now()
                )
                vals["name"] = self._next_reference(company, received)
        complaints = super().create(vals_list)
        complaints._schedule_handler_activity()
        return complaints

    @api.model
    def _check_intake_values(self, vals_list):
        """What a user sets at intake: never a reference of their choosing,
        a receipt in the future, or someone else as first responder (a
        manager may log a complaint for a colleague)."""
        is_manager = "manager" in self._current_roles()
        latest = fields.Datetime.now() + timedelta(minutes=INTAKE_CLOCK_SKEW)
        for vals in vals_list:
            if vals.get("name") and vals["name"] != self.env._("New"):
                raise AccessError(
                    self.env._("Complaint references are given by the system.")
                )
            received = vals.get("date_received")
            if received and fields.Datetime.to_datetime(received) > latest:
                raise ValidationError(
                    self.env._("A complaint cannot be received in the future.")
                )
            responder = vals.get("first_responder_id")
            if responder and responder != self.env.uid and not is_manager:
                raise AccessError(
                    self.env._(
                        "You are the first responder of the complaints you log; "
                        "only a complaint manager logs one for a colleague."
                    )
                )

    def write(self, vals):
        if "active" in vals and not self.env.su:
            self._check_archive()
        if "subject_employee_ids" in vals and not self.env.su:
            self._check_subjects_editor()
        if "user_id" in vals and not self.env.su:
            self._check_handler_change(vals["user_id"])
        if FEEDBACK_FIELDS & set(vals) and not self.env.su:
            self._check_feedback_recorder()
        old_handlers = {rec: rec.user_id for rec in self} if "user_id" in vals else {}
        res = super().write(vals)
        if old_handlers:
            # Checked above; a handler who handed a complaint over may no
            # longer read it, the follow-up work is the server's.
            self.sudo()._after_handler_change(old_handlers)
        return res

    def _after_handler_change(self, old_handlers):
        """Hook run when handlers were (re)assigned; ``old_handlers`` maps
        each complaint to its previous handler."""
        self.filtered(
            lambda rec: rec.user_id and rec.user_id != old_handlers[rec]
        )._schedule_handler_activity()

    def _check_subjects_editor(self):
        """Who is complained about is set at intake, then only by the people
        handling the complaint: nobody takes themselves off the list."""
        for rec in self:
            if not rec._is_handler():
                raise AccessError(
                    self.env._(
                        "Only the handler of complaint %(ref)s or a complaint "
                        "manager changes who is complained about.",
                        ref=rec.name,
                    )
                )

    def _check_feedback_recorder(self):
        """The customer's feedback decides whether the complaint may close:
        recorded by its handler (or a manager), by a return visit, or by the
        customer's own rating, never by anyone else."""
        for rec in self:
            if not rec._is_handler():
                raise AccessError(
                    self.env._(
                        "Only the handler of complaint %(ref)s records the "
                        "customer's feedback.",
                        ref=rec.name,
                    )
                )

    def _check_handler_change(self, new_handler_id):
        """A complaint changes hands through a complaint manager, or its
        handler handing it over; nobody takes over a colleague's case."""
        if "manager" in self._current_roles():
            return
        for rec in self:
            if rec.user_id and rec.user_id.id != new_handler_id:
                if rec.user_id != self.env.user:
                    raise AccessError(
                        self.env._(
                            "Complaint %(ref)s is handled by %(handler)s; only a "
                            "complaint manager or the handler reassigns it.",
                            ref=rec.name,
                            handler=rec.user_id.name,
                        )
                    )

    def _check_archive(self):
        if "manager" not in self._current_roles():
            raise AccessError(
                self.env._("Only a complaint manager archives or restores complaints.")
            )

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
            if "manager" not in roles or not rec._allows("cancel", roles):
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

    def copy_data(self, default=None):
        # A duplicate is a fresh intake: new reference, received now by the
        # user, and the complainant's details copied only for those who see
        # them (the stored columns are system-only).
        vals_list = super().copy_data(default=default)
        for rec, vals in zip(self, vals_list, strict=True):
            if rec in rec._complainant_readers():
                contact = rec.sudo()
                vals.update(
                    {shown: contact[stored] for shown, stored in CONTACT_FIELDS.items()}
                )
        return vals_list

    # Portal ---------------------------------------------------------------
    def _compute_access_url(self):
        # Replaces portal.mixin's "#" placeholder for every record.
        for rec in self:
            rec.access_url = f"/my/complaints/{rec.id}"

    # Transitions ----------------------------------------------------------
    def action_accept(self):
        """The complaint is valid (成立): start investigating."""
        self._transition("accept", {"validity": "valid"}, stamp="date_acknowledged")
        return True

    def action_reject(self):
        """Not valid (不成立) or malicious (恶意): answer and stop."""
        self._check_allowed("reject")
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
        self._transition("reject", lambda rec: {"validity": rec.validity or "invalid"})
        self.sudo().activity_unlink(
            ["complaint_center.mail_activity_type_complaint_handle", APPROVAL_ACTIVITY]
        )
        return True

    def action_propose(self):
        self._check_allowed("propose")
        for rec in self:
            if not rec.resolution_type or is_html_empty(rec.resolution):
                raise UserError(
                    self.env._(
                        "Complaint %(ref)s needs a resolution type and a written "
                        "plan before it is proposed.",
                        ref=rec.name,
                    )
                )
        self._transition(
            "propose",
            {
                "proposed_by_id": self.env.user.id,
                "date_proposed": fields.Datetime.now(),
                **self._approval_reset_values(),
            },
        )
        return True

    def action_send_back(self):
        """The plan is not approved: back to investigation."""
        self._transition("send_back", self._approval_reset_values())
        self.sudo().activity_unlink([APPROVAL_ACTIVITY])
        return True

    def action_approve(self):
        """Approve the plan: a complaint manager, plus the executive when
        ``needs_executive``; never the proposer, never someone involved. The
        first approval freezes the approved severity and compensation."""
        roles = self._check_allowed("approve")
        now = fields.Datetime.now()
        user = self.env.user
        done = self.browse()
        for rec in self:
            if not rec.approved_by_id:
                rec.sudo().write(
                    {
                        "approved_by_id": user.id,
                        "date_approved": now,
                        "approved_severity": rec.severity,
                        "approved_compensation_amount": rec.compensation_amount,
                    }
                )
                if rec.needs_executive:
                    rec._ask_executive_approval()
                    continue
            else:
                rec.sudo().write(
                    {
                        "executive_approved_by_id": user.id,
                        "date_executive_approved": now,
                    }
                )
            done |= rec
        done._write_transition("approve", roles)
        self._close_approval_activities()
        return True

    def _approval_reset_values(self):
        return {
            "approved_by_id": False,
            "date_approved": False,
            "executive_approved_by_id": False,
            "date_executive_approved": False,
            "approved_severity": False,
            "approved_compensation_amount": 0.0,
        }

    def _ask_executive_approval(self):
        self.ensure_one()
        executives = self.company_id._complaint_people("executive")
        for user in executives - self.env.user:
            self.activity_schedule(
                APPROVAL_ACTIVITY,
                summary=self.env._(
                    "Approve the plan of complaint %(ref)s", ref=self.name
                ),
                user_id=user.id,
            )
        self.message_post(
            body=self.env._(
                "Plan approved by %(user)s; waiting for the executive's approval.",
                user=self.env.user.name,
            ),
            subtype_xmlid="mail.mt_note",
        )

    def _close_approval_activities(self):
        """Once the plan is approved, every approver's to-do is answered."""
        approved = self.filtered(lambda rec: rec.state != "proposed")
        approved.sudo().activity_feedback([APPROVAL_ACTIVITY])

    def action_resolve(self):
        self._transition("resolve", stamp="date_resolved")
        self.activity_feedback(["complaint_center.mail_activity_type_complaint_handle"])
        return True

    def action_close(self):
        """Close with the customer's agreement. An unsatisfied customer sends
        the complaint back for another review (复审) instead."""
        self._check_allowed("close")
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
            unsatisfied._transition("review", lambda rec: rec._reopen_values())
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
        satisfied._transition("close", stamp="date_closed")
        return True

    def action_force_close(self):
        """A manager closes without the customer's agreement, in writing."""
        self._check_allowed("force_close")
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
        self._transition("force_close", stamp="date_closed")
        return True

    def _check_can_close(self, force=False):
        """Hook: raise ``UserError`` when a complaint may not be closed yet
        (``force``: a manager closes without the customer's agreement)."""
        return True

    def action_reopen(self):
        """Appeal or re-review: back to investigation, history kept."""
        self._transition("reopen", lambda rec: rec._reopen_values())
        self._schedule_handler_activity()
        return True

    def _reopen_values(self):
        """Values of a complaint handled again: the review level rises, the
        outcome of the previous round is cleared (the chatter keeps it).
        Feature files add theirs with ``super()``."""
        self.ensure_one()
        return {
            "reopen_count": self.reopen_count + 1,
            "date_closed": False,
            "date_resolved": False,
            "date_feedback": False,
            "satisfaction": False,
            **self._approval_reset_values(),
        }

    def action_cancel(self):
        self._transition("cancel")
        self.sudo().activity_unlink(
            ["complaint_center.mail_activity_type_complaint_handle", APPROVAL_ACTIVITY]
        )
        return True

    def action_record_feedback(self):
        """Stamp when the customer's feedback was recorded (its handler)."""
        for rec in self:
            rec._check_record_feedback()
            if not rec.satisfaction:
                raise UserError(self.env._("Choose the customer's satisfaction first."))
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

    def _after_feedback(self):
        """Hook run once the customer's feedback is recorded."""

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

    # Business methods -----------------------------------------------------
    def _transition(self, action, values=None, stamp=None):
        """The one writer of the lifecycle: check every record first, then
        move them all as superuser (the guard refuses these fields to
        anyone else); ``values`` is a dict or a function of the record."""
        roles = self._check_allowed(action)
        self._write_transition(action, roles, values, stamp)

    def _write_transition(self, action, roles, values=None, stamp=None):
        """Write a transition already checked by ``_check_allowed``."""
        now = fields.Datetime.now()
        for rec in self:
            vals = dict((values(rec) if callable(values) else values) or {})
            vals["state"] = lifecycle.target_state(action, rec.state, roles)
            if stamp and not rec[stamp]:
                vals[stamp] = now
            rec.sudo().write(vals)
        self._after_transition(action)

    def _after_transition(self, action):
        """Hook run after ``action`` moved the complaints (deadlines, mails,
        accounting, follow-up records). ``self`` holds the moved complaints."""

    def _check_allowed(self, action, roles=None):
        """Raise unless the current user may take ``action`` on every
        complaint of ``self``; returns the user's roles."""
        roles = self._current_roles() if roles is None else roles
        for rec in self:
            rec._check_transition(action, roles)
        return roles

    def _allows(self, action, roles):
        """Whether ``_check_transition`` lets ``action`` through."""
        return self._workflow_allows("_check_transition", action, roles)

    def _check_transition(self, action, roles):
        """The guard of every lifecycle action, shared by the action and its
        ``can_*`` button: state (the table), role, recusal, the handler's own
        complaints, and who may approve."""
        self.ensure_one()
        try:
            lifecycle.target_state(action, self.state, roles)
        except lifecycle.TransitionError as err:
            states = dict(self._fields["state"]._description_selection(self.env))
            if err.reason == "role":
                raise AccessError(
                    self.env._(
                        "You are not allowed to %(action)s complaint %(ref)s.",
                        action=self._action_label(action),
                        ref=self.name,
                    )
                ) from err
            raise UserError(
                self.env._(
                    "Complaint %(ref)s is %(state)s; it can %(action)s only when "
                    "%(allowed)s.",
                    ref=self.name,
                    state=states[self.state],
                    action=self._action_label(action),
                    allowed=", ".join(
                        states[s] for s in lifecycle.STATE_KEYS if s in err.allowed
                    ),
                )
            ) from err
        if action in RECUSED_ACTIONS and self.env.user in self.involved_user_ids:
            raise AccessError(
                self.env._(
                    "You are complained about or responsible in complaint %(ref)s "
                    "and must stay out of its handling.",
                    ref=self.name,
                )
            )
        if action == "reopen" and self.reopen_count and "executive" not in roles:
            raise AccessError(
                self.env._(
                    "Complaint %(ref)s was already reviewed again; a further appeal "
                    "goes to the executive.",
                    ref=self.name,
                )
            )
        if action == "approve":
            self._check_approver(roles)
        if not self._may_act(action, roles):
            raise AccessError(
                self.env._(
                    "Complaint %(ref)s is handled by %(handler)s (%(department)s); "
                    "you may not %(action)s it.",
                    ref=self.name,
                    handler=self.user_id.name or "-",
                    department=self.department_id.name or "-",
                    action=self._action_label(action),
                )
            )

    def _check_approver(self, roles):
        """Never the proposer; the second approval (executive) from another
        person than the first."""
        user = self.env.user
        if user == self.proposed_by_id:
            raise AccessError(
                self.env._(
                    "You proposed the plan of complaint %(ref)s; someone else "
                    "must approve it.",
                    ref=self.name,
                )
            )
        if not self.approved_by_id:
            return
        if "executive" not in roles:
            raise AccessError(
                self.env._(
                    "Complaint %(ref)s was approved by the complaint manager and "
                    "now needs the executive's approval.",
                    ref=self.name,
                )
            )
        if user == self.approved_by_id:
            raise AccessError(
                self.env._(
                    "You already approved complaint %(ref)s; the second approval "
                    "must come from another person.",
                    ref=self.name,
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

    def _may_act(self, action, roles):
        """Record-level part of the rule: a handler (not a manager) acts only on
        complaints assigned to them or to their department, or still
        unassigned; a plain user cancels only what they received."""
        self.ensure_one()
        user = self.env.user
        if action in RECUSED_ACTIONS and user in self.involved_user_ids:
            return False
        rank = lifecycle.ROLE_RANK.get(lifecycle.highest_role(roles), 0)
        if action == "reopen" and self.reopen_count:
            # An appeal after a second review goes to the executive.
            return rank >= lifecycle.ROLE_RANK["executive"]
        if rank >= lifecycle.ROLE_RANK["manager"]:
            return True
        if action in HANDLER_ACTIONS:
            if not self.user_id or self.user_id == user:
                return True
            departments = user.employee_ids.department_id
            return bool(self.department_id and self.department_id in departments)
        if action == "cancel":
            return user in (self.first_responder_id | self.create_uid)
        return True

    def _is_handler(self):
        """Whether the current user handles this complaint: a handler it is
        assigned to (or to whose department), or a manager; never someone
        involved in it. Extensions, replies, visits and actions use it."""
        self.ensure_one()
        roles = self._current_roles()
        rank = lifecycle.ROLE_RANK.get(lifecycle.highest_role(roles), 0)
        return rank >= lifecycle.ROLE_RANK["handler"] and self._may_act(
            "resolve", roles
        )

    @api.model
    def _current_roles(self):
        user = self.env.user
        return {role for role, xmlid in ROLE_GROUPS.items() if user.has_group(xmlid)}

    @api.model
    def _next_reference(self, company, received):
        """``<prefix>YYMM-NNNN`` from the company's sequence, whose serial
        restarts each month through one date range per month.

        The sequence is gapless (``no_gap``): the number is taken by an
        UPDATE of the month's row, rolled back with a failed save, and two
        concurrent creates wait on the row lock (``NOWAIT``: Odoo retries
        the second request), so the register never has holes (瞒报、漏报).
        """
        local = self._to_local(received, self._company_tz(company))
        sequence = self._complaint_sequence(company)
        # Lock the sequence before looking for the month's range, so that two
        # first complaints of a month cannot each create one.
        self.env.cr.execute(
            SQL(
                "SELECT id FROM ir_sequence WHERE id = %s FOR UPDATE NOWAIT",
                sequence.id,
            )
        )
        first, last = reference.month_bounds(local)
        ranges = self.env["ir.sequence.date_range"].sudo()
        if not ranges.search_count(
            [
                ("sequence_id", "=", sequence.id),
                ("date_from", "<=", first),
                ("date_to", ">=", first),
            ],
            limit=1,
        ):
            ranges.create(
                {"sequence_id": sequence.id, "date_from": first, "date_to": last}
            )
        serial = int(sequence.next_by_id(sequence_date=first))
        return reference.format_reference(company.complaint_ref_prefix, local, serial)

    @api.model
    def _complaint_sequence(self, company):
        """The company's gapless complaint sequence, created on first use; a
        sequence made gap-allowing earlier is converted, keeping its
        counters."""
        sequence = company.sudo().complaint_sequence_id
        if not sequence:
            sequence = (
                self.env["ir.sequence"]
                .sudo()
                .create(
                    {
                        "name": self.env._(
                            "Complaints (%(company)s)", company=company.name
                        ),
                        "code": "complaint.complaint",
                        "company_id": company.id,
                        "implementation": "no_gap",
                        "use_date_range": True,
                        "padding": reference.DEFAULT_PADDING,
                    }
                )
            )
            company.sudo().complaint_sequence_id = sequence
        elif sequence.implementation != "no_gap":
            for date_range in sequence.date_range_ids:
                date_range.number_next = date_range.number_next_actual
            sequence.write({"implementation": "no_gap"})
        return sequence

    def _schedule_handler_activity(self):
        for rec in self:
            if not rec.user_id or rec.state not in lifecycle.OPEN_STATES:
                continue
            rec.activity_schedule(
                "complaint_center.mail_activity_type_complaint_handle",
                date_deadline=(
                    rec.date_resolve_deadline or fields.Datetime.now()
                ).date(),
                user_id=rec.user_id.id,
            )

    @api.model
    def _company_tz(self, company):
        tz_name = company.partner_id.tz or company.resource_calendar_id.tz or "UTC"
        return pytz.timezone(tz_name)

    @api.model
    def _to_local(self, value, tz):
        return pytz.utc.localize(value).astimezone(tz).replace(tzinfo=None)

    @api.model
    def _to_utc(self, value, tz):
        return tz.localize(value).astimezone(pytz.utc).replace(tzinfo=None)

    def _track_subtype(self, init_values):
        self.ensure_one()
        if "state" in init_values:
            return self.env.ref("complaint_center.mt_complaint_state")
        return super()._track_subtype(init_values)
