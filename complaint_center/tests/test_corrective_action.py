from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import GROUPS, ComplaintCase, make_user


@tagged("post_install", "-at_install")
class TestComplaintAction(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.head = make_user(
            cls.env,
            login="cc_t_head",
            groups=f"{GROUPS}handler,sales_team.group_sale_salesman_all_leads",
        )
        cls.head_employee = cls.env["hr.employee"].create(
            {
                "name": "Quality Head",
                "user_id": cls.head.id,
                "department_id": cls.department.id,
            }
        )
        cls.department.manager_id = cls.head_employee
        cls.company.complaint_require_actions_done = True

    def setUp(self):
        super().setUp()
        self.complaint = self._to_state(self._complaint(), "investigating")
        self.assertEqual(self.complaint.user_id, self.handler)
        self.assertEqual(self.complaint.department_id, self.department)

    def _action(self, user=None, **vals):
        values = {
            "complaint_id": self.complaint.id,
            "action_type": "corrective",
            "name": "Re-train the delivery team",
            "user_id": self.handler2.id,
            "date_deadline": fields.Date.today() + timedelta(days=7),
        }
        values.update(vals)
        env = self.env(user=user or self.handler)
        return env["complaint.action"].create(values)

    def _resolve(self, complaint):
        self._to_state(complaint, "resolved")
        complaint.satisfaction = "satisfied"
        return complaint

    # Happy path ---------------------------------------------------------------
    def test_create_done_verify(self):
        action = self._action()
        self.assertEqual(action.state, "open")
        self.assertEqual(action.company_id, self.complaint.company_id)
        self.assertEqual(self.complaint.action_count, 1)
        activity = action.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.handler2)
        self.assertEqual(activity.date_deadline, action.date_deadline)
        self.assertEqual(
            activity.activity_type_id, self.env.ref("mail.mail_activity_data_todo")
        )

        as_owner = action.with_user(self.handler2)
        self.assertTrue(as_owner.can_done)
        self.assertFalse(as_owner.can_verify)
        as_owner.action_done()
        self.assertEqual(action.state, "done")
        self.assertTrue(action.date_done)
        self.assertFalse(action.activity_ids)

        self.assertFalse(action.with_user(self.handler2).can_verify)
        as_manager = action.with_user(self.manager)
        self.assertTrue(as_manager.can_verify)
        as_manager.action_verify()
        self.assertEqual(action.state, "verified")
        self.assertEqual(action.verified_by_id, self.manager)
        self.assertTrue(action.date_verified)

    def test_department_head_verifies(self):
        action = self._action()
        action.with_user(self.handler2).action_done()
        self.assertTrue(action.with_user(self.head).can_verify)
        action.with_user(self.head).action_verify()
        self.assertEqual(action.verified_by_id, self.head)

    def test_reopen_manager_only(self):
        action = self._action()
        action.with_user(self.handler2).action_done()
        with self.assertRaises(AccessError):
            action.with_user(self.handler).action_reopen()
        self.assertEqual(action.state, "done")
        action.with_user(self.manager).action_reopen()
        self.assertEqual(action.state, "open")
        self.assertFalse(action.date_done)
        self.assertTrue(action.activity_ids)
        with self.assertRaises(UserError):
            action.with_user(self.manager).action_reopen()

    # Refusals -----------------------------------------------------------------
    def test_verifier_is_owner_refused(self):
        action = self._action(user_id=self.manager.id)
        action.with_user(self.manager).action_done()
        with self.assertRaisesRegex(AccessError, "someone else"):
            action.with_user(self.manager).action_verify()
        self.assertEqual(action.state, "done")
        self.assertFalse(action.verified_by_id)

    def test_verify_without_rights_refused(self):
        action = self._action()
        action.with_user(self.handler2).action_done()
        for user in (self.handler, self.handler3, self.user, self.finance):
            with self.assertRaises(AccessError):
                action.with_user(user).action_verify()
        self.assertEqual(action.state, "done")

    def test_done_without_rights_refused(self):
        action = self._action()
        # handler3 and the clerk do not even see the action (record rules).
        for user in (self.handler, self.handler3, self.user):
            self.assertFalse(action.with_user(user).can_done)
            with self.assertRaises(AccessError):
                action.with_user(user).action_done()
        self.assertEqual(action.state, "open")
        action.with_user(self.manager).action_done()
        self.assertEqual(action.state, "done")
        with self.assertRaises(UserError):
            action.with_user(self.manager).action_done()

    def test_verify_before_done_refused(self):
        action = self._action()
        with self.assertRaisesRegex(UserError, "only a done action"):
            action.with_user(self.manager).action_verify()
        self.assertEqual(action.state, "open")

    def test_create_without_rights_refused(self):
        with self.assertRaises(AccessError):
            self._action(user=self.user)
        with self.assertRaises(AccessError):
            self._action(user=self.finance)
        # A handler outside the complaint's department and not its handler.
        with self.assertRaises(AccessError):
            self._action(user=self.handler3)
        self.assertFalse(self.complaint.action_ids)
        # The department's handlers and managers may.
        self._action(user=self.handler2)
        self._action(user=self.manager)
        self.assertEqual(self.complaint.action_count, 2)

    def test_state_written_directly_refused(self):
        action = self._action()
        with self.assertRaises(UserError):
            action.with_user(self.handler).write({"state": "verified"})
        with self.assertRaises(UserError):
            self._action(state="done")
        self.assertEqual(action.state, "open")
        action.with_user(self.handler2).action_done()
        with self.assertRaises(UserError):
            action.with_user(self.handler).write({"name": "Something else"})
        action.with_user(self.handler2).write({"result": "Team trained on 1 May."})
        self.assertEqual(action.name, "Re-train the delivery team")

    def test_unlink(self):
        action = self._action()
        action.with_user(self.handler2).action_done()
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            action.with_user(self.manager).unlink()
        self.assertTrue(action.exists())
        other = self._action(name="Check the cold chain")
        other.with_user(self.manager).unlink()
        self.assertFalse(other.exists())

    def test_owner_change_moves_activity(self):
        action = self._action()
        action.with_user(self.handler).user_id = self.handler
        self.assertEqual(action.activity_ids.user_id, self.handler)

    # Closing ------------------------------------------------------------------
    def test_close_refused_while_action_open(self):
        action = self._action()
        self._resolve(self.complaint)
        with self.assertRaisesRegex(UserError, "open corrective or preventive"):
            self.complaint.with_user(self.manager).action_close()
        self.assertEqual(self.complaint.state, "resolved")
        action.with_user(self.handler2).action_done()
        self.complaint.with_user(self.manager).action_close()
        self.assertEqual(self.complaint.state, "closed")

    def test_close_allowed_when_setting_off(self):
        self.company.complaint_require_actions_done = False
        self._action()
        self._resolve(self.complaint).with_user(self.manager).action_close()
        self.assertEqual(self.complaint.state, "closed")

    def test_setting_exposed(self):
        settings = self.env["res.config.settings"].create({})
        self.assertTrue(settings.complaint_require_actions_done)
        settings.complaint_require_actions_done = False
        settings.execute()
        self.assertFalse(self.company.complaint_require_actions_done)

    # Handling report ----------------------------------------------------------
    def _fill_report(self, complaint):
        complaint.with_user(self.handler).write(
            {
                "no_standard": True,
                "report_cause": "The cold chain broke in summer.",
                "report_result": "Refund and apology.",
                "report_improvement": "Add a summer delivery standard.",
            }
        )

    def test_close_refused_without_signed_report(self):
        self.complaint.no_standard = True
        self._resolve(self.complaint)
        with self.assertRaisesRegex(UserError, "handling report"):
            self.complaint.with_user(self.manager).action_close()
        self.assertEqual(self.complaint.state, "resolved")
        self._fill_report(self.complaint)
        self.complaint.with_user(self.manager).action_sign_report()
        self.complaint.with_user(self.manager).action_close()
        self.assertEqual(self.complaint.state, "closed")

    def test_sign_by_handler_refused(self):
        self._fill_report(self.complaint)
        self.assertFalse(self.complaint.with_user(self.handler).can_sign_report)
        with self.assertRaises(AccessError):
            self.complaint.with_user(self.handler).action_sign_report()
        # Even a manager who handles the complaint may not sign it.
        self.complaint.user_id = self.manager
        with self.assertRaises(AccessError):
            self.complaint.with_user(self.manager).action_sign_report()
        self.assertFalse(self.complaint.report_signed_by_id)

    def test_sign_without_rights_refused(self):
        self._fill_report(self.complaint)
        for user in (self.handler2, self.handler3):
            with self.assertRaises(AccessError):
                self.complaint.with_user(user).action_sign_report()
        self.assertFalse(self.complaint.report_signed_by_id)

    def test_sign_with_empty_report_refused(self):
        self.complaint.write({"no_standard": True, "report_cause": "Cold chain."})
        with self.assertRaisesRegex(UserError, "Handling Result"):
            self.complaint.with_user(self.head).action_sign_report()
        self.complaint.write({"report_result": "  ", "report_improvement": "x"})
        with self.assertRaises(UserError):
            self.complaint.with_user(self.head).action_sign_report()
        self.assertFalse(self.complaint.report_signed_by_id)

    def test_sign_not_needed_refused(self):
        with self.assertRaises(UserError):
            self.complaint.with_user(self.manager).action_sign_report()

    def test_department_head_signs(self):
        self._fill_report(self.complaint)
        self.assertTrue(self.complaint.with_user(self.head).can_sign_report)
        self.complaint.with_user(self.head).action_sign_report()
        self.assertEqual(self.complaint.report_signed_by_id, self.head)
        self.assertTrue(self.complaint.date_report_signed)
        self.assertFalse(self.complaint.with_user(self.head).can_sign_report)
        with self.assertRaisesRegex(UserError, "already signed"):
            self.complaint.with_user(self.manager).action_sign_report()

    def test_signature_not_forged_and_cleared_on_change(self):
        with self.assertRaises(UserError):
            self.complaint.with_user(self.handler).write(
                {"report_signed_by_id": self.head.id}
            )
        self._fill_report(self.complaint)
        self.complaint.with_user(self.head).action_sign_report()
        self.complaint.with_user(self.handler).report_result = "Refund only."
        self.assertFalse(self.complaint.report_signed_by_id)
        self.assertFalse(self.complaint.date_report_signed)
