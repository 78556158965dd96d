"""The forms the seeds name that were missing (issue 24): the written reply
to the customer (书面答复/复函), the corrective-action notice (纠正措施通知单),
the half-year summary (半年汇总) and the annual satisfaction analysis
(客户满意度调查分析报告); and the register (投诉台账) with its content,
request, result, responsible parties, return visit, total and print set-up.

Figures are recounted in SQL, never read from the code under test; every
document is rendered as the roles that may print it and refused to the
others, and searched for the complainant and the internal findings."""

import io
import zipfile
from datetime import datetime

import openpyxl

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import ComplaintCase

REPLY = "complaint_center.complaint_report_written_reply"
ACTION_NOTICE = "complaint_center.complaint_report_action_notice"
SATISFACTION = "complaint_center.action_report_complaint_satisfaction"
STATISTICS = "complaint_center.action_report_complaint_statistics"
STATISTICS_XLSX = "complaint_center.complaint_statistics_xlsx"
REGISTER = "complaint_center.complaint_register_xlsx"
RULE_LOGGERS = ("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model")

COMPLAINANT = "Wang Xiaoming"
COMPLAINANT_PHONE = "+86 138 0000 1111"
INTERNAL_CAUSE = "Stored next to the heater."
SUPPLIER = "Sauce Supplier Ltd"
FINDINGS = "The seal of the bottles of your batch was weak; the sauce spoiled."
# Local midnights of Shanghai (the test company's time zone) as UTC.
H2_2025 = ("2025-06-30 16:00:00", "2025-12-31 16:00:00")
YEAR_2025 = ("2024-12-31 16:00:00", "2025-12-31 16:00:00")


