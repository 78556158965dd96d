"""直接责任人和部门负责人一并处罚 (001 篇一): a penalty rule that charges the
unit's head proposes, for each person or unit it charges, the same penalty
for the head of the responsible unit; the head's penalty follows the same
rules as any other (nobody decides a penalty on himself)."""

from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestPenaltyHead(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Only the rules made here apply, whatever the database ships.
        cls.env["complaint.penalty.rule"].search([]).active = False
        Rule = cls.env["complaint.penalty.rule"]
        cls.points_rule = Rule.create(
            {"name": "Point", "rule_type": "points", "charge_department_head": True}
        )
        cls.severity_rule = Rule.create(
            {
                "name": "Severity",
                "rule_type": "severity",
                "amount_general": 200.0,
                "charge_department_head": True,
            }
        )
        cls.pay_rule = Rule.create(
            {
                "name": "Pay",
                "rule_type": "pay_percent",
                "party_types": "employee",
                "charge_department_head": True,
                "bracket_ids": [Command.create({"loss_from": 0, "percent": 10})],
            }
        )
        cls.plain_rule = Rule.create(
            {"name": "Plain Point", "rule_type": "points", "points": 2}
        )
        cls.plant = cls.env["hr.department"].create({"name": "Plant"})
        cls.worker = cls.env["hr.employee"].create(
            {
                "name": "Worker Wu",
                "user_id": cls.user2.id,
                "department_id": cls.plant.id,
                "complaint_pay_base": 3000.0,
            }
        )
        # The head is a complaint manager: he decides penalties, not his own.
        cls.head = cls.env["hr.employee"].create(
            {
                "name": "Plant Head",
                "user_id": cls.manager2.id,
                "department_id": cls.plant.id,
                "complaint_pay_base": 5000.0,
            }
        )
        cls.plant.manager_id = cls.head
        cls.store = cls.env["hr.department"].create({"name": "Store"})
        cls.store_head = cls.env["hr.employee"].create({"name": "Store Head"})
        cls.store.manager_id = cls.store_head

    def _complaint_with_lines(self):
        complaint = self._complaint(compensation_amount=500.0)
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
                "party_type": "department",
                "department_id": self.store.id,
                "share": 40,
                "cause": "Stored in the sun",
            }
        )
        return self._to_state(complaint, "approved")

    def _by_employee(self, complaint, rule):
        penalties = complaint.penalty_ids.filtered(lambda p: p.rule_id == rule)
        return {
            (p.employee_id.name or p.department_id.name): (p.points or p.amount)
            for p in penalties
        }

    def test_heads_charged_with_the_person_and_the_unit(self):
        complaint = self._complaint_with_lines()
        self.assertEqual(
            self._by_employee(complaint, self.points_rule),
            {"Worker Wu": 1, "Plant Head": 1, "Store": 1, "Store Head": 1},
        )
        # The head pays as the person (60 % and 40 % of 200).
        self.assertEqual(
            self._by_employee(complaint, self.severity_rule),
            {
                "Worker Wu": 120.0,
                "Plant Head": 120.0,
                "Store": 80.0,
                "Store Head": 80.0,
            },
        )
        # Pay rules: 10 % of each one's own pay base, 60 % share.
        self.assertEqual(
            self._by_employee(complaint, self.pay_rule),
            {"Worker Wu": 180.0, "Plant Head": 300.0},
        )
        head_penalty = complaint.penalty_ids.filtered(
            lambda p: p.rule_id == self.points_rule and p.employee_id == self.head
        )
        self.assertEqual(head_penalty.department_id, self.plant)
        self.assertEqual(head_penalty.state, "draft")
        self.assertIn("head of the unit", head_penalty.reason)
        # Rules without the option charge the people on the lines only.
        self.assertEqual(
            self._by_employee(complaint, self.plain_rule), {"Worker Wu": 2, "Store": 2}
        )

    def test_proposed_once_and_never_the_head_twice(self):
        complaint = self._complaint_with_lines()
        count = len(complaint.penalty_ids)
        complaint.with_user(self.manager).action_propose_penalties()
        self.assertEqual(len(complaint.penalty_ids), count)
        # The head himself on the line: charged once.
        self.plant.manager_id = self.worker
        other = self._complaint_with_lines()
        self.assertEqual(
            self._by_employee(other, self.points_rule),
            {"Worker Wu": 1, "Store": 1, "Store Head": 1},
        )

    def test_head_does_not_decide_his_own_penalty(self):
        complaint = self._complaint_with_lines()
        penalty = complaint.penalty_ids.filtered(
            lambda p: p.rule_id == self.severity_rule and p.employee_id == self.head
        )
        with mute_logger("odoo.models"), self.assertRaises(AccessError):
            penalty.with_user(self.manager2).action_confirm()
        with mute_logger("odoo.models"), self.assertRaises(AccessError):
            penalty.with_user(self.manager2).write({"amount": 1.0})
        with mute_logger("odoo.models"), self.assertRaises(AccessError):
            penalty.with_user(self.manager2).action_cancel()
        penalty.invalidate_recordset()
        self.assertEqual((penalty.state, penalty.amount), ("draft", 120.0))
        penalty.with_user(self.manager).action_confirm()
        self.assertEqual(penalty.state, "confirmed")

    def test_option_only_where_it_makes_sense(self):
        Rule = self.env["complaint.penalty.rule"]
        for vals in (
            {"rule_type": "delay", "amount": 50.0},
            {"rule_type": "reward", "amount": 50.0},
            {"rule_type": "severity", "party_types": "supplier"},
        ):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                Rule.create(dict(vals, name="X", charge_department_head=True))
        # Configured by complaint managers only.
        with mute_logger("odoo.models"), self.assertRaises(AccessError):
            self.plain_rule.with_user(self.handler).charge_department_head = True
        self.assertFalse(self.plain_rule.charge_department_head)
