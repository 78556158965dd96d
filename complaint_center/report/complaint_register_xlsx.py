"""The complaint register (投诉台账) as XLSX: the selected complaints, or
every complaint received in a period (from the register wizard).

Listed in register order, the order of the references (oldest first),
each row with the complaint's content, the customer's request, the result,
the parties held responsible with their shares and the last return visit,
then a total row; printed landscape on A4, fitted to the page width, the
header row repeated on every page.

Built for 100,000 rows: ids are searched once, rows are read per chunk of
stored fields only (the responsibility lines and visits of a chunk in one
search each) and streamed through xlsxwriter's ``constant_memory`` mode. No
complainant contact is ever written (保密), and whoever may not see the
complainant of a complaint gets its customer's company only (the customer
contact is often the complainant himself) and its free texts redacted, as
on the printed forms.
"""

from datetime import timedelta

from odoo import fields, models
from odoo.exceptions import UserError

from ..core import sheets
from ..models.complaint_complaint import REDACTED

# Register order: the references' (year, month, serial), oldest first.
REGISTER_ORDER = "company_id, name, id"
# (field, width, kind or None for the field's own) in column order.
REGISTER_COLUMNS = [
    ("name", 16, None),
    ("date_received", 17, None),
    ("channel", 14, None),
    ("partner_id", 28, None),
    ("sale_order_id", 12, None),
    # The product details of the register (001 篇八).
    ("lot_name", 16, None),
    ("defective_qty", 10, None),
    ("date_delivered", 12, None),
    ("category_id", 20, None),
    ("severity", 10, None),
    ("description", 45, "text"),
    ("customer_request", 16, None),
    ("state", 14, None),
    ("validity", 12, None),
    ("user_id", 16, None),
    ("department_id", 18, None),
    ("date_ack_deadline", 17, None),
    ("date_acknowledged", 17, None),
    ("ack_on_time", 10, None),
    ("date_resolve_deadline", 17, None),
    ("date_resolved", 17, None),
    ("resolve_on_time", 10, None),
    ("date_site_deadline", 17, None),
    ("date_site_visit", 17, None),
    ("date_closed", 17, None),
    ("resolution_type", 16, None),
    ("resolution", 45, "text"),
    ("responsible_parties", 30, "text"),
    ("compensation_amount", 12, None),
    ("satisfaction", 12, None),
    ("visit_date", 17, "datetime"),
    ("visit_satisfaction", 12, "selection"),
    ("is_repeat", 8, None),
    ("escalation_level", 8, None),
]
# Columns that are not fields of the complaint: computed per chunk.
EXTRA_COLUMNS = ("responsible_parties", "visit_date", "visit_satisfaction")
# HTML fields: written as their plain text.
HTML_COLUMNS = ("description", "resolution")
# The compensation is totalled on the total row.
TOTAL_COLUMNS = ("compensation_amount",)
# On-time marks mean something only once the step was taken: blank before.
ON_TIME_STEPS = {
    "ack_on_time": "date_acknowledged",
    "resolve_on_time": "date_resolved",
}


