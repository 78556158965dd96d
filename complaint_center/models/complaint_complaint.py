"""The complaint (顾客投诉): the fields every feature shares, their
computes and constraints, and the record's life in the database.

Features extend this model in their own files, in the order of
``models/__init__.py``, and never the other way round: this file names
nothing they define (``tests/test_architecture.py`` checks it). It offers
them named hooks, each extended with ``super()`` first so that effects run
in that order:

* ``_after_create()`` once complaints are created;
* ``_check_write(vals)`` before a user's write, ``_write_watched()`` and
  ``_after_write(vals, before)`` around every write, and
  ``_after_handler_change(old_handlers)`` when handlers change;
* ``_handler_activity_date()`` for the handler's to-do.

The lifecycle (actions, their guard, the buttons) is
``complaint_complaint_lifecycle.py``.
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Command

from ..core import lifecycle
from .complaint_selections import (
    CHANNELS,
    REMEDIES,
    SATISFACTION,
    SEVERITIES,
    VALIDITY,
)

# Field groups of the per-state whitelist (what a user may still change).
INTAKE_FIELDS = {
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

# Minutes a receipt time may run ahead of the server's clock.
INTAKE_CLOCK_SKEW = 5
HANDLE_ACTIVITY = "complaint_center.mail_activity_type_complaint_handle"


class ComplaintComplaint(models.Model):
    _name = "complaint.complaint"
    _description = "Customer Complaint"
    # rating.mixin extends mail.thread, so it comes first in the MRO.
    _inherit = [
        "complaint.workflow.mixin",
        "complaint.reference.mixin",
        "complaint.activity.mixin",
        "complaint.customer.mail.mixin",
        "portal.mixin",
        "rating.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "date_received desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["name", "partner_id.name"]

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
        lifecycle.STATES,
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

    # Facts stamped by the lifecycle when met --------------------------------
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

    # Resolution and feedback ----------------------------------------------
    resolution_type = fields.Selection(REMEDIES, tracking=True)
    resolution = fields.Html(string="Resolution Plan")
    compensation_amount = fields.Monetary(currency_field="currency_id", tracking=True)
    satisfaction = fields.Selection(SATISFACTION, tracking=True, copy=False)
    feedback = fields.Text(string="Customer Feedback", copy=False)
    date_feedback = fields.Datetime(string="Feedback Recorded", copy=False)

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

    @api.depends("validity")
    def _compute_is_valid(self):
        for rec in self:
            rec.is_valid = rec.validity == "valid"

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

    # Workflow guard (complaint.workflow.mixin) ------------------------------
    _workflow_fields = frozenset(
        {"reopen_count", "date_acknowledged", "date_resolved", "date_closed"}
        | {"date_feedback"}
    )

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
            "resolved": set(FEEDBACK_FIELDS),
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
        self._assign_references(vals_list)
        complaints = super().create(vals_list)
        complaints._after_create()
        return complaints

    def _after_create(self):
        """Hook run once complaints are created (features: deadlines,
        repeats...); the handler gets a to-do."""
        self._schedule_handler_activity()

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
        # The one write override of the model: features extend the hooks.
        if not self.env.su:
            self._check_write(vals)
        # Computed fields (the policy) change without being in ``vals``: the
        # watched fields are read before every write (prefetched, one query).
        watched = self._write_watched()
        before = {rec: {name: rec[name] for name in watched} for rec in self}
        res = super().write(vals)
        self._after_write(vals, before)
        return res

    def _check_write(self, vals):
        """Hook: raise when the current user may not write ``vals`` (the
        workflow guard runs next)."""
        if "active" in vals and "manager" not in self._current_roles():
            raise AccessError(
                self.env._("Only a complaint manager archives or restores complaints.")
            )

    def _write_watched(self):
        """Hook: fields whose value before any write ``_after_write`` needs,
        whether written or recomputed."""
        return {"user_id"}

    def _after_write(self, vals, before):
        """Hook run after every write; ``before`` maps each complaint to the
        former values of the ``_write_watched`` fields."""
        if "user_id" in vals:
            # Checked above; a handler who handed a complaint over may no
            # longer read it, the follow-up work is the server's.
            self.sudo()._after_handler_change(
                {rec: before[rec]["user_id"] for rec in self}
            )

    def _after_handler_change(self, old_handlers):
        """Hook run when handlers were (re)assigned; ``old_handlers`` maps
        each complaint to its previous handler."""
        self.filtered(
            lambda rec: rec.user_id and rec.user_id != old_handlers[rec]
        )._schedule_handler_activity()

    def _compute_access_url(self):
        # Replaces portal.mixin's "#" placeholder for every record.
        for rec in self:
            rec.access_url = f"/my/complaints/{rec.id}"

    def _schedule_handler_activity(self):
        todo = self.filtered(
            lambda rec: rec.user_id and rec.state in lifecycle.OPEN_STATES
        )
        summaries = self._activity_summaries(HANDLE_ACTIVITY, todo.user_id)
        self._schedule_activities(
            HANDLE_ACTIVITY,
            [
                (rec, rec.user_id, rec._handler_activity_date(), summaries[rec.user_id])
                for rec in todo
            ],
        )

    def _handler_activity_date(self):
        """Hook: due date of the handler's to-do (the deadlines set it)."""
        return fields.Date.context_today(self)

    def _track_subtype(self, init_values):
        self.ensure_one()
        if "state" in init_values:
            return self.env.ref("complaint_center.mt_complaint_state")
        return super()._track_subtype(init_values)
