"""The customer complaint (顾客投诉), in one model and one file.

Sectioned as Odoo's ``sale/models/sale_order.py``: fields, computes,
constraints, CRUD, the workflow guard, actions, then business methods by
topic and the mail/portal overrides. Each action spells out its effects in
its own body: ``action_resolve`` takes the step (``_step``: check, then
write as superuser), then answers the handler's to-do, sets the visit
deadline, restarts the escalation ladder, keeps who held a late complaint,
mails the customer and proposes the penalties, in that order. ``create``
and ``write`` list what follows a new complaint or a change the same way.

What is truly separable lives in named abstract mixins with a contract of
their own (``complaint.workflow.mixin``: the guard and the state machine;
``complaint.reference.mixin``: references; ``complaint.activity.mixin``:
activities in batches; ``complaint.customer.mail.mixin``: mails the staff
do not get; ``complaint.working.time.mixin``: the working calendar). The
arithmetic the regulations fix is ``core/``.
"""

import logging
from collections import defaultdict
from datetime import time, timedelta

import babel.dates
import pytz
from markupsafe import Markup

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.osv import expression
from odoo.tools import (
    SQL,
    babel_locale_parse,
    email_normalize,
    email_split,
    float_compare,
    format_date,
    format_datetime,
    formatLang,
    get_lang,
    html_sanitize,
    is_html_empty,
    parse_contact_from_email,
)
from odoo.tools.i18n import format_list
from odoo.tools.sql import create_index

from odoo.addons.rating.models import rating_data

from ..core import (
    deadlines,
    escalation,
    lifecycle,
    nature,
    retention,
    returns,
    similarity,
    workflow,
)
from ..core import penalty as penalty_core
from ..core import policy as policy_core
from .complaint_penalty_rule import RULE_KIND
from .complaint_selections import (
    CHANNELS,
    IMPACT_SCOPES,
    REMEDIES,
    SATISFACTION,
    SEVERITIES,
    URGENCIES,
    VALIDITY,
)
from .res_users import ROLE_GROUPS

_logger = logging.getLogger(__name__)

# Fields -------------------------------------------------------------------
# Field groups of the per-state whitelist (what a user may still change).
INTAKE_FIELDS = {
    "sale_order_id",
    "sale_line_ids",
    "sale_line_pick_ids",
    "product_ids",
    "description",
    "customer_request",
    "claimed_amount",
    "currency_id",
    "date_occurred",
    "subject_employee_ids",
    "parent_id",
    # The register's product details (001 篇八).
    "defective_qty",
    "lot_name",
}
# Inputs of the deadlines: free while the complaint is new, then changed only
# by a manager's intake correction, with a reason (date_received and the
# company are set at intake only).
DEADLINE_INPUT_FIELDS = {"partner_id", "category_id", "severity", "channel"}
ROUTING_FIELDS = {"user_id", "department_id"}
# What may change who handles a complaint (the category routes it).
ROUTING_TRIGGERS = ROUTING_FIELDS | {"category_id"}
# The plan: locked once proposed, reopened only by a transition.
PLAN_FIELDS = {"resolution_type", "resolution", "compensation_amount"}
VALIDITY_FIELDS = {"validity", "rejection_reason", "rejection_reply"}
FEEDBACK_FIELDS = {"satisfaction", "feedback"}
# The written reply (书面答复): what the customer is told was found, written
# from the investigation until the complaint is resolved.
REPLY_FIELDS = {"reply_findings"}
# Shown field -> its system-only column (the complainant's contact).
# What printed output shows instead of the complainant's details.
REDACTED = "[…]"
CONTACT_FIELDS = {
    "complainant_name": "contact_name",
    "complainant_phone": "contact_phone",
    "complainant_email": "contact_email",
    "complainant_address": "contact_address",
}
REPORT_FIELDS = ("report_cause", "report_result", "report_improvement")
REPORT_EDIT_FIELDS = {*REPORT_FIELDS, "no_standard"}
# Facts that may make a complaint major.
NATURE_FIELDS = {"affected_partner_ids", "is_safety", "is_media_exposure"}
NATURE_TRIGGERS = NATURE_FIELDS | {"partner_id", "channel"}
# States in which the facts are still gathered (and the server raises).
NATURE_STATES = ("new", "investigating")
RETURN_FIELDS = {"date_delivered", "is_own_storage_damage"}
# Assessed at classification (紧急程度和影响范围, 003), while the facts are
# gathered; they choose the policy, as the category and severity do.
ASSESSMENT_FIELDS = {"urgency", "impact_scope"}
RETURN_STATES = ("new", "investigating")
# Technicians on site (004 篇3 e): decided at classification, like the
# assessment; the deadline and the visit are the server's.
SITE_FIELDS = {"needs_site_visit"}
SITE_REGIONS = [
    (deadlines.PROVINCE, "Same Province"),
    (deadlines.OUTSIDE, "Other Province"),
    (deadlines.REMOTE, "Remote Area"),
]
# Changes on a new complaint that may make it (or stop it being) a repeat.
REPEAT_TRIGGERS = (
    "partner_id",
    "sale_order_id",
    "sale_line_ids",
    "product_ids",
    "date_received",
    "company_id",
)
# Fields whose value before any write ``write`` needs, whether written or
# recomputed: the handler, the policy and the handling report.
WRITE_WATCHED_FIELDS = {"user_id", "department_id", "policy_id", *REPORT_EDIT_FIELDS}

# Intake --------------------------------------------------------------------
# Minutes a receipt time may run ahead of the server's clock.
INTAKE_CLOCK_SKEW = 5
# What an alias's default values may set on the complaints it creates: the
# mail gateway runs as superuser, past the workflow guard, so nothing else
# (state, reference, approvals...) is taken from there.
ALIAS_DEFAULT_FIELDS = {
    "channel",
    "category_id",
    "severity",
    "company_id",
    "user_id",
    "department_id",
    "customer_request",
}

# Lifecycle and recusal -----------------------------------------------------
# Actions a handler may only take on complaints assigned to them or to
# their department; managers act on any complaint of their companies.
HANDLER_ACTIONS = ("accept", "propose", "resolve")
# States in which the customer's agreement to the plan is recorded: the
# plan is on the table; on the portal only once approved.
AGREEMENT_STATES = ("proposed", "approved")
# Actions with a can_* button (``review`` is taken by action_close).
BUTTON_ACTIONS = tuple(action for action in lifecycle.TRANSITIONS if action != "review")
# The path the next step moves a complaint along; rejection, cancellation
# and reopening are side steps of the table.
FORWARD_STATES = lifecycle.STATE_KEYS[: lifecycle.STATE_KEYS.index("closed") + 1]
# 申诉: the outcomes a customer appeals from the portal; the appeal takes
# the reopening's move of the table (one review level up).
APPEAL_STATES = ("closed", "rejected")

# Activities ----------------------------------------------------------------
HANDLE_ACTIVITY = "complaint_center.mail_activity_type_complaint_handle"
ROUTE_ACTIVITY = "complaint_center.mail_activity_type_complaint_route"
APPROVAL_ACTIVITY = "complaint_center.mail_activity_type_complaint_approval"
ESCALATION_ACTIVITY = "complaint_center.mail_activity_type_complaint_escalation"
FOLLOWUP_ACTIVITY = "complaint_center.mail_activity_type_complaint_followup"
RATING_REVIEW_ACTIVITY = "complaint_center.mail_activity_type_complaint_rating_review"
MAJOR_REPORT_ACTIVITY = "complaint_center.mail_activity_type_complaint_major_report"
APPEAL_ACTIVITY = "complaint_center.mail_activity_type_complaint_appeal"

# Deadlines and escalation --------------------------------------------------
DEADLINE_STATUS = [
    ("on_time", "On Time"),
    ("due_soon", "Due Soon"),
    ("overdue", "Overdue"),
    ("done", "Done"),
]
# A deadline is due soon in the last quarter of its stage, and at most in
# its last 24 hours: a 24-hour acknowledgement is not due soon from the
# moment the complaint is received.
DUE_SOON_HOURS = 24
DUE_SOON_SHARE = 0.25
# Stage of the core -> stored deadline.
STAGE_FIELDS = {
    "ack": "date_ack_deadline",
    "decision": "date_decision_deadline",
    "resolve": "date_resolve_deadline",
    "visit": "date_visit_deadline",
}
SWEEP_BATCH = 200

# Customer mails and feedback -----------------------------------------------
ACK_TEMPLATE = "complaint_center.mail_template_complaint_acknowledgement"
REJECTION_TEMPLATE = "complaint_center.mail_template_complaint_rejection"
RESULT_TEMPLATE = "complaint_center.mail_template_complaint_result"
VISIT_REQUEST_TEMPLATE = "complaint_center.mail_template_complaint_visit_request"
# The matter was dealt with (处理结果反馈): never the person nor the penalty.
PENALTY_FEEDBACK_TEMPLATE = "complaint_center.mail_template_complaint_penalty_feedback"
# The rating token as the survey's body, which staff read, writes it; the
# mail to the customer alone carries the token (_customer_mail_reveal).
RATING_TOKEN_STANDIN = "complaint-rating-%d-token"
# Rating text (top: 4-5 stars, ok: 3, ko: 1-2) -> complaint satisfaction.
RATING_SATISFACTION = {"top": "satisfied", "ok": "neutral", "ko": "unsatisfied"}

# Credit notes and penalties ------------------------------------------------
CREDIT_NOTE_STATES = ("approved", "resolved", "closed")
PEOPLE_PARTIES = ("employee", "team", "department", "branch")
SUPPLIER_PARTIES = ("supplier", "carrier")
SATISFIED = ("satisfied", "very_satisfied")

# Similar complaints --------------------------------------------------------
# Suggestions shown per complaint, and candidates fetched per criterion.
SIMILAR_LIMIT = 8
CANDIDATE_LIMIT = 40
# Added to the text similarity for each shared fact.
SHARED_WEIGHTS = {"order": 0.5, "customer": 0.3, "product": 0.2}
# Added to the text similarity when the descriptions share a code (lot,
# batch, order number): ranks rewordings of one matter above complaints
# that only tell the same kind of defect.
CODE_WEIGHT = 0.3
# The words of a description as PostgreSQL indexes them (GIN, made in
# init()): array_to_tsvector takes the words as they are, so no text search
# parser or locale decides what a Chinese word is.
DESCRIPTION_WORDS_INDEX = "complaint_complaint_description_words_index"
DESCRIPTION_WORDS = SQL("array_to_tsvector(string_to_array(c.description_key, ' '))")


