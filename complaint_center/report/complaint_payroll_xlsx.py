"""The payroll deduction list (扣款清单) as XLSX: the penalties applied in
one payroll period (from the register wizard), or the selected penalties,
all in one state: a selection mixing states (a draft next to an applied
penalty) is refused, for its totals would add what payroll deducts to what
nobody approved yet. The subtitle names the state of a selection.

One row per penalty (reversals carry negative values), a subtotal per
employee and a grand total. Deductions and rewards have their own columns
and totals; the net deduction is their difference, never their sum.
Amounts appear only for the users the ``amount`` field's groups allow
(finance, complaint managers); anybody else gets points only. Nothing of
the customer or complainant is listed.
"""

from odoo import models
from odoo.exceptions import UserError

from ..core import penalty as penalty_core
from ..core import sheets
from ..models.complaint_penalty import PAYROLL_KINDS


class ComplaintPayrollXlsx(models.AbstractModel):
    _name = "report.complaint_center.complaint_payroll_xlsx"
    _inherit = "complaint.xlsx.report"
    _description = "Payroll Deduction List XLSX"

    def _payroll_penalties(self, data, objs):
        """Penalties to list, searched as the user (record rules apply)."""
        Penalty = self.env["complaint.penalty"]
        criteria = (data or {}).get("payroll")
        if criteria:
            period = criteria.get("payroll_period")
            if not penalty_core.valid_period(period):
                raise UserError(
                    self.env._(
                        "The payroll period %(period)s must read YYYY-MM, "
                        "e.g. 2026-11.",
                        period=period,
                    )
                )
            try:
                company_id = int(criteria["company_id"])
            except (KeyError, TypeError, ValueError) as error:
                raise UserError(
                    self.env._("The payroll criteria are invalid.")
                ) from error
            self._xlsx_check_company(self.env["res.company"].browse(company_id))
            domain = [
                ("state", "=", "applied"),
                ("payroll_period", "=", period),
                ("company_id", "=", company_id),
                ("kind", "in", PAYROLL_KINDS),
            ]
            penalties = Penalty.search(domain)
            return penalties, period, self._xlsx_is_limited(Penalty, domain, penalties)
        if objs._name != Penalty._name:
            raise UserError(self.env._("Select the penalties to list."))
        domain = [("id", "in", objs.ids), ("kind", "in", PAYROLL_KINDS)]
        penalties = Penalty.search(domain)
        self._payroll_check_one_state(penalties)
        return penalties, None, False

    def _payroll_check_one_state(self, penalties):
        """A list totals penalties of one state only."""
        states = set(penalties.mapped("state"))
        if len(states) <= 1:
            return
        field = penalties._fields["state"]
        found = [
            label
            for key, label in field._description_selection(self.env)
            if key in states
        ]
        raise UserError(
            self.env._(
                "The selected penalties are %(states)s: a deduction list totals "
                "penalties of one state only. Filter the list by status and "
                "select the penalties of one state (payroll deducts the applied "
                "ones).",
                states=", ".join(found),
            )
        )

    def _payroll_columns(self, with_amount):
        Penalty = "complaint.penalty"
        columns = [
            self._xlsx_column(Penalty, "employee_id", 22, "text"),
            self._xlsx_column(Penalty, "department_id", 20, "text"),
            self._xlsx_column(Penalty, "kind", 14),
            self._xlsx_column(Penalty, "points", 8),
        ]
        if with_amount:
            columns += [
                self._xlsx_column(Penalty, "deduction_amount", 14),
                self._xlsx_column(Penalty, "reward_amount", 14),
                self._xlsx_column(
                    Penalty, "amount", 14, header=self.env._("Net Deduction")
                ),
            ]
        columns += [
            self._xlsx_column(
                Penalty, "complaint_id", 16, "text", self.env._("Complaint")
            ),
            self._xlsx_column(
                "complaint.complaint", "category_id", 20, "text", self.env._("Category")
            ),
            self._xlsx_column(Penalty, "payroll_period", 10, "text"),
            self._xlsx_column(Penalty, "date_applied", 12),
            self._xlsx_column(Penalty, "state", 10),
            self._xlsx_column(Penalty, "reason", 40),
        ]
        return columns

    def _payroll_rows(self, penalties, with_amount):
        """Row dicts sorted by employee, then complaint. The category is
        shown only for complaints the user may read: an employee sees his
        penalties, not necessarily the complaints behind them."""
        names = ["employee_id", "department_id", "kind", "points", "complaint_id"]
        names += ["payroll_period", "date_applied", "state", "reason"]
        if with_amount:
            names += ["deduction_amount", "reward_amount", "net_amount"]
        values = penalties.read(names)
        Complaint = self.env["complaint.complaint"]
        readable = Complaint
        if Complaint.has_access("read"):
            complaint_ids = {row["complaint_id"][0] for row in values}
            readable = Complaint.search([("id", "in", list(complaint_ids))])
        categories = {
            row["id"]: row["category_id"] and row["category_id"][1]
            for row in readable.read(["category_id"])
        }
        rows = []
        for row in values:
            employee = row["employee_id"] and row["employee_id"][1]
            department = row["department_id"] and row["department_id"][1]
            row.update(
                employee_id=employee or department or "",
                department_id=department,
                category_id=categories.get(row["complaint_id"][0]),
                complaint_id=row["complaint_id"][1],
            )
            if with_amount:
                # The penalty's signed columns: a reward counts against the
                # deductions in the net, and fills only its own column.
                reward = row["kind"] == "reward"
                row.update(
                    amount=row.pop("net_amount"),
                    deduction_amount=None if reward else row["deduction_amount"],
                    reward_amount=row["reward_amount"] if reward else None,
                )
            rows.append(row)
        rows.sort(key=lambda row: (row["employee_id"], row["complaint_id"]))
        return rows

    def generate_xlsx_report(self, workbook, data, objs):
        penalties, period, limited = self._payroll_penalties(data, objs)
        amount_field = penalties._fields["amount"]
        with_amount = amount_field.is_accessible(self.env)
        columns = self._payroll_columns(with_amount)
        converters = [sheets.converter(column, self._xlsx_tz()) for column in columns]
        formats = self._xlsx_formats(workbook)
        sheet = workbook.add_worksheet(self.env._("Payroll Deductions"))
        if period:
            subtitle = self.env._("Payroll period %(period)s", period=period)
        else:
            labels = dict(penalties._fields["state"]._description_selection(self.env))
            state = penalties[:1].state
            subtitle = self.env._(
                "Selected penalties, %(state)s", state=labels.get(state, "")
            )
            if state and state != "applied":
                subtitle += " · " + self.env._("not applied: payroll deducts nothing")
        if not with_amount:
            subtitle += " · " + self.env._("points only: amounts are for finance")
        if limited:
            subtitle += " · " + self._xlsx_limited_note()
        row = self._xlsx_title(
            sheet, formats, self.env._("Payroll Deduction List"), subtitle
        )
        row = sheets.write_header(sheet, columns, row, formats["header"])
        sheet.freeze_panes(row, 1)
        sums = ["points"]
        if with_amount:
            sums += ["deduction_amount", "reward_amount", "amount"]
        sum_cols = {column.key: index for index, column in enumerate(columns)}
        group_start = row
        rows = self._payroll_rows(penalties, with_amount)
        for item in sheets.grouped_rows(rows, "employee_id", sums):
            if item[0] == "row":
                values = sheets.cell_values(item[1], columns, converters)
                row = sheets.write_rows(sheet, columns, [values], formats, row)
                continue
            kind, group, totals = item
            cells = {
                sum_cols[name]: (
                    totals[name],
                    "integer" if name == "points" else "money",
                )
                for name in sums
            }
            if kind == "subtotal":
                label = self.env._("Total %(employee)s", employee=group)
                row = sheets.write_total_row(
                    sheet, row, label, cells, group_start, formats
                )
                # A blank line before the next employee's rows.
                row += 1
                group_start = row
            else:
                # Values, not a formula: a SUM would count the subtotals too.
                label = self.env._("Grand Total")
                row = sheets.write_total_row(sheet, row, label, cells, row, formats)
