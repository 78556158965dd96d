"""Query-count guards of the batch paths (issue: fast at 100,000 complaints).

The cost of creating complaints in a batch, and of a sweep batch, must not
grow with the number of complaints in it: references are taken once per
company and month, handlers' to-dos and escalations are inserted at once,
notes are logged at once and each person gets one mail per batch.
"""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import tagged

from .common import ComplaintCase

RECEIVED = datetime(2026, 11, 16, 2, 0)  # Monday 10:00 in Shanghai


@tagged("post_install", "-at_install")
class TestBatchQueries(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Complaint = cls.env["complaint.complaint"]
        cls.head = cls.env["hr.employee"].create(
            {"name": "Head of Quality", "user_id": cls.manager2.id}
        )
        cls.department.manager_id = cls.head
        cls.company.complaint_director_id = cls.manager
        cls.company.complaint_executive_id = cls.executive
        # The sweeps look at every complaint of the database (demo data too).
        cls.env.flush_all()
        cls.env.cr.execute(
            "UPDATE complaint_complaint "
            "SET date_next_escalation = NULL, date_next_followup = NULL"
        )
        cls.env.invalidate_all()

    def _vals(self, count, received=RECEIVED, **extra):
        return [
            {
                "partner_id": self.customer.id,
                "category_id": self.category.id,
                "date_received": received,
                "description": f"<p>Spoiled sauce, bottle {i}.</p>",
                **extra,
            }
            for i in range(count)
        ]

    def _create_queries(self, count, **extra):
        """Queries to create ``count`` complaints as a clerk, tracking on;
        rolled back."""
        with self.cr.savepoint(flush=False) as sp:
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            with freeze_time(RECEIVED + timedelta(hours=1)):
                self.Complaint.with_user(self.user).create(self._vals(count, **extra))
                self.env.flush_all()
            queries = self.cr.sql_log_count - before
            sp.rollback()
        self.env.invalidate_all()
        return queries

    def test_create_queries_do_not_grow_with_the_batch(self):
        self._create_queries(2)  # warm the caches (views, templates...)
        few = self._create_queries(2)
        many = self._create_queries(30)
        self.assertEqual(few, many)

    def test_major_create_queries_do_not_grow_with_the_batch(self):
        """Major complaints are reported at once to the director and the
        executive: still one insert of activities, one mail per person."""
        self._create_queries(2, severity="major")
        few = self._create_queries(2, severity="major")
        many = self._create_queries(30, severity="major")
        self.assertEqual(few, many)
        group = {
            "affected_partner_ids": [
                Command.set((self.other_customer | self.company.partner_id).ids)
            ]
        }
        self._create_queries(2, **group)
        self.assertEqual(
            self._create_queries(2, **group), self._create_queries(30, **group)
        )

    def test_batch_references_are_consecutive_per_month(self):
        march = datetime(2026, 3, 10, 2, 0)
        april = datetime(2026, 4, 10, 2, 0)
        with freeze_time(RECEIVED):
            first = self.Complaint.create(self._vals(1, march))
            batch = self.Complaint.create(
                self._vals(3, march) + self._vals(2, april) + self._vals(1, march)
            )
        serial = int(first.name.rsplit("-", 1)[1])
        prefix = first.name.rsplit("-", 1)[0]
        march_names = [n for n in batch.mapped("name") if n.startswith(prefix)]
        self.assertEqual(
            march_names,
            [f"{prefix}-{serial + i:04d}" for i in range(1, 5)],
            "one gapless run per month, in the order of the batch",
        )
        april_names = [n for n in batch.mapped("name") if not n.startswith(prefix)]
        self.assertEqual(len(april_names), 2)
        self.assertEqual(
            int(april_names[1].rsplit("-", 1)[1]),
            int(april_names[0].rsplit("-", 1)[1]) + 1,
        )
        self.assertEqual(len(set(batch.mapped("name"))), 6)

    def test_a_handler_gets_one_mail_per_batch(self):
        Message = self.env["mail.message"]
        partner = self.handler.partner_id
        before = Message.search([("partner_ids", "in", partner.ids)])
        with freeze_time(RECEIVED):
            single = self.Complaint.with_user(self.user).create(self._vals(1))
        mails = Message.search([("partner_ids", "in", partner.ids)]) - before
        # One complaint: Odoo's own "assigned to you" mail on the complaint.
        self.assertEqual(len(mails), 1)
        self.assertEqual((mails.model, mails.res_id), (single._name, single.id))
        with freeze_time(RECEIVED):
            batch = self.Complaint.with_user(self.user).create(self._vals(4))
        digest = Message.search([("partner_ids", "in", partner.ids)]) - before - mails
        self.assertEqual(len(digest), 1, "one digest for the four complaints")
        for complaint in batch:
            self.assertIn(complaint.name, str(digest.body))
            self.assertEqual(len(complaint.activity_ids.user_id), 1)
            self.assertEqual(complaint.activity_ids.user_id, self.handler)

    def _overdue(self, count):
        with freeze_time(RECEIVED):
            return self.Complaint.with_context(tracking_disable=True).create(
                self._vals(count)
            )

    def _sweep_queries(self, count):
        """Queries of one escalation batch over ``count`` overdue complaints;
        rolled back."""
        with self.cr.savepoint(flush=False) as sp:
            complaints = self._overdue(count)
            self.env.flush_all()
            self.env.invalidate_all()
            with freeze_time(RECEIVED + timedelta(days=2)):
                before = self.cr.sql_log_count
                done = self.Complaint._cron_escalate_overdue(batch_size=100)
                self.env.flush_all()
                queries = self.cr.sql_log_count - before
            self.assertEqual(done, count)
            self.assertEqual(set(complaints.mapped("escalation_level")), {1})
            sp.rollback()
        self.env.invalidate_all()
        return queries

    def test_sweep_queries_do_not_grow_with_the_batch(self):
        self._sweep_queries(2)  # warm the caches
        few = self._sweep_queries(2)
        many = self._sweep_queries(40)
        self.assertEqual(few, many)
        self.assertLess(many, 100)

    def test_sweep_batch_logs_notes_and_tells_each_person_once(self):
        complaints = self._overdue(3)
        Message = self.env["mail.message"]
        before = Message.search([])
        with freeze_time(RECEIVED + timedelta(days=2)):
            self.assertEqual(self.Complaint._cron_escalate_overdue(), 3)
        new = Message.search([]) - before
        notes = new.filtered(lambda m: m.model == complaints._name)
        self.assertEqual(sorted(notes.mapped("res_id")), sorted(complaints.ids))
        for note in notes:
            self.assertIn("escalated to level 1", str(note.body))
        # The handler and the department head: one digest each.
        for user in (self.handler, self.manager2):
            told = new.filtered(lambda m, u=user: u.partner_id in m.partner_ids)
            self.assertEqual(len(told), 1, user.login)
            for complaint in complaints:
                self.assertIn(complaint.name, str(told.body))
        escalations = complaints.activity_ids.filtered(
            lambda a: (
                a.activity_type_id.get_external_id()[a.activity_type_id.id]
                == "complaint_center.mail_activity_type_complaint_escalation"
            )
        )
        self.assertEqual(len(escalations), 6)

    def test_followup_queries_do_not_grow_with_the_batch(self):
        def run(count):
            with self.cr.savepoint(flush=False) as sp:
                complaints = self._overdue(count)
                self.env.flush_all()
                self.env.invalidate_all()
                with freeze_time(RECEIVED + timedelta(days=10)):
                    before = self.cr.sql_log_count
                    done = self.Complaint._cron_schedule_followups(batch_size=100)
                    self.env.flush_all()
                    queries = self.cr.sql_log_count - before
                self.assertEqual(done, count)
                self.assertTrue(all(complaints.mapped("date_last_followup")))
                sp.rollback()
            self.env.invalidate_all()
            return queries

        run(2)
        self.assertEqual(run(2), run(30))

    def test_involved_people_get_no_escalation(self):
        """The department head named in the complaint is not told of it."""
        complaint = self._overdue(1)
        complaint.sudo().subject_employee_ids = self.head
        with freeze_time(RECEIVED + timedelta(days=2)):
            self.Complaint._cron_escalate_overdue()
        self.assertEqual(complaint.escalation_level, 1)
        self.assertNotIn(self.manager2, complaint.activity_ids.user_id)
        self.assertIn(self.handler, complaint.activity_ids.user_id)

    def test_mail_to_the_customer_leaves_the_customer_row_alone(self):
        """Odoo's portal prepares the customer's signup on every mail about a
        complaint; an unchanged value is not written again, so that mails
        about one customer's complaints do not collide."""
        self.customer.sudo().signup_prepare()
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT ctid::text FROM res_partner WHERE id = %s",
            [self.customer.id],
        )
        version = self.env.cr.fetchone()[0]
        self.customer.sudo().signup_prepare()
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT ctid::text, signup_type FROM res_partner WHERE id = %s",
            [self.customer.id],
        )
        self.assertEqual(self.env.cr.fetchone(), (version, "signup"))