class NewFormsCase(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["complaint.penalty.rule"].search([]).active = False
        cls.company.phone = "+86 21 5555 0100"
        cls.supplier = cls.env["res.partner"].create(
            {"name": SUPPLIER, "is_company": True, "supplier_rank": 1}
        )
        cls.worker = cls.env["hr.employee"].create(
            {
                "name": "Worker Wu",
                "user_id": cls.employee.id,
                "department_id": cls.other_department.id,
            }
        )

    # Helpers --------------------------------------------------------------
    def _report(self, user=None):
        Report = self.env["ir.actions.report"]
        if not user:
            return Report
        return Report.with_user(user).with_context(lang=user.lang)

    def _html(self, report, ids, user=None, data=None):
        html = self._report(user)._render_qweb_html(report, ids, data=data)[0]
        return html.decode() if isinstance(html, bytes) else str(html)

    def _book(self, report, ids, data=None, user=None):
        content, kind = self._report(user)._render(report, ids, data or {})
        self.assertEqual(kind, "xlsx")
        return content, openpyxl.load_workbook(io.BytesIO(content), data_only=True)

    def _resolved(self, **vals):
        """A complaint with a complainant, responsibility lines (an
        employee and a supplier), a plan, walked to resolved."""
        values = {
            "customer_request": "refund",
            "complainant_name": COMPLAINANT,
            "complainant_phone": COMPLAINANT_PHONE,
        }
        values.update(vals)
        complaint = self._complaint(**values)
        self._to_state(complaint, "investigating")
        complaint.with_user(self.handler).write(
            {"validity": "valid", "compensation_amount": 12.0}
        )
        self.env["complaint.responsibility"].create(
            [
                {
                    "complaint_id": complaint.id,
                    "party_type": "employee",
                    "employee_id": self.worker.id,
                    "share": 60.0,
                    "cause": INTERNAL_CAUSE,
                },
                {
                    "complaint_id": complaint.id,
                    "party_type": "supplier",
                    "partner_id": self.supplier.id,
                    "share": 40.0,
                    "cause": "Seal of the batch was weak.",
                },
            ]
        )
        return self._to_state(complaint, "resolved")

    def _assert_absent(self, text, *secrets):
        for secret in secrets:
            self.assertNotIn(secret, text)


@tagged("post_install", "-at_install")
class TestWrittenReply(NewFormsCase):
    def test_written_reply_tells_the_customer_the_result_only(self):
        complaint = self._resolved(date_promised_reply="2031-03-04 02:00:00")
        complaint.with_user(self.handler).reply_findings = FINDINGS
        html = self._html(REPLY, complaint.ids, user=self.handler)
        for expected in (
            complaint.name,
            "Written Reply to Your Complaint",
            "Acme Foods",  # the addressee
            FINDINGS,
            "Refund 12.",  # the plan agreed with the customer
            "Refund / Compensation",  # the remedy
            "03/04/2031 10:00",  # promised reply, customer time (Shanghai)
            "We answered you within the time we promised.",
            "+86 21 5555 0100",  # whom to contact
            "Customer Complaint Center",  # the signature
        ):
            self.assertIn(expected, html)
        # Never the internal findings, nor the complainant (the letter is
        # addressed to the customer).
        self._assert_absent(
            html, INTERNAL_CAUSE, SUPPLIER, "Worker Wu", COMPLAINANT, COMPLAINANT_PHONE
        )

    def test_written_reply_standard_findings_and_late_reply(self):
        complaint = self._complaint(date_promised_reply="2025-01-02 02:00:00")
        self._to_state(complaint, "investigating")
        complaint.with_user(self.handler).validity = "valid"
        self._to_state(complaint, "closed")
        html = self._html(REPLY, complaint.ids, user=self.manager)
        self.assertIn("found it justified", html)
        self.assertIn("later than we promised", html)
        self.assertNotIn("within the time we promised", html)

    def test_written_reply_refused_before_the_complaint_is_resolved(self):
        complaint = self._complaint()
        for state in ("new", "investigating", "approved"):
            self._to_state(complaint, state)
            with self.assertRaisesRegex(UserError, f"{complaint.name} is not resolved"):
                self._html(REPLY, complaint.ids, user=self.manager)
        rejected = self._complaint(validity="invalid", rejection_reason="Expired.")
        rejected.with_user(self.manager).action_reject()
        with self.assertRaises(UserError):
            self._html(REPLY, rejected.ids, user=self.manager)
        self.assertEqual(complaint.state, "approved")

    @mute_logger(*RULE_LOGGERS)
    def test_written_reply_refused_to_who_may_not_see_the_complainant(self):
        complaint = self._resolved()
        # Finance reads a complaint with compensation, not its complainant.
        self.assertTrue(complaint.with_user(self.finance).has_access("read"))
        with self.assertRaisesRegex(AccessError, "complainant"):
            self._html(REPLY, complaint.ids, user=self.finance)
        # Whoever may not read the complaint prints nothing of it.
        with self.assertRaises(AccessError):
            self._html(REPLY, complaint.ids, user=self.user2)

    @mute_logger(*RULE_LOGGERS)
    def test_reply_findings_written_only_while_the_complaint_is_handled(self):
        complaint = self._resolved()
        complaint.with_user(self.handler).reply_findings = FINDINGS
        # Attack: a clerk who may not write the complaint.
        with self.assertRaises(AccessError):
            complaint.with_user(self.user2).write({"reply_findings": "Rewritten."})
        self._to_state(complaint, "closed")
        # Attack: the handler rewrites what the customer was told, after the
        # complaint is closed; nothing changes.
        with self.assertRaisesRegex(UserError, "can no longer be changed"):
            complaint.with_user(self.handler).write({"reply_findings": "Rewritten."})
        complaint.invalidate_recordset()
        self.assertEqual(complaint.sudo().reply_findings, FINDINGS)

    def test_written_reply_printed_from_the_form_where_it_fits(self):
        bound = (
            self.env["ir.actions.report"]
            .with_user(self.manager)
            .get_bindings("complaint.complaint")
            .get("report", [])
        )
        self.assertNotIn(self.env.ref(REPLY).id, {action["id"] for action in bound})
        form = self._arch(self.manager, "form")
        button = form.xpath("//header/button[@name='action_print_written_reply']")
        self.assertEqual(
            button[0].get("invisible"), "state not in ('resolved', 'closed')"
        )
        complaint = self._resolved()
        action = complaint.with_user(self.manager).action_print_written_reply()
        self.assertEqual(action["report_name"], self.env.ref(REPLY).report_name)

    def test_written_reply_in_the_customers_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["complaint_center"], ["zh_CN"], overwrite=True
        )
        self.customer.lang = "zh_CN"
        complaint = self._resolved()
        html = self._html(REPLY, complaint.ids, user=self.handler)
        self.assertIn('data-oe-lang="zh_CN"', html)
        for label in ("投诉书面答复", "调查结论", "处理结果及补救措施", "投诉中心"):
            self.assertIn(label, html)


