from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestComplaintAccount(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.env.company.chart_template:
            cls.env["account.chart.template"].try_loading(
                "generic_coa", company=cls.env.company, install_demo=False
            )
        cls.order.action_confirm()
        cls.invoice = cls.order._create_invoices()
        cls.invoice.action_post()

    def _refund_complaint(self, amount=30.0, order=True, **vals):
        values = {
            "partner_id": self.contact.id,
            "compensation_amount": amount,
        }
        if order:
            values["sale_order_id"] = self.order.id
        values.update(vals)
        complaint = self._complaint(**values)
        self._to_state(complaint, "proposed")
        return complaint

    def _credit_notes(self, complaint):
        return self.env["account.move"].search([("complaint_id", "=", complaint.id)])

    def test_approval_prepares_draft_credit_note(self):
        self.assertFalse(self.manager.has_group("account.group_account_invoice"))
        complaint = self._refund_complaint(amount=30.0)
        complaint.with_user(self.manager).action_approve()
        move = self._credit_notes(complaint)
        self.assertEqual(len(move), 1)
        self.assertEqual(move.move_type, "out_refund")
        self.assertEqual(move.state, "draft")
        self.assertEqual(move.partner_id, self.order.partner_invoice_id)
        self.assertEqual(move.journal_id.type, "sale")
        self.assertEqual(move.currency_id, complaint.currency_id)
        self.assertEqual(move.invoice_origin, self.order.name)
        self.assertIn(complaint.name, move.ref)
        self.assertEqual(move.reversed_entry_id, self.invoice)
        self.assertAlmostEqual(move.amount_total, 30.0)
        self.assertEqual(len(move.invoice_line_ids), 1)
        self.assertIn(complaint.name, move.invoice_line_ids.name)
        self.assertEqual(complaint.refund_move_ids, move)
        self.assertEqual(complaint.refund_count, 1)
        self.assertTrue(complaint.has_credit_note)
        self.assertEqual(move.create_uid, self.manager)
        action = complaint.action_view_credit_notes()
        self.assertEqual(action["res_id"], move.id)

    def test_reapproval_updates_without_duplicating(self):
        complaint = self._refund_complaint(amount=30.0)
        complaint.with_user(self.manager).action_approve()
        self._to_state(complaint, "resolved")
        complaint.with_user(self.manager).action_reopen()
        complaint.compensation_amount = 45.0
        complaint.with_user(self.handler).action_propose()
        complaint.with_user(self.manager).action_approve()
        move = self._credit_notes(complaint)
        self.assertEqual(len(move), 1)
        self.assertEqual(move.state, "draft")
        self.assertAlmostEqual(move.amount_total, 45.0)

    def test_posted_credit_note_never_changed(self):
        complaint = self._refund_complaint(amount=30.0)
        complaint.with_user(self.manager).action_approve()
        move = self._credit_notes(complaint)
        move.action_post()
        self._to_state(complaint, "resolved")
        complaint.with_user(self.manager).action_reopen()
        complaint.compensation_amount = 50.0
        complaint.with_user(self.handler).action_propose()
        complaint.with_user(self.manager).action_approve()
        self.assertEqual(self._credit_notes(complaint), move)
        self.assertAlmostEqual(move.amount_total, 30.0)

    def test_cancelled_credit_note_replaced(self):
        complaint = self._refund_complaint(amount=30.0)
        complaint.with_user(self.manager).action_approve()
        move = self._credit_notes(complaint)
        move.button_cancel()
        self.assertFalse(complaint.has_credit_note)
        complaint.with_user(self.finance).action_create_credit_note()
        moves = self._credit_notes(complaint)
        self.assertEqual(len(moves), 2)
        self.assertEqual((moves - move).state, "draft")

    def test_no_move_without_order_or_amount(self):
        no_order = self._refund_complaint(amount=30.0, order=False)
        no_order.with_user(self.manager).action_approve()
        self.assertEqual(no_order.state, "approved")
        self.assertFalse(self._credit_notes(no_order))
        no_amount = self._refund_complaint(amount=0.0)
        no_amount.with_user(self.manager).action_approve()
        self.assertEqual(no_amount.state, "approved")
        self.assertFalse(self._credit_notes(no_amount))

    def test_manual_creation_without_order(self):
        """Issue 23: an approved refund of a complaint without a sale order
        (demo CC2612-0020) offered no Create Credit Note, and the method
        refused it; the credit note goes to the customer's invoice address."""
        complaint = self._refund_complaint(amount=250.0, order=False)
        complaint.with_user(self.manager).action_approve()
        self.assertEqual(complaint.state, "approved")
        self.assertFalse(self._credit_notes(complaint))
        for user in (self.user, self.handler):
            with self.assertRaises(AccessError):
                complaint.with_user(user).action_create_credit_note()
        self.assertFalse(self._credit_notes(complaint))
        complaint.with_user(self.manager).action_create_credit_note()
        move = self._credit_notes(complaint)
        self.assertEqual(len(move), 1)
        self.assertEqual(move.move_type, "out_refund")
        self.assertEqual(move.state, "draft")
        self.assertEqual(move.partner_id, self.customer)
        self.assertEqual(move.journal_id.type, "sale")
        self.assertEqual(move.invoice_origin, complaint.name)
        self.assertFalse(move.reversed_entry_id)
        self.assertAlmostEqual(move.amount_total, 250.0)
        self.assertTrue(complaint.has_credit_note)
        with self.assertRaises(UserError):
            complaint.with_user(self.finance).action_create_credit_note()
        self.assertEqual(len(self._credit_notes(complaint)), 1)

    def test_other_resolution_no_move(self):
        complaint = self._refund_complaint(amount=30.0)
        complaint.resolution_type = "exchange"
        complaint.with_user(self.manager).action_approve()
        self.assertFalse(self._credit_notes(complaint))

    def test_manual_creation_refusals(self):
        no_amount = self._refund_complaint(amount=0.0)
        no_amount.with_user(self.manager).action_approve()
        with self.assertRaises(UserError):
            no_amount.with_user(self.manager).action_create_credit_note()
        exchange = self._refund_complaint(amount=20.0)
        exchange.resolution_type = "exchange"
        exchange.with_user(self.manager).action_approve()
        with self.assertRaises(UserError):
            exchange.with_user(self.manager).action_create_credit_note()
        proposed = self._refund_complaint(amount=20.0)
        with self.assertRaises(UserError):
            proposed.with_user(self.manager).action_create_credit_note()
        proposed.with_user(self.manager).action_approve()
        with self.assertRaises(UserError, msg="already has one"):
            proposed.with_user(self.manager).action_create_credit_note()
        for user in (self.user, self.handler):
            with self.assertRaises(AccessError):
                proposed.with_user(user).action_create_credit_note()

    def test_manual_creation_by_finance(self):
        complaint = self._refund_complaint(amount=25.0)
        complaint.resolution_type = "exchange"
        complaint.with_user(self.manager).action_approve()
        self.assertFalse(self._credit_notes(complaint))
        complaint.resolution_type = "refund"
        complaint.with_user(self.finance).action_create_credit_note()
        move = self._credit_notes(complaint)
        self.assertEqual(len(move), 1)
        self.assertAlmostEqual(move.amount_total, 25.0)
        self.assertEqual(move.state, "draft")

    def test_accountant_creates_as_self(self):
        accountant = self.manager2
        accountant.groups_id += self.env.ref("account.group_account_invoice")
        complaint = self._refund_complaint(amount=10.0)
        complaint.with_user(accountant).action_approve()
        move = self._credit_notes(complaint)
        self.assertEqual(len(move), 1)
        self.assertEqual(move.create_uid, accountant)
        action = complaint.with_user(accountant).action_view_credit_notes()
        self.assertEqual(action["res_id"], move.id)

    def test_uninvoiced_order(self):
        complaint = self._complaint(
            partner_id=self.other_customer.id,
            sale_order_id=self.other_order.id,
            compensation_amount=5.0,
        )
        self._to_state(complaint, "approved")
        move = self._credit_notes(complaint)
        self.assertEqual(len(move), 1)
        self.assertFalse(move.reversed_entry_id)
        self.assertEqual(move.partner_id, self.other_order.partner_invoice_id)
