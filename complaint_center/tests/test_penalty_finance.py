from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestPenaltyFinance(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.env.company.chart_template:
            cls.env["account.chart.template"].try_loading(
                "generic_coa", company=cls.env.company, install_demo=False
            )
        # Only the rules made here apply, whatever the database ships.
        cls.env["complaint.penalty.rule"].search([]).active = False
        # Penalties already waiting in the database (demo data) stay out of
        # the payroll periods applied here.
        cls.env["complaint.penalty"].search([("state", "=", "approved")]).write(
            {"state": "cancelled"}
        )
        cls.company.complaint_penalty_executive_threshold = 0.0
        Rule = cls.env["complaint.penalty.rule"]
        cls.chargeback_rule = Rule.create(
            {
                "name": "Chargeback T",
                "rule_type": "severity",
                "party_types": "supplier",
                "amount_general": 300.0,
                "amount_major": 3000.0,
            }
        )
        cls.points_rule = Rule.create(
            {"name": "Point T", "rule_type": "points", "points": 1}
        )
        cls.supplier = cls.env["res.partner"].create(
            {"name": "Sauce Supplier Ltd", "is_company": True, "supplier_rank": 1}
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
        cls.period = "2031-04"

    # Helpers --------------------------------------------------------------
    def _approved_complaint(self):
        """A valid complaint half the supplier's and half the worker's fault,
        walked to ``approved``: penalties are proposed on approval."""
        complaint = self._complaint()
        self._to_state(complaint, "investigating")
        self.env["complaint.responsibility"].create(
            [
                {
                    "complaint_id": complaint.id,
                    "party_type": "supplier",
                    "partner_id": self.supplier.id,
                    "share": 50.0,
                    "cause": "Spoiled batch delivered by the supplier.",
                },
                {
                    "complaint_id": complaint.id,
                    "party_type": "employee",
                    "employee_id": self.worker.id,
                    "share": 50.0,
                    "cause": "Not checked at reception.",
                },
            ]
        )
        return self._to_state(complaint, "approved")

    def _penalty(self, employee=None, state="approved", **vals):
        """A manual penalty brought to ``state`` by the right roles."""
        complaint = vals.pop("complaint", None) or self._complaint()
        employee = employee or self.worker
        values = {
            "complaint_id": complaint.id,
            "kind": "points",
            "employee_id": employee.id,
            "department_id": employee.department_id.id,
            "points": 1,
        }
        values.update(vals)
        penalty = self.env["complaint.penalty"].create(values)
        if state in ("confirmed", "approved", "applied"):
            penalty.with_user(self.manager).action_confirm()
        if state in ("approved", "applied"):
            penalty.with_user(self.finance).action_approve()
        if state == "applied":
            penalty.with_user(self.finance).action_apply(self.period)
        self.assertEqual(penalty.state, state)
        return penalty

    def _flags(self, penalty, user):
        penalty = penalty.with_user(user)
        return {
            name: penalty[f"can_{name}"]
            for name in ("confirm", "approve", "apply", "cancel", "reverse")
        }

    # Supplier chargeback --------------------------------------------------
    def test_chargeback_approval_prepares_draft_vendor_credit_note(self):
        complaint = self._approved_complaint()
        chargeback = complaint.penalty_ids.filtered(lambda p: p.kind == "chargeback")
        self.assertEqual(len(chargeback), 1)
        self.assertEqual(chargeback.partner_id, self.supplier)
        self.assertAlmostEqual(chargeback.amount, 150.0)
        people = complaint.penalty_ids - chargeback
        self.assertEqual(people.employee_id, self.worker)

        (chargeback | people).with_user(self.manager).action_confirm()
        self.assertFalse(chargeback.move_id)
        (chargeback | people).with_user(self.finance).action_approve()
        self.assertEqual(chargeback.state, "approved")
        self.assertFalse(people.move_id, "only supplier chargebacks are invoiced")
        move = chargeback.move_id
        self.assertEqual(len(move), 1)
        self.assertEqual(move.move_type, "in_refund")
        self.assertEqual(move.state, "draft")
        self.assertFalse(move.invoice_date)
        self.assertEqual(move.partner_id, self.supplier)
        self.assertEqual(move.journal_id.type, "purchase")
        self.assertEqual(move.company_id, complaint.company_id)
        self.assertEqual(move.currency_id, chargeback.currency_id)
        self.assertEqual(move.ref, complaint.name)
        self.assertEqual(move.invoice_origin, complaint.name)
        self.assertAlmostEqual(move.amount_total, 150.0)
        self.assertEqual(len(move.invoice_line_ids), 1)
        self.assertIn(complaint.name, move.invoice_line_ids.name)
        self.assertEqual(
            move.invoice_line_ids.account_id, move.journal_id.default_account_id
        )
        self.assertEqual(
            chargeback.with_user(self.finance).action_view_move()["res_id"], move.id
        )

        # Approving again changes nothing and never duplicates the note.
        with self.assertRaises(UserError):
            chargeback.with_user(self.finance).action_approve()
        self.assertFalse(chargeback._create_chargeback_moves())
        moves = self.env["account.move"].search(
            [("partner_id", "=", self.supplier.id), ("move_type", "=", "in_refund")]
        )
        self.assertEqual(moves, move)

    def test_chargeback_waits_for_the_executive(self):
        self.company.complaint_penalty_executive_threshold = 100.0
        complaint = self._approved_complaint()
        chargeback = complaint.penalty_ids.filtered(lambda p: p.kind == "chargeback")
        chargeback.with_user(self.manager).action_confirm()
        chargeback.with_user(self.finance).action_approve()
        self.assertEqual(chargeback.state, "confirmed")
        self.assertFalse(chargeback.move_id, "no credit note before the final approval")
        chargeback.with_user(self.executive).action_approve()
        self.assertEqual(chargeback.state, "approved")
        self.assertEqual(chargeback.move_id.move_type, "in_refund")
        self.assertEqual(chargeback.move_id.state, "draft")

    def test_chargeback_without_purchase_journal(self):
        complaint = self._approved_complaint()
        chargeback = complaint.penalty_ids.filtered(lambda p: p.kind == "chargeback")
        chargeback.with_user(self.manager).action_confirm()
        self.env.flush_all()
        # Archive directly: the ORM refuses while the journal holds drafts.
        self.env.cr.execute(
            "UPDATE account_journal SET active = false "
            "WHERE type = 'purchase' AND company_id = %s",
            [self.company.id],
        )
        self.env.invalidate_all()
        with self.assertRaisesRegex(UserError, "no purchase journal"):
            chargeback.with_user(self.finance).action_approve()
        self.assertEqual(chargeback.state, "confirmed")
        self.assertFalse(chargeback.approved_by_id)
        self.assertFalse(chargeback.move_id)

    # Apply wizard -----------------------------------------------------------
    def test_wizard_applies_the_period_at_once(self):
        complaint = self._complaint()
        no_period = self._penalty(complaint=complaint)
        in_period = self._penalty(
            self.worker2, complaint=complaint, payroll_period=self.period
        )
        later = self._penalty(complaint=complaint, payroll_period="2031-05")
        draft = self._penalty(complaint=complaint, state="confirmed")

        wizard = (
            self.env["complaint.penalty.apply.wizard"]
            .with_user(self.finance)
            .create({"payroll_period": self.period})
        )
        self.assertEqual(wizard.company_id, self.company)
        self.assertEqual(wizard.date_applied, fields.Date.context_today(wizard))
        self.assertEqual(wizard.penalty_ids, no_period | in_period)
        self.assertEqual(wizard.penalty_count, 2)
        action = wizard.action_apply()
        self.assertEqual(action["res_model"], "complaint.penalty")
        self.assertEqual(
            self.env["complaint.penalty"].search(action["domain"]),
            no_period | in_period,
        )
        for penalty in no_period | in_period:
            self.assertEqual(penalty.state, "applied")
            self.assertEqual(penalty.payroll_period, self.period)
            self.assertEqual(penalty.applied_by_id, self.finance)
            self.assertTrue(penalty.date_applied)
        self.assertEqual(later.state, "approved")
        self.assertEqual(draft.state, "confirmed")
        # Nothing left for the period.
        wizard.invalidate_recordset(["penalty_ids"])
        self.assertFalse(wizard.penalty_ids)
        with self.assertRaises(UserError):
            wizard.action_apply()

    def test_wizard_is_finance_only(self):
        self._penalty()
        wizard = (
            self.env["complaint.penalty.apply.wizard"]
            .with_user(self.finance)
            .create({"payroll_period": self.period})
        )
        for user in (self.manager, self.executive, self.handler):
            with self.assertRaises(AccessError):
                self.env["complaint.penalty.apply.wizard"].with_user(user).create(
                    {"payroll_period": self.period}
                )
            with self.assertRaises(AccessError):
                wizard.with_user(user).action_apply()
        self.assertEqual(wizard.penalty_ids.state, "approved")
        with self.assertRaises(UserError):
            self.env["complaint.penalty.apply.wizard"].with_user(self.finance).create(
                {"payroll_period": "2031-13"}
            )

    # Points ledger ----------------------------------------------------------
    def test_points_ledger_per_employee_and_period(self):
        complaint = self._complaint()
        self._penalty(complaint=complaint, points=1, payroll_period=self.period)
        self._penalty(complaint=complaint, points=2, state="applied")
        self._penalty(
            complaint=complaint,
            kind="deduction",
            points=0,
            amount=80.0,
            payroll_period=self.period,
        )
        self._penalty(
            complaint=complaint,
            kind="reward",
            points=0,
            amount=30.0,
            payroll_period=self.period,
        )
        # Not in the ledger: drafts, cancelled ones and chargebacks.
        self._penalty(
            complaint=complaint, points=5, state="draft", payroll_period=self.period
        )
        self._penalty(complaint=complaint, points=7, state="confirmed").with_user(
            self.manager
        ).action_cancel()
        self._penalty(
            self.worker2, complaint=complaint, points=4, payroll_period=self.period
        )
        self._penalty(
            self.worker2, complaint=complaint, points=3, payroll_period="2031-05"
        )
        self.env.flush_all()
        self.env.invalidate_all()  # the ledger is a view

        Ledger = self.env["complaint.points.ledger"].with_user(self.finance)
        row = Ledger.search(
            [("employee_id", "=", self.worker.id), ("payroll_period", "=", self.period)]
        )
        self.assertEqual(len(row), 1)
        self.assertEqual(row.points, 3)
        self.assertEqual(row.penalty_count, 4)
        self.assertEqual(row.department_id, self.department)
        self.assertAlmostEqual(row.deduction_amount, 80.0)
        self.assertAlmostEqual(row.reward_amount, 30.0)
        self.assertAlmostEqual(row.amount, 50.0)
        others = Ledger.search([("employee_id", "=", self.worker2.id)])
        self.assertEqual(
            {r.payroll_period: r.points for r in others}, {self.period: 4, "2031-05": 3}
        )
        # Without a payroll period, the month of creation.
        undated = self._penalty(complaint=complaint, points=1)
        self.env.flush_all()
        self.env.invalidate_all()  # the ledger is a view
        month = undated.create_date.strftime("%Y-%m")
        self.assertEqual(
            Ledger.search(
                [("employee_id", "=", self.worker.id), ("payroll_period", "=", month)]
            ).points,
            1,
        )
        # A reversal takes the points back.
        applied = self.env["complaint.penalty"].search(
            [("employee_id", "=", self.worker.id), ("state", "=", "applied")]
        )
        applied.with_user(self.finance).action_reverse().with_user(
            self.finance
        ).action_apply(self.period)
        self.env.flush_all()
        self.env.invalidate_all()  # the ledger is a view
        self.assertEqual(
            Ledger.search(
                [
                    ("employee_id", "=", self.worker.id),
                    ("payroll_period", "=", self.period),
                ]
            ).points,
            1,
        )
        grouped = Ledger._read_group(
            [("payroll_period", "=", self.period)], ["employee_id"], ["points:sum"]
        )
        self.assertEqual(dict(grouped), {self.worker: 1, self.worker2: 4})
        # Managers read the ledger; plain employees do not.
        self.assertTrue(
            self.env["complaint.points.ledger"].with_user(self.manager).search_count([])
        )
        with self.assertRaises(AccessError):
            self.env["complaint.points.ledger"].with_user(self.employee).search([])

    # UI flags ---------------------------------------------------------------
    def test_button_flags_follow_state_and_role(self):
        none = dict.fromkeys(
            ("confirm", "approve", "apply", "cancel", "reverse"), False
        )
        penalty = self._penalty(state="draft")
        self.assertEqual(
            self._flags(penalty, self.manager), dict(none, confirm=True, cancel=True)
        )
        self.assertEqual(self._flags(penalty, self.finance), dict(none, cancel=True))
        self.assertEqual(self._flags(penalty, self.employee), none)

        penalty.with_user(self.manager).action_confirm()
        self.assertEqual(self._flags(penalty, self.manager), dict(none, cancel=True))
        self.assertEqual(
            self._flags(penalty, self.finance), dict(none, approve=True, cancel=True)
        )

        penalty.with_user(self.finance).action_approve()
        self.assertEqual(
            self._flags(penalty, self.finance), dict(none, apply=True, cancel=True)
        )
        self.assertEqual(self._flags(penalty, self.manager), dict(none, cancel=True))
        self.assertEqual(self._flags(penalty, self.employee), none)

        penalty.with_user(self.finance).action_apply(self.period)
        self.assertEqual(self._flags(penalty, self.finance), dict(none, reverse=True))
        self.assertEqual(self._flags(penalty, self.manager), none)
        reversal = penalty.with_user(self.finance).action_reverse()
        penalty.invalidate_recordset()
        self.assertEqual(self._flags(penalty, self.finance), none)
        self.assertEqual(
            self._flags(reversal, self.finance), dict(none, apply=True, cancel=True)
        )

    def test_button_flags_second_approval(self):
        self.company.complaint_penalty_executive_threshold = 100.0
        penalty = self._penalty(kind="deduction", amount=500.0, state="confirmed")
        penalty.with_user(self.finance).action_approve()
        self.assertEqual(penalty.state, "confirmed")
        self.assertFalse(self._flags(penalty, self.finance)["approve"])
        self.assertTrue(self._flags(penalty, self.executive)["approve"])
        self.assertFalse(self._flags(penalty, self.manager)["approve"])

    # Views ----------------------------------------------------------------
    def test_views_load(self):
        for user in (self.finance, self.manager, self.executive, self.user):
            views = (
                self.env["complaint.penalty"]
                .with_user(user)
                .get_views(
                    [
                        (False, "list"),
                        (False, "form"),
                        (False, "pivot"),
                        (False, "graph"),
                        (False, "search"),
                    ]
                )
            )
            self.assertEqual(
                set(views["views"]), {"list", "form", "pivot", "graph", "search"}
            )
            amount_shown = "amount" in views["models"]["complaint.penalty"]["fields"]
            self.assertEqual(amount_shown, user != self.user)
        self.env["complaint.points.ledger"].with_user(self.finance).get_views(
            [(False, "pivot"), (False, "list"), (False, "graph"), (False, "search")]
        )
        self.env["complaint.penalty.apply.wizard"].with_user(self.finance).get_views(
            [(False, "form")]
        )
        self.env["complaint.penalty.rule"].with_user(self.manager).get_views(
            [(False, "list"), (False, "form"), (False, "search")]
        )
        form = (
            self.env["complaint.complaint"]
            .with_user(self.manager)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn("action_propose_penalties", form)
        self.assertIn("action_view_penalties", form)
        employee_form = self.env["hr.employee"].get_views([(False, "form")])["views"][
            "form"
        ]["arch"]
        self.assertIn("complaint_pay_base", employee_form)
        action = self._approved_complaint().action_view_penalties()
        self.assertEqual(action["res_model"], "complaint.penalty")
