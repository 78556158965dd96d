"""The customer appeals a closed or rejected complaint from the portal
(申诉): reviewed again one level up, as when a manager reopens it; only its
own customer, once per level, within the company's window, CSRF-protected."""

from datetime import timedelta

from odoo import fields, http
from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import GROUPS, HANDLE, make_user

APPEAL = "complaint_center.mail_activity_type_complaint_appeal"
REASON = "The seal was broken before delivery: APPEAL-REASON-7."


@tagged("post_install", "-at_install")
class TestPortalAppeal(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        cls.company = cls.env.company
        cls.company.resource_calendar_id.tz = "Asia/Shanghai"
        cls.company.complaint_appeal_days = 30
        cls.env["complaint.penalty.rule"].search([]).active = False
        cls.handler = make_user(
            cls.env,
            login="cc_appeal_handler",
            groups=f"{GROUPS}handler,sales_team.group_sale_salesman_all_leads",
        )
        cls.manager = make_user(
            cls.env, login="cc_appeal_manager", groups=f"{GROUPS}manager"
        )
        cls.manager2 = make_user(
            cls.env, login="cc_appeal_manager2", groups=f"{GROUPS}manager"
        )
        cls.executive = make_user(
            cls.env, login="cc_appeal_executive", groups=f"{GROUPS}executive"
        )
        cls.company.complaint_director_id = cls.manager
        cls.company.complaint_executive_id = cls.executive
        cls.category = cls.env["complaint.category"].create(
            {"name": "Appeal Quality", "code": "APQ", "user_id": cls.handler.id}
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Appeal Foods", "is_company": True, "email": "a@appeal.test"}
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Lin Tao", "parent_id": cls.customer.id}
        )
        cls.portal_user = make_user(
            cls.env,
            login="cc_appeal_lin",
            groups="base.group_portal",
            partner_id=cls.contact.id,
        )
        cls.other = cls.env["res.partner"].create({"name": "Other Retail A"})
        cls.other_user = make_user(
            cls.env,
            login="cc_appeal_other",
            groups="base.group_portal",
            partner_id=cls.other.id,
        )

    # Fixtures ---------------------------------------------------------------
    def _complaint(self):
        return self.env["complaint.complaint"].create(
            {
                "partner_id": self.customer.id,
                "category_id": self.category.id,
                "description": "<p>Broken seal.</p>",
            }
        )

    def _close(self, complaint):
        """Handle ``complaint`` (investigating) to closed, as the roles do."""
        handler = complaint.with_user(self.handler)
        if complaint.state == "new":
            handler.action_accept()
        handler.write({"resolution_type": "apology", "resolution": "<p>Sorry.</p>"})
        handler.action_propose()
        complaint.with_user(self.manager).action_approve()
        if complaint.state == "proposed":
            complaint.with_user(self.executive).action_approve()
        handler.action_resolve()
        handler.satisfaction = "satisfied"
        complaint.with_user(self.manager).action_close()
        self.assertEqual(complaint.state, "closed")
        return complaint

    def _rejected(self):
        complaint = self._complaint()
        complaint.write({"validity": "invalid", "rejection_reason": "Not ours."})
        complaint.with_user(self.manager).action_reject()
        self.assertEqual(complaint.state, "rejected")
        return complaint

    def _appeal(self, complaint, reason=REASON, csrf=True):
        data = {"reason": reason}
        if csrf:
            data["csrf_token"] = http.Request.csrf_token(self)
        return self.url_open(
            f"/my/complaints/{complaint.id}/appeal", data=data, allow_redirects=False
        )

    def _snapshot(self, complaint):
        complaint.invalidate_recordset()
        return complaint.read(
            [
                "state",
                "reopen_count",
                "review_level",
                "appeal_reason",
                "appeal_count",
                "date_appealed",
                "date_closed",
            ]
        )[0]

    def _activities(self, complaint, xmlid):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "complaint.complaint"),
                ("res_id", "=", complaint.id),
                ("activity_type_id", "=", self.env.ref(xmlid).id),
            ]
        )

    # The customer appeals ---------------------------------------------------
    def test_customer_appeals_a_closed_complaint(self):
        complaint = self._close(self._complaint())
        self.authenticate("cc_appeal_lin", "cc_appeal_lin")
        page = self.url_open(f"/my/complaints/{complaint.id}").text
        self.assertIn("complaint_appeal_submit", page)
        response = self._appeal(complaint)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith("?appealed=1"))
        complaint.invalidate_recordset()
        self.assertEqual(complaint.state, "investigating")
        self.assertEqual(complaint.reopen_count, 1)
        self.assertEqual(complaint.review_level, "1")
        self.assertEqual(complaint.appeal_reason, REASON)
        self.assertEqual(complaint.appeal_count, 1)
        self.assertTrue(complaint.date_appealed)
        self.assertFalse(complaint.date_closed)
        # Tracked, and noted in the customer's name.
        self.env.flush_all()
        tracked = complaint.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "appeal_reason"
        )
        self.assertEqual(tracked.new_value_text, REASON)
        note = complaint.message_ids.filtered(
            lambda m: (
                "APPEAL-REASON-7" in (m.body or "")
                and "appealed the outcome" in (m.body or "")
            )
        )
        self.assertEqual(note.author_id, self.contact)
        # The handler handles it again; the director reviews it.
        self.assertEqual(self._activities(complaint, HANDLE).user_id, self.handler)
        self.assertEqual(self._activities(complaint, APPEAL).user_id, self.manager)
        page = self.url_open(f"/my/complaints/{complaint.id}?appealed=1").text
        self.assertIn("We received your appeal", page)
        self.assertNotIn("complaint_appeal_submit", page)

    def test_rejected_complaint_appealed(self):
        complaint = self._rejected()
        self.assertTrue(complaint.date_rejected)
        self.authenticate("cc_appeal_lin", "cc_appeal_lin")
        self.assertEqual(self._appeal(complaint).status_code, 303)
        complaint.invalidate_recordset()
        self.assertEqual(complaint.state, "investigating")
        self.assertEqual(complaint.review_level, "1")
        self.assertFalse(complaint.date_rejected)

    def test_appeals_climb_the_review_levels_once_each(self):
        """A staff reopening and the customer's appeal climb the same levels:
        at the general manager's review, the outcome is final."""
        complaint = self._close(self._complaint())
        complaint.with_user(self.manager).action_reopen()
        self.assertEqual(complaint.review_level, "1")
        self._close(complaint)
        self.authenticate("cc_appeal_lin", "cc_appeal_lin")
        self.assertEqual(self._appeal(complaint).status_code, 303)
        complaint.invalidate_recordset()
        self.assertEqual(complaint.review_level, "2")
        self.assertTrue(complaint.needs_executive)
        self.assertEqual(self._activities(complaint, APPEAL).user_id, self.executive)
        self._close(complaint)
        self.assertEqual(complaint.executive_approved_by_id, self.executive)
        before = self._snapshot(complaint)
        response = self._appeal(complaint, "Once more.")
        self.assertEqual(response.status_code, 200)
        self.assertIn("already reviewed by the general manager", response.text)
        self.assertEqual(self._snapshot(complaint), before)

    def test_open_complaint_refused(self):
        complaint = self._complaint()
        complaint.with_user(self.handler).action_accept()
        before = self._snapshot(complaint)
        self.authenticate("cc_appeal_lin", "cc_appeal_lin")
        self.assertNotIn(
            "complaint_appeal_submit",
            self.url_open(f"/my/complaints/{complaint.id}").text,
        )
        response = self._appeal(complaint)
        self.assertEqual(response.status_code, 200)
        self.assertIn("is still being handled", response.text)
        self.assertEqual(self._snapshot(complaint), before)
        self.assertFalse(self._activities(complaint, APPEAL))

    def test_reason_required(self):
        complaint = self._close(self._complaint())
        before = self._snapshot(complaint)
        self.authenticate("cc_appeal_lin", "cc_appeal_lin")
        response = self._appeal(complaint, "   ")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Tell us why you appeal", response.text)
        self.assertEqual(self._snapshot(complaint), before)

    def test_window_after_closing(self):
        complaint = self._close(self._complaint())
        now = fields.Datetime.now()
        complaint.sudo().date_closed = now - timedelta(days=31)
        before = self._snapshot(complaint)
        self.authenticate("cc_appeal_lin", "cc_appeal_lin")
        page = self.url_open(f"/my/complaints/{complaint.id}").text
        self.assertNotIn("complaint_appeal_submit", page)
        self.assertIn("within 30 days", page)
        response = self._appeal(complaint)
        self.assertEqual(response.status_code, 200)
        self.assertIn("that time has passed", response.text)
        self.assertEqual(self._snapshot(complaint), before)
        # No appeals from the portal at all.
        complaint.sudo().date_closed = now - timedelta(days=1)
        self.company.complaint_appeal_days = 0
        response = self._appeal(complaint)
        self.assertIn("not appealed on the portal", response.text)
        self.assertEqual(self._snapshot(complaint)["state"], "closed")
        self.company.complaint_appeal_days = 30
        self.assertEqual(self._appeal(complaint).status_code, 303)

    def test_window_cannot_be_negative(self):
        with self.assertRaises(ValidationError):
            self.company.complaint_appeal_days = -1
        self.assertEqual(self.company.complaint_appeal_days, 30)

    # Attacks ----------------------------------------------------------------
    @mute_logger("odoo.http", "werkzeug")
    def test_strangers_cannot_appeal(self):
        complaint = self._close(self._complaint())
        token = complaint._portal_ensure_token()
        before = self._snapshot(complaint)
        # Another customer: the page and the appeal are not found.
        self.authenticate("cc_appeal_other", "cc_appeal_other")
        self.assertEqual(
            self.url_open(f"/my/complaints/{complaint.id}").status_code, 404
        )
        self.assertEqual(self._appeal(complaint).status_code, 404)
        # A missing complaint answers the same.
        self.assertEqual(
            self.url_open(
                "/my/complaints/999999999/appeal",
                data={"reason": REASON, "csrf_token": http.Request.csrf_token(self)},
                allow_redirects=False,
            ).status_code,
            404,
        )
        # Logged out, even with the complaint's token: to the login page.
        self.authenticate(None, None)
        response = self.url_open(
            f"/my/complaints/{complaint.id}/appeal",
            data={
                "reason": REASON,
                "access_token": token,
                "csrf_token": http.Request.csrf_token(self),
            },
            allow_redirects=False,
        )
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])
        self.assertEqual(self._snapshot(complaint), before)

    @mute_logger("odoo.http", "werkzeug")
    def test_appeal_needs_the_csrf_token(self):
        complaint = self._close(self._complaint())
        before = self._snapshot(complaint)
        self.authenticate("cc_appeal_lin", "cc_appeal_lin")
        self.assertEqual(self._appeal(complaint, csrf=False).status_code, 400)
        self.assertEqual(self._snapshot(complaint), before)

    def _rpc(self, login, model, method, args, kwargs=None):
        self.authenticate(login, login)
        with mute_logger("odoo.http"):
            return self.make_jsonrpc_request(
                f"/web/dataset/call_kw/{model}/{method}",
                {
                    "model": model,
                    "method": method,
                    "args": args,
                    "kwargs": kwargs or {},
                },
            )

    def test_portal_user_cannot_appeal_over_rpc(self):
        """The model method is private; the reopening and a forged state are
        refused to the customer and to staff alike."""
        complaint = self._close(self._complaint())
        open_complaint = self._complaint()
        before = self._snapshot(complaint)
        before_open = self._snapshot(open_complaint)
        attempts = [
            (
                "cc_appeal_lin",
                "_portal_appeal",
                [[complaint.id], self.contact.id, REASON],
            ),
            (
                "cc_appeal_lin",
                "_portal_appeal",
                [[open_complaint.id], self.contact.id, REASON],
            ),
            ("cc_appeal_lin", "action_reopen", [[complaint.id]]),
            (
                "cc_appeal_lin",
                "write",
                [
                    [complaint.id],
                    {
                        "state": "investigating",
                        "appeal_reason": "forged",
                        "reopen_count": 0,
                    },
                ],
            ),
            (
                "cc_appeal_handler",
                "write",
                [
                    [complaint.id],
                    {
                        "state": "investigating",
                        "appeal_reason": "forged",
                        "appeal_count": 1,
                    },
                ],
            ),
            ("cc_appeal_handler", "action_reopen", [[complaint.id]]),
        ]
        for login, method, args in attempts:
            with self.subTest(login=login, method=method):
                with self.assertRaises(JsonRpcException) as caught:
                    self._rpc(login, "complaint.complaint", method, args)
                self.assertTrue(
                    str(caught.exception).startswith("odoo.exceptions"),
                    caught.exception,
                )
        self.assertEqual(self._snapshot(complaint), before)
        self.assertEqual(self._snapshot(open_complaint), before_open)

    def test_model_method_checks_the_customer_and_the_state(self):
        """Called in the server (by the controller, as superuser), the method
        still refuses another customer and an open complaint."""
        complaint = self._close(self._complaint())
        open_complaint = self._complaint()
        before = self._snapshot(complaint)
        with self.assertRaises(UserError):
            complaint.sudo()._portal_appeal(self.other, REASON)
        with self.assertRaises(UserError):
            open_complaint.sudo()._portal_appeal(self.contact, REASON)
        self.assertEqual(self._snapshot(complaint), before)
        self.assertEqual(self._snapshot(open_complaint)["state"], "new")
