import ast
import itertools

from odoo.fields import Command
from odoo.tests import tagged

from .common import ComplaintCase

COMPLAINT = "complaint.complaint"
_msg_ids = itertools.count(1)


@tagged("post_install", "-at_install")
class TestMailIntake(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alias = cls.env.ref("complaint_center.mail_alias_complaints")
        domain = cls.company.alias_domain_id
        if not domain:
            domain = cls.env["mail.alias.domain"].create(
                {"name": "cc-intake.example.com"}
            )
            cls.company.alias_domain_id = domain
        if cls.alias.alias_domain_id != domain:
            cls.alias.alias_domain_id = domain
        cls.alias_email = cls.alias.alias_full_name
        cls.company.complaint_mail_create_partner = False

    # Helpers ---------------------------------------------------------------
    def _mail(self, email_from, subject, body, to=None, html=False, headers=()):
        """An RFC 822 message as the mail server hands it to Odoo."""
        msg_id = f"<cc-intake-{next(_msg_ids)}@mail.example.net>"
        lines = [
            f"From: {email_from}",
            f"To: {to or self.alias_email}",
            f"Subject: {subject}",
            f"Message-ID: {msg_id}",
            "Date: Fri, 10 Aug 2012 14:16:26 +0000",
            "MIME-Version: 1.0",
            "Content-Type: text/{}; charset=utf-8".format("html" if html else "plain"),
            "Content-Transfer-Encoding: 8bit",
            *headers,
            "",
            body,
        ]
        return "\r\n".join(lines)

    def _process(self, email_from, subject, body, **kw):
        """Run the message through the mail gateway (as the fetchmail cron
        does, with administrative rights); the complaint it landed on."""
        raw = self._mail(email_from, subject, body, **kw)
        thread_id = self.env["mail.thread"].sudo().message_process(None, raw)
        return self.env[COMPLAINT].browse(thread_id)

    def _partner_count(self):
        return self.env["res.partner"].with_context(active_test=False).search_count([])

    def _mails_of(self, complaint):
        return complaint.message_ids.filtered(lambda m: m.message_type == "email")

    # New complaints -----------------------------------------------------------
    def test_alias(self):
        self.assertEqual(self.alias.alias_name, "complaints")
        self.assertEqual(self.alias.alias_model_id.model, COMPLAINT)
        self.assertEqual(
            ast.literal_eval(self.alias.alias_defaults), {"channel": "email"}
        )
        self.assertEqual(self.alias.alias_contact, "everyone")
        self.assertFalse(self.alias.alias_force_thread_id)
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.complaint_mail_alias, self.alias_email)

    def test_known_sender(self):
        complaints = self.env[COMPLAINT].search_count([])
        complaint = self._process(
            '"Wang Fang" <ACME@example.com>',
            "Spoiled soy sauce",
            "The bottles delivered on Monday were spoiled.",
        )
        self.assertEqual(self.env[COMPLAINT].search_count([]), complaints + 1)
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.channel, "email")
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(complaint.company_id, self.company)
        self.assertEqual(complaint.state, "new")
        self.assertNotEqual(complaint.name, "New")
        self.assertTrue(complaint.name.startswith(self.company.complaint_ref_prefix))
        self.assertTrue(complaint.date_ack_deadline)
        self.assertIn("Spoiled soy sauce", complaint.description)
        self.assertIn("were spoiled", complaint.description)
        self.assertEqual(complaint.complainant_name, "Wang Fang")
        self.assertEqual(complaint.complainant_email, "acme@example.com")
        self.assertEqual(complaint.first_responder_id, self.env.ref("base.user_root"))
        mail = self._mails_of(complaint)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.author_id, self.customer)
        self.assertIn("were spoiled", mail.body)
        self.assertIn(self.customer, complaint.message_partner_ids)

    def test_first_responder_director(self):
        self.company.complaint_director_id = self.manager
        complaint = self._process(
            "acme@example.com", "Late delivery", "Two weeks late."
        )
        self.assertEqual(complaint.first_responder_id, self.manager)

    def test_description_sanitized(self):
        complaint = self._process(
            "acme@example.com",
            "Broken cap",
            "<p>The cap <b>broke</b>.</p><script>alert('x')</script>",
            html=True,
        )
        self.assertIn("<b>broke</b>", complaint.description)
        self.assertNotIn("<script", complaint.description)
        self.assertNotIn("alert", complaint.description)

    def test_unknown_sender_placeholder(self):
        sender = "zhao.lei@unknown.example.org"
        partners = self._partner_count()
        first = self._process(
            f"Zhao Lei <{sender}>", "Rude driver", "The driver shouted at me."
        )
        second = self._process(
            "qian.yu@unknown.example.org", "Wrong product", "I got vinegar."
        )
        placeholder = self.company.complaint_unknown_partner_id
        self.assertTrue(placeholder)
        # Named in the company's language.
        lang = self.company.partner_id.lang
        self.assertEqual(
            placeholder.name,
            self.env(context={"lang": lang})._("Unidentified Email Sender"),
        )
        self.assertEqual(placeholder.company_id, self.company)
        self.assertFalse(placeholder.email)
        # The placeholder is the only contact created, once for the company.
        self.assertEqual(self._partner_count(), partners + 1)
        self.assertFalse(
            self.env["res.partner"]
            .with_context(active_test=False)
            .search_count([("email_normalized", "=", sender)])
        )
        self.assertEqual(first.partner_id, placeholder)
        self.assertEqual(second.partner_id, placeholder)
        self.assertEqual(first.channel, "email")
        self.assertEqual(first.complainant_email, sender)
        self.assertEqual(first.complainant_name, "Zhao Lei")
        self.assertEqual(second.complainant_email, "qian.yu@unknown.example.org")
        mail = self._mails_of(first)
        self.assertFalse(mail.author_id)
        self.assertIn(sender, mail.email_from)
        self.assertFalse(first.message_partner_ids)

    def test_unknown_sender_other_company_contact(self):
        """A contact of another company is not the customer of this one."""
        company_b = self.env["res.company"].create({"name": "CC Intake B"})
        self.env["res.partner"].create(
            {
                "name": "B Customer",
                "email": "b.customer@example.org",
                "company_id": company_b.id,
            }
        )
        complaint = self._process("b.customer@example.org", "Leak", "It leaks.")
        self.assertEqual(complaint.company_id, self.company)
        self.assertEqual(
            complaint.partner_id, self.company.complaint_unknown_partner_id
        )

    def test_unknown_sender_creates_partner(self):
        self.company.complaint_mail_create_partner = True
        sender = "sun.li@new.example.org"
        partners = self._partner_count()
        complaint = self._process(
            f"Sun Li <{sender}>", "Missing item", "One bottle was missing."
        )
        self.assertEqual(self._partner_count(), partners + 1)
        partner = complaint.partner_id
        self.assertEqual(partner.email_normalized, sender)
        self.assertEqual(partner.name, "Sun Li")
        self.assertFalse(self.company.complaint_unknown_partner_id)
        self.assertEqual(complaint.complainant_email, sender)
        self.assertEqual(self._mails_of(complaint).author_id, partner)
        self.assertIn(partner, complaint.message_partner_ids)
        # The next mail from the same sender finds the contact.
        again = self._process(sender, "Still missing", "Nothing yet.")
        self.assertEqual(again.partner_id, partner)
        self.assertEqual(self._partner_count(), partners + 1)

    def test_company_of_alias_domain(self):
        """A mail to the alias of another company's domain files the complaint
        (and its placeholder customer) in that company."""
        company_b = self.env["res.company"].create({"name": "CC Intake B"})
        domain_b = self.env["mail.alias.domain"].create(
            {
                "name": "b.cc-intake.example.com",
                "company_ids": [Command.link(company_b.id)],
            }
        )
        self.env["mail.alias"].create(
            {
                "alias_name": "complaints",
                "alias_domain_id": domain_b.id,
                "alias_model_id": self.env["ir.model"]._get_id(COMPLAINT),
                "alias_defaults": "{'channel': 'email'}",
            }
        )
        complaint = self._process(
            "zhou.min@unknown.example.org",
            "Dirty shop",
            "The shop floor was dirty.",
            to="complaints@b.cc-intake.example.com",
        )
        self.assertEqual(complaint.company_id, company_b)
        self.assertEqual(complaint.partner_id, company_b.complaint_unknown_partner_id)
        self.assertEqual(complaint.partner_id.company_id, company_b)
        self.assertFalse(self.company.complaint_unknown_partner_id)
        self.assertEqual(complaint.first_responder_id, self.env.ref("base.user_root"))

    def test_alias_defaults_limited(self):
        """Alias defaults set intake fields only, never the workflow."""
        Complaint = self.env[COMPLAINT].sudo()
        msg_dict = {
            "email_from": "acme@example.com",
            "subject": "Cold food",
            "body": "<p>Cold.</p>",
            "to": self.alias_email,
        }
        with self.assertLogs(
            "odoo.addons.complaint_center.models.complaint_complaint",
            level="WARNING",
        ):
            complaint = Complaint.message_new(
                msg_dict,
                {"channel": "web", "state": "closed", "validity": "valid"},
            )
        self.assertEqual(complaint.channel, "web")
        self.assertEqual(complaint.state, "new")
        self.assertFalse(complaint.validity)
        self.assertEqual(complaint.partner_id, self.customer)

    def test_sender_loop_stopped(self):
        """An auto-replier cannot open complaints without end: the gateway's
        loop detection counts the complaints recently mailed from an address."""
        self.env["ir.config_parameter"].set_param("mail.gateway.loop.threshold", 2)
        sender = "autoreply@robot.example.org"
        for subject in ("Out of office 1", "Out of office 2"):
            self.assertTrue(self._process(sender, subject, "I am away."))
        complaints = self.env[COMPLAINT].search_count([])
        self.assertFalse(self._process(sender, "Out of office 3", "I am away."))
        self.assertEqual(self.env[COMPLAINT].search_count([]), complaints)

    # Replies ------------------------------------------------------------------
    def test_reply_threads_into_chatter(self):
        complaint = self._process(
            "acme@example.com", "Spoiled sauce", "The sauce was spoiled."
        )
        # Mailed in, routed nowhere: a manager gives it its handler.
        complaint.with_user(self.manager).user_id = self.handler
        self._to_state(complaint, "investigating")
        sent = complaint.message_post(
            body="We are looking into it.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.customer.ids,
        )
        self.assertTrue(sent.message_id)
        complaints = self.env[COMPLAINT].search_count([])
        messages = len(complaint.message_ids)
        frozen = {
            field: complaint[field]
            for field in (
                "state",
                "partner_id",
                "description",
                "validity",
                "date_acknowledged",
                "user_id",
            )
        }
        replied = self._process(
            "Wang Fang <acme@example.com>",
            f"Re: {complaint.name}",
            "Thank you, please hurry.",
            to=self.alias_email,
            headers=(
                f"In-Reply-To: {sent.message_id}",
                f"References: {sent.message_id}",
            ),
        )
        self.assertEqual(replied, complaint)
        self.assertEqual(self.env[COMPLAINT].search_count([]), complaints)
        complaint.invalidate_recordset()
        self.assertEqual(len(complaint.message_ids), messages + 1)
        reply = complaint.message_ids[0]
        self.assertIn("please hurry", reply.body)
        self.assertEqual(reply.author_id, self.customer)
        for field, value in frozen.items():
            self.assertEqual(complaint[field], value, field)

    def test_reply_without_alias_recipient(self):
        """A reply addressed elsewhere (e.g. the catchall) still threads."""
        complaint = self._process("acme@example.com", "Noise", "Loud fridge.")
        sent = complaint.message_post(
            body="Which shop?", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        complaints = self.env[COMPLAINT].search_count([])
        replied = self._process(
            "acme@example.com",
            "Re: Noise",
            "The one on Nanjing Road.",
            to="someone@elsewhere.example.com",
            headers=(f"In-Reply-To: {sent.message_id}",),
        )
        self.assertEqual(replied, complaint)
        self.assertEqual(self.env[COMPLAINT].search_count([]), complaints)
        self.assertIn("Nanjing Road", complaint.message_ids[0].body)
