import re
from datetime import datetime

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import APPROVAL, HANDLE, REVIEW, ComplaintCase, make_user

ACK = "complaint_center.mail_template_complaint_acknowledgement"
RESULT = "complaint_center.mail_template_complaint_result"
REJECTION = "complaint_center.mail_template_complaint_rejection"
VISIT = "complaint_center.mail_template_complaint_visit_request"
RAW_DATES = re.compile(
    r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}|\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2}"
)


@tagged("post_install", "-at_install")
class TestComplaintMail(ComplaintCase):
    def _subject(self, complaint, xmlid):
        template = self.env.ref(xmlid)
        return template._render_field("subject", complaint.ids)[complaint.id]

    def _messages(self, complaint, xmlid):
        return self.env["mail.message"].search(
            [
                ("model", "=", "complaint.complaint"),
                ("res_id", "=", complaint.id),
                ("subject", "=", self._subject(complaint, xmlid)),
            ]
        )

    def _resolved(self, **vals):
        return self._to_state(self._complaint(**vals), "resolved")

    # Automatic mails -------------------------------------------------------
    def test_accept_posts_acknowledgement(self):
        complaint = self._complaint()
        self._to_state(complaint, "investigating")
        message = self._messages(complaint, ACK)
        self.assertEqual(len(message), 1)
        self.assertIn(complaint.name, message.body)
        self.assertIn(self.customer, message.partner_ids)
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertFalse(self._messages(complaint, RESULT))

    def test_reject_posts_answer(self):
        complaint = self._complaint(
            rejection_reason="Third claim this year; customer flagged internally.",
            rejection_reply="The product was used after its expiry date.",
            validity="invalid",
        )
        complaint.with_user(self.manager).action_reject()
        self._send_queued_mails()
        message = self._messages(complaint, REJECTION)
        self.assertEqual(len(message), 1)
        # The answer written for the customer; the internal reason stays
        # internal (issue 24, 7).
        self.assertIn("expiry date", message.body)
        self.assertNotIn("flagged internally", message.body)
        self.assertFalse(self._messages(complaint, ACK))

    def test_rejection_mail_never_carries_the_internal_reason(self):
        """Issue 24 (7): the rejection mail printed the internal note word
        for word. Without an answer written for the customer, the standard
        answer for the validity goes out, in the customer's language."""
        internal = "Filed as malicious; legal department informed."
        self.env.ref(REJECTION).auto_delete = False
        complaint = self._complaint(
            partner_id=self.other_customer.id,
            complainant_email="zhang@example.com",
            rejection_reason=internal,
            validity="malicious",
        )
        complaint.with_user(self.manager).action_reject()
        self._send_queued_mails()
        message = self._messages(complaint, REJECTION)
        self.assertEqual(len(message), 1)
        mail = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
        self.assertEqual(mail.email_to, "zhang@example.com")
        for body in (mail.body_html, message.body):
            self.assertNotIn(internal, body)
            self.assertNotIn("legal department", body)
        self.assertIn("could not establish the facts", mail.body_html)
        # The portal answer is the customer's text too.
        self.assertNotIn("legal department", complaint._rejection_reply_text())
        # In Chinese for a Chinese customer.
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["complaint_center"], ["zh_CN"], overwrite=True
        )
        self.customer.lang = "zh_CN"
        chinese = self._complaint(rejection_reason=internal, validity="invalid")
        chinese.with_user(self.manager).action_reject()
        self._send_queued_mails()
        message = chinese.message_ids.filtered(
            lambda m: m.message_type == "comment" and self.customer in m.partner_ids
        )
        self.assertEqual(len(message), 1)
        self.assertNotIn(internal, message.body)
        self.assertIn("无法受理", message.body)

    def test_resolve_posts_result_and_survey(self):
        self.env.ref(VISIT).auto_delete = False
        complaint = self._resolved()
        result = self._messages(complaint, RESULT)
        self.assertEqual(len(result), 1)
        self.assertIn("Refund 12.", result.body)
        survey = self._messages(complaint, VISIT)
        self.assertEqual(len(survey), 1)
        rating = complaint.rating_ids
        self.assertEqual(len(rating), 1)
        self.assertEqual(rating.partner_id, self.customer)
        self.assertEqual(rating.rated_partner_id, self.handler.partner_id)
        # The customer's mail links with the token; the survey kept in the
        # chatter, which staff read, does not (test_rating_security).
        mail = self.env["mail.mail"].search([("mail_message_id", "=", survey.id)])
        self.assertEqual(mail.recipient_ids, self.customer)
        for value in (5, 3, 1):
            self.assertIn(f"/rate/{rating.access_token}/{value}", mail.body_html)
            self.assertIn(
                f"/rate/complaint-rating-{rating.id}-token/{value}", survey.body
            )
        self.assertNotIn(rating.access_token, survey.body)

    def test_no_email_no_mail(self):
        complaint = self._complaint(partner_id=self.other_customer.id)
        self.assertFalse(complaint.complainant_email)
        self._to_state(complaint, "resolved")
        for xmlid in (ACK, RESULT, VISIT):
            self.assertFalse(self._messages(complaint, xmlid))

    def test_complainant_email_is_enough(self):
        complaint = self._complaint(
            partner_id=self.other_customer.id, complainant_email="zhang@example.com"
        )
        self.env.ref(ACK).auto_delete = False
        self._to_state(complaint, "investigating")
        # Mailed to the typed address alone: no contact is created for it,
        # and the chatter notes the mail without the address.
        message = self._messages(complaint, ACK)
        self.assertEqual(len(message), 1)
        self.assertFalse(message.partner_ids)
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_note"))
        self.assertNotIn("zhang@example.com", message.body)
        self.assertFalse(
            self.env["res.partner"]
            .with_context(active_test=False)
            .search([("email", "ilike", "zhang@example.com")])
        )
        mail = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
        self.assertEqual(mail.email_to, "zhang@example.com")
        self.assertIn(complaint.name, mail.body_html)

    def test_setting_off_no_mail(self):
        self.company.complaint_auto_mail = False
        complaint = self._resolved()
        for xmlid in (ACK, RESULT, VISIT):
            self.assertFalse(self._messages(complaint, xmlid))

    def test_settings_field(self):
        settings = self.env["res.config.settings"].create({})
        self.assertTrue(settings.complaint_auto_mail)
        settings.complaint_auto_mail = False
        settings.execute()
        self.assertFalse(self.company.complaint_auto_mail)

    # Rating ----------------------------------------------------------------
    def test_rating_satisfied(self):
        complaint = self._resolved()
        token = complaint.rating_ids.access_token
        complaint.sudo().rating_apply(5, token=token, feedback="Quick and fair.")
        self.assertEqual(complaint.satisfaction, "satisfied")
        self.assertEqual(complaint.feedback, "Quick and fair.")
        self.assertTrue(complaint.date_feedback)
        self.assertTrue(complaint.rating_ids.consumed)
        bodies = complaint.message_ids.mapped("body")
        self.assertTrue(any("rated the handling" in body for body in bodies))

    def test_rating_unsatisfied(self):
        complaint = self._resolved()
        token = complaint.rating_ids.access_token
        complaint.sudo().rating_apply(1, token=token)
        self.assertEqual(complaint.satisfaction, "unsatisfied")
        self.assertTrue(complaint.date_feedback)

    def test_rating_neutral_page_click(self):
        """The rating page applies the face first with a stock text: that
        text is not the customer's feedback."""
        complaint = self._resolved(feedback=False)
        token = complaint.rating_ids.access_token
        complaint.sudo().rating_apply(
            3, token=token, feedback="Customer rated", notify_delay_send=True
        )
        self.assertEqual(complaint.satisfaction, "neutral")
        self.assertFalse(complaint.feedback)

    def test_rating_ignored_when_not_resolved(self):
        complaint = self._resolved()
        token = complaint.rating_ids.access_token
        complaint.with_user(self.manager).action_reopen()
        complaint.sudo().rating_apply(5, token=token)
        self.assertFalse(complaint.satisfaction)

    # Return visits ---------------------------------------------------------
    def _visit(self, complaint, user, **vals):
        values = {
            "complaint_id": complaint.id,
            "method": "phone",
            "result": "Customer received the refund and is happy.",
            "satisfaction": "very_satisfied",
            # Between the resolution and now, as every visit is.
            "date": fields.Datetime.now(),
        }
        values.update(vals)
        return self.env["complaint.visit"].with_user(user).create(values)

    def test_visit_records_feedback(self):
        complaint = self._resolved()
        when = fields.Datetime.now()
        visit = self._visit(complaint, self.handler, date=when)
        self.assertEqual(visit.company_id, complaint.company_id)
        self.assertEqual(visit.user_id, self.handler)
        self.assertEqual(complaint.visit_ids, visit)
        self.assertEqual(complaint.visit_count, 1)
        self.assertEqual(complaint.satisfaction, "very_satisfied")
        self.assertEqual(
            complaint.feedback, "Customer received the refund and is happy."
        )
        self.assertEqual(complaint.date_feedback, when)
        self.assertIn("Return visit", complaint.message_ids[0].body)
        # The customer's answer lets the manager close the complaint.
        complaint.with_user(self.manager).action_close()
        self.assertEqual(complaint.state, "closed")

    def test_visit_by_department_handler_and_manager(self):
        complaint = self._resolved()
        self._visit(complaint, self.handler2, satisfaction="neutral")
        self.assertEqual(complaint.satisfaction, "neutral")
        self._visit(complaint, self.manager, satisfaction="satisfied")
        self.assertEqual(complaint.satisfaction, "satisfied")
        self.assertEqual(complaint.visit_count, 2)

    def test_visit_refused_when_not_resolved(self):
        complaint = self._to_state(self._complaint(), "approved")
        with self.assertRaises(UserError):
            self._visit(complaint, self.handler)
        self.assertFalse(complaint.satisfaction)

    def test_visit_refused_for_outsiders(self):
        complaint = self._resolved()
        with self.assertRaises(AccessError):
            self._visit(complaint, self.user)
        with self.assertRaises(AccessError):
            self._visit(complaint, self.handler3)
        with self.assertRaises(AccessError):
            self._visit(complaint, self.finance)
        self.assertFalse(complaint.visit_ids)

    def test_visit_kept(self):
        complaint = self._resolved()
        visit = self._visit(complaint, self.handler)
        with self.assertRaises(UserError):
            visit.with_user(self.handler).write({"result": "Changed"})
        with self.assertRaises(UserError):
            visit.with_user(self.manager).unlink()
        with self.assertRaises(UserError):
            visit.unlink()
        self.assertTrue(visit.exists())

    def test_record_visit_action(self):
        complaint = self._resolved()
        action = complaint.with_user(self.handler).action_record_visit()
        self.assertEqual(action["res_model"], "complaint.visit")
        self.assertEqual(action["context"]["default_complaint_id"], complaint.id)

    # Composer buttons ------------------------------------------------------
    def test_composer_buttons(self):
        complaint = self._resolved()
        # The acknowledgement was sent at acceptance, and is sent once.
        self.assertTrue(complaint.date_ack_sent)
        with self.assertRaises(UserError):
            complaint.with_user(self.handler).action_send_acknowledgement()
        for method, xmlid in (
            ("action_send_result", RESULT),
            ("action_send_visit_request", VISIT),
        ):
            action = getattr(complaint.with_user(self.handler), method)()
            self.assertEqual(action["res_model"], "mail.compose.message")
            self.assertEqual(
                action["context"]["default_template_id"], self.env.ref(xmlid).id
            )
            composer = (
                self.env["mail.compose.message"]
                .with_user(self.handler)
                .with_context(**action["context"])
                .create({})
            )
            self.assertEqual(composer.template_id, self.env.ref(xmlid))
            self.assertIn(complaint.name, composer.subject)

    def test_low_rating_on_resolved_sends_back_at_closing(self):
        complaint = self._to_state(self._complaint(), "resolved")
        self._rate(complaint, 2, feedback="Still waiting for the refund.")
        self.assertEqual(complaint.satisfaction, "unsatisfied")
        self.assertTrue(complaint.date_feedback)
        complaint.with_user(self.manager).action_close()
        self.assertEqual(complaint.state, "investigating")
        self.assertEqual(complaint.reopen_count, 1)

    def test_dissatisfied_rating_after_closing_flags_for_review(self):
        self.company.complaint_director_id = self.manager
        complaint = self._to_state(self._complaint(), "closed")
        rating = self._rate(complaint, 1, feedback="Nobody called me back.")
        self.assertEqual(rating.rating_text, "ko")
        self.assertEqual(complaint.state, "closed")
        self.assertTrue(complaint.rating_alert)
        review = self._activities(complaint, REVIEW)
        self.assertEqual(review.user_id, self.manager)
        self.assertTrue(
            any(
                "rated the closed complaint as dissatisfied" in body
                for body in complaint.message_ids.mapped("body")
            )
        )
        self.assertIn("dissatisfied", self._note(complaint, self.manager))
        self.assertEqual(complaint.rating_last_feedback, "Nobody called me back.")
        # The same rating again (its comment page) flags nothing twice.
        self._rate(complaint, 1, feedback="Nobody called me back at all.")
        self.assertEqual(len(self._activities(complaint, REVIEW)), 1)
        # Nobody but the server sets or lifts the flag.
        with self.assertRaises(AccessError):
            complaint.with_user(self.manager).write({"rating_alert": False})
        with self.assertRaises(AccessError):
            complaint.with_user(self.handler).action_keep_closed()
        self.assertTrue(complaint.rating_alert)
        # Reopening answers the review.
        complaint.with_user(self.manager).action_reopen()
        self.assertEqual(complaint.state, "investigating")
        self.assertFalse(complaint.rating_alert)
        self.assertFalse(self._activities(complaint, REVIEW))

    def test_keep_closed_after_a_dissatisfied_rating(self):
        complaint = self._to_state(self._complaint(), "closed")
        with self.assertRaises(UserError):
            complaint.with_user(self.manager).action_keep_closed()
        self._rate(complaint, 1)
        self.assertTrue(self._activities(complaint, REVIEW))
        complaint.with_user(self.manager).action_keep_closed()
        self.assertEqual(complaint.state, "closed")
        self.assertFalse(complaint.rating_alert)
        self.assertFalse(self._activities(complaint, REVIEW))

    def test_rating_shown_on_the_feedback_page(self):
        arch = self._arch(self.handler, "form")
        page = arch.xpath("//page[@name='feedback']")[0]
        for name in ("rating_last_image", "rating_last_text", "rating_alert"):
            self.assertTrue(page.xpath(f".//field[@name='{name}']"), name)

    def test_acknowledgement_sent_once(self):
        self.company.complaint_auto_mail = False
        complaint = self._to_state(self._complaint(), "investigating")
        self.assertFalse(complaint.date_ack_sent)
        with self.assertRaises(AccessError):
            complaint.with_user(self.user).action_send_acknowledgement()
        with self.assertRaises(AccessError):
            complaint.with_user(self.handler).write(
                {"date_ack_sent": "2026-01-01 00:00:00"}
            )
        self.assertFalse(complaint.date_ack_sent)
        messages = complaint.message_ids
        complaint.with_user(self.handler).action_send_acknowledgement()
        self._send_queued_mails()
        self.assertTrue(complaint.date_ack_sent)
        self.assertEqual(len(complaint.message_ids - messages), 1)
        messages = complaint.message_ids
        with self.assertRaises(UserError):
            complaint.with_user(self.handler).action_send_acknowledgement()
        self.assertEqual(complaint.message_ids, messages)

    def test_acknowledgement_at_acceptance_counts(self):
        complaint = self._to_state(self._complaint(), "investigating")
        self.assertTrue(complaint.date_ack_sent)

    def test_customer_mails_write_dates_in_words(self):
        complaint = self._complaint()
        # The company's calendar is in Shanghai (UTC+8).
        self.assertEqual(
            complaint._customer_datetime(datetime(2026, 12, 8, 15, 59, 59)),
            "December 8, 2026",
        )
        # Babel's newer data put a narrow space before PM.
        self.assertEqual(
            complaint._customer_datetime(datetime(2026, 12, 8, 9, 30)).replace(
                "\u202f", " "
            ),
            "December 8, 2026, 5:30 PM",
        )
        self._to_state(complaint, "investigating")
        template = self.env.ref(
            "complaint_center.mail_template_complaint_acknowledgement"
        )
        body = template._render_field("body_html", complaint.ids)[complaint.id]
        self.assertIn(
            complaint._customer_datetime(complaint.date_resolve_deadline), body
        )
        self.assertFalse(RAW_DATES.search(body), body)

    def test_chatter_and_activities_in_the_staffs_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["mail", "complaint_center"], ["zh_CN"], overwrite=True
        )
        handler = make_user(
            self.env,
            login="cc_t_zh_handler",
            groups="complaint_center.group_complaint_handler",
            lang="zh_CN",
        )
        executive = make_user(
            self.env,
            login="cc_t_zh_executive",
            groups="complaint_center.group_complaint_executive",
            lang="zh_CN",
        )
        self.company.complaint_executive_id = executive
        # Created by the system (mail gateway, portal) in English.
        complaint = (
            self.env["complaint.complaint"]
            .with_context(lang="en_US")
            .create(
                {
                    "partner_id": self.customer.id,
                    "user_id": handler.id,
                    "severity": "major",
                    "description": "<p>Spoiled.</p>",
                }
            )
        )
        bodies = " ".join(complaint.message_ids.mapped("body"))
        self.assertIn("客户投诉", bodies)
        handle = self._activities(complaint, HANDLE)
        self.assertEqual(handle.summary, "调查并处理该投诉")
        complaint.with_user(handler).action_accept()
        complaint.write({"resolution_type": "refund", "resolution": "<p>Refund</p>"})
        complaint.with_user(handler).action_propose()
        complaint.with_user(self.manager).action_approve()
        approval = self._activities(complaint, APPROVAL)
        self.assertEqual(approval.summary, f"批准投诉 {complaint.name} 的处理方案")
        subtype = self.env.ref("complaint_center.mt_complaint_state")
        self.assertEqual(
            subtype.with_context(lang="zh_CN").description, "投诉状态已变更"
        )
