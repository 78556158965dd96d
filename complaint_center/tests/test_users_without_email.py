"""Staff without an e-mail address go through every step that gives someone
a to-do: Odoo refuses a notification "from" a sender without an address
("Unable to send message, please configure the sender's email address"),
so theirs leave in their name from the company's address."""

from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestUsersWithoutEmail(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.complaint_executive_threshold = 1000.0
        cls.company.complaint_penalty_executive_threshold = 100.0
        staff = (
            cls.user
            | cls.handler
            | cls.handler2
            | cls.manager
            | cls.manager2
            | cls.finance
            | cls.executive
        )
        staff.partner_id.email = False
        # The company has an address: theirs are sent from it, in their name.
        cls.company.email = "complaints@example.com"
        cls.worker = cls.env["hr.employee"].create(
            {"name": "Worker", "department_id": cls.department.id}
        )

    def _todo_of(self, record, user):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", record._name),
                ("res_id", "=", record.id),
                ("user_id", "=", user.id),
            ]
        )

    def test_a_complaint_from_intake_to_closing(self):
        complaint = self._complaint(user=self.user, compensation_amount=1500.0)
        complaint.with_user(self.handler).action_accept()
        complaint.with_user(self.handler).write(
            {"resolution_type": "refund", "resolution": "<p>Refund 1500.</p>"}
        )
        complaint.with_user(self.handler).action_propose()
        self.assertEqual(complaint.state, "proposed")
        self.assertTrue(self._todo_of(complaint, self.manager), "asked to approve")
        complaint.with_user(self.manager).action_approve()
        self.assertTrue(complaint.needs_executive)
        self.assertTrue(self._todo_of(complaint, self.executive))
        complaint.with_user(self.executive).action_approve()
        self.assertEqual(complaint.state, "approved")
        action = (
            self.env["complaint.action"]
            .with_user(self.handler)
            .create(
                {
                    "complaint_id": complaint.id,
                    "action_type": "corrective",
                    "name": "Re-train the delivery team",
                    "user_id": self.handler2.id,
                    "date_deadline": fields.Date.today() + timedelta(days=7),
                }
            )
        )
        self.assertTrue(self._todo_of(action, self.handler2))
        action.with_user(self.handler2).action_done()
        self.assertEqual(action.state, "done")
        complaint.with_user(self.handler).action_resolve()
        complaint.with_user(self.handler).satisfaction = "satisfied"
        complaint.with_user(self.manager).action_close()
        self.assertEqual(complaint.state, "closed")
        # Their notes left from the company's address (logs carry none).
        self._flush_tracking()
        sent = self.env["mail.message"].search(
            [
                ("model", "=", complaint._name),
                ("res_id", "=", complaint.id),
                ("author_id", "=", self.manager.partner_id.id),
            ]
        )
        senders = [m.email_from for m in sent if m.email_from]
        self.assertTrue(senders, "the approval notes at least")
        self.assertTrue(
            all("complaints@example.com" in sender for sender in senders), senders
        )

    def test_a_penalty_above_the_executive_threshold(self):
        penalty = self.env["complaint.penalty"].create(
            {
                "complaint_id": self._complaint().id,
                "employee_id": self.worker.id,
                "department_id": self.department.id,
                "amount": 500.0,
            }
        )
        penalty.with_user(self.manager).action_confirm()
        penalty.with_user(self.finance).action_approve()
        self.assertEqual(penalty.state, "confirmed")
        self.assertTrue(self._todo_of(penalty, self.executive))
        penalty.with_user(self.executive).action_approve()
        self.assertEqual(penalty.state, "approved")

    def test_penalties_approved_together_ask_the_executive_once(self):
        complaint = self._complaint()
        penalties = self.env["complaint.penalty"].create(
            [
                {
                    "complaint_id": complaint.id,
                    "employee_id": self.worker.id,
                    "department_id": self.department.id,
                    "amount": amount,
                }
                for amount in (300.0, 400.0)
            ]
        )
        penalties.with_user(self.manager).action_confirm()
        penalties.with_user(self.finance).action_approve()
        for penalty in penalties:
            self.assertEqual(penalty.state, "confirmed")
            self.assertEqual(len(self._todo_of(penalty, self.executive)), 1)
        # One digest for both, named after penalties, not complaints.
        digest = self.env["mail.message"].search(
            [
                ("partner_ids", "in", self.executive.partner_id.ids),
                ("subject", "like", "2 × "),
            ]
        )
        self.assertEqual(len(digest), 1)
        self.assertIn("Penalty", digest.subject)
        self.assertNotIn("complaints", digest.subject)
