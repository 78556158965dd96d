from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import APPROVAL, ComplaintCase


@tagged("post_install", "-at_install")
class TestApproval(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.complaint_executive_threshold = 1000.0
        cls.executive2 = cls.env["res.users"].create(
            {
                "name": "Executive Two",
                "login": "cc_t_executive2",
                "groups_id": [
                    (
                        6,
                        0,
                        [cls.env.ref("complaint_center.group_complaint_executive").id],
                    )
                ],
            }
        )

    def _proposed(self, **vals):
        complaint = self._to_state(self._complaint(**vals), "investigating")
        complaint.write({"resolution_type": "refund", "resolution": "<p>Refund</p>"})
        complaint.with_user(self.handler).action_propose()
        return complaint

    def test_manager_approves_general_plan(self):
        complaint = self._proposed()
        self.assertEqual(complaint.proposed_by_id, self.handler)
        self.assertFalse(complaint.needs_executive)
        complaint.with_user(self.manager).action_approve()
        self.assertEqual(complaint.state, "approved")
        self.assertEqual(complaint.approved_by_id, self.manager)
        self.assertTrue(complaint.date_approved)

    def test_proposer_never_approves(self):
        complaint = self._to_state(self._complaint(), "investigating")
        complaint.write({"resolution_type": "apology", "resolution": "<p>Sorry</p>"})
        complaint.with_user(self.manager).action_propose()
        self.assertFalse(complaint.with_user(self.manager).can_approve)
        with self.assertRaises(AccessError):
            complaint.with_user(self.manager).action_approve()
        self.assertEqual(complaint.state, "proposed")
        complaint.with_user(self.manager2).action_approve()
        self.assertEqual(complaint.state, "approved")

    def test_major_needs_executive_too(self):
        complaint = self._proposed(severity="major")
        self.assertTrue(complaint.needs_executive)
        complaint.with_user(self.manager).action_approve()
        self.assertEqual(complaint.state, "proposed")
        self.assertEqual(complaint.approved_by_id, self.manager)
        self.assertTrue(
            complaint.activity_ids.filtered(lambda a: a.user_id == self.executive)
        )
        with self.assertRaises(AccessError):
            complaint.with_user(self.manager2).action_approve()
        complaint.with_user(self.executive).action_approve()
        self.assertEqual(complaint.state, "approved")
        self.assertEqual(complaint.executive_approved_by_id, self.executive)

    def test_same_person_cannot_approve_twice(self):
        complaint = self._proposed(severity="critical")
        complaint.with_user(self.executive).action_approve()
        self.assertEqual(complaint.state, "proposed")
        with self.assertRaises(AccessError):
            complaint.with_user(self.executive).action_approve()
        complaint.with_user(self.executive2).action_approve()
        self.assertEqual(complaint.state, "approved")

    def test_amount_above_threshold_needs_executive(self):
        small = self._proposed(compensation_amount=999)
        self.assertFalse(small.needs_executive)
        large = self._complaint(compensation_amount=1500)
        self.assertTrue(large.needs_executive)
        self.company.complaint_executive_threshold = 0
        large.invalidate_recordset(["needs_executive"])
        self.assertFalse(large.needs_executive)

    def test_send_back_clears_approval(self):
        complaint = self._proposed(severity="major")
        complaint.with_user(self.manager).action_approve()
        complaint.with_user(self.manager2).action_send_back()
        self.assertEqual(complaint.state, "investigating")
        complaint.with_user(self.handler).action_propose()
        self.assertFalse(complaint.approved_by_id)

    # Closure --------------------------------------------------------------
    def test_unsatisfied_goes_back_for_review(self):
        complaint = self._to_state(self._complaint(), "resolved")
        complaint.satisfaction = "unsatisfied"
        complaint.with_user(self.manager).action_close()
        self.assertEqual(complaint.state, "investigating")
        self.assertEqual(complaint.reopen_count, 1)
        self.assertEqual(complaint.review_level, "1")
        self.assertFalse(complaint.satisfaction)
        self.assertFalse(complaint.date_closed)

    def test_force_close_needs_reason(self):
        complaint = self._to_state(self._complaint(), "resolved")
        with self.assertRaises(UserError):
            complaint.with_user(self.manager).action_force_close()
        complaint.force_close_reason = "Customer unreachable for three weeks."
        with self.assertRaises(AccessError):
            complaint.with_user(self.handler).action_force_close()
        complaint.with_user(self.manager).action_force_close()
        self.assertEqual(complaint.state, "closed")
        self.assertTrue(complaint.date_closed)

    def test_appeals_climb_to_the_executive(self):
        complaint = self._to_state(self._complaint(), "closed")
        complaint.with_user(self.manager).action_reopen()
        self.assertEqual(complaint.review_level, "1")
        self.assertFalse(complaint.needs_executive)
        self._to_state(complaint, "closed")
        # A second appeal goes to the executive, who also approves the plan.
        self.assertFalse(complaint.with_user(self.manager).can_reopen)
        with self.assertRaises(AccessError):
            complaint.with_user(self.manager).action_reopen()
        complaint.with_user(self.executive).action_reopen()
        self.assertEqual(complaint.review_level, "2")
        self.assertTrue(complaint.needs_executive)
        complaint.write({"resolution_type": "refund", "resolution": "<p>More</p>"})
        complaint.with_user(self.handler).action_propose()
        complaint.with_user(self.manager).action_approve()
        self.assertEqual(complaint.state, "proposed")
        complaint.with_user(self.executive).action_approve()
        self.assertEqual(complaint.state, "approved")

    # The approvers' to-dos ------------------------------------------------
    def _asked(self, complaint):
        return self._activities(complaint, APPROVAL).user_id

    def test_managers_are_asked_to_approve(self):
        # Issue 23 item 11: only executives got an activity when a plan
        # waited for approval.
        self.company.complaint_director_id = False
        complaint = self._proposed()
        asked = self._asked(complaint)
        self.assertLessEqual(self.manager | self.manager2, asked)
        self.assertNotIn(self.handler, asked)
        self.assertFalse(asked & self.executive)
        for activity in self._activities(complaint, APPROVAL):
            self.assertEqual(
                activity.summary, f"Approve the plan of complaint {complaint.name}"
            )
        complaint.with_user(self.manager).action_approve()
        self.assertEqual(complaint.state, "approved")
        self.assertFalse(self._activities(complaint, APPROVAL))

    def test_the_director_is_asked_unless_recused(self):
        self.company.complaint_director_id = self.manager
        complaint = self._proposed()
        self.assertEqual(self._asked(complaint), self.manager)
        complaint.with_user(self.manager).action_send_back()
        self.assertFalse(self._activities(complaint, APPROVAL))
        # The director proposes: the other managers are asked.
        complaint.with_user(self.manager).action_propose()
        asked = self._asked(complaint)
        self.assertIn(self.manager2, asked)
        self.assertNotIn(self.manager, asked)
        complaint.with_user(self.manager2).action_send_back()
        # The director is complained about: recused, never asked.
        director = self.env["hr.employee"].create(
            {"name": "Director Employee", "user_id": self.manager.id}
        )
        complaint.subject_employee_ids = director
        complaint.with_user(self.handler).action_propose()
        asked = self._asked(complaint)
        self.assertIn(self.manager2, asked)
        self.assertNotIn(self.manager, asked)

    def test_executive_asked_once_the_managers_approved(self):
        self.company.complaint_director_id = self.manager
        complaint = self._proposed(severity="major")
        self.assertEqual(self._asked(complaint), self.manager)
        complaint.with_user(self.manager).action_approve()
        asked = self._asked(complaint)
        self.assertIn(self.executive, asked)
        self.assertNotIn(self.manager, asked)