@tagged("post_install", "-at_install")
class TestCorrectiveActionNotice(NewFormsCase):
    def _action(self, complaint, **vals):
        values = {
            "complaint_id": complaint.id,
            "name": "Move the sauces away from the heater",
            "description": f"Shelf plan agreed with {COMPLAINANT}.",
            "user_id": self.employee.id,
            "date_deadline": "2031-01-31",
        }
        values.update(vals)
        return self.env["complaint.action"].with_user(self.handler).create(values)

    def test_notice_to_the_responsible_department(self):
        complaint = self._complaint(
            complainant_name=COMPLAINANT, department_id=self.department.id
        )
        self._to_state(complaint, "investigating")
        complaint.with_user(self.handler).write(
            {"no_standard": True, "report_cause": "Heat in the storage room."}
        )
        action = self._action(complaint)
        html = self._html(ACTION_NOTICE, action.ids, user=self.manager)
        for expected in (
            "Corrective Action Notice",
            complaint.name,
            "Quality",  # the responsible department
            "Heat in the storage room.",  # the nonconformity
            "Move the sauces away from the heater",
            self.employee.name,  # owner
            "01/31/2031",  # deadline
            "Verification",
        ):
            self.assertIn(expected, html)
        # Never the customer.
        self._assert_absent(html, "Acme Foods")
        self.assertIn(COMPLAINANT, html)  # the manager may see him
        # Verified: who and when.
        action.with_user(self.employee).action_done()
        action.with_user(self.manager).action_verify()
        html = self._html(ACTION_NOTICE, action.ids, user=self.manager)
        self.assertIn(self.manager.name, html)

    @mute_logger(*RULE_LOGGERS)
    def test_owner_who_may_not_read_the_complaint_gets_facts_not_the_complainant(self):
        complaint = self._complaint(
            complainant_name=COMPLAINANT, department_id=self.department.id
        )
        self._to_state(complaint, "investigating")
        complaint.with_user(self.handler).write(
            {
                "no_standard": True,
                "report_cause": f"{COMPLAINANT} stored it next to the heater.",
            }
        )
        # Its owner, a clerk, reads the action but not the complaint.
        action = self._action(complaint, user_id=self.user2.id)
        self.assertFalse(complaint.with_user(self.user2).has_access("read"))
        html = self._html(ACTION_NOTICE, action.ids, user=self.user2)
        self.assertIn(complaint.name, html)
        self.assertIn("stored it next to the heater.", html)
        self.assertIn("Move the sauces away from the heater", html)
        self._assert_absent(html, COMPLAINANT, "Acme Foods")
        # Whoever may read neither prints nothing.
        with self.assertRaises(AccessError):
            self._html(ACTION_NOTICE, action.ids, user=self.user)

    def test_notice_in_the_print_menu_of_actions(self):
        bound = (
            self.env["ir.actions.report"]
            .with_user(self.manager)
            .get_bindings("complaint.action")
            .get("report", [])
        )
        self.assertIn(
            self.env.ref(ACTION_NOTICE).id, {action["id"] for action in bound}
        )


