"""The deputy general manager in charge (主管副总经理, 001 篇七/八/九): a level
of plan approval and of escalation between the center director and the
general manager, where the company turns it on."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import APPROVAL, ESCALATION, GROUPS, ComplaintCase, make_user

RECEIVED = datetime(2026, 11, 16, 2, 0)  # Monday 10:00 in Shanghai


@tagged("post_install", "-at_install")
class TestDeputy(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.deputy = make_user(
            cls.env,
            login="cc_t_deputy",
            groups=f"{GROUPS}deputy,sales_team.group_sale_salesman_all_leads",
        )
        cls.deputy2 = make_user(cls.env, login="cc_t_deputy2", groups=f"{GROUPS}deputy")
        cls.company.write(
            {
                "complaint_use_deputy": True,
                "complaint_deputy_threshold": 500.0,
                "complaint_executive_threshold": 1000.0,
                "complaint_director_id": cls.manager.id,
                "complaint_deputy_id": False,
                "complaint_executive_id": cls.executive.id,
            }
        )

    def _proposed(self, **vals):
        complaint = self._to_state(self._complaint(**vals), "investigating")
        complaint.write({"resolution_type": "refund", "resolution": "<p>Refund</p>"})
        complaint.with_user(self.handler).action_propose()
        return complaint

    def _asked(self, complaint):
        return self._activities(complaint, APPROVAL).user_id

    # Roles ------------------------------------------------------------------
    def test_roles_rank_between_manager_and_executive(self):
        self.assertEqual(
            self.deputy._complaint_roles(), {"user", "handler", "manager", "deputy"}
        )
        self.assertIn("deputy", self.executive._complaint_roles())
        self.assertNotIn("deputy", self.manager._complaint_roles())
        people = self.company._complaint_people
        self.company.complaint_director_id = False
        self.assertNotIn(self.deputy, people("director"))
        self.assertIn(self.manager, people("director"))
        self.assertEqual(people("deputy") & (self.deputy | self.executive), self.deputy)

    # Approval ---------------------------------------------------------------
    def test_general_plan_needs_the_director_only(self):
        complaint = self._proposed(compensation_amount=400)
        self.assertFalse(complaint.needs_deputy)
        self.assertFalse(complaint.needs_executive)
        complaint.with_user(self.manager).action_approve()
        self.assertEqual(complaint.state, "approved")

    def test_major_plan_needs_the_deputy_not_the_executive(self):
        complaint = self._proposed(severity="major")
        self.assertTrue(complaint.needs_deputy)
        self.assertFalse(complaint.needs_executive)
        complaint.with_user(self.manager).action_approve()
        self.assertEqual(complaint.state, "proposed")
        self.assertLessEqual(self.deputy | self.deputy2, self._asked(complaint))
        self.assertNotIn(self.executive, self._asked(complaint))
        # Another director cannot give the deputy's approval.
        self.assertFalse(complaint.with_user(self.manager2).can_approve)
        with self.assertRaises(AccessError):
            complaint.with_user(self.manager2).action_approve()
        self.assertFalse(complaint.deputy_approved_by_id)
        complaint.with_user(self.deputy).action_approve()
        self.assertEqual(complaint.state, "approved")
        self.assertEqual(complaint.approved_by_id, self.manager)
        self.assertEqual(complaint.deputy_approved_by_id, self.deputy)
        self.assertTrue(complaint.date_deputy_approved)
        self.assertFalse(complaint.executive_approved_by_id)
        self.assertFalse(self._activities(complaint, APPROVAL))

    def test_amount_above_deputy_threshold_needs_the_deputy(self):
        complaint = self._proposed(compensation_amount=600)
        self.assertTrue(complaint.needs_deputy)
        self.assertFalse(complaint.needs_executive)

    def test_critical_climbs_director_deputy_executive(self):
        complaint = self._proposed(severity="critical")
        self.assertTrue(complaint.needs_deputy)
        self.assertTrue(complaint.needs_executive)
        complaint.with_user(self.manager).action_approve()
        self.assertTrue(complaint.with_user(self.deputy).can_approve)
        complaint.with_user(self.deputy).action_approve()
        self.assertEqual(complaint.state, "proposed")
        self.assertEqual(self._asked(complaint), self.executive)
        with self.assertRaises(AccessError):
            complaint.with_user(self.deputy2).action_approve()
        complaint.with_user(self.executive).action_approve()
        self.assertEqual(complaint.state, "approved")
        self.assertEqual(complaint.executive_approved_by_id, self.executive)

    def test_amount_above_executive_threshold_needs_both(self):
        complaint = self._proposed(compensation_amount=1500)
        self.assertTrue(complaint.needs_deputy)
        self.assertTrue(complaint.needs_executive)

    @mute_logger("odoo.models")
    def test_never_the_same_person_twice(self):
        """The executive holds the deputy's role too: approving at both
        levels is refused, as is the director approving again as deputy."""
        complaint = self._proposed(severity="critical")
        complaint.with_user(self.executive).action_approve()
        self.assertEqual(complaint.approved_by_id, self.executive)
        with self.assertRaises(AccessError):
            complaint.with_user(self.executive).action_approve()
        self.assertFalse(complaint.deputy_approved_by_id)
        complaint.with_user(self.deputy).action_approve()
        with self.assertRaises(AccessError):
            complaint.with_user(self.deputy).action_approve()
        with self.assertRaises(AccessError):
            complaint.with_user(self.executive).action_approve()
        self.assertEqual(complaint.state, "proposed")
        self.assertFalse(complaint.executive_approved_by_id)

    def test_recused_deputy_cannot_approve(self):
        employee = self.env["hr.employee"].create(
            {"name": "Deputy Employee", "user_id": self.deputy.id}
        )
        complaint = self._proposed(
            severity="major", subject_employee_ids=[(4, employee.id)]
        )
        complaint.with_user(self.manager).action_approve()
        self.assertNotIn(self.deputy, self._asked(complaint))
        with self.assertRaises(AccessError):
            complaint.with_user(self.deputy).action_approve()
        self.assertFalse(complaint.deputy_approved_by_id)
        complaint.with_user(self.deputy2).action_approve()
        self.assertEqual(complaint.state, "approved")

    @mute_logger("odoo.models")
    def test_deputy_approval_never_written_directly(self):
        complaint = self._proposed(severity="major")
        complaint.with_user(self.manager).action_approve()
        for user in (self.manager, self.deputy, self.executive):
            with self.assertRaises(AccessError):
                complaint.with_user(user).write(
                    {"deputy_approved_by_id": user.id, "state": "approved"}
                )
        complaint.invalidate_recordset()
        self.assertFalse(complaint.deputy_approved_by_id)
        self.assertEqual(complaint.state, "proposed")

    def test_send_back_clears_the_deputy_approval(self):
        complaint = self._proposed(severity="critical")
        complaint.with_user(self.manager).action_approve()
        complaint.with_user(self.deputy).action_approve()
        complaint.with_user(self.manager2).action_send_back()
        self.assertFalse(complaint.deputy_approved_by_id)
        self.assertFalse(complaint.date_deputy_approved)

    def test_setting_off_is_the_two_level_approval(self):
        self.company.complaint_use_deputy = False
        complaint = self._proposed(severity="major")
        self.assertFalse(complaint.needs_deputy)
        self.assertTrue(complaint.needs_executive)
        complaint.with_user(self.manager).action_approve()
        with self.assertRaises(AccessError):
            complaint.with_user(self.deputy).action_approve()
        complaint.with_user(self.executive).action_approve()
        self.assertEqual(complaint.state, "approved")
        self.assertFalse(complaint.deputy_approved_by_id)

    def test_only_the_executive_changes_the_deputy_settings(self):
        Settings = self.env["complaint.settings"]
        for field, value in (
            ("complaint_use_deputy", False),
            ("complaint_deputy_threshold", 9000.0),
            ("complaint_deputy_id", self.deputy2.id),
        ):
            with self.assertRaises(AccessError), mute_logger("odoo.models"):
                Settings.with_user(self.manager).create({field: value})
            with self.assertRaises(AccessError), mute_logger("odoo.models"):
                Settings.with_user(self.deputy).create({field: value})
        self.assertTrue(self.company.complaint_use_deputy)
        self.assertEqual(self.company.complaint_deputy_threshold, 500.0)
        self.assertFalse(self.company.complaint_deputy_id)
        Settings.with_user(self.executive).create({"complaint_deputy_threshold": 800.0})
        self.assertEqual(self.company.complaint_deputy_threshold, 800.0)

    # Escalation -------------------------------------------------------------
    def test_escalation_climbs_to_the_deputy_then_the_executive(self):
        self.company.complaint_deputy_id = self.deputy
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE complaint_complaint "
            "SET date_next_escalation = NULL, date_next_followup = NULL"
        )
        self.env.invalidate_all()
        Complaint = self.env["complaint.complaint"]
        with freeze_time(RECEIVED):
            complaint = self._complaint(date_received=RECEIVED)
            complaint.with_user(self.handler).action_accept()
        deadline = complaint.date_resolve_deadline
        told = {}
        for level in (1, 2, 3, 4):
            with freeze_time(deadline + timedelta(hours=24 * (level - 1), minutes=5)):
                self.assertEqual(Complaint._cron_escalate_overdue(), 1)
                self.assertEqual(complaint.escalation_level, level)
                told[level] = self._activities(complaint, ESCALATION).user_id - sum(
                    told.values(), self.env["res.users"]
                )
        self.assertEqual(told[2], self.manager)
        self.assertEqual(told[3], self.deputy)
        self.assertEqual(told[4], self.executive)
        self.assertFalse(complaint.date_next_escalation)
        with freeze_time(deadline + timedelta(days=10)):
            self.assertEqual(Complaint._cron_escalate_overdue(), 0)
            self.assertEqual(complaint.escalation_level, 4)
