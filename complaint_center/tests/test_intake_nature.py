"""Severity follows the nature of the complaint: three or more customers,
media exposure or a safety incident make it at least major (never lower),
with the reason tracked; safety incidents get the same-day policy."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestIntakeNature(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.third = Partner.create({"name": "Third Co", "is_company": True})
        cls.fourth = Partner.create({"name": "Fourth Co", "is_company": True})
        cls.third_contact = Partner.create(
            {"name": "Wang Fang", "parent_id": cls.third.id}
        )

    def _tracked(self, complaint, field_name):
        self._flush_tracking()
        return (
            self.env["mail.tracking.value"]
            .sudo()
            .search(
                [
                    ("mail_message_id.model", "=", complaint._name),
                    ("mail_message_id.res_id", "=", complaint.id),
                    ("field_id.name", "=", field_name),
                ]
            )
        )

    # Group complaints ---------------------------------------------------------
    def test_two_customers_stay_as_chosen(self):
        complaint = self._complaint(
            user=self.user, affected_partner_ids=[Command.set(self.other_customer.ids)]
        )
        self.assertEqual(complaint.customer_count, 2)
        self.assertFalse(complaint.is_group_complaint)
        self.assertEqual(complaint.severity, "general")
        self.assertFalse(complaint.severity_reason)

    def test_contacts_of_one_company_count_once(self):
        complaint = self._complaint(
            partner_id=self.contact.id,
            affected_partner_ids=[
                Command.set((self.customer | self.third_contact).ids)
            ],
        )
        self.assertEqual(complaint.customer_count, 2, "Acme and Third Co")
        self.assertEqual(complaint.severity, "general")

    def test_three_customers_raise_to_major_with_a_tracked_reason(self):
        complaint = self._complaint(
            user=self.user, affected_partner_ids=[Command.set(self.other_customer.ids)]
        )
        # Changes made in the creating transaction are not tracked.
        self._flush_tracking()
        complaint.with_user(self.user).write(
            {"affected_partner_ids": [Command.link(self.third_contact.id)]}
        )
        self.assertEqual(complaint.customer_count, 3)
        self.assertTrue(complaint.is_group_complaint)
        self.assertEqual(complaint.severity, "major")
        self.assertIn("group complaint of 3 customers", complaint.severity_reason)
        severity = self._tracked(complaint, "severity")
        self.assertEqual(severity.mapped("new_value_char"), ["Major"])
        self.assertTrue(self._tracked(complaint, "severity_reason"))

    def test_three_customers_at_intake(self):
        complaint = self._complaint(
            user=self.user,
            affected_partner_ids=[Command.set((self.other_customer | self.third).ids)],
        )
        self.assertEqual(complaint.severity, "major")
        self.assertEqual(complaint.state, "new")

    def test_removing_a_customer_does_not_lower(self):
        complaint = self._complaint(
            user=self.user,
            affected_partner_ids=[Command.set((self.other_customer | self.third).ids)],
        )
        self.assertEqual(complaint.severity, "major")
        complaint.with_user(self.user).write(
            {"affected_partner_ids": [Command.unlink(self.third.id)]}
        )
        self.assertEqual(complaint.customer_count, 2)
        self.assertEqual(complaint.severity, "major", "never lowered")
        self.assertTrue(complaint.severity_reason, "the reason stays on record")

    def test_manager_confirmed_severity_is_kept(self):
        complaint = self._complaint(
            affected_partner_ids=[Command.set((self.other_customer | self.third).ids)],
        )
        self._to_state(complaint, "investigating")
        # The manager confirms the case as critical, in writing.
        self.env["complaint.intake.correction"].with_user(self.manager).create(
            {
                "complaint_id": complaint.id,
                "date_received": complaint.date_received,
                "partner_id": complaint.partner_id.id,
                "category_id": complaint.category_id.id,
                "severity": "critical",
                "channel": complaint.channel,
                "policy_id": complaint.policy_id.id,
                "reason": "Confirmed by the director.",
            }
        ).action_apply()
        self.assertEqual(complaint.severity, "critical")
        complaint.with_user(self.handler).write(
            {"affected_partner_ids": [Command.unlink(self.third.id)]}
        )
        self.assertEqual(complaint.severity, "critical")
        complaint.with_user(self.handler).write(
            {"affected_partner_ids": [Command.link(self.fourth.id)]}
        )
        self.assertEqual(complaint.severity, "critical", "not lowered to major")

    def test_raised_while_investigating(self):
        complaint = self._complaint()
        self._to_state(complaint, "investigating")
        complaint.with_user(self.handler).write(
            {
                "affected_partner_ids": [
                    Command.set((self.other_customer | self.third).ids)
                ]
            }
        )
        self.assertEqual(complaint.severity, "major")

    def test_escalation_starts_at_the_director(self):
        group = self._complaint(
            affected_partner_ids=[Command.set((self.other_customer | self.third).ids)],
        )
        single = self._complaint()
        now = fields.Datetime.now()
        (group | single).sudo().write({"date_ack_deadline": now - timedelta(hours=1)})
        for complaint in group | single:
            complaint._escalate(now)
        self.assertEqual(group.escalation_level, 2, "major cases start at level 2")
        self.assertEqual(single.escalation_level, 1)

    # Media and safety -----------------------------------------------------------
    def test_media_channel_and_flag(self):
        press = self._complaint(user=self.user, channel="media")
        self.assertEqual(press.severity, "major")
        self.assertIn("media exposure", press.severity_reason)
        phoned = self._complaint(user=self.user)
        self.assertEqual(phoned.severity, "general")
        phoned.with_user(self.user).is_media_exposure = True
        self.assertEqual(phoned.severity, "major")
        phoned.with_user(self.user).is_media_exposure = False
        self.assertEqual(phoned.severity, "major", "never lowered")

    def test_safety_is_major_with_the_same_day_policy(self):
        safety_policy = self.env.ref("complaint_center.complaint_policy_safety")
        complaint = self._complaint(user=self.user, is_safety=True)
        self.assertEqual(complaint.severity, "major")
        self.assertIn("safety incident", complaint.severity_reason)
        self.assertEqual(complaint.policy_id, safety_policy)
        self.assertLessEqual(
            complaint.date_ack_deadline, complaint.date_received + timedelta(hours=4)
        )
        # Whatever the category: a quality complaint too.
        quality = self.env.ref("complaint_center.complaint_category_product_quality")
        other = self._complaint(user=self.user, category_id=quality.id)
        self.assertNotEqual(other.policy_id, safety_policy)
        other.with_user(self.user).is_safety = True
        self.assertEqual(other.policy_id, safety_policy)
        self.assertEqual(other.severity, "major")

    def test_safety_policy_is_configurable(self):
        safety_policy = self.env.ref("complaint_center.complaint_policy_safety")
        safety_policy.with_user(self.manager).ack_hours = 2
        complaint = self._complaint(is_safety=True)
        self.assertEqual(complaint.policy_id, safety_policy)
        self.assertEqual(
            complaint.date_ack_deadline, complaint.date_received + timedelta(hours=2)
        )
        safety_policy.with_user(self.manager).active = False
        later = self._complaint(is_safety=True)
        self.assertNotEqual(later.policy_id, safety_policy)

    # Attacks ---------------------------------------------------------------------
    def test_clerk_cannot_write_what_the_server_decides(self):
        complaint = self._complaint(user=self.user)
        before = complaint.read(
            ["severity_reason", "customer_count", "is_group_complaint", "severity"]
        )
        for vals in (
            {"severity_reason": "I say so"},
            {"customer_count": 9},
            {"is_group_complaint": True},
        ):
            for ctx in ({}, {"install_mode": True, "complaint_transition": True}):
                with self.subTest(vals=vals, ctx=ctx), mute_logger("odoo.models"):
                    with self.assertRaises(AccessError):
                        complaint.with_user(self.user).with_context(**ctx).write(vals)
        complaint.invalidate_recordset()
        self.assertEqual(
            complaint.read(
                ["severity_reason", "customer_count", "is_group_complaint", "severity"]
            ),
            before,
        )
        with mute_logger("odoo.models"), self.assertRaises(AccessError):
            self.env["complaint.complaint"].with_user(self.user).create(
                {
                    "partner_id": self.customer.id,
                    "severity_reason": "forged",
                }
            )

    def test_facts_freeze_with_the_plan(self):
        complaint = self._complaint()
        self._to_state(complaint, "proposed")
        for vals in (
            {"is_safety": True},
            {"is_media_exposure": True},
            {
                "affected_partner_ids": [
                    Command.set((self.other_customer | self.third).ids)
                ]
            },
        ):
            for user in (self.handler, self.manager):
                with (
                    self.subTest(vals=vals, user=user.login),
                    mute_logger("odoo.models"),
                ):
                    with self.assertRaises(UserError):
                        complaint.with_user(user).write(vals)
        self.assertFalse(complaint.is_safety)
        self.assertFalse(complaint.affected_partner_ids)
        self.assertEqual(complaint.severity, "general")

    def test_clerk_cannot_choose_severity_after_intake(self):
        complaint = self._complaint(user=self.user)
        self._to_state(complaint, "investigating")
        with mute_logger("odoo.models"), self.assertRaises(UserError):
            complaint.with_user(self.handler).write({"severity": "critical"})
        self.assertEqual(complaint.severity, "general")

    # Joining a group ---------------------------------------------------------------
    def test_join_group_both_ways(self):
        first = self._complaint(user=self.user)
        second = self._complaint(user=self.user, partner_id=self.other_customer.id)
        second.with_user(self.user).with_context(
            default_similar_origin_id=first.id
        ).action_join_group()
        self.assertEqual(first.affected_partner_ids, self.other_customer)
        self.assertEqual(second.affected_partner_ids, self.customer)
        self.assertEqual(first.severity, "general")
        third = self._complaint(user=self.user, partner_id=self.third.id)
        first.with_user(self.user).with_context(
            default_similar_origin_id=third.id
        ).action_join_group()
        self.assertEqual(third.customer_count, 3)
        self.assertEqual(first.customer_count, 3)
        self.assertEqual((first | third).mapped("severity"), ["major", "major"])

    def test_join_needs_a_saved_origin_and_write_access(self):
        first = self._complaint(user=self.user)
        second = self._complaint(user=self.user2, partner_id=self.other_customer.id)
        with self.assertRaises(UserError):
            second.with_user(self.user2).action_join_group()
        with mute_logger("odoo.models"), self.assertRaises(AccessError):
            second.with_user(self.user2).with_context(
                default_similar_origin_id=first.id
            ).action_join_group()
        self.assertFalse(first.affected_partner_ids)
        self.assertFalse(second.affected_partner_ids)
