"""Monthly, quarterly and half-year complaint statistics (统计分析报告表,
月投诉分析改进报告, 客户投诉受理汇总报告, 半年汇总): the figures service and the
PDF report built on it.

Everything is read as the calling user: record rules decide which
complaints, penalties, actions and order lines count, and a report whose
complaints are fewer than the company's says it is limited to what the user
may see. A figure the user may not read at all (order lines without sales
rights, penalty amounts without finance or manager rights) is ``None``,
never read with sudo.

Penalties count once settled, in the period they were settled in, as the
payroll deduction list and the points ledger count them: deductions, points
and rewards applied in the period's payroll months; supplier chargebacks
whose vendor credit note is posted with an accounting date in the period.
Drafts, confirmed and approved penalties are not settled yet.
"""

from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..core import statistics
from ..models.complaint_penalty import PAYROLL_KINDS
from ..models.complaint_responsibility import INTERNAL_UNITS
from ..models.complaint_selections import SATISFACTION

# The satisfied answers of SATISFACTION (the satisfaction rate counts them).
SATISFIED = tuple(key for key, _label in SATISFACTION[:2])
# One grouped read per period gives every count and breakdown.
GROUPBY = [
    "category_id",
    "department_id",
    "channel",
    "severity",
    "urgency",
    "impact_scope",
    "state",
    "validity",
    "is_repeat",
]
BREAKDOWNS = {
    "by_category": "category_id",
    "by_department": "department_id",
    "by_channel": "channel",
    "by_severity": "severity",
    "by_urgency": "urgency",
    "by_impact_scope": "impact_scope",
    "by_state": "state",
}
TIMING_FIELDS = sorted(
    {
        "date_received",
        "satisfaction",
        "state",
        "validity",
        "is_repeat",
        *(
            name
            for reached, deadline, _waiting in statistics.ON_TIME_STEPS.values()
            for name in (reached, deadline)
        ),
    }
)
PRINT_GROUPS = (
    "complaint_center.group_complaint_manager",
    "complaint_center.group_complaint_finance",
)


