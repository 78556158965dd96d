"""征得顾客同意后执行 (001 篇一, 002): the plan is agreed with the customer
before it is carried out. The handler records the agreement, or the customer
agrees on the portal once the plan is approved; where the company requires
it, a complaint is not resolved without it. The agreement is a workflow
fact: written only by these two acts, cleared when the plan changes."""

from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import GROUPS, ComplaintCase, make_user


@tagged("post_install", "-at_install")
class TestCustomerAgreement(ComplaintCase):
    def _approved(self):
        return self._to_state(self._complaint(user=self.user), "approved")

    def test_handler_records_the_agreement(self):
        complaint = self._approved()
        self.assertTrue(complaint.with_user(self.handler).can_record_customer_agreement)
        complaint.with_user(self.handler).action_record_customer_agreement()
        self.assertTrue(complaint.date_customer_agreed)
        self.assertFalse(
            complaint.with_user(self.handler).can_record_customer_agreement
        )
        self.assertIn(
            "agreement to the plan was recorded by", complaint.message_ids[0].body
        )
        with self.assertRaises(UserError):
            complaint.with_user(self.handler).action_record_customer_agreement()

    def test_required_agreement_before_resolving(self):
        self.company.complaint_require_customer_agreement = True
        complaint = self._approved()
        self.assertFalse(complaint.with_user(self.handler).can_resolve)
        with self.assertRaises(UserError):
            complaint.with_user(self.handler).action_resolve()
        self.assertEqual(complaint.state, "approved")
        self.assertFalse(complaint.date_resolved)
        complaint.with_user(self.handler).action_record_customer_agreement()
        self.assertTrue(complaint.with_user(self.handler).can_resolve)
        complaint.with_user(self.handler).action_resolve()
        self.assertEqual(complaint.state, "resolved")

    def test_not_required_by_default(self):
        self.assertFalse(self.company.complaint_require_customer_agreement)
        complaint = self._to_state(self._complaint(), "resolved")
        self.assertFalse(complaint.date_customer_agreed)

    def test_a_new_plan_is_agreed_again(self):
        complaint = self._to_state(self._complaint(), "proposed")
        complaint.with_user(self.handler).action_record_customer_agreement()
        self.assertTrue(complaint.date_customer_agreed)
        complaint.with_user(self.manager).action_send_back()
        self.assertEqual(complaint.state, "investigating")
        self.assertFalse(complaint.date_customer_agreed)
        with self.assertRaises(UserError):
            complaint.with_user(self.handler).action_record_customer_agreement()
        self.assertFalse(complaint.date_customer_agreed)

    # Attacks --------------------------------------------------------------------
    def test_only_the_handler_records_it(self):
        self.company.complaint_require_customer_agreement = True
        complaint = self._approved()
        for outsider in (self.user, self.handler3, self.finance):
            with (
                self.subTest(user=outsider.login),
                mute_logger("odoo.models"),
                self.assertRaises(AccessError),
            ):
                complaint.with_user(outsider).action_record_customer_agreement()
        complaint.invalidate_recordset()
        self.assertFalse(complaint.date_customer_agreed)
        self.assertEqual(complaint.state, "approved")

    def test_agreement_never_written_directly(self):
        self.company.complaint_require_customer_agreement = True
        complaint = self._approved()
        for user in (self.user, self.handler, self.manager2, self.executive):
            for ctx in ({}, {"install_mode": True, "tracking_disable": True}):
                with (
                    self.subTest(user=user.login, ctx=ctx),
                    mute_logger("odoo.models"),
                    self.assertRaises(AccessError),
                ):
                    complaint.with_user(user).with_context(**ctx).write(
                        {"date_customer_agreed": "2026-11-16 02:00:00"}
                    )
        complaint.invalidate_recordset()
        self.assertFalse(complaint.date_customer_agreed)
        with self.assertRaises(UserError):
            complaint.with_user(self.handler).action_resolve()
        self.assertEqual(complaint.state, "approved")
        Complaint = self.env["complaint.complaint"].with_user(self.user)
        count = Complaint.sudo().search_count([])
        with mute_logger("odoo.models"), self.assertRaises(AccessError):
            Complaint.create(
                {
                    "partner_id": self.customer.id,
                    "category_id": self.category.id,
                    "description": "<p>x</p>",
                    "date_customer_agreed": "2026-11-16 02:00:00",
                }
            )
        self.assertEqual(Complaint.sudo().search_count([]), count)


