"""Complaints analysis (投诉统计分析): one row per complaint, for the pivot,
graph and the management dashboard."""

from odoo import fields, models, tools
from odoo.tools import SQL

from ..core import lifecycle, statistics
from ..models.complaint_penalty import AMOUNT_GROUPS, PAYROLL_KINDS
from ..models.complaint_selections import (
    CHANNELS,
    IMPACT_SCOPES,
    REMEDIES,
    SATISFACTION,
    SEVERITIES,
    URGENCIES,
    VALIDITY,
)

# The ladder of core/escalation.py, as labels a pivot can show.
ESCALATION_LEVELS = [
    ("0", "Not Escalated"),
    ("1", "Level 1: Handler and Department Head"),
    ("2", "Level 2: Complaint Center Director"),
    ("3", "Level 3: General Manager"),
]
SATISFIED = ("very_satisfied", "satisfied")
# States a complaint is resolved in, so that a return visit is due.
RESOLVED_STATES = ("resolved", "closed")


class ComplaintReport(models.Model):
    """Read-only SQL view over ``complaint.complaint``.

    Rates are percentages (100 met, 0 missed, empty when not applicable)
    that the pivot averages: on time per stage, satisfaction, return
    visits. A stage counts once it is met, or once its deadline passed while
    the complaint still waits for it: ``core.statistics.ON_TIME_STEPS`` and
    ``step_timeliness``, the definition the statistics report computes in
    Python, written here in SQL. Penalties, visits and actions are grouped
    per complaint before the join, so no row is ever repeated.
    """

    _name = "complaint.report"
    _description = "Complaints Analysis"
    _auto = False
    _rec_name = "name"
    _order = "date_received desc, id desc"

    # Dimensions -------------------------------------------------------------
    complaint_id = fields.Many2one("complaint.complaint", readonly=True)
    name = fields.Char(string="Reference", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    date_received = fields.Datetime(string="Received", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    sale_order_id = fields.Many2one("sale.order", readonly=True)
    category_id = fields.Many2one("complaint.category", readonly=True)
    department_id = fields.Many2one(
        "hr.department", string="Responsible Department", readonly=True
    )
    user_id = fields.Many2one("res.users", string="Handler", readonly=True)
    channel = fields.Selection(CHANNELS, readonly=True)
    severity = fields.Selection(SEVERITIES, readonly=True)
    urgency = fields.Selection(URGENCIES, readonly=True)
    impact_scope = fields.Selection(
        IMPACT_SCOPES, string="Scope of Impact", readonly=True
    )
    state = fields.Selection(lifecycle.STATES, string="Status", readonly=True)
    validity = fields.Selection(VALIDITY, readonly=True)
    is_valid = fields.Boolean(string="Valid", readonly=True)
    is_repeat = fields.Boolean(string="Repeat Complaint", readonly=True)
    escalation_level = fields.Selection(ESCALATION_LEVELS, readonly=True)
    resolution_type = fields.Selection(REMEDIES, readonly=True)
    satisfaction = fields.Selection(SATISFACTION, readonly=True)
    is_overdue = fields.Boolean(
        string="Overdue",
        readonly=True,
        help="A deadline still to be met has passed, at the time of reading.",
    )

    # Measures ---------------------------------------------------------------
    nbr = fields.Integer(string="# Complaints", readonly=True)
    ack_on_time = fields.Float(
        string="Acknowledged On Time (%)",
        aggregator="avg",
        readonly=True,
        help="Share of complaints acknowledged by their deadline, among those "
        "acknowledged or overdue for it.",
    )
    resolve_on_time = fields.Float(
        string="Resolved On Time (%)",
        aggregator="avg",
        readonly=True,
        help="Share of complaints resolved by their deadline, among those "
        "resolved or overdue for it.",
    )
    visit_on_time = fields.Float(
        string="Return Visit On Time (%)",
        aggregator="avg",
        readonly=True,
        help="Share of resolved complaints whose feedback was recorded by the "
        "return visit deadline, among those recorded or overdue for it.",
    )
    hours_to_acknowledge = fields.Float(
        aggregator="avg",
        readonly=True,
        help="Hours from receipt to acknowledgement (calendar hours).",
    )
    hours_to_resolve = fields.Float(
        aggregator="avg",
        readonly=True,
        help="Hours from receipt to resolution (calendar hours).",
    )
    satisfied = fields.Float(
        string="Satisfaction Rate (%)",
        aggregator="avg",
        readonly=True,
        help="Share of satisfied or very satisfied customers, among the "
        "complaints with a recorded satisfaction.",
    )
    visited = fields.Float(
        string="Return Visit Rate (%)",
        aggregator="avg",
        readonly=True,
        help="Share of resolved and closed complaints with a return visit.",
    )
    repeat_count = fields.Integer(string="# Repeat Complaints", readonly=True)
    compensation_amount = fields.Monetary(
        string="Compensation", currency_field="currency_id", readonly=True
    )
    penalty_amount = fields.Monetary(
        string="Penalty Deductions",
        currency_field="currency_id",
        readonly=True,
        groups=AMOUNT_GROUPS,
        help="Deductions of the complaint's penalties applied in payroll, as "
        "the payroll deduction list counts them (reversals count negative); "
        "penalties not applied yet are not counted.",
    )
    action_count = fields.Integer(string="# Corrective Actions", readonly=True)
    defective_qty = fields.Float(
        string="Defective Quantity",
        readonly=True,
        help="Defective goods the complaints report, in their products' units "
        "(001 篇八): group by category or product line to compare.",
    )
    needs_site_visit = fields.Boolean(string="Technician On Site", readonly=True)
    site_visit_on_time = fields.Float(
        string="On Site In Time (%)",
        aggregator="avg",
        readonly=True,
        help="Share of site visits made by their deadline, among those made or "
        "overdue (004 篇3: 3 days in the province, a week outside, 10 days in "
        "remote areas).",
    )

    # The view -----------------------------------------------------------------
    def _select(self):
        # Datetimes are stored in UTC, without a time zone.
        now = SQL("(NOW() AT TIME ZONE 'UTC')")
        rates = {
            step: self._on_time_rate(reached, deadline, waiting, now)
            for step, (reached, deadline, waiting) in (statistics.ON_TIME_STEPS.items())
        }
        return SQL(
            """
            c.id AS id,
            c.id AS complaint_id,
            c.name AS name,
            c.company_id AS company_id,
            c.currency_id AS currency_id,
            c.date_received AS date_received,
            c.commercial_partner_id AS partner_id,
            c.sale_order_id AS sale_order_id,
            c.category_id AS category_id,
            c.department_id AS department_id,
            c.user_id AS user_id,
            c.channel AS channel,
            c.severity AS severity,
            c.urgency AS urgency,
            c.impact_scope AS impact_scope,
            c.state AS state,
            c.validity AS validity,
            COALESCE(c.is_valid, FALSE) AS is_valid,
            COALESCE(c.is_repeat, FALSE) AS is_repeat,
            COALESCE(c.escalation_level, 0)::varchar AS escalation_level,
            c.resolution_type AS resolution_type,
            c.satisfaction AS satisfaction,
            COALESCE(c.next_deadline < %(now)s, FALSE) AS is_overdue,
            1 AS nbr,
            %(ack)s AS ack_on_time,
            %(resolve)s AS resolve_on_time,
            %(visit)s AS visit_on_time,
            EXTRACT(EPOCH FROM c.date_acknowledged - c.date_received) / 3600.0
                AS hours_to_acknowledge,
            EXTRACT(EPOCH FROM c.date_resolved - c.date_received) / 3600.0
                AS hours_to_resolve,
            CASE WHEN c.satisfaction IS NULL THEN NULL
                WHEN c.satisfaction IN %(satisfied)s THEN 100.0
                ELSE 0.0 END AS satisfied,
            CASE WHEN c.state IN %(resolved)s
                THEN CASE WHEN visit.complaint_id IS NULL THEN 0.0 ELSE 100.0 END
                END AS visited,
            CASE WHEN c.is_repeat THEN 1 ELSE 0 END AS repeat_count,
            COALESCE(c.compensation_amount, 0) AS compensation_amount,
            COALESCE(penalty.amount, 0) AS penalty_amount,
            COALESCE(actions.action_count, 0) AS action_count,
            COALESCE(c.defective_qty, 0) AS defective_qty,
            COALESCE(c.needs_site_visit, FALSE) AS needs_site_visit,
            %(site)s AS site_visit_on_time
            """,
            now=now,
            ack=rates["acknowledge"],
            resolve=rates["resolve"],
            visit=rates["visit"],
            # A visit never made counts as missed, even once the complaint
            # was resolved or closed.
            site=self._on_time_rate(
                "date_site_visit",
                "date_site_deadline",
                (*lifecycle.OPEN_STATES, *RESOLVED_STATES),
                now,
            ),
            satisfied=SATISFIED,
            resolved=RESOLVED_STATES,
        )

    def _on_time_rate(self, met, deadline, waiting_states, now):
        """100 when the stage was met by its deadline, 0 when met late or
        still awaited past it, NULL otherwise (no deadline, not due yet, or
        never to be met: the pivot's average leaves those out). The SQL of
        ``core.statistics.step_timeliness``."""
        met, deadline = SQL.identifier("c", met), SQL.identifier("c", deadline)
        return SQL(
            """CASE
                WHEN %(deadline)s IS NULL THEN NULL
                WHEN %(met)s IS NOT NULL
                    THEN CASE WHEN %(met)s <= %(deadline)s THEN 100.0 ELSE 0.0 END
                WHEN c.state IN %(waiting)s AND %(deadline)s < %(now)s THEN 0.0
            END""",
            met=met,
            deadline=deadline,
            waiting=waiting_states,
            now=now,
        )

    def _from(self):
        # One grouped pass per table, joined on the complaint: never a
        # subquery per row, never a row per penalty.
        return SQL(
            """
            complaint_complaint c
            LEFT JOIN (
                SELECT complaint_id, SUM(COALESCE(deduction_amount, 0)) AS amount
                  FROM complaint_penalty
                 WHERE kind IN %(payroll_kinds)s AND state = 'applied'
                 GROUP BY complaint_id
            ) penalty ON penalty.complaint_id = c.id
            LEFT JOIN (
                SELECT DISTINCT complaint_id FROM complaint_visit
            ) visit ON visit.complaint_id = c.id
            LEFT JOIN (
                SELECT complaint_id, COUNT(*) AS action_count
                  FROM complaint_action
                 WHERE active
                 GROUP BY complaint_id
            ) actions ON actions.complaint_id = c.id
            """,
            payroll_kinds=PAYROLL_KINDS,
        )

    def _query(self):
        return SQL("SELECT %s FROM %s", self._select(), self._from())

    def action_open_complaint(self):
        """The complaint behind a row, under the user's own access."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "complaint.complaint",
            "res_id": self.complaint_id.id,
            "views": [(False, "form")],
        }

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._query(),
            )
        )