class ComplaintStatistics(models.AbstractModel):
    _name = "complaint.statistics"
    _description = "Complaint Statistics"

    # Periods ------------------------------------------------------------------
    @api.model
    def _period(self, kind, year, number):
        """The period dict of ``statistics.period``; a UserError says which
        input is wrong."""
        try:
            return statistics.period(kind, year, number)
        except statistics.PeriodError as error:
            raise UserError(self._period_error_message(error)) from error

    @api.model
    def _previous_period(self, period):
        return statistics.previous_period(
            period["kind"], period["year"], period["number"]
        )

    @api.model
    def _period_error_message(self, error):
        if error.field == "kind":
            return self.env._(
                "A statistics period is a month or a quarter, or a half-year."
            )
        if error.field == "year":
            return self.env._(
                "The year must be between %(first)s and %(last)s.",
                first=statistics.MIN_YEAR,
                last=statistics.MAX_YEAR,
            )
        if error.field == "quarter":
            return self.env._("The quarter must be between 1 and 4.")
        if error.field == "half":
            return self.env._("The half-year must be 1 or 2.")
        return self.env._("The month must be between 1 and 12.")

    @api.model
    def _utc_bounds(self, company, period):
        """The period's first and next-period local midnights in the
        company's time zone, as UTC datetimes."""
        return statistics.utc_bounds(
            period["date_from"], period["date_to"], company._complaint_tz()
        )

    @api.model
    def _complaint_domain(self, company, period):
        start, stop = self._utc_bounds(company, period)
        return [
            ("company_id", "=", company.id),
            ("date_received", ">=", start),
            ("date_received", "<", stop),
        ]

    # Figures ------------------------------------------------------------------
    @api.model
    def _figures(self, company, period):
        """Every figure of ``period`` for ``company``, as plain values: head
        counts, the ``by_*`` breakdowns (with the previous period's count and
        the change per key), on-time rates, average hours, satisfaction and
        return-visit rates, order lines and the complaint rate, compensation,
        settled penalty, reward and chargeback totals, actions opened and
        verified, the Pareto of categories, the months of a quarter or a
        half-year;
        ``previous`` holds the previous period's figures and ``change`` the
        difference of every number; ``limited`` says whether the user sees
        fewer complaints than the company has."""
        company.ensure_one()
        self._check_company(company)
        stats = self.with_company(company)
        current, counts, labels = stats._period_figures(company, period)
        previous, previous_counts, previous_labels = stats._period_figures(
            company, stats._previous_period(period)
        )
        for name in (*BREAKDOWNS, "by_responsible"):
            names = {**previous_labels[name], **labels[name]}
            current[name] = statistics.breakdown(
                counts[name], previous_counts[name], names, current["total"]
            )
            previous[name] = [
                {key: row[key] for key in ("key", "label", "count", "share")}
                for row in statistics.breakdown(
                    previous_counts[name], {}, names, previous["total"]
                )
            ]
        current["change"] = statistics.changes(current, previous)
        current["previous"] = previous
        return current

    @api.model
    def _check_company(self, company):
        """Another company's report is refused, not printed empty."""
        if not self.env.su and company not in self.env.user.company_ids:
            raise AccessError(
                self.env._(
                    "You do not work for %(company)s: its complaint reports are "
                    "not yours to print.",
                    company=company.name,
                )
            )

    @api.model
    def _period_figures(self, company, period):
        """The figures of one period, its breakdown counts ``{name: {key:
        count}}`` and their labels ``{name: {key: label}}``."""
        Complaint = self.env["complaint.complaint"].with_context(active_test=False)
        domain = self._complaint_domain(company, period)
        groups = Complaint._read_group(
            domain, GROUPBY, ["__count", "compensation_amount:sum"]
        )
        counts = {name: defaultdict(int) for name in BREAKDOWNS}
        labels = {name: {} for name in BREAKDOWNS}
        heads = []
        for *keys, count, _compensation in groups:
            values = dict(zip(GROUPBY, keys, strict=True))
            heads.append(
                (values["state"], values["validity"], values["is_repeat"], count)
            )
            for name, field in BREAKDOWNS.items():
                value = values[field]
                key = value.id if isinstance(value, models.BaseModel) else value
                counts[name][key] += count
                if isinstance(value, models.BaseModel) and value:
                    labels[name][key] = value.display_name
        for name, field in BREAKDOWNS.items():
            labels[name].update(self._selection_labels(field))
            labels[name][False] = self.env._("Undefined")
        figures = statistics.summarize(heads)
        rows = Complaint.search_fetch(domain, TIMING_FIELDS)
        values = [{name: rec[name] for name in TIMING_FIELDS} for rec in rows]
        # The moment open steps are judged at: the transaction's, as the
        # Complaints Analysis view (NOW() in SQL) judges them.
        now = self.env.cr.now()
        figures.update(statistics.timing(values, SATISFIED, now))
        figures["months"] = statistics.by_month(
            values, period, company._complaint_tz(), now
        )
        responsible = self._responsible_counts(rows)
        counts["by_responsible"], labels["by_responsible"] = responsible
        done = rows.filtered(lambda rec: rec.state in ("resolved", "closed"))
        figures.update(
            period=period,
            company_name=company.name,
            currency=company.currency_id,
            limited=self._is_limited(domain, figures["total"]),
            responsible_visible=self.env["complaint.responsibility"].has_access("read"),
            overdue=Complaint.search_count(domain + [("is_overdue", "=", True)]),
            visit_rate=statistics.share(self._visited_count(done), len(done)),
            compensation_total=sum(row[-1] or 0.0 for row in groups),
            **self._penalty_totals(company, period),
            **self._chargeback_totals(company, period),
            **self._action_counts(company, period),
        )
        figures["order_lines"] = self._order_line_count(company, period)
        figures["rate_per_1000_lines"] = statistics.per_thousand(
            figures["total"], figures["order_lines"]
        )
        figures["pareto"] = statistics.pareto(
            (labels["by_category"].get(key, ""), count)
            for key, count in counts["by_category"].items()
        )
        return figures, counts, labels

    @api.model
    def _is_limited(self, domain, count):
        """Whether the company has complaints in ``domain`` the user may not
        see: the report then says its figures are limited (never how many
        it leaves out)."""
        if self.env.su:
            return False
        Complaint = self.env["complaint.complaint"].with_context(active_test=False)
        return Complaint.sudo().search_count(domain) != count

    @api.model
    def _responsible_counts(self, complaints):
        """Complaints per responsible party weighted by its share (责任归属):
        the unit an employee or internal line is attributed to, the outside
        party (supplier, carrier...), the customer's own fault; the share no
        line covers is "Not attributed". Nothing for a user who may not read
        responsibility lines (the report says so)."""
        Line = self.env["complaint.responsibility"]
        labels = {
            False: self.env._("Not attributed"),
            "customer": self.env._("Customer (own fault)"),
        }
        if not Line.has_access("read"):
            return {}, labels
        lines = []
        found = Line.search_fetch(
            [("complaint_id", "in", complaints.ids)],
            ["complaint_id", "party_type", "attributed_department_id", "partner_id"],
        )
        for line in found:
            if line.party_type == "customer":
                key = "customer"
            elif line.attributed_department_id:
                unit = line.attributed_department_id
                key = f"hr.department,{unit.id}"
                labels[key] = unit.display_name
            elif line.partner_id and line.party_type not in INTERNAL_UNITS:
                partner = line.partner_id.commercial_partner_id
                key = f"res.partner,{partner.id}"
                labels[key] = partner.display_name
            else:
                key = False
            lines.append((line.complaint_id.id, key, line.share))
        return statistics.weighted_counts(lines, complaints.ids), labels

    @api.model
    def _selection_labels(self, field):
        """Translated labels of a selection field (empty for a relation)."""
        field = self.env["complaint.complaint"]._fields[field]
        if field.type != "selection":
            return {}
        return dict(field._description_selection(self.env))

    @api.model
    def _visited_count(self, complaints):
        """How many of ``complaints`` had at least one return visit."""
        if not complaints:
            return 0
        [(count,)] = self.env["complaint.visit"]._read_group(
            [("complaint_id", "in", complaints.ids)],
            aggregates=["complaint_id:count_distinct"],
        )
        return count

    @api.model
    def _penalty_totals(self, company, period):
        """Deductions (points penalties with an amount included) and rewards
        applied in the period's payroll months, as the payroll deduction
        list and the points ledger total them; ``None`` for a user who may
        not read penalty amounts."""
        if not self._may_read_amounts():
            return {"penalty_total": None, "reward_total": None}
        [(deducted, rewarded)] = self.env["complaint.penalty"]._read_group(
            [
                ("company_id", "=", company.id),
                ("state", "=", "applied"),
                ("kind", "in", PAYROLL_KINDS),
                ("payroll_period", "in", statistics.payroll_periods(period)),
            ],
            aggregates=["deduction_amount:sum", "reward_amount:sum"],
        )
        return {"penalty_total": deducted or 0.0, "reward_total": rewarded or 0.0}

    @api.model
    def _chargeback_totals(self, company, period):
        """Supplier chargebacks settled in the period: their vendor credit
        note is posted with an accounting date in it. ``None`` for a user
        who may not read penalty amounts."""
        if not self._may_read_amounts():
            return {"chargeback_total": None, "chargeback_count": None}
        chargebacks = self.env["complaint.penalty"].search(
            [
                ("company_id", "=", company.id),
                ("kind", "=", "chargeback"),
                ("state", "in", ("approved", "applied")),
                ("move_id", "!=", False),
            ]
        )
        # The credit notes of the chargebacks the user reads, whatever their
        # accounting rights: only their state and date are looked at.
        settled = chargebacks.sudo().filtered(
            lambda penalty: (
                penalty.move_id.state == "posted"
                and period["date_from"] <= penalty.move_id.date < period["date_to"]
            )
        )
        return {
            "chargeback_total": sum(settled.mapped("deduction_amount")),
            "chargeback_count": len(settled),
        }

    @api.model
    def _may_read_amounts(self):
        Penalty = self.env["complaint.penalty"]
        return Penalty.has_access("read") and Penalty._fields["amount"].is_accessible(
            self.env
        )

    @api.model
    def _action_counts(self, company, period):
        """Corrective/preventive actions opened and verified in the period."""
        Action = self.env["complaint.action"].with_context(active_test=False)
        start, stop = self._utc_bounds(company, period)
        base = [("company_id", "=", company.id)]
        return {
            "actions_opened": Action.search_count(
                base + [("create_date", ">=", start), ("create_date", "<", stop)]
            ),
            "actions_verified": Action.search_count(
                base + [("date_verified", ">=", start), ("date_verified", "<", stop)]
            ),
        }

    @api.model
    def _order_line_count(self, company, period):
        """Confirmed sale order lines of the company ordered in the period;
        ``None`` for a user who may not read order lines."""
        Line = self.env["sale.order.line"]
        if not Line.has_access("read"):
            return None
        start, stop = self._utc_bounds(company, period)
        return Line.search_count(
            [
                ("company_id", "=", company.id),
                ("state", "=", "sale"),
                ("display_type", "=", False),
                ("order_id.date_order", ">=", start),
                ("order_id.date_order", "<", stop),
            ]
        )

    @api.model
    def _improvement_actions(self, company, period):
        """The actions opened or verified in the period, for the improvement
        part of the report."""
        start, stop = self._utc_bounds(company, period)
        return (
            self.env["complaint.action"]
            .with_company(company)
            .with_context(active_test=False)
            .search(
                [
                    ("company_id", "=", company.id),
                    "|",
                    "&",
                    ("create_date", ">=", start),
                    ("create_date", "<", stop),
                    "&",
                    ("date_verified", ">=", start),
                    ("date_verified", "<", stop),
                ],
                order="action_type, create_date, id",
            )
        )

    @api.model
    def _check_may_print(self):
        """Statistics reports are for complaint managers, executives and
        finance; the figures are still those their rules let them read."""
        if not self.env.su and not any(
            self.env.user.has_group(group) for group in PRINT_GROUPS
        ):
            raise AccessError(
                self.env._(
                    "Only complaint managers, executives and finance print the "
                    "complaint statistics."
                )
            )


