from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ComplaintCase, make_user


@tagged("post_install", "-at_install")
class TestSecurity(ComplaintCase):
    def test_group_chain(self):
        self.assertTrue(
            self.executive.has_group("complaint_center.group_complaint_manager")
        )
        self.assertTrue(
            self.manager.has_group("complaint_center.group_complaint_handler")
        )
        self.assertTrue(self.handler.has_group("complaint_center.group_complaint_user"))
        # The deputy general manager ranks between them: no access rows of
        # its own, it holds the manager's through the implied group.
        self.assertTrue(
            self.executive.has_group("complaint_center.group_complaint_deputy")
        )
        deputy = self.env.ref("complaint_center.group_complaint_deputy")
        self.assertEqual(
            deputy.implied_ids, self.env.ref("complaint_center.group_complaint_manager")
        )
        self.assertFalse(
            self.manager.has_group("complaint_center.group_complaint_deputy")
        )
        self.assertFalse(
            self.finance.has_group("complaint_center.group_complaint_user")
        )
        self.assertFalse(
            self.finance.has_group("complaint_center.group_complaint_handler")
        )
        admin = self.env.ref("base.user_admin")
        self.assertTrue(admin.has_group("complaint_center.group_complaint_executive"))

    def test_every_model_has_acl_rows_per_group(self):
        groups = self.env["res.groups"].browse(
            self.env.ref(f"complaint_center.group_complaint_{role}").id
            for role in ("user", "handler", "manager", "finance", "executive")
        )
        for model in ("complaint.complaint", "complaint.category"):
            acls = self.env["ir.model.access"].search([("model_id.model", "=", model)])
            self.assertEqual(acls.group_id, groups, model)

    @mute_logger("odoo.addons.base.models.ir_model")
    def test_employee_without_group_cannot_read(self):
        complaint = self._complaint()
        with self.assertRaises(AccessError):
            complaint.with_user(self.employee).read(["name"])
        with self.assertRaises(AccessError):
            self.env["complaint.complaint"].with_user(self.employee).create(
                {"partner_id": self.customer.id}
            )

    @mute_logger("odoo.addons.base.models.ir_model")
    def test_finance_reads_but_does_not_write(self):
        complaint = self._complaint(compensation_amount=80.0)
        # Finance reads complaints carrying compensation or penalties only.
        complaint.with_user(self.finance).read(["name", "claimed_amount"])
        with self.assertRaises(AccessError):
            self._complaint().with_user(self.finance).read(["name"])
        with self.assertRaises(AccessError):
            complaint.with_user(self.finance).write({"severity": "major"})
        with self.assertRaises(AccessError):
            self._complaint(user=self.finance)
        self.assertEqual(complaint.severity, "general")

    @mute_logger("odoo.addons.base.models.ir_model")
    def test_only_manager_configures_categories(self):
        with self.assertRaises(AccessError):
            self.category.with_user(self.handler).write({"name": "X"})
        self.category.with_user(self.manager).write({"name": "Quality (renamed)"})

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_multi_company_rule(self):
        other_company = self.env["res.company"].create({"name": "Branch Co"})
        outsider = make_user(
            self.env,
            login="cc_t_outsider",
            groups="complaint_center.group_complaint_manager",
            company_id=other_company.id,
            company_ids=[other_company.id],
        )
        complaint = self._complaint()
        with self.assertRaises(AccessError):
            complaint.with_user(outsider).read(["name"])
        visible = self.env["complaint.complaint"].with_user(outsider).search([])
        self.assertNotIn(complaint, visible)
        # A back-office intake names its category and what happened.
        category = self.env["complaint.category"].create(
            {"name": "Branch Quality", "code": "BQ", "company_id": other_company.id}
        )
        theirs = (
            self.env["complaint.complaint"]
            .with_user(outsider)
            .with_company(other_company)
            .create(
                {
                    "partner_id": self.other_customer.id,
                    "category_id": category.id,
                    "description": "<p>Broken.</p>",
                }
            )
        )
        self.assertEqual(theirs.company_id, other_company)
        self.assertIn(
            theirs, self.env["complaint.complaint"].with_user(outsider).search([])
        )

    @mute_logger("odoo.addons.base.models.ir_model")
    def test_director_changes_complaint_settings(self):
        Settings = self.env["complaint.settings"]
        settings = Settings.with_user(self.manager).create({"complaint_repeat_days": 7})
        settings.action_save()
        self.assertEqual(self.company.complaint_repeat_days, 7)
        # What the general manager signs off stays his to set.
        with self.assertRaises(AccessError):
            Settings.with_user(self.manager).create(
                {"complaint_executive_threshold": 1.0}
            )
        self.assertEqual(self.company.complaint_executive_threshold, 5000.0)
        Settings.with_user(self.executive).create(
            {"complaint_executive_threshold": 800.0}
        )
        self.assertEqual(self.company.complaint_executive_threshold, 800.0)
        # Handlers do not configure; managers get no other system setting.
        with self.assertRaises(AccessError):
            Settings.with_user(self.handler).create({"complaint_repeat_days": 1})
        with self.assertRaises(AccessError):
            self.env["res.config.settings"].with_user(self.manager).create({})
        self.assertEqual(self.company.complaint_repeat_days, 7)
        menu = self.env.ref("complaint_center.complaint_menu_settings")
        self.assertEqual(
            menu.action, self.env.ref("complaint_center.complaint_settings_action")
        )
        self.assertIn(
            menu.id,
            self.env["ir.ui.menu"].with_user(self.manager)._visible_menu_ids(),
        )

    def test_each_setting_declared_once_with_its_role(self):
        # Who changes which setting, as the regulations' approvals put it:
        # what the general manager signs off is his.
        expected = {
            "complaint_ref_prefix": "manager",
            "complaint_director_id": "manager",
            "complaint_intake_department_id": "manager",
            "complaint_repeat_days": "manager",
            "complaint_require_actions_done": "manager",
            "complaint_auto_mail": "manager",
            "complaint_mail_create_partner": "manager",
            "complaint_similar_days": "manager",
            "complaint_similar_synonyms": "manager",
            "complaint_amount_limit": "manager",
            "complaint_reply_days": "manager",
            "complaint_require_customer_agreement": "manager",
            "complaint_penalty_feedback": "manager",
            "complaint_retention_years": "manager",
            "complaint_circular_issuer": "executive",
            "complaint_remote_state_ids": "manager",
            "complaint_executive_id": "executive",
            "complaint_executive_threshold": "executive",
            "complaint_penalty_executive_threshold": "executive",
            # The deputy level: what the deputy signs off, set by the general
            # manager; the appeal window is the center's.
            "complaint_use_deputy": "executive",
            "complaint_deputy_id": "executive",
            "complaint_deputy_threshold": "executive",
            "complaint_appeal_days": "manager",
        }
        for model in ("complaint.settings", "res.config.settings"):
            self.assertEqual(
                self.env[model]._complaint_setting_roles(), expected, model
            )
        # Every complaint setting of the company is on both forms (the
        # counter and the placeholder customer are bookkeeping, not settings).
        company_settings = {
            name
            for name in self.env["res.company"]._fields
            if name.startswith("complaint_")
        } - {"complaint_sequence_id", "complaint_unknown_partner_id"}
        self.assertEqual(company_settings, set(expected))
        # The similar-complaints window was the one setting without a role.
        with self.assertRaises(AccessError):
            self.env["complaint.settings"].with_user(self.handler).create(
                {"complaint_similar_days": 1}
            )
        self.assertEqual(self.company.complaint_similar_days, 90)


