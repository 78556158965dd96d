"""紧急程度和影响范围 (003): urgency and scope of impact are assessed at
classification, choose the deadline policy (most specific wins) and break
down the statistics and the Complaints Analysis."""

from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ComplaintCase

RECEIVED = datetime(2026, 10, 12, 2, 0)  # Monday 10:00 in Shanghai


@tagged("post_install", "-at_install")
class TestUrgencyImpact(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Policy = cls.env["complaint.policy"]
        cls.urgent = Policy.create(
            {
                "name": "Urgent T",
                "company_id": cls.company.id,
                "urgency": "urgent",
                "ack_hours": 2,
                "resolve_days": 1,
            }
        )
        cls.urgent_quality = Policy.create(
            {
                "name": "Urgent Quality T",
                "company_id": cls.company.id,
                "category_ids": [Command.set(cls.category.ids)],
                "urgency": "urgent",
                "ack_hours": 1,
                "resolve_days": 1,
            }
        )
        cls.wide = Policy.create(
            {
                "name": "Wide T",
                "company_id": cls.company.id,
                "impact_scope": "wide",
                "ack_hours": 4,
                "resolve_days": 2,
            }
        )
        cls.other_category = cls.env["complaint.category"].create(
            {"name": "Billing T", "code": "BT"}
        )

    def test_defaults_and_policy_matching(self):
        complaint = self._complaint(user=self.user, category_id=self.other_category.id)
        self.assertEqual(
            (complaint.urgency, complaint.impact_scope), ("normal", "individual")
        )
        self.assertNotIn(complaint.policy_id, self.urgent | self.wide)
        self.assertEqual(
            self._complaint(
                user=self.user, category_id=self.other_category.id, urgency="urgent"
            ).policy_id,
            self.urgent,
        )
        # Category and urgency beat urgency alone.
        self.assertEqual(
            self._complaint(user=self.user, urgency="urgent").policy_id,
            self.urgent_quality,
        )
        self.assertEqual(
            self._complaint(
                user=self.user, category_id=self.other_category.id, impact_scope="wide"
            ).policy_id,
            self.wide,
        )

    def test_assessed_while_investigating_recounts_the_deadlines(self):
        with freeze_time(RECEIVED):
            complaint = self._complaint(
                user=self.user,
                category_id=self.other_category.id,
                user_id=self.handler.id,
                date_received=RECEIVED,
            )
            complaint.with_user(self.handler).action_accept()
            complaint.with_user(self.handler).urgency = "urgent"
        self.assertEqual(complaint.policy_id, self.urgent)
        # By hand: 1 working day after Monday 12 October, end of work on
        # Tuesday at 17:00 in Shanghai.
        self.assertEqual(complaint.date_resolve_deadline, datetime(2026, 10, 13, 9, 0))

    def test_frozen_with_the_plan(self):
        complaint = self._to_state(self._complaint(), "proposed")
        for user in (self.handler, self.manager):
            for vals in ({"urgency": "emergency"}, {"impact_scope": "wide"}):
                with (
                    self.subTest(user=user.login, vals=vals),
                    mute_logger("odoo.models"),
                    self.assertRaises(UserError),
                ):
                    complaint.with_user(user).write(vals)
        complaint.invalidate_recordset()
        self.assertEqual(
            (complaint.urgency, complaint.impact_scope), ("normal", "individual")
        )

    def test_statistics_break_down_by_urgency_and_scope(self):
        with freeze_time(RECEIVED):
            self._complaint(date_received=RECEIVED, urgency="urgent")
            self._complaint(date_received=RECEIVED, urgency="urgent")
            self._complaint(
                date_received=RECEIVED, urgency="emergency", impact_scope="wide"
            )
        self.env.flush_all()
        stats = self.env["complaint.statistics"].with_user(self.manager)
        ours = [("category_id", "=", self.category.id)]
        figures = stats._figures(self.company, stats._period("month", 2026, 10))
        urgency = {row["key"]: row["count"] for row in figures["by_urgency"]}
        scope = {row["key"]: row["count"] for row in figures["by_impact_scope"]}
        # Demo complaints may fall in October too: at least ours.
        self.assertGreaterEqual(urgency.get("urgent", 0), 2)
        self.assertGreaterEqual(urgency.get("emergency", 0), 1)
        self.assertGreaterEqual(scope.get("wide", 0), 1)
        groups = (
            self.env["complaint.report"]
            .with_user(self.manager)
            ._read_group(ours, ["urgency", "impact_scope"], ["__count"])
        )
        self.assertEqual(
            sorted(groups),
            [("emergency", "wide", 1), ("urgent", "individual", 2)],
        )
