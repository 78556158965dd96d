"""What a new user ran into on complaints (issue "user journeys", item 5):
the form says who acts next and why not you, every step answers its
activities, the handler reads the order lines, a rating after closing is
not lost, buttons done once stay done, readable dates in the customer's
mails, the director's settings, and the staff's language in the chatter."""

import re
from datetime import datetime, timedelta

from freezegun import freeze_time
from lxml import etree

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ComplaintCase, make_user

APPROVAL = "complaint_center.mail_activity_type_complaint_approval"
HANDLE = "complaint_center.mail_activity_type_complaint_handle"
REVIEW = "complaint_center.mail_activity_type_complaint_rating_review"
ESCALATION = "complaint_center.mail_activity_type_complaint_escalation"
RECEIVED = datetime(2026, 11, 16, 2, 0)  # Monday 10:00 in Shanghai
RAW_DATES = re.compile(
    r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}|\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2}"
)


@tagged("post_install", "-at_install")
class TestUserJourneyFixes(ComplaintCase):
    def _activities(self, complaint, xmlid=None):
        """Open activities of ``complaint``, everyone's."""
        domain = [
            ("res_model", "=", "complaint.complaint"),
            ("res_id", "=", complaint.id),
        ]
        if xmlid:
            domain.append(("activity_type_id", "=", self.env.ref(xmlid).id))
        return self.env["mail.activity"].sudo().search(domain)

    def _proposed(self, proposer=None, **vals):
        complaint = self._to_state(self._complaint(**vals), "investigating")
        complaint.write({"resolution_type": "refund", "resolution": "<p>Refund</p>"})
        complaint.with_user(proposer or self.handler).action_propose()
        return complaint

    def _note(self, complaint, user):
        return complaint.with_user(user).next_step_note or ""

    def _arch(self, user, view_type):
        views = (
            self.env["complaint.complaint"]
            .with_user(user)
            .get_views([(False, view_type)])
        )
        return etree.fromstring(views["views"][view_type]["arch"])

    # 1. Who acts next ------------------------------------------------------
    def test_next_step_note_from_the_guard(self):
        complaint = self._complaint(user=self.user)
        self.assertIn("accepts this complaint", self._note(complaint, self.user))
        self.assertNotIn("You may", self._note(complaint, self.user))
        self.assertIn("You may accept it now.", self._note(complaint, self.handler))

        # The proposer hears the approval guard's own refusal.
        complaint = self._proposed(proposer=self.manager)
        with self.assertRaises(AccessError) as refusal:
            complaint.with_user(self.manager).action_approve()
        note = self._note(complaint, self.manager)
        self.assertIn("other than the proposer", note)
        self.assertIn(refusal.exception.args[0], note)
        self.assertIn("You may approve it now.", self._note(complaint, self.manager2))
        # Lacking the role, one is told who acts, not refused.
        self.assertEqual(
            self._note(complaint, self.handler),
            "Waiting for the approval of a complaint manager other than the proposer.",
        )

        # Approved by the manager, a major plan waits for the executive.
        major = self._proposed(severity="major")
        major.with_user(self.manager).action_approve()
        self.assertEqual(major.state, "proposed")
        note = self._note(major, self.manager)
        self.assertIn("Waiting for the general manager's approval", note)
        self.assertIn("now needs the executive's approval", note)
        self.assertIn("You may approve it now.", self._note(major, self.executive))
        major.with_user(self.executive).action_approve()
        self.assertIn("marks the complaint resolved", self._note(major, self.handler))

        resolved = self._to_state(self._complaint(), "resolved")
        note = self._note(resolved, self.manager)
        self.assertIn("Waiting for the customer's feedback", note)
        self.assertNotIn("You may", note)
        resolved.with_user(self.handler).satisfaction = "satisfied"
        self.assertIn("You may close it now.", self._note(resolved, self.manager))
        resolved.with_user(self.manager).action_close()
        self.assertFalse(resolved.with_user(self.manager).next_step_note)

    def test_next_step_note_on_the_form(self):
        arch = self._arch(self.handler, "form")
        alert = arch.xpath(
            "//div[contains(@class, 'alert')][field[@name='next_step_note']]"
        )
        self.assertEqual(len(alert), 1)
        self.assertEqual(alert[0].get("role"), "status")

    # 2. Every step answers its activities ------------------------------------
    def test_approval_activities_answered_for_everyone(self):
        complaint = self._proposed(severity="major")
        complaint.with_user(self.manager).action_approve()
        asked = self._activities(complaint, APPROVAL)
        admin = self.env.ref("base.user_admin")
        # Every executive of the company is asked (the demo data has one too).
        self.assertLessEqual(self.executive | admin, asked.user_id)
        executives = self.env.ref("complaint_center.group_complaint_executive").users
        self.assertLessEqual(asked.user_id, executives | admin)
        complaint.with_user(self.executive).action_approve()
        self.assertEqual(complaint.state, "approved")
        self.assertFalse(self._activities(complaint, APPROVAL))
        self.assertTrue(self._activities(complaint, HANDLE))
        # A manager resolves for the handler: the handler's to-do is answered.
        complaint.with_user(self.manager).action_resolve()
        self.assertFalse(self._activities(complaint, HANDLE))
        complaint.with_user(self.handler).satisfaction = "satisfied"
        complaint.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.manager2.id
        )
        complaint.with_user(self.manager).action_close()
        self.assertFalse(self._activities(complaint))

    def test_ending_steps_remove_every_activity(self):
        for method, vals in (
            ("action_cancel", {}),
            ("action_reject", {"rejection_reason": "Misread", "validity": "invalid"}),
        ):
            complaint = self._complaint(**vals)
            complaint.activity_schedule(
                "mail.mail_activity_data_todo", user_id=self.manager2.id
            )
            self.assertEqual(len(self._activities(complaint)), 2)
            getattr(complaint.with_user(self.manager), method)()
            self.assertFalse(self._activities(complaint), method)

    def test_met_deadline_answers_the_escalation(self):
        self.company.complaint_director_id = self.manager
        with freeze_time(RECEIVED):
            complaint = self._complaint(date_received=RECEIVED)
        with freeze_time(complaint.date_ack_deadline + timedelta(minutes=1)):
            complaint._escalate(datetime.now())
            self.assertTrue(self._activities(complaint, ESCALATION))
            complaint.with_user(self.handler).action_accept()
            self.assertFalse(self._activities(complaint, ESCALATION))

    # 3. The handler reads the order lines -------------------------------------
    def test_handler_without_sales_reads_the_lines(self):
        handler = make_user(
            self.env,
            login="cc_t_nosales_handler",
            groups="complaint_center.group_complaint_handler",
        )
        complaint = self._complaint(
            user_id=handler.id,
            sale_order_id=self.order.id,
            sale_line_ids=[Command.set(self.order.order_line.ids)],
        )
        mine = complaint.with_user(handler)
        self.assertIn("Soy Sauce 500ml", mine.sale_line_summary)
        self.assertIn("Vinegar 500ml", mine.sale_line_summary)
        self.assertEqual(
            mine.read(["sale_order_id"])[0]["sale_order_id"],
            (self.order.id, self.order.name),
        )
        self.assertEqual(mine.product_ids, self.product | self.product2)
        with mute_logger("odoo.addons.base.models.ir_model"):
            with self.assertRaises(AccessError):
                self.order.order_line.with_user(handler).read(["name"])
        arch = self._arch(handler, "form")
        self.assertTrue(arch.xpath("//field[@name='sale_line_summary']"))
        self.assertFalse(arch.xpath("//field[@name='sale_line_ids']"))
        # Sales staff pick the lines themselves.
        arch = self._arch(self.handler, "form")
        self.assertTrue(arch.xpath("//field[@name='sale_line_ids']"))
        self.assertFalse(arch.xpath("//field[@name='sale_line_summary']"))

    # 4. A rating after closing ------------------------------------------------
    def _rate(self, complaint, value, feedback=None):
        token = complaint.rating_ids.access_token
        self.assertTrue(token)
        return complaint.sudo().rating_apply(value, token=token, feedback=feedback)

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

    # 5. No sale order created from a complaint ----------------------------------
    def test_sale_order_not_created_from_the_complaint(self):
        arch = self._arch(self.handler, "form")
        for name in ("sale_order_id", "sale_line_ids", "category_id", "user_id"):
            options = arch.xpath(f"//field[@name='{name}']")[0].get("options") or ""
            self.assertIn("'no_create': True", options, name)
        # A complainant who is not a customer yet is created at intake.
        options = arch.xpath("//field[@name='partner_id']")[0].get("options") or ""
        self.assertNotIn("no_create", options)

    # 6. Done once ------------------------------------------------------------
    def test_feedback_recorded_once(self):
        complaint = self._to_state(self._complaint(), "resolved")
        complaint.with_user(self.handler).satisfaction = "satisfied"
        complaint.with_user(self.handler).action_record_feedback()
        stamp = complaint.date_feedback
        self.assertTrue(stamp)
        with self.assertRaises(UserError):
            complaint.with_user(self.handler).action_record_feedback()
        self.assertEqual(complaint.date_feedback, stamp)

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
        self.assertTrue(complaint.date_ack_sent)
        self.assertEqual(len(complaint.message_ids - messages), 1)
        messages = complaint.message_ids
        with self.assertRaises(UserError):
            complaint.with_user(self.handler).action_send_acknowledgement()
        self.assertEqual(complaint.message_ids, messages)

    def test_acknowledgement_at_acceptance_counts(self):
        complaint = self._to_state(self._complaint(), "investigating")
        self.assertTrue(complaint.date_ack_sent)

    # 7. and 8. Pivot and calendar -------------------------------------------
    def test_pivot_counts_first(self):
        arch = self._arch(self.manager, "pivot")
        self.assertEqual(arch.get("display_quantity"), "1")

    def test_calendar_shows_customer_and_category(self):
        complaint = self._complaint(severity="major")
        label = complaint.calendar_label
        for part in (complaint.name, "Acme Foods", "Quality T", "Major"):
            self.assertIn(part, label)
        arch = self._arch(self.manager, "calendar")
        self.assertEqual(arch.get("create_name_field"), "calendar_label")

    # 9. Dates in the customer's mails -----------------------------------------
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

    # 10. The director's settings ---------------------------------------------
    @mute_logger("odoo.addons.base.models.ir_model")
    def test_director_changes_complaint_settings(self):
        Settings = self.env["complaint.settings"]
        settings = Settings.with_user(self.manager).create({"complaint_repeat_days": 7})
        settings.action_save()
        self.assertEqual(self.company.complaint_repeat_days, 7)
        # What the general manager signs off stays his to set.
        with self.assertRaises(AccessError):
            Settings.with_user(self.manager).create(
                {"complaint_executive_threshold": 1.0}
            )
        self.assertEqual(self.company.complaint_executive_threshold, 5000.0)
        Settings.with_user(self.executive).create(
            {"complaint_executive_threshold": 800.0}
        )
        self.assertEqual(self.company.complaint_executive_threshold, 800.0)
        # Handlers do not configure; managers get no other system setting.
        with self.assertRaises(AccessError):
            Settings.with_user(self.handler).create({"complaint_repeat_days": 1})
        with self.assertRaises(AccessError):
            self.env["res.config.settings"].with_user(self.manager).create({})
        self.assertEqual(self.company.complaint_repeat_days, 7)
        menu = self.env.ref("complaint_center.complaint_menu_settings")
        self.assertEqual(
            menu.action, self.env.ref("complaint_center.complaint_settings_action")
        )
        self.assertIn(
            menu.id,
            self.env["ir.ui.menu"].with_user(self.manager)._visible_menu_ids(),
        )

    # 11. The staff's language ----------------------------------------------------
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
