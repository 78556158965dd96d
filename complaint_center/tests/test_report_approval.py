"""顾客投诉处理报告表 (001 篇七): the handling report is signed by the head of
the responsible department, then approved by management (a complaint
manager or the executive), never by its signer or its handler; the approval
is printed on the report and cleared with the signature when the report
changes."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import GROUPS, ComplaintCase, make_user

HANDLING = "complaint_center.complaint_report_handling"


@tagged("post_install", "-at_install")
class TestReportApproval(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.head = make_user(
            cls.env,
            login="cc_t_report_head",
            name="Head Qian",
            groups=f"{GROUPS}handler,sales_team.group_sale_salesman_all_leads",
        )
        cls.department.manager_id = cls.env["hr.employee"].create(
            {
                "name": "Quality Head",
                "user_id": cls.head.id,
                "department_id": cls.department.id,
            }
        )

    def setUp(self):
        super().setUp()
        self.complaint = self._to_state(self._complaint(), "investigating")
        self.complaint.with_user(self.handler).write(
            {
                "no_standard": True,
                "report_cause": "The cold chain broke in summer.",
                "report_result": "Refund and apology.",
                "report_improvement": "Add a summer delivery standard.",
            }
        )

    def _state(self):
        self.complaint.invalidate_recordset()
        return self.complaint.read(["report_approved_by_id", "date_report_approved"])[0]

    def test_signed_then_approved_by_management(self):
        complaint = self.complaint
        self.assertFalse(complaint.with_user(self.manager).can_approve_report)
        with self.assertRaisesRegex(UserError, "signed"):
            complaint.with_user(self.manager).action_approve_report()
        complaint.with_user(self.head).action_sign_report()
        self.assertTrue(complaint.with_user(self.manager).can_approve_report)
        self.assertTrue(complaint.with_user(self.executive).can_approve_report)
        complaint.with_user(self.executive).action_approve_report()
        self.assertEqual(complaint.report_approved_by_id, self.executive)
        self.assertTrue(complaint.date_report_approved)
        self.assertIn("Handling report approved by", complaint.message_ids[0].body)
        with self.assertRaisesRegex(UserError, "already approved"):
            complaint.with_user(self.manager).action_approve_report()
        html = (
            self.env["ir.actions.report"]
            .with_user(self.manager)
            ._render_qweb_html(HANDLING, complaint.ids)[0]
            .decode()
        )
        self.assertIn(self.executive.name, html)
        self.assertIn("Approved in the system", html)

    def test_changed_report_is_signed_and_approved_again(self):
        self.complaint.with_user(self.head).action_sign_report()
        self.complaint.with_user(self.manager).action_approve_report()
        self.complaint.with_user(self.handler).report_result = "Refund only."
        self.assertFalse(self.complaint.report_signed_by_id)
        self.assertFalse(self.complaint.report_approved_by_id)
        self.assertFalse(self.complaint.date_report_approved)

    # Attacks ------------------------------------------------------------------
    def test_not_by_the_signer_the_handler_or_without_the_role(self):
        # The signer is a complaint manager here: still not his own approval.
        self.complaint.with_user(self.manager2).action_sign_report()
        before = self._state()
        for user in (self.manager2, self.handler, self.head, self.user, self.finance):
            with (
                self.subTest(user=user.login),
                mute_logger("odoo.models"),
                self.assertRaises(AccessError),
            ):
                self.complaint.with_user(user).action_approve_report()
            self.assertFalse(self.complaint.with_user(user).can_approve_report)
        # A manager who handles the complaint neither.
        self.complaint.user_id = self.manager
        with mute_logger("odoo.models"), self.assertRaises(AccessError):
            self.complaint.with_user(self.manager).action_approve_report()
        self.assertEqual(self._state(), before)
        self.assertFalse(before["report_approved_by_id"])

    def test_someone_involved_does_not_approve(self):
        self.complaint.with_user(self.head).action_sign_report()
        self.complaint.sudo().subject_employee_ids = self.env["hr.employee"].create(
            {"name": "Executive Sun", "user_id": self.executive.id}
        )
        with mute_logger("odoo.models"), self.assertRaises(AccessError):
            self.complaint.with_user(self.executive).action_approve_report()
        self.assertFalse(self._state()["report_approved_by_id"])

    def test_approval_never_written_directly(self):
        self.complaint.with_user(self.head).action_sign_report()
        for user in (self.handler, self.manager, self.executive):
            for vals in (
                {"report_approved_by_id": user.id},
                {"date_report_approved": "2026-11-20 02:00:00"},
            ):
                for ctx in ({}, {"install_mode": True, "tracking_disable": True}):
                    with (
                        self.subTest(user=user.login, vals=vals, ctx=ctx),
                        mute_logger("odoo.models"),
                        self.assertRaises(AccessError),
                    ):
                        self.complaint.with_user(user).with_context(**ctx).write(vals)
        self.assertFalse(self._state()["report_approved_by_id"])
        self.assertFalse(self._state()["date_report_approved"])