class ReportComplaintStatistics(models.AbstractModel):
    _name = "report.complaint_center.report_complaint_statistics"
    _description = "Complaint Statistics Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        """From the wizards ``docids``, or without any from ``data`` =
        ``{"company_id", "kind", "year", "number"}`` (scheduled mailings)."""
        stats = self.env["complaint.statistics"]
        stats._check_may_print()
        data = data or {}
        if docids:
            wizards = self.env["complaint.statistics.wizard"].browse(docids)
            requests = [
                (wizard, wizard.company_id, wizard._period()) for wizard in wizards
            ]
        elif data.get("company_id"):
            company = self.env["res.company"].browse(int(data["company_id"])).exists()
            if not company:
                raise UserError(self.env._("The company of the report does not exist."))
            period = stats._period(
                data.get("kind"), _as_int(data.get("year")), _as_int(data.get("number"))
            )
            requests = [(company, company, period)]
        else:
            raise UserError(
                self.env._("Choose a company and a period for the statistics report.")
            )
        docs = [
            {
                "record": record,
                "company": company,
                "figures": stats._figures(company, period),
                "actions": stats._improvement_actions(company, period),
                "last_day": period["date_to"] - timedelta(days=1),
            }
            for record, company, period in requests
        ]
        return {
            "doc_ids": docids,
            "doc_model": "complaint.statistics.wizard",
            "docs": docs,
            "prepared_by": self._prepared_by(),
            "print_date": fields.Date.context_today(self),
            "fmt": _fmt,
        }

    @api.model
    def _prepared_by(self):
        """Who the report says prepared it: the user who prints it; the
        scheduled mailings, run by the system user (OdooBot), say they are
        generated by the system."""
        if self.env.user._is_superuser():
            return self.env._("Generated by the system (scheduled report)")
        return self.env.user.name


def _as_int(value):
    """``value`` as an int when it is a whole number, else as it came (the
    period check then names it)."""
    try:
        return int(value) if int(value) == float(value) else value
    except (TypeError, ValueError):
        return value


def _fmt(value, kind="count", currency=None, signed=False):
    """A figure as the report prints it: ``kind`` is ``count``, ``rate``
    (a fraction, printed in percent; its change in percentage points),
    ``decimal`` (hours, rates per 1,000) or ``amount`` (in ``currency``);
    unknown figures print a dash."""
    if value is None:
        return "—"
    sign = "+" if signed and value else ""
    if kind == "rate":
        return f"{value * 100:{sign}.1f} %"
    if kind == "decimal":
        return f"{value:{sign},.1f}"
    if kind == "amount":
        text = currency.format(abs(value)) if currency else f"{abs(value):,.2f}"
        return ("-" if value < 0 else sign) + text
    return f"{value:{sign},.0f}"
