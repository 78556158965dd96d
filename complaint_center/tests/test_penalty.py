from datetime import date

import psycopg2

from odoo import SUPERUSER_ID, api
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import float_round, mute_logger

from ..core import penalty as core_penalty
from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestPenalty(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Only the rules made here apply, whatever the database ships.
        cls.env["complaint.penalty.rule"].search([]).active = False
        cls.company.complaint_penalty_executive_threshold = 1000.0
        Rule = cls.env["complaint.penalty.rule"]
        cls.points_rule = Rule.create(
            {
                "name": "Point",
                "rule_type": "points",
                "points": 1,
                "repeat_multiplier": 2,
            }
        )
        cls.severity_rule = Rule.create(
            {
                "name": "Severity",
                "rule_type": "severity",
                "amount_general": 200.0,
                "amount_major": 1500.0,
                "repeat_multiplier": 2,
            }
        )
        cls.pay_rule = Rule.create(
            {
                "name": "Pay",
                "rule_type": "pay_percent",
                "party_types": "employee",
                "bracket_ids": [
                    Command.create({"loss_from": 0, "percent": 5}),
                    Command.create({"loss_from": 1000, "percent": 10}),
                ],
            }
        )
        cls.worker_user = cls.user2
        cls.plant = cls.env["hr.department"].create({"name": "Plant"})
        cls.worker = cls.env["hr.employee"].create(
            {
                "name": "Worker Wu",
                "user_id": cls.worker_user.id,
                "department_id": cls.plant.id,
                "complaint_pay_base": 3000.0,
            }
        )
        cls.plant.manager_id = cls.env["hr.employee"].create(
            {"name": "Plant Head", "user_id": cls.user.id}
        )
        cls.store = cls.env["hr.department"].create({"name": "Store"})

    def _two_party_complaint(self, **vals):
        complaint = self._complaint(compensation_amount=2500.0, **vals)
        Resp = self.env["complaint.responsibility"]
        Resp.create(
            {
                "complaint_id": complaint.id,
                "party_type": "employee",
                "employee_id": self.worker.id,
                "share": 60,
                "cause": "Did not check the seal",
            }
        )
        Resp.create(
            {
                "complaint_id": complaint.id,
                "party_type": "employee",
                "department_id": self.store.id,
                "share": 40,
                "cause": "Stored in the sun; nobody named",
            }
        )
        return complaint

    def _penalties(self, complaint, rule):
        return complaint.penalty_ids.filtered(lambda p: p.rule_id == rule)

    # Proposals ------------------------------------------------------------
    def test_two_parties_get_the_right_drafts(self):
        complaint = self._to_state(self._two_party_complaint(), "approved")
        points = self._penalties(complaint, self.points_rule)
        self.assertEqual(len(points), 2)
        self.assertEqual(set(points.mapped("points")), {1})
        self.assertEqual(points.mapped("state"), ["draft", "draft"])
        person = points.filtered("employee_id")
        self.assertEqual(person.employee_id, self.worker)
        self.assertEqual(person.department_id, self.plant)
        # Nobody named in the store: the store answers.
        self.assertEqual((points - person).department_id, self.store)
        severity = self._penalties(complaint, self.severity_rule)
        amounts = {p.employee_id.id or p.department_id.id: p.amount for p in severity}
        self.assertEqual(amounts, {self.worker.id: 120.0, self.store.id: 80.0})
        self.assertEqual(set(severity.mapped("kind")), {"deduction"})
        # 10 % of the 3000 pay base for a 2500 loss, 60 % share; only persons.
        pay = self._penalties(complaint, self.pay_rule)
        self.assertEqual(pay.employee_id, self.worker)
        self.assertEqual(pay.amount, 180.0)

    def test_proposals_never_duplicate(self):
        complaint = self._to_state(self._two_party_complaint(), "approved")
        count = len(complaint.penalty_ids)
        complaint.with_user(self.manager).action_propose_penalties()
        self._to_state(complaint, "resolved")
        self.assertEqual(len(complaint.penalty_ids), count)
        with self.assertRaises(psycopg2.IntegrityError), mute_logger("odoo.sql_db"):
            with self.cr.savepoint():
                complaint.penalty_ids[:1].copy().flush_recordset()

    def test_propose_penalties_says_what_it_did(self):
        # Issue 23 item 12: the first click only made a button appear, the
        # second did nothing visible.
        complaint = self._to_state(self._two_party_complaint(), "approved")
        count = len(complaint.penalty_ids)
        self.env["complaint.penalty.rule"].create(
            {"name": "Late Point", "rule_type": "points", "points": 3}
        )
        action = complaint.with_user(self.manager).action_propose_penalties()
        self.assertEqual(len(complaint.penalty_ids), count + 2)
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(action["params"]["type"], "success")
        self.assertIn("2 penalties proposed", action["params"]["message"])
        self.assertEqual(action["params"]["next"]["tag"], "soft_reload")
        action = complaint.with_user(self.manager).action_propose_penalties()
        self.assertEqual(len(complaint.penalty_ids), count + 2)
        self.assertEqual(action["params"]["type"], "info")
        self.assertIn("No new penalty", action["params"]["message"])

    def test_invalid_complaints_are_not_penalised(self):
        complaint = self._two_party_complaint(rejection_reason="Misread the label")
        complaint.with_user(self.manager).action_reject()
        self.assertFalse(complaint._propose_penalties())
        self.assertFalse(complaint.penalty_ids)

    def test_repeat_complaints_count_double(self):
        complaint = self._two_party_complaint()
        complaint.is_repeat = True
        self._to_state(complaint, "approved")
        self.assertEqual(
            set(self._penalties(complaint, self.points_rule).mapped("points")), {2}
        )
        severity = self._penalties(complaint, self.severity_rule)
        self.assertEqual(sum(severity.mapped("amount")), 400.0)

    def test_notice_states_the_repeat_multiplier(self):
        # Issue 23 item 18: the notice said "1 point per valid complaint"
        # and 2 points were deducted, without saying why.
        repeat = self._two_party_complaint()
        repeat.is_repeat = True
        self._to_state(repeat, "approved")
        first = self._to_state(self._two_party_complaint(), "approved")
        doubled = self._penalties(repeat, self.points_rule)
        self.assertEqual(set(doubled.mapped("repeat_multiplier")), {2.0})
        single = self._penalties(first, self.points_rule)
        self.assertEqual(set(single.mapped("repeat_multiplier")), {1.0})
        # A notice is issued once the penalty is approved (issue 24, 14).
        for penalty in doubled[:1] | single[:1]:
            penalty.with_user(self.manager).action_confirm()
            penalty.with_user(self.finance).action_approve()
        Report = self.env["ir.actions.report"].with_user(self.manager)
        notice = "complaint_center.complaint_report_penalty_notice"
        html = Report._render_qweb_html(notice, doubled[:1].ids)[0].decode()
        self.assertIn("the rule&#39;s value is counted 2 times", html)
        html = Report._render_qweb_html(notice, single[:1].ids)[0].decode()
        self.assertNotIn("counted", html)
        # In the reader's language.
        self.env["res.lang"]._activate_lang("zh_CN")
        html = (
            Report.with_context(lang="zh_CN")
            ._render_qweb_html(notice, doubled[:1].ids)[0]
            .decode()
        )
        self.assertIn("按 2 倍计", html)
        # Set by the system only.
        # (An AccessError is a UserError.)
        with self.assertRaises(UserError):
            doubled[:1].with_user(self.manager).write({"repeat_multiplier": 1.0})
        self.assertEqual(doubled[:1].repeat_multiplier, 2.0)

    def test_delay_and_reward(self):
        Rule = self.env["complaint.penalty.rule"]
        delay = Rule.create({"name": "Delay", "rule_type": "delay", "amount": 50})
        reward = Rule.create(
            {
                "name": "Reward",
                "rule_type": "reward",
                "amount": 80,
                "reward_days_early": 0,
            }
        )
        handler_employee = self.env["hr.employee"].create(
            {"name": "Handler One", "user_id": self.handler.id}
        )
        complaint = self._to_state(self._two_party_complaint(), "resolved")
        self.assertFalse(self._penalties(complaint, delay))
        complaint.satisfaction = "very_satisfied"
        complaint.with_user(self.manager).action_close()
        rewarded = self._penalties(complaint, reward)
        self.assertEqual(rewarded.employee_id, handler_employee)
        self.assertEqual((rewarded.kind, rewarded.amount), ("reward", 80.0))
        late = self._to_state(self._two_party_complaint(), "resolved")
        # As the sweep would stamp it (the test env is the superuser).
        late.write({"delay_responsible_id": self.handler.id})
        late._propose_penalties()
        self.assertEqual(self._penalties(late, delay).employee_id, handler_employee)

    def test_rule_values_checked(self):
        with self.assertRaises(ValidationError):
            self.env["complaint.penalty.rule"].create(
                {"name": "Bad", "rule_type": "points", "party_types": "supplier"}
            )
        with self.assertRaises(psycopg2.IntegrityError), mute_logger("odoo.sql_db"):
            with self.cr.savepoint():
                self.env["complaint.penalty.rule"].create(
                    {"name": "Neg", "rule_type": "delay", "amount": -5}
                ).flush_recordset()

    # Workflow -------------------------------------------------------------
    def _approved(self):
        complaint = self._to_state(self._two_party_complaint(), "approved")
        penalty = self._penalties(complaint, self.severity_rule).filtered("employee_id")
        penalty.with_user(self.manager).action_confirm()
        penalty.with_user(self.finance).action_approve()
        return penalty

    def test_workflow_by_role(self):
        complaint = self._to_state(self._two_party_complaint(), "approved")
        penalty = self._penalties(complaint, self.severity_rule).filtered("employee_id")
        for user in (self.handler, self.finance, self.worker_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                penalty.with_user(user).action_confirm()
        with self.assertRaises(UserError):
            penalty.with_user(self.finance).action_approve()
        penalty.with_user(self.manager).action_confirm()
        self.assertEqual(penalty.confirmed_by_id, self.manager)
        with self.assertRaises(AccessError):
            penalty.with_user(self.manager).action_approve()
        penalty.with_user(self.finance).action_approve()
        self.assertEqual(penalty.state, "approved")
        with self.assertRaises(AccessError):
            penalty.with_user(self.manager).action_apply("2026-11")
        with self.assertRaises(UserError):
            penalty.with_user(self.finance).action_apply()
        with self.assertRaises(ValidationError):
            penalty.with_user(self.finance).action_apply("2026-13")
        self.assertEqual(penalty.state, "approved")
        penalty.with_user(self.finance).action_apply("2026-11", date(2026, 11, 30))
        self.assertEqual(penalty.state, "applied")
        self.assertEqual(penalty.payroll_period, "2026-11")
        self.assertEqual(penalty.applied_by_id, self.finance)

    def test_large_penalty_needs_the_executive(self):
        complaint = self._to_state(
            self._two_party_complaint(severity="major"), "proposed"
        )
        complaint.with_user(self.manager).action_approve()
        complaint.with_user(self.executive).action_approve()
        penalty = self._penalties(complaint, self.severity_rule).filtered("employee_id")
        self.assertEqual(penalty.amount, 900.0)
        self.company.complaint_penalty_executive_threshold = 500.0
        penalty.with_user(self.manager).action_confirm()
        penalty.with_user(self.finance).action_approve()
        self.assertEqual(penalty.state, "confirmed")
        self.assertEqual(penalty.approved_by_id, self.finance)
        with self.assertRaises(AccessError):
            penalty.with_user(self.finance).action_approve()
        penalty.with_user(self.executive).action_approve()
        self.assertEqual(penalty.state, "approved")
        self.assertEqual(penalty.executive_approved_by_id, self.executive)
        # Its reversal undoes what the executive approved: finance applies it
        # without a second approval (it would otherwise be stuck).
        penalty.with_user(self.finance).action_apply("2026-11")
        reversal = penalty.with_user(self.finance).action_reverse()
        self.assertEqual(reversal.executive_approved_by_id, self.executive)
        reversal.with_user(self.finance).action_apply("2026-12")
        self.assertEqual(reversal.state, "applied")

    def test_applied_is_immutable_and_reversed(self):
        penalty = self._approved()
        penalty.with_user(self.finance).action_apply("2026-11")
        with self.assertRaises(UserError):
            penalty.with_user(self.finance).write({"amount": 1.0})
        with self.assertRaises(UserError):
            penalty.with_user(self.finance).unlink()
        with self.assertRaises(UserError):
            penalty.with_user(self.finance).action_cancel()
        with self.assertRaises(UserError):
            penalty.with_user(self.finance).action_apply("2026-12")
        with self.assertRaises(AccessError):
            penalty.with_user(self.manager).action_reverse()
        reversal = penalty.with_user(self.finance).action_reverse()
        self.assertEqual(reversal.reversed_penalty_id, penalty)
        self.assertEqual(reversal.amount, -penalty.amount)
        self.assertEqual(reversal.state, "approved")
        self.assertFalse(reversal.payroll_period)
        with self.assertRaises(UserError):
            penalty.with_user(self.finance).action_reverse()
        reversal.with_user(self.finance).action_apply("2026-12")
        self.assertEqual(penalty.amount, 120.0)
        self.assertEqual(penalty.state, "applied")

    def test_state_only_through_buttons_and_delete_only_draft(self):
        penalty = self._approved()
        with self.assertRaises(UserError):
            penalty.with_user(self.finance).write({"state": "applied"})
        with self.assertRaises(UserError):
            penalty.with_user(self.manager).unlink()
        penalty.with_user(self.finance).action_cancel()
        self.assertEqual(penalty.state, "cancelled")
        with self.assertRaises(UserError):
            penalty.with_user(self.manager).write({"reason": "x"})

    # Security -------------------------------------------------------------
    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model")
    def test_employees_see_their_own_penalties_without_amounts(self):
        penalty = self._approved()
        store_penalty = penalty.complaint_id.penalty_ids.filtered(
            lambda p: p.department_id == self.store and p.rule_id == self.severity_rule
        )
        as_worker = self.env["complaint.penalty"].with_user(self.worker_user)
        mine = as_worker.search([])
        self.assertIn(penalty, mine)
        self.assertNotIn(store_penalty, mine)
        self.assertIn("Worker Wu", penalty.with_user(self.worker_user).name)
        with self.assertRaises(AccessError):
            penalty.with_user(self.worker_user).read(["amount"])
        with self.assertRaises(AccessError):
            penalty.with_user(self.worker_user).write({"reason": "not me"})
        # The head of the plant sees the plant's penalties.
        self.assertIn(
            penalty, self.env["complaint.penalty"].with_user(self.user).search([])
        )
        # Handlers see no amounts and no pay bases.
        with self.assertRaises(AccessError):
            self.worker.with_user(self.handler).read(["complaint_pay_base"])
        self.assertEqual(penalty.with_user(self.finance).amount, 120.0)
        self.assertEqual(penalty.with_user(self.manager).amount, 120.0)

    def test_concurrent_apply_applies_once(self):
        """Two finance sessions apply the same penalty at the same moment."""
        with self.registry.cursor() as cr:
            # This test's own transaction holds row locks (the company was
            # written in setUpClass): never wait on them.
            cr.execute("SET LOCAL lock_timeout = '10s'")
            env = api.Environment(cr, SUPERUSER_ID, {})
            partner = env["res.partner"].create({"name": "Concurrent Customer"})
            # A given reference: no sequence (and no company row) is touched.
            complaint = env["complaint.complaint"].create(
                {"partner_id": partner.id, "name": f"CONCURRENT-{partner.id}"}
            )
            department = env["hr.department"].create({"name": "Concurrent Unit"})
            penalty = env["complaint.penalty"].create(
                {
                    "complaint_id": complaint.id,
                    "department_id": department.id,
                    "kind": "deduction",
                    "amount": 10.0,
                    "state": "approved",
                }
            )
            ids = (partner.id, complaint.id, department.id, penalty.id)
        self.addCleanup(self._drop_committed, *ids)
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            cr2.execute("SET LOCAL lock_timeout = '10s'")
            first = api.Environment(cr1, SUPERUSER_ID, {})["complaint.penalty"].browse(
                ids[3]
            )
            second = api.Environment(cr2, SUPERUSER_ID, {})["complaint.penalty"].browse(
                ids[3]
            )
            # Both sessions have read the penalty as approved.
            self.assertEqual((first.state, second.state), ("approved", "approved"))
            self.assertEqual(first._apply_once("2026-11", date(2026, 11, 30)), first)
            cr1.commit()
            with self.assertRaises(psycopg2.errors.SerializationFailure):
                with mute_logger("odoo.sql_db"):
                    second._apply_once("2026-12", date(2026, 12, 31))
            cr2.rollback()
            # Retried, the second session finds it applied and refuses.
            second.invalidate_recordset()
            with self.assertRaises(UserError):
                second._check_steps("apply")
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT state, payroll_period FROM complaint_penalty WHERE id = %s",
                (ids[3],),
            )
            self.assertEqual(cr.fetchall(), [("applied", "2026-11")])

    def _drop_committed(self, partner_id, complaint_id, department_id, penalty_id):
        with self.registry.cursor() as cr:
            cr.execute("DELETE FROM complaint_penalty WHERE id = %s", (penalty_id,))
            cr.execute(
                "DELETE FROM mail_message WHERE model = 'complaint.complaint' "
                "AND res_id = %s",
                (complaint_id,),
            )
            cr.execute(
                "DELETE FROM mail_activity "
                "WHERE res_model = 'complaint.complaint' AND res_id = %s",
                (complaint_id,),
            )
            cr.execute(
                "DELETE FROM mail_followers "
                "WHERE res_model = 'complaint.complaint' AND res_id = %s",
                (complaint_id,),
            )
            cr.execute("DELETE FROM complaint_complaint WHERE id = %s", (complaint_id,))
            cr.execute("DELETE FROM hr_department WHERE id = %s", (department_id,))
            cr.execute("DELETE FROM res_partner WHERE id = %s", (partner_id,))

    def test_amounts_round_as_odoo_rounds_currencies(self):
        # The core's rounding is plain Python (tested without Odoo); Odoo's
        # float_round is the oracle for every amount a penalty may take.
        for cents in range(-20000, 20000, 7):
            amount = cents / 1000.0
            for step in (0.01, 0.05, 0.1, 1.0):
                self.assertEqual(
                    core_penalty.round_to(amount, step),
                    float_round(amount, precision_rounding=step),
                    (amount, step),
                )
