"""The customer portal over real HTTP: who sees which complaint, what of it,
submitting one, the portal chatter, and the customer mails' portal links.

Portal users have no access rights on complaints: every page reads them as
superuser after checking the visitor's commercial partner or token."""

import re

from odoo import http
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import make_user, send_queued_mails

ACK = "complaint_center.mail_template_complaint_acknowledgement"
GROUPS = "complaint_center.group_complaint_"


@tagged("post_install", "-at_install")
class TestPortal(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        cls.company = cls.env.company
        cls.company.partner_id.tz = "Asia/Shanghai"
        # Working hours are counted in the working calendar's time zone.
        cls.company.resource_calendar_id.tz = "Asia/Shanghai"
        cls.env["complaint.penalty.rule"].search([]).active = False

        cls.department = cls.env["hr.department"].create(
            {"name": "Backroom Department Xq"}
        )
        cls.handler = make_user(
            cls.env,
            login="cc_portal_handler",
            name="Handler Zorblat",
            groups=f"{GROUPS}handler,sales_team.group_sale_salesman_all_leads",
        )
        cls.earlier_ids = cls.env["complaint.complaint"].search([]).ids
        cls.category = cls.env["complaint.category"].create(
            {
                "name": "Portal Quality",
                "code": "PQX",
                "department_id": cls.department.id,
                "user_id": cls.handler.id,
            }
        )
        cls.worker = cls.env["hr.employee"].create(
            {"name": "Worker Quibblesworth", "department_id": cls.department.id}
        )

        cls.customer = cls.env["res.partner"].create(
            {"name": "Acme Portal Foods", "is_company": True, "email": "acme@acme.test"}
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Wang Fang",
                "parent_id": cls.customer.id,
                "email": "wang.fang@acme.test",
                "phone": "+86 21 5555 0199",
            }
        )
        cls.portal_user = make_user(
            cls.env,
            login="cc_portal_wang",
            name="Wang Fang",
            email="wang.fang@acme.test",
            groups="base.group_portal",
            partner_id=cls.contact.id,
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Beta Retail", "is_company": True, "email": "beta@beta.test"}
        )
        cls.other_contact = cls.env["res.partner"].create(
            {"name": "Zhao Lei", "parent_id": cls.other_customer.id}
        )
        cls.other_user = make_user(
            cls.env,
            login="cc_portal_zhao",
            name="Zhao Lei",
            email="zhao.lei@beta.test",
            groups="base.group_portal",
            partner_id=cls.other_contact.id,
        )

        cls.product = cls.env["product.product"].create(
            {"name": "Rice Vinegar 1L", "type": "consu", "list_price": 8.0}
        )
        cls.product2 = cls.env["product.product"].create(
            {"name": "Chili Oil 250ml", "type": "consu", "list_price": 15.0}
        )
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.contact.id,
                "order_line": [
                    Command.create({"product_id": cls.product.id}),
                    Command.create({"product_id": cls.product2.id}),
                ],
            }
        )
        cls.other_order = cls.env["sale.order"].create(
            {
                "partner_id": cls.other_contact.id,
                "order_line": [Command.create({"product_id": cls.product.id})],
            }
        )
        (cls.order | cls.other_order).action_confirm()

        cls.complaint = cls._new_complaint(cls.customer, "Vinegar arrived leaking.")
        cls.other_complaint = cls._new_complaint(
            cls.other_customer, "Beta private matter."
        )

    @classmethod
    def _new_complaint(cls, partner, text, **vals):
        values = {
            "partner_id": partner.id,
            "category_id": cls.category.id,
            "description": f"<p>{text}</p>",
        }
        values.update(vals)
        return cls.env["complaint.complaint"].create(values)

    # Helpers ----------------------------------------------------------------
    def _get(self, url):
        return self.url_open(url, allow_redirects=False)

    def _page(self, complaint, token=None):
        url = f"/my/complaints/{complaint.id}"
        if token:
            url += f"?access_token={token}"
        return self._get(url)

    def _submit(self, **data):
        values = {"csrf_token": http.Request.csrf_token(self)}
        values.update(data)
        return self.url_open("/my/complaints/new", data=values, allow_redirects=False)

    def _portal_complaints(self):
        """Complaints submitted through the portal by these tests (demo data
        may hold others)."""
        return self.env["complaint.complaint"].search(
            [("channel", "=", "portal"), ("id", "not in", self.earlier_ids)],
            order="id",
        )

    # Home, list and page --------------------------------------------------
    def test_home_entries_and_counter(self):
        self.authenticate("cc_portal_wang", "cc_portal_wang")
        home = self._get("/my")
        self.assertEqual(home.status_code, 200)
        self.assertIn('href="/my/complaints/new"', home.text)
        self.assertIn("complaint_count", home.text)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["complaint_count"]}
        )
        self.assertEqual(counters["complaint_count"], 1)

    def test_own_complaint_listed_and_opened(self):
        self.authenticate("cc_portal_wang", "cc_portal_wang")
        listing = self._get("/my/complaints")
        self.assertEqual(listing.status_code, 200)
        self.assertIn(self.complaint.name, listing.text)
        self.assertIn(f'href="/my/complaints/{self.complaint.id}"', listing.text)
        self.assertNotIn(self.other_complaint.name, listing.text)
        page = self._page(self.complaint)
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.complaint.name, page.text)
        self.assertIn("Vinegar arrived leaking.", page.text)
        self.assertIn("Portal Quality", page.text)
        # The portal chatter gets the token: the user has no access rights.
        self.assertIn(f'data-token="{self.complaint.access_token}"', page.text)

    def test_list_sortings_and_pager(self):
        later = self._new_complaint(self.customer, "Second one.")
        later.date_promised_reply = "2020-01-02 08:00:00"
        self.authenticate("cc_portal_wang", "cc_portal_wang")
        for sortby in ("date", "name", "state", "reply", "bogus"):
            listing = self._get(f"/my/complaints?sortby={sortby}")
            self.assertEqual(listing.status_code, 200, sortby)
            self.assertIn(later.name, listing.text)
            self.assertIn(self.complaint.name, listing.text)
        by_reply = self._get("/my/complaints?sortby=reply").text
        self.assertLess(by_reply.index(later.name), by_reply.index(self.complaint.name))
        page2 = self._get("/my/complaints/page/2")
        self.assertEqual(page2.status_code, 200)

    def test_opened_by_token_logged_out(self):
        token = self.complaint._portal_ensure_token()
        page = self._page(self.complaint, token)
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.complaint.name, page.text)
        self.assertIn("Vinegar arrived leaking.", page.text)
        # Without a token: sign in first (whether the complaint exists or not).
        for complaint_id in (self.complaint.id, 999999999):
            response = self._get(f"/my/complaints/{complaint_id}")
            self.assertEqual(response.status_code, 303)
            self.assertIn("/web/login", response.headers["Location"])
        # The list is for signed-in users.
        response = self._get("/my/complaints")
        self.assertIn("/web/login", response.headers.get("Location", ""))

    @mute_logger("odoo.http", "werkzeug")
    def test_other_customer_refused(self):
        other_token = self.other_complaint._portal_ensure_token()
        token = self.complaint._portal_ensure_token()
        self.authenticate("cc_portal_wang", "cc_portal_wang")
        response = self._page(self.other_complaint)
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("Beta private matter.", response.text)
        # A token of another complaint, or a wrong one, opens nothing.
        response = self._page(self.other_complaint, token)
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self._page(self.other_complaint, "x" * 36).status_code, 404)
        self.assertEqual(self._get("/my/complaints/999999999").status_code, 404)
        self.assertNotIn(self.other_complaint.name, self._get("/my/complaints").text)
        # Logged out: wrong or foreign tokens are refused as well.
        self.authenticate(None, None)
        # A one-character change (never the same character: tokens are hex).
        altered = other_token[:-1] + ("1" if other_token.endswith("0") else "0")
        for complaint, bad in (
            (self.other_complaint, token),
            (self.other_complaint, altered),
            (self.complaint, other_token),
        ):
            response = self._page(complaint, bad)
            self.assertEqual(response.status_code, 404)
            self.assertNotIn("Beta private matter.", response.text)
            self.assertNotIn("Vinegar arrived leaking.", response.text)
        # The other customer's user sees their own complaint only.
        self.authenticate("cc_portal_zhao", "cc_portal_zhao")
        listing = self._get("/my/complaints").text
        self.assertIn(self.other_complaint.name, listing)
        self.assertNotIn(self.complaint.name, listing)
        self.assertEqual(self._page(self.complaint).status_code, 404)

    def test_internal_things_never_shown(self):
        complaint = self.complaint
        # No acknowledgement mail: it tells the customer who handles it.
        self.company.complaint_auto_mail = False
        complaint.subject_employee_ids = self.worker
        complaint.with_user(self.handler).action_accept()
        complaint.message_post(
            body="NOTE-SECRET-4711 the warehouse mixed up the batches",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        complaint.message_post(
            body="Public answer for the customer",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.env["complaint.responsibility"].create(
            {
                "complaint_id": complaint.id,
                "party_type": "employee",
                "employee_id": self.worker.id,
                "cause": "CAUSE-SECRET-4712 sealed the cap badly",
            }
        )
        self.env["complaint.penalty"].create(
            {
                "complaint_id": complaint.id,
                "employee_id": self.worker.id,
                "reason": "PENALTY-SECRET-4713",
                "amount": 321.0,
            }
        )
        secrets = (
            "NOTE-SECRET-4711",
            "CAUSE-SECRET-4712",
            "PENALTY-SECRET-4713",
            "Worker Quibblesworth",
            "Handler Zorblat",
            "Backroom Department Xq",
        )
        token = complaint._portal_ensure_token()
        self.authenticate("cc_portal_wang", "cc_portal_wang")
        pages = [self._page(complaint).text, self._get("/my/complaints").text]
        self.authenticate(None, None)
        pages.append(self._page(complaint, token).text)
        # The portal chatter: public messages only.
        messages = self.make_jsonrpc_request(
            "/mail/chatter_fetch",
            {
                "thread_model": "complaint.complaint",
                "thread_id": complaint.id,
                "token": token,
            },
        )
        bodies = " ".join(
            str(message["body"]) for message in messages["data"]["mail.message"]
        )
        self.assertIn("Public answer for the customer", bodies)
        for text in [*pages, bodies]:
            for secret in secrets:
                self.assertNotIn(secret, text)

    def test_result_shown_once_resolved(self):
        complaint = self.complaint
        handler = complaint.with_user(self.handler)
        handler.action_accept()
        handler.write(
            {
                "resolution_type": "refund",
                "resolution": "<p>RESULT-PLAN refund of the vinegar</p>",
            }
        )
        handler.action_propose()
        self.authenticate("cc_portal_wang", "cc_portal_wang")
        self.assertNotIn("RESULT-PLAN", self._page(complaint).text)
        manager = make_user(
            self.env, login="cc_portal_manager", groups=f"{GROUPS}manager"
        )
        complaint.with_user(manager).action_approve()
        handler.action_resolve()
        self.assertIn("RESULT-PLAN", self._page(complaint).text)

    # Submitting -------------------------------------------------------------
    def test_submit_without_order(self):
        self.authenticate("cc_portal_wang", "cc_portal_wang")
        form = self._get("/my/complaints/new")
        self.assertEqual(form.status_code, 200)
        self.assertIn("Portal Quality", form.text)
        self.assertIn('name="description"', form.text)
        self.assertIn(self.order.name, form.text)
        self.assertNotIn(self.other_order.name, form.text)
        response = self._submit(
            description="The chili oil\nwas rancid <b>twice</b>.",
            category_id=str(self.category.id),
            customer_request="refund",
            claimed_amount="15.50",
        )
        self.assertEqual(response.status_code, 303)
        complaint = self._portal_complaints()
        self.assertEqual(len(complaint), 1)
        self.assertIn(
            f"/my/complaints/{complaint.id}?submitted=1", response.headers["Location"]
        )
        self.assertEqual(complaint.channel, "portal")
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(complaint.commercial_partner_id, self.customer)
        self.assertEqual(complaint.state, "new")
        self.assertEqual(complaint.complainant_name, "Wang Fang")
        self.assertEqual(complaint.complainant_email, "wang.fang@acme.test")
        self.assertEqual(complaint.complainant_phone, "+86 21 5555 0199")
        self.assertEqual(complaint.first_responder_id, self.env.ref("base.user_root"))
        self.assertEqual(complaint.category_id, self.category)
        self.assertEqual(complaint.user_id, self.handler)
        self.assertEqual(complaint.department_id, self.department)
        self.assertEqual(complaint.customer_request, "refund")
        self.assertAlmostEqual(complaint.claimed_amount, 15.5)
        self.assertFalse(complaint.sale_order_id)
        self.assertRegex(complaint.name, r"\d{4}-\d{4}$")
        self.assertNotEqual(complaint.name, "New")
        self.assertTrue(complaint.date_ack_deadline)
        self.assertTrue(complaint.date_resolve_deadline)
        self.assertIn("&lt;b&gt;twice&lt;/b&gt;", complaint.description)
        # The customer is not made a follower (tracking stays internal).
        self.assertNotIn(self.contact, complaint.message_partner_ids)
        page = self.url_open(response.headers["Location"])
        self.assertEqual(page.status_code, 200)
        self.assertIn(complaint.name, page.text)

    def test_submit_first_responder_is_director(self):
        director = make_user(
            self.env, login="cc_portal_director", groups=f"{GROUPS}manager"
        )
        self.company.complaint_director_id = director
        self.authenticate("cc_portal_wang", "cc_portal_wang")
        self._submit(description="Late delivery.")
        complaint = self._portal_complaints()
        self.assertEqual(complaint.first_responder_id, director)
        self.assertFalse(complaint.category_id)

    def test_submit_with_order(self):
        line = self.order.order_line[1]
        self.authenticate("cc_portal_wang", "cc_portal_wang")
        response = self._submit(
            description="Chili oil bottle broken.",
            sale_order_id=str(self.order.id),
            sale_line_ids=str(line.id),
        )
        self.assertEqual(response.status_code, 303)
        complaint = self._portal_complaints()
        self.assertEqual(complaint.sale_order_id, self.order)
        self.assertEqual(complaint.sale_line_ids, line)
        self.assertEqual(complaint.product_ids, self.product2)
        self._submit(description="Whole order late.", sale_order_id=str(self.order.id))
        second = self._portal_complaints()[1:]
        self.assertEqual(second.sale_order_id, self.order)
        self.assertFalse(second.sale_line_ids)

    @mute_logger("odoo.http", "werkzeug")
    def test_submit_other_order_refused(self):
        self.authenticate("cc_portal_wang", "cc_portal_wang")
        attempts = (
            {"sale_order_id": str(self.other_order.id)},
            {
                "sale_order_id": str(self.order.id),
                "sale_line_ids": str(self.other_order.order_line.id),
            },
            {"sale_line_ids": str(self.order.order_line[0].id)},
            {"sale_order_id": "999999999"},
            {"sale_order_id": "1 OR 1=1"},
        )
        for data in attempts:
            response = self._submit(description="Trying someone else's order.", **data)
            self.assertEqual(response.status_code, 404, data)
        self.assertFalse(self._portal_complaints())
        self.assertFalse(
            self.env["complaint.complaint"].search(
                [("sale_order_id", "=", self.other_order.id)]
            )
        )

    def test_submit_invalid_form(self):
        self.authenticate("cc_portal_wang", "cc_portal_wang")
        archived = self.env["complaint.category"].create(
            {"name": "Retired Category", "code": "RET", "active": False}
        )
        for data in (
            {"description": "   "},
            {"description": "x", "claimed_amount": "-3"},
            {"description": "x", "claimed_amount": "nan"},
            {"description": "x", "customer_request": "everything"},
            {"description": "x", "category_id": str(archived.id)},
            # Issue 23 item 15: a trillion was accepted.
            {"description": "x", "claimed_amount": "1,000,000,000,000.00"},
        ):
            response = self._submit(**data)
            self.assertEqual(response.status_code, 200, data)
            self.assertIn("invalid-feedback", response.text)
        self.assertFalse(self._portal_complaints())
        # Up to the company's largest amount is fine.
        response = self._submit(description="x", claimed_amount="1,000,000,000")
        self.assertEqual(len(self._portal_complaints()), 1)
        self.assertEqual(self._portal_complaints().claimed_amount, 1e9)

    def test_submit_internal_category_refused(self):
        """Issue 23 item 17: categories staff decide on (staff conduct,
        customer misunderstanding) are neither offered nor accepted from a
        crafted form."""
        internal = self.env["complaint.category"].create(
            {
                "name": "Staff Only Qwerty",
                "code": "SOQ",
                "department_id": self.department.id,
                "portal_visible": False,
            }
        )
        for xmlid in ("staff_conduct", "misunderstanding"):
            category = self.env.ref(f"complaint_center.complaint_category_{xmlid}")
            self.assertFalse(category.portal_visible, xmlid)
        self.assertTrue(
            self.env.ref(
                "complaint_center.complaint_category_product_quality"
            ).portal_visible
        )
        self.authenticate("cc_portal_wang", "cc_portal_wang")
        form = self._get("/my/complaints/new").text
        self.assertIn("Portal Quality", form)
        self.assertNotIn("Staff Only Qwerty", form)
        self.assertNotIn(f'value="{internal.id}"', form)
        response = self._submit(
            description="Your clerk was rude.", category_id=str(internal.id)
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("invalid-feedback", response.text)
        self.assertIn("Our staff assign this category themselves", response.text)
        # The typed text is kept; the internal category is not offered back.
        self.assertIn("Your clerk was rude.", response.text)
        self.assertNotIn("Staff Only Qwerty", response.text)
        self.assertFalse(self._portal_complaints())
        self.assertFalse(
            self.env["complaint.complaint"].search([("category_id", "=", internal.id)])
        )

    def test_datetimes_in_customer_time_zone(self):
        """Issue 23 item 17: the portal wrote the reply deadline in UTC
        ("12/07/2026 09:00:00") where the mail says 5:00 PM; it shows it as
        the mail does, in the customer's time zone, with the zone named."""
        complaint = self.complaint
        complaint.write(
            {
                "date_received": "2026-12-04 02:30:00",
                "date_promised_reply": "2026-12-07 09:00:00",
            }
        )
        (self.customer | self.contact).tz = False

        def texts():
            self.authenticate("cc_portal_wang", "cc_portal_wang")
            return [
                self._get("/my/complaints").text.replace("\u202f", " "),
                self._page(complaint).text.replace("\u202f", " "),
            ]

        # No time zone of the customer's own: the company's (Shanghai).
        for text in texts():
            self.assertIn("December 7, 2026, 5:00 PM (China Standard Time)", text)
            self.assertIn("December 4, 2026, 10:30 AM (China Standard Time)", text)
            self.assertNotIn("12/07/2026", text)
            self.assertNotIn("09:00:00", text)
        self.assertEqual(
            complaint._customer_datetime(complaint.date_promised_reply).replace(
                "\u202f", " "
            ),
            "December 7, 2026, 5:00 PM",
        )
        # The customer's time zone, in the pages and the mails alike.
        self.customer.tz = "Europe/Brussels"
        for text in texts():
            self.assertIn(
                "December 7, 2026, 10:00 AM (Central European Standard Time)", text
            )
            self.assertNotIn("5:00 PM", text)
        self.assertEqual(
            complaint._customer_datetime(complaint.date_promised_reply).replace(
                "\u202f", " "
            ),
            "December 7, 2026, 10:00 AM",
        )

    def test_list_keeps_status_on_a_phone(self):
        """Issue 23 item 17: on a phone the dates go under the reference (the
        date columns are for wider screens), so the status stays on screen."""
        self.complaint.date_promised_reply = "2026-12-07 09:00:00"
        self.authenticate("cc_portal_wang", "cc_portal_wang")
        listing = self._get("/my/complaints").text
        self.assertIn('<th class="d-none d-md-table-cell">Received</th>', listing)
        self.assertIn('<th class="d-none d-md-table-cell">Expected Reply</th>', listing)
        self.assertRegex(
            listing.replace("\u202f", " "),
            r'class="d-md-none small text-muted text-wrap">\s*Expected reply:\s*'
            r"<span[^>]*>December 7, 2026, 5:00 PM",
        )

    # Chatter ----------------------------------------------------------------
    def _post(self, complaint, body, **params):
        return self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "complaint.complaint",
                "thread_id": complaint.id,
                "post_data": {
                    "body": body,
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                },
                **params,
            },
        )

    def test_portal_chatter_post(self):
        token = self.complaint._portal_ensure_token()
        self.authenticate("cc_portal_wang", "cc_portal_wang")
        self._post(self.complaint, "Any news about my vinegar?", token=token)
        message = self.complaint.message_ids[0]
        self.assertIn("Any news about my vinegar?", message.body)
        self.assertEqual(message.message_type, "comment")
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertFalse(message.is_internal)
        self.assertEqual(message.author_id, self.contact)
        # Logged out, the token holder posts as the customer.
        self.authenticate(None, None)
        self._post(self.complaint, "Photo follows.", token=token)
        message = self.complaint.message_ids[0]
        self.assertIn("Photo follows.", message.body)
        self.assertEqual(message.author_id, self.customer)

    def test_portal_chatter_attachment(self):
        token = self.complaint._portal_ensure_token()
        self.authenticate("cc_portal_wang", "cc_portal_wang")
        response = self.url_open(
            "/mail/attachment/upload",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "thread_id": self.complaint.id,
                "thread_model": "complaint.complaint",
                "is_pending": True,
                "token": token,
            },
            files={"ufile": ("leak.txt", b"photo of the leak", "text/plain")},
        )
        self.assertEqual(response.status_code, 200)
        attachment = response.json()["data"]["ir.attachment"][0]
        self._post(
            self.complaint,
            "See the attached photo.",
            token=token,
            post_data={
                "body": "See the attached photo.",
                "message_type": "comment",
                "subtype_xmlid": "mail.mt_comment",
                "attachment_ids": [attachment["id"]],
            },
            attachment_tokens=[attachment["access_token"]],
        )
        message = self.complaint.message_ids[0]
        self.assertIn("See the attached photo.", message.body)
        self.assertEqual(message.attachment_ids.name, "leak.txt")
        self.assertEqual(message.attachment_ids.res_id, self.complaint.id)

    @mute_logger("odoo.http")
    def test_portal_chatter_refused_without_token(self):
        self.authenticate("cc_portal_zhao", "cc_portal_zhao")
        count = len(self.complaint.message_ids)
        for params in ({}, {"token": "x" * 36}):
            with self.assertRaises(JsonRpcException):
                self._post(self.complaint, "Intrusion", **params)
            with self.assertRaises(JsonRpcException):
                self.make_jsonrpc_request(
                    "/mail/chatter_fetch",
                    {
                        "thread_model": "complaint.complaint",
                        "thread_id": self.complaint.id,
                        "token": "x" * 36,
                    },
                )
        self.assertEqual(len(self.complaint.message_ids), count)

    # No ORM access ----------------------------------------------------------
    @mute_logger("odoo.http")
    def test_no_orm_access_over_rpc(self):
        self.authenticate("cc_portal_wang", "cc_portal_wang")
        calls = (
            ("complaint.complaint", "search_read", [[]], {"fields": ["name"]}),
            ("complaint.complaint", "read", [[self.complaint.id], ["name"]], {}),
            ("complaint.category", "search_read", [[]], {"fields": ["name"]}),
            ("complaint.responsibility", "search_read", [[]], {}),
        )
        for model, method, args, kwargs in calls:
            with self.assertRaises(JsonRpcException) as caught:
                self.make_jsonrpc_request(
                    f"/web/dataset/call_kw/{model}/{method}",
                    {"model": model, "method": method, "args": args, "kwargs": kwargs},
                )
            self.assertIn("AccessError", caught.exception.args[0], (model, method))

    # Customer mails ---------------------------------------------------------
    def test_mail_to_typed_address_creates_no_partner(self):
        self.env.ref(ACK).auto_delete = False
        Partner = self.env["res.partner"].with_context(active_test=False)
        complaint = self._new_complaint(
            self.customer,
            "Mail me elsewhere.",
            complainant_name="Qian Private",
            complainant_email="qian.private@elsewhere.test",
        )
        before = Partner.search_count([])
        complaint.with_user(self.handler).action_accept()
        send_queued_mails(self.env)
        self.assertEqual(Partner.search_count([]), before)
        self.assertFalse(
            Partner.search([("email", "ilike", "qian.private@elsewhere.test")])
        )
        mail = self.env["mail.mail"].search(
            [
                ("model", "=", "complaint.complaint"),
                ("res_id", "=", complaint.id),
                ("email_to", "=", "qian.private@elsewhere.test"),
            ]
        )
        self.assertEqual(len(mail), 1)
        self.assertFalse(mail.recipient_ids)
        token = complaint.access_token
        self.assertTrue(token)
        self.assertIn(
            f"/my/complaints/{complaint.id}?access_token={token}", mail.body_html
        )
        # The chatter says it left, without the address or the name.
        note = mail.mail_message_id
        self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))
        self.assertFalse(note.partner_ids)
        for secret in ("qian.private", "Qian Private"):
            self.assertNotIn(secret, note.body)
            self.assertNotIn(secret, note.subject or "")
        # The link opens the complaint, logged out.
        page = self._get(
            re.search(r'href="[^"]*(/my/complaints/[^"]+)"', mail.body_html)[1]
        )
        self.assertEqual(page.status_code, 200)
        self.assertIn("Mail me elsewhere.", page.text)

    def test_send_button_to_typed_address(self):
        """The composer would turn the typed address into a contact: the
        button sends the mail at once instead."""
        Partner = self.env["res.partner"].with_context(active_test=False)
        complaint = self._new_complaint(
            self.customer, "Button mail.", complainant_email="sun@elsewhere.test"
        )
        # Not mailed at acceptance: the button sends the acknowledgement.
        self.company.complaint_auto_mail = False
        complaint.with_user(self.handler).action_accept()
        before = Partner.search_count([])
        notes = complaint.message_ids
        action = complaint.with_user(self.handler).action_send_acknowledgement()
        self.assertEqual(action["tag"], "display_notification")
        send_queued_mails(self.env)
        self.assertEqual(Partner.search_count([]), before)
        note = complaint.message_ids - notes
        self.assertEqual(len(note), 1)
        self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))
        self.assertNotIn("sun@elsewhere.test", note.body)
        # The acknowledgement is sent once.
        with self.assertRaises(UserError):
            complaint.with_user(self.handler).action_send_acknowledgement()
        # Mails to the customer partner still open the composer.
        action = self.complaint.with_user(self.handler).action_send_result()
        self.assertEqual(action["res_model"], "mail.compose.message")

    def test_mail_to_partner_has_portal_link(self):
        complaint = self.complaint
        follower = self.handler.partner_id
        complaint.message_subscribe(partner_ids=follower.ids)
        complaint.with_user(self.handler).action_accept()
        send_queued_mails(self.env)
        template = self.env.ref(ACK)
        subject = template._render_field("subject", complaint.ids)[complaint.id]
        message = complaint.message_ids.filtered(lambda m: m.subject == subject)
        self.assertEqual(len(message), 1)
        self.assertEqual(message.partner_ids, self.customer)
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertIn(
            f"/my/complaints/{complaint.id}?access_token={complaint.access_token}",
            message.body,
        )
        self.assertEqual(message.message_type, "comment")
        # Only the customer is notified, not the complaint's staff.
        self.assertEqual(message.notification_ids.res_partner_id, self.customer)
        # The customer reads it in the portal conversation too.
        fetched = self.make_jsonrpc_request(
            "/mail/chatter_fetch",
            {
                "thread_model": "complaint.complaint",
                "thread_id": complaint.id,
                "token": complaint.access_token,
            },
        )
        ids = [data["id"] for data in fetched["data"]["mail.message"]]
        self.assertIn(message.id, ids)

    # Chinese ----------------------------------------------------------------
    def test_zh_cn_rendering(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["complaint_center"], ["zh_CN"], overwrite=True
        )
        # The user's language (the session's) picks the page's language:
        # /my/complaints leads to /zh_CN/my/complaints.
        self.portal_user.lang = "zh_CN"
        self.authenticate("cc_portal_wang", "cc_portal_wang")
        listing = self.url_open("/my/complaints")
        self.assertEqual(listing.status_code, 200)
        self.assertIn("/zh_CN/my/complaints", listing.url)
        self.assertIn("新登记", listing.text)
        self.assertIn(self.complaint.name, listing.text)
        # The pages' own words, not only the model's selection labels.
        self.assertIn("我的投诉", listing.text)
        self.assertIn("提交投诉", listing.text)
        page = self.url_open(f"/my/complaints/{self.complaint.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("新登记", page.text)
        form = self.url_open("/my/complaints/new")
        self.assertEqual(form.status_code, 200)
        # Remedies in Chinese (selection labels already translated).
        self.assertIn("退货", form.text)
        self.assertIn("提交投诉", form.text)
        self.assertIn(">提交</button>", form.text)
        response = self._submit(description="酱油漏了。")
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self._portal_complaints().description, "<p>酱油漏了。</p>")
        # An English-speaking customer reads English.
        self.opener.cookies.pop("frontend_lang", None)
        self.authenticate("cc_portal_zhao", "cc_portal_zhao")
        listing = self._get("/my/complaints").text
        self.assertIn(">New</span>", listing)
        self.assertNotIn("新登记", listing)