@tagged("post_install", "-at_install")
class TestHalfYearAndSatisfaction(NewFormsCase):
    def _received(self, when, **vals):
        return self._complaint(date_received=when, **vals)

    def _sql_count(self, start, stop, extra="", params=()):
        self.env.flush_all()
        self.env.cr.execute(
            f"""SELECT count(*) FROM complaint_complaint
                 WHERE company_id = %s AND date_received >= %s
                   AND date_received < %s {extra}""",
            (self.company.id, start, stop, *params),
        )
        return self.env.cr.fetchone()[0]

    # Half-year ------------------------------------------------------------
    def test_half_year_figures_recount_and_months(self):
        inside = [
            "2025-06-30 16:30:00",  # 1 July 00:30 in Shanghai
            "2025-08-10 02:00:00",
            "2025-08-11 02:00:00",
            "2025-12-31 15:00:00",  # 31 December 23:00 in Shanghai
        ]
        outside = ["2025-06-30 15:00:00", "2025-12-31 16:30:00"]
        for when in inside + outside:
            self._received(when)
        wizard = (
            self.env["complaint.statistics.wizard"]
            .with_user(self.manager)
            .create({"period_kind": "half", "year": 2025, "half": 2})
        )
        self.assertEqual(wizard.period_label, "2025 H2")
        period = wizard._period()
        figures = (
            self.env["complaint.statistics"]
            .with_user(self.manager)
            ._figures(self.company, period)
        )
        self.assertEqual(figures["total"], self._sql_count(*H2_2025))
        self.assertGreaterEqual(figures["total"], 4)
        self.assertEqual(figures["previous"]["period"]["label"], "2025 H1")
        self.assertEqual(
            figures["previous"]["total"],
            self._sql_count("2024-12-31 16:00:00", H2_2025[0]),
        )
        labels = [month["period"]["label"] for month in figures["months"]]
        self.assertEqual(
            labels,
            ["2025-07", "2025-08", "2025-09", "2025-10", "2025-11", "2025-12"],
        )
        bounds = [
            "2025-06-30 16:00:00",
            "2025-07-31 16:00:00",
            "2025-08-31 16:00:00",
            "2025-09-30 16:00:00",
            "2025-10-31 16:00:00",
            "2025-11-30 16:00:00",
            "2025-12-31 16:00:00",
        ]
        self.assertEqual(
            [month["total"] for month in figures["months"]],
            [self._sql_count(a, b) for a, b in zip(bounds, bounds[1:], strict=False)],
        )
        html = self._html(STATISTICS, wizard.ids, user=self.manager)
        for expected in (
            "Half-Year Complaint Summary Report",
            "Months of the Half-Year",
        ):
            self.assertIn(expected, html)
        for label in labels:
            self.assertIn(label, html)
        _content, book = self._book(STATISTICS_XLSX, wizard.ids, user=self.manager)
        months = book["Months"]
        self.assertEqual(months["A1"].value, "Months of the Half-Year")
        rows = [row for row in months.iter_rows(min_row=5, values_only=True) if row[0]]
        self.assertEqual([row[0] for row in rows], labels)
        self.assertEqual(
            [row[1] for row in rows], [m["total"] for m in figures["months"]]
        )

    def test_half_year_input_checked(self):
        Wizard = self.env["complaint.statistics.wizard"].with_user(self.manager)
        with self.assertRaises(ValidationError):
            Wizard.create({"period_kind": "half", "year": 2025, "half": 3})
        with self.assertRaisesRegex(UserError, "half-year must be 1 or 2"):
            self.env["complaint.statistics"]._period("half", 2025, 0)
        # Not begun yet: refused.
        with self.assertRaises(ValidationError):
            Wizard.create({"period_kind": "half", "year": 2099, "half": 1})
        # Not for sales users.
        with self.assertRaises(AccessError):
            self.env["complaint.statistics.wizard"].with_user(self.user).create(
                {"period_kind": "half", "year": 2025, "half": 2}
            )

    # Satisfaction analysis --------------------------------------------------
    def _answered(self, satisfaction, when, **vals):
        complaint = self._complaint(**vals)
        # Fixture set-up: the answer as a visit would record it.
        complaint.sudo().write({"satisfaction": satisfaction, "date_feedback": when})
        return complaint

    def _sql_answers(self, extra="", params=()):
        self.env.flush_all()
        self.env.cr.execute(
            f"""SELECT satisfaction, count(*) FROM complaint_complaint c
                 WHERE company_id = %s AND satisfaction IS NOT NULL
                   AND date_feedback >= %s AND date_feedback < %s {extra}
                 GROUP BY satisfaction""",
            (self.company.id, *YEAR_2025, *params),
        )
        return dict(self.env.cr.fetchall())

    def _analysis_fixture(self):
        other_category = self.env["complaint.category"].create(
            {"name": "Delivery T", "code": "DT"}
        )
        self._answered("very_satisfied", "2025-01-05 02:00:00")
        self._answered("satisfied", "2025-03-05 02:00:00")
        self._answered("satisfied", "2025-03-06 02:00:00", compensation_amount=5.0)
        worst = self._answered(
            "unsatisfied",
            "2025-11-20 02:00:00",
            category_id=other_category.id,
            complainant_name=COMPLAINANT,
        )
        neutral = self._answered(
            "neutral", "2025-11-21 02:00:00", category_id=other_category.id
        )
        # Another year's answers do not count.
        self._answered("unsatisfied", "2024-12-31 15:00:00")
        self._answered("unsatisfied", "2025-12-31 16:30:00")
        return other_category, worst, neutral

    def test_satisfaction_analysis_recounts(self):
        other_category, worst, neutral = self._analysis_fixture()
        figures = (
            self.env["complaint.satisfaction"]
            .with_user(self.manager)
            ._analysis(self.company, 2025)
        )
        answers = self._sql_answers()
        total = sum(answers.values())
        happy = answers.get("satisfied", 0) + answers.get("very_satisfied", 0)
        self.assertGreaterEqual(total, 5)
        self.assertEqual(figures["responses"], total)
        self.assertEqual(figures["satisfied"], happy)
        self.assertAlmostEqual(figures["satisfied_rate"], happy / total)
        self.assertEqual(
            {row["key"]: row["count"] for row in figures["distribution"]},
            {
                key: answers.get(key, 0)
                for key in ("very_satisfied", "satisfied", "neutral", "unsatisfied")
            },
        )
        by_category = {row["label"]: row for row in figures["by_category"]}
        delivery = self._sql_answers("AND category_id = %s", (other_category.id,))
        self.assertEqual(by_category["Delivery T"]["responses"], sum(delivery.values()))
        self.assertEqual(by_category["Delivery T"]["satisfied"], 0)
        november = self._sql_answers(
            "AND date_feedback >= %s AND date_feedback < %s",
            ("2025-10-31 16:00:00", "2025-11-30 16:00:00"),
        )
        self.assertEqual(figures["months"][10]["responses"], sum(november.values()))
        self.assertEqual(figures["months"][10]["label"], "2025-11")
        # The unhappiest first.
        self.assertEqual(figures["lowest"][0], worst)
        self.assertIn(neutral, figures["lowest"])
        self.assertFalse(figures["limited"])

    @mute_logger(*RULE_LOGGERS)
    def test_satisfaction_analysis_report_roles(self):
        _other, worst, _neutral = self._analysis_fixture()
        wizard = (
            self.env["complaint.satisfaction.wizard"]
            .with_user(self.manager)
            .create({"year": 2025})
        )
        html = self._html(SATISFACTION, wizard.ids, user=self.manager)
        for expected in (
            "Annual Customer Satisfaction Analysis",
            "Distribution of Answers",
            "By Category",
            "By Handling Department",
            "Trend by Month",
            "Lowest-Rated Cases",
            worst.name,
            "Delivery T",
        ):
            self.assertIn(expected, html)
        # Cases by reference, never by customer or complainant.
        self._assert_absent(html, "Acme Foods", COMPLAINANT)
        # Finance: the complaints its rules show (compensation), and says so.
        figures = (
            self.env["complaint.satisfaction"]
            .with_user(self.finance)
            ._analysis(self.company, 2025)
        )
        shown = self._sql_answers(
            "AND (compensation_amount > 0 OR EXISTS (SELECT 1 FROM "
            "complaint_penalty p WHERE p.complaint_id = c.id))"
        )
        self.assertEqual(figures["responses"], sum(shown.values()))
        self.assertTrue(figures["limited"])
        finance_wizard = (
            self.env["complaint.satisfaction.wizard"]
            .with_user(self.finance)
            .create({"year": 2025})
        )
        html = self._html(SATISFACTION, finance_wizard.ids, user=self.finance)
        self.assertIn("Limited to the complaints you may see", html)
        # Sales users and handlers print no analysis.
        for user in (self.user, self.handler):
            with self.assertRaises(AccessError):
                self.env["complaint.satisfaction.wizard"].with_user(user).create(
                    {"year": 2025}
                )
            with self.assertRaises(AccessError):
                self.env[
                    "report.complaint_center.report_complaint_satisfaction"
                ].with_user(user)._get_report_values(wizard.ids)
        # Another company's analysis is refused, not printed empty.
        other = self.env["res.company"].create({"name": "Other Company T"})
        with self.assertRaises(AccessError):
            self.env["complaint.satisfaction"].with_user(self.manager)._analysis(
                other, 2025
            )

    def test_satisfaction_year_checked(self):
        Wizard = self.env["complaint.satisfaction.wizard"].with_user(self.manager)
        for year in (1999, 2099):
            with self.assertRaises(ValidationError):
                Wizard.create({"year": year})


