from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import ComplaintCase

# Friday 25 September 2026, 19:30 in Shanghai.
FRIDAY_EVENING = datetime(2026, 9, 25, 11, 30)


@tagged("post_install", "-at_install")
class TestDeadlines(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.standard = cls.env.ref("complaint_center.complaint_policy_standard")
        cls.quality = cls.env.ref("complaint_center.complaint_category_product_quality")
        cls.china = cls.env.ref("base.cn")
        cls.company.country_id = cls.china
        cls.customer.country_id = cls.china
        cls.calendar = cls.company.resource_calendar_id
        cls.calendar.tz = "Asia/Shanghai"

    def _holiday(self, first, last):
        """A public holiday from ``first`` to ``last`` (local dates, whole days)."""
        return self.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": self.calendar.id,
                "date_from": datetime.combine(first, datetime.min.time())
                - timedelta(hours=8),
                "date_to": datetime.combine(last, datetime.max.time()).replace(
                    microsecond=0
                )
                - timedelta(hours=8),
            }
        )

    # Policies -------------------------------------------------------------
    def test_policy_matching(self):
        general = self._complaint()
        self.assertEqual(general.policy_id, self.standard)
        quality = self._complaint(category_id=self.quality.id)
        self.assertEqual(
            quality.policy_id,
            self.env.ref("complaint_center.complaint_policy_quality_domestic"),
        )
        self.other_customer.country_id = self.env.ref("base.fr")
        foreign = self._complaint(
            category_id=self.quality.id, partner_id=self.other_customer.id
        )
        self.assertEqual(
            foreign.policy_id,
            self.env.ref("complaint_center.complaint_policy_quality_foreign"),
        )
        regulator = self._complaint(channel="regulator")
        self.assertEqual(
            regulator.policy_id,
            self.env.ref("complaint_center.complaint_policy_regulator"),
        )
        # Recomputed when the classification changes.
        general.category_id = self.quality
        self.assertEqual(quality.policy_id, general.policy_id)

    def test_company_policy_beats_shared_default(self):
        own = self.env["complaint.policy"].create(
            {"name": "Ours", "company_id": self.company.id, "resolve_days": 5}
        )
        self.assertEqual(self._complaint().policy_id, own)
        other_company = self.env["complaint.policy"].create(
            {
                "name": "Theirs",
                "company_id": self.env["res.company"].create({"name": "Elsewhere"}).id,
                "resolve_days": 9,
            }
        )
        self.assertNotEqual(self._complaint().policy_id, other_company)

    def test_bad_policy_values_refused(self):
        with self.assertRaises(ValidationError):
            self.env["complaint.policy"].create({"name": "Zero", "resolve_days": 0})

    # Working time -----------------------------------------------------------
    def test_friday_evening_before_public_holiday(self):
        # Holiday Monday 28 to Wednesday 30 September.
        self._holiday(datetime(2026, 9, 28).date(), datetime(2026, 9, 30).date())
        complaint = self._complaint(date_received=FRIDAY_EVENING)
        # By hand: Thu 1 Oct, Fri 2 Oct, Mon 5 Oct; work ends 17:00 = 09:00 UTC.
        self.assertEqual(complaint.date_resolve_deadline, datetime(2026, 10, 5, 9, 0))
        # Acknowledgement runs round the clock: Saturday 19:30.
        self.assertEqual(complaint.date_ack_deadline, datetime(2026, 9, 26, 11, 30))

    def test_received_on_holiday_and_after_hours(self):
        self._holiday(datetime(2026, 9, 28).date(), datetime(2026, 9, 28).date())
        on_holiday = self._complaint(date_received=datetime(2026, 9, 28, 2, 0))
        # Tue 29, Wed 30 Sep, Thu 1 Oct.
        self.assertEqual(on_holiday.date_resolve_deadline, datetime(2026, 10, 1, 9, 0))
        late = self._complaint(date_received=datetime(2026, 9, 29, 14, 0))  # 22:00
        self.assertEqual(late.date_resolve_deadline, datetime(2026, 10, 2, 9, 0))

    def test_year_boundary(self):
        self._holiday(datetime(2027, 1, 1).date(), datetime(2027, 1, 1).date())
        complaint = self._complaint(date_received=datetime(2026, 12, 31, 8, 0))
        # Mon 4, Tue 5, Wed 6 January 2027.
        self.assertEqual(complaint.date_resolve_deadline, datetime(2027, 1, 6, 9, 0))

    def test_calendar_days_and_regulator_deadlines(self):
        quality = self._complaint(
            category_id=self.quality.id, date_received=datetime(2026, 9, 25, 2, 0)
        )
        # 15 calendar days: 10 October, end of day in Shanghai.
        self.assertEqual(
            quality.date_resolve_deadline, datetime(2026, 10, 10, 15, 59, 59)
        )
        # The regulator's own stages alone: no reply promised by default
        # (the 3-day reply default: test_reply_default.py).
        self.company.complaint_reply_days = 0
        regulator = self._complaint(
            channel="regulator", date_received=FRIDAY_EVENING, user_id=False
        )
        # Accept within 7 working days: Mon 28 Sep .. Tue 6 Oct.
        self.assertEqual(regulator.date_ack_deadline, datetime(2026, 10, 6, 9, 0))
        with freeze_time("2026-09-29 02:00:00"):
            regulator.with_user(self.manager).action_accept()
        self.assertEqual(
            regulator.date_decision_deadline, datetime(2026, 10, 2, 15, 59, 59)
        )
        # Finish within 15 days of acceptance.
        self.assertEqual(
            regulator.date_resolve_deadline, datetime(2026, 10, 14, 15, 59, 59)
        )
        self.assertEqual(regulator.next_deadline, regulator.date_decision_deadline)
        regulator.user_id = self.handler
        self.assertTrue(regulator.date_decided)
        self.assertEqual(regulator.next_deadline, regulator.date_resolve_deadline)

    def test_due_soon_only_near_the_end_of_the_stage(self):
        # Issue 23 item 14: with a 24-hour acknowledgement and a 24-hour
        # threshold, every complaint was "Due Soon" from its receipt.
        received = datetime(2026, 9, 22, 2, 0)  # Tuesday, 10:00 in Shanghai
        with freeze_time(received):
            complaint = self._complaint(date_received=received)
            self.assertEqual(
                complaint.date_ack_deadline, received + timedelta(hours=24)
            )
            self.assertEqual(complaint.deadline_status, "on_time")
        for hours_left, status in ((7, "on_time"), (5, "due_soon"), (-1, "overdue")):
            with freeze_time(complaint.date_ack_deadline - timedelta(hours=hours_left)):
                complaint.invalidate_recordset(["is_overdue", "deadline_status"])
                self.assertEqual(complaint.deadline_status, status, hours_left)
        # A long stage is due soon in its last 24 hours only; a stage starts
        # again at the acknowledgement.
        self.assertEqual(
            complaint._due_soon_window(received + timedelta(days=10)),
            timedelta(hours=24),
        )
        with freeze_time(received + timedelta(hours=2)):
            complaint.with_user(self.handler).action_accept()
        self.assertEqual(
            complaint._due_soon_window(received + timedelta(hours=42)),
            timedelta(hours=10),
        )
        # An unsaved complaint has no deadline yet: neither due nor done.
        with Form(self.env["complaint.complaint"].with_user(self.user)) as form:
            form.partner_id = self.customer
            self.assertFalse(form.deadline_status)
            form.category_id = self.category
            form.description = "<p>Late.</p>"

    def test_time_travel_through_each_deadline(self):
        with freeze_time(FRIDAY_EVENING):
            complaint = self._complaint(date_received=FRIDAY_EVENING)
            self.assertEqual(complaint.next_deadline, complaint.date_ack_deadline)
            self.assertFalse(complaint.is_overdue)
        overdue = [("is_overdue", "=", True), ("id", "=", complaint.id)]
        with freeze_time(complaint.date_ack_deadline + timedelta(minutes=1)):
            complaint.invalidate_recordset(["is_overdue", "deadline_status"])
            self.assertTrue(complaint.is_overdue)
            self.assertEqual(self.env["complaint.complaint"].search(overdue), complaint)
            complaint.with_user(self.handler).action_accept()
            self.assertFalse(complaint.ack_on_time)
            self.assertEqual(complaint.next_deadline, complaint.date_resolve_deadline)
            self.assertFalse(self.env["complaint.complaint"].search(overdue))
        with freeze_time(complaint.date_resolve_deadline - timedelta(hours=2)):
            complaint.invalidate_recordset(["is_overdue", "deadline_status"])
            self.assertEqual(complaint.deadline_status, "due_soon")
            self._to_state(complaint, "resolved")
            self.assertTrue(complaint.resolve_on_time)
            self.assertEqual(complaint.next_deadline, complaint.date_visit_deadline)
        with freeze_time(complaint.date_visit_deadline + timedelta(seconds=1)):
            self.assertEqual(self.env["complaint.complaint"].search(overdue), complaint)
            complaint.satisfaction = "satisfied"
            complaint.with_user(self.handler).action_record_feedback()
            self.assertFalse(complaint.visit_on_time)
            self.assertFalse(complaint.next_deadline)
            self.assertFalse(self.env["complaint.complaint"].search(overdue))

    def test_promised_reply(self):
        complaint = self._to_state(self._complaint(), "investigating")
        promised = complaint.date_resolve_deadline - timedelta(days=1)
        complaint.date_promised_reply = promised
        self.assertEqual(complaint.next_deadline, promised)
        for outsider in (self.handler3, self.user):
            with self.assertRaises(AccessError):
                complaint.with_user(outsider).action_record_reply()
        complaint.with_user(self.handler).action_record_reply()
        self.assertTrue(complaint.date_replied)
        self.assertEqual(complaint.next_deadline, complaint.date_resolve_deadline)

    # Deadlines follow the policy, the to-do follows the deadline -----------
    def _handler_todo(self, complaint):
        return complaint.activity_ids.filtered(
            lambda act: (
                act.activity_type_id
                == self.env.ref("complaint_center.mail_activity_type_complaint_handle")
            )
        )

    def test_safety_flag_recounts_the_deadlines(self):
        """A quality complaint found to be a safety incident after intake is
        counted on the same-day policy from then on, not on the old one."""
        complaint = self._complaint(
            category_id=self.quality.id,
            user_id=self.handler.id,
            severity="major",
            date_received=datetime(2026, 9, 25, 2, 0),  # Friday 10:00
        )
        # Quality: 15 calendar days, 10 October end of day in Shanghai.
        self.assertEqual(
            complaint.date_resolve_deadline, datetime(2026, 10, 10, 15, 59, 59)
        )
        self.assertEqual(
            self._handler_todo(complaint).date_deadline.isoformat(), "2026-10-10"
        )
        complaint.with_user(self.handler).is_safety = True
        self.assertEqual(
            complaint.policy_id,
            self.env.ref("complaint_center.complaint_policy_safety"),
        )
        # By hand: 3rd working day after Friday = Wednesday 30 September,
        # end of work 17:00 = 09:00 UTC; acknowledged within 4 hours.
        self.assertEqual(complaint.date_resolve_deadline, datetime(2026, 9, 30, 9, 0))
        self.assertEqual(complaint.date_ack_deadline, datetime(2026, 9, 25, 6, 0))
        self.assertEqual(
            self._handler_todo(complaint).date_deadline.isoformat(), "2026-09-30"
        )

    def test_policy_change_while_investigating_keeps_what_was_met(self):
        complaint = self._complaint(
            category_id=self.quality.id,
            user_id=self.handler.id,
            date_received=datetime(2026, 9, 25, 2, 0),
        )
        with freeze_time("2026-09-25 03:00:00"):
            self._to_state(complaint, "investigating")
        ack_deadline = complaint.date_ack_deadline
        self.assertTrue(complaint.ack_on_time)
        complaint.with_user(self.handler).is_safety = True
        # The acknowledgement is history: its deadline and verdict stay.
        self.assertEqual(complaint.date_ack_deadline, ack_deadline)
        self.assertTrue(complaint.ack_on_time)
        # The resolution clock still runs: Wednesday 30 September, 17:00.
        self.assertEqual(complaint.date_resolve_deadline, datetime(2026, 9, 30, 9, 0))

    def test_todo_follows_an_extension(self):
        complaint = self._to_state(
            self._complaint(date_received=datetime(2026, 11, 16, 2, 0)), "investigating"
        )
        self.assertEqual(
            self._handler_todo(complaint).date_deadline.isoformat(), "2026-11-19"
        )
        self._request(complaint, self.handler, days=2).with_user(
            self.manager
        ).action_approve()
        # Thu 19 + 2 working days = Mon 23 November.
        self.assertEqual(
            self._handler_todo(complaint).date_deadline.isoformat(), "2026-11-23"
        )

    # Extensions -----------------------------------------------------------
    def _request(self, complaint, user, days=2, reason="Waiting for the lab report."):
        return (
            self.env["complaint.extension"]
            .with_user(user)
            .create({"complaint_id": complaint.id, "days": days, "reason": reason})
        )

    def test_extension_approved_moves_the_deadline(self):
        complaint = self._to_state(
            self._complaint(date_received=datetime(2026, 11, 16, 2, 0)), "investigating"
        )
        self.assertEqual(complaint.date_resolve_deadline, datetime(2026, 11, 19, 9, 0))
        ext = self._request(complaint, self.handler, days=2)
        with self.assertRaises(UserError):
            self._request(complaint, self.handler, days=1)
        with self.assertRaises(AccessError):
            ext.with_user(self.handler).action_approve()
        ext.with_user(self.manager).action_approve()
        self.assertEqual(ext.state, "approved")
        self.assertEqual(ext.decided_by_id, self.manager)
        self.assertEqual(complaint.extension_days, 2)
        # Thu 19 + 2 working days = Mon 23 November.
        self.assertEqual(complaint.date_resolve_deadline, datetime(2026, 11, 23, 9, 0))
        with self.assertRaises(UserError):
            ext.with_user(self.manager).write({"days": 4})
        with self.assertRaises(UserError):
            ext.with_user(self.manager).unlink()
        with self.assertRaises(UserError):
            ext.with_user(self.manager2).action_refuse()

    def test_extension_limits_and_roles(self):
        complaint = self._to_state(self._complaint(), "investigating")
        with self.assertRaises(ValidationError):
            self._request(complaint, self.handler, days=5)
        with self.assertRaises(AccessError):
            self._request(complaint, self.user)
        with self.assertRaises(AccessError):
            self._request(complaint, self.handler3)
        with self.assertRaises(ValidationError):
            self._request(complaint, self.handler, reason="  ")
        first = self._request(complaint, self.handler, days=3)
        first.with_user(self.manager).action_approve()
        second = self._request(complaint, self.handler, days=1)
        with self.assertRaises(AccessError):
            second.with_user(self.user).action_refuse()
        second.with_user(self.manager).action_refuse()
        self.assertEqual(complaint.extension_days, 3)
        with self.assertRaises(ValidationError):
            self._request(complaint, self.handler, days=2)
        own = self._request(complaint, self.manager, days=1)
        with self.assertRaises(AccessError):
            own.with_user(self.manager).action_approve()
        own.with_user(self.manager2).action_approve()
        self.assertEqual(complaint.extension_days, 4)

    def test_extension_refused_when_not_open(self):
        complaint = self._to_state(self._complaint(), "resolved")
        with self.assertRaises(UserError):
            self._request(complaint, self.handler)
        self.assertFalse(complaint.extension_ids)

    # One source of truth ----------------------------------------------------
    def test_regulator_stages_ordered_before_acceptance(self):
        # The regulator's own stages alone: no reply promised by default
        # (the 3-day reply default: test_reply_default.py).
        self.company.complaint_reply_days = 0
        regulator = self._complaint(
            channel="regulator", date_received=FRIDAY_EVENING, user_id=False
        )
        # Accept by Tue 6 Oct; decide within 3 days of acceptance at the
        # latest (Fri 9 Oct), finish within 15 days of it (Wed 21 Oct).
        self.assertEqual(regulator.date_ack_deadline, datetime(2026, 10, 6, 9, 0))
        self.assertEqual(
            regulator.date_decision_deadline, datetime(2026, 10, 9, 15, 59, 59)
        )
        self.assertEqual(
            regulator.date_resolve_deadline, datetime(2026, 10, 21, 15, 59, 59)
        )
        self.assertEqual(
            regulator.policy_id.rule_summary,
            "acknowledge within 7 working days · decide within 3 days of "
            "acknowledgement · resolve within 15 days of acknowledgement "
            "(+4 working days by extension) · return visit within 2 working days",
        )

    def test_settings_changes_never_shift_stored_deadlines(self):
        first = self._complaint(date_received=FRIDAY_EVENING)
        stored = (first.date_ack_deadline, first.date_resolve_deadline)
        # An administrator's edit of the calendar: another time zone, and
        # work ending at 18:00.
        self.calendar.tz = "UTC"
        self.calendar.attendance_ids.filtered(
            lambda att: att.hour_to == 17.0
        ).hour_to = 18.0
        first.invalidate_recordset()
        self.assertEqual((first.date_ack_deadline, first.date_resolve_deadline), stored)
        # Moving on through the lifecycle does not recount the receipt clock.
        self._to_state(first, "investigating")
        self.assertEqual(first.date_resolve_deadline, stored[1])
        # Only a manager recomputes on purpose, and the chatter tracks it.
        with self.assertRaises(AccessError):
            first.with_user(self.handler).action_recompute_deadlines()
        self.assertEqual(first.date_resolve_deadline, stored[1])
        first.with_user(self.manager).action_recompute_deadlines()
        # Mon 28, Tue 29, Wed 30 September until 18:00 UTC now.
        self.assertEqual(first.date_resolve_deadline, datetime(2026, 9, 30, 18, 0))
        self._flush_tracking()
        tracked = first.message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "date_resolve_deadline"
        )
        self.assertTrue(tracked)
        self.assertIn("Deadlines recomputed", "".join(first.message_ids.mapped("body")))

    def test_workflow_writes_of_deadlines_refused(self):
        complaint = self._complaint(date_received=FRIDAY_EVENING)
        before = complaint.date_resolve_deadline
        for user in (self.user, self.handler, self.manager):
            with self.assertRaises(AccessError):
                complaint.with_user(user).write(
                    {"date_resolve_deadline": datetime(2027, 6, 1)}
                )
        self.assertEqual(complaint.date_resolve_deadline, before)

    def test_two_week_calendar_and_validity_dates(self):
        calendar = self.env["resource.calendar"].create(
            {
                "name": "Alternating Saturdays",
                "tz": "Asia/Shanghai",
                "two_weeks_calendar": True,
                "attendance_ids": [],
            }
        )
        Attendance = self.env["resource.calendar.attendance"]
        for week in ("0", "1"):
            days = range(6) if week == "0" else range(5)
            for day in days:
                Attendance.create(
                    {
                        "calendar_id": calendar.id,
                        "name": f"Day {day}",
                        "dayofweek": str(day),
                        "hour_from": 8.0,
                        "hour_to": 17.0,
                        "week_type": week,
                        "day_period": "morning",
                    }
                )
        self.standard.resource_calendar_id = calendar
        saturday_week = Attendance.get_week_type(datetime(2026, 11, 28).date())
        received = datetime(2026, 11, 26, 2, 0)  # Thursday 10:00 in Shanghai
        complaint = self._complaint(date_received=received)
        if saturday_week == 0:
            # Fri 27, Sat 28 (a working Saturday), Mon 30 November.
            expected = datetime(2026, 11, 30, 9, 0)
        else:
            # Fri 27, Mon 30 November, Tue 1 December.
            expected = datetime(2026, 12, 1, 9, 0)
        self.assertEqual(complaint.date_resolve_deadline, expected)
        # An attendance ending before the receipt is ignored.
        calendar.attendance_ids.filtered(lambda att: att.dayofweek == "4").write(
            {"date_to": datetime(2026, 11, 1).date()}
        )
        later = self._complaint(date_received=received)
        self.assertGreater(later.date_resolve_deadline, expected)

    def test_calendar_without_working_time_refused(self):
        empty = self.env["resource.calendar"].create(
            {"name": "Nobody works", "tz": "Asia/Shanghai", "attendance_ids": []}
        )
        self.standard.resource_calendar_id = empty
        with self.assertRaises(UserError):
            self._complaint(date_received=FRIDAY_EVENING)