@tagged("post_install", "-at_install")
class TestIntakeQueue(ComplaintCase):
    """A complaint routed nowhere (no department, no handler) belongs to the
    intake team (the complaint handlers of the company's intake department)
    and the managers; a department's handlers see their department's
    (issue 22). Each one lands in someone's queue (issue 23)."""

    PHONE = "+86 139 1111 2222"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.intake_department = cls.env["hr.department"].create(
            {"name": "Complaint Center"}
        )
        cls.company.complaint_intake_department_id = cls.intake_department
        cls.intake = make_user(
            cls.env,
            login="cc_t_intake",
            groups="complaint_center.group_complaint_handler",
        )
        cls.env["hr.employee"].create(
            {
                "name": "Intake Agent",
                "user_id": cls.intake.id,
                "department_id": cls.intake_department.id,
            }
        )
        cls.activity_type = cls.env.ref(
            "complaint_center.mail_activity_type_complaint_route"
        )
        # A category that routes nowhere (the back office names one).
        cls.unrouted_category = cls.env["complaint.category"].create(
            {"name": "Not Routed T", "code": "NRT"}
        )

    def _unrouted(self):
        complaint = self._complaint(
            user=self.user,
            category_id=self.unrouted_category.id,
            complainant_phone=self.PHONE,
        )
        self.assertFalse(complaint.user_id or complaint.department_id)
        return complaint

    def _routing_todos(self, complaint):
        return complaint.activity_ids.filtered(
            lambda a: a.activity_type_id == self.activity_type
        )

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_unrouted_complaint_hidden_from_other_handlers(self):
        complaint = self._unrouted()
        Complaint = self.env["complaint.complaint"]
        # handler2 works in Quality, handler3 in no department.
        for outsider in (self.handler2, self.handler3):
            with self.subTest(outsider.login):
                with self.assertRaises(AccessError):
                    complaint.with_user(outsider).read(["complainant_phone"])
                mine = Complaint.with_user(outsider)
                self.assertNotIn(complaint, mine.search([]))
                self.assertFalse(mine.search([("id", "=", complaint.id)]))
                self.assertFalse(
                    mine.search_read([("id", "=", complaint.id)], ["complainant_phone"])
                )
                self.assertFalse(
                    mine.search([("complainant_phone", "ilike", "1111 2222")])
                )
                self.assertFalse(mine.search_count([("id", "=", complaint.id)]))
        # Nothing changed, nothing was taken.
        self.assertEqual(complaint.complainant_phone, self.PHONE)
        self.assertFalse(complaint.user_id or complaint.department_id)

    def test_intake_team_and_managers_read_and_route(self):
        complaint = self._unrouted()
        Complaint = self.env["complaint.complaint"]
        for reader in (self.intake, self.manager):
            with self.subTest(reader.login):
                self.assertEqual(
                    complaint.with_user(reader).complainant_phone, self.PHONE
                )
                self.assertIn(
                    complaint,
                    Complaint.with_user(reader).search(
                        [("complainant_phone", "ilike", "1111 2222")]
                    ),
                )
        # The intake team routes it to Quality: from then on it is Quality's.
        complaint.with_user(self.intake).department_id = self.department
        self.assertEqual(
            complaint.with_user(self.handler2).complainant_phone, self.PHONE
        )
        with (
            self.assertRaises(AccessError),
            mute_logger("odoo.addons.base.models.ir_rule"),
        ):
            complaint.with_user(self.intake).read(["complainant_phone"])

    def test_no_intake_department_leaves_unrouted_to_managers(self):
        self.company.complaint_intake_department_id = False
        complaint = self._unrouted()
        with (
            self.assertRaises(AccessError),
            mute_logger("odoo.addons.base.models.ir_rule"),
        ):
            complaint.with_user(self.intake).read(["name"])
        self.assertEqual(
            complaint.with_user(self.manager).complainant_phone, self.PHONE
        )

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_only_the_handlers_of_a_complaint_act_on_it(self):
        """Unassigned is not open to every handler: handler2 received a
        complaint routed to Logistics (he reads it as its first responder)
        but does not accept it; a Logistics handler does."""
        complaint = self._complaint(
            user=self.handler2,
            category_id=self.unrouted_category.id,
            department_id=self.other_department.id,
        )
        self.assertFalse(complaint.with_user(self.handler2).can_accept)
        with self.assertRaises(UserError):
            complaint.with_user(self.handler2).action_accept()
        self.assertEqual(complaint.state, "new")
        logistics = make_user(
            self.env,
            login="cc_t_logistics",
            groups="complaint_center.group_complaint_handler",
        )
        self.env["hr.employee"].create(
            {
                "name": "Logistics Handler",
                "user_id": logistics.id,
                "department_id": self.other_department.id,
            }
        )
        complaint.with_user(logistics).action_accept()
        self.assertEqual(complaint.state, "investigating")

    def test_every_new_complaint_lands_in_a_queue(self):
        # Routed nowhere: a to-do for the intake team.
        unrouted = self._unrouted()
        self.assertEqual(self._routing_todos(unrouted).user_id, self.intake)
        # Routed to a department without a handler: its head, once it has one.
        head = make_user(
            self.env, login="cc_t_head", groups="complaint_center.group_complaint_user"
        )
        self.department.manager_id = self.env["hr.employee"].create(
            {"name": "Head of Quality", "user_id": head.id}
        )
        quality = self._complaint(
            user=self.user,
            category_id=self.unrouted_category.id,
            department_id=self.department.id,
        )
        self.assertEqual(self._routing_todos(quality).user_id, head)
        # ... else that department's handlers; Logistics has neither: the
        # complaint center's director.
        self.company.complaint_director_id = self.manager
        logistics = self._complaint(
            user=self.user,
            category_id=self.unrouted_category.id,
            department_id=self.other_department.id,
        )
        self.assertEqual(self._routing_todos(logistics).user_id, self.manager)
        self.department.manager_id = False
        no_head = self._complaint(
            user=self.user,
            category_id=self.unrouted_category.id,
            department_id=self.department.id,
        )
        self.assertEqual(self._routing_todos(no_head).user_id, self.handler2)
        # With a handler: his own to-do, no routing.
        handled = self._complaint(user=self.user)
        self.assertEqual(handled.user_id, self.handler)
        self.assertFalse(self._routing_todos(handled))
        self.assertTrue(
            handled.activity_ids.filtered(lambda a: a.user_id == self.handler)
        )
        # Routed by the intake team: the to-do follows, and goes once a
        # handler is named.
        unrouted.with_user(self.intake).department_id = self.department
        self.assertEqual(self._routing_todos(unrouted).user_id, self.handler2)
        unrouted.with_user(self.handler2).user_id = self.handler2
        self.assertFalse(self._routing_todos(unrouted))
        self.assertEqual(unrouted.activity_ids.user_id, self.handler2)
        # Routed by its category (which names a handler): his to-do.
        by_category = self._unrouted()
        by_category.with_user(self.intake).category_id = self.category
        self.assertEqual(by_category.user_id, self.handler)
        self.assertFalse(self._routing_todos(by_category))
        self.assertEqual(by_category.activity_ids.user_id, self.handler)

    def test_handled_by_me_is_what_the_handler_rule_shows(self):
        # One definition of "handles": the field the handlers' rules search.
        unrouted = self._unrouted()
        assigned = self._complaint(user_id=self.handler2.id)
        # Routed nowhere, so the intake team's, but about its own agent.
        involved = self._complaint(
            category_id=self.unrouted_category.id,
            subject_employee_ids=[Command.set(self.intake.employee_ids.ids)],
        )
        Complaint = self.env["complaint.complaint"]
        for user, expected in (
            (self.intake, unrouted),
            (self.handler2, assigned),
        ):
            mine = Complaint.with_user(user).search([("is_handled_by_me", "=", True)])
            self.assertEqual(mine & (unrouted | assigned | involved), expected)
            for complaint in unrouted | assigned | involved:
                self.assertEqual(
                    complaint.with_user(user).sudo().is_handled_by_me,
                    complaint == expected,
                    (user.login, complaint.name),
                )
        # The involved handler neither handles nor reads his own case.
        self.assertFalse(
            Complaint.with_user(self.intake).search([("id", "=", involved.id)])
        )