class ComplaintComplaint(models.Model):
    _name = "complaint.complaint"
    _description = "Customer Complaint"
    # rating.mixin extends mail.thread, so it comes first in the MRO; so do
    # the customer mails, which filter mail.thread's recipients.
    _inherit = [
        "complaint.workflow.mixin",
        "complaint.reference.mixin",
        "complaint.activity.mixin",
        "complaint.customer.mail.mixin",
        "portal.mixin",
        "rating.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "complaint.working.time.mixin",
    ]
    _order = "date_received desc, id desc"
    _check_company_auto = True
    _workflow_transitions = lifecycle.TRANSITIONS
    _rec_names_search = ["name", "partner_id.name", "complainant_name"]
    # Fields only the actions write, as superuser (complaint.workflow.mixin):
    # facts stamped by the lifecycle, approvals, the confidential contact,
    # deadlines, escalation, the report's signature and what the server
    # decides (repeat, raised severity, rating alert).
    _workflow_fields = frozenset(
        # The reference, given by the system (complaint.reference.mixin).
        {"name"}
        | {"reopen_count", "date_acknowledged", "date_resolved", "date_closed"}
        | {"date_feedback"}
        | {
            "proposed_by_id",
            "date_proposed",
            "approved_by_id",
            "date_approved",
            "executive_approved_by_id",
            "date_executive_approved",
            "approved_severity",
            "approved_compensation_amount",
        }
        | set(CONTACT_FIELDS.values())
        | {"date_replied", "date_decided", *STAGE_FIELDS.values()}
        | {
            "escalation_level",
            "date_escalated",
            "escalated_deadline",
            "date_last_followup",
            "delay_responsible_id",
        }
        | {"report_signed_by_id", "date_report_signed"}
        | {"date_ack_sent", "rating_alert", "is_repeat", "severity_reason"}
        | {"reported_severity", "date_major_reported"}
        | {"date_customer_agreed"}
        | {"report_approved_by_id", "date_report_approved"}
        | {"is_long_term", "date_purged"}
        | {"date_site_visit"}
        | {"deputy_approved_by_id", "date_deputy_approved"}
        | {"date_rejected", "appeal_reason", "date_appealed", "appeal_count"}
    )

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    # Intake
    # Given when first read or at the commit (complaint.reference.mixin):
    # empty in the database only inside the transaction that creates it.
    name = fields.Char(
        string="Reference",
        compute="_compute_name",
        store=True,
        readonly=False,
        copy=False,
        index="trigram",
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
        string="Order Lines Concerned",
        check_company=True,
        domain="[('order_id', '=', sale_order_id), ('display_type', '=', False)]",
        help="Order lines the complaint is about.",
    )
    # The lines on the form: only those the user may read, so that the form
    # opens for a salesperson whose sales rules hide the order (Odoo reads
    # every tag of a many2many as the user); the others are kept on save.
    sale_line_pick_ids = fields.Many2many(
        "sale.order.line",
        string="Order Lines",
        compute="_compute_sale_line_pick_ids",
        inverse="_inverse_sale_line_pick_ids",
        domain="[('order_id', '=', sale_order_id), ('display_type', '=', False)]",
        help="Order lines the complaint is about.",
    )
    sale_lines_hidden = fields.Boolean(
        compute="_compute_sale_line_pick_ids",
        help="Some order lines of the complaint are hidden from the user by "
        "the sales rules: the form shows them in Ordered Items instead.",
    )
    product_ids = fields.Many2many(
        "product.product",
        string="Products",
        compute="_compute_product_ids",
        store=True,
        readonly=False,
        precompute=True,
    )
    # 001 篇八: the register's product details (不良品数量, 料号); the
    # delivery date is date_delivered (unconditional returns).
    defective_qty = fields.Float(
        string="Defective Quantity",
        digits="Product Unit of Measure",
        tracking=True,
        help="How many of the products complained about are defective, in "
        "their unit of measure.",
    )
    lot_name = fields.Char(
        string="Lot / Material Number",
        tracking=True,
        help="The lot, batch or material number (料号) of the defective goods, "
        "as on their label or delivery note.",
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
    urgency = fields.Selection(
        URGENCIES,
        default="normal",
        required=True,
        tracking=True,
        help="How urgent the complaint is, assessed at classification; deadline "
        "policies may be made for an urgency.",
    )
    impact_scope = fields.Selection(
        IMPACT_SCOPES,
        string="Scope of Impact",
        default="individual",
        required=True,
        tracking=True,
        help="How far the matter reaches, assessed at classification; deadline "
        "policies may be made for a scope of impact.",
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
        default=lambda self: self._complaint_now(),
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
    # The salespeople of the order and of the customer as they were at
    # intake: the clerks' record rule reads these, never the partner's or
    # the order's salesperson now, which a clerk may write herself.
    order_salesperson_id = fields.Many2one(
        "res.users",
        string="Order Salesperson at Intake",
        compute="_compute_intake_salespeople",
        store=True,
        precompute=True,
        copy=False,
    )
    customer_salesperson_id = fields.Many2one(
        "res.users",
        string="Customer Salesperson at Intake",
        compute="_compute_intake_salespeople",
        store=True,
        precompute=True,
        copy=False,
    )

    # Lifecycle
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
    rejection_reason = fields.Text(
        string="Reason for Rejection (Internal)",
        tracking=True,
        copy=False,
        help="Why the complaint is not valid, for the complaint center's "
        "record: never shown to the customer.",
    )
    rejection_reply = fields.Text(
        string="Answer to the Customer",
        tracking=True,
        copy=False,
        help="What the customer is told of the rejection: the non-acceptance "
        "notice, the rejection mail and the portal print it. Left empty, they "
        "print the standard answer for the complaint's validity.",
    )
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

    # Facts stamped by the lifecycle when met
    date_acknowledged = fields.Datetime(
        string="Acknowledged On", readonly=True, copy=False
    )
    date_resolved = fields.Datetime(string="Resolved On", readonly=True, copy=False)
    date_closed = fields.Datetime(string="Closed On", readonly=True, copy=False)
    date_rejected = fields.Datetime(string="Rejected On", readonly=True, copy=False)

    # Retention (资料保存, 001 篇五): kept at least the company's years after
    # closing, important records long-term; then purged of the complainant's
    # personal data by an administrator, never deleted (the register stays
    # gapless).
    retention_date = fields.Date(
        string="Kept Until",
        compute="_compute_retention_date",
        store=True,
        index="btree_not_null",
        help="The last day the record is kept as it is: its closing (or "
        "rejection) day plus the company's retention years. Empty while the "
        "complaint is handled.",
    )
    is_long_term = fields.Boolean(
        string="Kept Long-Term",
        readonly=True,
        copy=False,
        tracking=True,
        help="Kept long-term (重要资料长期保存): never purged. Set at closing for "
        "major and critical complaints; changed by a complaint manager.",
    )
    date_purged = fields.Datetime(
        string="Personal Data Purged On", readonly=True, copy=False, tracking=True
    )
    can_purge = fields.Boolean(compute="_compute_can_purge")

    # Responsibility and recusal
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
    # Who handles a complaint, said once: the handlers' record rules (of
    # the complaint and of its lines), _may_act and the complainant's
    # confidentiality search it.
    is_handled_by_me = fields.Boolean(
        string="Handled by Me",
        compute="_compute_is_handled_by_me",
        search="_search_is_handled_by_me",
        help="Assigned to you, routed to one of your departments, or routed "
        "nowhere yet while you work in the intake department; never a "
        "complaint you are involved in.",
    )

    # Resolution and feedback
    resolution_type = fields.Selection(REMEDIES, tracking=True)
    resolution = fields.Html(string="Resolution Plan")
    compensation_amount = fields.Monetary(currency_field="currency_id", tracking=True)
    satisfaction = fields.Selection(SATISFACTION, tracking=True, copy=False)
    feedback = fields.Text(string="Customer Feedback", copy=False)
    reply_findings = fields.Text(
        string="Findings for the Customer",
        copy=False,
        help="What the investigation found, in words for the customer: printed "
        "in the written reply. Empty: the standard sentence for the complaint's "
        "validity. Never name the people held responsible or internal reasons.",
    )
    date_feedback = fields.Datetime(
        string="Feedback Recorded", readonly=True, copy=False
    )

    # Review and buttons (shown only when the server would allow them)
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
    # 申诉: the customer's appeal from the portal (_portal_appeal).
    appeal_reason = fields.Text(
        string="Customer's Appeal",
        readonly=True,
        copy=False,
        tracking=True,
        help="Why the customer appealed the outcome on the portal (the last "
        "appeal; the chatter keeps the earlier ones).",
    )
    date_appealed = fields.Datetime(
        string="Appealed On", readonly=True, copy=False, tracking=True
    )
    appeal_count = fields.Integer(
        string="Customer Appeals",
        readonly=True,
        copy=False,
        help="Appeals the customer made from the portal: at most one per review level.",
    )

    # Approval of the plan (主管领导批示)
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
    # 主管副总经理: between the director's and the general manager's approval.
    deputy_approved_by_id = fields.Many2one(
        "res.users",
        string="Deputy Approval",
        readonly=True,
        copy=False,
        tracking=True,
    )
    date_deputy_approved = fields.Datetime(readonly=True, copy=False)
    # What was approved, frozen at the first approval: the executive check,
    # the credit note and the penalties read these, never the live fields.
    approved_severity = fields.Selection(SEVERITIES, readonly=True, copy=False)
    approved_compensation_amount = fields.Monetary(
        string="Approved Compensation",
        currency_field="currency_id",
        readonly=True,
        copy=False,
    )
    # 征得顾客同意后执行: the plan is agreed with the customer first.
    date_customer_agreed = fields.Datetime(
        string="Customer Agreed On",
        readonly=True,
        copy=False,
        tracking=True,
        help="When the customer agreed to the proposed plan, as recorded by "
        "the handler or by the customer on the portal. Cleared when the plan "
        "changes.",
    )
    can_record_customer_agreement = fields.Boolean(
        compute="_compute_can_record_customer_agreement"
    )
    needs_executive = fields.Boolean(
        string="Needs Executive Approval",
        compute="_compute_needs_executive",
        help="Major and critical complaints, compensation above the company "
        "threshold and complaints at the executive review level are approved "
        "by the general manager as well.",
    )
    needs_deputy = fields.Boolean(
        string="Needs Deputy Approval",
        compute="_compute_needs_executive",
        help="Where the company uses the deputy general manager level: major "
        "and critical complaints and compensation above the deputy threshold "
        "are approved by the deputy general manager in charge after the center "
        "director; critical ones and those above the executive threshold by the "
        "general manager as well.",
    )

    # The complainant's contact (保密)
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
    # Text: a postal address keeps its line breaks while it is edited.
    contact_address = fields.Text(
        compute="_compute_contact",
        store=True,
        readonly=False,
        precompute=True,
        copy=False,
        groups="base.group_system",
    )
    complainant_name = fields.Char(
        compute="_compute_complainant",
        inverse="_inverse_complainant_name",
        exportable=False,
        search="_search_complainant_name",
        help="Person who made the complaint, when not the customer itself. "
        "Seen only by the people handling the complaint.",
    )
    complainant_phone = fields.Char(
        compute="_compute_complainant",
        inverse="_inverse_complainant_phone",
        exportable=False,
        search="_search_complainant_phone",
    )
    complainant_email = fields.Char(
        compute="_compute_complainant",
        inverse="_inverse_complainant_email",
        exportable=False,
        search="_search_complainant_email",
    )
    complainant_address = fields.Text(
        compute="_compute_complainant",
        inverse="_inverse_complainant_address",
        exportable=False,
    )
    complainant_confidential = fields.Boolean(
        compute="_compute_complainant_confidential",
        help="The complainant's details are kept from the user: only the "
        "people handling the complaint see them.",
    )

    # Deadlines (处理时效)
    policy_id = fields.Many2one(
        "complaint.policy",
        string="Deadline Policy",
        compute="_compute_policy_id",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        check_company=True,
        help="Chosen from category, severity, channel, company and customer "
        "origin; the most specific policy wins.",
    )
    date_promised_reply = fields.Datetime(
        string="Promised Reply",
        tracking=True,
        copy=False,
        help="The reply time agreed with the customer. Set at acceptance to "
        "the company's reply days (3 working days) later unless another time "
        "was agreed and recorded.",
    )
    date_replied = fields.Datetime(string="Replied On", copy=False, readonly=True)
    date_decision_deadline = fields.Datetime(
        string="Decide By",
        readonly=True,
        copy=False,
        index="btree_not_null",
        tracking=True,
    )
    date_decided = fields.Datetime(string="Decided On", copy=False, readonly=True)
    date_ack_deadline = fields.Datetime(
        string="Acknowledge By",
        readonly=True,
        copy=False,
        index="btree_not_null",
        tracking=True,
    )
    date_resolve_deadline = fields.Datetime(
        string="Resolve By",
        readonly=True,
        copy=False,
        index="btree_not_null",
        tracking=True,
    )
    date_visit_deadline = fields.Datetime(
        string="Return Visit By",
        readonly=True,
        copy=False,
        index="btree_not_null",
        tracking=True,
    )
    extension_ids = fields.One2many(
        "complaint.extension", "complaint_id", string="Extensions"
    )
    extension_days = fields.Integer(
        string="Extension (Working Days)",
        compute="_compute_extension_days",
        store=True,
    )
    ack_on_time = fields.Boolean(
        string="Acknowledged On Time", compute="_compute_on_time", store=True
    )
    resolve_on_time = fields.Boolean(
        string="Resolved On Time", compute="_compute_on_time", store=True
    )
    visit_on_time = fields.Boolean(
        string="Visited On Time", compute="_compute_on_time", store=True
    )
    next_deadline = fields.Datetime(
        compute="_compute_next_deadline",
        store=True,
        index="btree_not_null",
        help="The earliest deadline still to be met.",
    )
    is_overdue = fields.Boolean(
        string="Overdue",
        compute="_compute_deadline_status",
        search="_search_is_overdue",
    )
    deadline_status = fields.Selection(
        DEADLINE_STATUS, compute="_compute_deadline_status"
    )

    # Escalation (逐级上报) and follow-ups
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

    # Corrective actions and the handling report (处理报告表)
    action_ids = fields.One2many(
        "complaint.action", "complaint_id", string="Corrective/Preventive Actions"
    )
    action_count = fields.Integer(compute="_compute_action_count")
    action_open_count = fields.Integer(compute="_compute_action_count")
    no_standard = fields.Boolean(
        string="No standard or training covered this case",
        tracking=True,
        copy=False,
        help="The case was not covered by a written standard or by training: a "
        "handling report must be written and signed by the head of the "
        "responsible department before the complaint is closed.",
    )
    report_cause = fields.Text(string="Cause Analysis", copy=False)
    report_result = fields.Text(string="Handling Result", copy=False)
    report_improvement = fields.Text(
        string="Standard or Training to Add",
        copy=False,
        help="Which written standard or training must be added so that the "
        "case is covered next time.",
    )
    report_signed_by_id = fields.Many2one(
        "res.users", string="Signed By", readonly=True, copy=False, tracking=True
    )
    date_report_signed = fields.Datetime(
        string="Report Signed On", readonly=True, copy=False
    )
    can_sign_report = fields.Boolean(compute="_compute_can_sign_report")
    # 001 篇七: signed by the department head, approved by management.
    report_approved_by_id = fields.Many2one(
        "res.users",
        readonly=True,
        copy=False,
        tracking=True,
        help="The management's approval of the signed handling report: a "
        "complaint manager or the executive, not the signer.",
    )
    date_report_approved = fields.Datetime(
        string="Report Approved On", readonly=True, copy=False
    )
    can_approve_report = fields.Boolean(compute="_compute_can_approve_report")
    # Handed over to units (各单位处理期限) or asked for support (协办)
    handover_ids = fields.One2many(
        "complaint.handover", "complaint_id", string="Handovers"
    )

    # Customer mails, return visits and rating
    date_ack_sent = fields.Datetime(
        string="Acknowledgement Sent",
        readonly=True,
        copy=False,
        help="When the acknowledgement (受理通知) was sent to the customer; it "
        "is sent once.",
    )
    ack_queued = fields.Boolean(
        string="Acknowledgement Being Sent",
        compute="_compute_ack_queued",
        help="The acknowledgement waits in the queue of customer mails.",
    )
    visit_ids = fields.One2many(
        "complaint.visit", "complaint_id", string="Return Visits"
    )
    visit_count = fields.Integer(compute="_compute_visit_count")
    rating_alert = fields.Boolean(
        string="Customer Dissatisfied After Closing",
        readonly=True,
        copy=False,
        tracking=True,
        help="The customer rated the handling as dissatisfied after the "
        "complaint was closed: a complaint manager reopens it or keeps it "
        "closed.",
    )
    # Searched through the rules of their own model (mail_message.py,
    # rating_rating.py), not joined straight in SQL: a search on a message's
    # sender or a rating's token found complaints by who mailed them (保密)
    # or by the token.
    message_ids = fields.One2many(auto_join=False)
    website_message_ids = fields.One2many(auto_join=False)
    rating_ids = fields.One2many(auto_join=False)

    # Credit notes, repeats, penalties
    refund_move_ids = fields.One2many(
        "account.move",
        "complaint_id",
        string="Credit Notes",
        readonly=True,
        copy=False,
    )
    refund_count = fields.Integer(
        string="Credit Note Count", compute="_compute_refund_count"
    )
    has_credit_note = fields.Boolean(
        compute="_compute_refund_count",
        help="A credit note that is not cancelled is linked to the complaint.",
    )
    is_repeat = fields.Boolean(
        string="Repeat Complaint",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        help="The same customer complained about the same sale order "
        "or product within the company's repeat window (Settings).",
    )
    penalty_ids = fields.One2many(
        "complaint.penalty", "complaint_id", string="Penalties"
    )
    penalty_count = fields.Integer(compute="_compute_penalty_count")

    # Guidance for whoever looks at the complaint
    next_step_note = fields.Char(
        string="Next Step",
        compute="_compute_next_step_note",
        help="Who acts next on the complaint and, when it is not you, why.",
    )
    sale_line_summary = fields.Text(
        string="Ordered Items",
        compute="_compute_sale_line_summary",
        help="The order lines the complaint is about, for whoever may read "
        "the complaint.",
    )
    calendar_label = fields.Char(compute="_compute_calendar_label")

    # Nature (投诉性质): what makes a complaint major
    affected_partner_ids = fields.Many2many(
        "res.partner",
        "complaint_complaint_affected_partner_rel",
        "complaint_id",
        "partner_id",
        string="Other Customers Affected",
        help="Other customers complaining about the same matter (group "
        "complaint). With three or more distinct customers, this one "
        "included, the complaint is at least major.",
    )
    customer_count = fields.Integer(
        string="Customers Complaining",
        compute="_compute_customer_count",
        store=True,
        help="Distinct customers (companies) complaining about this matter, "
        "the complaint's own customer included.",
    )
    is_group_complaint = fields.Boolean(
        string="Group Complaint",
        compute="_compute_customer_count",
        store=True,
        index=True,
    )
    is_media_exposure = fields.Boolean(
        string="Media Exposure",
        tracking=True,
        help="The matter was reported or is threatened to be reported by the "
        "press or media (also implied by the Media / Press channel): a major "
        "case.",
    )
    is_safety = fields.Boolean(
        string="Safety Incident",
        tracking=True,
        index=True,
        help="Personal injury, property damage or failure of key equipment: a "
        "major case, dispatched the same day.",
    )
    severity_reason = fields.Char(
        string="Severity Raised Because",
        readonly=True,
        copy=False,
        tracking=True,
        help="Why the system raised the severity from what was chosen at intake.",
    )
    # 重大投诉立即上报: when leadership was told of the complaint as major.
    reported_severity = fields.Selection(
        SEVERITIES,
        string="Reported to Leadership As",
        readonly=True,
        copy=False,
        help="The severity at which the center director and the executive "
        "were told at once of this major complaint.",
    )
    date_major_reported = fields.Datetime(
        string="Reported to Leadership On", readonly=True, copy=False
    )

    # Similar complaints (二次投诉, 集体投诉)
    description_key = fields.Text(
        string="Description (Normalised)",
        compute="_compute_description_key",
        store=True,
        copy=False,
        help="The words of the description (Chinese cut into words, English "
        "stems), compared to find similar complaints.",
    )
    similar_complaint_ids = fields.Many2many(
        "complaint.complaint",
        string="Similar Complaints",
        compute="_compute_similar_complaint_ids",
        help="Open and recent complaints of the company with the same "
        "customer, order or product, or a description that reads alike; the "
        "best match first.",
    )
    similar_score = fields.Float(
        string="Similarity",
        compute="_compute_similar_score",
        digits=(3, 2),
        help="How close this complaint is to the one being registered: text "
        "similarity, plus shared order, customer and products.",
    )

    # Unconditional returns (001 篇五)
    # complaint_center_stock computes it from the order's done deliveries.
    date_delivered = fields.Date(
        string="Delivered On",
        copy=False,
        help="When the goods complained about were delivered, as entered.",
    )
    is_own_storage_damage = fields.Boolean(
        string="Damaged in Customer's Storage",
        tracking=True,
        help="The damage comes from the customer's own storage: not a quality "
        "incident, and no unconditional return.",
    )
    is_return_eligible = fields.Boolean(
        string="Unconditional Return",
        compute="_compute_return_eligibility",
        store=True,
        index=True,
        help="A quality complaint received within 15 days of delivery: the "
        "goods are returned unconditionally once quality has verified the "
        "defect against the delivery record.",
    )
    return_status = fields.Selection(
        [
            (returns.ELIGIBLE, "Eligible after quality verification"),
            (returns.NOT_QUALITY, "Not a product quality complaint"),
            (
                returns.OWN_STORAGE,
                "Not a quality incident: damaged in the customer's own storage",
            ),
            (returns.NO_DELIVERY, "Delivery date unknown"),
            (returns.TOO_LATE, "Received more than 15 days after delivery"),
            (returns.BEFORE_DELIVERY, "Delivery date after receipt"),
        ],
        string="Return Eligibility",
        compute="_compute_return_eligibility",
        store=True,
        help="Whether the goods are returned unconditionally (quality defect "
        "within 15 days of delivery), and if not, why.",
    )

    # Technicians on site (004 篇3 e, 004 篇4 §4.7)
    needs_site_visit = fields.Boolean(
        string="Technician On Site",
        tracking=True,
        copy=False,
        help="A technician goes to the customer: within 3 days in the "
        "company's province, a week outside it, 10 days in remote areas (the "
        "policy's days). Decided by the handler at classification.",
    )
    site_region = fields.Selection(
        SITE_REGIONS,
        compute="_compute_site_deadline",
        store=True,
        help="Where the customer is, seen from the company: the same province "
        "(state), a remote region of the company's settings, or another "
        "province.",
    )
    date_site_deadline = fields.Datetime(
        string="On Site By",
        compute="_compute_site_deadline",
        store=True,
        copy=False,
        index="btree_not_null",
        tracking=True,
        help="Counted from the receipt on the policy's days for the region, "
        "when the site visit is decided; later settings do not move it.",
    )
    date_site_visit = fields.Datetime(
        string="Technician On Site On",
        readonly=True,
        copy=False,
        tracking=True,
    )
    site_visit_on_time = fields.Boolean(
        string="On Site In Time", compute="_compute_site_visit_on_time", store=True
    )
    is_site_visit_late = fields.Boolean(
        string="Site Visit Late",
        compute="_compute_site_visit_late",
        search="_search_is_site_visit_late",
        help="The technician reached the site after its deadline, or has not "
        "yet and the deadline has passed.",
    )

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

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends(
        "state",
        "date_closed",
        "date_rejected",
        "company_id.complaint_retention_years",
        # The company's time zone (_complaint_tz) decides the closing day.
        "company_id.partner_id.tz",
        "company_id.resource_calendar_id.tz",
    )
    def _compute_retention_date(self):
        for rec in self:
            closed = False
            ended = rec.date_closed or (rec.state == "rejected" and rec.date_rejected)
            if ended:
                # The day it ended in the company's time zone, as registered.
                local = rec.with_context(tz=rec.company_id._complaint_tz())
                closed = fields.Datetime.context_timestamp(local, ended).date()
            rec.retention_date = retention.retention_date(
                closed, rec.company_id.complaint_retention_years
            )

    @api.depends("state", "retention_date", "is_long_term", "date_purged")
    @api.depends_context("uid")
    def _compute_can_purge(self):
        admin = self.env.user.has_group("base.group_system")
        for rec in self:
            rec.can_purge = admin and rec._purge_refusal() is False

    @api.depends("sale_line_ids")
    @api.depends_context("uid")
    def _compute_sale_line_pick_ids(self):
        for rec in self:
            hidden = rec._hidden_sale_lines()
            rec.sale_line_pick_ids = rec._all_sale_lines() - hidden
            rec.sale_lines_hidden = bool(hidden)

    def _inverse_sale_line_pick_ids(self):
        for rec in self:
            rec.sale_line_ids = rec.sale_line_pick_ids | rec._hidden_sale_lines()

    def _all_sale_lines(self):
        """Every line of the complaint, as the user's records: read as
        superuser, as the user's read leaves out the lines their sales rules
        hide, or not, depending on what the cache already holds."""
        self.ensure_one()
        return self.sudo().sale_line_ids.with_env(self.env)

    def _hidden_sale_lines(self):
        """The lines of the complaint the user's sales rules hide."""
        lines = self._all_sale_lines()
        return lines - lines._filtered_access("read")

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

    # The complaint's own order and customer only: a later change of their
    # salesperson is not followed.
    @api.depends("sale_order_id", "partner_id")
    def _compute_intake_salespeople(self):
        for rec in self:
            rec.order_salesperson_id = rec.sale_order_id.user_id
            rec.customer_salesperson_id = rec.partner_id.commercial_partner_id.user_id

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

    @api.depends_context("uid")
    @api.depends("user_id", "department_id", "involved_user_ids")
    def _compute_is_handled_by_me(self):
        mine = self.sudo().filtered_domain(self._search_is_handled_by_me("=", True))
        for rec in self:
            rec.is_handled_by_me = rec in mine

    def _search_is_handled_by_me(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on Handled by Me."))
        domain = expression.AND(
            [
                [("involved_user_ids", "not in", [self.env.uid])],
                self._handler_domain(),
            ]
        )
        return domain if (operator == "=") == value else ["!", *domain]

    @api.depends("validity")
    def _compute_is_valid(self):
        for rec in self:
            rec.is_valid = rec.validity == "valid"

    def _compute_access_url(self):
        # Replaces portal.mixin's "#" placeholder for every record.
        for rec in self:
            rec.access_url = f"/my/complaints/{rec.id}"

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
        "proposed_by_id",
        "approved_by_id",
        "deputy_approved_by_id",
    )
    @api.depends_context("uid")
    def _compute_can(self):
        # The very guard the actions run: the button and the server agree.
        self._workflow_set_flags(BUTTON_ACTIONS)

    @api.depends("state", "date_customer_agreed", "user_id", "department_id")
    @api.depends_context("uid")
    def _compute_can_record_customer_agreement(self):
        readable = self._filtered_access("read")
        for rec in self:
            rec.can_record_customer_agreement = bool(
                rec in readable
                and rec.state in AGREEMENT_STATES
                and not rec.date_customer_agreed
                and rec._is_handler()
            )

    @api.depends(
        "severity",
        "compensation_amount",
        "currency_id",
        "review_level",
        "approved_by_id",
        "approved_severity",
        "approved_compensation_amount",
        "company_id.complaint_use_deputy",
        "company_id.complaint_deputy_threshold",
    )
    def _compute_needs_executive(self):
        """The approvals a plan needs past the center director's. With the
        deputy level (主管副总经理), the deputy approves major plans and
        those above the deputy threshold, the general manager critical ones
        and those above the executive threshold (after the deputy: 逐级)."""
        for rec in self:
            severity, amount = rec._plan_figures()
            company = rec.company_id
            use_deputy = company.complaint_use_deputy
            urgent = ("critical",) if use_deputy else ("major", "critical")
            rec.needs_executive = bool(
                severity in urgent
                or (
                    company
                    and company._complaint_above_threshold(
                        "complaint_executive_threshold", amount, rec.currency_id
                    )
                )
                or rec.review_level == str(lifecycle.REVIEW_EXECUTIVE)
            )
            rec.needs_deputy = bool(
                use_deputy
                and (
                    rec.needs_executive
                    or severity in ("major", "critical")
                    or company._complaint_above_threshold(
                        "complaint_deputy_threshold", amount, rec.currency_id
                    )
                )
            )

    @api.depends("partner_id")
    def _compute_contact(self):
        """Prefilled from the customer at intake; stored on the complaint
        only, never written back to a partner. Once saved, a value is
        recomputed only while it is empty or still the previous customer's
        prefill (the customer corrected on the form): what someone typed is
        never overwritten, nor is any value when Odoo recomputes the fields
        (a contact column added by an upgrade recomputes the whole group,
        and only that column is empty)."""
        for rec in self:
            prefill = self._contact_prefill(rec.partner_id)
            previous = (
                self._contact_prefill(rec._origin.partner_id) if rec._origin.id else {}
            )
            for name, value in prefill.items():
                if rec._origin.id and rec[name] and rec[name] != previous[name]:
                    continue
                rec[name] = value

    @api.model
    def _contact_prefill(self, partner):
        return {
            "contact_name": partner.name or False,
            "contact_phone": partner.phone or partner.mobile or False,
            "contact_email": partner.email or False,
            "contact_address": (partner.contact_address or "").strip() or False,
        }

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

    @api.depends("involved_user_ids", "user_id", "department_id", "first_responder_id")
    @api.depends_context("uid")
    def _compute_complainant_confidential(self):
        # The form says why the complainant's fields are empty (finance).
        allowed = self._complainant_readers()
        for rec in self:
            rec.complainant_confidential = rec not in allowed

    # One inverse per field: Odoo calls an inverse once for all the fields
    # written that share it, and the others read empty while they are
    # written (protected), so a shared inverse erased the fields not sent.
    def _inverse_complainant_name(self):
        self._inverse_complainant("complainant_name")

    def _inverse_complainant_phone(self):
        self._inverse_complainant("complainant_phone")

    def _inverse_complainant_email(self):
        self._inverse_complainant("complainant_email")

    def _inverse_complainant_address(self):
        self._inverse_complainant("complainant_address")

    def _inverse_complainant(self, shown):
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
            rec.sudo().write({CONTACT_FIELDS[shown]: rec[shown] or False})

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

    @api.depends(
        "category_id",
        "severity",
        "channel",
        "company_id",
        "partner_id.country_id",
        "company_id.country_id",
        # Safety incidents get the policies made for them (same day).
        "is_safety",
        "urgency",
        "impact_scope",
    )
    def _compute_policy_id(self):
        facts = {rec: rec._policy_facts() for rec in self}
        matched = self.env["complaint.policy"].sudo()._match(facts)
        for rec in self:
            rec.policy_id = matched[rec].sudo(False)

    @api.depends("extension_ids.state", "extension_ids.days")
    def _compute_extension_days(self):
        for rec in self:
            rec.extension_days = sum(
                rec.extension_ids.filtered(lambda e: e.state == "approved").mapped(
                    "days"
                )
            )

    @api.depends(
        "date_acknowledged",
        "date_ack_deadline",
        "date_resolved",
        "date_resolve_deadline",
        "date_feedback",
        "date_visit_deadline",
    )
    def _compute_on_time(self):
        for rec in self:
            rec.ack_on_time = bool(
                rec.date_acknowledged
                and rec.date_ack_deadline
                and rec.date_acknowledged <= rec.date_ack_deadline
            )
            rec.resolve_on_time = bool(
                rec.date_resolved
                and rec.date_resolve_deadline
                and rec.date_resolved <= rec.date_resolve_deadline
            )
            rec.visit_on_time = bool(
                rec.date_feedback
                and rec.date_visit_deadline
                and rec.date_feedback <= rec.date_visit_deadline
            )

    @api.depends(
        "state",
        "date_acknowledged",
        "date_ack_deadline",
        "date_decided",
        "date_decision_deadline",
        "date_resolve_deadline",
        "date_promised_reply",
        "date_replied",
        "date_feedback",
        "date_visit_deadline",
        "date_site_deadline",
        "date_site_visit",
    )
    def _compute_next_deadline(self):
        for rec in self:
            due = []
            if rec.state in lifecycle.OPEN_STATES:
                if not rec.date_acknowledged:
                    due.append(rec.date_ack_deadline)
                if not rec.date_decided:
                    due.append(rec.date_decision_deadline)
                if not rec.date_replied:
                    due.append(rec.date_promised_reply)
                if not rec.date_site_visit:
                    due.append(rec.date_site_deadline)
                due.append(rec.date_resolve_deadline)
            elif rec.state == "resolved" and not rec.date_feedback:
                due.append(rec.date_visit_deadline)
            due = [value for value in due if value]
            rec.next_deadline = min(due) if due else False

    @api.depends("next_deadline", "date_received", "date_acknowledged", "date_resolved")
    def _compute_deadline_status(self):
        now = self._complaint_now()
        for rec in self:
            pending = rec.next_deadline
            rec.is_overdue = bool(pending and pending < now)
            if not rec.id:
                # Not saved yet: no deadline runs, nothing is done.
                rec.deadline_status = False
            elif not pending:
                rec.deadline_status = "done"
            elif pending < now:
                rec.deadline_status = "overdue"
            elif pending - now < rec._due_soon_window(pending):
                rec.deadline_status = "due_soon"
            else:
                rec.deadline_status = "on_time"

    def _due_soon_window(self, deadline):
        """How long before ``deadline`` it is due soon: the last quarter of
        the stage that ends with it (from the receipt, the acknowledgement or
        the resolution, whichever came last before it), at most 24 hours."""
        self.ensure_one()
        starts = [
            stamp
            for stamp in (
                self.date_received,
                self.date_acknowledged,
                self.date_resolved,
            )
            if stamp and stamp < deadline
        ]
        window = timedelta(hours=DUE_SOON_HOURS)
        if starts:
            window = min(window, (deadline - max(starts)) * DUE_SOON_SHARE)
        return window

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(operator)
        overdue = [("next_deadline", "<", self._complaint_now())]
        if (operator == "=") == value:
            return overdue
        return [
            "|",
            ("next_deadline", "=", False),
            ("next_deadline", ">=", overdue[0][2]),
        ]

    @api.depends(
        "next_deadline",
        "escalation_level",
        "escalated_deadline",
        "date_escalated",
        "severity",
        "policy_id.escalation_interval_hours",
        "company_id.complaint_use_deputy",
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
                rec._escalation_top(),
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

    @api.depends("action_ids", "action_ids.state")
    def _compute_action_count(self):
        counts = {
            (complaint.id, state): count
            for complaint, state, count in self.env["complaint.action"]._read_group(
                [("complaint_id", "in", self.ids)],
                ["complaint_id", "state"],
                ["__count"],
            )
        }
        for rec in self:
            rec.action_count = sum(
                counts.get((rec.id, state), 0) for state in ("open", "done", "verified")
            )
            rec.action_open_count = counts.get((rec.id, "open"), 0)

    def _compute_ack_queued(self):
        # sudo: the queue of mails is the system's; one search for the batch.
        queued = (
            self.env["complaint.mail.job"]
            .sudo()
            .search(
                [
                    ("complaint_id", "in", self.ids),
                    ("template_id", "=", self.env.ref(ACK_TEMPLATE).id),
                    ("state", "=", "pending"),
                ]
            )
            .complaint_id
        )
        for rec in self:
            rec.ack_queued = rec in queued

    @api.depends(
        "no_standard",
        "report_signed_by_id",
        "user_id",
        "involved_user_ids",
        "department_id.manager_id.user_id",
        *REPORT_FIELDS,
    )
    @api.depends_context("uid")
    def _compute_can_sign_report(self):
        for rec in self:
            rec.can_sign_report = bool(
                rec.no_standard
                and not rec.report_signed_by_id
                and rec._may_sign_report()
            )

    @api.depends("report_signed_by_id", "report_approved_by_id", "involved_user_ids")
    @api.depends_context("uid")
    def _compute_can_approve_report(self):
        readable = self._filtered_access("read")
        for rec in self:
            rec.can_approve_report = bool(
                rec in readable
                and rec.report_signed_by_id
                and not rec.report_approved_by_id
                and rec._may_approve_report()
            )

    @api.depends("visit_ids")
    def _compute_visit_count(self):
        for rec in self:
            rec.visit_count = len(rec.visit_ids)

    def _compute_refund_count(self):
        # Complaint staff need not read accounting: only counts are shown.
        groups = (
            self.env["account.move"]
            .sudo()
            ._read_group(
                [("complaint_id", "in", self.ids), ("move_type", "=", "out_refund")],
                ["complaint_id", "state"],
                ["__count"],
            )
        )
        totals, active = {}, {}
        for complaint, state, count in groups:
            totals[complaint.id] = totals.get(complaint.id, 0) + count
            if state != "cancel":
                active[complaint.id] = True
        for rec in self:
            rec.refund_count = totals.get(rec.id, 0)
            rec.has_credit_note = active.get(rec.id, False)

    @api.depends("penalty_ids")
    def _compute_penalty_count(self):
        counts = dict(
            self.env["complaint.penalty"]._read_group(
                [("complaint_id", "in", self.ids)], ["complaint_id"], ["__count"]
            )
        )
        for rec in self:
            rec.penalty_count = counts.get(rec, 0)

    @api.depends(
        "state",
        "user_id",
        "department_id",
        "involved_user_ids",
        "reopen_count",
        "first_responder_id",
        "proposed_by_id",
        "approved_by_id",
        "severity",
        "compensation_amount",
        "satisfaction",
        "rating_alert",
    )
    @api.depends_context("uid")
    def _compute_next_step_note(self):
        readable = self._filtered_access("read")
        for rec in self:
            rec.next_step_note = rec in readable and rec._next_step_note() or False

    @api.depends("sale_line_ids")
    @api.depends_context("uid")
    def _compute_sale_line_summary(self):
        readable = self._filtered_access("read")
        for rec in self:
            # sudo: the lines of a complaint the user may read, without
            # opening the sale orders to them.
            lines = rec.sudo().sale_line_ids if rec in readable else []
            rec.sale_line_summary = (
                "\n".join(
                    "{} × {} {}".format(
                        line.product_id.display_name or line.name,
                        formatLang(
                            self.env,
                            line.product_uom_qty,
                            dp="Product Unit of Measure",
                        ),
                        line.product_uom.name or "",
                    ).strip()
                    for line in lines
                )
                or False
            )

    @api.depends("name", "partner_id", "category_id", "severity")
    def _compute_calendar_label(self):
        severities = dict(self._fields["severity"]._description_selection(self.env))
        for rec in self:
            # sudo: names, as a many2one shows them.
            parts = (
                rec.name,
                rec.partner_id.sudo().display_name,
                rec.category_id.sudo().display_name,
                severities.get(rec.severity),
            )
            rec.calendar_label = " · ".join(part for part in parts if part)

    @api.depends(
        "partner_id.commercial_partner_id",
        "affected_partner_ids.commercial_partner_id",
    )
    def _compute_customer_count(self):
        for rec in self:
            partners = rec.partner_id | rec.affected_partner_ids
            count = nature.distinct_customers(partners.commercial_partner_id.ids)
            rec.customer_count = count
            rec.is_group_complaint = count >= nature.GROUP_THRESHOLD

    @api.depends("description")
    def _compute_description_key(self):
        for rec in self:
            rec.description_key = similarity.search_key(rec.description) or False

    def _compute_similar_score(self):
        # Set by _compute_similar_complaint_ids on the suggestions it lists;
        # a new complaint lists them as new records of the same origin.
        field = self._fields["similar_score"]
        for rec in self:
            origin = rec._origin
            score = 0.0
            if origin and origin.id != rec.id:
                score = self.env.cache.get(origin, field, 0.0)
            rec.similar_score = score

    @api.depends(
        "description",
        "partner_id",
        "sale_order_id",
        "product_ids",
        "company_id",
    )
    @api.depends_context("uid")
    def _compute_similar_complaint_ids(self):
        found = self._similar_matches()
        score_field = self._fields["similar_score"]
        for rec in self:
            scored = found.get(rec, [])
            suggestions = self.browse([cid for cid, _score in scored])
            readable = suggestions._similar_readable()
            kept = [(cid, score) for cid, score in scored if cid in readable.ids]
            kept = kept[:SIMILAR_LIMIT]
            shown = self.browse([cid for cid, _score in kept])
            rec.similar_complaint_ids = shown
            # The score of each suggestion for this complaint, in the cache
            # the list of the form reads.
            self.env.cache.update(shown, score_field, [score for _c, score in kept])

    @api.depends(
        "category_id.is_quality",
        "date_received",
        "date_delivered",
        "is_own_storage_damage",
    )
    def _compute_return_eligibility(self):
        for rec in self:
            # The day of receipt where the company is, whoever saves it.
            received = (
                rec.date_received
                and (
                    rec._to_local(rec.date_received, rec._company_tz(rec.company_id))
                ).date()
            )
            eligible, status = returns.return_status(
                rec.category_id.is_quality,
                rec.is_own_storage_damage,
                received,
                rec.date_delivered,
            )
            rec.is_return_eligible = eligible
            rec.return_status = status

    @api.depends("needs_site_visit", "date_received", "partner_id", "policy_id")
    def _compute_site_deadline(self):
        # From the receipt (接报后, 004 §4.7), counted once, when decided
        # (D0d): the region and the policy's days as they are then; only a
        # change of the customer or the policy while the technician is still
        # awaited counts it again.
        todo = self.browse()
        for rec in self:
            if not rec.needs_site_visit or not rec.date_received:
                rec.site_region = rec.date_site_deadline = False
            elif rec.policy_id and not rec.date_site_visit:
                todo |= rec
        for calendar, recs in todo.grouped(
            lambda rec: rec._deadline_calendar()
        ).items():
            tz = pytz.timezone(calendar.tz or "UTC")
            facts = {rec: rec._site_visit_facts(tz) for rec in recs}
            due = self._with_working_time(
                calendar,
                tz,
                [start for start, _region, _limits, _unit in facts.values()],
                lambda intervals, facts=facts: {
                    rec: deadlines.site_deadline(*args, intervals)
                    for rec, args in facts.items()
                },
            )
            for rec, (_start, region, _limits, _unit) in facts.items():
                rec.site_region = region
                rec.date_site_deadline = self._to_utc(due[rec], tz)

    @api.depends("needs_site_visit", "date_site_deadline", "date_site_visit")
    def _compute_site_visit_on_time(self):
        for rec in self:
            deadline = rec.needs_site_visit and rec.date_site_deadline
            rec.site_visit_on_time = bool(
                deadline and rec.date_site_visit and rec.date_site_visit <= deadline
            )

    @api.depends("needs_site_visit", "date_site_deadline", "date_site_visit")
    def _compute_site_visit_late(self):
        now = self._complaint_now()
        for rec in self:
            deadline = rec.needs_site_visit and rec.date_site_deadline
            rec.is_site_visit_late = bool(
                deadline and (rec.date_site_visit or now) > deadline
            )

    def _search_is_site_visit_late(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(operator)
        late = [
            ("needs_site_visit", "=", True),
            ("date_site_deadline", "!=", False),
            "|",
            "&",
            ("date_site_visit", "=", False),
            ("date_site_deadline", "<", self._complaint_now()),
            "&",
            ("date_site_visit", "!=", False),
            ("site_visit_on_time", "=", False),
        ]
        if (operator == "=") == value:
            return late
        return ["!", *expression.normalize_domain(late)]

    # ------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------

    @api.constrains("sale_order_id", "partner_id", "sale_line_ids")
    def _check_sale_order(self):
        # The server's consistency check, read as superuser: logging or
        # duplicating a complaint on an order needs no Sales rights. Whose
        # order it is is told only to those who may read it.
        for rec in self:
            order = rec.sudo().sale_order_id
            customer = rec.sudo().partner_id.commercial_partner_id
            if order and order.partner_id.commercial_partner_id != customer:
                if not rec.sale_order_id.has_access("read"):
                    raise ValidationError(
                        self.env._(
                            "Sale order %(order)s does not belong to the "
                            "complaining customer %(customer)s.",
                            order=order.name,
                            customer=customer.display_name,
                        )
                    )
                raise ValidationError(
                    self.env._(
                        "Sale order %(order)s belongs to %(owner)s, not to the "
                        "complaining customer %(customer)s.",
                        order=order.name,
                        owner=order.partner_id.commercial_partner_id.display_name,
                        customer=customer.display_name,
                    )
                )
            if rec.sudo().sale_line_ids.order_id - order:
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

    @api.constrains("defective_qty")
    def _check_defective_qty(self):
        if any(rec.defective_qty < 0 for rec in self):
            raise ValidationError(
                self.env._("The defective quantity cannot be negative.")
            )

    @api.constrains("claimed_amount", "compensation_amount", "currency_id")
    def _check_amount_limit(self):
        """Amounts no larger than the company's limit (a typing error
        otherwise), compared in the company's currency."""
        for rec in self:
            company = rec.company_id
            limit = company.complaint_amount_limit
            for name in ("claimed_amount", "compensation_amount"):
                amount = rec[name]
                if not amount or not limit:
                    continue
                if rec.currency_id and rec.currency_id != company.currency_id:
                    amount = rec.currency_id._convert(
                        amount,
                        company.currency_id,
                        company,
                        fields.Date.context_today(rec),
                    )
                if company.currency_id.compare_amounts(amount, limit) > 0:
                    raise ValidationError(
                        self.env._(
                            "%(field)s of complaint %(ref)s is above %(limit)s, the "
                            "largest amount of the company: check the figure.",
                            field=rec._fields[name].get_description(self.env)["string"],
                            ref=rec.name,
                            limit=formatLang(
                                self.env, limit, currency_obj=company.currency_id
                            ),
                        )
                    )

    @api.constrains("parent_id")
    def _check_parent(self):
        if self._has_cycle():
            raise ValidationError(self.env._("A complaint cannot follow itself."))

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

    # ------------------------------------------------------------
    # ONCHANGE METHODS
    # ------------------------------------------------------------

    @api.onchange("sale_line_pick_ids")
    def _onchange_sale_line_pick_ids(self):
        # On the form the lines are picked through their proxy, whose
        # inverse runs only at save: the products follow the lines now.
        for rec in self:
            rec.sale_line_ids = rec.sale_line_pick_ids | rec._hidden_sale_lines()

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self._check_intake_values(vals_list)
        for vals in vals_list:
            # The reference is computed, as late as possible.
            if vals.get("name") in (False, "New", self.env._("New")):
                vals.pop("name", None)
        complaints = super().create(vals_list)
        if not self.env.su:
            complaints._check_intake_complete()
        # Part of the creation: no tracking message for the first deadlines.
        complaints.with_context(mail_notrack=True)._set_deadlines()
        # Nor for the link to an earlier complaint.
        complaints.with_context(mail_notrack=True)._link_repeats()
        complaints._raise_severity_by_nature()
        # Last, once the deadlines are final: the to-do is due with the
        # resolution; a complaint nobody handles yet goes to whoever routes
        # it. Its mail shows the reference, taken then (as late as the
        # creation allows).
        complaints._schedule_handler_activity()
        complaints._schedule_route_activity()
        complaints._report_major_cases()
        # Last: its deadline is counted once the policy is final.
        complaints._count_site_deadline()
        return complaints

    @api.model
    def _check_intake_values(self, vals_list):
        """What a user sets at intake: never a reference of their choosing,
        a receipt in the future, or someone else as first responder (a
        manager may log a complaint for a colleague)."""
        is_manager = "manager" in self._current_roles()
        latest = self._complaint_now() + timedelta(minutes=INTAKE_CLOCK_SKEW)
        for vals in vals_list:
            if vals.get("name") not in (None, False, "", "New", self.env._("New")):
                raise AccessError(
                    self.env._("Complaint references are given by the system.")
                )
            received = vals.get("date_received")
            if received and fields.Datetime.to_datetime(received) > latest:
                raise ValidationError(
                    self.env._("A complaint cannot be received in the future.")
                )
            if vals.get("needs_site_visit") and "handler" not in self._current_roles():
                raise AccessError(self._site_visit_refusal())
            responder = vals.get("first_responder_id")
            if responder and responder != self.env.uid and not is_manager:
                raise AccessError(
                    self.env._(
                        "You are the first responder of the complaints you log; "
                        "only a complaint manager logs one for a colleague."
                    )
                )

    def write(self, vals):
        # The one write override of the model.
        if not self.env.su:
            self._check_user_write(vals)
        # Computed fields (the policy) change without being in ``vals``: the
        # watched fields are read before every write (prefetched, one query).
        before = {
            rec: {name: rec[name] for name in WRITE_WATCHED_FIELDS} for rec in self
        }
        contact_before = self._contact_snapshot(CONTACT_FIELDS.keys() & vals.keys())
        res = super().write(vals)
        self._log_contact_changes(contact_before)
        if ROUTING_TRIGGERS & set(vals):
            # Checked above (the category routes too); a handler who handed a
            # complaint over may no longer read it, the follow-up work is the
            # server's.
            self.sudo()._hand_over(before)
            self.sudo()._reroute(before)
        if "subject_employee_ids" in vals:
            self._unsubscribe_involved()
        # The server's too: whoever routed a complaint out of his queue (the
        # intake team, every time) may no longer read it.
        self.sudo()._follow_policy_change(vals, before)
        if REPORT_EDIT_FIELDS & set(vals):
            self._unsign_changed_report(vals, before)
        # _link_repeats writes only is_repeat and parent_id: no recursion.
        if any(field in vals for field in REPEAT_TRIGGERS):
            self.filtered(lambda rec: rec.state == "new")._link_repeats()
        # _raise_severity_by_nature writes no trigger: no recursion.
        if NATURE_TRIGGERS & set(vals):
            self._raise_severity_by_nature()
        # Whoever raised it (the user, a correction, the nature): once.
        if ({"severity"} | NATURE_TRIGGERS) & set(vals):
            self._report_major_cases()
        if "needs_site_visit" in vals:
            self._count_site_deadline()
        return res

    def _check_intake_complete(self):
        """What a complaint logged in the back office states: its category
        and what happened. (A complaint mailed in or sent from the portal is
        filed by the server: its customer may not know the category, and the
        mail's text is its description.)"""
        for rec in self:
            if not rec.category_id:
                raise ValidationError(
                    self.env._("Choose the category of the complaint.")
                )
            if is_html_empty(rec.description):
                raise ValidationError(
                    self.env._("Describe what the customer complains about.")
                )

    def _check_user_write(self, vals):
        """Raise when the current user may not write ``vals`` (the workflow
        guard runs next): only a manager archives; only the people handling
        the complaint change who is complained about, who handles it and the
        customer's feedback; nobody empties the category or the
        description. Nobody involved writes the complaint at all."""
        self._check_recusal()
        if ("category_id" in vals and not vals["category_id"]) or (
            "description" in vals and is_html_empty(vals["description"])
        ):
            raise ValidationError(
                self.env._(
                    "A complaint keeps its category and the description of what "
                    "happened: change them rather than remove them."
                )
            )
        if "active" in vals and "manager" not in self._current_roles():
            raise AccessError(
                self.env._("Only a complaint manager archives or restores complaints.")
            )
        if "subject_employee_ids" in vals:
            self._check_subjects_editor()
        if "user_id" in vals:
            self._check_handler_change(vals["user_id"])
        if FEEDBACK_FIELDS & set(vals):
            self._check_feedback_recorder()
        if "needs_site_visit" in vals:
            self._check_site_visit_setter()

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
        """Labels of the records attached to the complaint that its deletion
        would lose (their links are ``ondelete='restrict'``)."""
        self.ensure_one()
        blockers = []
        if self.sudo().responsibility_ids:
            blockers.append(self.env._("responsibility lines"))
        if self.sudo().extension_ids:
            blockers.append(self.env._("extension requests"))
        if self.sudo().with_context(active_test=False).action_ids:
            blockers.append(self.env._("corrective or preventive actions"))
        return blockers

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

    def export_data(self, fields_to_export):
        # Not in any export, even for those who may read them on the form.
        secret = set(CONTACT_FIELDS) | set(CONTACT_FIELDS.values())
        for path in fields_to_export:
            if path.split("/")[0] in secret:
                raise AccessError(
                    self.env._(
                        "The complainant's details are never exported: remove "
                        "%(field)s from the export.",
                        field=path,
                    )
                )
        return super().export_data(fields_to_export)

    # ------------------------------------------------------------
    # WORKFLOW GUARD (complaint.workflow.mixin)
    # ------------------------------------------------------------

    @api.model
    def _workflow_editable_fields(self):
        """Per state, what a user may still change; anything not listed is
        frozen. The facts are gathered while the complaint is new or
        investigated; the reply agreed with the customer and the handling
        report stay open until it is resolved or closed."""
        facts = (
            INTAKE_FIELDS
            | set(CONTACT_FIELDS)
            | NATURE_FIELDS
            | RETURN_FIELDS
            | ASSESSMENT_FIELDS
            | SITE_FIELDS
        )
        handling = (
            ROUTING_FIELDS | REPORT_EDIT_FIELDS | REPLY_FIELDS | {"date_promised_reply"}
        )
        return {
            "new": handling
            | facts
            | DEADLINE_INPUT_FIELDS
            | {"policy_id"}
            | PLAN_FIELDS
            | VALIDITY_FIELDS,
            "investigating": handling | facts | PLAN_FIELDS | VALIDITY_FIELDS,
            "proposed": set(handling),
            "approved": set(handling),
            "resolved": FEEDBACK_FIELDS
            | REPORT_EDIT_FIELDS
            | REPLY_FIELDS
            | {"force_close_reason"},
            # Archiving follows the closing rules: only what is over.
            "closed": {"active"},
            "rejected": {"active"},
            "cancelled": {"active"},
        }

    def _check_step(self, step):
        """The guard of every lifecycle action, shared by the action and its
        ``can_*`` button: state and role (the table, in the mixin), recusal,
        appeals, the handler's own complaints, and who approves."""
        res = super()._check_step(step)
        roles = self._current_roles()
        # Every step, cancelling included: nobody decides their own case.
        self._check_recusal()
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
        if step == "approve":
            self._check_approver()
        if step == "resolve":
            self._check_customer_agreement()
        return res

    def _step_refusal(self, step, err):
        states = dict(self._fields["state"]._description_selection(self.env))
        return self.env._(
            "Complaint %(ref)s is %(state)s; it can %(action)s only when %(allowed)s.",
            ref=self.name,
            state=states[self.state],
            action=self._action_label(step),
            allowed=", ".join(
                states[s] for s in lifecycle.STATE_KEYS if s in err.allowed
            ),
        )

    def _role_refusal(self, step, err):
        return self.env._(
            "You are not allowed to %(action)s complaint %(ref)s.",
            action=self._action_label(step),
            ref=self.name,
        )

    def _check_approver(self):
        """Never the proposer; the next approval (deputy, executive) from
        the role of its level and from another person than the earlier
        approvers."""
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
        roles = self._current_roles()
        if self._awaits_deputy():
            if "deputy" not in roles:
                raise AccessError(
                    self.env._(
                        "Complaint %(ref)s was approved by the center director "
                        "and now needs the deputy general manager's approval.",
                        ref=self.name,
                    )
                )
        elif "executive" not in roles:
            raise AccessError(
                self.env._(
                    "Complaint %(ref)s was approved by the complaint manager and "
                    "now needs the executive's approval.",
                    ref=self.name,
                )
            )
        if user in self.approved_by_id | self.deputy_approved_by_id:
            raise AccessError(
                self.env._(
                    "You already approved complaint %(ref)s; the second approval "
                    "must come from another person.",
                    ref=self.name,
                )
            )

    def _may_act(self, action, roles):
        """Record-level part of the rule: a handler (not a manager) acts only on
        the complaints they handle (``is_handled_by_me``); a plain user
        cancels only what they received; nobody involved decides their own
        case; a second appeal goes to the executive."""
        self.ensure_one()
        user = self.env.user
        if self._is_recused():
            return False
        if action == "reopen" and self.reopen_count:
            return "executive" in roles
        if "manager" in roles:
            return True
        if action in HANDLER_ACTIONS:
            return self.is_handled_by_me
        if action == "cancel":
            return user in (self.first_responder_id | self.create_uid)
        return True

    def _is_handler(self):
        """Whether the current user handles this complaint: a handler it is
        assigned to (or to whose department), or a manager; never someone
        involved in it. Extensions, replies, visits and actions use it."""
        self.ensure_one()
        roles = self._current_roles()
        return "handler" in roles and self._may_act("resolve", roles)

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

    def _stamped(self, stamp, **values):
        """Step values: ``values`` plus ``stamp`` set to now unless already
        set (a fact is stamped once)."""
        now = self._complaint_now()
        return lambda rec: dict(values, **({} if rec[stamp] else {stamp: now}))

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def action_accept(self):
        """The complaint is valid (成立): start investigating."""
        accepted = self._step(
            "accept", self._stamped("date_acknowledged", validity="valid")
        )
        # The clocks that start at acknowledgement start now.
        accepted._set_deadlines(("decision", "resolve"), started="acknowledged")
        accepted._default_promised_reply()
        accepted._stamp_decided()
        accepted._reset_escalation()
        accepted._post_customer_template(ACK_TEMPLATE)
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
        now = self._complaint_now()
        rejected = self._write_step(
            "reject",
            lambda rec: {"validity": rec.validity or "invalid", "date_rejected": now},
        )
        # The approvers' to-dos too.
        rejected._drop_activities()
        rejected._post_customer_template(REJECTION_TEMPLATE)
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
        # A new plan is approved again from scratch.
        proposed = self._write_step(
            "propose",
            {
                "proposed_by_id": self.env.user.id,
                "date_proposed": self._complaint_now(),
                **self._approval_reset_values(),
            },
        )
        for rec in proposed:
            rec._ask_approval(rec._plan_approvers())
        return True

    def action_send_back(self):
        """The plan is not approved: back to investigation."""
        sent_back = self._step("send_back", self._approval_reset_values())
        sent_back.sudo().activity_unlink([APPROVAL_ACTIVITY])
        return True

    def action_approve(self):
        """Approve the plan: a complaint manager, plus the executive when
        ``needs_executive``; never the proposer, never someone involved. The
        first approval freezes the approved severity and compensation; a
        fully approved plan gets its credit note and its penalties."""
        self._check_steps("approve")
        now = self._complaint_now()
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
                if rec.needs_deputy:
                    # The managers' to-dos are answered; the deputies' open.
                    rec.sudo().activity_feedback([APPROVAL_ACTIVITY])
                    rec._ask_deputy_approval()
                    continue
                if rec.needs_executive:
                    # The managers' to-dos are answered; the executives' open.
                    rec.sudo().activity_feedback([APPROVAL_ACTIVITY])
                    rec._ask_executive_approval()
                    continue
            elif rec._awaits_deputy():
                rec.sudo().write(
                    {"deputy_approved_by_id": user.id, "date_deputy_approved": now}
                )
                if rec.needs_executive:
                    rec.sudo().activity_feedback([APPROVAL_ACTIVITY])
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
        approved = done._write_step("approve")
        # A two-level approval may leave a complaint waiting for the
        # executive: only a fully approved plan is paid.
        approved.filtered(
            lambda rec: rec.state == "approved" and rec._needs_credit_note()
        )._sync_credit_note()
        approved._propose_due_penalties()
        self._close_approval_activities()
        return True

    def action_resolve(self):
        resolved = self._step("resolve", self._stamped("date_resolved"))
        # sudo: a step answers the activities of everyone, not only the
        # current user's.
        resolved.sudo().activity_feedback([HANDLE_ACTIVITY])
        resolved._set_deadlines(("visit",))
        resolved._reset_escalation()
        resolved._stamp_delay_responsible()
        # Open complaints are followed up; a resolved one is visited.
        resolved.sudo().activity_feedback([FOLLOWUP_ACTIVITY])
        resolved._post_customer_template(RESULT_TEMPLATE)
        resolved._post_customer_template(VISIT_REQUEST_TEMPLATE)
        resolved._propose_due_penalties()
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
            reviewed = unsatisfied._step("review", lambda rec: rec._reopen_values())
            # Visited again once resolved again.
            reviewed.sudo().write({"date_visit_deadline": False})
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
        closed = satisfied._step("close", self._stamped("date_closed"))
        closed._drop_activities()
        closed._propose_due_penalties()
        closed._keep_important_long_term()
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
        self._check_can_close()
        closed = self._write_step("force_close", self._stamped("date_closed"))
        closed._drop_activities()
        closed._propose_due_penalties()
        closed._keep_important_long_term()
        return True

    def action_reopen(self):
        """Appeal or re-review: back to investigation, history kept."""
        reopened = self._step("reopen", lambda rec: rec._reopen_values())
        # Visited again once resolved again.
        reopened.sudo().write({"date_visit_deadline": False})
        # Reopening answers the review of a dissatisfied rating.
        reopened.sudo().activity_feedback([RATING_REVIEW_ACTIVITY])
        self._schedule_handler_activity()
        return True

    def action_cancel(self):
        cancelled = self._step("cancel")
        # The approvers' to-dos too.
        cancelled._drop_activities()
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
        self.sudo().write({"date_feedback": self._complaint_now()})
        # The visit deadline is met: the escalation ladder starts again.
        self._reset_escalation()
        return True

    def action_keep_closed(self):
        """Keep a flagged complaint closed despite the customer's rating:
        decided by whoever could reopen it instead (the same guard)."""
        self._check_steps("reopen")
        for rec in self:
            if rec.state != "closed" or not rec.rating_alert:
                raise UserError(
                    self.env._(
                        "Complaint %(ref)s has no dissatisfied rating after "
                        "closing to review.",
                        ref=rec.name,
                    )
                )
        self.sudo().write({"rating_alert": False})
        self.sudo().activity_feedback([RATING_REVIEW_ACTIVITY])
        for rec in self:
            rec.message_post(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "%(user)s reviewed the customer's dissatisfied rating and "
                    "keeps the complaint closed.",
                    user=self.env.user.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_record_reply(self):
        """The customer was answered (within the promised reply time)."""
        for rec in self:
            rec._check_transition_rights_for_reply()
        self.sudo().write({"date_replied": self._complaint_now()})
        self._reset_escalation()
        return True

    def action_record_site_visit(self):
        """The technician reached the customer's site (到达现场): stamped
        now, by the handler, while the complaint is open."""
        for rec in self:
            if not rec._is_handler():
                raise AccessError(self._site_visit_refusal())
            if (
                not rec.needs_site_visit
                or rec.date_site_visit
                or rec.state not in lifecycle.OPEN_STATES
            ):
                raise UserError(
                    self.env._(
                        "Complaint %(ref)s awaits no technician on site: record "
                        "the visit once, while the complaint is open and a site "
                        "visit was decided.",
                        ref=rec.name,
                    )
                )
        self.sudo().write({"date_site_visit": self._complaint_now()})
        self._reset_escalation()
        return True

    def action_record_customer_agreement(self):
        """The handler records that the customer agreed to the plan (by
        phone, in writing...), before it is carried out."""
        for rec in self:
            if not rec._is_handler():
                raise AccessError(
                    self.env._(
                        "Only the handler of complaint %(ref)s records the "
                        "customer's agreement to its plan.",
                        ref=rec.name,
                    )
                )
            rec._check_agreement_open(AGREEMENT_STATES)
        self._write_customer_agreement(
            self.env._(
                "The customer's agreement to the plan was recorded by %(user)s.",
                user=self.env.user.name,
            )
        )
        return True

    def action_request_extension(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Request Extension"),
            "res_model": "complaint.extension",
            "view_mode": "form",
            "target": "new",
            "context": {"default_complaint_id": self.id},
        }

    def action_recompute_deadlines(self):
        """A complaint manager recomputes every deadline from the policy and
        the working calendar as they are now (e.g. after a holiday was
        entered late); the chatter tracks each change."""
        if "manager" not in self._current_roles():
            raise AccessError(
                self.env._("Only a complaint manager recomputes deadlines.")
            )
        self._check_recusal()
        self._set_deadlines()
        self._recount_site_deadline()
        for rec in self:
            rec.message_post(
                body=self.env._(
                    "Deadlines recomputed by %(user)s from policy %(policy)s.",
                    user=self.env.user.name,
                    policy=rec.policy_id.sudo().name or "-",
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_sign_report(self):
        for rec in self:
            rec._check_sign_report()
        return self._stamp_report(
            "report_signed_by_id",
            "date_report_signed",
            self.env._("Handling report signed by %(user)s.", user=self.env.user.name),
        )

    def action_approve_report(self):
        """The management's approval of the signed handling report."""
        for rec in self:
            rec._check_approve_report()
        return self._stamp_report(
            "report_approved_by_id",
            "date_report_approved",
            self.env._(
                "Handling report approved by %(user)s.", user=self.env.user.name
            ),
        )

    def _stamp_report(self, user_field, date_field, note):
        """Record who signed the handling report and when (the checks are
        the caller's), with ``note`` in each complaint's chatter."""
        self.sudo().write(
            {user_field: self.env.user.id, date_field: self._complaint_now()}
        )
        for rec in self:
            rec.message_post(body=note, subtype_xmlid="mail.mt_note")
        return True

    def action_view_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_center.complaint_corrective_action_action"
        )
        action.update(
            {
                "domain": [("complaint_id", "=", self.id)],
                "context": {
                    "default_complaint_id": self.id,
                    "search_default_filter_open": 0,
                },
            }
        )
        return action

    def action_send_acknowledgement(self):
        """Send the acknowledgement at once, and once only: it was sent at
        acceptance already when the company mails automatically."""
        self.ensure_one()
        self._check_send_acknowledgement()
        if not any(self._customer_mail_recipient()):
            raise UserError(
                self.env._(
                    "Complaint %(ref)s has no email address of the customer to "
                    "send the acknowledgement to.",
                    ref=self.name,
                )
            )
        self.env["complaint.mail.job"]._enqueue(self, self.env.ref(ACK_TEMPLATE))
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "The acknowledgement is being sent to the customer; it shows "
                    "in the chatter in a moment."
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_send_result(self):
        return self._action_send_template(
            "complaint_center.mail_template_complaint_result"
        )

    def action_send_visit_request(self):
        return self._action_send_template(
            "complaint_center.mail_template_complaint_visit_request"
        )

    def action_record_visit(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record Return Visit"),
            "res_model": "complaint.visit",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_complaint_id": self.id},
        }

    def action_hand_over(self):
        """The form handing the complaint over to a unit (移交单位)."""
        return self._handover_form("handle", self.env._("Hand Over to a Unit"))

    def action_request_support(self):
        """The form asking a department or person for support (协办)."""
        return self._handover_form("support", self.env._("Request Support"))

    def action_view_visits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_center.complaint_visit_action"
        )
        action["domain"] = [("complaint_id", "=", self.id)]
        action["context"] = {"default_complaint_id": self.id}
        return action

    def action_create_credit_note(self):
        """Prepare the draft credit note of an approved compensation by hand
        (finance or a manager), when none exists yet."""
        # Managers and finance, besides accounting's invoicing users.
        if not (
            {"manager", "finance"} & self._current_roles()
            or self.env.user.has_group("account.group_account_invoice")
        ):
            raise AccessError(
                self.env._(
                    "Only complaint managers and finance may prepare a credit "
                    "note for a compensation."
                )
            )
        for rec in self:
            if rec.resolution_type != "refund":
                raise UserError(
                    self.env._(
                        "Complaint %(ref)s is not resolved by a refund or "
                        "compensation; no credit note is needed.",
                        ref=rec.name,
                    )
                )
            if (
                rec.currency_id.compare_amounts(rec.approved_compensation_amount, 0)
                <= 0
            ):
                raise UserError(
                    self.env._(
                        "Complaint %(ref)s has no compensation amount to credit.",
                        ref=rec.name,
                    )
                )
            if rec.state not in CREDIT_NOTE_STATES:
                raise UserError(
                    self.env._(
                        "The compensation plan of complaint %(ref)s is not "
                        "approved yet.",
                        ref=rec.name,
                    )
                )
            if rec.has_credit_note:
                raise UserError(
                    self.env._(
                        "Complaint %(ref)s already has a credit note.",
                        ref=rec.name,
                    )
                )
        moves = self._sync_credit_note(strict=True)
        if len(self) == 1 and self.env.user.has_group("account.group_account_invoice"):
            return self.action_view_credit_notes()
        return bool(moves)

    def action_view_credit_notes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_refund_type"
        )
        moves = self.refund_move_ids
        action["domain"] = [("complaint_id", "=", self.id)]
        action["context"] = {
            "default_move_type": "out_refund",
            "default_complaint_id": self.id,
        }
        if len(moves) == 1:
            action["views"] = [(self.env.ref("account.view_move_form").id, "form")]
            action["res_id"] = moves.id
        return action

    def action_propose_penalties(self):
        if "manager" not in self._current_roles():
            raise AccessError(
                self.env._("Only a complaint manager proposes penalties.")
            )
        return self._penalties_proposed_notification(self._propose_penalties())

    # The documents that fit some complaints only are not in the Print menu
    # (the same for every complaint): printed from the form where they fit.
    def action_print_handling_report(self):
        return self.env.ref("complaint_center.complaint_report_handling").report_action(
            self
        )

    def action_print_rejection_notice(self):
        return self.env.ref(
            "complaint_center.complaint_report_rejection_notice"
        ).report_action(self)

    def action_print_written_reply(self):
        return self.env.ref(
            "complaint_center.complaint_report_written_reply"
        ).report_action(self)

    def action_view_penalties(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_center.complaint_penalty_action"
        )
        action["domain"] = [("complaint_id", "=", self.id)]
        action["context"] = {"default_complaint_id": self.id}
        return action

    def action_correct_intake(self):
        self.ensure_one()
        # Told at once; the wizard checks again when it applies.
        self._check_recusal()
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

    # The suggestions of a complaint are listed on its form; their buttons
    # run on the suggestion, and the complaint being registered comes as
    # the default of the link wizard (complaint.similar.link), which checks
    # and applies it as the user.
    def action_link_as_repeat(self):
        """The complaint being registered repeats this one (二次投诉)."""
        return self._similar_link("repeat")

    def action_join_group(self):
        """The complaint being registered and this one form a group."""
        return self._similar_link("group")

    def action_keep_long_term(self):
        """A complaint manager keeps the record long-term (never purged)."""
        self._check_long_term_change()
        self._audited().sudo().write({"is_long_term": True})
        return True

    def action_release_long_term(self):
        """A complaint manager lets the record follow the retention years."""
        self._check_long_term_change()
        self._audited().sudo().write({"is_long_term": False})
        return True

    def action_purge(self):
        """An administrator purges closed complaints past their retention
        date, not kept long-term, of the complainant's personal data. The
        row stays (reference, dates, category, handling, penalties): the
        register stays gapless (I5)."""
        self._check_purge()
        self._purge_personal_data()
        return True

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    # Lifecycle ----------------------------------------------------------

    def _reopen_values(self):
        """Values of a complaint handled again: the review level rises, the
        outcome of the previous round is cleared (the chatter keeps it): the
        approvals, the escalation and a rating alert."""
        self.ensure_one()
        return {
            "reopen_count": self.reopen_count + 1,
            "date_closed": False,
            "date_rejected": False,
            "date_resolved": False,
            "date_feedback": False,
            "satisfaction": False,
            **self._approval_reset_values(),
            "escalated_deadline": False,
            "escalation_level": 0,
            "delay_responsible_id": False,
            "rating_alert": False,
        }

    # The customer's appeal (申诉) ---------------------------------------
    def _appeal_refusal(self, partner):
        """Why the customer ``partner`` may not appeal this complaint from
        the portal now (a translated sentence), else ``None``: only its own
        customer, only a closed or rejected outcome, once per review level
        below the general manager's, within the company's window."""
        self.ensure_one()
        _ = self.env._
        if (
            not partner
            or partner.commercial_partner_id != self.sudo().commercial_partner_id
        ):
            return _(
                "Only the customer of complaint %(ref)s may appeal it.", ref=self.name
            )
        if self.state not in APPEAL_STATES:
            return _(
                "Complaint %(ref)s is still being handled: you may appeal its "
                "outcome once it is closed or rejected.",
                ref=self.name,
            )
        if self.reopen_count >= lifecycle.REVIEW_EXECUTIVE:
            return _(
                "Complaint %(ref)s was already reviewed by the general manager: "
                "this outcome is final and cannot be appealed again.",
                ref=self.name,
            )
        days = self.company_id.sudo().complaint_appeal_days
        if not days:
            return _(
                "Complaints are not appealed on the portal: please contact our "
                "complaint center."
            )
        ended = (
            self.date_closed if self.state == "closed" else self.date_rejected
        ) or self.write_date
        if self._complaint_now() > ended + timedelta(days=days):
            return _(
                "Complaint %(ref)s can be appealed within %(days)s days after "
                "its outcome; that time has passed.",
                ref=self.name,
                days=days,
            )
        return None

    def _portal_appeal(self, partner, reason):
        """The customer ``partner`` appeals the outcome on the portal: the
        complaint is reviewed again one level up, as when a manager reopens
        it (rows K1/K2), and the handler and the reviewers are told."""
        self.ensure_one()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Tell us why you appeal the outcome."))
        refusal = self._appeal_refusal(partner)
        if refusal:
            raise UserError(refusal)
        now = self._complaint_now()
        to_state = lifecycle.TRANSITIONS["reopen"][self.state][0]
        values = {
            **self._reopen_values(),
            "state": to_state,
            "appeal_reason": reason,
            "date_appealed": now,
            "appeal_count": self.appeal_count + 1,
            # Visited again once resolved again.
            "date_visit_deadline": False,
        }
        rec = self._audited().sudo()
        rec.write(values)
        rec.activity_feedback([RATING_REVIEW_ACTIVITY])
        rec.message_post(
            body=self.env._(
                "The customer %(customer)s appealed the outcome on the portal "
                "(review level %(level)s): %(reason)s",
                customer=partner.name,
                level=rec.review_level,
                reason=reason,
            ),
            subtype_xmlid="mail.mt_note",
            author_id=partner.id,
        )
        rec._schedule_handler_activity()
        rec._ask_appeal_review()

    def _ask_appeal_review(self):
        """A to-do for the reviewers of the appeal's level: the center
        director at the manager review, the general manager above."""
        self.ensure_one()
        role = (
            "executive"
            if self.review_level == str(lifecycle.REVIEW_EXECUTIVE)
            else "director"
        )
        users = self.company_id._complaint_people(role) - self.user_id
        summaries = {
            user: self.with_context(lang=user.lang).env._(
                "Review the customer's appeal of complaint %(ref)s", ref=self.name
            )
            for user in users
        }
        self._schedule_activities(
            APPEAL_ACTIVITY,
            [(self, user, self._complaint_today(), summaries[user]) for user in users],
        )

    def _check_can_close(self):
        """Raise ``UserError`` when a complaint may not be closed yet, with
        or without the customer's agreement: open corrective actions (when
        the company requires them done), an unsigned handling report."""
        for rec in self:
            if rec.company_id.complaint_require_actions_done:
                # Archived actions count too: archiving is no way around it.
                open_actions = rec.sudo().with_context(active_test=False).action_ids
                open_actions = open_actions.filtered(
                    lambda action: action.state == "open"
                )
                if open_actions:
                    raise UserError(
                        self.env._(
                            "Complaint %(ref)s still has open corrective or "
                            "preventive actions: %(actions)s. Mark them done "
                            "before closing it.",
                            ref=rec.name,
                            actions=", ".join(open_actions.mapped("name")),
                        )
                    )
            if rec.no_standard and not rec.report_signed_by_id:
                raise UserError(
                    self.env._(
                        "No standard or training covered complaint %(ref)s: "
                        "the head of the responsible department must sign its "
                        "handling report before it is closed.",
                        ref=rec.name,
                    )
                )

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

    def _drop_activities(self):
        """The handling ended: no activity left on the complaint has anything
        to answer, whoever it is assigned to (sudo: everyone's)."""
        self.sudo().activity_ids.unlink()

    # Handovers to units and support (移交单位, 协办) ---------------------
    def _handover_form(self, kind, title):
        """Who may hand over is checked here and again when it is saved."""
        self.ensure_one()
        self.env["complaint.handover"]._check_may_hand_over(self)
        return {
            "type": "ir.actions.act_window",
            "name": title,
            "res_model": "complaint.handover",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_complaint_id": self.id, "default_kind": kind},
        }

    # Approval -----------------------------------------------------------
    def _plan_figures(self):
        """``(severity, compensation)`` of the plan: as approved once the
        first approval froze them, else as proposed."""
        self.ensure_one()
        if self.approved_by_id:
            return self.approved_severity, self.approved_compensation_amount
        return self.severity, self.compensation_amount

    def _approval_reset_values(self):
        return {
            "approved_by_id": False,
            "date_approved": False,
            "deputy_approved_by_id": False,
            "date_deputy_approved": False,
            "executive_approved_by_id": False,
            "date_executive_approved": False,
            "approved_severity": False,
            "approved_compensation_amount": 0.0,
            # Another plan is agreed with the customer again.
            "date_customer_agreed": False,
        }

    def _check_customer_agreement(self):
        """征得顾客同意后执行 (001 篇一, 002): where the company requires it,
        a plan is carried out only once the customer agreed to it."""
        if (
            self.company_id.complaint_require_customer_agreement
            and not self.date_customer_agreed
        ):
            raise UserError(
                self.env._(
                    "Complaint %(ref)s: record the customer's agreement to the "
                    "plan before carrying it out.",
                    ref=self.name,
                )
            )

    def _check_agreement_open(self, states):
        """Whether the customer may agree to the plan now (in ``states``)."""
        self.ensure_one()
        if self.state not in states:
            raise UserError(
                self.env._(
                    "Complaint %(ref)s has no plan waiting for the customer's "
                    "agreement.",
                    ref=self.name,
                )
            )
        if self.date_customer_agreed:
            raise UserError(
                self.env._(
                    "The customer already agreed to the plan of complaint %(ref)s.",
                    ref=self.name,
                )
            )

    def _write_customer_agreement(self, body, author=None):
        """Stamp the customer's agreement (checked by the caller) and note it."""
        self.sudo().write({"date_customer_agreed": self._complaint_now()})
        for rec in self:
            rec.sudo().message_post(
                body=body,
                subtype_xmlid="mail.mt_note",
                author_id=(author or self.env.user.partner_id).id,
            )

    def _portal_agree_to_plan(self, partner):
        """The customer ``partner`` agrees to the approved plan on the portal
        (the controller checked the visitor's access)."""
        self.ensure_one()
        self._check_agreement_open(("approved",))
        self._write_customer_agreement(
            self.env._(
                "The customer %(customer)s agreed to the plan on the portal.",
                customer=partner.name,
            ),
            author=partner,
        )

    def _plan_approvers(self):
        """Who approves a proposed plan first: the company's complaint
        director, else every complaint manager of the company (executives
        approve second); never the proposer nor anyone involved (回避), and
        when that leaves nobody, the other managers who may approve."""
        self.ensure_one()
        company = self.company_id.sudo()
        excluded = self.proposed_by_id | self.sudo().involved_user_ids
        approvers = company._complaint_people("director") - excluded
        if approvers:
            return approvers
        managers = self.env.ref("complaint_center.group_complaint_manager").sudo().users
        return (
            managers.filtered(
                lambda u: (
                    company in u.company_ids
                    and u.active
                    and not u.share
                    and u.id != SUPERUSER_ID
                )
            )
            - excluded
        )

    def _ask_approval(self, users):
        """An approval to-do for each of ``users``, in their language."""
        self.ensure_one()
        today = self._complaint_today()
        self._schedule_activities(
            APPROVAL_ACTIVITY,
            [
                (
                    self,
                    user,
                    today,
                    # In the approver's language, not the first approver's.
                    self.with_context(lang=user.lang).env._(
                        "Approve the plan of complaint %(ref)s", ref=self.name
                    ),
                )
                for user in users
            ],
        )

    def _awaits_deputy(self):
        """Approved by the director, waiting for the deputy's approval."""
        self.ensure_one()
        return bool(
            self.approved_by_id and self.needs_deputy and not self.deputy_approved_by_id
        )

    def _ask_deputy_approval(self):
        self.ensure_one()
        deputies = self.company_id._complaint_people("deputy")
        self._ask_approval(deputies - self.env.user - self.sudo().involved_user_ids)
        self.message_post(
            body=self.env._(
                "Plan approved by %(user)s; waiting for the deputy general "
                "manager's approval.",
                user=self.env.user.name,
            ),
            subtype_xmlid="mail.mt_note",
        )

    def _ask_executive_approval(self):
        self.ensure_one()
        executives = self.company_id._complaint_people("executive")
        done = self.env.user | self.approved_by_id | self.deputy_approved_by_id
        self._ask_approval(executives - done - self.sudo().involved_user_ids)
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

    # Handler and recusal ------------------------------------------------
    def _is_recused(self, user=None):
        """Whether ``user`` (default: the current user) is complained about
        or named responsible in this complaint, and so stays out of every
        decision on it (回避). Read as superuser: the people involved may
        not read the complaint, yet must be refused."""
        self.ensure_one()
        return (user or self.env.user) in self.sudo().involved_user_ids

    def _check_recusal(self):
        """The one recusal guard, whoever asks: the lifecycle steps (and so
        their buttons), every write of the complaint, and the decisions other
        models take on it (intake correction, extensions, penalties, group
        joins, corrective actions, the handling report)."""
        for rec in self:
            if rec._is_recused():
                raise AccessError(
                    self.env._(
                        "You are complained about or responsible in complaint "
                        "%(ref)s and must stay out of its handling.",
                        ref=rec.name,
                    )
                )

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

    def _schedule_route_activity(self):
        """No complaint reaches nobody: one without a handler is a to-do of
        whoever gives it one (``_routers``), due with the acknowledgement."""
        todo = self.filtered(
            lambda rec: not rec.user_id and rec.state in lifecycle.OPEN_STATES
        )
        if not todo:
            return
        routers = {rec: rec._routers() for rec in todo}
        users = self.env["res.users"].union(*routers.values())
        summaries = self._activity_summaries(ROUTE_ACTIVITY, users)
        # Routing is not following: Odoo subscribes whoever gets an activity,
        # and a follower would go on receiving the customer's messages once
        # the complaint has left his queue.
        followers = self.env["mail.followers"].sudo()
        domain = [
            ("res_model", "=", self._name),
            ("res_id", "in", todo.ids),
            ("partner_id", "in", users.partner_id.ids),
        ]
        following = followers.search(domain)
        self._schedule_activities(
            ROUTE_ACTIVITY,
            [
                (
                    rec,
                    user,
                    (rec.date_ack_deadline or fields.Datetime.now()).date(),
                    summaries[user],
                )
                for rec, people in routers.items()
                for user in people
            ],
        )
        (followers.search(domain) - following).unlink()

    def _activity_recused_users(self):
        # Nobody involved in a complaint gets a to-do on it (回避).
        return self.sudo().involved_user_ids

    def _routers(self):
        """Who gives this complaint its handler, among those who may read
        it: its department's head (a complaint user), else that
        department's complaint handlers; for a complaint routed nowhere, the
        intake team (the complaint handlers of the company's intake
        department); else the complaint center's director. Never someone
        involved in it."""
        self.ensure_one()
        # The server's choice: read as superuser (employees, departments).
        rec = self.sudo()
        company = rec.company_id

        def usable(users, role):
            return users.filtered(
                lambda u: (
                    u.active
                    and not u.share
                    and company in u.company_ids
                    and u not in rec.involved_user_ids
                    and u.has_group(ROLE_GROUPS[role])
                )
            )

        if rec.department_id:
            head = usable(rec.department_id.manager_id.user_id, "user")
            if head:
                return head
            team = rec.department_id
        else:
            team = company.complaint_intake_department_id
        return usable(team.member_ids.user_id, "handler") or usable(
            company._complaint_people("director"), "manager"
        )

    def _reroute(self, before):
        """The handler or the department changed (``before`` maps each
        complaint to its former values): the routing to-dos follow."""
        moved = self.filtered(
            lambda rec: (
                (rec.user_id, rec.department_id)
                != (before[rec]["user_id"], before[rec]["department_id"])
            )
        )
        moved.activity_unlink([ROUTE_ACTIVITY])
        moved._schedule_route_activity()

    def _handler_activity_date(self):
        """Due date of the handler's to-do: the resolution deadline, else
        today."""
        if self.date_resolve_deadline:
            return self.date_resolve_deadline.date()
        return self._complaint_today()

    def _hand_over(self, before):
        """Handlers were (re)assigned (``before`` maps each complaint to its
        former values): a new handler gets a to-do, and the handling of an
        accepted complaint is decided."""
        self.filtered(
            lambda rec: rec.user_id and rec.user_id != before[rec]["user_id"]
        )._schedule_handler_activity()
        self._stamp_decided()

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

    def _unsubscribe_involved(self):
        """Someone who followed a complaint before being named in it stops
        receiving its messages (they carry the complainant's words)."""
        for rec in self.sudo():
            partners = rec.message_partner_ids & rec.involved_user_ids.partner_id
            if partners:
                rec.message_unsubscribe(partner_ids=partners.ids)

    # Deadlines ----------------------------------------------------------
    def _follow_policy_change(self, vals, before):
        """Deadlines derive from the policy, whatever changed it (category,
        severity, a safety flag, a raise by nature, a manager's choice): the
        clocks still running are counted again on the new one, and the
        escalation ladder starts again."""
        moved = self.filtered(
            lambda rec: (
                rec.policy_id != before[rec]["policy_id"]
                and rec.state in lifecycle.OPEN_STATES
            )
        )
        if {"date_received", "company_id"} & set(vals):
            moved |= self.filtered(lambda rec: rec.state == "new")
        for stages, recs in moved.grouped(lambda rec: rec._running_stages()).items():
            recs._set_deadlines(stages)
            recs._reset_escalation()

    def _running_stages(self):
        """The stages whose clock has not stopped yet, as a tuple."""
        self.ensure_one()
        met = {
            "ack": self.date_acknowledged,
            "decision": self.date_decided,
            "resolve": self.date_resolved,
            "visit": self.date_feedback,
        }
        return tuple(stage for stage in STAGE_FIELDS if not met[stage])

    def _move_handler_activities(self):
        """The handler's to-do is due with the resolution: wherever the
        resolution deadline is set or moved, its date follows (one search
        for a whole batch)."""
        if not self:
            return
        todos = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("activity_type_id", "=", self.env.ref(HANDLE_ACTIVITY).id),
                ]
            )
        )
        for todo in todos:
            due = self.browse(todo.res_id)._handler_activity_date()
            if todo.date_deadline != due:
                todo.date_deadline = due

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
            todo.sudo().write({"date_decided": self._complaint_now()})

    def _policy_facts(self):
        return {
            "company_id": self.company_id.id,
            "category_id": self.category_id.id,
            "severity": self.severity,
            "channel": self.channel,
            "scope": policy_core.scope_of(
                self.partner_id.commercial_partner_id.country_id.id,
                self.company_id.country_id.id,
            ),
            "is_safety": self.is_safety,
            "urgency": self.urgency,
            "impact_scope": self.impact_scope,
        }

    def _check_transition_rights_for_reply(self):
        if not self._is_handler():
            raise AccessError(
                self.env._(
                    "Only the handler of complaint %(ref)s may record the reply.",
                    ref=self.name,
                )
            )

    def _set_deadlines(self, stages=None, started=None):
        """Compute and store ``stages`` (default: all) of each complaint from
        its policy and working calendar in force now. ``started``: the clock
        that starts now (``acknowledged``): a resolution counted from
        receipt keeps its deadline then."""
        stages = tuple(stages or STAGE_FIELDS)
        cleared = {STAGE_FIELDS[stage]: False for stage in stages}
        todo = self.filtered(lambda rec: rec.policy_id and rec.date_received)
        (self - todo).sudo().write(cleared)
        groups = defaultdict(lambda: self.browse())
        moved = self.browse()
        for rec in todo:
            groups[rec._deadline_calendar()] |= rec
        for calendar, recs in groups.items():
            computed = recs._stage_deadlines(calendar)
            for rec in recs:
                wanted = stages
                policy = rec.policy_id.sudo()
                if started == "acknowledged" and policy.resolve_from != "acknowledged":
                    wanted = tuple(stage for stage in stages if stage != "resolve")
                vals = {
                    STAGE_FIELDS[stage]: computed[rec][stage] or False
                    for stage in wanted
                }
                if any(rec[name] != value for name, value in vals.items()):
                    rec.sudo().write(vals)
                    if "date_resolve_deadline" in vals:
                        moved |= rec
        moved._move_handler_activities()

    def _default_promised_reply(self):
        """约定回复时限 (001 篇二, 004 篇4 §4.6.2): a complaint not answered on
        the spot is answered within the company's reply days (3) working
        days of its acceptance, on the deadlines' working calendar, unless
        another reply time was agreed and recorded. It counts in the
        deadlines and the sweep as any promised reply."""
        todo = self.filtered(
            lambda rec: (
                not rec.date_promised_reply
                and not rec.date_replied
                and rec.date_acknowledged
                and rec.company_id.complaint_reply_days > 0
            )
        )
        for calendar, recs in todo.grouped(
            lambda rec: rec._deadline_calendar()
        ).items():
            tz = pytz.timezone(calendar.tz or "UTC")
            starts = {rec: self._to_local(rec.date_acknowledged, tz) for rec in recs}
            promised = self._with_working_time(
                calendar,
                tz,
                list(starts.values()),
                lambda intervals, starts=starts: {
                    rec: deadlines.add_working_days(
                        start, rec.company_id.complaint_reply_days, intervals
                    )
                    for rec, start in starts.items()
                },
            )
            for rec, value in promised.items():
                rec.sudo().write({"date_promised_reply": self._to_utc(value, tz)})

    def _deadline_calendar(self):
        self.ensure_one()
        calendar = (
            self.policy_id.sudo().resource_calendar_id
            or self.company_id.sudo().resource_calendar_id
        )
        if not calendar:
            raise UserError(
                self.env._(
                    "Company %(company)s has no working calendar: set one in "
                    "Settings to count the deadlines of complaint %(ref)s.",
                    company=self.company_id.name,
                    ref=self.name,
                )
            )
        return calendar

    def _deadline_policy(self):
        """The complaint's policy as the plain dict the core reads."""
        policy = self.policy_id.sudo()
        return {
            "ack_hours": policy.ack_hours,
            "ack_working_days": policy.ack_working_days,
            "decision_days": policy.decision_days,
            "resolve_days": policy.resolve_days,
            "resolve_day_type": policy.resolve_day_type,
            "resolve_from": policy.resolve_from,
            "visit_days": policy.visit_days,
        }

    def _stage_deadlines(self, calendar):
        """``{complaint: {stage: UTC deadline or None}}`` for complaints
        counted on ``calendar``: one read of its working time for them all."""
        tz = pytz.timezone(calendar.tz or "UTC")

        def local(value):
            return value and self._to_local(value, tz)

        facts = {
            rec: {
                "policy": rec._deadline_policy(),
                "received": local(rec.date_received),
                "acknowledged": local(rec.date_acknowledged),
                "resolved": local(rec.date_resolved),
                "extension_days": rec.extension_days,
            }
            for rec in self
        }

        def compute(intervals):
            return {
                rec: deadlines.stage_deadlines(intervals=intervals, **kwargs)
                for rec, kwargs in facts.items()
            }

        starts = [
            value
            for kwargs in facts.values()
            for value in (
                kwargs["received"],
                kwargs["acknowledged"],
                kwargs["resolved"],
            )
            if value
        ]
        results = self._with_working_time(calendar, tz, starts, compute)
        return {
            rec: {
                stage: value and self._to_utc(value, tz)
                for stage, value in result.items()
            }
            for rec, result in results.items()
        }

    def _extend_resolve_deadline(self, days):
        """Move the resolution deadline by ``days`` working days (an approved
        extension), on the calendar in force now."""
        self.ensure_one()
        if not self.date_resolve_deadline:
            return
        calendar = self._deadline_calendar()
        tz = pytz.timezone(calendar.tz or "UTC")
        start = self._to_local(self.date_resolve_deadline, tz)
        moved = self._with_working_time(
            calendar,
            tz,
            [start],
            lambda intervals: deadlines.add_working_days(start, days, intervals),
        )
        self.sudo().write({"date_resolve_deadline": self._to_utc(moved, tz)})
        self._move_handler_activities()
        self._reset_escalation()

    # Technicians on site (004 篇3 e) --------------------------------------
    def _count_site_deadline(self):
        """The site deadline is counted when the visit is decided, on the
        settings in force then (D0d), not whenever it is next read."""
        self.filtered("needs_site_visit").flush_recordset(
            ["site_region", "date_site_deadline"]
        )

    def _site_visit_facts(self, tz):
        """``(start, region, limits, unit)`` of the site deadline, local in
        ``tz``, from the customer's and the company's provinces (states)."""
        self.ensure_one()
        partner = self.partner_id.sudo()
        company = self.company_id.sudo()
        policy = self.policy_id.sudo()
        region = deadlines.site_region(
            (partner.state_id or partner.commercial_partner_id.state_id).id,
            company.state_id.id,
            company.complaint_remote_state_ids.ids,
        )
        working = policy.site_day_type == "working"
        unit = deadlines.WORKING_DAYS if working else deadlines.DAYS
        start = self._to_local(self.date_received, tz)
        return start, region, policy._site_limits(), unit

    def _recount_site_deadline(self):
        """A manager's recompute: the site deadline still awaited is counted
        again from the settings in force now."""
        todo = self.filtered(
            lambda rec: rec.needs_site_visit and not rec.date_site_visit
        )
        if todo:
            self.env.add_to_compute(self._fields["date_site_deadline"], todo)
            self.env.add_to_compute(self._fields["site_region"], todo)
            todo.flush_recordset(["date_site_deadline", "site_region"])

    def _check_site_visit_setter(self):
        for rec in self:
            if not rec._is_handler():
                raise AccessError(self._site_visit_refusal())

    def _site_visit_refusal(self):
        return self.env._(
            "Only the handler of the complaint or a complaint manager decides on "
            "and records a technician's site visit."
        )

    # Escalation (逾期反映, 逐级上报) and follow-ups ----------------------
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
        now = self._complaint_now()
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
            level = escalation.next_level(
                rec._current_escalation_level(), rec.severity, rec._escalation_top()
            )
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
                (rec, user, rec._complaint_today(), summaries[user.lang][rec])
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

    def _escalation_top(self):
        """The top level of the company's ladder (4 with the deputy)."""
        return len(escalation.ladder(self.company_id.sudo().complaint_use_deputy))

    def _escalation_targets(self, level):
        """Users told at ``level``: 1 handler and department head, 2 the
        center director, 3 the executive; with the deputy level, 3 the
        deputy general manager in charge and 4 the executive."""
        self.ensure_one()
        role = escalation.level_role(level, self.company_id.sudo().complaint_use_deputy)
        if role == "handler":
            users = (self.user_id or self.first_responder_id) | (
                self.department_id.sudo().manager_id.user_id
            )
        else:
            users = self.company_id._complaint_people(role)
        return users.filtered(lambda u: u.active and not u.share)

    @api.model
    def _cron_schedule_followups(self, batch_size=SWEEP_BATCH):
        """Every policy interval (每三天跟进), a follow-up activity for the
        handler of each open complaint."""
        now = self._complaint_now()
        complaints = self._claim_due("date_next_followup", now, batch_size)
        users = complaints.mapped(lambda rec: rec.user_id or rec.first_responder_id)
        summaries = self._activity_summaries(FOLLOWUP_ACTIVITY, users)
        plan = []
        for rec in complaints:
            user = rec.user_id or rec.first_responder_id
            plan.append((rec, user, rec._complaint_today(), summaries.get(user)))
        self._schedule_activities(FOLLOWUP_ACTIVITY, plan)
        complaints.sudo().write({"date_last_followup": now})
        remaining = (
            self._count_due("date_next_followup", now)
            if len(complaints) == max(int(batch_size), 1)
            else 0
        )
        self.env["ir.cron"]._notify_progress(done=len(complaints), remaining=remaining)
        return len(complaints)

    # Who handles a complaint --------------------------------------------
    @api.model
    def _handler_domain(self):
        """Complaints the current user handles as a handler: assigned to
        them, routed to one of their departments, or routed nowhere yet when
        they work in the company's intake department (the intake team routes
        them). The handlers' record rules say the same."""
        user = self.env.user
        departments = user.employee_ids.department_id.ids
        return expression.OR(
            [
                [("user_id", "=", user.id)],
                [("department_id", "in", departments)],
                [
                    ("user_id", "=", False),
                    ("department_id", "=", False),
                    ("company_id.complaint_intake_department_id", "in", departments),
                ],
            ]
        )

    # The complainant's contact (保密) -----------------------------------
    @api.model
    def _complainant_domain(self):
        """Complaints whose complainant the current user may see: those they
        handle (``is_handled_by_me``, or any for managers), logged or first
        received; never one they are involved in (保密, 回避)."""
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
        if "handler" in roles:
            mine.append([("is_handled_by_me", "=", True)])
        return expression.AND([not_involved, expression.OR(mine)])

    def _contact_snapshot(self, shown_fields):
        """The stored contact behind ``shown_fields``, per complaint."""
        if not shown_fields:
            return {}
        return {
            rec: {shown: rec.sudo()[CONTACT_FIELDS[shown]] for shown in shown_fields}
            for rec in self
        }

    def _log_contact_changes(self, before):
        """Which of the complainant's details changed, in the chatter; never
        the values, which are confidential (保密) while the chatter is read
        by everyone who may read the complaint."""
        labels = {
            "complainant_name": self.env._("name"),
            "complainant_phone": self.env._("phone"),
            "complainant_email": self.env._("email"),
            "complainant_address": self.env._("address"),
        }
        for rec, old in before.items():
            changed = [
                labels[shown]
                for shown in CONTACT_FIELDS
                if shown in old
                and (old[shown] or False)
                != (rec.sudo()[CONTACT_FIELDS[shown]] or False)
            ]
            if changed:
                rec._message_log(
                    body=self.env._(
                        "Complainant's details changed: %(fields)s.",
                        fields=format_list(self.env, changed),
                    ),
                    author_id=self.env.user.partner_id.id,
                )

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

    def _complainant_identifiers(self):
        """What identifies the complainant in a text: the name, phone,
        email and postal address given for him, and those of the customer
        contact when that is a person (the complainant's own contact)."""
        self.ensure_one()
        # sudo: the complainant's contact is stored in system-only columns.
        rec = self.sudo()
        values = [rec.contact_name, rec.contact_phone, rec.contact_email]
        values += (rec.contact_address or "").splitlines()
        partner = rec.partner_id
        if partner and not partner.is_company:
            values += [partner.name, partner.phone, partner.mobile, partner.email]
            values += [partner.street, partner.street2]
        # Short fragments (a city, a postcode) are not his alone.
        found = {value.strip() for value in values if value and value.strip()}
        return sorted(
            (value for value in found if len(value) >= 2 and not value.isdigit()),
            key=len,
            reverse=True,
        )

    def _redact_complainant(self, text):
        """``text`` (plain or HTML) as a user who may not see the complainant
        may read it: every occurrence of what identifies him replaced. Free
        text can still describe him otherwise: customer notices, which name
        and address him, are refused to such users altogether."""
        self.ensure_one()
        if not text or self in self._complainant_readers():
            return text
        html = isinstance(text, Markup)
        result = str(text)
        for value in self._complainant_identifiers():
            for form in {value, str(Markup.escape(value))} if html else {value}:
                result = result.replace(form, REDACTED)
        return Markup(result) if html else result

    def _printed_customer(self):
        """The customer as the printed forms name it for the current user:
        the contact itself for whoever may see the complainant; for anybody
        else the company the contact belongs to, and ``False`` (printed as
        confidential) when the customer is a person, the complainant
        himself."""
        self.ensure_one()
        partner = self.partner_id
        if self in self._complainant_readers():
            return partner.display_name
        company = partner.commercial_partner_id
        if company.is_company:
            return company.name
        return False

    # The handling report ------------------------------------------------
    def _unsign_changed_report(self, vals, before):
        """A signed report is final: changing it (or whether it is needed)
        clears the signature, so that it is signed again."""
        watched = REPORT_EDIT_FIELDS & set(vals)
        unsign = self.filtered(
            lambda rec: (
                rec.report_signed_by_id
                and any(
                    (rec[name] or False) != (before[rec][name] or False)
                    for name in watched
                )
            )
        )
        unsign.sudo().write(
            {
                "report_signed_by_id": False,
                "date_report_signed": False,
                # Signed again, then approved again.
                "report_approved_by_id": False,
                "date_report_approved": False,
            }
        )

    def _check_sign_report(self):
        """The guard of the Sign button and of its action."""
        self.ensure_one()
        if not self.no_standard:
            raise UserError(
                self.env._(
                    "Complaint %(ref)s does not need a handling report: it "
                    "was covered by a standard or by training.",
                    ref=self.name,
                )
            )
        if self.report_signed_by_id:
            raise UserError(
                self.env._(
                    "The handling report of complaint %(ref)s is already "
                    "signed by %(user)s.",
                    ref=self.name,
                    user=self.report_signed_by_id.name,
                )
            )
        self._check_recusal()
        if self.user_id and self.user_id == self.env.user:
            raise AccessError(
                self.env._(
                    "You handle complaint %(ref)s: the head of the "
                    "responsible department or a complaint manager must sign "
                    "its handling report.",
                    ref=self.name,
                )
            )
        if not self._may_sign_report():
            raise AccessError(
                self.env._(
                    "Only the head of the responsible department or a "
                    "complaint manager may sign the handling report of "
                    "complaint %(ref)s.",
                    ref=self.name,
                )
            )
        missing = [
            self._fields[name].get_description(self.env)["string"]
            for name in REPORT_FIELDS
            if not (self[name] or "").strip()
        ]
        if missing:
            raise UserError(
                self.env._(
                    "Fill in the handling report of complaint %(ref)s before "
                    "signing it: %(fields)s.",
                    ref=self.name,
                    fields=", ".join(missing),
                )
            )

    def _may_approve_report(self):
        """A complaint manager or the executive, not the signer, not its
        handler, nobody involved."""
        self.ensure_one()
        user = self.env.user
        if user in (self.report_signed_by_id | self.user_id) or self._is_recused():
            return False
        return bool({"manager", "executive"} & set(self._current_roles()))

    def _check_approve_report(self):
        """The guard of the Approve Report button and of its action."""
        self.ensure_one()
        if not self.report_signed_by_id:
            raise UserError(
                self.env._(
                    "The handling report of complaint %(ref)s is approved once "
                    "the head of the responsible department signed it.",
                    ref=self.name,
                )
            )
        if self.report_approved_by_id:
            raise UserError(
                self.env._(
                    "The handling report of complaint %(ref)s is already "
                    "approved by %(user)s.",
                    ref=self.name,
                    user=self.report_approved_by_id.name,
                )
            )
        self._check_recusal()
        if not self._may_approve_report():
            raise AccessError(
                self.env._(
                    "The handling report of complaint %(ref)s is approved by a "
                    "complaint manager or the executive other than its signer "
                    "and its handler.",
                    ref=self.name,
                )
            )

    def _may_sign_report(self):
        self.ensure_one()
        user = self.env.user
        if (self.user_id and self.user_id == user) or self._is_recused():
            return False
        return (
            "manager" in self._current_roles()
            or self.department_id.manager_id.user_id == user
        )

    # Customer mails (受理/结果/回访) --------------------------------------
    def _rejection_reply_text(self):
        """What the customer is told of a rejection or termination: the
        answer written for him, else the standard one for the complaint's
        validity. The internal reason (``rejection_reason``) never goes out.
        In the customer's language when the context carries it."""
        self.ensure_one()
        if (self.rejection_reply or "").strip():
            return self.rejection_reply
        _ = self.env._
        if self.state == "cancelled":
            return _(
                "The complaint was withdrawn or cancelled before its handling "
                "was completed."
            )
        if self.validity == "malicious":
            return _(
                "After examining your complaint, we could not establish the "
                "facts it reports, so we cannot accept it."
            )
        return _(
            "After examining your complaint, we found that it is not founded "
            "or falls outside what we are responsible for, so we cannot accept "
            "it."
        )

    def _reply_findings_text(self):
        """What the written reply tells the customer was found: the findings
        written for him, else the standard sentence for the complaint's
        validity. Internal findings (the responsibility lines, the causes,
        the handling report) never go out. In the customer's language when
        the context carries it."""
        self.ensure_one()
        if (self.reply_findings or "").strip():
            return self.reply_findings
        _ = self.env._
        if self.validity == "valid":
            return _(
                "We have examined your complaint and found it justified. We "
                "apologise for the inconvenience it caused you."
            )
        return _(
            "We have examined your complaint carefully and explained our "
            "findings to you; the result of its handling is set out below."
        )

    def _customer_mail_recipient(self):
        """Where the customer mails of the complaint go: ``(partner, email)``.

        The customer partner when the complainant gave no address of their
        own, or the customer's; else the address the complainant gave, which
        is never turned into a contact (``partner`` is then empty). Both are
        empty when there is nowhere to write to."""
        self.ensure_one()
        partner = self.partner_id
        partner_email = email_normalize(partner.email)
        # sudo: the complainant's contact is stored in system-only columns.
        typed = email_normalize(self.sudo().contact_email)
        if typed and typed != partner_email:
            return partner.browse(), typed
        return (partner if partner_email else partner.browse()), False

    def _customer_mail_partner(self):
        """The customer partner the mail templates address (``partner_to``);
        empty when the mails go to the complainant's own address."""
        self.ensure_one()
        return self._customer_mail_recipient()[0]

    def _post_customer_template(self, xmlid):
        """Queue template ``xmlid`` for the customer of each complaint that
        has somewhere to write to, when the company sends complaint mails
        automatically."""
        template = self.env.ref(xmlid, raise_if_not_found=False)
        if not template:
            return
        # Sent by the scheduled action once this step has committed: the
        # notice's PDF is not rendered inside the user's request.
        self.env["complaint.mail.job"]._enqueue(
            self.filtered(
                lambda rec: (
                    rec.company_id.complaint_auto_mail
                    and any(rec._customer_mail_recipient())
                )
            ),
            template,
        )

    def _send_customer_template(self, template):
        """Send ``template`` to the customer: posted to the customer partner
        (a public message, shown on the portal), or mailed to the address the
        complainant gave, without creating a contact for it. Returns whether
        a mail left."""
        self.ensure_one()
        partner, email = self._customer_mail_recipient()
        if not (email or partner):
            return False
        if template == self.env.ref(ACK_TEMPLATE, raise_if_not_found=False):
            self.sudo().date_ack_sent = self._complaint_now()
        if email:
            self._mail_template_to_address(template, email)
            return True
        # A comment (the customer reads it on the portal too) addressed to the
        # customer only: the complaint's followers, its staff, are not sent
        # the customer's mail.
        self._post_template_to_customer(template, partner)
        return True

    def _action_send_template(self, xmlid):
        """The mail composer on the complaint with template ``xmlid`` chosen;
        when the mails go to the address the complainant gave, the mail is
        sent at once instead (the composer would turn it into a contact)."""
        self.ensure_one()
        template = self.env.ref(xmlid, raise_if_not_found=False)
        if template and self._customer_mail_recipient()[1]:
            self._send_customer_template(template)
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "success",
                    "message": self.env._(
                        "The mail was sent to the address the complainant gave."
                    ),
                    "next": {"type": "ir.actions.client", "tag": "soft_reload"},
                },
            }
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send to the Customer"),
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "view_id": False,
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_composition_mode": "comment",
                "default_template_id": template.id if template else False,
                "default_email_layout_xmlid": "mail.mail_notification_light",
                "force_email": True,
            },
        }

    def _check_send_acknowledgement(self):
        self.ensure_one()
        if not self.env.su and not self._is_handler():
            raise AccessError(
                self.env._(
                    "Only the handler of complaint %(ref)s sends its acknowledgement.",
                    ref=self.name,
                )
            )
        if self.date_ack_sent:
            raise UserError(
                self.env._(
                    "The acknowledgement of complaint %(ref)s was already sent on "
                    "%(date)s.",
                    ref=self.name,
                    date=self._customer_datetime(self.date_ack_sent),
                )
            )
        if self.env["complaint.mail.job"]._is_waiting(self, self.env.ref(ACK_TEMPLATE)):
            raise UserError(
                self.env._(
                    "The acknowledgement of complaint %(ref)s is being sent.",
                    ref=self.name,
                )
            )
        if not self.date_acknowledged or self.state not in lifecycle.OPEN_STATES:
            raise UserError(
                self.env._(
                    "The acknowledgement is sent once complaint %(ref)s is "
                    "accepted, while it is open.",
                    ref=self.name,
                )
            )

    def _customer_tz(self):
        """The customer's time zone: the complainant's (or their company's),
        else the one the company's deadlines are counted in."""
        self.ensure_one()
        partner = self.partner_id
        company = self.company_id
        return (
            partner.tz
            or partner.commercial_partner_id.tz
            or company.resource_calendar_id.tz
            or company.partner_id.tz
            or "UTC"
        )

    def _customer_datetime(self, value, lang=None, zone=False):
        """``value`` (UTC) as the customer's mails and portal pages write it:
        in the customer's language (or ``lang``) and time zone, the date in
        words, and the time unless it is the end of the day; ``zone`` names
        the time zone after a time (portal pages, read anywhere)."""
        self.ensure_one()
        if not value:
            return ""
        local = pytz.utc.localize(value).astimezone(pytz.timezone(self._customer_tz()))
        lang = get_lang(self.env, lang or self.partner_id.lang or self.env.lang).code
        day = format_date(self.env, local, lang_code=lang, date_format="long")
        if local.time() >= time(23, 59):
            return day
        locale = babel_locale_parse(lang)
        hour = babel.dates.format_time(local, format="short", locale=locale)
        text = babel.dates.get_datetime_format("medium", locale=locale).format(
            hour, day
        )
        if zone:
            name = babel.dates.get_timezone_name(local, width="long", locale=locale)
            text = f"{text} ({name})"
        return text

    # The customer's rating ----------------------------------------------
    def _rating_get_partner(self):
        return self.partner_id

    def _rating_get_operator(self):
        return (self.user_id or self.first_responder_id).partner_id

    def _rating_get_access_token(self, partner=None):
        # The survey is rendered where staff read it (the chatter, the
        # composer): it links with a stand-in of the token.
        token = super()._rating_get_access_token(partner=partner)
        rating = self.sudo().rating_ids.filtered(lambda r: r.access_token == token)
        return RATING_TOKEN_STANDIN % rating.id

    def _customer_mail_reveal(self, body, partners):
        # The tokens of the ratings asked of the customer the mail goes to.
        body = super()._customer_mail_reveal(body, partners)
        if RATING_TOKEN_STANDIN.partition("%")[0] not in body:
            return body
        partners = partners or self.sudo()._rating_get_partner()
        for rating in self.sudo().rating_ids.filtered(
            lambda r: r.partner_id in partners
        ):
            body = body.replace(RATING_TOKEN_STANDIN % rating.id, rating.access_token)
        return body

    def rating_apply(
        self,
        rate,
        token=None,
        rating=None,
        feedback=None,
        subtype_xmlid=None,
        notify_delay_send=False,
    ):
        # The customer rates through the public /rate link, which runs as
        # superuser; staff who can read the token do not answer for them.
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "Only the customer rates a complaint, through the link of "
                    "the satisfaction mail."
                )
            )
        rating = super().rating_apply(
            rate,
            token=token,
            rating=rating,
            feedback=feedback,
            subtype_xmlid=subtype_xmlid,
            notify_delay_send=notify_delay_send,
        )
        # The rating page first applies the face with a stock text
        # (notify_delay_send), then the customer's own words.
        self._apply_rating_satisfaction(rating, None if notify_delay_send else feedback)
        return rating

    def _apply_rating_satisfaction(self, rating, feedback):
        """The customer answered the survey: on a resolved complaint, their
        satisfaction is recorded as by a return visit (a dissatisfied one
        sends it back for review when a manager closes); on a closed one, a
        dissatisfied rating flags it for a manager (closed only with the
        customer's agreement)."""
        complaint = (
            self.browse(rating.res_id) if rating.res_model == self._name else self
        )
        complaint = complaint.exists()
        if len(complaint) != 1:
            return
        satisfaction = RATING_SATISFACTION.get(
            rating_data._rating_to_text(rating.rating)
        )
        if not satisfaction:
            return
        # sudo: the customer rates through a public token link.
        complaint = complaint.sudo()
        if complaint.state == "closed":
            complaint._flag_rating_after_closing(satisfaction == "unsatisfied")
            return
        if complaint.state != "resolved":
            return
        changed = complaint.satisfaction != satisfaction
        vals = {"satisfaction": satisfaction, "date_feedback": self._complaint_now()}
        if feedback:
            vals["feedback"] = feedback
        complaint.write(vals)
        # The visit deadline is met: the escalation ladder starts again.
        complaint._reset_escalation()
        if not changed:
            return
        label = dict(
            complaint._fields["satisfaction"]._description_selection(self.env)
        )[satisfaction]
        complaint._post_rating_note(
            self.env._(
                "The customer rated the handling: %(satisfaction)s.",
                satisfaction=label,
            )
        )

    def _post_rating_note(self, text):
        self.message_post(
            body=Markup("<p>%s</p>") % text,
            author_id=self.env.ref("base.partner_root").id,
            subtype_xmlid="mail.mt_note",
        )

    def _flag_rating_after_closing(self, dissatisfied):
        """A rating after closing: flag a dissatisfied one for the center's
        director, who reopens the complaint or keeps it closed; the customer
        taking it back (a better rating) lifts the flag."""
        self.ensure_one()
        if dissatisfied == self.rating_alert:
            return
        self.write({"rating_alert": dissatisfied})
        if not dissatisfied:
            self.activity_unlink([RATING_REVIEW_ACTIVITY])
            self._post_rating_note(
                self.env._("The customer changed their rating: no longer dissatisfied.")
            )
            return
        self._post_rating_note(
            self.env._(
                "The customer rated the closed complaint as dissatisfied: a "
                "complaint manager reviews it and reopens it or keeps it closed."
            )
        )
        company = self.company_id
        reviewers = company._complaint_people("director") or company._complaint_people(
            "executive"
        )
        today = self._complaint_today()
        self._schedule_activities(
            RATING_REVIEW_ACTIVITY,
            [
                (
                    self,
                    user,
                    today,
                    self._activity_summary(RATING_REVIEW_ACTIVITY, user),
                )
                for user in reviewers
            ],
        )

    # Mail intake (complaints@) -------------------------------------------
    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A complaint from an incoming mail: the sender's contact when one
        matches their address, else a new contact (company setting) or the
        company's placeholder customer; the sender's name and address go to
        the complainant details, subject and body to the description."""
        values = self._mail_intake_defaults(custom_values)
        company = self._mail_intake_company(msg_dict, values)
        intake = self.with_company(company)
        partner = intake._mail_intake_partner(msg_dict, company)
        name, email = parse_contact_from_email(msg_dict.get("email_from") or "")
        values.update(
            {
                # Keeps mail.thread from naming the complaint after the
                # subject: the reference is given by create().
                "name": intake.env._("New"),
                "company_id": company.id,
                "partner_id": partner.id,
                "complainant_name": name or email or False,
                "complainant_email": email or False,
                "description": intake._mail_intake_description(msg_dict),
                "first_responder_id": intake._mail_intake_responder(company).id,
            }
        )
        values.setdefault("channel", "email")
        return super(ComplaintComplaint, intake).message_new(
            msg_dict, custom_values=values
        )

    @api.model
    def _mail_intake_defaults(self, custom_values):
        values = dict(custom_values or {})
        dropped = set(values) - ALIAS_DEFAULT_FIELDS
        if dropped:
            _logger.warning(
                "Complaint mail intake: ignored alias default values %s",
                ", ".join(sorted(dropped)),
            )
        return {key: val for key, val in values.items() if key not in dropped}

    @api.model
    def _mail_intake_company(self, msg_dict, values):
        """The company of a mailed complaint: the alias's default, else the
        company whose alias domain the mail was sent to, else the gateway
        user's."""
        companies = self.env["res.company"].sudo()
        if values.get("company_id"):
            return companies.browse(values["company_id"])
        domains = {
            address.rpartition("@")[2].lower()
            for address in email_split(msg_dict.get("to") or "")
        }
        if domains:
            companies = companies.search(
                [("alias_domain_id.name", "in", sorted(domains))]
            )
        if not companies or self.env.company in companies:
            return self.env.company
        return companies[0]

    @api.model
    def _mail_intake_partner(self, msg_dict, company):
        """The customer of a mailed complaint. Odoo's own finder matches the
        sender's address to a contact of the company (or shared); it creates
        one only when the company says so. An unknown sender is otherwise
        filed under the company's placeholder customer."""
        create = company.complaint_mail_create_partner
        partner = self._mail_find_partner_from_emails(
            [msg_dict.get("email_from") or ""],
            force_create=create,
            extra_domain=[("company_id", "in", [False, company.id])],
        )[0]
        if not partner:
            return company._complaint_unknown_partner()
        if not msg_dict.get("author_id"):
            # The incoming mail is posted as the contact, who then follows
            # the complaint and hears the replies.
            msg_dict["author_id"] = partner.id
        return partner

    @api.model
    def _mail_intake_description(self, msg_dict):
        parts = []
        subject = (msg_dict.get("subject") or "").strip()
        if subject:
            parts.append(Markup("<p><strong>%s</strong></p>") % subject)
        body = msg_dict.get("body") or ""
        if not is_html_empty(body):
            parts.append(html_sanitize(body))
        return Markup("").join(parts) or False

    @api.model
    def _mail_intake_responder(self, company):
        """The first responder of a mailed complaint: the company's complaint
        center director when they work for it, else OdooBot."""
        director = company.sudo().complaint_director_id
        if director and not director.share and company in director.company_ids:
            return director
        return self.env.ref("base.user_root")

    @api.model
    def _detect_loop_sender_domain(self, email_from_normalized):
        # Loop detection of the mail gateway: complaints recently mailed from
        # the same address (an auto-replier must not open complaints forever).
        return [("contact_email", "=ilike", email_from_normalized)]

    # Credit notes -------------------------------------------------------
    def _needs_credit_note(self):
        # Prepared at approval for an order's refund only (it reverses the
        # order's invoice); without an order, finance or a manager decides
        # with Create Credit Note (for the customer's invoice address).
        self.ensure_one()
        return bool(
            self.resolution_type == "refund"
            and self.sale_order_id
            and self.currency_id.compare_amounts(self.approved_compensation_amount, 0)
            > 0
        )

    def _credit_note_env(self):
        """Accounting users prepare the credit note as themselves; for complaint
        staff without accounting rights the move alone is created as superuser
        (finance reviews and posts it anyway)."""
        if self.env.user.has_group("account.group_account_invoice"):
            return self.env
        return self.env(su=True)

    def _sync_credit_note(self, strict=False):
        """Make sure every complaint of ``self`` has one credit note for its
        compensation: create a draft when none is linked, update the amount of
        a linked draft, never touch a posted one. Returns the created or
        updated moves. ``strict``: raise instead of skipping when no sales
        journal is found."""
        env = self._credit_note_env()
        moves = env["account.move"]
        for rec in self:
            linked = env["account.move"].search(
                [
                    ("complaint_id", "=", rec.id),
                    ("move_type", "=", "out_refund"),
                    ("state", "!=", "cancel"),
                ]
            )
            if linked:
                moves |= rec._update_credit_note(linked)
                continue
            journal = rec._credit_note_journal(env)
            if not journal:
                if strict:
                    raise UserError(
                        self.env._(
                            "Company %(company)s has no sales journal to prepare "
                            "the credit note of complaint %(ref)s.",
                            company=rec.company_id.name,
                            ref=rec.name,
                        )
                    )
                rec._post_credit_note_note(
                    self.env._(
                        "No credit note was prepared: the company has no sales journal."
                    )
                )
                continue
            move = (
                env["account.move"]
                .with_company(rec.company_id)
                .with_context(default_move_type="out_refund")
                .create(rec._prepare_credit_note_vals(env, journal))
            )
            moves |= move
            rec._post_credit_note_note(
                self.env._(
                    "Draft credit note %(move)s prepared for the compensation of "
                    "%(amount)s %(currency)s; finance posts it.",
                    move=move.display_name,
                    amount=rec.approved_compensation_amount,
                    currency=rec.currency_id.name,
                )
            )
        # The counts have no dependencies: a second call in the same
        # transaction must see the new credit note (none twice).
        self.invalidate_recordset(["refund_count", "has_credit_note"])
        return moves

    def _update_credit_note(self, linked):
        """A linked credit note exists: follow a changed amount on a draft,
        never on a posted one."""
        self.ensure_one()
        drafts = linked.filtered(lambda move: move.state == "draft")
        if drafts != linked or len(drafts) != 1:
            return linked.browse()
        lines = drafts.invoice_line_ids.filtered(
            lambda line: line.display_type == "product"
        )
        if len(lines) != 1:
            return drafts.browse()
        unchanged = (
            not float_compare(
                lines.price_unit,
                self.approved_compensation_amount,
                precision_rounding=self.currency_id.rounding,
            )
            and lines.quantity == 1
            and drafts.currency_id == self.currency_id
        )
        if unchanged:
            return drafts.browse()
        drafts.write(
            {
                "currency_id": self.currency_id.id,
                "invoice_line_ids": [
                    Command.update(
                        lines.id,
                        {
                            "quantity": 1,
                            "price_unit": self.approved_compensation_amount,
                        },
                    )
                ],
            }
        )
        self._post_credit_note_note(
            self.env._(
                "Draft credit note %(move)s updated to %(amount)s %(currency)s.",
                move=drafts.display_name,
                amount=self.approved_compensation_amount,
                currency=self.currency_id.name,
            )
        )
        return drafts

    def _post_credit_note_note(self, body):
        """Log on the complaint; finance only reads complaints, so its notes
        are posted as superuser (still authored by the user)."""
        self.ensure_one()
        rec = self if self.has_access("write") else self.sudo()
        rec.message_post(body=body)

    def _credit_note_journal(self, env):
        self.ensure_one()
        # Order data is only read: complaint staff may lack sales rights.
        order = self.sale_order_id.sudo()
        if order.journal_id.type == "sale":
            return order.journal_id.with_env(env)
        Journal = env["account.journal"]
        return Journal.search(
            [*Journal._check_company_domain(self.company_id), ("type", "=", "sale")],
            limit=1,
        )

    def _credit_note_invoice(self, env):
        """The order's latest posted customer invoice, reversed by the credit
        note (empty when the order was not invoiced)."""
        self.ensure_one()
        invoices = self.sale_order_id.sudo().invoice_ids.filtered(
            lambda move: move.move_type == "out_invoice" and move.state == "posted"
        )
        invoice = invoices.sorted(lambda move: (move.invoice_date, move.id))[-1:]
        return invoice.with_env(env)

    @api.model
    def _credit_note_label(self, complaint):
        return self.env._("Compensation for complaint %(ref)s", ref=complaint.name)

    def _credit_note_partner(self):
        """Whom the credit note is for: the order's invoice address, else
        (a complaint without an order, credited by hand) the customer's."""
        self.ensure_one()
        order = self.sale_order_id.sudo()
        if order:
            return order.partner_invoice_id
        customer = self.sudo().partner_id.commercial_partner_id
        return customer.browse(customer.address_get(["invoice"])["invoice"])

    def _prepare_credit_note_vals(self, env, journal):
        self.ensure_one()
        order = self.sale_order_id.sudo()
        partner = self._credit_note_partner()
        fiscal_position = order.fiscal_position_id or (
            env["account.fiscal.position"]
            .with_company(self.company_id)
            ._get_fiscal_position(partner)
        )
        line_vals = {
            "name": self._credit_note_label(self),
            "quantity": 1.0,
            "price_unit": self.approved_compensation_amount,
            # The agreed compensation is what the customer gets back.
            "tax_ids": [Command.clear()],
        }
        products = self.sudo().sale_line_ids.product_id
        if len(products) == 1:
            line_vals["product_id"] = products.id
        elif journal.default_account_id:
            line_vals["account_id"] = journal.default_account_id.id
        return {
            "move_type": "out_refund",
            "complaint_id": self.id,
            "company_id": self.company_id.id,
            "journal_id": journal.id,
            "partner_id": partner.id,
            "currency_id": self.currency_id.id,
            "fiscal_position_id": fiscal_position.id,
            "invoice_user_id": order.user_id.id,
            "team_id": order.team_id.id,
            "invoice_origin": order.name or self.name,
            "ref": self.env._("Complaint %(ref)s", ref=self.name),
            "narration": self.env._(
                "Compensation agreed in the handling of customer complaint %(ref)s.",
                ref=self.name,
            ),
            "reversed_entry_id": self._credit_note_invoice(env).id,
            "invoice_line_ids": [Command.create(line_vals)],
        }

    # Repeat complaints (二次投诉) -----------------------------------------
    def _find_repeat_parents(self):
        """Map each complaint of ``self`` to the most recent earlier, not
        cancelled complaint of the same customer about the same sale order or
        one of the same products, received within the company's window. One
        query for all of them, each taking one row through the index on
        (customer, receipt): the cost does not grow with the customer's
        history (a distributor with thousands of complaints on one order)."""
        todo = self.filtered(
            lambda rec: (
                rec.company_id.complaint_repeat_days > 0
                and rec.commercial_partner_id
                and (rec.sale_order_id or rec.product_ids)
            )
        )
        if not todo:
            return {}
        self.env["complaint.complaint"].flush_model(
            [
                "active",
                "commercial_partner_id",
                "company_id",
                "date_received",
                "product_ids",
                "sale_order_id",
                "state",
            ]
        )
        rows = SQL(", ").join(
            SQL(
                "(%s, %s, %s, %s, %s::int[], %s::timestamp, %s::timestamp)",
                rec.id,
                rec.company_id.id,
                rec.commercial_partner_id.id,
                rec.sale_order_id.id or 0,
                rec.product_ids.ids,
                rec.date_received
                - timedelta(days=rec.company_id.complaint_repeat_days),
                rec.date_received,
            )
            for rec in todo
        )
        # In SQL: earlier complaints count even when the user may not see them.
        self.env.cr.execute(
            SQL(
                """SELECT o.id, p.id
                FROM (VALUES %s) AS o(id, company_id, partner_id, order_id,
                                      product_ids, start, received)
                CROSS JOIN LATERAL (
                    SELECT c.id FROM complaint_complaint c
                    WHERE c.commercial_partner_id = o.partner_id
                      AND c.date_received >= o.start
                      AND (c.date_received, c.id) < (o.received, o.id)
                      AND c.company_id = o.company_id
                      AND c.active AND c.state != 'cancelled'
                      AND (c.sale_order_id = o.order_id OR EXISTS (
                          SELECT 1 FROM complaint_complaint_product_product_rel r
                          WHERE r.complaint_complaint_id = c.id
                            AND r.product_product_id = ANY(o.product_ids)))
                    ORDER BY c.date_received DESC, c.id DESC LIMIT 1
                ) AS p""",
                rows,
            )
        )
        return {
            self.browse(rec_id): self.browse(parent_id)
            for rec_id, parent_id in self.env.cr.fetchall()
        }

    def _link_repeats(self):
        """Flag repeat complaints and link them to the earlier complaint when
        no earlier complaint was given; an existing link is kept."""
        parents = self._find_repeat_parents()
        batches = {}
        for rec in self:
            parent = parents.get(rec)
            vals = {}
            if bool(parent) != rec.is_repeat:
                vals["is_repeat"] = bool(parent)
            if parent and not rec.parent_id:
                vals["parent_id"] = parent.id
            if vals:
                key = tuple(sorted(vals.items()))
                batches.setdefault(key, self.browse())
                batches[key] |= rec
        for key, recs in batches.items():
            recs.sudo().write(dict(key))
        return True

    # Penalties (罚扣) ------------------------------------------------------
    def _post_penalty_feedback(self):
        """Tell the customers of ``self`` that the matter was dealt with
        according to the regulations (处理结果反馈给客户, 001 篇五), once per
        complaint, where the company wants it: queued like every customer
        mail. The mail names neither the person nor the penalty."""
        template = self.env.ref(PENALTY_FEEDBACK_TEMPLATE, raise_if_not_found=False)
        todo = self.filtered("company_id.complaint_penalty_feedback")
        if not template or not todo:
            return
        # Once: a job already queued or sent for the complaint says it all.
        told = (
            self.env["complaint.mail.job"]
            .sudo()
            .search(
                [
                    ("complaint_id", "in", todo.ids),
                    ("template_id", "=", template.id),
                    ("state", "in", ("pending", "sent")),
                ]
            )
            .complaint_id
        )
        # In the company's name: who approved the penalty (finance) may not
        # write to the complaint's customer; the mail names nobody anyway.
        (todo - told).with_user(SUPERUSER_ID)._post_customer_template(
            PENALTY_FEEDBACK_TEMPLATE
        )

    def _propose_due_penalties(self):
        """Penalties are proposed once the plan is approved, and again once
        the complaint is resolved and closed (only what is missing)."""
        self.filtered(
            lambda rec: rec.state in ("approved", "resolved", "closed")
        )._propose_penalties()

    def _propose_penalties(self):
        """Draft penalties from the responsibility lines and the company's
        rules, weighted by each party's share. Running it again proposes only
        what is missing (unique per complaint, rule, line and person)."""
        Penalty = self.env["complaint.penalty"].sudo()
        rules = (
            self.env["complaint.penalty.rule"]
            .sudo()
            .search([("company_id", "in", self.company_id.ids)])
        )
        existing = {
            (p.complaint_id.id, p.rule_id.id, p.responsibility_id.id, p.employee_id.id)
            for p in Penalty.search(
                [
                    ("complaint_id", "in", self.ids),
                    ("rule_id", "!=", False),
                    ("reversed_penalty_id", "=", False),
                ]
            )
        }
        vals_list = []
        for rec in self.filtered("is_valid"):
            for rule in rules.filtered(
                lambda r, rec=rec: r.company_id == rec.company_id
            ):
                for vals in rec._penalty_values(rule):
                    key = (
                        rec.id,
                        rule.id,
                        vals.get("responsibility_id") or False,
                        vals.get("employee_id") or False,
                    )
                    if key in existing:
                        continue
                    existing.add(key)
                    vals_list.append(vals)
        return Penalty.create(vals_list)

    def _penalties_proposed_notification(self, proposed):
        """What a click on Propose Penalties did, said in a notification:
        how many drafts it proposed, or that none was missing."""
        if len(proposed) == 1:
            message = self.env._(
                "1 penalty proposed as a draft: confirm or cancel it under Penalties."
            )
            kind = "success"
        elif proposed:
            message = self.env._(
                "%(count)s penalties proposed as drafts: confirm or cancel them "
                "under Penalties.",
                count=len(proposed),
            )
            kind = "success"
        else:
            message = self.env._(
                "No new penalty: the responsibility lines and the penalty rules "
                "propose nothing that is not already there."
            )
            kind = "info"
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Propose Penalties"),
                "message": message,
                "type": kind,
                "sticky": False,
                # The form shows the new Penalties count.
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _penalty_values(self, rule):
        """Values of the penalties ``rule`` proposes for this complaint."""
        self.ensure_one()
        rounding = self.company_id.currency_id.rounding
        repeat = self.is_repeat
        # What was approved, not what the fields say now.
        severity, _compensation = self._plan_figures()
        base = {
            "complaint_id": self.id,
            "rule_id": rule.id,
            "company_id": self.company_id.id,
            "currency_id": self.company_id.currency_id.id,
            "kind": RULE_KIND[rule.rule_type],
            "reason": rule.name,
            "repeat_multiplier": rule.repeat_multiplier if repeat else 1.0,
        }
        params = {
            "points": rule.points,
            "repeat_multiplier": rule.repeat_multiplier,
            "amount": rule._severity_amount(severity)
            if rule.rule_type == "severity"
            else rule.amount,
        }
        if rule.rule_type in ("delay", "reward"):
            employee = self._penalty_person(rule)
            if not employee or not rule.amount:
                return []
            amount = penalty_core.penalty_amount(
                rule.rule_type, params, 100.0, repeat, rounding
            )
            return [dict(base, employee_id=employee.id, share=100.0, amount=amount)]
        result = []
        targets = [
            (line, target)
            for line in self.responsibility_ids
            if (target := self._penalty_target(rule, line))
        ]
        split = {}
        if rule.rule_type == "severity" and targets:
            # One amount shared by the parties: the parts add up exactly.
            total = penalty_core.penalty_amount(
                rule.rule_type, params, 100.0, repeat, rounding
            )
            shares = [line.share for line, _target in targets]
            split = dict(
                zip(
                    [line for line, _target in targets],
                    penalty_core.allocate(total, shares, rounding),
                    strict=True,
                )
            )
        for line, target in targets:
            if rule.rule_type == "pay_percent":
                params.update(
                    pay_base=line.employee_id.sudo().complaint_pay_base,
                    loss=self._loss_in_company_currency(),
                    brackets=[(b.loss_from, b.percent) for b in rule.bracket_ids],
                )
            if line in split:
                value = split[line]
            else:
                value = penalty_core.penalty_amount(
                    rule.rule_type, params, line.share, repeat, rounding
                )
            if not value:
                continue
            vals = dict(base, responsibility_id=line.id, share=line.share, **target)
            if rule.rule_type == "points":
                vals["points"] = value
            else:
                vals["amount"] = value
            if "partner_id" in target:
                vals["kind"] = "chargeback"
            result.append(vals)
            head = rule.charge_department_head and self._penalty_head(line, target)
            if head:
                head_vals = self._head_penalty_values(rule, vals, head, params)
                if head_vals.get("points") or head_vals.get("amount"):
                    result.append(head_vals)
        return result

    def _penalty_head(self, line, target):
        """The head of the unit answerable for ``line`` (a rule charging the
        head too, 001 篇一), unless the head is the person charged."""
        department = line.attributed_department_id.sudo()
        head = department.manager_id
        if not head or head.id == target.get("employee_id"):
            return self.env["hr.employee"]
        return head

    def _head_penalty_values(self, rule, vals, head, params):
        """The head's penalty, as the person's: the same points or amount
        (the head's own pay base for pay rules)."""
        values = dict(
            vals,
            employee_id=head.id,
            department_id=vals.get("department_id")
            or head.sudo().department_id.id
            or False,
            reason=self.env._("%(rule)s (head of the unit)", rule=rule.name),
        )
        if rule.rule_type == "pay_percent":
            values["amount"] = penalty_core.penalty_amount(
                rule.rule_type,
                dict(params, pay_base=head.sudo().complaint_pay_base),
                vals["share"],
                self.is_repeat,
                self.company_id.currency_id.rounding,
            )
        return values

    def _penalty_target(self, rule, line):
        """Who a rule charges for a responsibility line, as field values:
        the person, else the attributed unit (team → plant, person → branch),
        or the supplier for chargebacks."""
        if rule.party_types == "supplier":
            if line.party_type in SUPPLIER_PARTIES and line.partner_id:
                return {"partner_id": line.partner_id.id}
            return {}
        if line.party_type not in PEOPLE_PARTIES:
            return {}
        if line.employee_id:
            return {
                "employee_id": line.employee_id.id,
                "department_id": line.attributed_department_id.id,
            }
        if rule.party_types == "employee" or rule.rule_type == "pay_percent":
            return {}
        if line.attributed_department_id:
            return {"department_id": line.attributed_department_id.id}
        return {}

    def _penalty_person(self, rule):
        """Employee charged by delay rules (who held the late complaint) or
        rewarded (the handler of an early, satisfied resolution)."""
        if rule.rule_type == "delay":
            user = self.delay_responsible_id
        else:
            early = (
                self.date_resolved
                and self.date_resolve_deadline
                and (
                    self.date_resolved
                    <= self.date_resolve_deadline
                    - timedelta(days=rule.reward_days_early)
                )
            )
            user = self.user_id if early and self.satisfaction in SATISFIED else False
        if not user:
            return self.env["hr.employee"]
        return (
            self.env["hr.employee"]
            .sudo()
            .search(
                [("user_id", "=", user.id), ("company_id", "=", self.company_id.id)],
                limit=1,
            )
        )

    def _loss_in_company_currency(self):
        company = self.company_id
        _severity, compensation = self._plan_figures()
        if not compensation:
            return 0.0
        return self.currency_id._convert(
            compensation,
            company.currency_id,
            company,
            self._complaint_today(),
        )

    # Guidance: who acts next ----------------------------------------------
    def _next_step_note(self):
        """Who acts next, then what the guard of that step says to the
        current user: that they may take it, or why not (unless they simply
        lack the role the first sentence names)."""
        self.ensure_one()
        step = self._forward_step()
        if not step:
            return self._ended_note()
        waiting = self._waiting_note()
        if step == "close" and not self.satisfaction:
            # action_close asks for the customer's feedback first.
            return waiting
        try:
            self._check_step(step)
        except (AccessError, UserError) as err:
            if self._lacks_step_role(step):
                return waiting
            return f"{waiting} {err.args[0]}"
        return f"{waiting} {self._may_act_now_note(step)}"

    def _may_act_now_note(self, step):
        """That the user may take ``step`` now, in a whole sentence per step
        (an action label inside a sentence reads wrong in Chinese)."""
        _ = self.env._
        notes = {
            "accept": _("You may accept it now."),
            "propose": _("You may propose a plan for it now."),
            "approve": _("You may approve it now."),
            "resolve": _("You may mark it resolved now."),
            "close": _("You may close it now."),
        }
        return notes[step]

    def _forward_step(self):
        """The step of the lifecycle table that moves the complaint on."""
        self.ensure_one()
        if self.state not in FORWARD_STATES[:-1]:
            return False
        target = FORWARD_STATES[FORWARD_STATES.index(self.state) + 1]
        for step, moves in lifecycle.TRANSITIONS.items():
            if moves.get(self.state, (None,))[0] == target:
                return step
        return False

    def _lacks_step_role(self, step):
        try:
            self._workflow_next_state(step)
        except workflow.TransitionError as err:
            return err.reason == "role"
        return False

    def _waiting_note(self):
        """Whole sentences, so that each language words them its own way."""
        self.ensure_one()
        _ = self.env._
        if self.state == "new":
            return _(
                "A complaint handler accepts this complaint, or a complaint "
                "manager rejects it."
            )
        if self.state == "investigating":
            return _(
                "The handler investigates and proposes a resolution plan for approval."
            )
        if self.state == "proposed":
            if self.approved_by_id:
                return _(
                    "Waiting for the general manager's approval (plan over the "
                    "threshold or major case)."
                )
            if self.needs_executive:
                return _(
                    "Waiting for the approval of a complaint manager other than "
                    "the proposer, then of the general manager (plan over the "
                    "threshold or major case)."
                )
            return _(
                "Waiting for the approval of a complaint manager other than the "
                "proposer."
            )
        if self.state == "approved":
            return _(
                "The handler carries out the approved plan and marks the "
                "complaint resolved."
            )
        if not self.satisfaction:
            return _(
                "Waiting for the customer's feedback or a return visit; then a "
                "complaint manager closes the complaint."
            )
        if self.satisfaction == "unsatisfied":
            return _(
                "The customer is not satisfied: closing sends the complaint "
                "back for review."
            )
        return _(
            "The customer's feedback is recorded; a complaint manager closes "
            "the complaint."
        )

    def _ended_note(self):
        self.ensure_one()
        if self.state == "closed" and self.rating_alert:
            return self.env._(
                "The customer rated the closed complaint as dissatisfied: a "
                "complaint manager reopens it or keeps it closed."
            )
        return False

    def _staff_lang(self):
        """The language of the complaint's staff: the current user's when
        an employee acts, else its handler's or first responder's, else
        the company's."""
        self.ensure_one()
        user = self.env.user
        if user._is_internal() and not user._is_superuser():
            return self.env.lang or user.lang
        staff = (self.user_id or self.first_responder_id).filtered(
            lambda u: not u.share
        )
        return staff.lang or self.company_id.partner_id.lang or self.env.lang

    # Nature (投诉性质) and group complaints --------------------------------
    def _nature_reasons(self):
        self.ensure_one()
        return nature.nature_reasons(
            self.customer_count,
            self.channel == "media" or self.is_media_exposure,
            self.is_safety,
        )

    def _nature_reason_labels(self, reasons):
        labels = {
            "group": self.env._(
                "group complaint of %(count)s customers", count=self.customer_count
            ),
            "media": self.env._("media exposure"),
            "safety": self.env._("safety incident"),
        }
        return ", ".join(labels[reason] for reason in reasons)

    def _raise_severity_by_nature(self):
        """Raise to major what the facts make major; never lower. The
        server's act: written as superuser once the user's own write (or
        create) passed the guard; one write per outcome for a batch."""
        raised = defaultdict(lambda: self.browse())
        for rec in self.filtered(lambda r: r.state in NATURE_STATES):
            reasons = rec._nature_reasons()
            severity = nature.raised_severity(rec.severity, reasons)
            if severity != rec.severity:
                raised[severity, rec._nature_reason_labels(reasons)] |= rec
        for (severity, reason), recs in raised.items():
            recs.sudo().write({"severity": severity, "severity_reason": reason})

    def _report_major_cases(self):
        """重大投诉立即上报 (001 篇六, 004 篇4 §4.5.3): a complaint registered
        as major or critical, or raised to it, is reported at once to the
        center director and the executive, not only when a deadline is
        missed: an activity each (one mail per person for a batch), never
        to someone involved, and a note. Once per rise of severity."""
        todo = self.filtered(
            lambda rec: (
                rec.state in lifecycle.OPEN_STATES
                and nature.needs_immediate_report(rec.severity, rec.reported_severity)
            )
        )
        if not todo:
            return
        people = {
            company: (
                company._complaint_people("director")
                | company._complaint_people("executive")
            ).filtered(lambda u: u.active and not u.share)
            for company in todo.company_id
        }
        targets = {
            rec: people[rec.company_id] - rec.sudo().involved_user_ids for rec in todo
        }
        now = self._complaint_now()
        for severity, recs in todo.grouped("severity").items():
            recs.sudo().write(
                {"reported_severity": severity, "date_major_reported": now}
            )
        users = self.env["res.users"].union(*targets.values())
        summaries = {
            lang: {
                rec: rec.with_context(lang=lang)._major_report_summary() for rec in todo
            }
            for lang in set(users.mapped("lang"))
        }
        self._schedule_activities(
            MAJOR_REPORT_ACTIVITY,
            [
                (rec, user, rec._complaint_today(), summaries[user.lang][rec])
                for rec in todo
                for user in targets[rec]
            ],
        )
        bodies = {
            rec.id: self.env._(
                "%(summary)s. Reported at once to: %(people)s.",
                summary=rec._major_report_summary(),
                people=", ".join(targets[rec].mapped("name")) or "-",
            )
            for rec in todo
        }
        todo._message_log_batch(
            bodies=bodies, author_id=self.env.ref("base.partner_root").id
        )

    def _major_report_summary(self):
        self.ensure_one()
        severities = dict(self._fields["severity"]._description_selection(self.env))
        return self.env._(
            "%(severity)s complaint %(ref)s registered",
            severity=severities[self.severity],
            ref=self.name,
        )

    def _group_customers(self):
        """The customers of ``self`` as a group: their own and affected."""
        return (self.partner_id | self.affected_partner_ids).commercial_partner_id

    def _join_group(self, other):
        """Join the complaints ``self`` and ``other`` (one each) as one group
        complaint: each lists the other's customers. Refused to anyone
        involved in either. The join writes only what the user may write:
        every complaint it changes is checked as the user first, and nothing
        is written when one is refused. ``self`` is written as the user (the
        guard applies); ``other`` gets the customers from the server when it
        is still being investigated, since it complains of the same
        matter."""
        self.ensure_one()
        other.ensure_one()
        if other == self or other.company_id != self.company_id:
            raise UserError(
                self.env._("Only two complaints of the same company form a group.")
            )
        (self | other)._check_recusal()
        customers = (self | other.sudo())._group_customers()
        changes = []
        for rec in (self, other):
            missing = customers - rec.sudo()._group_customers()
            if missing and (rec == self or rec.state in NATURE_STATES):
                changes.append((rec, missing))
        for rec, _missing in changes:
            if not rec.has_access("write"):
                raise AccessError(
                    self.env._(
                        "Joining the group adds customers to complaint %(ref)s, "
                        "which you may not change; ask its handler or a "
                        "complaint manager.",
                        ref=rec.name,
                    )
                )
        for rec, missing in changes:
            env_rec = rec if rec == self else rec.sudo()
            env_rec.write(
                {"affected_partner_ids": [Command.link(pid) for pid in missing.ids]}
            )
            if rec != self:
                rec.sudo().message_post(
                    body=self.env._(
                        "Joined to group complaint %(ref)s by %(user)s.",
                        ref=self.name,
                        user=self.env.user.name,
                    ),
                    subtype_xmlid="mail.mt_note",
                )

    # Similar complaints -----------------------------------------------------
    def _similar_readable(self):
        """What of ``self`` the user may be suggested: records they may read,
        never a case they are complained about or responsible in."""
        readable = self._filtered_access("read")
        user = self.env.user
        return readable.filtered(lambda rec: user not in rec.sudo().involved_user_ids)

    def _similar_facts(self):
        """The facts of each complaint of ``self`` (new records too) that
        suggestions are looked up by: its words as a full-text query (with
        the company's synonyms), its codes, customer, order and products."""
        facts = []
        synonyms = {}
        for rec in self:
            company = rec.company_id
            words = similarity.terms(rec.description)
            if not (
                words or rec.partner_id or rec.sale_order_id or rec.product_ids
            ) or not (company):
                continue
            if company not in synonyms:
                synonyms[company] = similarity.parse_synonyms(
                    company.sudo().complaint_similar_synonyms
                )
            slots = similarity.query_slots(words, synonyms[company])
            facts.append(
                {
                    "rec": rec,
                    "self_id": rec._origin.id or 0,
                    "company_id": company.id,
                    "query": similarity.quorum_query(slots),
                    "slots": [similarity.slot_query(slot) for slot in slots],
                    "codes": similarity.codes(rec.description),
                    "partner_id": rec.partner_id.commercial_partner_id.id or 0,
                    "order_id": rec.sale_order_id._origin.id or 0,
                    "product_ids": rec.product_ids._origin.ids,
                    "since": self._complaint_now()
                    - timedelta(days=company.complaint_similar_days),
                }
            )
        return facts

    def _similar_matches(self):
        """``{complaint: [(id, score)]}`` best first, for every complaint of
        ``self``: one query for the batch, as superuser (what the user may
        read is filtered after)."""
        facts = self._similar_facts()
        if not facts:
            return {}
        self.env["complaint.complaint"].flush_model()
        self.env.cr.execute(self._similar_query(facts))
        found = {}
        for index, complaint_id, score in self.env.cr.fetchall():
            found.setdefault(facts[index]["rec"], []).append(
                (complaint_id, round(min(score, 1.0), 2))
            )
        return found

    def _similar_query(self, facts):
        """One SQL query over a batch: per complaint, the candidates found
        by each criterion through its index (the full-text query on the GIN
        index of the description's words for the text), grouped and
        ranked."""
        rows = SQL(", ").join(
            SQL(
                "(%s, %s, %s, %s::tsquery, %s::tsquery[], %s::text[], %s, %s,"
                " %s::int[], %s::timestamp)",
                index,
                fact["self_id"],
                fact["company_id"],
                fact["query"],
                fact["slots"],
                fact["codes"],
                fact["partner_id"],
                fact["order_id"],
                fact["product_ids"],
                fact["since"],
            )
            for index, fact in enumerate(facts)
        )
        open_states = list(lifecycle.OPEN_STATES)
        eligible = SQL(
            """c.company_id = o.company_id AND c.id != o.self_id AND c.active
            AND c.state != 'cancelled'
            AND (c.state = ANY(%s) OR c.date_received >= o.since)""",
            open_states,
        )
        parts = [
            SQL(
                """SELECT c.id, 0.0::float8 AS score, 'customer' AS hit
                FROM complaint_complaint c
                WHERE c.commercial_partner_id = o.partner_id AND %s
                ORDER BY c.date_received DESC LIMIT %s""",
                eligible,
                CANDIDATE_LIMIT,
            ),
            SQL(
                """SELECT c.id, 0.0::float8 AS score, 'order' AS hit
                FROM complaint_complaint c
                WHERE c.sale_order_id = o.order_id AND %s
                ORDER BY c.date_received DESC LIMIT %s""",
                eligible,
                CANDIDATE_LIMIT,
            ),
            SQL(
                """SELECT c.id, 0.0::float8 AS score, 'product' AS hit
                FROM complaint_complaint c
                JOIN complaint_complaint_product_product_rel r
                  ON r.complaint_complaint_id = c.id
                WHERE r.product_product_id = ANY(o.product_ids) AND %s
                ORDER BY c.date_received DESC LIMIT %s""",
                eligible,
                CANDIDATE_LIMIT,
            ),
            self._similar_text_query(eligible),
        ]
        weights = SQL(
            " + ".join(
                f"CASE WHEN bool_or(m.hit = '{hit}') THEN {weight}::float8 ELSE 0 END"
                for hit, weight in SHARED_WEIGHTS.items()
            )
        )
        return SQL(
            """SELECT o.idx, m.id, max(m.score) + %s AS score
            FROM (VALUES %s) AS o(idx, self_id, company_id, query, slots, codes,
                                  partner_id, order_id, product_ids, since)
            CROSS JOIN LATERAL (%s) AS m
            GROUP BY o.idx, m.id
            ORDER BY o.idx, score DESC, m.id DESC""",
            weights,
            rows,
            SQL(" UNION ALL ").join(SQL("(%s)", part) for part in parts),
        )

    @api.model
    def _similar_text_query(self, eligible):
        """Candidates sharing at least two words (or synonyms) with the new
        description (``o.query``, through the GIN index of
        ``DESCRIPTION_WORDS``), scored by the Dice coefficient of the words
        they share (``o.slots``, one tsquery per word and its synonyms), kept
        from ``similarity.FLOOR``; a shared code (lot, batch, order number)
        adds ``CODE_WEIGHT``. A candidate's heads (``similarity.HEAD``) match
        but are not counted among its words."""
        return SQL(
            """SELECT f.id, d.dice + CASE WHEN f.words && o.codes THEN %s ELSE 0
                   END AS score, 'text' AS hit
            FROM (
                SELECT c.id, string_to_array(c.description_key, ' ') AS words,
                    -- the heads' marks counted: a word never holds one
                    length(c.description_key)
                        - length(replace(c.description_key, %s, '')) AS heads
                FROM complaint_complaint c
                WHERE o.query IS NOT NULL AND %s @@ o.query AND %s
            ) AS f
            CROSS JOIN LATERAL (
                SELECT array_to_tsvector(f.words) AS vector OFFSET 0
            ) AS v
            CROSS JOIN LATERAL (
                SELECT 2.0 * count(*)
                    / (cardinality(o.slots) + cardinality(f.words) - f.heads) AS dice
                FROM unnest(o.slots) AS s WHERE v.vector @@ s
            ) AS d
            WHERE d.dice >= %s
            ORDER BY score DESC, f.id DESC LIMIT %s""",
            CODE_WEIGHT,
            similarity.HEAD,
            DESCRIPTION_WORDS,
            eligible,
            similarity.FLOOR,
            CANDIDATE_LIMIT,
        )

    def _similar_link(self, mode):
        self.ensure_one()
        link = self.env["complaint.similar.link"].create(
            {"similar_target_id": self.id, "mode": mode}
        )
        link.action_apply()
        return True

    # Retention (资料保存) and purge ------------------------------------------
    def _keep_important_long_term(self):
        """At closing, major and critical complaints are kept long-term
        (重要的资料长期保存); a manager may release them afterwards."""
        important = self.filtered(
            lambda rec: (
                not rec.is_long_term and retention.long_term_at_closing(rec.severity)
            )
        )
        if important:
            important._audited().sudo().write({"is_long_term": True})

    def _check_long_term_change(self):
        if self.env.su:
            return
        if "manager" not in self._current_roles():
            raise AccessError(
                self.env._(
                    "Only a complaint manager decides which records are kept long-term."
                )
            )
        self.check_access("write")
        for rec in self:
            rec._check_recusal()
            if rec.date_purged:
                raise UserError(
                    self.env._(
                        "Complaint %(ref)s was already purged of its personal data.",
                        ref=rec.name,
                    )
                )

    def _purge_refusal(self):
        """Why ``self`` may not be purged today, or ``False``."""
        self.ensure_one()
        if self.date_purged:
            return self.env._(
                "Complaint %(ref)s was already purged of its personal data.",
                ref=self.name,
            )
        today = fields.Date.context_today(
            self.with_context(tz=self.company_id._complaint_tz()),
            self._complaint_now(),
        )
        if not retention.may_purge(
            self.state, self.retention_date, self.is_long_term, today
        ):
            return self.env._(
                "Complaint %(ref)s may not be purged: only closed or rejected "
                "complaints past their retention date (kept until %(date)s) and "
                "not kept long-term are.",
                ref=self.name,
                date=self.retention_date or "-",
            )
        return False

    def _check_purge(self):
        if not self.env.su and not self.env.user.has_group("base.group_system"):
            raise AccessError(
                self.env._("Only an administrator purges complaint records.")
            )
        self.check_access("write")
        for rec in self:
            refusal = rec._purge_refusal()
            if refusal:
                raise UserError(refusal)

    def _purge_personal_data(self):
        """Anonymise rather than delete (个人信息保护法: personal data no
        longer needed is deleted or anonymised; the register row is the
        company's record): the complainant's contact, the free texts the
        customer wrote or was told, the chatter's mails and comments and
        every attachment go; the customer account (kept with its orders and
        invoices), the reference, dates, category, handling, responsibility
        and penalties stay."""
        if not self:
            return
        purged = self.env._("[Personal data purged after the retention period]")
        now = self._complaint_now()
        texts = ("feedback", "rejection_reply", "reply_findings", "force_close_reason")
        # Not tracked: the tracking would keep the purged text.
        records = self.sudo().with_context(tracking_disable=True)
        for rec in records:
            values = dict.fromkeys(CONTACT_FIELDS.values(), False)
            values.update({name: purged for name in texts if rec[name]})
            values["description"] = Markup("<p>%s</p>") % purged
            rec.write(values)
        # What the tracking kept of the purged texts goes as well.
        self.env["mail.tracking.value"].sudo().search(
            [
                ("mail_message_id.model", "=", self._name),
                ("mail_message_id.res_id", "in", self.ids),
                ("field_id.name", "in", texts),
            ]
        ).write(
            {
                "old_value_char": False,
                "new_value_char": False,
                "old_value_text": purged,
                "new_value_text": purged,
            }
        )
        messages = (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("message_type", "in", ("email", "comment", "email_outgoing")),
                ]
            )
        )
        messages.write(
            {
                "body": Markup("<p>%s</p>") % purged,
                "subject": False,
                "email_from": False,
            }
        )
        self.env["ir.attachment"].sudo().search(
            [("res_model", "=", self._name), ("res_id", "in", self.ids)]
        ).unlink()
        self.env["rating.rating"].sudo().search(
            [("res_model", "=", self._name), ("res_id", "in", self.ids)]
        ).write({"feedback": False})
        self._audited().sudo().write({"date_purged": now})
        for rec in self.sudo():
            rec._message_log(
                body=self.env._(
                    "The complainant's personal data were purged after the "
                    "retention period."
                ),
                author_id=self.env.user.partner_id.id,
            )

    # ------------------------------------------------------------
    # MAIL, PORTAL AND DATABASE OVERRIDES
    # ------------------------------------------------------------

    # The chatter keeps the people involved out.
    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        if partner_ids:
            involved = self.sudo().involved_user_ids.partner_id.ids
            partner_ids = [pid for pid in partner_ids if pid not in involved]
        return super().message_subscribe(
            partner_ids=partner_ids, subtype_ids=subtype_ids
        )

    @api.returns("mail.message", lambda value: value.id)
    def message_post(self, **kwargs):
        # Addressing someone involved would let him read the message.
        if kwargs.get("partner_ids") and len(self) == 1:
            involved = self.sudo().involved_user_ids.partner_id.ids
            kwargs["partner_ids"] = [
                pid for pid in kwargs["partner_ids"] if pid not in involved
            ]
        return super().message_post(**kwargs)

    def _notify_get_recipients(self, message, msg_vals=False, **kwargs):
        recipients = super()._notify_get_recipients(
            message, msg_vals=msg_vals, **kwargs
        )
        involved = set(self.sudo().involved_user_ids.partner_id.ids)
        return [data for data in recipients if data["id"] not in involved]

    def _creation_message(self):
        # Logged once and read by the staff: in their language, not in that
        # of whoever created the complaint (a customer on the portal, the
        # mail gateway, a scheduled action).
        lang = self._staff_lang()
        return super(
            ComplaintComplaint, self.with_context(lang=lang)
        )._creation_message()

    def _track_subtype(self, init_values):
        self.ensure_one()
        if "state" in init_values:
            return self.env.ref("complaint_center.mt_complaint_state")
        return super()._track_subtype(init_values)

    def init(self):
        # The statistics (pivot, graph, dashboard) group every complaint by
        # category and month; the heap row is wide (texts, deadlines...), so
        # a scan of 100,000 complaints read 240 MB. This index holds what the
        # grouping and each role's record rule read: an index-only scan of a
        # few MB (benchmarks/README.md, pivot 0.32 s -> 0.07 s as a manager).
        # The clerks' rule reads the salespeople recorded at intake: an index
        # of 18.0.1.1.0 (order and customer instead) is made again.
        self.env.cr.execute(
            SQL(
                "SELECT 1 FROM pg_indexes WHERE indexname = %s"
                " AND indexdef NOT LIKE %s",
                "complaint_complaint_statistics_index",
                "%customer_salesperson_id%",
            )
        )
        if self.env.cr.fetchone():
            self.env.cr.execute(SQL("DROP INDEX complaint_complaint_statistics_index"))
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS complaint_complaint_statistics_index"
                " ON complaint_complaint (company_id, category_id, date_received)"
                " INCLUDE (id, create_uid, first_responder_id, user_id,"
                " department_id, order_salesperson_id, customer_salesperson_id,"
                " compensation_amount, state)"
                " WHERE active"
            )
        )
        # The repeat lookup at intake: a customer's latest complaints first,
        # one row read however long the customer's history.
        create_index(
            self.env.cr,
            "complaint_complaint_repeat_index",
            self._table,
            ["commercial_partner_id", "date_received DESC", "id DESC"],
            where="active AND state != 'cancelled'",
        )
        # The words of the descriptions, for the similar-complaints lookup.
        create_index(
            self.env.cr,
            DESCRIPTION_WORDS_INDEX,
            self._table,
            ["array_to_tsvector(string_to_array(description_key, ' '))"],
            method="gin",
        )