@tagged("post_install", "-at_install")
class TestRegisterColumns(NewFormsCase):
    def _rows(self, book):
        sheet = book.worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
        start = next(i for i, row in enumerate(rows) if row[0] == "Reference")
        header = rows[start]
        body, rest = [], []
        for index, row in enumerate(rows[start + 1 :]):
            if all(value is None for value in row):
                rest = rows[start + 2 + index :]
                break
            body.append(dict(zip(header, row, strict=True)))
        return header, body, rest

    def test_register_columns_total_and_order(self):
        # Received in this order: the register lists them oldest first, in
        # reference order, whatever the order of the selection.
        first = self._resolved(
            date_received=datetime(2025, 9, 3, 2, 0),
            description=f"<p>Sauce &amp; vinegar spoiled, says {COMPLAINANT}.</p>",
            compensation_amount=0.0,
        )
        self.env["complaint.visit"].with_user(self.handler).create(
            {
                "complaint_id": first.id,
                "method": "phone",
                "result": "Happy with the refund.",
                "satisfaction": "satisfied",
            }
        )
        second = self._complaint(
            date_received=datetime(2025, 10, 3, 2, 0), customer_request="exchange"
        )
        third = self._complaint(date_received=datetime(2025, 10, 4, 2, 0))
        third.sudo().compensation_amount = 7.25
        selection = third | first | second
        _content, book = self._book(REGISTER, selection.ids, user=self.manager)
        header, rows, rest = self._rows(book)
        for column in (
            "Description",
            "Customer Request",
            "Resolution Plan",
            "Responsible Parties (Share)",
            "Last Return Visit",
            "Satisfaction at the Visit",
        ):
            self.assertIn(column, header)
        self.assertEqual(
            [row["Reference"] for row in rows], sorted(selection.mapped("name"))
        )
        self.assertEqual(
            [row["Reference"] for row in rows], [first.name, second.name, third.name]
        )
        row = rows[0]
        self.assertEqual(
            row["Description"], f"Sauce & vinegar spoiled, says {COMPLAINANT}."
        )
        self.assertEqual(row["Customer Request"], "Refund / Compensation")
        self.assertEqual(rows[1]["Customer Request"], "Exchange")
        self.assertEqual(row["Resolution Plan"], "Refund 12.")
        self.assertEqual(
            row["Responsible Parties (Share)"], f"Worker Wu 60 %; {SUPPLIER} 40 %"
        )
        self.assertEqual(row["Satisfaction at the Visit"], "Satisfied")
        visit = first.visit_ids[:1]
        self.assertIsInstance(row["Last Return Visit"], datetime)
        self.assertAlmostEqual(
            (row["Last Return Visit"] - visit.date).total_seconds(), 0, delta=1
        )
        self.assertIsNone(rows[1]["Last Return Visit"])
        # The total, after one empty line: the count and the compensation.
        total = next(line for line in rest if line[0])
        self.assertEqual(total[0], "Total: 3 complaints")
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT sum(compensation_amount) FROM complaint_complaint WHERE id IN %s",
            (tuple(selection.ids),),
        )
        expected = self.env.cr.fetchone()[0]
        self.assertAlmostEqual(
            total[header.index("Compensation Amount")], float(expected)
        )

    def test_register_print_setup(self):
        complaint = self._complaint()
        content, book = self._book(REGISTER, complaint.ids, user=self.manager)
        sheet = book.worksheets[0]
        self.assertEqual(sheet.page_setup.orientation, "landscape")
        self.assertEqual(str(sheet.page_setup.paperSize), "9")  # A4
        self.assertTrue(sheet.sheet_properties.pageSetUpPr.fitToPage)
        self.assertEqual(str(sheet.page_setup.fitToHeight), "0")  # any height
        self.assertIn(str(sheet.page_setup.fitToWidth or 1), ("1",))
        # The header row (5) repeated on every page, panes frozen below it.
        self.assertEqual(sheet.print_title_rows, "$5:$5")
        self.assertEqual(sheet.freeze_panes, "B6")
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            xml = archive.read("xl/worksheets/sheet1.xml").decode()
        self.assertIn("&amp;P", xml)  # page numbers in the footer

    @mute_logger(*RULE_LOGGERS)
    def test_register_redacts_the_complainant_for_who_may_not_see_him(self):
        complaint = self._resolved(
            description=f"<p>Spoiled, says {COMPLAINANT}.</p>",
            resolution_type="refund",
        )
        _content, book = self._book(REGISTER, complaint.ids, user=self.finance)
        header, rows, _rest = self._rows(book)
        self.assertEqual(rows[0]["Description"], "Spoiled, says […].")
        text = "\n".join(
            str(value)
            for row in book.worksheets[0].iter_rows(values_only=True)
            for value in row
            if value is not None
        )
        self._assert_absent(text, COMPLAINANT, COMPLAINANT_PHONE)


