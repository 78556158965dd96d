import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tools import is_html_empty

from ..core import lifecycle, reference

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
    "reopen",
)


class ComplaintComplaint(models.Model):
    _name = "complaint.complaint"
    _description = "Customer Complaint"
    # rating.mixin extends mail.thread, so it comes first in the MRO.
    _inherit = ["portal.mixin", "rating.mixin", "mail.thread", "mail.activity.mixin"]
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
    # through the fields below, blank for people involved in the complaint
    # (被投诉人员应回避; the complainant's identity is not disclosed to them).
    contact_name = fields.Char(
        compute="_compute_contact",
        store=True,
        readonly=False,
        precompute=True,
        groups="base.group_system",
    )
    contact_phone = fields.Char(
        compute="_compute_contact",
        store=True,
        readonly=False,
        precompute=True,
        groups="base.group_system",
    )
    contact_email = fields.Char(
        compute="_compute_contact",
        store=True,
        readonly=False,
        precompute=True,
        groups="base.group_system",
    )
    complainant_name = fields.Char(
        compute="_compute_complainant",
        inverse="_inverse_complainant",
        search="_search_complainant_name",
        help="Person who made the complaint, when not the customer itself.",
    )
    complainant_phone = fields.Char(
        compute="_compute_complainant", inverse="_inverse_complainant"
    )
    complainant_email = fields.Char(
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
    )
    date_occurred = fields.Datetime(string="Occurred")
    first_responder_id = fields.Many2one(
        "res.users",
        required=True,
        default=lambda self: self.env.user,
        tracking=True,
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
        for rec in self:
            partner = rec.partner_id
            rec.contact_name = partner.name or False
            rec.contact_phone = partner.phone or partner.mobile or False
            rec.contact_email = partner.email or False

    @api.depends("contact_name", "contact_phone", "contact_email", "involved_user_ids")
    @api.depends_context("uid")
    def _compute_complainant(self):
        user = self.env.user
        for rec in self:
            hidden = not self.env.su and user in rec.involved_user_ids
            contact = rec.sudo()
            rec.complainant_name = not hidden and contact.contact_name
            rec.complainant_phone = not hidden and contact.contact_phone
            rec.complainant_email = not hidden and contact.contact_email

    def _inverse_complainant(self):
        for rec in self:
            if not self.env.su and self.env.user in rec.involved_user_ids:
                raise AccessError(
                    self.env._(
                        "You are involved in complaint %(ref)s and may not see or "
                        "change the complainant's details.",
                        ref=rec.name,
                    )
                )
            rec.sudo().write(
                {
                    "contact_name": rec.complainant_name,
                    "contact_phone": rec.complainant_phone,
                    "contact_email": rec.complainant_email,
                }
            )

    def _search_complainant_name(self, operator, value):
        matching = self.sudo()._search([("contact_name", operator, value)])
        return [("id", "in", matching)]

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

    @api.depends("severity", "compensation_amount", "currency_id", "review_level")
    def _compute_needs_executive(self):
        for rec in self:
            company = rec.company_id
            amount = (
                rec.currency_id._convert(
                    rec.compensation_amount,
                    company.currency_id,
                    company,
                    fields.Date.context_today(rec),
                )
                if rec.currency_id and rec.compensation_amount
                else 0.0
            )
            threshold = company.complaint_executive_threshold
            rec.needs_executive = bool(
                rec.severity in ("major", "critical")
                or (threshold and amount > threshold)
                or rec.review_level == str(lifecycle.REVIEW_EXECUTIVE)
            )

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
    )
    @api.depends_context("uid")
    def _compute_can(self):
        roles = self._current_roles()
        user = self.env.user
        for rec in self:
            allowed = set(lifecycle.available_actions(rec.state, roles))
            for action in lifecycle.TRANSITIONS:
                ok = action in allowed and rec._may_act(action, roles)
                rec[f"can_{action}"] = ok
            if rec.can_approve:
                rec.can_approve = user != rec.proposed_by_id and (
                    not rec.approved_by_id
                    or ("executive" in roles and user != rec.approved_by_id)
                )

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

    # CRUD -----------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(
            vals.get("state", "new") != "new" for vals in vals_list
        ):
            raise UserError(self.env._("A new complaint always starts as New."))
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

    def write(self, vals):
        if "state" in vals and not self.env.context.get("complaint_transition"):
            raise UserError(
                self.env._(
                    "The state of a complaint changes only through its buttons "
                    "(accept, propose, approve, ...)."
                )
            )
        if "reopen_count" in vals or "escalation_level" in vals:
            if not (self.env.su or self.env.context.get("complaint_transition")):
                raise UserError(
                    self.env._(
                        "Reopen count and escalation level are set by the system."
                    )
                )
        old_handlers = {rec: rec.user_id for rec in self} if "user_id" in vals else {}
        res = super().write(vals)
        if vals.get("user_id"):
            self._stamp_decided()
        if old_handlers:
            self.filtered(
                lambda rec: rec.user_id and rec.user_id != old_handlers[rec]
            )._schedule_handler_activity()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_new(self):
        if any(rec.state != "new" for rec in self):
            raise UserError(
                self.env._(
                    "Only new complaints can be deleted; archive the others "
                    "instead so that nothing is lost."
                )
            )

    # Portal ---------------------------------------------------------------
    def _compute_access_url(self):
        # Replaces portal.mixin's "#" placeholder for every record.
        for rec in self:
            rec.access_url = f"/my/complaints/{rec.id}"

    # Transitions ----------------------------------------------------------
    def action_accept(self):
        """The complaint is valid (成立): start investigating."""
        self._transition("accept", {"validity": "valid"}, stamp="date_acknowledged")
        self._stamp_decided()
        self._reset_escalation()
        return True

    def action_reject(self):
        """Not valid (不成立) or malicious (恶意): answer and stop."""
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
        return True

    def action_propose(self):
        for rec in self:
            if not rec.resolution_type or is_html_empty(rec.resolution):
                raise UserError(
                    self.env._(
                        "Complaint %(ref)s needs a resolution type and a written "
                        "plan before it is proposed.",
                        ref=rec.name,
                    )
                )
        self._transition("propose")
        self.write(
            {
                "proposed_by_id": self.env.user.id,
                "date_proposed": fields.Datetime.now(),
                "approved_by_id": False,
                "date_approved": False,
                "executive_approved_by_id": False,
                "date_executive_approved": False,
            }
        )
        return True

    def action_send_back(self):
        """The plan is not approved: back to investigation."""
        self._transition("send_back")
        return True

    def action_approve(self):
        """Approve the plan: a complaint manager, plus the executive when
        ``needs_executive``; never the proposer, never someone involved."""
        roles = self._current_roles()
        now = fields.Datetime.now()
        for rec in self:
            rec._check_transition("approve", roles)
            if self.env.user == rec.proposed_by_id:
                raise AccessError(
                    self.env._(
                        "You proposed the plan of complaint %(ref)s; someone else "
                        "must approve it.",
                        ref=rec.name,
                    )
                )
            first = not rec.approved_by_id
            if first:
                rec.write({"approved_by_id": self.env.user.id, "date_approved": now})
                if rec.needs_executive:
                    rec._ask_executive_approval()
                    continue
            else:
                if "executive" not in roles:
                    raise AccessError(
                        self.env._(
                            "Complaint %(ref)s was approved by the complaint "
                            "manager and now needs the executive's approval.",
                            ref=rec.name,
                        )
                    )
                if self.env.user == rec.approved_by_id:
                    raise AccessError(
                        self.env._(
                            "You already approved complaint %(ref)s; the second "
                            "approval must come from another person.",
                            ref=rec.name,
                        )
                    )
                rec.write(
                    {
                        "executive_approved_by_id": self.env.user.id,
                        "date_executive_approved": now,
                    }
                )
            rec._transition("approve")
        return True

    def _ask_executive_approval(self):
        self.ensure_one()
        executives = self.company_id._complaint_people("executive")
        for user in executives - self.env.user:
            self.activity_schedule(
                "mail.mail_activity_data_todo",
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

    def action_resolve(self):
        self._transition("resolve", stamp="date_resolved")
        self._stamp_delay_responsible()
        self._reset_escalation()
        self.activity_feedback(["complaint_center.mail_activity_type_complaint_handle"])
        return True

    def action_close(self):
        """Close with the customer's agreement. An unsatisfied customer sends
        the complaint back for another review (复审) instead."""
        roles = self._current_roles()
        for rec in self:
            rec._check_transition("close", roles)
            if not rec.satisfaction:
                raise UserError(
                    self.env._(
                        "Record the customer's feedback on complaint %(ref)s "
                        "(satisfaction) before closing it.",
                        ref=rec.name,
                    )
                )
        unsatisfied = self.filtered(lambda rec: rec.satisfaction == "unsatisfied")
        for rec in unsatisfied:
            rec.with_context(complaint_transition=True).write(
                dict(rec._reopen_values(), state="investigating")
            )
            rec.message_post(
                body=self.env._(
                    "The customer is not satisfied: complaint sent back for review "
                    "(level %(level)s).",
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
        outcome of the previous round is cleared (the chatter keeps it)."""
        self.ensure_one()
        return {
            "reopen_count": self.reopen_count + 1,
            "escalated_deadline": False,
            "escalation_level": 0,
            "delay_responsible_id": False,
            "date_closed": False,
            "date_resolved": False,
            "date_feedback": False,
            "satisfaction": False,
            "approved_by_id": False,
            "date_approved": False,
            "executive_approved_by_id": False,
            "date_executive_approved": False,
        }

    def action_cancel(self):
        self._transition("cancel")
        self.activity_unlink(["complaint_center.mail_activity_type_complaint_handle"])
        return True

    def action_record_feedback(self):
        """Stamp when the customer's feedback was recorded (its handler)."""
        for rec in self:
            if rec.state != "resolved":
                raise UserError(
                    self.env._(
                        "Feedback is recorded on resolved complaints; %(ref)s is not.",
                        ref=rec.name,
                    )
                )
            if not self.env.su and not rec._is_handler():
                raise AccessError(
                    self.env._(
                        "Only the handler of complaint %(ref)s records its feedback.",
                        ref=rec.name,
                    )
                )
            if not rec.satisfaction:
                raise UserError(self.env._("Choose the customer's satisfaction first."))
        self.write({"date_feedback": fields.Datetime.now()})
        self._reset_escalation()
        return True

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
        """Check every record first, then move them all; ``values`` is a dict
        or a function of the record giving one."""
        roles = self._current_roles()
        for rec in self:
            rec._check_transition(action, roles)
        now = fields.Datetime.now()
        for rec in self:
            vals = dict((values(rec) if callable(values) else values) or {})
            vals["state"] = lifecycle.target_state(action, rec.state, roles)
            if stamp and not rec[stamp]:
                vals[stamp] = now
            rec.with_context(complaint_transition=True).write(vals)
        self._after_transition(action)

    def _after_transition(self, action):
        """Hook run after ``action`` moved the complaints (mails, accounting,
        follow-up records). ``self`` holds the moved complaints."""

    def _check_transition(self, action, roles):
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

    def _action_label(self, action):
        return {
            "accept": self.env._("accept"),
            "reject": self.env._("reject"),
            "propose": self.env._("propose a plan for"),
            "send_back": self.env._("send back"),
            "approve": self.env._("approve"),
            "resolve": self.env._("resolve"),
            "close": self.env._("close"),
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
        restarts each month through one date range per month."""
        local = self._to_local(received, self._company_tz(company))
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
                        "implementation": "standard",
                        "use_date_range": True,
                        "padding": reference.DEFAULT_PADDING,
                    }
                )
            )
            company.sudo().complaint_sequence_id = sequence
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
            todo.write({"date_decided": fields.Datetime.now()})

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
