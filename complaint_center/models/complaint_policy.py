from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..core import policy as policy_core
from .complaint_selections import IMPACT_SCOPES, SEVERITIES, URGENCIES


class ComplaintPolicy(models.Model):
    """Deadline policy (处理时限): matched to a complaint by category,
    severity, channel, company and domestic/foreign customer; the most
    specific match wins."""

    _name = "complaint.policy"
    _description = "Complaint Deadline Policy"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(
        default=10, help="Breaks ties between equally specific policies."
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", help="Leave empty to apply to every company."
    )
    category_ids = fields.Many2many(
        "complaint.category", string="Categories", help="Empty: any category."
    )
    severity = fields.Selection(SEVERITIES, help="Empty: any severity.")
    channel = fields.Selection(
        selection=lambda self: (
            self.env["complaint.complaint"]
            ._fields["channel"]
            ._description_selection(self.env)
        ),
        help="Empty: any channel.",
    )
    urgency = fields.Selection(URGENCIES, help="Empty: any urgency.")
    impact_scope = fields.Selection(
        IMPACT_SCOPES, string="Scope of Impact", help="Empty: any scope of impact."
    )
    safety = fields.Boolean(
        string="Safety Incidents Only",
        help="Applies to safety incidents only (personal injury, property "
        "damage, key equipment failure), and then before any other policy.",
    )
    scope = fields.Selection(
        [("domestic", "Domestic"), ("foreign", "Foreign")],
        string="Customer Origin",
        help="Foreign: the customer's country differs from the company's. "
        "Empty: any customer.",
    )
    ack_hours = fields.Float(
        string="Acknowledge Within (Hours)",
        default=24.0,
        help="Elapsed hours to tell the customer the complaint was received.",
    )
    ack_working_days = fields.Integer(
        string="Acknowledge Within (Working Days)",
        help="When set, replaces the hours: e.g. 7 working days to accept a "
        "case transferred by a regulator.",
    )
    decision_days = fields.Integer(
        string="Decide Within (Calendar Days)",
        help="Days after acknowledgement to decide the handling and assign a "
        "handler. 0: no separate decision deadline.",
    )
    resolve_days = fields.Integer(string="Resolve Within", default=3)
    resolve_day_type = fields.Selection(
        [("working", "Working Days"), ("calendar", "Calendar Days")],
        string="Counted In",
        default="working",
        required=True,
    )
    resolve_from = fields.Selection(
        [("received", "Receipt"), ("acknowledged", "Acknowledgement")],
        string="Counted From",
        default="received",
        required=True,
    )
    max_extension_days = fields.Integer(
        string="Maximum Extension (Working Days)",
        default=4,
        help="Extra working days a manager may grant in all: 3 + 4 keeps "
        "special cases within 7 working days.",
    )
    visit_days = fields.Integer(
        string="Return Visit Within (Working Days)",
        default=2,
        help="Working days after resolution to visit or call the customer back.",
    )
    followup_days = fields.Integer(
        string="Follow Up Every (Days)",
        default=3,
        help="Open complaints get a follow-up activity at this interval.",
    )
    escalation_interval_hours = fields.Float(
        string="Escalate Every (Hours)",
        default=24.0,
        help="Time between two escalation levels of an overdue complaint.",
    )
    # Technicians on site (004 篇3 e): by where the customer is.
    site_province_days = fields.Integer(
        string="On Site Within, Same Province",
        default=3,
        help="Days to have a technician on site when the customer is in the "
        "company's own province (state).",
    )
    site_outside_days = fields.Integer(
        string="On Site Within, Other Provinces",
        default=7,
        help="Days to have a technician on site when the customer is in "
        "another province, not a remote area.",
    )
    site_remote_days = fields.Integer(
        string="On Site Within, Remote Areas",
        default=10,
        help="Days to have a technician on site when the customer is in one of "
        "the company's remote regions (Settings).",
    )
    site_day_type = fields.Selection(
        [("calendar", "Calendar Days"), ("working", "Working Days")],
        string="Site Visit Days Counted In",
        default="calendar",
        required=True,
    )
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Calendar",
        help="Working hours and public holidays (calendar leaves) used to count "
        "working days. Empty: the company's calendar.",
    )
    unit_limit_ids = fields.One2many(
        "complaint.policy.unit.limit",
        "policy_id",
        string="Unit Handling Limits",
        copy=True,
        help="Days each unit has once the complaint is handed over to it "
        "(各单位处理期限); a unit not listed has the complaint's own deadline.",
    )
    note = fields.Text(translate=True)
    rule_summary = fields.Char(
        string="Rule Applied",
        compute="_compute_rule_summary",
        help="The deadlines this policy gives, as they are computed.",
    )

    _sql_constraints = [
        (
            "durations_positive",
            "CHECK(ack_hours >= 0 AND ack_working_days >= 0 AND decision_days >= 0 "
            "AND resolve_days >= 0 AND max_extension_days >= 0 AND visit_days >= 0 "
            "AND followup_days >= 0)",
            "Deadline durations cannot be negative.",
        ),
        (
            "escalation_interval_positive",
            "CHECK(escalation_interval_hours > 0)",
            "The escalation interval must be positive.",
        ),
    ]

    @api.depends(
        "ack_hours",
        "ack_working_days",
        "decision_days",
        "resolve_days",
        "resolve_day_type",
        "resolve_from",
        "max_extension_days",
        "visit_days",
    )
    def _compute_rule_summary(self):
        for policy in self:
            policy.rule_summary = " · ".join(policy._rule_parts())

    def _rule_parts(self):
        """The stages as the deadline computation applies them."""
        self.ensure_one()
        if self.ack_working_days:
            ack = self.env._(
                "acknowledge within %(n)s working days", n=self.ack_working_days
            )
        else:
            hours = self.ack_hours
            ack = self.env._(
                "acknowledge within %(n)s hours",
                n=int(hours) if hours.is_integer() else hours,
            )
        parts = [ack]
        if self.decision_days:
            parts.append(
                self.env._(
                    "decide within %(n)s days of acknowledgement", n=self.decision_days
                )
            )
        # Whole sentences, so that each language orders them its own way.
        from_ack = self.resolve_from == "acknowledged"
        if self.resolve_day_type == "calendar" and from_ack:
            resolve = self.env._(
                "resolve within %(n)s days of acknowledgement", n=self.resolve_days
            )
        elif self.resolve_day_type == "calendar":
            resolve = self.env._(
                "resolve within %(n)s days of receipt", n=self.resolve_days
            )
        elif from_ack:
            resolve = self.env._(
                "resolve within %(n)s working days of acknowledgement",
                n=self.resolve_days,
            )
        else:
            resolve = self.env._(
                "resolve within %(n)s working days of receipt", n=self.resolve_days
            )
        if self.max_extension_days:
            resolve = self.env._(
                "%(rule)s (+%(n)s working days by extension)",
                rule=resolve,
                n=self.max_extension_days,
            )
        parts.append(resolve)
        if self.visit_days:
            parts.append(
                self.env._("return visit within %(n)s working days", n=self.visit_days)
            )
        return parts

    @api.constrains("resolve_days", "ack_hours", "ack_working_days")
    def _check_resolve_days(self):
        for policy in self:
            if policy.resolve_days < 1:
                raise ValidationError(
                    self.env._(
                        "Policy %(name)s must give at least one day to resolve.",
                        name=policy.name,
                    )
                )

    def _unit_limit_days(self, department):
        """Days ``department`` has on a complaint of this policy (0: none)."""
        self.ensure_one()
        limit = self.unit_limit_ids.filtered(
            lambda lim: lim.department_id == department
        )
        return limit[:1].days

    @api.constrains("site_province_days", "site_outside_days", "site_remote_days")
    def _check_site_days(self):
        for policy in self:
            limits = policy._site_limits()
            if min(limits.values()) < 0:
                raise ValidationError(
                    self.env._(
                        "Policy %(name)s: the days to be on site cannot be negative.",
                        name=policy.name,
                    )
                )

    def _site_limits(self):
        """``{region: days}`` for a site visit (core.deadlines regions)."""
        self.ensure_one()
        return {
            "province": self.site_province_days,
            "outside": self.site_outside_days,
            "remote": self.site_remote_days,
        }

    @api.model
    def _match(self, facts_by_key):
        """Best policy for each facts dict in ``facts_by_key`` (any hashable
        key): one query for all of them."""
        policies = self.search([])
        plain = [
            {
                "id": p.id,
                "sequence": p.sequence,
                "company_id": p.company_id.id,
                "category_ids": set(p.category_ids.ids),
                "severity": p.severity,
                "channel": p.channel,
                "scope": p.scope,
                "urgency": p.urgency,
                "impact_scope": p.impact_scope,
                "safety": p.safety,
            }
            for p in policies
        ]
        result = {}
        for key, facts in facts_by_key.items():
            best = policy_core.best_policy(plain, facts)
            result[key] = self.browse(best["id"]) if best else self.browse()
        return result
