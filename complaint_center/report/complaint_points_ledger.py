"""Points and amounts per employee and payroll period (积分台账)."""

from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.complaint_penalty import AMOUNT_GROUPS, PAYROLL_KINDS


class ComplaintPointsLedger(models.Model):
    """Applied points, deductions and rewards, summed per payroll period
    (the one they were applied in), employee, unit and company: what the
    payroll deduction list of that period lists, and what the statistics
    count. Approved penalties wait to be applied and are not in it yet.
    Deductions and rewards are summed apart (the penalty's signed columns)
    and the net is their difference, so deducted = net + rewarded on every
    row; reversals carry negative values."""

    _name = "complaint.points.ledger"
    _description = "Complaint Points Ledger"
    _auto = False
    _order = "payroll_period desc, employee_id"
    _rec_name = "payroll_period"

    payroll_period = fields.Char(readonly=True)
    employee_id = fields.Many2one("hr.employee", readonly=True)
    department_id = fields.Many2one("hr.department", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    points = fields.Integer(readonly=True)
    deduction_amount = fields.Monetary(
        string="Deducted",
        currency_field="currency_id",
        readonly=True,
        groups=AMOUNT_GROUPS,
    )
    reward_amount = fields.Monetary(
        string="Rewarded",
        currency_field="currency_id",
        readonly=True,
        groups=AMOUNT_GROUPS,
    )
    amount = fields.Monetary(
        string="Net Deduction",
        currency_field="currency_id",
        readonly=True,
        groups=AMOUNT_GROUPS,
        help="Deductions minus rewards.",
    )
    penalty_count = fields.Integer(string="Penalties", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %(table)s AS (
                    SELECT
                        MIN(p.id) AS id,
                        p.payroll_period,
                        p.employee_id,
                        p.department_id,
                        p.company_id,
                        p.currency_id,
                        SUM(COALESCE(p.points, 0)) AS points,
                        SUM(COALESCE(p.deduction_amount, 0)) AS deduction_amount,
                        SUM(COALESCE(p.reward_amount, 0)) AS reward_amount,
                        SUM(COALESCE(p.net_amount, 0)) AS amount,
                        COUNT(*) AS penalty_count
                    FROM complaint_penalty p
                    WHERE p.state = 'applied'
                      AND p.kind IN %(kinds)s
                    GROUP BY
                        p.payroll_period,
                        p.employee_id,
                        p.department_id,
                        p.company_id,
                        p.currency_id
                )
                """,
                table=SQL.identifier(self._table),
                kinds=PAYROLL_KINDS,
            )
        )