class ComplaintRegisterXlsx(models.AbstractModel):
    _name = "report.complaint_center.complaint_register_xlsx"
    _inherit = "complaint.xlsx.report"
    _description = "Complaint Register XLSX"

    def get_workbook_options(self):
        # Rows go to disk as they are written: memory stays flat.
        return {"constant_memory": True}

    def _register_complaints(self, data, objs):
        """The complaints to list, searched as the user (record rules
        apply): the wizard's period criteria, else the selected ids."""
        Complaint = self.env["complaint.complaint"].with_context(active_test=False)
        criteria = (data or {}).get("criteria")
        if criteria:
            domain = self._register_domain(criteria)
            complaints = Complaint.search(domain, order=REGISTER_ORDER)
            limited = self._xlsx_is_limited(Complaint, domain, complaints)
            return complaints, dict(criteria, limited=limited)
        if objs._name != Complaint._name:
            raise UserError(self.env._("Select the complaints to list."))
        return Complaint.search([("id", "in", objs.ids)], order=REGISTER_ORDER), None

    def _register_domain(self, criteria):
        """The period domain of the wizard's criteria: received between the
        two dates (inclusive), in the company's time zone as the statistics
        count them. Only plain values are taken from ``criteria``."""
        try:
            date_from = fields.Date.to_date(criteria["date_from"])
            date_to = fields.Date.to_date(criteria["date_to"])
            company = self.env["res.company"].browse(int(criteria["company_id"]))
            department_id = int(criteria.get("department_id") or 0)
        except (KeyError, TypeError, ValueError) as error:
            raise UserError(self.env._("The register criteria are invalid.")) from error
        self._xlsx_check_company(company)
        tz = company._complaint_tz()
        start, end = sheets.utc_bounds(date_from, date_to, tz)
        domain = [
            ("company_id", "=", company.id),
            ("date_received", ">=", start),
            ("date_received", "<", end),
        ]
        if department_id:
            # A department's register holds its sub-departments' complaints.
            domain.append(("department_id", "child_of", department_id))
        return domain

    def _register_subtitle(self, criteria, count):
        if not criteria:
            # One message per number: "1 selected complaints" read wrong.
            if count == 1:
                return self.env._("1 selected complaint")
            return self.env._("%(count)s selected complaints", count=count)
        company = self.env["res.company"].browse(int(criteria["company_id"]))
        department = self.env["hr.department"].browse(
            int(criteria.get("department_id") or 0)
        )
        values = {
            "company": company.name,
            "department": (" / " + department.name) if department else "",
            "date_from": criteria["date_from"],
            "date_to": criteria["date_to"],
            "count": count,
        }
        if count == 1:
            subtitle = self.env._(
                "%(company)s%(department)s, received %(date_from)s to "
                "%(date_to)s: 1 complaint",
                **values,
            )
        else:
            subtitle = self.env._(
                "%(company)s%(department)s, received %(date_from)s to %(date_to)s: "
                "%(count)s complaints",
                **values,
            )
        date_from = fields.Date.to_date(criteria["date_from"])
        if date_from.weekday() == 0 and fields.Date.to_date(
            criteria["date_to"]
        ) == date_from + timedelta(days=6):
            # A week from Monday to Sunday (the weekly register): named.
            year, week, _day = date_from.isocalendar()
            subtitle += " · " + self.env._(
                "week %(week)s of %(year)s", week=week, year=year
            )
        if criteria.get("limited"):
            subtitle += " · " + self._xlsx_limited_note()
        return subtitle

    def _register_hidden_customers(self, complaints):
        """``{complaint id: customer as listed}`` for the complaints whose
        complainant the user may not see: the customer's company, or
        "Confidential" when the customer is a person (the complainant
        himself). One search for the readers, whatever the row count."""
        if self.env.su or not complaints:
            return {}
        Complaint = self.env["complaint.complaint"].with_context(active_test=False)
        readers = Complaint.sudo().search(
            [("id", "in", complaints.ids)] + Complaint._complainant_domain()
        )
        hidden = complaints - readers.with_env(complaints.env)
        confidential = self.env._("Confidential")
        result = {}
        for rec in hidden:
            company = rec.partner_id.commercial_partner_id
            result[rec.id] = company.name if company.is_company else confidential
        return result

    def _register_columns(self):
        _ = self.env._
        headers = {
            "responsible_parties": _("Responsible Parties (Share)"),
            "visit_date": _("Last Return Visit"),
            "visit_satisfaction": _("Satisfaction at the Visit"),
        }
        labels = dict(
            self.env["complaint.visit"]
            ._fields["satisfaction"]
            ._description_selection(self.env)
        )
        return [
            sheets.Column(
                name,
                headers[name],
                width,
                kind,
                labels if kind == "selection" else None,
            )
            if name in EXTRA_COLUMNS
            else self._xlsx_column("complaint.complaint", name, width, kind)
            for name, width, kind in REGISTER_COLUMNS
        ]

    def _register_parties(self, complaint_ids):
        """``{complaint id: "party share %; ..."}``: the responsibility lines
        the user may read, primary first, in one search."""
        lines = self.env["complaint.responsibility"].search_fetch(
            [("complaint_id", "in", complaint_ids)],
            ["complaint_id", "employee_id", "department_id", "partner_id", "share"],
            order="is_primary desc, share desc, id",
        )
        parties = {}
        for line in lines:
            name = (
                line.employee_id.name
                or line.department_id.name
                or line.partner_id.commercial_partner_id.display_name
                or ""
            )
            parties.setdefault(line.complaint_id.id, []).append(
                f"{name} {line.share:g} %"
            )
        return {key: "; ".join(items) for key, items in parties.items()}

    def _register_visits(self, complaint_ids):
        """``{complaint id: (date, satisfaction)}`` of the last return visit
        the user may read, in one search."""
        visits = self.env["complaint.visit"].search_fetch(
            [("complaint_id", "in", complaint_ids)],
            ["complaint_id", "date", "satisfaction"],
            order="date desc, id desc",
        )
        last = {}
        for visit in visits:
            last.setdefault(visit.complaint_id.id, (visit.date, visit.satisfaction))
        return last

    def _register_extras(self, chunk, hidden):
        """The chunk's HTML texts as plain text, its computed columns, and
        for the complaints whose complainant the user may not see their free
        texts redacted (``hidden``: their ids)."""
        ids = chunk["id"]
        for name in HTML_COLUMNS:
            chunk[name] = [sheets.html_text(value) for value in chunk[name]]
        parties = self._register_parties(ids)
        visits = self._register_visits(ids)
        chunk["responsible_parties"] = [parties.get(rec_id) for rec_id in ids]
        chunk["visit_date"] = [visits.get(rec_id, (False,))[0] for rec_id in ids]
        chunk["visit_satisfaction"] = [
            visits.get(rec_id, (False, False))[1] for rec_id in ids
        ]
        # Hidden complaints: what identifies their complainant is read for
        # the chunk's hidden ones at once (prefetched), then replaced as
        # _redact_complainant replaces it in plain text.
        redacted = {
            index: rec_id for index, rec_id in enumerate(ids) if rec_id in hidden
        }
        complaints = self.env["complaint.complaint"].browse(redacted.values())
        identifiers = {rec.id: rec._complainant_identifiers() for rec in complaints}
        for index, rec_id in redacted.items():
            for name in (*HTML_COLUMNS, "responsible_parties"):
                text = chunk[name][index]
                for value in identifiers[rec_id] if text else ():
                    text = text.replace(value, REDACTED)
                chunk[name][index] = text

    def _register_print_setup(self, sheet, header_row):
        """Landscape A4, fitted to the page width, the header row repeated
        on every page and the page number in the footer."""
        sheet.set_landscape()
        sheet.set_paper(9)
        sheet.fit_to_pages(1, 0)
        sheet.repeat_rows(header_row)
        sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        sheet.set_footer(
            "&L&A&R" + self.env._("Page %(page)s of %(pages)s", page="&P", pages="&N")
        )

    def generate_xlsx_report(self, workbook, data, objs):
        complaints, criteria = self._register_complaints(data, objs)
        columns = self._register_columns()
        tz = self._xlsx_tz()
        converters = [sheets.converter(column, tz) for column in columns]
        formats = self._xlsx_formats(workbook)
        sheet = workbook.add_worksheet(self.env._("Complaint Register"))
        row = self._xlsx_title(
            sheet,
            formats,
            self.env._("Complaint Register"),
            self._register_subtitle(criteria, len(complaints)),
        )
        header_row = row
        row = sheets.write_header(sheet, columns, row, formats["header"])
        sheet.freeze_panes(row, 1)
        self._register_print_setup(sheet, header_row)
        first_row = row
        field_names = [
            column.key for column in columns if column.key not in EXTRA_COLUMNS
        ]
        hidden = self._register_hidden_customers(complaints)
        totals = dict.fromkeys(TOTAL_COLUMNS, 0.0)
        for chunk in self._xlsx_read(complaints, field_names):
            chunk["partner_id"] = [
                (0, hidden[rec_id]) if rec_id in hidden else partner
                for rec_id, partner in zip(
                    chunk["id"], chunk["partner_id"], strict=True
                )
            ]
            for mark, step in ON_TIME_STEPS.items():
                chunk[mark] = [
                    on_time if reached else None
                    for on_time, reached in zip(chunk[mark], chunk[step], strict=True)
                ]
            self._register_extras(chunk, hidden)
            for name in TOTAL_COLUMNS:
                totals[name] += sum(value or 0.0 for value in chunk[name])
            rows = sheets.rows_from_columns(chunk, columns, converters)
            row = sheets.write_rows(sheet, columns, rows, formats, row)
        last_row = row - 1
        sheet.autofilter(header_row, 0, max(last_row, header_row), len(columns) - 1)
        # One empty line, then the total: the count and the compensation.
        keys = [column.key for column in columns]
        sums = {keys.index(name): (totals[name], "money") for name in TOTAL_COLUMNS}
        total_label = self.env._("Total: %(count)s complaints", count=len(complaints))
        sheets.write_total_row(sheet, row + 1, total_label, sums, first_row, formats)
