from datetime import datetime, timedelta

from lxml import etree
from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import Form, tagged
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from .common import APPROVAL, HANDLE, ComplaintCase


@tagged("post_install", "-at_install")
class TestLifecycle(ComplaintCase):
    def test_create_defaults_and_routing(self):
        complaint = self._complaint(user=self.user)
        self.assertEqual(complaint.state, "new")
        self.assertEqual(complaint.first_responder_id, self.user)
        # Routed by its category.
        self.assertEqual(complaint.user_id, self.handler)
        self.assertEqual(complaint.department_id, self.department)
        self.assertEqual(complaint.complainant_name, "Acme Foods")
        self.assertEqual(complaint.complainant_email, "acme@example.com")
        self.assertRegex(complaint.name, r"^CC\d{4}-\d{4,}$")
        self.assertEqual(complaint.currency_id, self.company.currency_id)

    def _customer_with_contact(self):
        return self.env["res.partner"].create(
            {
                "name": "Azure Interior",
                "is_company": True,
                "phone": "+86 21 5555 0100",
                "email": "azure@example.com",
                "street": "4557 De Silva St",
                "city": "Fremont",
            }
        )

    def _contact_values(self, complaint):
        return complaint.sudo().read(
            ["contact_name", "contact_phone", "contact_email", "contact_address"]
        )[0]

    def test_one_complainant_field_changes_alone(self):
        # Issue 23 item 1: changing the phone on the form erased the name,
        # the email and the address.
        customer = self._customer_with_contact()
        complaint = self._complaint(user=self.user, partner_id=customer.id)
        before = self._contact_values(complaint)
        self.assertEqual(before["contact_name"], "Azure Interior")
        self.assertEqual(before["contact_email"], "azure@example.com")
        self.assertIn("Fremont", before["contact_address"])
        count = len(complaint.message_ids)
        # The web client sends only the changed field.
        with Form(complaint.with_user(self.handler)) as form:
            form.complainant_phone = "+86 139 0000 1111"
        complaint.invalidate_recordset()
        self.assertEqual(
            self._contact_values(complaint),
            dict(before, contact_phone="+86 139 0000 1111"),
        )
        # Tracked without the confidential value itself.
        logged = complaint.message_ids[: len(complaint.message_ids) - count]
        self.assertEqual(len(logged), 1)
        self.assertIn("Complainant's details changed: phone.", logged.body)
        self.assertNotIn("1111", logged.body)
        self.assertEqual(logged.author_id, self.handler.partner_id)
        # The same through RPC, one field at a time.
        complaint.with_user(self.handler).write({"complainant_email": "li@example.com"})
        complaint.with_user(self.handler).write({"complainant_name": "Li Lei"})
        self.assertEqual(
            self._contact_values(complaint),
            dict(
                before,
                contact_phone="+86 139 0000 1111",
                contact_email="li@example.com",
                contact_name="Li Lei",
            ),
        )
        # Writing the same value again logs nothing.
        count = len(complaint.message_ids)
        complaint.with_user(self.handler).write({"complainant_name": "Li Lei"})
        self.assertEqual(len(complaint.message_ids), count)

    def test_typed_contact_never_recomputed(self):
        # Issue 25: an upgrade adding a contact column recomputed the shared
        # compute and overwrote every typed contact with the customer's.
        customer = self._customer_with_contact()
        complaint = self._complaint(
            partner_id=customer.id,
            complainant_name="Mr Typed Person",
            complainant_email="typed.person@example.org",
        )
        typed = self._contact_values(complaint)
        self.assertEqual(typed["contact_name"], "Mr Typed Person")
        self.assertEqual(typed["contact_phone"], "+86 21 5555 0100")
        Complaint = self.env["complaint.complaint"]
        for name in typed:
            if name != "id":
                self.env.add_to_compute(Complaint._fields[name], complaint)
        complaint.flush_recordset()
        complaint.invalidate_recordset()
        self.assertEqual(self._contact_values(complaint), typed)
        # A new column (empty on old rows) is filled from the customer alone.
        self.env.cr.execute(
            "UPDATE complaint_complaint SET contact_address = NULL WHERE id = %s",
            [complaint.id],
        )
        complaint.invalidate_recordset()
        self.env.add_to_compute(Complaint._fields["contact_address"], complaint)
        complaint.flush_recordset()
        self.assertEqual(self._contact_values(complaint), typed)

    def test_contact_follows_the_customer_at_intake(self):
        customer = self._customer_with_contact()
        with Form(self.env["complaint.complaint"].with_user(self.user)) as form:
            form.partner_id = self.customer
            self.assertEqual(form.complainant_name, "Acme Foods")
            form.partner_id = customer
            self.assertEqual(form.complainant_name, "Azure Interior")
            self.assertEqual(form.complainant_phone, "+86 21 5555 0100")
            form.category_id = self.category
            form.description = "<p>Scratched.</p>"
        complaint = form.record
        self.assertEqual(complaint.complainant_email, "azure@example.com")
        # Once saved, a contact changed by hand stays when the customer is
        # corrected; the fields still holding the previous customer's
        # details follow the new one.
        with Form(complaint.with_user(self.handler)) as form:
            form.complainant_name = "Mrs Typed"
        with Form(complaint.with_user(self.handler)) as form:
            form.partner_id = self.customer
            self.assertEqual(form.complainant_name, "Mrs Typed")
            self.assertEqual(form.complainant_email, "acme@example.com")
        self.assertEqual(complaint.sudo().contact_name, "Mrs Typed")
        self.assertEqual(complaint.sudo().contact_email, "acme@example.com")

    def test_open_filter_keeps_what_awaits_its_visit(self):
        # Issue 23 item 10: the default "Open" filter hid the resolved
        # complaints waiting for their return visit.
        action = self.env.ref("complaint_center.complaint_complaint_action")
        self.assertEqual(safe_eval(action.context).get("search_default_open"), 1)
        arch = self._arch(self.manager, "search")
        domain = safe_eval(arch.xpath("//filter[@name='open']")[0].get("domain"))
        complaints = {
            state: self._to_state(self._complaint(), state)
            for state in ("new", "approved", "resolved", "closed")
        }
        cancelled = self._complaint()
        cancelled.with_user(self.manager).action_cancel()
        found = self.env["complaint.complaint"].search(
            domain + [("id", "in", [c.id for c in complaints.values()] + cancelled.ids)]
        )
        self.assertEqual(
            found,
            complaints["new"] | complaints["approved"] | complaints["resolved"],
        )

    def test_explicit_handler_beats_category(self):
        complaint = self._complaint(user_id=self.handler2.id)
        self.assertEqual(complaint.user_id, self.handler2)

    def test_handler_gets_an_activity(self):
        complaint = self._complaint()
        activity = complaint.activity_ids
        self.assertEqual(activity.user_id, self.handler)
        self.assertEqual(
            activity.activity_type_id,
            self.env.ref("complaint_center.mail_activity_type_complaint_handle"),
        )
        complaint.user_id = self.handler2
        self.assertIn(self.handler2, complaint.activity_ids.user_id)

    def test_happy_path(self):
        complaint = self._complaint(user=self.user)
        self._to_state(complaint, "investigating")
        self.assertEqual(complaint.validity, "valid")
        self.assertTrue(complaint.is_valid)
        self.assertTrue(complaint.date_acknowledged)
        self._to_state(complaint, "resolved")
        self.assertTrue(complaint.date_resolved)
        self.assertTrue(complaint.date_visit_deadline)
        self.assertFalse(complaint.activity_ids)
        self._to_state(complaint, "closed")
        self.assertTrue(complaint.date_closed)

    def test_wrong_state_refused(self):
        complaint = self._complaint()
        cases = [
            ("action_propose", self.handler),
            ("action_approve", self.manager),
            ("action_resolve", self.handler),
            ("action_close", self.manager),
            ("action_reopen", self.manager),
            ("action_send_back", self.manager),
        ]
        complaint.write({"resolution_type": "apology", "resolution": "<p>x</p>"})
        complaint.satisfaction = "satisfied"
        for method, user in cases:
            with self.subTest(method=method), self.assertRaises(UserError):
                getattr(complaint.with_user(user), method)()
            self.assertEqual(complaint.state, "new")
        self._to_state(complaint, "closed")
        for method in ("action_accept", "action_cancel", "action_approve"):
            with self.subTest(method=method), self.assertRaises(UserError):
                getattr(complaint.with_user(self.executive), method)()
            self.assertEqual(complaint.state, "closed")

    def test_wrong_role_refused(self):
        complaint = self._complaint()
        with self.assertRaises(AccessError):
            complaint.with_user(self.user).action_accept()
        with self.assertRaises(AccessError):
            complaint.with_user(self.finance).action_accept()
        self._to_state(complaint, "proposed")
        with self.assertRaises(AccessError):
            complaint.with_user(self.handler).action_approve()
        self._to_state(complaint, "resolved")
        complaint.satisfaction = "satisfied"
        with self.assertRaises(AccessError):
            complaint.with_user(self.handler).action_close()
        self.assertEqual(complaint.state, "resolved")

    def test_handler_acts_only_on_own_or_department_complaints(self):
        other = self.env["complaint.category"].create(
            {
                "name": "Transport",
                "code": "TT",
                "department_id": self.other_department.id,
            }
        )
        complaint = self._complaint(category_id=other.id, user_id=self.handler.id)
        with self.assertRaises(AccessError):
            complaint.with_user(self.handler2).action_accept()
        # handler2 belongs to the Quality department.
        complaint.department_id = self.department
        complaint.with_user(self.handler2).action_accept()
        self.assertEqual(complaint.state, "investigating")

    def test_can_flags_follow_the_rules(self):
        complaint = self._complaint()
        self.assertTrue(complaint.with_user(self.handler).can_accept)
        self.assertFalse(complaint.with_user(self.user).can_accept)
        self.assertFalse(complaint.with_user(self.handler).can_reject)
        self.assertTrue(complaint.with_user(self.manager).can_reject)
        self.assertFalse(complaint.with_user(self.handler).can_approve)

    def test_reject_needs_reason(self):
        complaint = self._complaint()
        with self.assertRaises(UserError):
            complaint.with_user(self.manager).action_reject()
        self.assertEqual(complaint.state, "new")
        complaint.rejection_reason = "   "
        with self.assertRaises(UserError):
            complaint.with_user(self.manager).action_reject()
        complaint.write(
            {
                "rejection_reason": "Stored in a hot car for a week.",
                "validity": "malicious",
            }
        )
        complaint.with_user(self.manager).action_reject()
        self.assertEqual(complaint.state, "rejected")
        self.assertEqual(complaint.validity, "malicious")

    def test_reject_defaults_to_not_valid_and_refuses_valid(self):
        complaint = self._complaint(rejection_reason="Misread the label.")
        complaint.with_user(self.manager).action_reject()
        self.assertEqual(complaint.validity, "invalid")
        other = self._complaint(rejection_reason="x", validity="valid")
        with self.assertRaises(UserError):
            other.with_user(self.manager).action_reject()
        self.assertEqual(other.state, "new")

    def test_propose_needs_plan(self):
        complaint = self._to_state(self._complaint(), "investigating")
        with self.assertRaises(UserError):
            complaint.with_user(self.handler).action_propose()
        complaint.resolution_type = "refund"
        complaint.resolution = "<p><br></p>"
        with self.assertRaises(UserError):
            complaint.with_user(self.handler).action_propose()
        self.assertEqual(complaint.state, "investigating")

    def test_send_back(self):
        complaint = self._to_state(self._complaint(), "proposed")
        complaint.with_user(self.manager).action_send_back()
        self.assertEqual(complaint.state, "investigating")

    def test_close_needs_feedback(self):
        complaint = self._to_state(self._complaint(), "resolved")
        with self.assertRaises(UserError):
            complaint.with_user(self.manager).action_close()
        with self.assertRaises(UserError):
            complaint.write({"satisfaction": False})
            complaint.action_record_feedback()
        complaint.satisfaction = "very_satisfied"
        for outsider in (self.user, self.handler3):
            with self.assertRaises(AccessError):
                complaint.with_user(outsider).action_record_feedback()
        self.assertFalse(complaint.date_feedback)
        complaint.with_user(self.handler).action_record_feedback()
        self.assertTrue(complaint.date_feedback)
        fresh = self._complaint(satisfaction="satisfied")
        with self.assertRaises(UserError):
            fresh.with_user(self.handler).action_record_feedback()
        complaint.with_user(self.manager).action_close()
        self.assertEqual(complaint.state, "closed")

    def test_reopen_keeps_history(self):
        complaint = self._to_state(self._complaint(), "closed")
        self._flush_tracking()
        closed_messages = len(complaint.message_ids)
        complaint.with_user(self.manager).action_reopen()
        self._flush_tracking()
        self.assertEqual(complaint.state, "investigating")
        self.assertEqual(complaint.reopen_count, 1)
        self.assertFalse(complaint.date_closed)
        self.assertFalse(complaint.satisfaction)
        self.assertGreater(len(complaint.message_ids), closed_messages)
        self._to_state(complaint, "closed")
        complaint.with_user(self.executive).action_reopen()
        self.assertEqual(complaint.reopen_count, 2)
        rejected = self._complaint(rejection_reason="No proof.")
        rejected.with_user(self.manager).action_reject()
        rejected.with_user(self.manager).action_reopen()
        self.assertEqual(rejected.state, "investigating")

    def test_cancel(self):
        mine = self._complaint(user=self.user)
        with self.assertRaises(AccessError):
            mine.with_user(self.user2).action_cancel()
        mine.with_user(self.user).action_cancel()
        self.assertEqual(mine.state, "cancelled")
        self.assertFalse(mine.activity_ids)
        started = self._to_state(self._complaint(user=self.user), "investigating")
        with self.assertRaises(AccessError):
            started.with_user(self.user).action_cancel()
        started.with_user(self.manager).action_cancel()
        self.assertEqual(started.state, "cancelled")

    def test_state_only_through_actions(self):
        complaint = self._complaint()
        with self.assertRaises(UserError):
            complaint.with_user(self.manager).write({"state": "closed"})
        with self.assertRaises(UserError):
            complaint.with_user(self.manager).write({"reopen_count": 5})
        with self.assertRaises(UserError):
            self._complaint(user=self.manager, state="closed")
        self.assertEqual(complaint.state, "new")

    def test_unlink_only_new(self):
        complaint = self._complaint(user=self.user)
        started = self._to_state(self._complaint(), "investigating")
        with self.assertRaises(UserError):
            started.with_user(self.manager).unlink()
        self.assertTrue(started.exists())
        # Archiving follows the closing rules: not while it is open.
        with self.assertRaises(UserError):
            started.with_user(self.manager).action_archive()
        self.assertTrue(started.active)
        started.with_user(self.manager).action_cancel()
        started.with_user(self.manager).action_archive()
        self.assertFalse(started.active)
        # Only a manager deletes, and only what is new.
        with self.assertRaises(AccessError):
            complaint.with_user(self.user).unlink()
        self.assertTrue(complaint.exists())
        complaint.with_user(self.manager).unlink()
        self.assertFalse(complaint.exists())

    def test_tracking_in_chatter(self):
        complaint = self._complaint()
        # Changes made in the creating transaction are not tracked.
        self._flush_tracking()
        complaint.with_user(self.handler).action_accept()
        complaint.write({"severity": "major", "user_id": self.handler2.id})
        self._flush_tracking()
        tracked = complaint.message_ids.tracking_value_ids.field_id.mapped("name")
        for name in ("state", "severity", "user_id", "validity"):
            self.assertIn(name, tracked)
        state_msg = complaint.message_ids.filtered(
            lambda m: "state" in m.tracking_value_ids.field_id.mapped("name")
        )
        self.assertEqual(
            state_msg.subtype_id, self.env.ref("complaint_center.mt_complaint_state")
        )

    def test_deadlines_and_overdue_search(self):
        # Friday 20 Nov 2026, 19:30 in Shanghai (11:30 UTC).
        complaint = self._complaint(date_received=datetime(2026, 11, 20, 11, 30))
        self.assertEqual(complaint.date_ack_deadline, datetime(2026, 11, 21, 11, 30))
        # Three working days: Mon, Tue, Wed 25 Nov, 17:00 in Shanghai.
        self.assertEqual(complaint.date_resolve_deadline, datetime(2026, 11, 25, 9, 0))
        old = self._complaint(date_received=fields.Datetime.now() - timedelta(days=30))
        fresh = self._complaint()
        overdue = self.env["complaint.complaint"].search(
            [("is_overdue", "=", True), ("id", "in", (old | fresh).ids)]
        )
        self.assertEqual(overdue, old)
        self.assertTrue(old.is_overdue)
        self.assertEqual(old.deadline_status, "overdue")
        self.assertFalse(fresh.is_overdue)
        not_overdue = self.env["complaint.complaint"].search(
            [("is_overdue", "=", False), ("id", "in", (old | fresh).ids)]
        )
        self.assertEqual(not_overdue, fresh)
        old.rejection_reason = "Too late"
        old.with_user(self.manager).action_reject()
        self.assertFalse(old.is_overdue)
        self.assertEqual(old.deadline_status, "done")

    def test_dates_consistent(self):
        with self.assertRaises(ValidationError):
            self._complaint(
                date_received=datetime(2026, 1, 1),
                date_occurred=datetime(2026, 2, 1),
            )

    def test_negative_amount_refused(self):
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            self._complaint(claimed_amount=-5).flush_recordset()

    def test_amounts_bounded_by_the_company_limit(self):
        # Issue 23 item 15: a claimed 1,000,000,000,000.00 was accepted.
        self.assertEqual(self.company.complaint_amount_limit, 1e9)
        Complaint = self.env["complaint.complaint"].with_user(self.user)
        values = {
            "partner_id": self.customer.id,
            "category_id": self.category.id,
            "description": "<p>Spoiled.</p>",
        }
        with (
            self.assertRaisesRegex(ValidationError, "largest amount"),
            self.cr.savepoint(),
        ):
            Complaint.create(dict(values, claimed_amount=1e12))
        self.assertFalse(Complaint.search([("claimed_amount", ">", 1e9)]))
        complaint = Complaint.create(dict(values, claimed_amount=1e9))
        self.assertEqual(complaint.claimed_amount, 1e9)
        with (
            self.assertRaisesRegex(ValidationError, "largest amount"),
            self.cr.savepoint(),
        ):
            complaint.with_user(self.handler).write({"compensation_amount": 1e9 + 1})
        self.assertFalse(complaint.compensation_amount)
        # In another currency, compared in the company's.
        foreign = self.env["res.currency"].create(
            {
                "name": "XCC",
                "symbol": "X",
                "rate_ids": [Command.create({"rate": 100.0})],
            }
        )
        complaint.with_user(self.handler).write(
            {"currency_id": foreign.id, "claimed_amount": 5e10}
        )
        with (
            self.assertRaisesRegex(ValidationError, "largest amount"),
            self.cr.savepoint(),
        ):
            complaint.with_user(self.handler).write({"claimed_amount": 2e11})
        self.assertEqual(complaint.claimed_amount, 5e10)
        # The limit is the director's setting, and never absent.
        self.company.complaint_amount_limit = 1e12
        complaint.with_user(self.handler).write({"claimed_amount": 2e11})
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.company.complaint_amount_limit = 0

    def test_back_office_intake_states_category_and_description(self):
        # Issue 23 item 15: a complaint saved with no category and no
        # description.
        Complaint = self.env["complaint.complaint"].with_user(self.user)
        for values in (
            {"description": "<p>Spoiled.</p>"},
            {"category_id": self.category.id},
            {"category_id": self.category.id, "description": "<p><br></p>"},
        ):
            with (
                self.subTest(values=values),
                self.assertRaises(ValidationError),
                self.cr.savepoint(),
            ):
                Complaint.create(dict(values, partner_id=self.customer.id))
        self.assertFalse(Complaint.search([("partner_id", "=", self.customer.id)]))
        complaint = self._complaint(user=self.user)
        for values in ({"category_id": False}, {"description": "<p></p>"}):
            with (
                self.subTest(values=values),
                self.assertRaises(ValidationError),
                self.cr.savepoint(),
            ):
                complaint.with_user(self.handler).write(values)
        self.assertEqual(complaint.category_id, self.category)
        self.assertIn("spoiled", complaint.description)
        # The form asks for both before saving.
        arch = self._arch(self.user, "form")
        for name in ("category_id", "description"):
            self.assertEqual(
                arch.xpath(f"//field[@name='{name}']")[0].get("required"), "not id"
            )
        # Filed by the server (mail gateway, portal), the customer's own
        # words: no category needed.
        mailed = self.env["complaint.complaint"].create(
            {
                "partner_id": self.customer.id,
                "channel": "email",
                "description": "<p>By mail.</p>",
            }
        )
        self.assertFalse(mailed.category_id)

    def test_parent_cycle_refused(self):
        first = self._complaint()
        second = self._complaint(parent_id=first.id)
        with self.assertRaises(ValidationError):
            first.parent_id = second

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

    def test_chinese_words_resolved_one_way(self):
        # Issue 23 item 6: "Resolved" read 处理完成 on the button, 已处理 in
        # the status and 已解决 in the banner; the banners read
        # "您现在可以提交处理方案该投诉".
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["complaint_center"], ["zh_CN"], overwrite=True
        )
        zh = self.env(context=dict(self.env.context, lang="zh_CN"))
        states = dict(
            zh["complaint.complaint"]._fields["state"]._description_selection(zh)
        )
        self.assertEqual(states["resolved"], "已解决")
        views = (
            zh["complaint.complaint"]
            .with_user(self.handler)
            .get_views([(False, "form")])
        )
        arch = etree.fromstring(views["views"]["form"]["arch"])
        button = arch.xpath("//header/button[@name='action_resolve']")[0]
        self.assertEqual(button.get("string"), "标记为已解决")

        def note(complaint, user):
            return complaint.with_user(user).with_context(lang="zh_CN").next_step_note

        approved = self._to_state(self._complaint(), "approved")
        self.assertIn("将投诉标记为已解决", note(approved, self.handler))
        self.assertIn("您现在可以将该投诉标记为已解决。", note(approved, self.handler))
        investigating = self._to_state(self._complaint(), "investigating")
        self.assertIn(
            "您现在可以为该投诉提交处理方案。", note(investigating, self.handler)
        )
        self.assertNotIn("方案该投诉", note(investigating, self.handler))
        self.assertIn(
            "您现在可以批准该投诉的处理方案。", note(self._proposed(), self.manager2)
        )

    def test_next_step_note_on_the_form(self):
        arch = self._arch(self.handler, "form")
        alert = arch.xpath(
            "//div[contains(@class, 'alert')][field[@name='next_step_note']]"
        )
        self.assertEqual(len(alert), 1)
        self.assertEqual(alert[0].get("role"), "status")

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

    def test_feedback_recorded_once(self):
        complaint = self._to_state(self._complaint(), "resolved")
        complaint.with_user(self.handler).satisfaction = "satisfied"
        complaint.with_user(self.handler).action_record_feedback()
        stamp = complaint.date_feedback
        self.assertTrue(stamp)
        with self.assertRaises(UserError):
            complaint.with_user(self.handler).action_record_feedback()
        self.assertEqual(complaint.date_feedback, stamp)