@tagged("post_install", "-at_install")
class TestNewFormsFromDemo(ComplaintCase):
    """Every new report prints from the demo of both companies, as their
    demo managers."""

    def _demo(self, xmlid):
        record = self.env.ref(f"complaint_center.{xmlid}", raise_if_not_found=False)
        if not record:
            self.skipTest("no demo data")
        return record

    def test_new_reports_print_from_the_demo_of_both_companies(self):
        cases = [
            (
                "user_complaint_manager_demo",
                "complaint_demo_closed_chair_collapse",
                "complaint_action_demo_chair_welds",
            ),
            (
                "user_cn_manager_demo",
                "complaint_cn_demo_closed_lobby_sofa",
                "complaint_action_cn_demo_install_signoff",
            ),
        ]
        for user_xmlid, complaint_xmlid, action_xmlid in cases:
            user = self._demo(user_xmlid)
            complaint = self._demo(complaint_xmlid)
            action = self._demo(action_xmlid)
            Report = self.env["ir.actions.report"].with_user(user)
            with self.subTest(user=user.login):
                html = Report._render_qweb_html(REPLY, complaint.ids)[0].decode()
                self.assertIn(complaint.name, html)
                html = Report._render_qweb_html(ACTION_NOTICE, action.ids)[0].decode()
                self.assertIn(action.name, html)
                # The handling report's cause analysis is the nonconformity
                # (the demo writes one); else the causes found.
                sudo = complaint.sudo()
                causes = (
                    [sudo.report_cause]
                    if (sudo.report_cause or "").strip()
                    else (sudo.responsibility_ids.mapped("cause"))
                )
                self.assertTrue(causes)
                for cause in causes:
                    self.assertIn(cause.strip().splitlines()[0], html)
                year = complaint.date_feedback.year
                wizard = (
                    self.env["complaint.satisfaction.wizard"]
                    .with_user(user)
                    .create({"company_id": complaint.company_id.id, "year": year})
                )
                html = Report._render_qweb_html(SATISFACTION, wizard.ids)[0].decode()
                self.assertIn(complaint.company_id.name, html)
                half = (complaint.date_received.month - 1) // 6 + 1
                stats = (
                    self.env["complaint.statistics.wizard"]
                    .with_user(user)
                    .create(
                        {
                            "company_id": complaint.company_id.id,
                            "period_kind": "half",
                            "year": complaint.date_received.year,
                            "half": half,
                        }
                    )
                )
                html = Report._render_qweb_html(STATISTICS, stats.ids)[0].decode()
                self.assertIn(f"H{half}", html)
                content, kind = Report._render(REGISTER, complaint.ids, {})
                self.assertEqual(kind, "xlsx")


@tagged("post_install", "-at_install")
class TestNewFormsPdf(NewFormsCase, HttpCase):
    """The new PDFs render through wkhtmltopdf (the other tests render
    their HTML). An HttpCase: wkhtmltopdf loads the report assets from the
    test server."""

    def test_new_pdfs_render(self):
        complaint = self._resolved()
        action = (
            self.env["complaint.action"]
            .with_user(self.handler)
            .create(
                {
                    "complaint_id": complaint.id,
                    "name": "Check the seals",
                    "user_id": self.employee.id,
                    "date_deadline": "2031-01-31",
                }
            )
        )
        wizard = (
            self.env["complaint.satisfaction.wizard"]
            .with_user(self.manager)
            .create({"year": 2025})
        )
        for report, records, user in (
            (REPLY, complaint, self.handler),
            (ACTION_NOTICE, action, self.manager),
            (SATISFACTION, wizard, self.manager),
        ):
            content, kind = (
                self._report(user)
                .with_context(force_report_rendering=True)
                ._render_qweb_pdf(report, records.ids)
            )
            self.assertEqual(kind, "pdf")
            self.assertTrue(content.startswith(b"%PDF"))
