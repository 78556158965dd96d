"""The Chinese demo company (demo/complaint_center_demo_cn.xml) and the demo
sales user's orders, as the demo data leaves them: skipped without it."""

from datetime import date, datetime, time, timedelta

import pytz

from odoo.tests import TransactionCase, tagged

MODULE = "complaint_center"
SHANGHAI = pytz.timezone("Asia/Shanghai")
HOLIDAYS = {"元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"}


@tagged("post_install", "-at_install")
class TestDemoCn(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref(
            f"{MODULE}.res_company_cn_demo", raise_if_not_found=False
        )

    def setUp(self):
        super().setUp()
        if not self.company:
            self.skipTest("no demo data")
        self.calendar = self._ref("resource_calendar_cn_demo")

    def _ref(self, name):
        return self.env.ref(f"{MODULE}.{name}")

    def _complaints(self):
        data = self.env["ir.model.data"].search(
            [
                ("module", "=", MODULE),
                ("model", "=", "complaint.complaint"),
                ("name", "=like", "complaint\\_cn\\_demo\\_%"),
            ]
        )
        return self.env["complaint.complaint"].browse(data.mapped("res_id"))

    def _local(self, value):
        return pytz.utc.localize(value).astimezone(SHANGHAI).replace(tzinfo=None)

    def _working_days(self, first, last):
        """Local dates from ``first`` to ``last`` with working time left."""
        start = SHANGHAI.localize(datetime.combine(first, time.min))
        stop = SHANGHAI.localize(datetime.combine(last, time.max))
        work = self.calendar._work_intervals_batch(start, stop, tz=SHANGHAI)[False]
        return sorted({begin.date() for begin, end, _records in work if end > begin})

    def _leaves(self):
        return self.env["resource.calendar.leaves"].search(
            [("calendar_id", "=", self.calendar.id)]
        )

    # The company --------------------------------------------------------------
    def test_company_works_in_cny_on_the_chinese_calendar(self):
        company = self.company
        self.assertEqual(company.currency_id, self.env.ref("base.CNY"))
        self.assertTrue(company.currency_id.active)
        self.assertEqual(company.country_id, self.env.ref("base.cn"))
        self.assertEqual(company.account_fiscal_country_id, self.env.ref("base.cn"))
        self.assertEqual(company.resource_calendar_id, self.calendar)
        self.assertEqual(self.calendar.company_id, company)
        self.assertEqual(self.calendar.tz, "Asia/Shanghai")
        self.assertEqual(company.partner_id.tz, "Asia/Shanghai")
        self.assertEqual(self.calendar.hours_per_day, 8)
        Journal = self.env["account.journal"]
        for kind in ("sale", "purchase"):
            self.assertTrue(
                Journal.search_count(
                    [("company_id", "=", company.id), ("type", "=", kind)]
                ),
                kind,
            )
        for model in ("complaint.penalty.rule", "complaint.category"):
            self.assertTrue(
                self.env[model].search_count([("company_id", "=", company.id)]),
                model,
            )

    def test_statutory_holidays_are_global_leaves(self):
        leaves = self._leaves()
        self.assertFalse(leaves.resource_id)
        self.assertEqual(set(leaves.mapped("time_type")), {"leave"})
        self.assertEqual(leaves.company_id, self.company)
        for year in (2026, 2027):
            in_year = leaves.filtered(lambda leave, y=year: leave.date_to.year == y)
            names = {name.split("（")[0] for name in in_year.mapped("name")}
            self.assertEqual(names, HOLIDAYS, year)
        # 国庆节 2026: 1 to 7 October, whole local days.
        national = self._ref("resource_calendar_cn_demo_leave_2026_national")
        self.assertEqual(self._local(national.date_from), datetime(2026, 10, 1))
        self.assertEqual(
            self._local(national.date_to), datetime(2026, 10, 7, 23, 59, 59)
        )
        days = self._working_days(date(2026, 9, 28), date(2026, 10, 18))
        self.assertEqual(
            days,
            [
                date(2026, 9, 28),
                date(2026, 9, 29),
                date(2026, 9, 30),
                # 国庆: no work from 1 to 7 October; Saturday 10 October is a
                # make-up working day (调休), the next Saturday is not.
                date(2026, 10, 8),
                date(2026, 10, 9),
                date(2026, 10, 10),
                date(2026, 10, 12),
                date(2026, 10, 13),
                date(2026, 10, 14),
                date(2026, 10, 15),
                date(2026, 10, 16),
            ],
        )

    def test_users_stay_in_their_company(self):
        cn_users = self.env["res.users"].browse(
            self._ref(f"user_cn_{role}_demo").id
            for role in ("sales", "handler", "manager", "finance", "executive")
        )
        for user in cn_users:
            self.assertEqual(user.company_ids, self.company, user.login)
        self.assertEqual(self.company.complaint_director_id.login, "cn_manager")
        self.assertEqual(self.company.complaint_executive_id.login, "cn_executive")
        director = self._ref("user_complaint_manager_demo")
        self.assertNotIn(self.company, director.company_ids)
        seen = (
            self.env["complaint.complaint"]
            .with_user(director)
            .search([("id", "in", self._complaints().ids)])
        )
        self.assertFalse(seen)

    def test_categories_listed_once_and_usable(self):
        # Issue 23 item 2: every category showed twice, and the shared copies
        # routed to the other company's departments (saving failed).
        manager = self._ref("user_cn_manager_demo")
        categories = self.env["complaint.category"].with_user(manager).search([])
        self.assertEqual(len(categories), 8)
        codes = categories.mapped("code")
        self.assertEqual(len(codes), len(set(codes)))
        self.assertEqual(categories.company_id, self.company)
        customer = self._ref("res_partner_cn_demo_hotel")
        for category in categories:
            with self.subTest(category.code):
                complaint = (
                    self.env["complaint.complaint"]
                    .with_user(manager)
                    .create(
                        {
                            "partner_id": customer.id,
                            "category_id": category.id,
                            "description": "<p>测试</p>",
                        }
                    )
                )
                self.assertEqual(complaint.company_id, self.company)
                self.assertEqual(complaint.department_id, category.department_id)
                if complaint.department_id:
                    self.assertEqual(complaint.department_id.company_id, self.company)
        # The default company's standard categories are its own.
        quality = self._ref("complaint_category_product_quality")
        self.assertEqual(quality.company_id, self.env.ref("base.main_company"))

    def test_chinese_people_get_chinese_mails_and_notices(self):
        # Issue 23 item 5: the Chinese customers were not set to zh_CN and
        # got English mails and notices.
        self.assertTrue(self.env["res.lang"]._lang_get("zh_CN").active)
        company_partner = self.company.partner_id
        customers = self._complaints().partner_id
        users = self.env["res.users"].browse(
            self._ref(f"user_cn_{role}_demo").id
            for role in ("sales", "handler", "manager", "finance", "executive")
        )
        for partner in company_partner | customers | users.partner_id:
            self.assertEqual(partner.lang, "zh_CN", partner.name)
        acknowledged = self._complaints().filtered("date_ack_sent")
        self.assertTrue(acknowledged)
        for complaint in acknowledged:
            with self.subTest(complaint.name):
                subjects = complaint.message_ids.mapped("subject")
                self.assertIn(
                    f"{self.company.name}：您的投诉 {complaint.name} 已受理", subjects
                )
        # Printed from an English screen, the notice is in the customer's
        # language.
        complaint = acknowledged[0]
        html = (
            self.env["ir.actions.report"]
            .with_context(lang="en_US")
            ._render_qweb_html(
                "complaint_center.complaint_report_acceptance_notice", complaint.ids
            )[0]
            .decode()
        )
        self.assertIn("投诉受理告知书", html)
        self.assertIn("我们已收到您的投诉，并决定予以受理", html)
        self.assertNotIn("We have received your complaint", html)

    # Its complaints -------------------------------------------------------------
    def test_complaints_are_the_companys(self):
        complaints = self._complaints()
        self.assertGreaterEqual(len(complaints), 6)
        self.assertEqual(
            set(complaints.mapped("state")),
            {
                "new",
                "investigating",
                "proposed",
                "approved",
                "resolved",
                "closed",
                "rejected",
            },
        )
        cny = self.env.ref("base.CNY")
        for complaint in complaints:
            with self.subTest(complaint.name):
                self.assertEqual(complaint.company_id, self.company)
                self.assertEqual(complaint.currency_id, cny)
                self.assertTrue(complaint.name.startswith("HX"))
                self.assertTrue(complaint.policy_id)
                self.assertTrue(complaint.date_ack_deadline)
                self.assertEqual(complaint.category_id.company_id, self.company)
                self.assertIn(self.company, complaint.first_responder_id.company_ids)
                if complaint.sale_order_id:
                    self.assertEqual(complaint.sale_order_id.currency_id, cny)

    def test_deadline_skips_the_holiday(self):
        complaint = self._ref("complaint_cn_demo_closed_lobby_sofa")
        policy = complaint.policy_id
        self.assertEqual(policy.resolve_day_type, "working")
        received = self._local(complaint.date_received)
        deadline = self._local(complaint.date_resolve_deadline)
        holiday = (
            self._leaves()
            .filtered(lambda leave: leave.date_from > complaint.date_received)
            .sorted("date_from")[:1]
        )
        first = self._local(holiday.date_from).date()
        last = self._local(holiday.date_to).date()
        # Received on the last working day before the holiday.
        self.assertEqual(
            self._working_days(received.date(), first)[-1], received.date()
        )
        self.assertGreater(deadline.date(), last)
        worked = self._working_days(received.date() + timedelta(days=1), deadline)
        self.assertEqual(len(worked), policy.resolve_days)
        self.assertEqual(worked[-1], deadline.date())
        self.assertGreater(
            (deadline.date() - received.date()).days,
            policy.resolve_days + (last - first).days,
        )
        self.assertTrue(complaint.resolve_on_time)
        self.assertEqual(complaint.state, "closed")
        self.assertTrue(complaint.satisfaction)

    def test_penalties_went_through_their_workflow(self):
        complaint = self._ref("complaint_cn_demo_closed_lobby_sofa")
        penalties = complaint.penalty_ids
        self.assertEqual(
            set(penalties.mapped("kind")), {"points", "deduction", "reward"}
        )
        self.assertEqual(set(penalties.mapped("state")), {"applied"})
        self.assertEqual(penalties.confirmed_by_id.login, "cn_manager")
        self.assertEqual(penalties.approved_by_id.login, "cn_finance")
        self.assertEqual(penalties.applied_by_id.login, "cn_finance")
        self.assertEqual(penalties.currency_id, self.env.ref("base.CNY"))
        deduction = penalties.filtered(lambda p: p.kind == "deduction")
        # 5 % of the installer's pay base of CNY 5,000 for a loss of CNY 300.
        self.assertEqual(deduction.amount, 250.0)
        self.assertEqual(deduction.employee_id.name, "黄海")

    def test_major_refund_approved_twice_with_credit_note(self):
        complaint = self._ref("complaint_cn_demo_appr_meeting_chairs")
        self.assertEqual(complaint.state, "approved")
        self.assertTrue(complaint.needs_executive)
        self.assertEqual(complaint.approved_by_id.login, "cn_manager")
        self.assertEqual(complaint.executive_approved_by_id.login, "cn_executive")
        refund = complaint.refund_move_ids
        self.assertEqual(len(refund), 1)
        self.assertEqual(refund.state, "draft")
        self.assertEqual(refund.company_id, self.company)
        self.assertEqual(refund.currency_id, self.env.ref("base.CNY"))
        self.assertEqual(refund.amount_total, 8160.0)

    # The default company's sales user ---------------------------------------------
    def test_sales_user_owns_confirmed_orders_without_complaints(self):
        user = self._ref("user_complaint_user_demo")
        self.assertTrue(user.has_group("sales_team.group_sale_salesman"))
        orders = self.env["sale.order"].search(
            [
                ("user_id", "=", user.id),
                ("state", "=", "sale"),
                ("company_id", "=", user.company_id.id),
                ("complaint_ids", "=", False),
            ]
        )
        self.assertGreaterEqual(len(orders), 2)
        self.assertEqual(
            self.env["sale.order"]
            .with_user(user)
            .search_count([("id", "in", orders.ids)]),
            len(orders),
        )
