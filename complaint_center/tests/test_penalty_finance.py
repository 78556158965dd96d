import io
from datetime import datetime
from zoneinfo import ZoneInfo

import openpyxl
from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ComplaintCase

AMOUNT_FIELDS = ("deduction_amount", "reward_amount", "net_amount")


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
        # Today where the company is (Shanghai), whatever the user's zone.
        self.assertEqual(
            wizard.date_applied, datetime.now(ZoneInfo("Asia/Shanghai")).date()
        )
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
        """The ledger counts what payroll settled: the penalties applied, in
        the payroll period they were applied in (as the deduction list and
        the statistics count them)."""
        complaint = self._complaint()
        self._penalty(complaint=complaint, points=1, state="applied")
        self._penalty(complaint=complaint, points=2, state="applied")
        self._penalty(
            complaint=complaint,
            kind="deduction",
            points=0,
            amount=80.0,
            state="applied",
        )
        self._penalty(
            complaint=complaint,
            kind="reward",
            points=0,
            amount=30.0,
            state="applied",
        )
        # Not in the ledger: drafts, cancelled ones, chargebacks, and the
        # approved ones still waiting to be applied, even planned for the
        # period.
        self._penalty(
            complaint=complaint, points=5, state="draft", payroll_period=self.period
        )
        self._penalty(complaint=complaint, points=7, state="confirmed").with_user(
            self.manager
        ).action_cancel()
        self._penalty(
            complaint=complaint,
            kind="deduction",
            points=9,
            amount=900.0,
            payroll_period=self.period,
        )
        self._penalty(self.worker2, complaint=complaint, points=4, state="applied")
        self._penalty(
            self.worker2, complaint=complaint, points=3, payroll_period="2031-05"
        ).with_user(self.finance).action_apply("2031-05")
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
        # Approved without a payroll period: in no period until applied (it
        # was booked to its month of creation).
        undated = self._penalty(complaint=complaint, points=1)
        self.env.flush_all()
        self.env.invalidate_all()  # the ledger is a view
        month = undated.create_date.strftime("%Y-%m")
        self.assertFalse(
            Ledger.search(
                [("employee_id", "=", self.worker.id), ("payroll_period", "=", month)]
            )
        )
        # A reversal takes the points back.
        applied = self.env["complaint.penalty"].search(
            [
                ("employee_id", "=", self.worker.id),
                ("state", "=", "applied"),
                ("points", "=", 2),
            ]
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

    # Batch actions from the list ------------------------------------------
    def _states(self, penalties):
        penalties.invalidate_recordset()
        return [(p.state, p.confirmed_by_id, p.approved_by_id) for p in penalties]

    def _list_arch(self, user):
        views = (
            self.env["complaint.penalty"].with_user(user).get_views([(False, "list")])
        )
        return etree.fromstring(views["views"]["list"]["arch"])

    def test_batch_confirm_and_approve_from_the_list(self):
        complaint = self._complaint()
        drafts = self._penalty(complaint=complaint, state="draft") | self._penalty(
            self.worker2, complaint=complaint, state="draft"
        )
        # The list offers the batch buttons in its header, to whom they are
        # meant for (a hint: the server decides).
        for user, buttons in (
            (self.manager, {"action_confirm"}),
            (self.finance, {"action_approve", "action_open_apply_wizard"}),
            (self.executive, {"action_confirm", "action_approve"}),
        ):
            header = self._list_arch(user).find("header")
            names = {button.get("name") for button in header.iter("button")}
            self.assertEqual(names, buttons, user.login)
            self.assertEqual({b.get("type") for b in header.iter("button")}, {"object"})

        drafts.with_user(self.manager).action_confirm()
        self.assertEqual(set(drafts.mapped("state")), {"confirmed"})
        self.assertEqual(drafts.confirmed_by_id, self.manager)
        drafts.with_user(self.finance).action_approve()
        self.assertEqual(set(drafts.mapped("state")), {"approved"})
        self.assertEqual(drafts.approved_by_id, self.finance)

    def test_batch_with_one_refused_penalty_moves_none(self):
        complaint = self._complaint()
        draft = self._penalty(complaint=complaint, state="draft")
        draft2 = self._penalty(self.worker2, complaint=complaint, state="draft")
        confirmed = self._penalty(complaint=complaint, state="confirmed")
        batch = draft | draft2 | confirmed
        before = self._states(batch)
        with self.assertRaises(UserError) as caught, mute_logger("odoo.models"):
            batch.with_user(self.manager).action_confirm()
        message = str(caught.exception)
        self.assertIn(confirmed.display_name, message)
        self.assertIn("Confirmed", message)
        self.assertEqual(self._states(batch), before)

        # Approving a draft with confirmed ones: the draft is named, with who
        # acts on it first, and nothing is approved.
        with self.assertRaises(UserError) as caught:
            (confirmed | draft).with_user(self.finance).action_approve()
        message = str(caught.exception)
        self.assertIn(draft.display_name, message)
        self.assertIn("A complaint manager confirms this penalty first.", message)
        self.assertEqual(self._states(batch), before)

        # The wrong role, whatever the selection: refused, nothing moves.
        for user, method in (
            (self.finance, "action_confirm"),
            (self.handler, "action_confirm"),
            (self.employee, "action_confirm"),
            (self.manager, "action_approve"),
            (self.handler, "action_approve"),
        ):
            with self.subTest(user=user.login, method=method):
                records = (draft | draft2) if method == "action_confirm" else confirmed
                with self.assertRaises(AccessError), mute_logger("odoo.models"):
                    getattr(records.with_user(user), method)()
                self.assertEqual(self._states(batch), before)

    def test_batch_second_approval_and_threshold(self):
        self.company.complaint_penalty_executive_threshold = 100.0
        complaint = self._complaint()
        small = self._penalty(
            complaint=complaint, state="confirmed", kind="deduction", amount=50.0
        )
        big = self._penalty(
            self.worker2,
            complaint=complaint,
            state="confirmed",
            kind="deduction",
            amount=500.0,
        )
        (small | big).with_user(self.finance).action_approve()
        self.assertEqual(small.state, "approved")
        self.assertEqual(big.state, "confirmed")
        self.assertEqual(big.approved_by_id, self.finance)
        # Finance may not give the second approval, not even in a batch.
        with self.assertRaises(AccessError):
            big.with_user(self.finance).action_approve()
        self.assertFalse(big.executive_approved_by_id)
        # Nor apply the big one before it: the apply wizard names it.
        with self.assertRaises(UserError) as caught:
            (small | big).with_user(self.finance).action_open_apply_wizard()
        self.assertIn(big.display_name, str(caught.exception))
        big.with_user(self.executive).action_approve()
        self.assertEqual(big.state, "approved")
        self.assertEqual(big.executive_approved_by_id, self.executive)

    def test_batch_apply_opens_the_wizard_for_the_selection(self):
        complaint = self._complaint()
        first = self._penalty(complaint=complaint, payroll_period=self.period)
        second = self._penalty(self.worker2, complaint=complaint)
        # Approved for the period too, but not selected: left alone.
        other = self._penalty(complaint=complaint, payroll_period=self.period)
        selection = (first | second).with_user(self.finance)
        action = selection.action_open_apply_wizard()
        self.assertEqual(action["res_model"], "complaint.penalty.apply.wizard")
        self.assertEqual(action["target"], "new")
        self.assertEqual(action["context"]["default_payroll_period"], self.period)
        wizard = (
            self.env["complaint.penalty.apply.wizard"]
            .with_user(self.finance)
            .with_context(**action["context"])
            .create({})
        )
        self.assertEqual(wizard.payroll_period, self.period)
        self.assertEqual(wizard.penalty_ids, first | second)
        self.assertEqual(wizard.penalty_count, 2)
        wizard.action_apply()
        for penalty in first | second:
            self.assertEqual(penalty.state, "applied")
            self.assertEqual(penalty.payroll_period, self.period)
            self.assertEqual(penalty.applied_by_id, self.finance)
        self.assertEqual(other.state, "approved")

    def test_batch_apply_refuses_atomically(self):
        complaint = self._complaint()
        approved = self._penalty(complaint=complaint)
        confirmed = self._penalty(self.worker2, complaint=complaint, state="confirmed")
        later = self._penalty(
            self.worker2, complaint=complaint, payroll_period="2031-05"
        )
        Wizard = self.env["complaint.penalty.apply.wizard"].with_user(self.finance)
        # Named at once when the wizard opens...
        with self.assertRaises(UserError) as caught:
            (approved | confirmed).with_user(self.finance).action_open_apply_wizard()
        self.assertIn(confirmed.display_name, str(caught.exception))
        # ...and by the server when applying, whatever the client sent.
        wizard = Wizard.create(
            {
                "payroll_period": self.period,
                "selection_ids": [fields.Command.set((approved | confirmed).ids)],
            }
        )
        with self.assertRaises(UserError) as caught:
            wizard.action_apply()
        self.assertIn(confirmed.display_name, str(caught.exception))
        # A penalty planned for another month is not moved silently.
        wizard = Wizard.create(
            {
                "payroll_period": self.period,
                "selection_ids": [fields.Command.set((approved | later).ids)],
            }
        )
        with self.assertRaises(UserError) as caught:
            wizard.action_apply()
        self.assertIn(later.display_name, str(caught.exception))
        self.assertIn("2031-05", str(caught.exception))
        (approved | confirmed | later).invalidate_recordset()
        self.assertEqual(approved.state, "approved")
        self.assertFalse(approved.payroll_period)
        self.assertEqual(later.payroll_period, "2031-05")
        self.assertEqual(confirmed.state, "confirmed")
        # Nobody but finance opens it, or applies through it.
        for user in (self.manager, self.executive, self.handler, self.employee):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError), mute_logger("odoo.models"):
                    approved.with_user(user).action_open_apply_wizard()
        self.assertEqual(approved.state, "approved")

    # Next-step hint -------------------------------------------------------
    def test_next_step_hint_follows_the_guard(self):
        self.company.complaint_penalty_executive_threshold = 100.0
        penalty = self._penalty(state="draft", kind="deduction", amount=500.0)
        users = (self.manager, self.finance, self.executive, self.employee)

        def hints():
            penalty.invalidate_recordset()
            return {user: penalty.with_user(user).next_step for user in users}

        def check(expected, step):
            for user, hint in hints().items():
                with self.subTest(state=penalty.state, user=user.login):
                    if user in expected:
                        self.assertEqual(hint, expected[user])
                    # "Your turn" exactly when the button of the step shows.
                    mine = bool(hint) and hint.startswith("Your turn")
                    self.assertEqual(mine, penalty.with_user(user)[f"can_{step}"])

        manager_first = "A complaint manager confirms this penalty first."
        check({self.finance: manager_first, self.employee: manager_first}, "confirm")
        self.assertTrue(hints()[self.manager].startswith("Your turn"))

        penalty.with_user(self.manager).action_confirm()
        check({self.manager: "Finance approves this penalty next."}, "approve")

        penalty.with_user(self.finance).action_approve()
        self.assertEqual(penalty.state, "confirmed")
        check(
            {
                self.finance: "Finance approved; the amount is above the company "
                "threshold, so the executive approves as well."
            },
            "approve",
        )
        self.assertTrue(hints()[self.executive].startswith("Your turn"))

        penalty.with_user(self.executive).action_approve()
        self.assertEqual(penalty.state, "approved")
        check(
            {
                self.manager: "Finance applies this penalty in a payroll period.",
                self.finance: "Your turn: set the payroll period (YYYY-MM), "
                "then apply it.",
            },
            "apply",
        )
        penalty.with_user(self.finance).payroll_period = self.period
        self.assertIn(self.period, hints()[self.finance])
        penalty.with_user(self.finance).action_apply()
        self.assertEqual(set(hints().values()), {False})

        form = (
            self.env["complaint.penalty"]
            .with_user(self.finance)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn('name="next_step"', form)

    # Payroll period format ------------------------------------------------
    def test_payroll_period_format_is_checked_not_normalised(self):
        draft = self._penalty(state="draft", payroll_period=self.period)
        approved = self._penalty(self.worker2)
        Wizard = self.env["complaint.penalty.apply.wizard"].with_user(self.finance)
        bad_periods = ("Nov 2026", "2026-1", "2026/11", " 2026-11", "２０２６-１１")
        for bad in bad_periods:
            with self.subTest(period=bad):
                with self.assertRaises(ValidationError), self.env.cr.savepoint():
                    self._penalty(state="draft", payroll_period=bad)
                with self.assertRaises(ValidationError), self.env.cr.savepoint():
                    draft.with_user(self.finance).payroll_period = bad
                    draft.flush_recordset()
                with self.assertRaises(ValidationError):
                    approved.with_user(self.finance).action_apply(bad)
                with self.assertRaises(ValidationError), self.env.cr.savepoint():
                    Wizard.create({"payroll_period": bad})
        (draft | approved).invalidate_recordset()
        self.assertEqual(draft.payroll_period, self.period)
        self.assertEqual(approved.state, "approved")
        self.assertFalse(approved.payroll_period)
        approved.with_user(self.finance).action_apply("2026-11")
        self.assertEqual(approved.payroll_period, "2026-11")

    # Totals -----------------------------------------------------------------
    def test_totals_keep_deductions_and_rewards_apart(self):
        complaint = self._complaint()
        deduction = self._penalty(
            complaint=complaint,
            kind="deduction",
            points=0,
            amount=80.0,
            payroll_period=self.period,
            state="applied",
        )
        reward = self._penalty(
            complaint=complaint,
            kind="reward",
            points=0,
            amount=30.0,
            payroll_period=self.period,
            state="applied",
        )
        chargeback = self._penalty(
            complaint=complaint,
            kind="chargeback",
            employee_id=False,
            department_id=False,
            partner_id=self.supplier.id,
            points=0,
            amount=200.0,
            state="draft",
        )
        values = {
            penalty: tuple(penalty.with_user(self.finance)[f] for f in AMOUNT_FIELDS)
            for penalty in (deduction, reward, chargeback)
        }
        self.assertEqual(values[deduction], (80.0, 0.0, 80.0))
        self.assertEqual(values[reward], (0.0, 30.0, -30.0))
        self.assertEqual(values[chargeback], (200.0, 0.0, 200.0))
        # A reversal of the reward takes it back from the rewards.
        reversal = reward.with_user(self.finance).action_reverse()
        self.assertEqual(tuple(reversal[f] for f in AMOUNT_FIELDS), (0.0, -30.0, 30.0))
        reversal.with_user(self.finance).action_cancel()

        # Grouped sums: the raw amount has none (80 + 30 means nothing); the
        # signed columns sum per kind.
        Penalty = self.env["complaint.penalty"].with_user(self.finance)
        described = Penalty.fields_get(["amount", *AMOUNT_FIELDS], ["aggregator"])
        self.assertNotIn("aggregator", described["amount"])
        for name in AMOUNT_FIELDS:
            self.assertEqual(described[name]["aggregator"], "sum")
        [(deducted, rewarded, net)] = Penalty._read_group(
            [("id", "in", (deduction | reward).ids)],
            aggregates=[f"{name}:sum" for name in AMOUNT_FIELDS],
        )
        self.assertEqual((deducted, rewarded, net), (80.0, 30.0, 50.0))
        list_arch = self._list_arch(self.finance)
        self.assertIsNone(list_arch.find("field[@name='amount']").get("sum"))
        for name in ("deduction_amount", "reward_amount", "net_amount"):
            self.assertTrue(list_arch.find(f"field[@name='{name}']").get("sum"))
        for view in ("pivot", "graph"):
            arch = Penalty.get_views([(False, view)])["views"][view]["arch"]
            self.assertNotIn('name="amount"', arch, view)
        # The plain user sees none of the money columns.
        user_arch = self._list_arch(self.user)
        for name in ("amount", *AMOUNT_FIELDS):
            self.assertIsNone(user_arch.find(f"field[@name='{name}']"), name)

        # Points ledger: deducted = net + rewarded, never their sum.
        self.env.flush_all()
        self.env.invalidate_all()  # the ledger is a view
        row = (
            self.env["complaint.points.ledger"]
            .with_user(self.finance)
            .search(
                [
                    ("employee_id", "=", self.worker.id),
                    ("payroll_period", "=", self.period),
                ]
            )
        )
        self.assertEqual(
            (row.deduction_amount, row.reward_amount, row.amount), (80.0, 30.0, 50.0)
        )

        # Payroll list: its own columns and totals for each.
        content, _kind = (
            self.env["ir.actions.report"]
            .with_user(self.finance)
            ._render(
                "complaint_center.complaint_payroll_xlsx",
                [],
                {
                    "payroll": {
                        "payroll_period": self.period,
                        "company_id": self.company.id,
                    }
                },
            )
        )
        sheet = openpyxl.load_workbook(io.BytesIO(content), data_only=True).worksheets[
            0
        ]
        rows = list(sheet.iter_rows(values_only=True))
        header = next(row for row in rows if row[0] == "Employee")
        grand = next(row for row in rows if row[0] == "Grand Total")
        columns = [header.index(h) for h in ("Deductions", "Rewards", "Net Deduction")]
        self.assertEqual([grand[i] for i in columns], [80.0, 30.0, 50.0])
        lines = {
            row[header.index("Kind")]: [row[i] for i in columns]
            for row in rows[rows.index(header) + 1 :]
            if row[0] == "Worker Wang"
        }
        self.assertEqual(
            lines, {"Deduction": [80.0, None, 80.0], "Reward": [None, 30.0, -30.0]}
        )

    # Penalty rules ----------------------------------------------------------
    def test_rules_give_points_only_when_they_are_points_rules(self):
        Rule = self.env["complaint.penalty.rule"].with_user(self.manager)
        severity = Rule.create(
            {"name": "Severity T", "rule_type": "severity", "amount_general": 10.0}
        )
        self.assertEqual(severity.points, 0)
        self.assertEqual(self.points_rule.points, 1)
        self.assertEqual(Rule.create({"name": "Default T"}).points, 1)
        # Switching the type follows: no point left on a non-points rule.
        self.points_rule.with_user(self.manager).rule_type = "delay"
        self.assertEqual(self.points_rule.points, 0)
        self.points_rule.with_user(self.manager).rule_type = "points"
        self.assertEqual(self.points_rule.points, 1)
        # The shipped rules: one point for the points rule only.
        for xmlid, points in (
            ("penalty_rule_points", 1),
            ("penalty_rule_severity", 0),
            ("penalty_rule_delay", 0),
            ("penalty_rule_reward", 0),
            ("penalty_rule_supplier", 0),
        ):
            rule = self.env.ref(f"complaint_center.{xmlid}", raise_if_not_found=False)
            if rule:
                self.assertEqual(rule.points, points, xmlid)
        # The list shows each value only on the rules it applies to.
        arch = etree.fromstring(
            Rule.get_views([(False, "list")])["views"]["list"]["arch"]
        )
        self.assertEqual(
            arch.find("field[@name='points']").get("invisible"),
            "rule_type != 'points'",
        )

    # Reports agree on what is settled ---------------------------------------
    def _settled_recount(self, period, company=None):
        """Deducted and rewarded in ``period`` by SQL on the table: applied
        payroll penalties (deductions, points, rewards) of that payroll
        period; written here, independent of the reports."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT COALESCE(SUM(CASE WHEN kind != 'reward' THEN amount END), 0),
                   COALESCE(SUM(CASE WHEN kind = 'reward' THEN amount END), 0),
                   COALESCE(SUM(points), 0)
              FROM complaint_penalty
             WHERE state = 'applied' AND payroll_period = %s
               AND kind IN ('deduction', 'points', 'reward')
               AND company_id = %s
            """,
            (period, (company or self.company).id),
        )
        return self.env.cr.fetchone()

    def _payroll_book(self, user, period=None, ids=()):
        data = {}
        if period:
            data = {
                "payroll": {"payroll_period": period, "company_id": self.company.id}
            }
        content, _kind = (
            self.env["ir.actions.report"]
            .with_user(user)
            ._render("complaint_center.complaint_payroll_xlsx", list(ids), data)
        )
        return openpyxl.load_workbook(io.BytesIO(content), data_only=True).worksheets[0]

    def test_statistics_payroll_list_and_ledger_agree_on_settled_penalties(self):
        """Issue 24 (2): the statistics counted drafts, confirmed and approved
        penalties, booked to the month their complaint arrived; the payroll
        list and the ledger counted applied ones. All now count the
        penalties applied in the period's payroll, as a recount does."""
        complaint = self._complaint()
        applied = {"complaint": complaint, "state": "applied"}
        self._penalty(kind="deduction", points=1, amount=50.0, **applied)
        self._penalty(kind="points", points=2, amount=20.0, **applied)
        self._penalty(self.worker2, kind="reward", points=0, amount=15.0, **applied)
        # Not settled in the period: a draft, a confirmed and an approved
        # penalty planned for it, and one applied in the month after.
        for state, amount in (("draft", 500.0), ("confirmed", 700.0)):
            self._penalty(
                complaint=complaint,
                kind="deduction",
                amount=amount,
                state=state,
                payroll_period=self.period,
            )
        self._penalty(
            complaint=complaint,
            kind="deduction",
            amount=900.0,
            payroll_period=self.period,
        )
        self._penalty(
            complaint=complaint, kind="deduction", amount=40.0, payroll_period="2031-05"
        ).with_user(self.finance).action_apply("2031-05")

        deducted, rewarded, points = self._settled_recount(self.period)
        self.assertEqual((deducted, rewarded, points), (70.0, 15.0, 3))
        stats = self.env["complaint.statistics"]
        for user in (self.finance, self.manager):
            with self.subTest(user=user.login):
                figures = stats.with_user(user)._figures(
                    self.company, stats._period("month", 2031, 4)
                )
                self.assertEqual(figures["penalty_total"], deducted)
                self.assertEqual(figures["reward_total"], rewarded)
                # The payroll list of the period.
                rows = list(
                    self._payroll_book(user, self.period).iter_rows(values_only=True)
                )
                header = next(row for row in rows if row[0] == "Employee")
                grand = next(row for row in rows if row[0] == "Grand Total")
                self.assertEqual(grand[header.index("Deductions")], deducted)
                self.assertEqual(grand[header.index("Rewards")], rewarded)
                self.assertEqual(grand[header.index("Points")], points)
                # The points ledger of the period.
                self.env.invalidate_all()  # the ledger is a view
                [(led_deducted, led_rewarded, led_points)] = (
                    self.env["complaint.points.ledger"]
                    .with_user(user)
                    ._read_group(
                        [
                            ("payroll_period", "=", self.period),
                            ("company_id", "=", self.company.id),
                        ],
                        aggregates=[
                            "deduction_amount:sum",
                            "reward_amount:sum",
                            "points:sum",
                        ],
                    )
                )
                self.assertEqual(
                    (led_deducted, led_rewarded, led_points),
                    (deducted, rewarded, points),
                )
        # The quarter sums its three payroll months.
        figures = stats.with_user(self.finance)._figures(
            self.company, stats._period("quarter", 2031, 2)
        )
        self.assertEqual(figures["penalty_total"], 110.0)

    def test_statistics_count_chargebacks_once_their_credit_note_is_posted(self):
        """Issue 24 (4): supplier chargebacks appeared nowhere. They count
        in the period their vendor credit note is posted in."""
        complaint = self._approved_complaint()
        chargeback = complaint.penalty_ids.filtered(lambda p: p.kind == "chargeback")
        chargeback.with_user(self.manager).action_confirm()
        chargeback.with_user(self.finance).action_approve()
        move = chargeback.move_id
        stats = self.env["complaint.statistics"].with_user(self.finance)
        april = stats._period("month", 2031, 4)
        figures = stats._figures(self.company, april)
        # A draft credit note: not settled yet.
        self.assertEqual(
            (figures["chargeback_count"], figures["chargeback_total"]), (0, 0.0)
        )
        move.write({"invoice_date": "2031-04-10", "date": "2031-04-10"})
        move.action_post()
        self.assertEqual(move.state, "posted")
        figures = stats._figures(self.company, april)
        self.assertEqual(
            (figures["chargeback_count"], figures["chargeback_total"]), (1, 150.0)
        )
        self.assertEqual(figures["previous"]["chargeback_total"], 0.0)
        self.assertEqual(
            stats._figures(self.company, stats._period("month", 2031, 5))[
                "chargeback_total"
            ],
            0.0,
        )
        # The PDF prints it; a handler sees no amount at all.
        html = (
            self.env["ir.actions.report"]
            .with_user(self.finance)
            ._render_qweb_html(
                "complaint_center.report_complaint_statistics",
                None,
                data={
                    "company_id": self.company.id,
                    "kind": "month",
                    "year": 2031,
                    "number": 4,
                },
            )[0]
            .decode()
        )
        self.assertIn("Supplier chargebacks", html)
        self.assertIsNone(
            self.env["complaint.statistics"]
            .with_user(self.handler)
            ._figures(self.company, april)["chargeback_total"]
        )

    def test_payroll_list_of_a_selection_never_totals_mixed_states(self):
        """Issue 24 (5): a selection of draft, confirmed and applied penalties
        was summed into one Grand Total. A list totals one state only."""
        complaint = self._complaint()
        draft = self._penalty(
            complaint=complaint, kind="deduction", amount=500.0, state="draft"
        )
        confirmed = self._penalty(
            complaint=complaint, kind="deduction", amount=300.0, state="confirmed"
        )
        applied = self._penalty(
            complaint=complaint, kind="deduction", amount=50.0, state="applied"
        )
        for selection in (draft | applied, draft | confirmed | applied):
            with self.subTest(states=selection.mapped("state")):
                with self.assertRaisesRegex(UserError, "one state only"):
                    self._payroll_book(self.finance, ids=selection.ids)
        # One state: listed, its state named, and not taken for payroll's.
        sheet = self._payroll_book(self.finance, ids=(draft | confirmed)[:1].ids)
        subtitle = sheet.cell(2, 1).value
        self.assertIn("Draft", subtitle)
        self.assertIn("not applied", subtitle)
        rows = list(
            self._payroll_book(self.finance, ids=applied.ids).iter_rows(
                values_only=True
            )
        )
        self.assertIn("Applied", rows[1][0])
        self.assertNotIn("not applied", rows[1][0])
        header = next(row for row in rows if row[0] == "Employee")
        grand = next(row for row in rows if row[0] == "Grand Total")
        self.assertEqual(grand[header.index("Deductions")], 50.0)
        # Nothing was changed by the refusals.
        self.assertEqual(
            (draft | confirmed | applied).mapped("state"),
            ["draft", "confirmed", "applied"],
        )