@tagged("post_install", "-at_install")
class TestPortalAgreement(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.resource_calendar_id.tz = "Asia/Shanghai"
        cls.company.complaint_require_customer_agreement = True
        cls.env["complaint.penalty.rule"].search([]).active = False
        cls.handler = make_user(
            cls.env,
            login="cc_agree_handler",
            groups=f"{GROUPS}handler,sales_team.group_sale_salesman_all_leads",
        )
        cls.manager = make_user(
            cls.env, login="cc_agree_manager", groups=f"{GROUPS}manager"
        )
        cls.category = cls.env["complaint.category"].create(
            {"name": "Agree Quality", "code": "AGQ", "user_id": cls.handler.id}
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Agree Foods", "is_company": True, "email": "a@agree.test"}
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Chen Jing", "parent_id": cls.customer.id}
        )
        cls.portal_user = make_user(
            cls.env,
            login="cc_agree_chen",
            groups="base.group_portal",
            partner_id=cls.contact.id,
        )
        cls.complaint = cls.env["complaint.complaint"].create(
            {
                "partner_id": cls.customer.id,
                "category_id": cls.category.id,
                "description": "<p>Broken seal.</p>",
            }
        )
        handler = cls.complaint.with_user(cls.handler)
        handler.action_accept()
        handler.write(
            {"resolution_type": "exchange", "resolution": "<p>AGREE-PLAN new box</p>"}
        )
        handler.action_propose()

    def _agree(self, complaint, token=None):
        if not getattr(self, "session", None):
            self.authenticate(None, None)
        data = {"csrf_token": http.Request.csrf_token(self)}
        if token:
            data["access_token"] = token
        return self.url_open(
            f"/my/complaints/{complaint.id}/agree", data=data, allow_redirects=False
        )

    def test_customer_agrees_to_the_approved_plan(self):
        self.authenticate("cc_agree_chen", "cc_agree_chen")
        page = self.url_open(f"/my/complaints/{self.complaint.id}").text
        self.assertNotIn("AGREE-PLAN", page, "not before it is approved")
        self.assertNotIn("complaint_agree", page)
        # Proposed, not approved: nothing is recorded.
        self._agree(self.complaint)
        self.assertFalse(self.complaint.date_customer_agreed)
        self.complaint.with_user(self.manager).action_approve()
        page = self.url_open(f"/my/complaints/{self.complaint.id}").text
        self.assertIn("AGREE-PLAN", page)
        self.assertIn("complaint_agree", page)
        response = self._agree(self.complaint)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(self.complaint.date_customer_agreed)
        note = self.complaint.message_ids.filtered(
            lambda m: "agreed to the plan on the portal" in (m.body or "")
        )
        self.assertEqual(note.author_id, self.contact)
        self.complaint.with_user(self.handler).action_resolve()
        self.assertEqual(self.complaint.state, "resolved")

    def test_agreement_by_token_logged_out(self):
        self.complaint.with_user(self.manager).action_approve()
        token = self.complaint._portal_ensure_token()
        self.assertEqual(self._agree(self.complaint, token).status_code, 303)
        self.assertTrue(self.complaint.date_customer_agreed)

    @mute_logger("odoo.http", "werkzeug")
    def test_strangers_cannot_agree(self):
        self.complaint.with_user(self.manager).action_approve()
        token = self.complaint._portal_ensure_token()
        altered = token[:-1] + ("1" if token.endswith("0") else "0")
        # Logged out without or with a wrong token; another customer.
        self.assertEqual(self._agree(self.complaint).status_code, 404)
        self.assertEqual(self._agree(self.complaint, altered).status_code, 404)
        other = self.env["res.partner"].create({"name": "Other Retail Q"})
        make_user(
            self.env,
            login="cc_agree_other",
            groups="base.group_portal",
            partner_id=other.id,
        )
        self.authenticate("cc_agree_other", "cc_agree_other")
        self.assertEqual(self._agree(self.complaint).status_code, 404)
        self.complaint.invalidate_recordset()
        self.assertFalse(self.complaint.date_customer_agreed)
        self.assertEqual(self.complaint.state, "approved")
