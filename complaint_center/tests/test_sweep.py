from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import ESCALATION, ComplaintCase

RECEIVED = datetime(2026, 11, 16, 2, 0)  # Monday 10:00 in Shanghai


@tagged("post_install", "-at_install")
class TestSweep(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.head = cls.env["hr.employee"].create(
            {"name": "Head of Quality", "user_id": cls.manager2.id}
        )
        cls.department.manager_id = cls.head
        cls.company.complaint_director_id = cls.manager
        cls.company.complaint_executive_id = cls.executive
        cls.escalation_type = cls.env.ref(
            "complaint_center.mail_activity_type_complaint_escalation"
        )
        cls.Complaint = cls.env["complaint.complaint"]
        # The sweeps look at every complaint of the database; take those that
        # exist already (demo data) out of their reach for these tests.
        cls.env.flush_all()
        cls.env.cr.execute(
            "UPDATE complaint_complaint "
            "SET date_next_escalation = NULL, date_next_followup = NULL"
        )
        cls.env.invalidate_all()

    def _escalations(self, complaint):
        return complaint.activity_ids.filtered(
            lambda a: a.activity_type_id == self.escalation_type
        )

    def test_escalates_one_level_per_interval_and_once(self):
        with freeze_time(RECEIVED):
            complaint = self._complaint(date_received=RECEIVED)
            complaint.with_user(self.handler).action_accept()
        deadline = complaint.date_resolve_deadline
        with freeze_time(deadline - timedelta(minutes=1)):
            self.assertEqual(self.Complaint._cron_escalate_overdue(), 0)
        with freeze_time(deadline + timedelta(minutes=5)):
            self.assertEqual(self.Complaint._cron_escalate_overdue(), 1)
            self.assertEqual(complaint.escalation_level, 1)
            self.assertEqual(
                self._escalations(complaint).user_id, self.handler | self.manager2
            )
            self.assertEqual(complaint.delay_responsible_id, self.handler)
            messages = len(complaint.message_ids)
            activities = len(complaint.activity_ids)
            # Idempotent: nothing new, nothing sent.
            self.assertEqual(self.Complaint._cron_escalate_overdue(), 0)
            self.assertEqual(len(complaint.message_ids), messages)
            self.assertEqual(len(complaint.activity_ids), activities)
        with freeze_time(deadline + timedelta(hours=12)):
            self.assertEqual(self.Complaint._cron_escalate_overdue(), 0)
        with freeze_time(deadline + timedelta(hours=24, minutes=10)):
            self.assertEqual(self.Complaint._cron_escalate_overdue(), 1)
            self.assertEqual(complaint.escalation_level, 2)
            self.assertIn(self.manager, self._escalations(complaint).user_id)
        with freeze_time(deadline + timedelta(hours=48, minutes=15)):
            self.assertEqual(self.Complaint._cron_escalate_overdue(), 1)
            self.assertEqual(complaint.escalation_level, 3)
            self.assertIn(self.executive, self._escalations(complaint).user_id)
            self.assertFalse(complaint.date_next_escalation)
        with freeze_time(deadline + timedelta(days=10)):
            self.assertEqual(self.Complaint._cron_escalate_overdue(), 0)
            self.assertEqual(complaint.escalation_level, 3)
        bodies = complaint.message_ids.mapped("body")
        self.assertEqual(sum("escalated to level" in str(b) for b in bodies), 3)

    def test_major_starts_at_director(self):
        with freeze_time(RECEIVED):
            complaint = self._complaint(date_received=RECEIVED, severity="major")
        with freeze_time(complaint.date_ack_deadline + timedelta(minutes=1)):
            self.Complaint._cron_escalate_overdue()
        self.assertEqual(complaint.escalation_level, 2)
        self.assertEqual(self._escalations(complaint).user_id, self.manager)

    def test_new_deadline_restarts_the_ladder(self):
        with freeze_time(RECEIVED):
            complaint = self._complaint(date_received=RECEIVED)
        with freeze_time(complaint.date_ack_deadline + timedelta(minutes=1)):
            self.Complaint._cron_escalate_overdue()
            self.assertEqual(complaint.escalation_level, 1)
            complaint.with_user(self.handler).action_accept()
            self.assertEqual(complaint.escalation_level, 0)
            self.assertFalse(complaint.is_overdue)
            self.assertEqual(self.Complaint._cron_escalate_overdue(), 0)
        with freeze_time(complaint.date_resolve_deadline + timedelta(minutes=1)):
            self.Complaint._cron_escalate_overdue()
            self.assertEqual(complaint.escalation_level, 1)

    def test_batch_limit(self):
        with freeze_time(RECEIVED):
            complaints = self.Complaint.create(
                [
                    {"partner_id": self.customer.id, "date_received": RECEIVED}
                    for _i in range(5)
                ]
            )
        with freeze_time(RECEIVED + timedelta(days=2)):
            done = [
                self.Complaint._cron_escalate_overdue(batch_size=2) for _i in range(4)
            ]
        self.assertEqual(done, [2, 2, 1, 0])
        self.assertEqual(set(complaints.mapped("escalation_level")), {1})

    def test_cron_reports_progress(self):
        cron = self.env.ref("complaint_center.ir_cron_complaint_escalate")
        self.assertEqual(cron.interval_number, 15)
        self.assertEqual(cron.interval_type, "minutes")
        with freeze_time(RECEIVED):
            self.Complaint.create(
                [
                    {"partner_id": self.customer.id, "date_received": RECEIVED}
                    for _i in range(3)
                ]
            )
        cron, progress = cron._add_progress()
        with freeze_time(RECEIVED + timedelta(days=2)):
            self.Complaint.with_context(
                ir_cron_progress_id=progress.id
            )._cron_escalate_overdue(batch_size=2)
        self.assertEqual((progress.done, progress.remaining), (2, 1))

    def _sweep_queries(self, open_count):
        """Queries of one sweep with ``open_count`` complaints not overdue and
        one overdue."""
        with freeze_time(RECEIVED):
            self.Complaint.with_context(tracking_disable=True).create(
                [
                    {
                        "partner_id": self.customer.id,
                        "date_received": RECEIVED + timedelta(days=30),
                    }
                    for _i in range(open_count)
                ]
                + [{"partner_id": self.customer.id, "date_received": RECEIVED}]
            )
        self.env.flush_all()
        self.env.invalidate_all()
        with freeze_time(RECEIVED + timedelta(days=2)):
            before = self.cr.sql_log_count
            self.assertEqual(self.Complaint._cron_escalate_overdue(), 1)
            self.env.flush_all()
            return self.cr.sql_log_count - before

    def test_sweep_queries_do_not_grow_with_open_complaints(self):
        counts = []
        for open_count in (0, 10):  # the first run warms the caches
            with self.cr.savepoint(flush=False) as sp:
                counts.append(self._sweep_queries(open_count))
                sp.rollback()
            # Records created in the savepoint (sequences...) are gone.
            self.env.invalidate_all()
            self.env.registry.clear_cache()
        few = counts[-1]
        many = self._sweep_queries(1000)
        self.assertEqual(few, many)
        self.assertLess(many, 60)

    def test_followups_every_interval(self):
        followup = self.env.ref(
            "complaint_center.mail_activity_type_complaint_followup"
        )
        with freeze_time(RECEIVED):
            complaint = self._complaint(date_received=RECEIVED)
        with freeze_time(RECEIVED + timedelta(days=2)):
            self.assertEqual(self.Complaint._cron_schedule_followups(), 0)
        with freeze_time(RECEIVED + timedelta(days=3, minutes=1)):
            self.assertEqual(self.Complaint._cron_schedule_followups(), 1)
            self.assertEqual(self.Complaint._cron_schedule_followups(), 0)
        with freeze_time(RECEIVED + timedelta(days=6, minutes=2)):
            self.assertEqual(self.Complaint._cron_schedule_followups(), 1)
        todo = complaint.activity_ids.filtered(lambda a: a.activity_type_id == followup)
        self.assertEqual(len(todo), 2)
        self.assertEqual(todo.user_id, self.handler)
        complaint.rejection_reason = "Duplicate"
        complaint.with_user(self.manager).action_reject()
        self.assertFalse(complaint.date_next_followup)

    def _unrouted(self):
        """A complaint nobody handles: its category routes nowhere; the clerk
        who logged it is its first responder (首问负责制)."""
        category = self.env["complaint.category"].create(
            {"name": "Unrouted T", "code": "URT"}
        )
        with freeze_time(RECEIVED):
            complaint = self._complaint(
                user=self.user, category_id=category.id, date_received=RECEIVED
            )
        self.assertFalse(complaint.user_id)
        self.assertFalse(complaint.department_id)
        self.assertEqual(complaint.first_responder_id, self.user)
        return complaint

    def test_escalation_falls_back_to_the_first_responder(self):
        complaint = self._unrouted()
        deadline = complaint.date_ack_deadline
        with freeze_time(deadline + timedelta(minutes=5)):
            self.assertEqual(self.Complaint._cron_escalate_overdue(), 1)
        self.assertEqual(complaint.escalation_level, 1)
        self.assertEqual(self._escalations(complaint).user_id, self.user)

    def test_followups_fall_back_to_the_first_responder(self):
        followup = self.env.ref(
            "complaint_center.mail_activity_type_complaint_followup"
        )
        complaint = self._unrouted()
        with freeze_time(RECEIVED + timedelta(days=3, minutes=1)):
            self.assertEqual(self.Complaint._cron_schedule_followups(), 1)
        todo = complaint.activity_ids.filtered(lambda a: a.activity_type_id == followup)
        self.assertEqual(todo.user_id, self.user)

    def test_delay_responsible_is_who_held_it_at_the_deadline(self):
        with freeze_time(RECEIVED):
            complaint = self._complaint(date_received=RECEIVED)
            self._flush_tracking()
            complaint.with_user(self.handler).action_accept()
            self._flush_tracking()
        with freeze_time(complaint.date_resolve_deadline + timedelta(hours=3)):
            complaint.user_id = self.handler2
            self._flush_tracking()
            complaint.write(
                {"resolution_type": "apology", "resolution": "<p>Sorry</p>"}
            )
            complaint.with_user(self.handler2).action_propose()
            complaint.with_user(self.manager).action_approve()
            complaint.with_user(self.handler2).action_resolve()
        self.assertFalse(complaint.resolve_on_time)
        self.assertEqual(complaint.delay_responsible_id, self.handler)

    def test_on_time_resolution_has_no_delay_responsible(self):
        with freeze_time(RECEIVED):
            complaint = self._to_state(
                self._complaint(date_received=RECEIVED), "resolved"
            )
        self.assertTrue(complaint.resolve_on_time)
        self.assertFalse(complaint.delay_responsible_id)

    def test_met_deadline_answers_the_escalation(self):
        self.company.complaint_director_id = self.manager
        with freeze_time(RECEIVED):
            complaint = self._complaint(date_received=RECEIVED)
        with freeze_time(complaint.date_ack_deadline + timedelta(minutes=1)):
            complaint._escalate(datetime.now())
            self.assertTrue(self._activities(complaint, ESCALATION))
            complaint.with_user(self.handler).action_accept()
            self.assertFalse(self._activities(complaint, ESCALATION))
