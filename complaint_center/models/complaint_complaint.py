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


class ComplaintComplaint(models.Model):
    _name = "complaint.complaint"
    _description = "Customer Complaint"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
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
    complainant_name = fields.Char(
        compute="_compute_complainant",
        store=True,
        readonly=False,
        precompute=True,
        help="Person who made the complaint, when not the customer itself.",
    )
    complainant_phone = fields.Char(
        compute="_compute_complainant", store=True, readonly=False, precompute=True
    )
    complainant_email = fields.Char(
        compute="_compute_complainant", store=True, readonly=False, precompute=True
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
        help="首问负责人: the employee who first received the complaint; stays "
        "accountable for follow-up.",
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
        help="Whether the complaint is founded (成立), not founded (不成立) or "
        "malicious (恶意).",
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
    child_count = fields.Integer(compute="_compute_child_count")
    reopen_count = fields.Integer(readonly=True, copy=False, tracking=True)

    # Facts stamped when met (deadlines: complaint_complaint_deadline.py) --
    date_acknowledged = fields.Datetime(string="Acknowledged", copy=False)
    date_resolved = fields.Datetime(string="Resolved", copy=False)
    date_closed = fields.Datetime(string="Closed", copy=False)

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
    def _compute_complainant(self):
        for rec in self:
            partner = rec.partner_id
            rec.complainant_name = partner.name or False
            rec.complainant_phone = partner.phone or partner.mobile or False
            rec.complainant_email = partner.email or False

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

    @api.depends("validity")
    def _compute_is_valid(self):
        for rec in self:
            rec.is_valid = rec.validity == "valid"

    @api.depends("state", "user_id", "department_id")
    @api.depends_context("uid")
    def _compute_can(self):
        roles = self._current_roles()
        for rec in self:
            allowed = set(lifecycle.available_actions(rec.state, roles))
            for action in lifecycle.TRANSITIONS:
                ok = action in allowed and rec._may_act(action, roles)
                rec[f"can_{action}"] = ok

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
        return True

    def action_send_back(self):
        """The plan is not approved: back to investigation."""
        self._transition("send_back")
        return True

    def action_approve(self):
        self._transition("approve")
        return True

    def action_resolve(self):
        self._transition("resolve", stamp="date_resolved")
        self._stamp_delay_responsible()
        self._reset_escalation()
        self.activity_feedback(["complaint_center.mail_activity_type_complaint_handle"])
        return True

    def action_close(self):
        for rec in self:
            if not rec.satisfaction:
                raise UserError(
                    self.env._(
                        "Record the customer's feedback on complaint %(ref)s "
                        "(satisfaction) before closing it.",
                        ref=rec.name,
                    )
                )
            if rec.satisfaction == "unsatisfied":
                raise UserError(
                    self.env._(
                        "The customer is not satisfied with complaint %(ref)s: "
                        "reopen it for another review instead of closing it.",
                        ref=rec.name,
                    )
                )
        self._check_can_close()
        self._transition("close", stamp="date_closed")
        return True

    def _check_can_close(self, force=False):
        """Hook: raise ``UserError`` when a complaint may not be closed yet
        (``force``: a manager closes without the customer's agreement)."""
        return True

    def action_reopen(self):
        """Appeal or re-review: back to investigation, history kept."""
        self._transition(
            "reopen",
            lambda rec: {
                "reopen_count": rec.reopen_count + 1,
                "escalated_deadline": False,
                "delay_responsible_id": False,
                "date_closed": False,
                "date_resolved": False,
                "date_feedback": False,
                "satisfaction": False,
                "escalation_level": 0,
            },
        )
        self._schedule_handler_activity()
        return True

    def action_cancel(self):
        self._transition("cancel")
        self.activity_unlink(["complaint_center.mail_activity_type_complaint_handle"])
        return True

    def action_record_feedback(self):
        """Stamp when the customer's feedback was recorded."""
        for rec in self:
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
                    allowed=", ".join(states[s] for s in err.allowed),
                )
            ) from err
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
            "cancel": self.env._("cancel"),
        }[action]

    def _may_act(self, action, roles):
        """Record-level part of the rule: a handler (not a manager) acts only on
        complaints assigned to them or to their department, or still
        unassigned; a plain user cancels only what they received."""
        self.ensure_one()
        rank = lifecycle.ROLE_RANK.get(lifecycle.highest_role(roles), 0)
        if rank >= lifecycle.ROLE_RANK["manager"]:
            return True
        user = self.env.user
        if action in HANDLER_ACTIONS:
            if not self.user_id or self.user_id == user:
                return True
            departments = user.employee_ids.department_id
            return bool(self.department_id and self.department_id in departments)
        if action == "cancel":
            return user in (self.first_responder_id | self.create_uid)
        return True

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
