"""Handovers to units (各单位处理期限, 001 篇八) and support requests (协办,
003): each unit's own deadline from the policy, its late flag and
escalation, and what the unit may read and write (attacks)."""

from datetime import datetime

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ESCALATION, GROUPS, HANDLE, ComplaintCase, make_user

RECEIVED = datetime(2026, 11, 16, 2, 0)  # Monday 10:00 in Shanghai
HANDED = datetime(2026, 11, 17, 3, 0)  # Tuesday 11:00 in Shanghai
# 15 calendar days from receipt: the end of 1 December in Shanghai.
OVERALL = datetime(2026, 12, 1, 15, 59, 59)


@tagged("post_install", "-at_install")
class TestHandover(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Department = cls.env["hr.department"]
        cls.sales = Department.create({"name": "Sales Branch T"})
        cls.marketing = Department.create({"name": "Marketing T"})
        cls.production = Department.create({"name": "Production T"})
        cls.legal = Department.create({"name": "Legal T"})

        def member(login, department, name):
            user = make_user(
                cls.env, login=login, groups=f"{GROUPS}user", tz="Asia/Shanghai"
            )
            employee = cls.env["hr.employee"].create(
                {"name": name, "user_id": user.id, "department_id": department.id}
            )
            return user, employee

        cls.prod_user, _emp = member("cc_h_prod", cls.production, "Worker Zhao")
        cls.prod_head, head = member("cc_h_prod_head", cls.production, "Head Qian")
        cls.production.manager_id = head
        cls.legal_user, _emp = member("cc_h_legal", cls.legal, "Lawyer Sun")
        cls.accused, cls.accused_employee = member(
            "cc_h_accused", cls.production, "Worker Li"
        )
        # The product quality policy of the regulations: 15 days overall,
        # sales branch 5, marketing 7, production 2.
        cls.policy = cls.env["complaint.policy"].create(
            {
                "name": "Quality 15 days T",
                "sequence": 1,
                "category_ids": [Command.set(cls.category.ids)],
                "resolve_days": 15,
                "resolve_day_type": "calendar",
                "resolve_from": "received",
                "unit_limit_ids": [
                    Command.create({"department_id": cls.sales.id, "days": 5}),
                    Command.create({"department_id": cls.marketing.id, "days": 7}),
                    Command.create({"department_id": cls.production.id, "days": 2}),
                ],
            }
        )
        cls.Handover = cls.env["complaint.handover"]
        # The sweep looks at every handover of the database (demo data).
        cls.env.flush_all()
        cls.env.cr.execute(
            "UPDATE complaint_handover SET date_escalated = now() "
            "WHERE date_escalated IS NULL"
        )
        cls.env.invalidate_all()

    def _accepted(self, **vals):
        with freeze_time(RECEIVED):
            complaint = self._complaint(date_received=RECEIVED, **vals)
            complaint.with_user(self.handler).action_accept()
        self.assertEqual(complaint.policy_id, self.policy)
        self.assertEqual(complaint.date_resolve_deadline, OVERALL)
        return complaint

    def _hand(self, complaint, department=None, kind="handle", user=None, at=HANDED):
        vals = {"complaint_id": complaint.id, "kind": kind, "note": "Check it."}
        if department:
            vals["department_id"] = department.id
        if user:
            vals["user_id"] = user.id
        with freeze_time(at):
            return self.Handover.with_user(self.handler).create(vals)

    def _unit_activities(self, complaint, xmlid, user):
        return self._activities(complaint, xmlid).filtered(lambda a: a.user_id == user)

    # Deadlines ---------------------------------------------------------------
    def test_each_unit_has_its_limit_from_the_policy(self):
        complaint = self._accepted()
        production = self._hand(complaint, self.production)
        sales = self._hand(complaint, self.sales)
        marketing = self._hand(complaint, self.marketing)
        legal = self._hand(complaint, self.legal, kind="support")
        self.assertEqual(production.date_start, HANDED)
        self.assertEqual(production.handed_by_id, self.handler)
        # End of the N-th calendar day after the handover, in Shanghai.
        self.assertEqual(
            (production.limit_days, production.date_deadline),
            (2, datetime(2026, 11, 19, 15, 59, 59)),
        )
        self.assertEqual(
            (sales.limit_days, sales.date_deadline),
            (5, datetime(2026, 11, 22, 15, 59, 59)),
        )
        self.assertEqual(
            (marketing.limit_days, marketing.date_deadline),
            (7, datetime(2026, 11, 24, 15, 59, 59)),
        )
        # No limit for the unit: the complaint's own deadline.
        self.assertEqual((legal.limit_days, legal.date_deadline), (0, OVERALL))
        self.assertEqual(complaint.handover_ids, production | sales | marketing | legal)
        self.assertFalse((production | sales | marketing | legal).filtered("is_late"))
        # The unit's head is told, by the unit's deadline.
        todo = self._unit_activities(complaint, HANDLE, self.prod_head)
        self.assertEqual(len(todo), 1)
        self.assertEqual(str(todo.date_deadline), "2026-11-19")
        self.assertEqual(production.unit_activity_ids, todo)

    def test_unit_limit_never_past_the_overall_deadline(self):
        complaint = self._accepted()
        late_start = datetime(2026, 11, 27, 3, 0)
        marketing = self._hand(complaint, self.marketing, at=late_start)
        # 7 days would end on 4 December: the overall limit ends on 1 December.
        self.assertEqual(marketing.limit_days, 7)
        self.assertEqual(marketing.date_deadline, OVERALL)

    def test_limits_configured_by_managers_only(self):
        limit = self.policy.unit_limit_ids.filtered(
            lambda lim: lim.department_id == self.sales
        )
        for user in (self.user, self.handler, self.prod_head):
            with self.subTest(user.login), self.assertRaises(AccessError):
                limit.with_user(user).write({"days": 30})
        self.assertEqual(limit.days, 5)
        limit.with_user(self.manager).write({"days": 6})
        self.assertEqual(limit.days, 6)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            limit.with_user(self.manager).write({"days": 0})
            limit.env.flush_all()

    # Late flag and escalation ------------------------------------------------
    def test_late_unit_escalated_once_to_its_head(self):
        complaint = self._accepted()
        production = self._hand(complaint, self.production)
        deadline = datetime(2026, 11, 19, 15, 59, 59)
        with freeze_time(datetime(2026, 11, 19, 15, 59)):
            self.assertEqual(self.Handover._cron_escalate_late(), 0)
        self.assertFalse(production.is_late)
        with freeze_time(datetime(2026, 11, 19, 16, 5)):
            self.assertEqual(self.Handover._cron_escalate_late(), 1)
            self.assertTrue(production.is_late)
            self.assertEqual(production.date_escalated, datetime(2026, 11, 19, 16, 5))
            escalations = self._unit_activities(complaint, ESCALATION, self.prod_head)
            self.assertEqual(len(escalations), 1)
            self.assertIn("Production T", escalations.summary)
            messages = len(complaint.message_ids)
            # Once: nothing new on the next run.
            self.assertEqual(self.Handover._cron_escalate_late(), 0)
            self.assertEqual(len(complaint.message_ids), messages)
        self.assertTrue(
            any(
                "deadline" in str(body) and "Production T" in str(body)
                for body in complaint.message_ids.mapped("body")
            )
        )
        # Answered late: done, still late, the unit's to-do closed.
        with freeze_time(datetime(2026, 11, 20, 2, 0)):
            production.with_user(self.prod_user).write({"result": "Welds fixed."})
            production.with_user(self.prod_user).action_done()
        self.assertEqual(production.state, "done")
        self.assertEqual(production.date_done, datetime(2026, 11, 20, 2, 0))
        self.assertGreater(production.date_done, deadline)
        self.assertTrue(production.is_late)
        self.assertFalse(self._unit_activities(complaint, HANDLE, self.prod_head))

    def test_answer_on_time(self):
        complaint = self._accepted()
        sales = self._hand(complaint, self.sales)
        sales.with_user(self.handler).write({"result": "Delivery note sent."})
        with freeze_time(datetime(2026, 11, 22, 15, 0)):
            sales.with_user(self.handler).action_done()
        self.assertEqual(sales.state, "done")
        self.assertFalse(sales.is_late)
        with self.assertRaises(UserError):
            sales.with_user(self.handler).action_done()
        self.assertEqual(sales.date_done, datetime(2026, 11, 22, 15, 0))

    def test_done_needs_an_answer(self):
        complaint = self._accepted()
        production = self._hand(complaint, self.production)
        with self.assertRaises(UserError):
            production.with_user(self.prod_user).action_done()
        self.assertEqual(production.state, "open")
        self.assertFalse(production.date_done)

    # Who hands over, and when -------------------------------------------------
    def test_only_the_handler_hands_over_an_accepted_complaint(self):
        with freeze_time(RECEIVED):
            fresh = self._complaint(date_received=RECEIVED)
        with self.assertRaises(UserError):
            self._hand(fresh, self.production)
        self.assertFalse(fresh.handover_ids)
        complaint = self._accepted()
        for user in (self.handler3, self.user, self.prod_head, self.legal_user):
            with self.subTest(user.login), self.assertRaises(AccessError):
                self.Handover.with_user(user).create(
                    {"complaint_id": complaint.id, "department_id": self.legal.id}
                )
            with self.subTest(user.login), self.assertRaises(AccessError):
                complaint.with_user(user).action_hand_over()
        self.assertFalse(complaint.handover_ids)
        # Stamped by the server, whatever the caller sends.
        with self.assertRaises(AccessError):
            self.Handover.with_user(self.handler).create(
                {
                    "complaint_id": complaint.id,
                    "department_id": self.production.id,
                    "date_deadline": datetime(2027, 1, 1),
                }
            )
        self.assertFalse(complaint.handover_ids)
        action = complaint.with_user(self.handler).action_request_support()
        self.assertEqual(action["context"]["default_kind"], "support")
        manager_made = self.Handover.with_user(self.manager).create(
            {"complaint_id": complaint.id, "department_id": self.production.id}
        )
        self.assertEqual(manager_made.handed_by_id, self.manager)

    def test_unit_and_person_checked(self):
        complaint = self._accepted()
        with self.assertRaises(ValidationError):
            self._hand(complaint, user=self.legal_user)  # a handover needs a unit
        with self.assertRaises(ValidationError):
            self._hand(complaint, kind="support")  # nobody asked
        with self.assertRaises(ValidationError):
            self._hand(complaint, kind="support", user=self.employee)  # no role
        complaint.with_user(self.handler).write(
            {"subject_employee_ids": [Command.link(self.accused_employee.id)]}
        )
        with self.assertRaises(ValidationError):
            self._hand(complaint, self.production, user=self.accused)
        self.assertFalse(complaint.handover_ids)
        support = self._hand(complaint, kind="support", user=self.legal_user)
        self.assertEqual(support.date_deadline, OVERALL)

    # What a support person may do (attacks) ----------------------------------
    def test_support_reads_that_case_only_and_writes_its_answer(self):
        complaint = self._accepted()
        other = self._accepted()
        support = self._hand(complaint, self.legal, kind="support")
        self._hand(other, self.production)
        legal = self.legal_user
        # Reads the case, not the complainant's contact (a non-handler's view).
        as_legal = complaint.with_user(legal)
        self.assertEqual(as_legal.read(["name"])[0]["name"], complaint.name)
        self.assertEqual(
            complaint.with_user(self.handler).complainant_name, "Acme Foods"
        )
        self.assertFalse(as_legal.complainant_name)
        self.assertTrue(as_legal.complainant_confidential)
        # Not the other case, nor its handover.
        with self.assertRaises(AccessError):
            other.with_user(legal).read(["name"])
        self.assertEqual(
            self.env["complaint.complaint"].with_user(legal).search([]), complaint
        )
        self.assertEqual(self.Handover.with_user(legal).search([]), support)
        # Writes nothing on the complaint.
        description = complaint.description
        with self.assertRaises(AccessError):
            as_legal.write({"description": "<p>Rewritten by support.</p>"})
        with self.assertRaises(AccessError):
            as_legal.action_propose()
        self.assertEqual(complaint.description, description)
        self.assertEqual(complaint.state, "investigating")
        # Nor its deadline, request, person, kind or unit.
        attacks = {
            "date_deadline": datetime(2027, 1, 1),
            "date_start": datetime(2026, 1, 1),
            "limit_days": 90,
            "state": "done",
            "date_done": datetime(2026, 11, 17, 4, 0),
            "date_escalated": False,
            "note": "Changed request",
            "user_id": legal.id,
            "kind": "handle",
            "department_id": self.sales.id,
        }
        before = support.read(list(attacks))[0]
        for name, value in attacks.items():
            with self.subTest(name), self.assertRaises(AccessError):
                support.with_user(legal).write({name: value})
        self.assertEqual(support.read(list(attacks))[0], before)
        with self.assertRaises(AccessError):
            support.with_user(legal).unlink()
        self.assertTrue(support.exists())
        # Its own answer, then done.
        support.with_user(legal).write({"result": "No legal risk in an exchange."})
        support.with_user(legal).action_done()
        self.assertEqual(support.state, "done")
        # Once done: the answer is frozen, the case still readable.
        with self.assertRaises(UserError):
            support.with_user(legal).write({"result": "Changed afterwards."})
        self.assertEqual(support.result, "No legal risk in an exchange.")
        self.assertTrue(as_legal.read(["name"]))
        with self.assertRaises(AccessError):
            as_legal.write({"description": "<p>Rewritten after.</p>"})

    def test_outsiders_and_involved_see_nothing(self):
        complaint = self._accepted()
        production = self._hand(complaint, self.production)
        for user in (self.user2, self.legal_user):
            with self.subTest(user.login):
                with self.assertRaises(AccessError):
                    complaint.with_user(user).read(["name"])
                with self.assertRaises(AccessError):
                    production.with_user(user).read(["result"])
                with self.assertRaises(AccessError):
                    production.with_user(user).write({"result": "Intruder"})
                with self.assertRaises(AccessError):
                    production.with_user(user).action_done()
        self.assertFalse(production.result)
        # A unit member complained about in the case sees none of it (回避).
        self.assertTrue(complaint.with_user(self.accused).read(["name"]))
        complaint.with_user(self.handler).write(
            {"subject_employee_ids": [Command.link(self.accused_employee.id)]}
        )
        with self.assertRaises(AccessError):
            complaint.with_user(self.accused).read(["name"])
        with self.assertRaises(AccessError):
            production.with_user(self.accused).write({"result": "Not me"})
        self.assertFalse(production.result)

    def test_handler_edits_the_request_while_open(self):
        complaint = self._accepted()
        production = self._hand(complaint, self.production)
        production.with_user(self.handler).write(
            {"note": "Check the welds too.", "user_id": self.prod_user.id}
        )
        self.assertEqual(production.user_id, self.prod_user)
        # The to-do follows the person named.
        self.assertFalse(self._unit_activities(complaint, HANDLE, self.prod_head))
        todo = self._unit_activities(complaint, HANDLE, self.prod_user)
        self.assertEqual(len(todo), 1)
        self.assertEqual(str(todo.date_deadline), "2026-11-19")
        with self.assertRaises(AccessError):
            production.with_user(self.handler).write(
                {"date_deadline": datetime(2027, 1, 1)}
            )
        self.assertEqual(production.date_deadline, datetime(2026, 11, 19, 15, 59, 59))
        # Handed over by mistake: a manager deletes it while unanswered, and
        # its to-do goes with it; an answered one stays.
        answered = self._hand(complaint, self.sales)
        answered.with_user(self.handler).write({"result": "Sent."})
        with self.assertRaises(UserError):
            answered.with_user(self.manager).unlink()
        self.assertTrue(answered.exists())
        production.with_user(self.manager).unlink()
        self.assertFalse(production.exists())
        self.assertFalse(self._unit_activities(complaint, HANDLE, self.prod_user))

    # The handling form's flow section -----------------------------------------
    def test_handling_form_prints_the_units(self):
        complaint = self._accepted()
        production = self._hand(complaint, self.production)
        production.with_user(self.prod_user).write({"result": "Done."})
        with freeze_time(datetime(2026, 11, 18, 2, 0)):
            production.with_user(self.prod_user).action_done()
        html = self.env["ir.actions.report"]._render_qweb_html(
            "complaint_center.report_complaint_form", complaint.ids
        )[0]
        html = html.decode() if isinstance(html, bytes) else str(html)
        self.assertIn("Unit Handling Flow", html)
        self.assertIn("Production T", html)
        self.assertIn("Yes", html.split("Unit Handling Flow", 1)[1])

    # zh_CN (移交 / 协办 / 处理期限) --------------------------------------------
    def test_chinese_wording(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["complaint_center"], ["zh_CN"], overwrite=True
        )
        complaint = self._accepted()
        self._hand(complaint, self.legal, kind="support")
        chinese = self.env(context=dict(self.env.context, lang="zh_CN"))
        Handover = chinese["complaint.handover"]
        kinds = dict(Handover._fields["kind"]._description_selection(chinese))
        self.assertEqual(kinds, {"handle": "移交", "support": "协办"})
        self.assertEqual(
            Handover._fields["date_deadline"].get_description(chinese)["string"],
            "处理期限",
        )
        with self.assertRaisesRegex(UserError, "请先填写移交"):
            complaint.handover_ids.with_env(chinese).action_done()
        html = chinese["ir.actions.report"]._render_qweb_html(
            "complaint_center.report_complaint_form", complaint.ids
        )[0]
        html = html.decode() if isinstance(html, bytes) else str(html)
        self.assertIn("各单位处理流程", html)
        self.assertIn("协办", html)


@tagged("post_install", "-at_install")
class TestHandoverDemo(ComplaintCase):
    """The demo tells the handovers' story (when it is installed)."""

    def test_demo_shows_handovers_and_support(self):
        production = self.env.ref(
            "complaint_center.complaint_handover_demo_drawer_production", False
        )
        if not production:
            self.skipTest("no demo data")
        legal = self.env.ref("complaint_center.complaint_handover_demo_drawer_legal")
        sales = self.env.ref("complaint_center.complaint_handover_demo_drawer_sales")
        cn_production = self.env.ref(
            "complaint_center.complaint_handover_cn_demo_mattress_production"
        )
        cn_sales = self.env.ref(
            "complaint_center.complaint_handover_cn_demo_mattress_sales"
        )
        # Production answered after its 2 days: done, late.
        self.assertEqual(
            (production.kind, production.state, production.limit_days),
            ("handle", "done", 2),
        )
        self.assertTrue(production.is_late)
        # Legal (support, 3 days) missed its deadline: escalated by the sweep.
        self.assertEqual(
            (legal.kind, legal.state, legal.limit_days), ("support", "open", 3)
        )
        self.assertTrue(legal.is_late and legal.date_escalated)
        # Sales (5 days) within the complaint's own deadline.
        self.assertEqual((sales.state, sales.limit_days), ("open", 5))
        self.assertLessEqual(
            sales.date_deadline, sales.complaint_id.date_resolve_deadline
        )
        self.assertEqual(cn_production.department_id.name, "生产部")
        self.assertTrue(cn_production.is_late)
        self.assertEqual((cn_sales.kind, cn_sales.limit_days), ("support", 5))
        limits = self.env.ref(
            "complaint_center.complaint_policy_cn_demo_quality_domestic"
        ).unit_limit_ids
        self.assertEqual(
            {(lim.department_id.name, lim.days) for lim in limits},
            {("销售部", 5), ("市场部", 7), ("生产部", 2), ("法务部", 3)},
        )