@tagged("post_install", "-at_install")
class TestClerkVisibility(ComplaintCase):
    """Hole 11 (issue 22): a clerk who may create contacts made herself the
    customer's salesperson and so read its complaints. The clerks' rule
    reads the salespeople recorded at intake, which she cannot write."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Odoo's default rights of a new user include Contact Creation.
        cls.clerk = make_user(
            cls.env,
            login="cc_t_hole11",
            groups="complaint_center.group_complaint_user,base.group_partner_manager",
        )
        cls.victim = (
            cls.env["complaint.complaint"]
            .with_user(cls.user2)
            .create(
                {
                    "partner_id": cls.other_customer.id,
                    "sale_order_id": cls.other_order.id,
                    "category_id": cls.category.id,
                    "description": "<p>Broken seal.</p>",
                }
            )
        )
        cls.own = (
            cls.env["complaint.complaint"]
            .with_user(cls.clerk)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "category_id": cls.category.id,
                    "description": "<p>Late.</p>",
                }
            )
        )

    def _visible(self, user):
        return self.env["complaint.complaint"].with_user(user).search([])

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_salesperson_written_by_the_clerk_widens_nothing(self):
        before = self._visible(self.clerk)
        self.assertIn(self.own, before)
        self.assertNotIn(self.victim, before)
        # The write itself is Odoo's to allow: it goes through...
        self.other_customer.with_user(self.clerk).write({"user_id": self.clerk.id})
        self.assertEqual(self.other_customer.user_id, self.clerk)
        # ... and opens nothing.
        self.assertEqual(self._visible(self.clerk), before)
        with self.assertRaises(AccessError):
            self.victim.with_user(self.clerk).read(["description"])
        self.assertFalse(
            self.env["complaint.complaint"]
            .with_user(self.clerk)
            .search_read([("id", "=", self.victim.id)], ["description"])
        )

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_order_salesperson_written_by_a_clerk_widens_nothing(self):
        # self.user sells with every lead: he may write any order.
        before = self._visible(self.user)
        self.assertNotIn(self.victim, before)
        self.other_order.with_user(self.user).write({"user_id": self.user.id})
        self.assertEqual(self.other_order.user_id, self.user)
        self.assertEqual(self._visible(self.user), before)
        with self.assertRaises(AccessError):
            self.victim.with_user(self.user).read(["description"])

    def test_salespeople_at_intake_see_their_complaints(self):
        self.customer.user_id = self.clerk
        self.order.user_id = self.user2
        complaint = self._complaint(user=self.user, sale_order_id=self.order.id)
        self.assertEqual(complaint.customer_salesperson_id, self.clerk)
        self.assertEqual(complaint.order_salesperson_id, self.user2)
        self.assertIn(complaint, self._visible(self.clerk))
        self.assertIn(complaint, self._visible(self.user2))
        # A later change of salesperson is not followed: the complaint stays
        # with the salespeople of its intake.
        self.customer.user_id = self.user2
        self.assertEqual(complaint.customer_salesperson_id, self.clerk)
        self.assertIn(complaint, self._visible(self.clerk))
