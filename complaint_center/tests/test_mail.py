from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ComplaintCase

ACK = "complaint_center.mail_template_complaint_acknowledgement"
RESULT = "complaint_center.mail_template_complaint_result"
REJECTION = "complaint_center.mail_template_complaint_rejection"
VISIT = "complaint_center.mail_template_complaint_visit_request"


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
            rejection_reason="The product was used after its expiry date.",
            validity="invalid",
        )
        complaint.with_user(self.manager).action_reject()
        message = self._messages(complaint, REJECTION)
        self.assertEqual(len(message), 1)
        self.assertIn("expiry date", message.body)
        self.assertFalse(self._messages(complaint, ACK))

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
            "date": "2026-03-02 08:00:00",
        }
        values.update(vals)
        return self.env["complaint.visit"].with_user(user).create(values)

    def test_visit_records_feedback(self):
        complaint = self._resolved()
        visit = self._visit(complaint, self.handler)
        self.assertEqual(visit.company_id, complaint.company_id)
        self.assertEqual(visit.user_id, self.handler)
        self.assertEqual(complaint.visit_ids, visit)
        self.assertEqual(complaint.visit_count, 1)
        self.assertEqual(complaint.satisfaction, "very_satisfied")
        self.assertEqual(
            complaint.feedback, "Customer received the refund and is happy."
        )
        self.assertEqual(str(complaint.date_feedback), "2026-03-02 08:00:00")
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
