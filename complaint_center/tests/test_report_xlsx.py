"""XLSX exports (投诉台账, 扣款清单, 月投诉统计表) read back with openpyxl: their
numbers match the ORM as the printing user, rules hide what they hide, and
the complainant appears nowhere (保密)."""

import io
from datetime import date, datetime

import openpyxl
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import GROUPS, ComplaintCase, make_user

REGISTER = "complaint_center.complaint_register_xlsx"
PAYROLL = "complaint_center.complaint_payroll_xlsx"
STATISTICS = "complaint_center.complaint_statistics_xlsx"
SECRET = {
    "complainant_name": "Mrs Zhou Secret",
    "complainant_phone": "139 1234 5678",
    "complainant_email": "zhou.secret@example.com",
    "complainant_address": "12 Secret Lane, Pudong",
}
SECRET_BITS = ["Zhou Secret", "1234 5678", "zhou.secret", "Secret Lane"]


@tagged("post_install", "-at_install")
class TestReportXlsx(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["complaint.penalty.rule"].search([]).active = False
        cls.category_zh = cls.env["complaint.category"].create(
            {"name": "食品质量问题", "code": "ZH"}
        )
        # A handler complained about: recused from his complaints.
        cls.accused = make_user(
            cls.env,
            login="cc_x_accused",
            groups=f"{GROUPS}handler,sales_team.group_sale_salesman",
        )
        cls.accused_employee = cls.env["hr.employee"].create(
            {
                "name": "Accused Agent",
                "user_id": cls.accused.id,
                "department_id": cls.department.id,
            }
        )
        cls.worker = cls.env["hr.employee"].create(
            {
                "name": "Worker Wang",
                "user_id": cls.employee.id,
                "department_id": cls.department.id,
            }
        )
        cls.worker2 = cls.env["hr.employee"].create(
            {"name": "Worker Zhao", "department_id": cls.other_department.id}
        )

    # Helpers --------------------------------------------------------------
    def _book(self, report, ids, data=None, user=None, lang=None):
        Report = self.env["ir.actions.report"]
        if user:
            Report = Report.with_user(user)
        if lang:
            Report = Report.with_context(lang=lang)
        content, kind = Report._render(report, ids, data or {})
        self.assertEqual(kind, "xlsx")
        return openpyxl.load_workbook(io.BytesIO(content), data_only=True)

    def _table(self, sheet, first_header, through_blanks=False):
        """(header, rows) of the table whose header starts with
        ``first_header``; rows stop at the first empty line unless
        ``through_blanks``, which skips empty lines instead."""
        rows = list(sheet.iter_rows(values_only=True))
        start = next(i for i, row in enumerate(rows) if row[0] == first_header)
        body = []
        for row in rows[start + 1 :]:
            if all(value is None for value in row):
                if through_blanks:
                    continue
                break
            body.append(row)
        return rows[start], body

    def _register_rows(self, book):
        header, rows = self._table(book.worksheets[0], "Reference")
        return header, {row[0]: dict(zip(header, row, strict=True)) for row in rows}

    def _all_text(self, book):
        return "\n".join(
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )

    def _criteria(self, date_from, date_to, **extra):
        criteria = {
            "date_from": date_from,
            "date_to": date_to,
            "company_id": self.company.id,
        }
        criteria.update(extra)
        return {"criteria": criteria}

    def _penalty(self, complaint, employee, points, amount, **vals):
        values = {
            "complaint_id": complaint.id,
            "kind": "deduction",
            "employee_id": employee.id,
            "department_id": employee.department_id.id,
            "points": points,
            "amount": amount,
            "state": "applied",
            "payroll_period": "2025-10",
            "date_applied": date(2025, 10, 28),
        }
        values.update(vals)
        return self.env["complaint.penalty"].create(values)

    # Register -------------------------------------------------------------
    def test_register_of_a_selection_matches_the_orm(self):
        first = self._complaint(compensation_amount=25.5)
        second = self._complaint(
            channel="email", category_id=self.category_zh.id, severity="major"
        )
        self._to_state(first, "closed")
        book = self._book(REGISTER, (first | second).ids, user=self.manager)
        header, rows = self._register_rows(book)
        self.assertEqual(set(rows), {first.name, second.name})
        self.assertIn("Received", header)
        row = rows[first.name]
        self.assertEqual(row["Customer"], "Acme Foods")
        self.assertEqual(rows[second.name]["Severity"], "Major")
        self.assertEqual(row["Severity"], "General")
        self.assertEqual(row["Responsible Department"], "Quality")
        self.assertEqual(row["Compensation Amount"], 25.5)
        self.assertEqual(row["State"], "Closed")
        self.assertEqual(row["Satisfaction"], "Satisfied")
        # Received shown in the user's time zone, as a real date.
        local = first.date_received.replace(microsecond=0)
        self.assertIsInstance(row["Received"], datetime)
        self.assertAlmostEqual((row["Received"] - local).total_seconds(), 0, delta=1)
        self.assertEqual(rows[second.name]["Channel"], "Email")
        self.assertEqual(rows[second.name]["Category"], "食品质量问题")
        # Not acknowledged yet: no on-time mark at all.
        self.assertIsNone(rows[second.name]["Acknowledged On Time"])

    def test_register_header_counts_in_words(self):
        """Issue 23 (cosmetic): the header said "1 selected complaints"."""
        first = self._complaint()
        second = self._complaint()
        one = self._all_text(self._book(REGISTER, first.ids, user=self.manager))
        self.assertIn("1 selected complaint", one)
        self.assertNotIn("1 selected complaints", one)
        two = self._all_text(
            self._book(REGISTER, (first | second).ids, user=self.manager)
        )
        self.assertIn("2 selected complaints", two)
        # Periods with one and with two complaints (long ago: none else).
        self._complaint(date_received=datetime(2001, 1, 10, 4, 0))
        self._complaint(date_received=datetime(2001, 2, 10, 4, 0))
        self._complaint(date_received=datetime(2001, 2, 11, 4, 0))
        one_month = ("2001-01-01", "2001-01-31")
        period = self._all_text(
            self._book(REGISTER, [], self._criteria(*one_month), self.manager)
        )
        self.assertRegex(period, r": 1 complaint\b(?!s)")
        period = self._all_text(
            self._book(
                REGISTER, [], self._criteria("2001-02-01", "2001-02-28"), self.manager
            )
        )
        self.assertIn(": 2 complaints", period)
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["complaint_center"], ["zh_CN"], overwrite=True
        )
        zh = self._all_text(
            self._book(REGISTER, first.ids, user=self.manager, lang="zh_CN")
        )
        self.assertIn("已选投诉 1 件", zh)
        zh = self._all_text(
            self._book(REGISTER, [], self._criteria(*one_month), self.manager, "zh_CN")
        )
        self.assertIn("共 1 件投诉", zh)

    def test_register_shows_the_user_time_zone(self):
        self.manager.tz = "Asia/Shanghai"
        complaint = self._complaint(date_received=datetime(2025, 10, 31, 20, 0))
        rows = self._register_rows(
            self._book(REGISTER, complaint.ids, user=self.manager)
        )[1]
        self.assertEqual(rows[complaint.name]["Received"], datetime(2025, 11, 1, 4, 0))

    def test_register_of_a_period_counts_in_the_company_time_zone(self):
        # 2025-10-31 20:00 UTC is already November 1st in Shanghai, and
        # 2025-09-30 17:00 UTC already October 1st; 15:00 UTC is not yet.
        late = self._complaint(date_received=datetime(2025, 10, 31, 20, 0))
        inside = self._complaint(date_received=datetime(2025, 10, 1, 1, 0))
        early = self._complaint(date_received=datetime(2025, 9, 30, 17, 0))
        before = self._complaint(date_received=datetime(2025, 9, 30, 15, 0))
        other_dept = self._complaint(
            date_received=datetime(2025, 10, 5, 1, 0),
            department_id=self.other_department.id,
        )
        book = self._book(
            REGISTER, [], self._criteria("2025-10-01", "2025-10-31"), self.manager
        )
        rows = self._register_rows(book)[1]
        self.assertEqual(set(rows), {inside.name, other_dept.name, early.name})
        self.assertNotIn(late.name, rows)
        self.assertNotIn(before.name, rows)
        expected = (
            self.env["complaint.complaint"]
            .with_user(self.manager)
            .search_count(
                [
                    ("company_id", "=", self.company.id),
                    ("date_received", ">=", datetime(2025, 9, 30, 16, 0)),
                    ("date_received", "<", datetime(2025, 10, 31, 16, 0)),
                ]
            )
        )
        self.assertEqual(len(rows), expected)
        # Narrowed to a department.
        data = self._criteria(
            "2025-10-01", "2025-10-31", department_id=self.other_department.id
        )
        rows = self._register_rows(self._book(REGISTER, [], data, self.manager))[1]
        self.assertEqual(set(rows), {other_dept.name})

    def test_register_lists_only_what_the_sales_user_may_see(self):
        received = {"date_received": datetime(2025, 10, 10, 2, 0)}
        mine = self._complaint(user=self.user, **received)
        hidden = self._complaint(partner_id=self.other_customer.id, **received)
        other = self._complaint(user=self.user2, **received)
        Complaint = self.env["complaint.complaint"].with_user(self.user)
        self.assertNotIn(hidden, Complaint.search([]))
        data = self._criteria("2025-10-01", "2025-10-31")
        rows = self._register_rows(self._book(REGISTER, [], data, self.user))[1]
        self.assertIn(mine.name, rows)
        self.assertNotIn(hidden.name, rows)
        self.assertNotIn(other.name, rows)
        self.assertEqual(
            len(rows),
            Complaint.search_count(
                [
                    ("company_id", "=", self.company.id),
                    ("date_received", ">=", datetime(2025, 9, 30, 16, 0)),
                    ("date_received", "<", datetime(2025, 10, 31, 16, 0)),
                ]
            ),
        )
        # Asking for hidden ids by hand gives nothing more.
        ids = (mine | hidden | other).ids
        rows = self._register_rows(self._book(REGISTER, ids, user=self.user))[1]
        self.assertEqual(set(rows), {mine.name})

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_register_says_when_it_is_limited_and_refuses_other_companies(self):
        """Issue 24 (3): a clerk's register was titled as the company's; a
        register of a company the user does not work for came out empty
        instead of refused."""
        received = {"date_received": datetime(2025, 10, 10, 2, 0)}
        self._complaint(user=self.user, **received)
        self._complaint(user=self.user2, **received)
        data = self._criteria("2025-10-01", "2025-10-31")
        clerk = self._book(REGISTER, [], data, self.user).worksheets[0]
        self.assertIn("limited to what you may see", clerk.cell(2, 1).value)
        manager = self._book(REGISTER, [], data, self.manager).worksheets[0]
        self.assertIn(self.company.name, manager.cell(2, 1).value)
        self.assertNotIn("limited", manager.cell(2, 1).value)
        # Another company: refused, for the register and the payroll list.
        other = self.env["res.company"].create({"name": "Other Branch"})
        self.assertNotIn(other, self.manager.company_ids)
        with self.assertRaisesRegex(AccessError, "Other Branch"):
            self._book(
                REGISTER,
                [],
                self._criteria("2025-10-01", "2025-10-31", company_id=other.id),
                self.manager,
            )
        with self.assertRaisesRegex(AccessError, "Other Branch"):
            self._book(
                PAYROLL,
                [],
                {"payroll": {"payroll_period": "2025-10", "company_id": other.id}},
                self.finance,
            )

    def test_register_hides_the_complaint_from_the_person_complained_about(self):
        complaint = self._complaint(
            subject_employee_ids=[Command.link(self.accused_employee.id)]
        )
        visible = self._complaint()
        rows = self._register_rows(
            self._book(REGISTER, (complaint | visible).ids, user=self.accused)
        )[1]
        self.assertNotIn(complaint.name, rows)
        self.assertIn(visible.name, rows)

    # Confidentiality ------------------------------------------------------
    def test_no_export_shows_the_complainant(self):
        complaint = self._complaint(
            user=self.user,
            date_received=datetime(2025, 10, 10, 2, 0),
            compensation_amount=40.0,
            **SECRET,
        ).with_env(self.env)
        # The manager may read the complainant: an export could leak it.
        self.assertEqual(
            complaint.with_user(self.manager).complainant_name,
            SECRET["complainant_name"],
        )
        # Nor Odoo's own export, nor the SQL view the pivot reads.
        for path in ("complainant_name", "complainant_phone", "contact_email"):
            with self.subTest(path), self.assertRaises(AccessError):
                complaint.with_user(self.manager).export_data(["name", path])
        fields_info = complaint.with_user(self.manager).fields_get(
            ["complainant_name"], ["exportable"]
        )
        self.assertFalse(fields_info["complainant_name"]["exportable"])
        self.assertFalse(
            [
                name
                for name in self.env["complaint.report"]._fields
                if "complainant" in name or "contact" in name
            ]
        )
        self._penalty(complaint, self.worker, 2, 100.0)
        books = [
            self._book(REGISTER, complaint.ids, user=self.manager),
            self._book(
                REGISTER, [], self._criteria("2025-10-01", "2025-10-31"), self.manager
            ),
            self._book(
                PAYROLL,
                [],
                {
                    "payroll": {
                        "payroll_period": "2025-10",
                        "company_id": self.company.id,
                    }
                },
                self.manager,
            ),
            self._book(
                STATISTICS, self._statistics_wizard(self.manager).ids, user=self.manager
            ),
        ]
        for book in books:
            text = self._all_text(book)
            for bit in SECRET_BITS:
                self.assertNotIn(bit, text)
        self.assertIn(complaint.name, self._all_text(books[0]))

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_register_lists_the_customer_company_to_who_may_not_see_him(self):
        """Issue 24 (6), as on the forms: the customer contact is often the
        complainant himself; whoever may not see him gets the company."""
        gemini = self.env["res.partner"].create(
            {"name": "Gemini Furniture", "is_company": True}
        )
        oscar = self.env["res.partner"].create(
            {"name": "Oscar Morgan", "parent_id": gemini.id, "phone": "+1 555 0199"}
        )
        alone = self.env["res.partner"].create({"name": "Ada Lonely"})
        received = {"date_received": datetime(2025, 10, 10, 2, 0)}
        of_company = self._complaint(
            partner_id=oscar.id, compensation_amount=10.0, **received
        )
        of_person = self._complaint(
            partner_id=alone.id, compensation_amount=10.0, **received
        )
        ids = (of_company | of_person).ids
        data = self._criteria("2025-10-01", "2025-10-31")
        for book in (
            self._book(REGISTER, ids, user=self.finance),
            self._book(REGISTER, [], data, self.finance),
        ):
            rows = self._register_rows(book)[1]
            self.assertEqual(rows[of_company.name]["Customer"], "Gemini Furniture")
            self.assertEqual(rows[of_person.name]["Customer"], "Confidential")
            text = self._all_text(book)
            for secret in ("Oscar Morgan", "Ada Lonely", "555 0199"):
                self.assertNotIn(secret, text)
        # Who handles them lists the contact.
        rows = self._register_rows(self._book(REGISTER, ids, user=self.manager))[1]
        self.assertEqual(
            rows[of_company.name]["Customer"], "Gemini Furniture, Oscar Morgan"
        )
        self.assertEqual(rows[of_person.name]["Customer"], "Ada Lonely")

    # Payroll --------------------------------------------------------------
    def test_payroll_totals_equal_the_applied_penalties(self):
        complaint = self._complaint(category_id=self.category_zh.id)
        other = self._complaint()
        wang = self._penalty(complaint, self.worker, 2, 100.0)
        self._penalty(other, self.worker, 1, 30.0)
        # A reversal of Wang's first penalty, applied in the same period.
        self._penalty(complaint, self.worker, -2, -100.0, reversed_penalty_id=wang.id)
        self._penalty(complaint, self.worker2, 1, 50.0)
        self._penalty(other, self.worker2, 0, 20.0, kind="reward")
        # Not of the period, not applied, or not payroll's: left out.
        self._penalty(other, self.worker2, 5, 500.0, payroll_period="2025-11")
        self._penalty(other, self.worker2, 5, 500.0, state="approved")
        self._penalty(
            other,
            self.worker2,
            0,
            900.0,
            kind="chargeback",
            employee_id=False,
            partner_id=self.other_customer.id,
        )
        data = {"payroll": {"payroll_period": "2025-10", "company_id": self.company.id}}
        for user in (self.finance, self.manager):
            with self.subTest(user=user.login):
                book = self._book(PAYROLL, [], data, user)
                header, rows = self._table(
                    book.worksheets[0], "Employee", through_blanks=True
                )
                amount = header.index("Net Deduction")
                points = header.index("Points")
                lines = [
                    row
                    for row in rows
                    if not str(row[0]).startswith(("Total", "Grand Total"))
                ]
                self.assertEqual(len(lines), 5)
                applied = self.env["complaint.penalty"].search(
                    [
                        ("state", "=", "applied"),
                        ("payroll_period", "=", "2025-10"),
                        ("kind", "in", ("deduction", "points", "reward")),
                    ]
                )
                self.assertEqual(len(applied), 5)
                expected = sum(
                    -p.amount if p.kind == "reward" else p.amount for p in applied
                )
                self.assertEqual(expected, 60.0)  # 100 - 100 + 30 + 50 - 20
                subtotals = {
                    row[0]: row[amount]
                    for row in rows
                    if str(row[0]).startswith("Total")
                }
                self.assertEqual(subtotals["Total Worker Wang"], 30.0)
                self.assertEqual(subtotals["Total Worker Zhao"], 30.0)
                grand = [r for r in book.worksheets[0].iter_rows(values_only=True)]
                grand = next(r for r in grand if r[0] == "Grand Total")
                self.assertEqual(grand[amount], expected)
                self.assertEqual(grand[points], sum(applied.mapped("points")))
                self.assertIn(
                    "食品质量问题", [row[header.index("Category")] for row in lines]
                )

    def test_payroll_for_an_employee_shows_points_only(self):
        complaint = self._complaint(
            subject_employee_ids=[Command.link(self.worker.id)],
            category_id=self.category_zh.id,
        )
        mine = self._penalty(complaint, self.worker, 2, 100.0)
        theirs = self._penalty(complaint, self.worker2, 1, 50.0)
        book = self._book(PAYROLL, (mine | theirs).ids, user=self.employee)
        header, rows = self._table(book.worksheets[0], "Employee")
        self.assertNotIn("Net Deduction", header)
        lines = [row for row in rows if not str(row[0]).startswith("Total")]
        self.assertEqual([row[0] for row in lines], ["Worker Wang"])
        # The complaint is not the employee's to read: no category from it.
        self.assertIsNone(lines[0][header.index("Category")])
        numbers = [
            value
            for row in book.worksheets[0].iter_rows(values_only=True)
            for value in row
            if isinstance(value, int | float)
        ]
        self.assertNotIn(100, numbers)
        self.assertNotIn(50, numbers)
        self.assertEqual(lines[0][header.index("Points")], 2)
        self.assertNotIn("Worker Zhao", self._all_text(book))

    # Statistics -----------------------------------------------------------
    def _statistics_wizard(self, user=None):
        env = self.env(user=user) if user else self.env
        return env["complaint.statistics.wizard"].create(
            {
                "company_id": self.company.id,
                "period_kind": "month",
                "year": 2025,
                "month": 10,
            }
        )

    def test_statistics_workbook_equals_the_figures(self):
        received = datetime(2025, 10, 10, 2, 0)
        for vals in (
            {},
            {"channel": "email"},
            {"category_id": self.category_zh.id, "severity": "major"},
        ):
            self._complaint(date_received=received, **vals)
        self._complaint(date_received=datetime(2025, 9, 10, 2, 0))
        self._to_state(self._complaint(date_received=received), "closed")
        wizard = self._statistics_wizard(self.manager)
        book = self._book(STATISTICS, wizard.ids, user=self.manager)
        figures = (
            self.env["complaint.statistics"]
            .with_user(self.manager)
            ._figures(self.company, wizard._period())
        )
        summary = {
            row[0]: row[1:]
            for row in book["Summary"].iter_rows(values_only=True)
            if row[0]
        }
        self.assertEqual(summary["Complaints received"][:3], (4, 1, 3))
        self.assertEqual(summary["Complaints received"][0], figures["total"])
        self.assertEqual(summary["Closed"][0], figures["closed"])
        self.assertEqual(summary["Still open"][0], figures["open"])
        self.assertEqual(summary["Resolved on time"][0], figures["on_time"]["resolve"])
        self.assertEqual(summary["Satisfaction rate"][0], figures["satisfaction_rate"])
        header, rows = self._table(book["By Category"], "Category")
        counts = {row[0]: row[1] for row in rows}
        self.assertEqual(
            counts,
            {
                **{item["label"]: item["count"] for item in figures["by_category"]},
                "Total": figures["total"],
            },
        )
        self.assertEqual(counts["食品质量问题"], 1)
        shares = {row[0]: row[4] for row in rows}
        self.assertAlmostEqual(shares["Quality T"], 0.75)
        _header, rows = self._table(book["By Channel"], "Channel")
        self.assertEqual(
            {row[0]: row[1] for row in rows if row[0] != "Total"},
            {item["label"]: item["count"] for item in figures["by_channel"]},
        )
        self.assertTrue(book["Summary"]._charts or book["By Category"]._charts)

    def test_statistics_workbook_refused_to_sales_users(self):
        wizard = self._statistics_wizard(self.manager)
        with (
            self.assertRaises(AccessError),
            mute_logger("odoo.addons.base.models.ir_rule"),
        ):
            self._book(STATISTICS, wizard.ids, user=self.user)

    # Wizard and Chinese ---------------------------------------------------
    def test_wizard_passes_criteria_not_ids(self):
        wizard = (
            self.env["complaint.register.wizard"]
            .with_user(self.manager)
            .create(
                {
                    "date_from": "2025-10-01",
                    "date_to": "2025-10-31",
                    "department_id": self.department.id,
                    "payroll_period": "2025-10",
                }
            )
        )
        action = wizard.action_print_register()
        self.assertEqual(action["report_name"], REGISTER)
        self.assertEqual(
            action["data"]["criteria"],
            {
                "date_from": "2025-10-01",
                "date_to": "2025-10-31",
                "company_id": self.company.id,
                "department_id": self.department.id,
            },
        )
        self.assertFalse(action["context"].get("active_ids"))
        action = wizard.action_print_payroll()
        self.assertEqual(action["report_name"], PAYROLL)
        self.assertEqual(action["data"]["payroll"]["payroll_period"], "2025-10")

    def test_bad_criteria_are_refused(self):
        with self.assertRaises(ValidationError):
            self.env["complaint.register.wizard"].create(
                {"date_from": "2025-10-31", "date_to": "2025-10-01"}
            )
        with self.assertRaises(ValidationError):
            self.env["complaint.register.wizard"].create({"payroll_period": "2025-13"})
        with self.assertRaises(UserError):
            self._book(REGISTER, [], self._criteria("junk", "2025-10-01"), self.manager)
        with self.assertRaises(UserError):
            payroll = {"payroll_period": "2025-13", "company_id": self.company.id}
            self._book(PAYROLL, [], {"payroll": payroll}, self.finance)
        # Without criteria nor a selection there is nothing to list.
        book = self._book(REGISTER, [], user=self.manager)
        self.assertEqual(self._register_rows(book)[1], {})

    def test_default_period_is_the_companys_day(self):
        # 16:30 UTC on 31 December is already 1 January in Shanghai, where
        # the register counts its days: a user whose own zone is UTC still
        # gets the company's new month and year.
        self.manager.tz = "UTC"
        with freeze_time("2026-12-31 16:30:00"):
            wizard = (
                self.env["complaint.register.wizard"].with_user(self.manager).create({})
            )
            apply = (
                self.env["complaint.penalty.apply.wizard"]
                .with_user(self.finance)
                .default_get(["payroll_period", "date_applied"])
            )
        self.assertEqual(wizard.date_from, date(2027, 1, 1))
        self.assertEqual(wizard.date_to, date(2027, 1, 1))
        self.assertEqual(wizard.payroll_period, "2026-12")
        self.assertEqual(apply["payroll_period"], "2027-01")
        self.assertEqual(apply["date_applied"], date(2027, 1, 1))

    def test_register_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["complaint_center"], ["zh_CN"], overwrite=True
        )
        complaint = self._complaint(category_id=self.category_zh.id)
        book = self._book(REGISTER, complaint.ids, user=self.manager, lang="zh_CN")
        header, rows = self._table(book.worksheets[0], "投诉编号")
        self.assertIn("接收时间", header)
        row = dict(zip(header, rows[0], strict=True))
        self.assertEqual(row["投诉编号"], complaint.name)
        self.assertIn("食品质量问题", rows[0])
        # New terms of the export, once merged into zh_CN.po.
        self.assertEqual(book.worksheets[0].title, "投诉台账")
