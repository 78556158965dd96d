"""The analysis cube (complaint.report) and the management dashboard: the
view's figures against figures computed here from the complaints
themselves, and the rows each role may see."""

import json
import re
from collections import Counter, defaultdict
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.spreadsheet.utils.validate_data import fields_in_spreadsheet

from .common import ComplaintCase

OPEN = ("new", "investigating", "proposed", "approved")
# measure -> (fact met, its deadline, states still waiting for it)
RATES = {
    "ack_on_time": ("date_acknowledged", "date_ack_deadline", OPEN),
    "resolve_on_time": ("date_resolved", "date_resolve_deadline", OPEN),
    "visit_on_time": ("date_feedback", "date_visit_deadline", ("resolved",)),
}


def _mean(values):
    values = [value for value in values if value is not None]
    return sum(values) / len(values) if values else None


@tagged("post_install", "-at_install")
class TestReportAnalysis(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env["complaint.penalty.rule"].search([]).active = False
        cls.now = fields.Datetime.now().replace(microsecond=0)
        cls.logistics = env["complaint.category"].create(
            {
                "name": "物流延误",
                "code": "WL",
                "department_id": cls.other_department.id,
            }
        )
        cls.user_employee = env["hr.employee"].create(
            {"name": "Sales Rep", "user_id": cls.user.id}
        )
        cls.handler2_employee = cls.handler2.employee_ids
        # user2 heads Logistics (the department of the Chinese category).
        cls.head_employee = env["hr.employee"].create(
            {"name": "Logistics Head", "user_id": cls.user2.id}
        )
        cls.other_department.manager_id = cls.head_employee
        cls.order.user_id = cls.user
        cls._build_complaints()

    @classmethod
    def _build_complaints(cls):
        env = cls.env
        now = cls.now
        t1 = (now - timedelta(days=40)).replace(hour=4, minute=0, second=0)
        t2 = (now - timedelta(days=2)).replace(hour=4, minute=0, second=0)
        hours = lambda start, n: start + timedelta(hours=n)  # noqa: E731
        # The helpers of ComplaintCase are instance methods.
        case = cls()

        # Closed: acknowledged on time, resolved late, visited on time.
        c1 = case._complaint(user=cls.user, compensation_amount=100.0)
        c1 = case._to_state(c1.with_env(env), "resolved")
        env["complaint.visit"].create(
            {
                "complaint_id": c1.id,
                "result": "Refunded, all good.",
                "satisfaction": "very_satisfied",
                "user_id": cls.handler.id,
            }
        )
        c1.with_user(cls.manager).action_close()
        env["complaint.action"].create(
            {
                "complaint_id": c1.id,
                "name": "Check the seals",
                "user_id": cls.handler.id,
                "date_deadline": fields.Date.today(),
            }
        )
        Penalty = env["complaint.penalty"]
        # Applied in payroll: the 200 deduction and the 30 points penalty
        # with an amount; the others are not settled (or not deductions).
        for amount, kind, state in (
            (200.0, "deduction", "applied"),
            (30.0, "points", "applied"),
            (70.0, "deduction", "approved"),
            (30.0, "deduction", "draft"),
            (50.0, "deduction", "cancelled"),
            (40.0, "reward", "applied"),
        ):
            applied = state == "applied"
            Penalty.create(
                {
                    "complaint_id": c1.id,
                    "kind": kind,
                    "employee_id": cls.user_employee.id,
                    "amount": amount,
                    "state": state,
                    "payroll_period": applied and "2026-01",
                    "date_applied": applied and fields.Date.today(),
                }
            )
        c1.write(
            {
                "date_received": t1,
                "date_acknowledged": hours(t1, 2),
                "date_ack_deadline": hours(t1, 4),
                "date_resolved": hours(t1, 60),
                "date_resolve_deadline": hours(t1, 48),
                "date_feedback": hours(t1, 70),
                "date_visit_deadline": hours(t1, 100),
            }
        )
        # Investigating: acknowledged late, resolution overdue, escalated;
        # handler2 is complained about.
        c2 = case._complaint(
            subject_employee_ids=[Command.link(cls.handler2_employee.id)]
        )
        c2 = case._to_state(c2, "investigating")
        c2.write(
            {
                "date_received": t2,
                "date_acknowledged": hours(t2, 10),
                "date_ack_deadline": hours(t2, 5),
                "date_resolve_deadline": now - timedelta(hours=1),
                "escalation_level": 2,
            }
        )
        # New, Chinese category: nothing due yet. (A new complaint's
        # deadlines follow its receipt: moved after it.)
        c3 = case._complaint(
            category_id=cls.logistics.id, channel="web", severity="major"
        )
        c3.write({"date_received": t2})
        c3.write(
            {
                "date_ack_deadline": now + timedelta(days=2),
                "date_decision_deadline": now + timedelta(days=2),
            }
        )
        # Resolved, unsatisfied, no return visit, visit deadline missed;
        # the head of Logistics is complained about.
        c4 = case._complaint(
            category_id=cls.logistics.id,
            user_id=cls.handler.id,
            subject_employee_ids=[Command.link(cls.head_employee.id)],
        )
        c4 = case._to_state(c4, "resolved")
        c4.with_user(cls.handler).satisfaction = "unsatisfied"
        c4.write(
            {
                "date_received": t1,
                "date_acknowledged": hours(t1, 1),
                "date_ack_deadline": hours(t1, 2),
                "date_resolved": hours(t1, 20),
                "date_resolve_deadline": hours(t1, 48),
                "date_feedback": False,
                "date_visit_deadline": now - timedelta(days=1),
            }
        )
        # Cancelled before acknowledgement: its missed deadline no longer counts.
        c5 = case._complaint()
        c5.with_user(cls.manager).action_cancel()
        c5.write({"date_ack_deadline": now - timedelta(days=1)})
        # About the salesperson's order: c7 names him, c8 repeats it.
        c7 = case._complaint(
            user=cls.manager,
            sale_order_id=cls.order.id,
            subject_employee_ids=[Command.link(cls.user_employee.id)],
        ).with_env(env)
        c8 = case._complaint(user=cls.manager, sale_order_id=cls.order.id)
        c8 = c8.with_env(env)
        cls.company2 = env["res.company"].create({"name": "Elsewhere Ltd"})
        c6 = (
            env["complaint.complaint"]
            .with_company(cls.company2)
            .create(
                {
                    "partner_id": cls.other_customer.id,
                    "company_id": cls.company2.id,
                    "description": "Foreign",
                }
            )
        )
        cls.c = {
            "c1": c1,
            "c2": c2,
            "c3": c3,
            "c4": c4,
            "c5": c5,
            "c6": c6,
            "c7": c7,
            "c8": c8,
        }
        cls.complaints = env["complaint.complaint"].browse(
            [rec.id for rec in cls.c.values()]
        )
        cls.local = cls.complaints - c6

    def setUp(self):
        super().setUp()
        # The view reads the tables: pending ORM writes must reach them.
        self.env.flush_all()

    def _report(self, user=None):
        Report = self.env["complaint.report"]
        return Report.with_user(user) if user else Report

    def _visible(self, user, **context):
        rows = (
            self._report(user)
            .with_context(**context)
            .search([("id", "in", self.complaints.ids)])
        )
        return {name for name, rec in self.c.items() if rec.id in rows.ids}

    # Reference figures, computed from the complaints ----------------------
    def _rate(self, rec, measure):
        met, deadline, waiting = RATES[measure]
        if not rec[deadline]:
            return None
        if rec[met]:
            return 100.0 if rec[met] <= rec[deadline] else 0.0
        if rec.state in waiting and rec[deadline] < fields.Datetime.now():
            return 0.0
        return None

    def _hours(self, rec, fact):
        if not rec[fact]:
            return None
        return (rec[fact] - rec.date_received).total_seconds() / 3600

    def _expected(self, rec):
        # Settled deductions, as the payroll list counts them.
        penalties = rec.penalty_ids.filtered(
            lambda p: p.kind in ("deduction", "points") and p.state == "applied"
        )
        satisfied = None
        if rec.satisfaction:
            satisfied = (
                100.0 if rec.satisfaction in ("satisfied", "very_satisfied") else 0.0
            )
        visited = None
        if rec.state in ("resolved", "closed"):
            visited = 100.0 if rec.visit_ids else 0.0
        return {
            "nbr": 1,
            **{measure: self._rate(rec, measure) for measure in RATES},
            "hours_to_acknowledge": self._hours(rec, "date_acknowledged"),
            "hours_to_resolve": self._hours(rec, "date_resolved"),
            "satisfied": satisfied,
            "visited": visited,
            "repeat_count": int(rec.is_repeat),
            "compensation_amount": rec.compensation_amount,
            "penalty_amount": sum(penalties.mapped("amount")),
            "action_count": len(rec.action_ids),
        }

    def _assert_figure(self, actual, expected, msg):
        if expected is None:
            self.assertIn(actual, (None, False), msg)
        else:
            # An empty average reads False, which would equal 0.
            self.assertIsNot(actual, False, msg)
            self.assertAlmostEqual(actual, expected, places=4, msg=msg)

    # Figures --------------------------------------------------------------
    def test_figures_per_category_match_the_complaints(self):
        sums = ("nbr", "repeat_count", "compensation_amount", "penalty_amount")
        sums += ("action_count",)
        avgs = tuple(RATES) + ("hours_to_acknowledge", "hours_to_resolve")
        avgs += ("satisfied", "visited")
        aggregates = [f"{name}:sum" for name in sums] + [f"{name}:avg" for name in avgs]
        groups = self._report()._read_group(
            [("id", "in", self.local.ids)], ["category_id"], aggregates
        )
        by_category = defaultdict(list)
        for rec in self.local:
            by_category[rec.category_id].append(self._expected(rec))
        self.assertEqual({group[0] for group in groups}, set(by_category))
        for category, *values in groups:
            expected_rows = by_category[category]
            actual = dict(zip(sums + avgs, values, strict=True))
            for name in sums:
                self._assert_figure(
                    actual[name],
                    sum(row[name] for row in expected_rows),
                    f"{category.name} {name}",
                )
            for name in avgs:
                self._assert_figure(
                    actual[name],
                    _mean([row[name] for row in expected_rows]),
                    f"{category.name} {name}",
                )

    def test_figures_known_by_hand(self):
        c = self.c
        Report = self._report()
        ((ack, resolve, visit, hours, penalty, nbr),) = Report._read_group(
            [("id", "in", (c["c1"] | c["c2"] | c["c5"]).ids)],
            [],
            [
                "ack_on_time:avg",
                "resolve_on_time:avg",
                "visit_on_time:avg",
                "hours_to_acknowledge:avg",
                "penalty_amount:sum",
                "nbr:sum",
            ],
        )
        # c1 on time, c2 late; cancelled c5 no longer waits for it.
        self.assertAlmostEqual(ack, 50.0)
        # c1 resolved late, c2 overdue.
        self.assertAlmostEqual(resolve, 0.0)
        self.assertAlmostEqual(visit, 100.0)
        self.assertAlmostEqual(hours, 6.0)
        # Applied deductions (a points penalty's amount too); not the
        # approved, draft or cancelled ones, nor the reward.
        self.assertAlmostEqual(penalty, 230.0)
        self.assertEqual(nbr, 3)
        ((satisfied, visited),) = Report._read_group(
            [("id", "in", self.local.ids)], [], ["satisfied:avg", "visited:avg"]
        )
        self.assertAlmostEqual(satisfied, 50.0)  # very satisfied c1, unhappy c4
        self.assertAlmostEqual(visited, 50.0)  # c1 visited, c4 not
        rows = Report.browse(self.local.ids)
        self.assertEqual(rows.filtered("is_overdue").complaint_id, c["c2"] | c["c4"])
        self.assertEqual(rows.filtered("is_repeat").complaint_id, c["c8"])
        # c4 still awaits the return visit its deadline asked for.
        self.assertEqual(Report.browse(c["c4"].id).visit_on_time, 0.0)
        self.assertIsNot(
            Report._read_group([("id", "=", c["c4"].id)], [], ["visit_on_time:avg"])[0][
                0
            ],
            False,
        )
        self.assertEqual(Report.browse(c["c2"].id).escalation_level, "2")
        self.assertEqual(Report.browse(c["c3"].id).escalation_level, "0")

    def test_one_row_per_complaint(self):
        Report = self._report()
        # c1 has six penalties, a visit and an action: still one row.
        self.assertEqual(
            Report.search_count([("complaint_id", "=", self.c["c1"].id)]), 1
        )
        rows = Report.search([("id", "in", self.complaints.ids)])
        self.assertEqual(rows.complaint_id, self.complaints)
        for row in rows:
            self.assertEqual(row.id, row.complaint_id.id)
            self.assertEqual(row.name, row.complaint_id.name)
            self.assertEqual(row.partner_id, row.complaint_id.commercial_partner_id)
            self.assertEqual(row.is_overdue, row.complaint_id.is_overdue, row.name)

    def test_counts_by_month_channel_department_and_severity(self):
        Report = self._report()
        domain = [("id", "in", self.local.ids)]
        for groupby, key in (
            (
                "date_received:month",
                lambda rec: rec.date_received.replace(day=1).date(),
            ),
            ("channel", lambda rec: rec.channel),
            ("department_id", lambda rec: rec.department_id),
            ("severity", lambda rec: rec.severity),
            ("state", lambda rec: rec.state),
        ):
            with self.subTest(groupby):
                expected = Counter(key(rec) for rec in self.local)
                actual = {
                    fields.Date.to_date(value)
                    if groupby.endswith("month")
                    else value: n
                    for value, n in Report._read_group(domain, [groupby], ["nbr:sum"])
                }
                self.assertEqual(actual, dict(expected))
        self.assertEqual(len(Counter(rec.date_received.month for rec in self.local)), 2)

    def test_pivot_shows_the_chinese_category(self):
        groups = self._report()._read_group(
            [("id", "in", self.local.ids)], ["category_id"], ["nbr:sum"]
        )
        self.assertIn(("物流延误", 2), [(cat.display_name, n) for cat, n in groups])

    # Who sees what ----------------------------------------------------------
    def test_sales_user_sees_only_his_rows(self):
        # c7 is about his order but names him: recused.
        self.assertEqual(self._visible(self.user), {"c1", "c8"})
        # The head of Logistics reads his department's, not c4 about him.
        self.assertEqual(self._visible(self.user2), {"c3"})
        # The pivot's total is his, not the company's.
        ((nbr,),) = self._report(self.user)._read_group([], [], ["nbr:sum"])
        self.assertEqual(nbr, 2)

    def test_involved_people_see_nothing_of_their_complaint(self):
        # handler2 works in Quality (c1, c2, c5, c7, c8), is complained
        # about in c2.
        self.assertEqual(self._visible(self.handler2), {"c1", "c5", "c7", "c8"})
        self.assertNotIn(self.c["c2"].id, self._report(self.handler2).search([]).ids)
        # No complaint role at all: no access.
        with mute_logger("odoo.addons.base.models.ir_model"):
            with self.assertRaises(AccessError):
                self._report(self.employee).search([])

    def test_rows_match_the_complaint_rules_for_every_role(self):
        for user in (
            self.user,
            self.user2,
            self.handler,
            self.handler2,
            self.finance,
            self.manager,
        ):
            with self.subTest(user.login):
                complaints = (
                    self.env["complaint.complaint"]
                    .with_user(user)
                    .with_context(active_test=False)
                    .search([("id", "in", self.complaints.ids)])
                )
                rows = self._report(user).search([("id", "in", self.complaints.ids)])
                self.assertEqual(rows.complaint_id.ids, complaints.ids)
        self.assertEqual(self._visible(self.finance), {"c1"})

    def test_archived_complaints_still_count(self):
        self.c["c5"].write({"active": False})
        self.env.flush_all()
        self.assertIn("c5", self._visible(self.handler2))
        self.assertIn("c5", self._visible(self.manager))

    def test_manager_sees_the_companies_he_works_in(self):
        local = {name for name in self.c if name != "c6"}
        self.assertEqual(self._visible(self.manager), local)
        self.manager.company_ids |= self.company2
        both = [self.company.id, self.company2.id]
        self.assertEqual(
            self._visible(self.manager, allowed_company_ids=both), set(self.c)
        )
        self.assertEqual(
            self._visible(self.manager, allowed_company_ids=[self.company.id]), local
        )

    def test_penalty_amounts_only_for_finance_and_managers(self):
        for user in (self.finance, self.manager):
            row = self._report(user).browse(self.c["c1"].id)
            self.assertEqual(row.penalty_amount, 230.0)
        with mute_logger("odoo.models"), self.assertRaises(AccessError):
            self._report(self.handler)._read_group([], [], ["penalty_amount:sum"])

    def test_report_is_read_only(self):
        row = self._report(self.manager).browse(self.c["c1"].id)
        with mute_logger("odoo.addons.base.models.ir_model"):
            with self.assertRaises(AccessError):
                row.write({"name": "Changed"})
            with self.assertRaises(AccessError):
                row.unlink()

    def test_row_opens_its_complaint(self):
        action = (
            self._report(self.manager).browse(self.c["c4"].id).action_open_complaint()
        )
        self.assertEqual(
            (action["res_model"], action["res_id"]),
            ("complaint.complaint", self.c["c4"].id),
        )

    # Dashboard ------------------------------------------------------------
    def _dashboard_data(self):
        dashboard = self.env.ref("complaint_center.complaint_dashboard")
        return dashboard, json.loads(dashboard.spreadsheet_data)

    def test_dashboard_references_only_existing_fields(self):
        _dashboard, data = self._dashboard_data()
        used = fields_in_spreadsheet(data)
        self.assertEqual(set(used), {"complaint.report"})
        # Chains of the global filters too, which that helper skips.
        for item in [*data["pivots"].values(), *self._odoo_charts(data)]:
            for match in item["fieldMatching"].values():
                used["complaint.report"].add(match["chain"].split(":")[0])
        Report = self.env["complaint.report"]
        for name in used["complaint.report"]:
            self.assertIn(name.split(":")[0], Report._fields, name)
        filter_ids = {f["id"] for f in data["globalFilters"]}
        for item in [*data["pivots"].values(), *self._odoo_charts(data)]:
            self.assertLessEqual(set(item["fieldMatching"]), filter_ids)
        for flt in data["globalFilters"]:
            if flt["type"] == "relation":
                self.assertIn(flt["modelName"], self.env)

    def _odoo_charts(self, data):
        return [
            figure["data"]
            for sheet in data["sheets"]
            for figure in sheet["figures"]
            if figure["data"]["type"].startswith("odoo_")
        ]

    def test_dashboard_formulas_use_declared_pivots_and_measures(self):
        _dashboard, data = self._dashboard_data()
        measures = {
            pid: {m["id"] for m in pivot["measures"]}
            for pid, pivot in data["pivots"].items()
        }
        formula = re.compile(r'PIVOT\.(VALUE|HEADER)\((\d+)(?:,"([^"]+)")?')
        seen = set()
        for sheet in data["sheets"]:
            for cell in sheet["cells"].values():
                for kind, pid, arg in formula.findall(cell.get("content", "")):
                    self.assertIn(pid, measures)
                    seen.add(pid)
                    if kind == "VALUE":
                        self.assertIn(arg, measures[pid])
        self.assertEqual(seen, set(data["pivots"]))

    def test_dashboard_queries_run_for_a_manager(self):
        _dashboard, data = self._dashboard_data()
        Report = self._report(self.manager)
        for pivot in data["pivots"].values():
            aggregates = [
                f"{m['fieldName']}:{m['aggregator']}" for m in pivot["measures"]
            ]
            # Dates are grouped by their granularity (the monthly rates).
            groupby = [
                ":".join(filter(None, (row["fieldName"], row.get("granularity"))))
                for row in pivot["rows"]
            ]
            Report._read_group(pivot["domain"], groupby, aggregates)
        for chart in self._odoo_charts(data):
            meta = chart["metaData"]
            aggregator = Report._fields[meta["measure"]].aggregator
            Report._read_group(
                chart["searchParams"]["domain"],
                meta["groupBy"],
                [f"{meta['measure']}:{aggregator}"],
            )
        # "Overdue now by level", as the dashboard's chart asks it.
        overdue = dict(
            Report._read_group(
                [("is_overdue", "=", True), ("id", "in", self.local.ids)],
                ["escalation_level"],
                ["nbr:sum"],
            )
        )
        self.assertEqual(overdue, {"2": 1, "0": 1})

    def test_dashboard_for_managers_only(self):
        dashboard, _data = self._dashboard_data()
        Dashboard = self.env["spreadsheet.dashboard"]
        for user in (self.manager, self.executive):
            self.assertIn(dashboard, Dashboard.with_user(user).search([]))
        for user in (self.user, self.handler, self.finance):
            self.assertNotIn(dashboard, Dashboard.with_user(user).search([]))
        self.assertTrue(dashboard.with_user(self.manager).get_readonly_dashboard())
        action = self.env.ref("complaint_center.complaint_dashboard_action")
        self.assertEqual(action.params, {"dashboard_id": dashboard.id})
        self.assertEqual(
            self.env.ref("complaint_center.complaint_dashboard_menu").action, action
        )

    # Translations (pass once the zh_CN strings are merged) ------------------
    def test_chinese_labels(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["complaint_center"], ["zh_CN"], overwrite=True
        )
        Report = self._report().with_context(lang="zh_CN")
        described = Report.fields_get(["nbr", "resolve_on_time", "escalation_level"])
        self.assertEqual(described["nbr"]["string"], "投诉数")
        self.assertEqual(described["resolve_on_time"]["string"], "按时处理率（%）")
        self.assertIn(
            ("2", "二级：投诉中心主任"), described["escalation_level"]["selection"]
        )

    def test_pivot_counts_first(self):
        arch = self._arch(self.manager, "pivot")
        self.assertEqual(arch.get("display_quantity"), "1")

    def test_calendar_shows_customer_and_category(self):
        complaint = self._complaint(severity="major")
        label = complaint.calendar_label
        for part in (complaint.name, "Acme Foods", "Quality T", "Major"):
            self.assertIn(part, label)
        arch = self._arch(self.manager, "calendar")
        self.assertEqual(arch.get("create_name_field"), "calendar_label")
