import io
from collections import Counter
from datetime import date, datetime
from zoneinfo import ZoneInfo

import lxml.html
import openpyxl
import pytz
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import Form, HttpCase, TransactionCase, tagged
from odoo.tools import mute_logger

from .common import ComplaintCase

REPORT = "complaint_center.report_complaint_statistics"
SHANGHAI = pytz.timezone("Asia/Shanghai")
SATISFIED = ("very_satisfied", "satisfied")
# Far from the demo data, which is dated relative to today.
YEAR = 2024


@tagged("post_install", "-at_install")
class TestReportStatistics(ComplaintCase, HttpCase):
    """October 2024 against September 2024, in the company's time zone
    (Asia/Shanghai, UTC+8).

    An HttpCase: wkhtmltopdf loads the report assets from the test server,
    which serves them only in test mode."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.delivery = cls.env["complaint.category"].create(
            {
                "name": "物流配送",
                "code": "WL",
                "department_id": cls.other_department.id,
            }
        )
        cls.worker = cls.env["hr.employee"].create(
            {"name": "Zhang Wei", "department_id": cls.department.id}
        )
        # Confirmed in October: two lines, the base of the complaint rate.
        with freeze_time("2024-10-05 02:00:00"):
            cls.october_order = cls.env["sale.order"].create(
                {
                    "partner_id": cls.contact.id,
                    "order_line": [
                        Command.create({"product_id": cls.product.id}),
                        Command.create({"product_id": cls.product2.id}),
                    ],
                }
            )
            cls.october_order.action_confirm()

        # September: the previous period.
        cls.sep1 = cls._received("2024-09-10 02:00:00")
        cls._step(cls.sep1, "2024-09-10 07:00:00", cls.handler, "action_accept")
        cls.sep_action = cls._plan(cls.sep1, "2024-09-11 02:00:00")
        cls.sep2 = cls._received(
            "2024-09-15 02:00:00", category_id=cls.delivery.id, channel="web"
        )

        # October.
        cls.c1 = cls._received(
            "2024-10-09 02:00:00", sale_order_id=cls.october_order.id
        )
        cls._step(cls.c1, "2024-10-09 03:00:00", cls.handler, "action_accept")
        cls.action = cls._plan(cls.c1, "2024-10-12 03:00:00")
        cls._step(
            cls.c1,
            "2024-10-09 05:00:00",
            cls.handler,
            "action_propose",
            resolution_type="refund",
            resolution="<p>Refund 50.</p>",
            compensation_amount=50.0,
        )
        cls._step(cls.c1, "2024-10-09 06:00:00", cls.manager, "action_approve")
        cls._step(cls.c1, "2024-10-12 02:00:00", cls.handler, "action_resolve")
        with freeze_time("2024-10-13 02:00:00"):
            cls.env["complaint.visit"].with_user(cls.handler).create(
                {
                    "complaint_id": cls.c1.id,
                    "method": "phone",
                    "result": "Refund received.",
                    "satisfaction": "satisfied",
                }
            )
        with freeze_time("2024-10-13 03:00:00"):
            cls.action.with_user(cls.handler2).action_done()
        with freeze_time("2024-10-13 04:00:00"):
            cls.action.with_user(cls.manager).action_verify()
        cls._step(cls.c1, "2024-10-14 02:00:00", cls.manager, "action_close")

        cls.c2 = cls._received(
            "2024-10-20 03:00:00",
            category_id=cls.delivery.id,
            channel="email",
            severity="major",
        )
        cls._step(cls.c2, "2024-10-21 03:00:00", cls.manager, "action_accept")
        Penalty = cls.env["complaint.penalty"]
        target = {"complaint_id": cls.c2.id, "employee_id": cls.worker.id}
        # Applied in October's payroll: the period's penalties.
        october = {
            **target,
            "state": "applied",
            "payroll_period": "2024-10",
            "date_applied": date(2024, 10, 31),
        }
        Penalty.create({**october, "kind": "deduction", "amount": 100.0})
        Penalty.create({**october, "kind": "reward", "amount": 30.0})
        cancelled = Penalty.create({**target, "kind": "deduction", "amount": 999.0})
        cancelled.with_user(cls.manager).action_cancel()
        # Not settled in October: a draft, an approved one still to apply, and
        # one applied in November's payroll (though its complaint is
        # October's).
        Penalty.create({**target, "kind": "deduction", "amount": 500.0})
        Penalty.create(
            {**target, "kind": "deduction", "amount": 70.0, "state": "approved"}
        )
        Penalty.create(
            {
                **october,
                "kind": "deduction",
                "amount": 40.0,
                "payroll_period": "2024-11",
                "date_applied": date(2024, 11, 30),
            }
        )

        # 01:30 on October 1st in Shanghai: October, though still September in UTC.
        cls.c3 = cls._received("2024-09-30 17:30:00")
        cls._step(
            cls.c3,
            "2024-10-02 02:00:00",
            cls.manager,
            "action_reject",
            validity="malicious",
            rejection_reason="Invented to get a discount.",
        )
        # 01:00 on November 1st in Shanghai: November, though October in UTC.
        cls.c4 = cls._received("2024-10-31 17:00:00")
        # Same order as c1 within the window: a repeat.
        cls.c5 = cls._received(
            "2024-10-25 02:00:00", sale_order_id=cls.october_order.id
        )
        cls.october = cls.c1 | cls.c2 | cls.c3 | cls.c5
        cls.september = cls.sep1 | cls.sep2

    @classmethod
    def _received(cls, when, **vals):
        values = {
            "partner_id": cls.customer.id,
            "category_id": cls.category.id,
            "description": "<p>The sauce was spoiled on delivery.</p>",
        }
        values.update(vals)
        with freeze_time(when):
            return cls.env["complaint.complaint"].with_user(cls.user).create(values)

    @classmethod
    def _step(cls, complaint, when, user, method, **vals):
        with freeze_time(when):
            if vals:
                complaint.with_user(user).write(vals)
            getattr(complaint.with_user(user), method)()

    @classmethod
    def _plan(cls, complaint, created):
        """A corrective action on ``complaint``, opened at ``created``."""
        action = (
            cls.env["complaint.action"]
            .with_user(cls.handler)
            .create(
                {
                    "complaint_id": complaint.id,
                    "name": "Check the cold chain",
                    "user_id": cls.handler2.id,
                    "date_deadline": date(2024, 12, 31),
                }
            )
        )
        # The ORM stamps create_date with the database clock.
        cls.env.flush_all()
        cls.env.cr.execute(
            "UPDATE complaint_action SET create_date = %s WHERE id = %s",
            (created, action.id),
        )
        action.invalidate_recordset(["create_date"])
        return action

    def _stats(self, user=None):
        return self.env["complaint.statistics"].with_user(user or self.manager)

    def _figures(self, user=None, kind="month", number=10):
        stats = self._stats(user)
        return stats._figures(
            self.company.with_user(user or self.manager),
            stats._period(kind, YEAR, number),
        )

    def _in_month(self, complaints, month):
        # The demo data is dated from today: the year matters too.
        def local(complaint):
            return pytz.utc.localize(complaint.date_received).astimezone(SHANGHAI)

        return complaints.filtered(
            lambda c: (local(c).year, local(c).month) == (YEAR, month)
        )

    def _expected(self, complaints):
        """The figures of ``complaints`` computed one record at a time."""

        def mean(values):
            values = list(values)
            return sum(values) / len(values) if values else None

        def hours(start, end):
            return (end - start).total_seconds() / 3600

        acked = complaints.filtered("date_acknowledged")
        resolved = complaints.filtered("date_resolved")
        rated = complaints.filtered("satisfaction")
        now = self.env.cr.now()
        still_open = ("new", "investigating", "proposed", "approved")

        def on_time(reached, deadline, waiting):
            # Reached by the deadline (1.0) or after it, or still awaited
            # past it (0.0); nothing before its deadline or without one.
            marks = []
            for c in complaints:
                if not c[deadline]:
                    continue
                if c[reached]:
                    marks.append(float(c[reached] <= c[deadline]))
                elif c.state in waiting and c[deadline] < now:
                    marks.append(0.0)
            return mean(marks)

        done = complaints.filtered(lambda c: c.state in ("resolved", "closed"))
        return {
            "total": len(complaints),
            "valid": len(complaints.filtered("is_valid")),
            "invalid": len(
                complaints.filtered(
                    lambda c: (
                        c.state == "rejected" or c.validity in ("invalid", "malicious")
                    )
                )
            ),
            "open": len(
                complaints.filtered(
                    lambda c: (
                        c.state in ("new", "investigating", "proposed", "approved")
                    )
                )
            ),
            "closed": len(complaints.filtered(lambda c: c.state == "closed")),
            "repeat": len(complaints.filtered("is_repeat")),
            "avg_hours_acknowledge": mean(
                hours(c.date_received, c.date_acknowledged) for c in acked
            ),
            "avg_hours_resolve": mean(
                hours(c.date_received, c.date_resolved) for c in resolved
            ),
            "on_time": {
                "acknowledge": on_time(
                    "date_acknowledged", "date_ack_deadline", still_open
                ),
                "resolve": on_time(
                    "date_resolved", "date_resolve_deadline", still_open
                ),
                "visit": on_time("date_feedback", "date_visit_deadline", ("resolved",)),
            },
            "satisfaction_rate": mean(
                float(c.satisfaction in SATISFIED) for c in rated
            ),
            "visit_rate": mean(
                float(
                    bool(
                        self.env["complaint.visit"].search_count(
                            [("complaint_id", "=", c.id)]
                        )
                    )
                )
                for c in done
            ),
            "compensation_total": sum(complaints.mapped("compensation_amount")),
            "by_category": Counter(c.category_id.display_name for c in complaints),
            "by_channel": Counter(c.channel for c in complaints),
        }

    def _assert_matches(self, figures, complaints):
        expected = self._expected(complaints)
        for name in (
            "total",
            "valid",
            "invalid",
            "open",
            "closed",
            "repeat",
            "satisfaction_rate",
            "visit_rate",
            "compensation_total",
        ):
            self.assertEqual(figures[name], expected[name], name)
        for name in ("avg_hours_acknowledge", "avg_hours_resolve"):
            if expected[name] is None:
                self.assertIsNone(figures[name], name)
            else:
                self.assertAlmostEqual(figures[name], expected[name], places=6)
        self.assertEqual(figures["on_time"], expected["on_time"])
        self.assertEqual(
            {
                row["label"]: row["count"]
                for row in figures["by_category"]
                if row["count"]
            },
            dict(expected["by_category"]),
        )
        self.assertEqual(
            {row["key"]: row["count"] for row in figures["by_channel"] if row["count"]},
            dict(expected["by_channel"]),
        )

    # Periods --------------------------------------------------------------------
    def test_period_and_previous_period(self):
        stats = self._stats()
        october = stats._period("month", 2026, 10)
        self.assertEqual(
            october,
            {
                "kind": "month",
                "year": 2026,
                "number": 10,
                "date_from": date(2026, 10, 1),
                "date_to": date(2026, 11, 1),
                "label": "2026-10",
            },
        )
        self.assertEqual(stats._previous_period(october)["label"], "2026-09")
        q1 = stats._period("quarter", 2026, 1)
        self.assertEqual(
            (q1["date_from"], q1["date_to"]), (date(2026, 1, 1), date(2026, 4, 1))
        )
        self.assertEqual(stats._previous_period(q1)["label"], "2025 Q4")

    def test_bad_periods_are_refused(self):
        stats = self._stats()
        for kind, year, number, message in (
            ("week", 2026, 1, "month or a quarter"),
            ("month", 2026, 13, "month must be between 1 and 12"),
            ("month", 2026, 0, "month must be between 1 and 12"),
            ("quarter", 2026, 5, "quarter must be between 1 and 4"),
            ("half", 2026, 3, "half-year must be 1 or 2"),
            ("month", 1899, 1, "year must be between"),
        ):
            with self.subTest(kind=kind, year=year, number=number):
                with self.assertRaisesRegex(UserError, message):
                    stats._period(kind, year, number)

    # Figures --------------------------------------------------------------------
    def test_figures_match_the_records(self):
        figures = self._figures()
        complaints = self._in_month(
            self.env["complaint.complaint"].search(
                [("company_id", "=", self.company.id)]
            ),
            10,
        )
        # The time zone decides: 01:30 on October 1st counts, 01:00 on
        # November 1st does not.
        self.assertEqual(complaints, self.october)
        self._assert_matches(figures, complaints)
        self._assert_matches(figures["previous"], self.september)

        # The same figures, stated once by hand.
        self.assertEqual(
            [
                figures[key]
                for key in ("total", "valid", "invalid", "open", "closed", "repeat")
            ],
            [4, 2, 1, 2, 1, 1],
        )
        self.assertEqual(figures["period"]["label"], "2024-10")
        self.assertEqual(figures["company_name"], self.company.name)
        self.assertEqual(figures["currency"], self.company.currency_id)
        self.assertAlmostEqual(figures["avg_hours_acknowledge"], (1 + 24) / 2)
        self.assertAlmostEqual(figures["avg_hours_resolve"], 72.0)
        self.assertEqual(figures["satisfaction_rate"], 1.0)
        self.assertEqual(figures["visit_rate"], 1.0)
        self.assertEqual(figures["order_lines"], 2)
        self.assertEqual(figures["rate_per_1000_lines"], 2000.0)
        self.assertEqual(figures["compensation_total"], 50.0)
        # Only what October's payroll applied: not the cancelled 999, the
        # draft 500, the approved 70 nor the 40 applied in November.
        self.assertEqual(figures["penalty_total"], 100.0)
        self.assertEqual(figures["reward_total"], 30.0)
        self.assertEqual(
            (figures["actions_opened"], figures["actions_verified"]), (1, 1)
        )
        self.assertEqual(
            figures["overdue"],
            self.env["complaint.complaint"].search_count(
                [("id", "in", self.october.ids), ("is_overdue", "=", True)]
            ),
        )

        previous = figures["previous"]
        self.assertEqual(previous["total"], 2)
        self.assertEqual(previous["period"]["label"], "2024-09")
        self.assertEqual(
            (previous["actions_opened"], previous["actions_verified"]), (1, 0)
        )
        self.assertEqual(previous["order_lines"], 0)
        self.assertIsNone(previous["rate_per_1000_lines"])
        self.assertIsNone(previous["satisfaction_rate"])
        self.assertNotIn("previous", previous)
        self.assertNotIn("change", previous)

        change = figures["change"]
        self.assertEqual(change["total"], 2)
        self.assertEqual(change["actions_verified"], 1)
        self.assertEqual(change["compensation_total"], 50.0)
        self.assertIsNone(change["satisfaction_rate"])
        self.assertIsNone(change["rate_per_1000_lines"])

        by_category = {row["key"]: row for row in figures["by_category"]}
        self.assertEqual(
            by_category[self.category.id],
            {
                "key": self.category.id,
                "label": "Quality T",
                "count": 3,
                "previous": 1,
                "change": 2,
                "share": 0.75,
            },
        )
        self.assertEqual(by_category[self.delivery.id]["label"], "物流配送")
        self.assertEqual(figures["by_category"][0]["key"], self.category.id)
        by_channel = {row["key"]: row for row in figures["by_channel"]}
        # Counted only in September: still listed, with its fall.
        self.assertEqual(
            (by_channel["web"]["count"], by_channel["web"]["change"]), (0, -1)
        )
        self.assertEqual(by_channel["email"]["label"], "Email")
        self.assertEqual(
            {row["key"]: row["count"] for row in figures["by_severity"]},
            {"general": 3, "major": 1},
        )
        self.assertEqual(
            {row["key"]: row["count"] for row in figures["by_state"] if row["count"]},
            {"closed": 1, "investigating": 1, "rejected": 1, "new": 1},
        )
        departments = {row["key"]: row["count"] for row in figures["by_department"]}
        self.assertEqual(
            departments, {self.department.id: 3, self.other_department.id: 1}
        )
        self.assertEqual(
            [
                (row["label"], row["count"], row["cumulative_share"])
                for row in figures["pareto"]
            ],
            [("Quality T", 3, 0.75), ("物流配送", 1, 1.0)],
        )

    def test_quarter_figures(self):
        figures = self._figures(kind="quarter", number=4)
        self.assertEqual(figures["period"]["label"], "2024 Q4")
        # October and the complaint of November 1st.
        self.assertEqual(figures["total"], 5)
        self.assertEqual(figures["previous"]["period"]["label"], "2024 Q3")
        self.assertEqual(figures["previous"]["total"], 2)
        self.assertEqual(figures["change"]["total"], 3)

    def test_figures_follow_record_rules(self):
        Complaint = self.env["complaint.complaint"]
        # The handler reads the complaints routed to him, not Logistics'.
        visible = self._in_month(Complaint.with_user(self.handler).search([]), 10)
        self.assertTrue(visible)
        self.assertNotIn(self.c2, visible)
        figures = self._figures(self.handler)
        self._assert_matches(figures, visible)
        self.assertLess(figures["total"], self._figures()["total"])
        self.assertNotIn(
            self.delivery.id,
            {row["key"] for row in figures["by_category"] if row["count"]},
        )
        # Penalty amounts are for finance and managers only.
        self.assertIsNone(figures["penalty_total"])
        self.assertIsNone(figures["reward_total"])

        # Finance reads the complaints carrying penalties or compensation.
        figures = self._figures(self.finance)
        self.assertEqual(figures["total"], 2)
        self._assert_matches(figures, self.c1 | self.c2)
        self.assertEqual(figures["penalty_total"], 100.0)
        # Finance may not read sale order lines: no rate rather than a guess.
        self.assertIsNone(figures["order_lines"])
        self.assertIsNone(figures["rate_per_1000_lines"])

        # Someone complained about sees nothing of that complaint: the sales
        # user logged all of October's, and is complained about in c5.
        logged = self._figures(self.user)
        self.assertEqual(logged["total"], 4)
        self.c5.with_user(self.manager).subject_employee_ids = self.env[
            "hr.employee"
        ].create({"name": "Sales One", "user_id": self.user.id})
        # Written and printed in separate requests: the pending recompute of
        # involved_user_ids (read by the record rules) is flushed in between.
        self.env.flush_all()
        self.assertNotIn(self.c5, Complaint.with_user(self.user).search([]))
        recused = self._figures(self.user)
        self.assertEqual(recused["total"], 3)
        self.assertEqual(recused["repeat"], 0)

    def test_statistics_content_of_issue_24(self):
        """Issue 24 (4): repeats as a count but no rate; the quarter without
        its months; "by department" counted the handling department, not
        the unit held responsible; valid + not valid != total."""
        production = self.env["hr.department"].create({"name": "Production"})
        supplier = self.env["res.partner"].create(
            {"name": "Foshan Seating Parts", "is_company": True}
        )
        self.env["complaint.responsibility"].create(
            [
                {
                    "complaint_id": self.c2.id,
                    "party_type": "department",
                    "department_id": production.id,
                    "share": 60.0,
                    "cause": "Weak weld.",
                },
                {
                    "complaint_id": self.c2.id,
                    "party_type": "supplier",
                    "partner_id": supplier.id,
                    "share": 40.0,
                    "cause": "Brittle part.",
                },
            ]
        )
        figures = self._figures()
        # Every October complaint in exactly one validity row.
        rows = [
            figures[key] for key in ("valid", "invalid", "undetermined", "cancelled")
        ]
        self.assertEqual(rows, [2, 1, 1, 0])
        self.assertEqual(sum(rows), figures["total"])
        # One repeat (c5) of four complaints.
        self.assertEqual(figures["repeat_rate"], 0.25)
        # Weighted by share: Production 60 % of c2, never its handling
        # department (Logistics); the rest not attributed.
        responsible = {row["label"]: row["count"] for row in figures["by_responsible"]}
        self.assertEqual(
            responsible,
            {"Production": 0.6, "Foshan Seating Parts": 0.4, "Not attributed": 3.0},
        )
        self.assertNotIn(
            production.id, {row["key"] for row in figures["by_department"]}
        )
        html = self._html(self._wizard().ids)
        for text in (
            "By Responsible Party",
            "Production",
            "0.6",
            "By Handling Department",
            "Repeat rate",
            "25.0 %",
            "Validity not determined yet",
        ):
            self.assertIn(text, html)
        # The quarter shows its months.
        quarter = self._figures(kind="quarter", number=4)
        self.assertEqual(
            [(month["period"]["label"], month["total"]) for month in quarter["months"]],
            [("2024-10", 4), ("2024-11", 1), ("2024-12", 0)],
        )
        self.assertEqual(sum(month["total"] for month in quarter["months"]), 5)
        html = self._html(self._wizard(period_kind="quarter", quarter=4).ids)
        self.assertIn("Months of the Quarter", html)
        self.assertIn("2024-11", html)

    def test_limited_figures_say_so(self):
        """Issue 24 (3): finance's statistics looked like the company's."""
        self.assertFalse(self._figures()["limited"])
        self.assertTrue(self._figures(self.finance)["limited"])
        note = "Limited to the complaints you may see"
        self.assertNotIn(note, self._html(self._wizard().ids))
        finance = self._wizard(self.finance)
        self.assertIn(note, self._html(finance.ids, user=self.finance))

    def test_other_company_is_refused(self):
        other = self.env["res.company"].create({"name": "Other Branch"})
        stats = self._stats()
        with self.assertRaises(AccessError):
            stats._figures(other, stats._period("month", YEAR, 10))

    # PDF ------------------------------------------------------------------------
    def _wizard(self, user=None, **vals):
        values = {"period_kind": "month", "year": YEAR, "month": 10}
        values.update(vals)
        return (
            self.env["complaint.statistics.wizard"]
            .with_user(user or self.manager)
            .create(values)
        )

    def test_pdf_renders_for_real(self):
        wizard = self._wizard()
        action = wizard.action_print_pdf()
        self.assertEqual(action["type"], "ir.actions.report")
        self.assertEqual(action["report_name"], REPORT)
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_user(self.manager)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(REPORT, wizard.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))

    def test_html_holds_the_figures(self):
        wizard = self._wizard()
        html = self._html(wizard.ids)
        for text in (
            "Monthly Complaint Statistics and Improvement Report",
            self.company.name,
            "2024-10",
            "2024-09",
            "2024-10-01",
            "2024-10-31",
            "Quality T",
            "物流配送",
            "2,000.0",  # complaints per 1,000 order lines
            "75.0 %",  # Quality's share
            "+2",  # change of the total
            "Check the cold chain",
            "Verified",
            "Reviewed by (complaint center director)",
            self.manager.name,
        ):
            self.assertIn(text, html)
        # Statistics carry no complainant data.
        for secret in ("Li Lei", "5555 0101", "acme@example.com"):
            self.assertNotIn(secret, html)

        quarter = self._html(self._wizard(period_kind="quarter", quarter=4).ids)
        self.assertIn("Quarterly Complaint Summary Report", quarter)
        self.assertIn("2024 Q4", quarter)

    def test_html_chinese_data_and_labels(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["complaint_center"], ["zh_CN"], overwrite=True
        )
        self.manager.lang = "zh_CN"
        html = self._html(self._wizard().ids, lang="zh_CN")
        # Chinese data.
        self.assertIn("物流配送", html)
        # Chinese labels (they need the zh_CN translations of this report).
        for text in ("月度投诉统计分析及改进报告", "按类别", "审核人"):
            self.assertIn(text, html)

    def _html(self, docids, data=None, user=None, lang=None):
        report = self.env["ir.actions.report"].with_user(user or self.manager)
        if lang:
            report = report.with_context(lang=lang)
        html, _kind = report._render_qweb_html(REPORT, docids, data=data)
        return html.decode()

    def test_report_from_data_without_records(self):
        """How the monthly mailing renders it."""
        data = {
            "company_id": self.company.id,
            "kind": "month",
            "year": YEAR,
            "number": 10,
        }
        html = self._html(None, data=data)
        self.assertIn("2024-10", html)
        self.assertIn("物流配送", html)
        finance = self._html(None, data=data, user=self.finance)
        self.assertNotIn("2,000.0", finance)
        with self.assertRaisesRegex(UserError, "month must be between"):
            self._html(None, data={**data, "number": 13})
        with self.assertRaises(UserError):
            self._html(None, data={})
        with mute_logger("odoo.http"), self.assertRaises(AccessError):
            self._html(None, data=data, user=self.handler)

    # Wizard ---------------------------------------------------------------------
    def test_wizard_defaults_to_the_previous_month(self):
        with freeze_time("2026-01-15 02:00:00"):
            wizard = Form(
                self.env["complaint.statistics.wizard"].with_user(self.manager)
            )
            self.assertEqual(wizard.period_kind, "month")
            self.assertEqual((wizard.year, wizard.month), (2025, 12))
            wizard.period_kind = "quarter"
            self.assertEqual((wizard.year, wizard.quarter), (2025, 4))
            record = wizard.save()
        self.assertEqual(record.company_id, self.company)
        self.assertEqual(record._period()["label"], "2025 Q4")
        self.assertEqual(record.period_label, "2025 Q4")
        # Still December in UTC, already January in Shanghai.
        with freeze_time("2026-01-31 17:00:00"):
            wizard = Form(
                self.env["complaint.statistics.wizard"].with_user(self.manager)
            )
            self.assertEqual((wizard.year, wizard.month), (2026, 1))

    def test_wizard_refuses_bad_input(self):
        for vals, message in (
            ({"month": 13}, "month must be between 1 and 12"),
            ({"month": 0}, "month must be between 1 and 12"),
            (
                {"period_kind": "quarter", "quarter": 5},
                "quarter must be between 1 and 4",
            ),
            (
                {"period_kind": "quarter", "quarter": 0},
                "quarter must be between 1 and 4",
            ),
            ({"year": 1999}, "year must be between"),
            ({"year": 20260}, "year must be between"),
            # Two years on: not begun yet in any time zone.
            ({"year": date.today().year + 2, "month": 1}, "has not begun yet"),
        ):
            with self.subTest(vals=vals):
                with self.assertRaisesRegex(ValidationError, message):
                    self._wizard(**vals)
        wizard = self._wizard()
        with self.assertRaisesRegex(ValidationError, "month must be between"):
            wizard.month = 14

    def test_wizard_access(self):
        for user in (self.user, self.handler, self.employee):
            with (
                self.subTest(user=user.login),
                mute_logger("odoo.models", "odoo.addons.base.models.ir_model"),
            ):
                with self.assertRaises(AccessError):
                    self._wizard(user)
        for user in (self.manager, self.executive, self.finance):
            with self.subTest(user=user.login):
                self.assertEqual(
                    self._wizard(user).action_print_pdf()["report_name"], REPORT
                )
        # Nobody prints from someone else's wizard.
        wizard = self._wizard()
        with (
            mute_logger("odoo.addons.base.models.ir_rule"),
            self.assertRaises(AccessError),
        ):
            self._html(wizard.ids, user=self.manager2)

    def test_wizard_xlsx_button(self):
        action = self._wizard().action_print_xlsx()
        self.assertEqual(action["type"], "ir.actions.report")
        self.assertEqual(
            action["report_name"], "complaint_center.complaint_statistics_xlsx"
        )
        self.assertEqual(action["report_type"], "xlsx")


@tagged("post_install", "-at_install")
class TestStatisticsOnDemoData(TransactionCase):
    """Issue 24, read as a complaint-center director reads it: the demo
    companies' last three months, for several roles. Every figure is
    recounted here by SQL on the tables (restricted to the complaints the
    role finds through the ORM's record rules), never with the reports' own
    code; the PDF, the workbook and the Complaints Analysis pivot must all
    say what the recount says. Skipped without the demo data."""

    MODULE = "complaint_center"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = lambda name: cls.env.ref(f"complaint_center.{name}", False)  # noqa: E731
        cls.cn_company = ref("res_company_cn_demo")
        cls.cc_manager = ref("user_complaint_manager_demo")
        if not (cls.cn_company and cls.cc_manager):
            return
        cls.main_company = cls.cc_manager.company_id
        cls.roles = {
            cls.main_company: [
                ref("user_complaint_manager_demo"),
                ref("user_complaint_finance_demo"),
                ref("user_complaint_handler_demo"),
                ref("user_complaint_user_demo"),
            ],
            cls.cn_company: [
                ref("user_cn_manager_demo"),
                ref("user_cn_finance_demo"),
                ref("user_cn_handler_demo"),
            ],
        }
        cls.printers = {ref("user_complaint_manager_demo"), ref("user_cn_manager_demo")}
        cls.printers |= {
            ref("user_complaint_finance_demo"),
            ref("user_cn_finance_demo"),
        }

    def setUp(self):
        super().setUp()
        if not self.cn_company:
            self.skipTest("no demo data")

    # Recounts --------------------------------------------------------------
    def _months(self, company):
        """The current month and the two before, in the company's time zone."""
        tz = ZoneInfo(company.partner_id.tz or company.resource_calendar_id.tz or "UTC")
        today = self.env.cr.now().replace(tzinfo=ZoneInfo("UTC")).astimezone(tz).date()
        months, year, month = [], today.year, today.month
        for _i in range(3):
            months.append((year, month))
            year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        return tz, months

    def _bounds(self, tz, year, month):
        start = datetime(year, month, 1, tzinfo=tz)
        stop = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=tz)
        utc = ZoneInfo("UTC")
        return (
            start.astimezone(utc).replace(tzinfo=None),
            stop.astimezone(utc).replace(tzinfo=None),
        )

    def _visible(self, user, company):
        return (
            self.env["complaint.complaint"]
            .with_user(user)
            .with_company(company)
            .with_context(active_test=False)
            .search([("company_id", "=", company.id)])
        )

    def _recount(self, company, start, stop, ids):
        """Counts and on-time rates of the complaints ``ids`` received in
        [start, stop): a step counts once reached or once its deadline
        passed while the complaint still waits for it."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT COUNT(*),
                   COUNT(*) FILTER (WHERE state = 'rejected'
                                       OR validity IN ('invalid', 'malicious')),
                   COUNT(*) FILTER (WHERE validity = 'valid'
                                      AND state != 'rejected'),
                   COUNT(*) FILTER (WHERE is_repeat),
                   -- acknowledge: on time, late
                   COUNT(*) FILTER (WHERE date_acknowledged <= date_ack_deadline),
                   COUNT(*) FILTER (WHERE date_acknowledged > date_ack_deadline
                       OR (date_acknowledged IS NULL AND state IN %(open)s
                           AND date_ack_deadline < %(now)s)),
                   -- resolve: on time, late, late without being resolved
                   COUNT(*) FILTER (WHERE date_resolved <= date_resolve_deadline),
                   COUNT(*) FILTER (WHERE date_resolved > date_resolve_deadline
                       OR (date_resolved IS NULL AND state IN %(open)s
                           AND date_resolve_deadline < %(now)s)),
                   COUNT(*) FILTER (WHERE date_resolved IS NULL
                       AND state IN %(open)s AND date_resolve_deadline < %(now)s),
                   -- return visit: on time, late
                   COUNT(*) FILTER (WHERE date_feedback <= date_visit_deadline),
                   COUNT(*) FILTER (WHERE date_feedback > date_visit_deadline
                       OR (date_feedback IS NULL AND state = 'resolved'
                           AND date_visit_deadline < %(now)s))
              FROM complaint_complaint
             WHERE company_id = %(company)s
               AND date_received >= %(start)s AND date_received < %(stop)s
               AND id IN %(ids)s
            """,
            {
                "open": ("new", "investigating", "proposed", "approved"),
                "now": self.env.cr.now(),
                "company": company.id,
                "start": start,
                "stop": stop,
                "ids": tuple(ids) or (0,),
            },
        )
        row = self.env.cr.fetchone()
        total, invalid, valid, repeat = row[:4]

        def rate(on_time, late):
            return on_time / (on_time + late) if on_time + late else None

        return {
            "total": total,
            "invalid": invalid,
            "valid": valid,
            "repeat": repeat,
            "acknowledge": rate(row[4], row[5]),
            "resolve": rate(row[6], row[7]),
            "unresolved_late": row[8],
            "visit": rate(row[9], row[10]),
        }

    def _applied(self, company, year, month):
        self.env.cr.execute(
            """
            SELECT COALESCE(SUM(amount) FILTER (WHERE kind != 'reward'), 0)
              FROM complaint_penalty
             WHERE company_id = %s AND state = 'applied' AND payroll_period = %s
               AND kind IN ('deduction', 'points', 'reward')
            """,
            (company.id, f"{year}-{month:02d}"),
        )
        return self.env.cr.fetchone()[0]

    # Reading the outputs -----------------------------------------------------
    def _pdf_rows(self, user, company, year, month):
        html = (
            self.env["ir.actions.report"]
            .with_user(user)
            ._render_qweb_html(
                REPORT,
                None,
                data={
                    "company_id": company.id,
                    "kind": "month",
                    "year": year,
                    "number": month,
                },
            )[0]
            .decode()
        )
        rows = {}
        for tr in lxml.html.fromstring(html).iter("tr"):
            cells = [cell.text_content().strip() for cell in tr.iter("td")]
            if len(cells) >= 2 and cells[0] not in rows:
                rows[cells[0]] = cells[1]
        return html, rows

    def _xlsx_rows(self, user, company, year, month):
        wizard = (
            self.env["complaint.statistics.wizard"]
            .with_user(user)
            .create(
                {
                    "company_id": company.id,
                    "period_kind": "month",
                    "year": year,
                    "month": month,
                }
            )
        )
        content, _kind = (
            self.env["ir.actions.report"]
            .with_user(user)
            ._render("complaint_center.complaint_statistics_xlsx", wizard.ids, {})
        )
        book = openpyxl.load_workbook(io.BytesIO(content), data_only=True)
        return {
            row[0]: row[1]
            for row in book["Summary"].iter_rows(values_only=True)
            if row[0]
        }

    @staticmethod
    def _percent(rate):
        return "—" if rate is None else f"{rate * 100:.1f} %"

    # Tests -----------------------------------------------------------------
    def test_on_time_rates_agree_everywhere_with_a_recount(self):
        """Issue 24 (1): the PDF said resolved on time 80 % next to "Overdue
        now 7"; open complaints past their deadline were left out."""
        stats = self.env["complaint.statistics"]
        unresolved_late = 0
        for company, users in self.roles.items():
            tz, months = self._months(company)
            for user in users:
                visible = self._visible(user, company)
                for year, month in months:
                    start, stop = self._bounds(tz, year, month)
                    expected = self._recount(company, start, stop, visible.ids)
                    unresolved_late += expected["unresolved_late"]
                    with self.subTest(
                        company=company.name, user=user.login, month=month
                    ):
                        figures = stats.with_user(user)._figures(
                            company.with_user(user),
                            stats._period("month", year, month),
                        )
                        for step in ("acknowledge", "resolve", "visit"):
                            if expected[step] is None:
                                self.assertIsNone(figures["on_time"][step], step)
                            else:
                                self.assertAlmostEqual(
                                    figures["on_time"][step], expected[step], 9
                                )
                        for name in ("total", "valid", "invalid", "repeat"):
                            self.assertEqual(figures[name], expected[name], name)
                        self.assertEqual(
                            figures["valid"]
                            + figures["invalid"]
                            + figures["undetermined"]
                            + figures["cancelled"],
                            figures["total"],
                        )
                        # The pivot (complaint.report), as the same user.
                        [(nbr, ack, resolve, visit)] = (
                            self.env["complaint.report"]
                            .with_user(user)
                            .with_company(company)
                            ._read_group(
                                [
                                    ("company_id", "=", company.id),
                                    ("date_received", ">=", start),
                                    ("date_received", "<", stop),
                                ],
                                aggregates=[
                                    "nbr:sum",
                                    "ack_on_time:avg",
                                    "resolve_on_time:avg",
                                    "visit_on_time:avg",
                                ],
                            )
                        )
                        self.assertEqual(nbr or 0, expected["total"])
                        for step, pivot in zip(
                            ("acknowledge", "resolve", "visit"),
                            (ack, resolve, visit),
                            strict=True,
                        ):
                            if expected[step] is None:
                                self.assertIn(pivot, (None, False), step)
                            else:
                                self.assertAlmostEqual(
                                    pivot / 100.0, expected[step], 9, step
                                )
                        if user not in self.printers:
                            continue
                        # The PDF and the workbook.
                        _html, pdf = self._pdf_rows(user, company, year, month)
                        xlsx = self._xlsx_rows(user, company, year, month)
                        for step, label in (
                            ("acknowledge", "Acknowledged on time"),
                            ("resolve", "Resolved on time"),
                            ("visit", "Return visits on time"),
                        ):
                            self.assertEqual(
                                pdf[label], self._percent(expected[step]), label
                            )
                            if expected[step] is None:
                                self.assertIsNone(xlsx[label], label)
                            else:
                                self.assertAlmostEqual(
                                    xlsx[label], expected[step], 9, label
                                )
                        self.assertEqual(
                            pdf["Complaints received"], str(expected["total"])
                        )
                        self.assertEqual(xlsx["Complaints received"], expected["total"])
        # The demo holds what the issue saw: open complaints past their
        # resolution deadline, which the old rates left out.
        self.assertTrue(unresolved_late)

    def test_penalty_totals_are_what_payroll_applied(self):
        """Issue 24 (2): November said $1,100 = $50 applied + $1,050 drafts;
        华信's November ¥100, a draft."""
        stats = self.env["complaint.statistics"]
        for company, users in self.roles.items():
            _tz, months = self._months(company)
            for user in users:
                for year, month in months:
                    with self.subTest(
                        company=company.name, user=user.login, month=month
                    ):
                        figures = stats.with_user(user)._figures(
                            company.with_user(user),
                            stats._period("month", year, month),
                        )
                        if figures["penalty_total"] is None:
                            # No penalty amounts for this role.
                            self.assertFalse(
                                user.has_group(
                                    "complaint_center.group_complaint_finance"
                                )
                                or user.has_group(
                                    "complaint_center.group_complaint_manager"
                                )
                            )
                            continue
                        self.assertEqual(
                            figures["penalty_total"],
                            self._applied(company, year, month),
                        )

    def test_partial_figures_say_so(self):
        """Issue 24 (3): finance's statistics said "Complaints received 5"
        (the manager's 16) without saying they are limited."""
        stats = self.env["complaint.statistics"]
        seen_limited = False
        for company, users in self.roles.items():
            tz, months = self._months(company)
            for user in users:
                visible = self._visible(user, company)
                for year, month in months:
                    start, stop = self._bounds(tz, year, month)
                    everything = (
                        self.env["complaint.complaint"]
                        .with_context(active_test=False)
                        .search_count(
                            [
                                ("company_id", "=", company.id),
                                ("date_received", ">=", start),
                                ("date_received", "<", stop),
                            ]
                        )
                    )
                    mine = sum(1 for c in visible if start <= c.date_received < stop)
                    limited = mine < everything
                    seen_limited |= limited
                    with self.subTest(
                        company=company.name, user=user.login, month=month
                    ):
                        figures = stats.with_user(user)._figures(
                            company.with_user(user),
                            stats._period("month", year, month),
                        )
                        self.assertEqual(figures["limited"], limited)
                        if user in self.printers:
                            html, _rows = self._pdf_rows(user, company, year, month)
                            self.assertEqual(
                                "Limited to the complaints you may see" in html,
                                limited or figures["previous"]["limited"],
                            )
        self.assertTrue(seen_limited)

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_another_companys_reports_are_refused(self):
        """Issue 24 (3): cn_manager asking for company 1's register got
        "共 0 件投诉" instead of a refusal."""
        cn_manager = self.roles[self.cn_company][0]
        company = self.main_company
        self.assertNotIn(company, cn_manager.company_ids)
        Report = self.env["ir.actions.report"].with_user(cn_manager)
        criteria = {
            "date_from": "2026-01-01",
            "date_to": "2026-12-31",
            "company_id": company.id,
        }
        with self.assertRaises(AccessError):
            Report._render(
                "complaint_center.complaint_register_xlsx", [], {"criteria": criteria}
            )
        with self.assertRaises(AccessError):
            Report._render(
                "complaint_center.complaint_payroll_xlsx",
                [],
                {"payroll": {"payroll_period": "2026-11", "company_id": company.id}},
            )
        with self.assertRaises(AccessError):
            Report._render_qweb_html(
                REPORT,
                None,
                data={
                    "company_id": company.id,
                    "kind": "month",
                    "year": 2026,
                    "number": 11,
                },
            )
        with self.assertRaises(AccessError):
            self.env["complaint.statistics"].with_user(cn_manager)._figures(
                company, self.env["complaint.statistics"]._period("month", 2026, 11)
            )
        # Their own company's register lists its complaints.
        criteria["company_id"] = self.cn_company.id
        content, _kind = Report._render(
            "complaint_center.complaint_register_xlsx", [], {"criteria": criteria}
        )
        book = openpyxl.load_workbook(io.BytesIO(content), data_only=True)
        self.assertIn(self.cn_company.name, book.worksheets[0].cell(2, 1).value)
