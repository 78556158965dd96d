"""Tours: each role clicks through its part of a complaint's life in headless
Chromium (static/tests/tours/complaint_center_tours.js), in English and in
Chinese. Between the tours the test checks what the server stored, so a tour
that clicks the wrong thing cannot pass."""

from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from .common import make_user

GROUPS = "complaint_center.group_complaint_"
SALES = "sales_team.group_sale_salesman"


@tagged("post_install", "-at_install", "complaint_tour")
class TestTours(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        company = cls.env.company
        company.partner_id.tz = "Asia/Shanghai"
        company.resource_calendar_id.tz = "Asia/Shanghai"

        def user(login, name, groups):
            return make_user(
                cls.env, login=login, name=name, groups=groups, tz="Asia/Shanghai"
            )

        cls.sales_user = user(
            "cc_tour_user", "Tourtest Seller", f"{GROUPS}user,{SALES}"
        )
        cls.handler = user("cc_tour_handler", "Tourtest Handler", f"{GROUPS}handler")
        cls.manager = user("cc_tour_manager", "Tourtest Manager", f"{GROUPS}manager")
        cls.executive = user(
            "cc_tour_executive", "Tourtest Executive", f"{GROUPS}executive"
        )
        cls.finance = user("cc_tour_finance", "Tourtest Finance", f"{GROUPS}finance")
        department = cls.env["hr.department"].create({"name": "Tourtest Packing"})
        cls.packer = cls.env["hr.employee"].create(
            {"name": "Tourtest Packer", "department_id": department.id}
        )
        cls.category = cls.env["complaint.category"].create(
            {
                "name": "Tourtest Quality",
                "code": "TTQ",
                "department_id": department.id,
                "user_id": cls.handler.id,
            }
        )
        address = {"street": "88 Tourtest Road", "city": "Shanghai"}
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Tourtest Foods",
                "is_company": True,
                "email": "foods@tour.test",
                **address,
            }
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Zhang Wei",
                "parent_id": cls.customer.id,
                "email": "zhang.wei@tour.test",
                **address,
            }
        )
        widget = cls.env["product.product"].create(
            {"name": "Tourtest Widget", "type": "consu", "list_price": 120.0}
        )
        gadget = cls.env["product.product"].create(
            {"name": "Tourtest Gadget", "type": "consu", "list_price": 80.0}
        )
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.contact.id,
                "user_id": cls.sales_user.id,
                "order_line": [
                    Command.create({"product_id": widget.id}),
                    Command.create({"product_id": gadget.id}),
                ],
            }
        )
        cls.order.action_confirm()
        cls.widget_line = cls.order.order_line.filtered(
            lambda line: line.product_id == widget
        )

    # Helpers ------------------------------------------------------------------
    def _tour(self, url, name, user):
        self.start_tour(url, name, login=user.login, timeout=180)

    def _form_url(self, record, action):
        return f"/odoo/action-complaint_center.{action}/{record.id}"

    def _set_lang(self, lang):
        if lang == "en_US":
            return
        self.env["res.lang"]._activate_lang(lang)
        self.env["ir.module.module"]._load_module_terms(
            ["base", "web", "mail", "portal", "sale", "hr", "complaint_center"], [lang]
        )
        users = self.sales_user | self.handler | self.manager
        (users | self.executive | self.finance).lang = lang

    # Journeys -----------------------------------------------------------------
    def _main_path(self, lang):
        self._set_lang(lang)
        Complaint = self.env["complaint.complaint"]

        self._tour(
            "/odoo/action-sale.action_orders",
            "complaint_center_log_from_order",
            self.sales_user,
        )
        complaint = Complaint.search([("sale_order_id", "=", self.order.id)])
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.state, "new")
        self.assertEqual(complaint.sale_line_ids, self.widget_line)
        self.assertEqual(complaint.first_responder_id, self.sales_user)
        self.assertEqual(complaint.severity, "major")
        self.assertEqual(complaint.complainant_name, "Zhang Wei")
        self.assertEqual(complaint.user_id, self.handler, "routed by the category")
        self.assertIn("cracked", complaint.description)
        # Left by Back and by the breadcrumb, then discarded: never registered
        # (issue 23 item 13).
        self.assertFalse(
            Complaint.with_context(active_test=False).search(
                [("description", "ilike", "phoned about")]
            )
        )
        self.assertEqual(complaint.complainant_email, "zhang.wei@tour.test")
        self.assertIn("88 Tourtest Road", complaint.complainant_address)
        address = complaint.complainant_address
        url = self._form_url(complaint, "complaint_complaint_action")

        self._tour(url, "complaint_center_handler_investigates", self.handler)
        # The phone was corrected; the other complainant fields stayed (item 1).
        self.assertEqual(
            (
                complaint.complainant_phone,
                complaint.complainant_name,
                complaint.complainant_email,
                complaint.complainant_address,
            ),
            ("+86 21 5555 0101", "Zhang Wei", "zhang.wei@tour.test", address),
        )
        self.assertEqual(complaint.state, "proposed")
        self.assertEqual(complaint.proposed_by_id, self.handler)
        line = complaint.responsibility_ids
        self.assertEqual((line.employee_id, line.share), (self.packer, 100.0))
        self.assertEqual(complaint.compensation_amount, 300.0)

        self._tour(url, "complaint_center_manager_approves", self.manager)
        self.assertEqual(
            complaint.state, "proposed", "a major case needs the executive"
        )
        self.assertEqual(complaint.approved_by_id, self.manager)

        self._tour(url, "complaint_center_executive_approves", self.executive)
        self.assertEqual(complaint.state, "approved")
        self.assertEqual(complaint.executive_approved_by_id, self.executive)

        self._tour(url, "complaint_center_handler_resolves", self.handler)
        self.assertEqual(complaint.state, "resolved")
        self.assertEqual(complaint.visit_ids.satisfaction, "satisfied")
        self.assertEqual(complaint.satisfaction, "satisfied")

        # A rule added since the approval: Propose Penalties proposes its
        # penalty, then nothing more (issue 23 item 12).
        late_rule = self.env["complaint.penalty.rule"].create(
            {"name": "Tourtest Late Point", "rule_type": "points", "points": 2}
        )
        proposed = complaint.penalty_ids
        self.assertFalse(proposed.filtered(lambda p: p.rule_id == late_rule))
        self._tour(url, "complaint_center_manager_closes", self.manager)
        self.assertEqual(complaint.state, "closed")
        added = complaint.penalty_ids - proposed
        self.assertEqual(len(added), 1)
        self.assertEqual((added.rule_id, added.employee_id), (late_rule, self.packer))

        penalty = complaint.penalty_ids.filtered(
            lambda p: p.employee_id == self.packer and p.amount > 0
        ).sorted("amount", reverse=True)[:1]
        self.assertTrue(penalty, "a deduction was proposed for the packer")
        self.assertEqual(penalty.state, "draft")
        penalty_url = self._form_url(penalty, "complaint_penalty_action")
        self._tour(
            penalty_url, "complaint_center_manager_confirms_penalty", self.manager
        )
        self.assertEqual(penalty.state, "confirmed")
        self._tour(
            penalty_url, "complaint_center_finance_applies_penalty", self.finance
        )
        self.assertEqual(penalty.state, "applied")
        self.assertEqual(penalty.payroll_period, "2026-12")
        return complaint

    def test_main_path_english(self):
        self._main_path("en_US")

    def test_main_path_chinese(self):
        complaint = self._main_path("zh_CN")
        self._tour(
            self._form_url(complaint, "complaint_complaint_action"),
            "complaint_center_reads_chinese",
            self.manager,
        )

    def test_unrouted_complaint_reaches_the_intake_team(self):
        """Issue 23 item 3: a complaint in a category that names neither a
        department nor a handler lands in the intake team's queue, with a
        to-do, and its agent finds both in the browser."""
        intake_department = self.env["hr.department"].create(
            {"name": "Tourtest Complaint Center"}
        )
        self.env.company.complaint_intake_department_id = intake_department
        intake = make_user(
            self.env,
            login="cc_tour_intake",
            name="Tourtest Intake",
            groups=f"{GROUPS}handler",
            tz="Asia/Shanghai",
        )
        self.env["hr.employee"].create(
            {
                "name": "Tourtest Intake",
                "user_id": intake.id,
                "department_id": intake_department.id,
            }
        )
        nobody = self.env["complaint.category"].create(
            {"name": "Tourtest Nobody", "code": "TTN"}
        )
        complaint = (
            self.env["complaint.complaint"]
            .with_user(self.sales_user)
            .create(
                {
                    "partner_id": self.customer.id,
                    "category_id": nobody.id,
                    "description": "<p>Nobody's category.</p>",
                }
            )
        )
        self.assertFalse(complaint.user_id or complaint.department_id)
        self.assertEqual(complaint.activity_ids.user_id, intake)
        self._tour(
            "/odoo/action-complaint_center.complaint_complaint_action",
            "complaint_center_intake_finds_unrouted",
            intake,
        )

    def test_manager_prints_and_downloads(self):
        complaint = self.env["complaint.complaint"].create(
            {
                "partner_id": self.customer.id,
                "category_id": self.category.id,
                "description": "<p>Printed by the tour.</p>",
            }
        )
        self._tour(
            self._form_url(complaint, "complaint_complaint_action"),
            "complaint_center_manager_prints",
            self.manager,
        )

    def test_portal_customer_submits_and_replies(self):
        portal = make_user(
            self.env,
            login="cc_tour_portal",
            name="Zhang Wei",
            email="zhang.wei@tour.test",
            groups="base.group_portal",
            partner_id=self.contact.id,
        )
        Complaint = self.env["complaint.complaint"]
        before = Complaint.search([("partner_id", "child_of", self.customer.id)])
        self._tour("/my/complaints", "complaint_center_portal_submits", portal)
        complaint = (
            Complaint.search([("partner_id", "child_of", self.customer.id)]) - before
        )
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.channel, "portal")
        self.assertEqual(complaint.sale_order_id, self.order)
        self.assertEqual(complaint.state, "new")
        reply = complaint.message_ids.filtered(
            lambda m: "photographed" in (m.body or "")
        )
        self.assertEqual(reply.author_id, self.contact)
        self.assertEqual(reply.message_type, "comment")
