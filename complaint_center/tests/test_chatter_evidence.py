"""The chatter of a workflow record is evidence (issue 22, holes 3, 8, 10).

What was tracked, logged, mailed to or received from the customer stays as
it was: nobody but the superuser edits, re-dates, re-attributes or deletes
it, and every post is in the poster's own name. And the chatter does not
reveal a mailed-in complainant to those who may not see who complained: not
through the sender of the messages, nor through the followers."""

import itertools

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.mail.tools.discuss import Store

from .common import GROUPS, ComplaintCase, make_user

COMPLAINT = "complaint.complaint"
# What a message is: none of it may change once posted.
MESSAGE_FIELDS = [
    "body",
    "date",
    "author_id",
    "email_from",
    "subject",
    "message_type",
    "subtype_id",
    "is_internal",
    "model",
    "res_id",
    "partner_ids",
    "attachment_ids",
]
SENDER = '"Zhou Secret" <zhou.secret@example.org>'
_msg_ids = itertools.count(1)


@tagged("post_install", "-at_install")
class TestChatterEvidence(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["complaint.penalty.rule"].search([]).active = False
        # A customer with a portal account, to whom the company writes.
        cls.wang = cls.env["res.partner"].create(
            {
                "name": "Wang Evidence",
                "parent_id": cls.customer.id,
                "email": "wang.evidence@example.com",
            }
        )
        cls.portal = make_user(
            cls.env,
            login="cc_e_portal",
            groups="base.group_portal",
            partner_id=cls.wang.id,
        )
        # An administrator, who is not the superuser.
        cls.admin = make_user(
            cls.env, login="cc_e_admin", groups=f"base.group_system,{GROUPS}manager"
        )
        # The head of the Quality department: reads its complaints, not who
        # made them.
        cls.head = make_user(cls.env, login="cc_e_head", groups=f"{GROUPS}user")
        cls.department.manager_id = cls.env["hr.employee"].create(
            {"name": "Head Evidence", "user_id": cls.head.id}
        )
        # A handler complained about.
        cls.accused = make_user(
            cls.env, login="cc_e_accused", groups=f"{GROUPS}handler"
        )
        cls.accused_employee = cls.env["hr.employee"].create(
            {
                "name": "Accused Evidence",
                "user_id": cls.accused.id,
                "department_id": cls.department.id,
            }
        )
        # The complaints@ alias, as in test_mail_intake.
        alias = cls.env.ref("complaint_center.mail_alias_complaints")
        domain = cls.company.alias_domain_id
        if not domain:
            domain = cls.env["mail.alias.domain"].create(
                {"name": "cc-evidence.example.com"}
            )
            cls.company.alias_domain_id = domain
        if alias.alias_domain_id != domain:
            alias.alias_domain_id = domain
        cls.alias_email = alias.alias_full_name

    # Helpers ----------------------------------------------------------------
    def _snapshot(self, messages):
        """Each message as stored, tracking values included (superuser)."""
        self.env.invalidate_all()
        messages = messages.sudo().with_context(active_test=False)
        snapshot = {}
        for message in messages.exists():
            values = message.read(MESSAGE_FIELDS)[0]
            values["tracking"] = [
                (t.field_id.name, t.old_value_char, t.new_value_char)
                for t in message.tracking_value_ids
            ]
            snapshot[message.id] = values
        self.assertEqual(len(snapshot), len(messages), "every message exists")
        return snapshot

    def _refused(self, call, label=""):
        with (
            self.subTest(label),
            mute_logger("odoo.models", "odoo.addons.base.models.ir_model"),
            self.assertRaises(AccessError),
        ):
            call()

    def _found(self, call):
        """What ``call()`` finds, or None when it is refused."""
        try:
            return call()
        except AccessError:
            return None

    def _process(self, email_from, subject, body):
        """An incoming mail through the gateway (as the fetchmail cron runs
        it, with administrative rights); the complaint it landed on."""
        raw = "\r\n".join(
            [
                f"From: {email_from}",
                f"To: {self.alias_email}",
                f"Subject: {subject}",
                f"Message-ID: <cc-evidence-{next(_msg_ids)}@mail.example.net>",
                "Date: Fri, 10 Aug 2012 14:16:26 +0000",
                "MIME-Version: 1.0",
                "Content-Type: text/plain; charset=utf-8",
                "Content-Transfer-Encoding: 8bit",
                "",
                body,
            ]
        )
        thread_id = self.env["mail.thread"].sudo().message_process(None, raw)
        return self.env[COMPLAINT].browse(thread_id)

    def _tracked(self, complaint):
        return complaint.message_ids.filtered(lambda m: m.sudo().tracking_value_ids)

    # Hole 3: the customer rewrites the company's message ----------------------
    def test_customer_cannot_rewrite_the_companys_message(self):
        """Odoo lets a message's recipient write it: the customer rewrote
        the acknowledgement and re-dated it."""
        complaint = self._complaint(partner_id=self.wang.id)
        self._to_state(complaint, "investigating")
        ack = complaint.message_ids.filtered(
            lambda m: self.wang in m.partner_ids and m.message_type == "comment"
        )
        self.assertEqual(len(ack), 1)
        # As the portal chatter posts the customer's own words.
        own = complaint.sudo().message_post(
            body="<p>The vinegar leaked.</p>",
            author_id=self.wang.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            attachments=[("leak.txt", b"photo of the leak")],
        )
        photo = own.attachment_ids
        self.assertEqual(len(photo), 1)
        before = self._snapshot(ack | own)
        self.assertTrue(ack.with_user(self.portal).read(["body"]))
        for message in (ack, own):
            target = message.with_user(self.portal)
            for vals in (
                {"body": "<p>We refuse everything.</p>"},
                {"date": "2020-01-01 08:00:00"},
                {"body": "<p>Nothing happened.</p>", "date": "2020-01-01 08:00:00"},
                {"is_internal": True},
                {"author_id": self.portal.partner_id.id},
                {"attachment_ids": [Command.clear()]},
            ):
                self._refused(lambda t=target, v=vals: t.write(v), f"write {vals}")
        # Odoo's chatter edit and delete of one's own message.
        thread = complaint.with_user(self.portal)
        self._refused(
            lambda: thread._message_update_content(own.sudo(), "<p>All fine.</p>"),
            "edit own message",
        )
        self._refused(
            lambda: thread._message_update_content(own.sudo(), "", attachment_ids=[]),
            "delete own message",
        )
        self._refused(own.with_user(self.portal).unlink, "unlink own message")
        # The chatter deletes a portal author's attachment as superuser.
        self._refused(
            lambda: photo.with_user(self.portal).sudo()._delete_and_notify(own),
            "delete the attachment of his message",
        )
        # Nor does the handler replace or delete it.
        self._refused(
            lambda: photo.with_user(self.handler).write({"raw": b"nothing leaked"}),
            "replace the attachment",
        )
        self._refused(photo.with_user(self.handler).unlink, "delete the attachment")
        self.assertEqual(self._snapshot(ack | own), before)
        self.assertEqual(photo.raw, b"photo of the leak")

    # Hole 8: the audit trail rewritten, deleted or forged ----------------------
    def test_manager_cannot_rewrite_or_reattribute_her_cancel(self):
        complaint = self._complaint()
        self._flush_tracking()
        manager = complaint.with_user(self.manager)
        note = manager.message_post(
            body="<p>Cancelled: logged twice.</p>", subtype_xmlid="mail.mt_note"
        )
        manager.action_cancel()
        self._flush_tracking()
        cancel = self._tracked(complaint).filtered(
            lambda m: m.author_id == self.manager.partner_id
        )
        self.assertTrue(cancel, "the cancellation is tracked in her name")
        evidence = note | cancel
        before = self._snapshot(evidence)
        general_manager = self.executive.partner_id
        for message in evidence:
            target = message.with_user(self.manager)
            for vals in (
                {"body": "<p>Cancelled on the general manager's order.</p>"},
                {"author_id": general_manager.id},
                {
                    "author_id": general_manager.id,
                    "email_from": self.executive.email_formatted,
                },
                {"date": "2020-01-01 08:00:00"},
                {"subtype_id": self.env.ref("mail.mt_comment").id},
                {"message_type": "comment"},
            ):
                self._refused(lambda t=target, v=vals: t.write(v), f"write {vals}")
        self._refused(
            lambda: manager._message_update_content(note.sudo(), "<p>Duplicate.</p>"),
            "edit her note",
        )
        self.assertEqual(self._snapshot(evidence), before)

    def test_handler_cannot_delete_the_trail(self):
        """State changes, the return-visit note, the company's mails and the
        customer's messages stay: not deleted by the handler, a manager or
        an administrator; their tracking values are not touched either."""
        complaint = self._complaint()
        self._flush_tracking()
        self._to_state(complaint, "resolved")
        self.env["complaint.visit"].with_user(self.handler).create(
            {
                "complaint_id": complaint.id,
                "method": "phone",
                "result": "Customer received the refund and is happy.",
                "satisfaction": "very_satisfied",
            }
        )
        customer_message = complaint.sudo().message_post(
            body="<p>Thank you, but the refund is late.</p>",
            author_id=self.customer.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self._flush_tracking()
        tracked = self._tracked(complaint)
        visit_note = complaint.message_ids.filtered(lambda m: "Return visit" in m.body)
        mails = complaint.message_ids.filtered(
            lambda m: self.customer in m.partner_ids and m.message_type == "comment"
        )
        self.assertTrue(tracked)
        self.assertEqual(len(visit_note), 1)
        self.assertTrue(mails)
        evidence = tracked | visit_note | mails | customer_message
        before = self._snapshot(evidence)
        for user in (self.handler, self.manager, self.admin):
            for message in evidence:
                self._refused(
                    message.with_user(user).unlink,
                    f"unlink {message.id} by {user.login}",
                )
        values = tracked.sudo().tracking_value_ids
        admin_values = values.with_user(self.admin)
        self._refused(admin_values.unlink, "unlink tracking values")
        self._refused(
            lambda: admin_values.write({"new_value_char": "Closed"}),
            "rewrite tracking values",
        )
        self._refused(
            lambda: admin_values[:1].copy({"mail_message_id": visit_note.id}),
            "forge a tracking value",
        )
        self._refused(
            lambda: (
                tracked[:1]
                .with_user(self.admin)
                .write({"tracking_value_ids": [Command.clear()]})
            ),
            "drop tracking values",
        )
        self.assertEqual(self._snapshot(evidence), before)

    def test_posts_are_in_the_posters_own_name(self):
        complaint = self._to_state(self._complaint(), "investigating")
        self._flush_tracking()
        handler = complaint.with_user(self.handler)
        Message = self.env["mail.message"].with_user(self.handler)
        director = self.manager2.partner_id
        # Test users share a generated address; the director has his own.
        director.email = "director.evidence@example.com"
        state_field = self.env["ir.model.fields"]._get(COMPLAINT, "state")
        before = self._snapshot(complaint.message_ids)
        attacks = {
            "in the customer's name": lambda: handler.message_post(
                body="<p>I withdraw my complaint.</p>",
                author_id=self.customer.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            ),
            "in the director's name": lambda: handler.message_post(
                body="<p>Approved, go ahead.</p>", author_id=director.id
            ),
            "from the director's address": lambda: handler.message_post(
                body="<p>Approved, go ahead.</p>",
                email_from=self.manager2.email_formatted,
            ),
            "from the customer's address": lambda: handler.message_post(
                body="<p>I withdraw my complaint.</p>",
                email_from='"Acme Foods" <acme@example.com>',
            ),
            "created in the director's name": lambda: Message.create(
                {
                    "model": COMPLAINT,
                    "res_id": complaint.id,
                    "body": "<p>Approved.</p>",
                    "message_type": "comment",
                    "author_id": director.id,
                }
            ),
            "with no author, a name as sender": lambda: Message.create(
                {
                    "model": COMPLAINT,
                    "res_id": complaint.id,
                    "body": "<p>Approved.</p>",
                    "author_id": False,
                    "email_from": '"The Director" <nobody@example.com>',
                }
            ),
            "backdated": lambda: Message.create(
                {
                    "model": COMPLAINT,
                    "res_id": complaint.id,
                    "body": "<p>Customer called on time.</p>",
                    "date": "2020-01-01 08:00:00",
                }
            ),
            "forged tracking": lambda: handler.message_post(
                body="",
                tracking_value_ids=[
                    Command.create(
                        {
                            "field_id": state_field.id,
                            "old_value_char": "New",
                            "new_value_char": "Closed",
                        }
                    )
                ],
            ),
        }
        for label, attack in attacks.items():
            self._refused(attack, label)
        self.assertEqual(self._snapshot(complaint.message_ids), before)
        # In his own name, as himself or with his own address.
        note = handler.message_post(
            body="<p>Called the customer.</p>", subtype_xmlid="mail.mt_note"
        )
        self.assertEqual(note.author_id, self.handler.partner_id)
        own = handler.message_post(
            body="<p>Called again.</p>",
            author_id=self.handler.partner_id.id,
            email_from=self.handler.email_formatted,
        )
        self.assertEqual(own.author_id, self.handler.partner_id)

    def test_unreadable_messages_not_fetched(self):
        """Odoo fetches messages as superuser: ``mapped`` (callable over
        RPC) read the chatter of a complaint one may not read, the internal
        notes included, as an employee or a portal customer."""
        complaint = self._complaint(
            subject_employee_ids=[Command.link(self.accused_employee.id)]
        )
        self._to_state(complaint, "investigating")
        note = complaint.with_user(self.handler).message_post(
            body="<p>Internal: the driver was drunk.</p>",
            subtype_xmlid="mail.mt_note",
        )
        for user in (self.employee, self.portal, self.accused):
            for path in ("body", "author_id", "subject"):
                self.env.invalidate_all()
                found = self._found(
                    lambda u=user, p=path: (
                        self.env["mail.message"].with_user(u).browse(note.ids).mapped(p)
                    )
                )
                self.assertIsNone(found, f"{user.login} {path}")
        # Who reads the complaint reads its chatter.
        self.env.invalidate_all()
        self.assertIn("drunk", note.with_user(self.manager).mapped("body")[0])

    # Hole 10: the mailed-in complainant --------------------------------------
    def test_mailed_in_complainant_hidden_in_messages(self):
        """The head of the department reads the complaint, not who made it:
        nor from the sender of the mail it came in."""
        self.company.complaint_mail_create_partner = False
        complaint = self._process(SENDER, "Leaking bottles", "Three bottles leaked.")
        complaint.sudo().write({"department_id": self.department.id})
        incoming = complaint.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertEqual(len(incoming), 1)
        self.assertIn("zhou.secret@example.org", incoming.email_from)
        head = complaint.with_user(self.head)
        self.assertTrue(head.read(["name"]))
        self.assertFalse(head.complainant_name)
        Message = self.env["mail.message"].with_user(self.head)
        mine = [("model", "=", COMPLAINT), ("res_id", "=", complaint.id)]
        seen = [
            incoming.with_user(self.head).read(["email_from", "author_id", "reply_to"]),
            Message.search_read(mine, ["email_from", "author_id", "reply_to"]),
            Message.search_read([("id", "=", incoming.id)]),
            Message.web_search_read(
                mine, {"email_from": {}, "author_id": {"fields": {"name": {}}}}
            ),
            Message.read_group(mine, ["email_from"], ["email_from"]),
            Message.read_group(mine, ["reply_to"], ["reply_to"]),
            Message._read_group(mine, ["email_from"], ["__count"]),
            Store(incoming.with_user(self.head), for_current_user=True).get_result(),
            incoming.with_user(self.head).portal_message_format(),
        ]
        for found in seen:
            self.assertNotIn("zhou", str(found).lower())
        for domain in (
            [("email_from", "ilike", "zhou.secret")],
            [("email_from", "=ilike", "%zhou%")],
            [("reply_to", "ilike", "zhou")],
            ["|", ("body", "=", "x"), ("email_from", "ilike", "zhou")],
        ):
            self.assertFalse(Message.search(domain), domain)
            self.assertEqual(Message.search_count(domain), 0, domain)
        Complaint = self.env[COMPLAINT].with_user(self.head)
        for path in ("message_ids", "website_message_ids"):
            self.assertFalse(
                Complaint.search([(f"{path}.email_from", "ilike", "zhou")])
            )
        # Odoo fetches messages as superuser: ``mapped`` (callable over
        # RPC) read any field of any message.
        for path in ("email_from", "author_id.email", "reply_to"):
            self.env.invalidate_all()
            found = self._found(
                lambda p=path: (
                    self.env["mail.message"]
                    .with_user(self.head)
                    .browse(incoming.ids)
                    .mapped(p)
                )
            )
            self.assertNotIn("zhou", str(found).lower(), path)
        # The head still reads the message itself.
        self.assertIn("leaked", Message.search_read(mine, ["body"])[-1]["body"])
        # Who handles it sees who wrote.
        self.assertIn(
            "zhou.secret@example.org",
            incoming.with_user(self.manager).read(["email_from"])[0]["email_from"],
        )
        self.assertEqual(
            self.env["mail.message"]
            .with_user(self.manager)
            .search([("email_from", "ilike", "zhou.secret")]),
            incoming,
        )

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_followers_do_not_reveal_the_complainant(self):
        """The sender of a mailed-in complaint follows it; Odoo's followers
        have no record rule: the person complained about listed them."""
        self.company.complaint_mail_create_partner = True
        complaint = self._process(SENDER, "Rude driver", "The driver shouted at me.")
        zhou = complaint.partner_id
        self.assertEqual(zhou.email, "zhou.secret@example.org")
        follower = complaint.message_follower_ids.filtered(
            lambda f: f.partner_id == zhou
        )
        self.assertEqual(len(follower), 1)
        complaint.sudo().write(
            {
                "department_id": self.department.id,
                "subject_employee_ids": [Command.link(self.accused_employee.id)],
            }
        )
        for user in (self.accused, self.employee, self.head):
            with self.subTest(user=user.login):
                Followers = self.env["mail.followers"].with_user(user)
                rows = Followers.search(
                    [("res_model", "=", COMPLAINT), ("res_id", "=", complaint.id)]
                )
                self.assertNotIn(zhou, rows.sudo().partner_id)
                self.assertFalse(Followers.search([("partner_id", "=", zhou.id)]))
                self.assertEqual(
                    Followers.search_count(
                        [
                            ("res_model", "=", COMPLAINT),
                            ("partner_id.email", "ilike", "zhou.secret"),
                        ]
                    ),
                    0,
                )
                self.assertFalse(
                    self._found(
                        lambda u=user: (
                            self.env[COMPLAINT]
                            .with_user(u)
                            .search([("message_follower_ids.partner_id", "=", zhou.id)])
                        )
                    )
                )
                seen = [
                    Followers.search_read(
                        [("res_model", "=", COMPLAINT)], ["partner_id", "res_id"]
                    ),
                    Followers.read_group(
                        [("res_model", "=", COMPLAINT)], ["partner_id"], ["partner_id"]
                    ),
                    complaint.with_user(user).message_get_followers(),
                ]
                for found in seen:
                    self.assertNotIn("zhou", str(found).lower())
                with self.assertRaises(AccessError):
                    follower.with_user(user).read(["partner_id"])
        # The manager handling it sees the sender among the followers.
        self.assertIn(
            follower,
            self.env["mail.followers"]
            .with_user(self.manager)
            .search([("res_model", "=", COMPLAINT), ("res_id", "=", complaint.id)]),
        )
