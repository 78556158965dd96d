from datetime import date, datetime
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2 import IntegrityError
from psycopg2.errors import LockNotAvailable

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ComplaintCase


class _Refused(Exception):
    """A refusal later in the request, after the number was taken."""


@tagged("post_install", "-at_install")
class TestNumbering(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Fresh companies: their sequences start at 1 whatever demo data did.
        cls.company_a = cls.env["res.company"].create(
            {"name": "Complaint Co A", "complaint_ref_prefix": "TA"}
        )
        cls.company_a.partner_id.tz = "Asia/Shanghai"
        cls.company_b = cls.env["res.company"].create(
            {"name": "Complaint Co B", "complaint_ref_prefix": "TB"}
        )
        cls.company_b.partner_id.tz = "UTC"

    def _in(self, company, received):
        return self.env["complaint.complaint"].create(
            {
                "partner_id": self.customer.id,
                "company_id": company.id,
                "date_received": received,
            }
        )

    def test_serial_per_month_and_restart(self):
        first = self._in(self.company_a, datetime(2026, 3, 10, 2, 0))
        second = self._in(self.company_a, datetime(2026, 3, 20, 2, 0))
        april = self._in(self.company_a, datetime(2026, 4, 2, 2, 0))
        march_again = self._in(self.company_a, datetime(2026, 3, 25, 2, 0))
        self.assertEqual(first.name, "TA2603-0001")
        self.assertEqual(second.name, "TA2603-0002")
        self.assertEqual(april.name, "TA2604-0001")
        # A late entry for March continues March's serial.
        self.assertEqual(march_again.name, "TA2603-0003")

    def test_year_restart(self):
        dec = self._in(self.company_a, datetime(2026, 12, 5, 2, 0))
        jan = self._in(self.company_a, datetime(2027, 1, 5, 2, 0))
        self.assertEqual(dec.name, "TA2612-0001")
        self.assertEqual(jan.name, "TA2701-0001")

    def test_per_company_counters(self):
        a1 = self._in(self.company_a, datetime(2026, 5, 1, 6, 0))
        b1 = self._in(self.company_b, datetime(2026, 5, 1, 6, 0))
        a2 = self._in(self.company_a, datetime(2026, 5, 2, 6, 0))
        self.assertEqual(
            (a1.name, a2.name, b1.name), ("TA2605-0001", "TA2605-0002", "TB2605-0001")
        )
        self.assertNotEqual(
            self.company_a.complaint_sequence_id, self.company_b.complaint_sequence_id
        )

    def test_month_taken_in_company_time_zone(self):
        # 31 March 20:00 UTC is already 1 April 04:00 in Shanghai.
        shanghai = self._in(self.company_a, datetime(2026, 3, 31, 20, 0))
        utc = self._in(self.company_b, datetime(2026, 3, 31, 20, 0))
        self.assertEqual(shanghai.name, "TA2604-0001")
        self.assertEqual(utc.name, "TB2603-0001")

    def test_prefix_change_applies_to_next_reference(self):
        self._in(self.company_a, datetime(2026, 6, 1, 6, 0))
        self.company_a.complaint_ref_prefix = "QX"
        later = self._in(self.company_a, datetime(2026, 6, 2, 6, 0))
        self.assertEqual(later.name, "QX2606-0002")

    def test_bad_prefix_refused(self):
        for bad in ("A B", "投诉", "TOO_LONG_PREFIX"):
            with self.assertRaises(ValidationError):
                self.company_a.complaint_ref_prefix = bad
                self.company_a.flush_recordset()

    def test_reference_unique_per_company(self):
        first = self._in(self.company_a, datetime(2026, 7, 1, 6, 0))
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            self.env["complaint.complaint"].create(
                {
                    "partner_id": self.customer.id,
                    "company_id": self.company_a.id,
                    "name": first.name,
                }
            ).flush_recordset()
        # The same reference in another company is fine.
        other = self.env["complaint.complaint"].create(
            {
                "partner_id": self.customer.id,
                "company_id": self.company_b.id,
                "name": first.name,
            }
        )
        self.assertEqual(other.name, first.name)

    def test_copy_gets_new_reference(self):
        first = self._in(self.company_a, datetime(2026, 8, 1, 6, 0))
        copy = first.copy()
        self.assertNotEqual(copy.name, first.name)
        self.assertEqual(copy.state, "new")

    def test_company_time_zone_is_decided_in_one_place(self):
        """Its address's time zone, else its working calendar's: references
        and the statistics periods count days in the same zone."""
        company = self.env["res.company"].create(
            {"name": "Complaint Co C", "complaint_ref_prefix": "TC"}
        )
        company.partner_id.tz = False
        company.resource_calendar_id = self.env["resource.calendar"].create(
            {"name": "Shanghai hours", "tz": "Asia/Shanghai", "company_id": company.id}
        )
        self.assertEqual(company._complaint_tz(), "Asia/Shanghai")
        # 30 November 17:00 UTC is already 1 December in Shanghai.
        late = datetime(2026, 11, 30, 17, 0)
        self.assertEqual(self._in(company, late).name, "TC2612-0001")
        with freeze_time(late):
            today = self.env["complaint.statistics.wizard"]._company_today(company)
        self.assertEqual(today.isoformat(), "2026-12-01")
        company.partner_id.tz = "UTC"
        self.assertEqual(company._complaint_tz(), "UTC")

    # Gapless, taken as late as possible (issue 22) ---------------------------
    def test_refused_save_leaves_no_gap(self):
        """A save refused after its number was taken gives the number back
        (before: TA2609-0001, then TA2609-0003)."""
        first = self._in(self.company_a, datetime(2026, 9, 1, 6, 0))
        self.assertEqual(first.name, "TA2609-0001")
        # Refused by the save itself: it happened before it was received.
        with self.assertRaises(ValidationError):
            self.env["complaint.complaint"].create(
                {
                    "partner_id": self.customer.id,
                    "company_id": self.company_a.id,
                    "date_received": datetime(2026, 9, 2, 6, 0),
                    "date_occurred": datetime(2026, 9, 3, 6, 0),
                }
            )
        # Refused later in the same request, once the reference was read (a
        # mail, the saved form): the rollback takes the counter back too.
        with self.assertRaises(_Refused):
            taken = self._in(self.company_a, datetime(2026, 9, 2, 6, 0))
            self.assertEqual(taken.name, "TA2609-0002")
            raise _Refused()
        second = self._in(self.company_a, datetime(2026, 9, 3, 6, 0))
        third = self._in(self.company_a, datetime(2026, 9, 4, 6, 0))
        self.assertEqual((second.name, third.name), ("TA2609-0002", "TA2609-0003"))
        sequence = self.company_a.complaint_sequence_id
        self.assertEqual(sequence.implementation, "no_gap")
        self.assertEqual(
            sequence.date_range_ids.mapped("date_from"), [date(2026, 9, 1)]
        )

    def test_number_taken_as_late_as_possible(self):
        """Creating takes no number; the flush before the commit (or the
        first read) does, so the counter row is locked only from then."""
        Complaint = self.env["complaint.complaint"]
        complaints = Complaint.create(
            [
                {
                    "partner_id": self.customer.id,
                    "company_id": self.company_a.id,
                    "date_received": datetime(2026, 10, day, 6, 0),
                }
                for day in (1, 2, 3)
            ]
        )
        # Nothing counted yet: the company has not even a sequence.
        self.assertFalse(self.company_a.complaint_sequence_id)
        self.env.cr.flush()  # what the commit does first
        self.env.cr.execute(
            "SELECT name FROM complaint_complaint WHERE id IN %s ORDER BY id",
            [tuple(complaints.ids)],
        )
        self.assertEqual(
            [row[0] for row in self.env.cr.fetchall()],
            ["TA2610-0001", "TA2610-0002", "TA2610-0003"],
        )

    def test_saved_form_shows_the_reference(self):
        """The form reads the record it saved in the same request: the
        reference is taken then, never shown as New."""
        result = self.env["complaint.complaint"].web_save(
            {
                "partner_id": self.customer.id,
                "company_id": self.company_a.id,
                "date_received": "2026-11-02 06:00:00",
            },
            {"name": {}, "display_name": {}},
        )
        self.assertEqual(result[0]["name"], "TA2611-0001")
        self.assertEqual(result[0]["display_name"], "TA2611-0001")

    def test_unsaved_form_takes_no_number(self):
        draft = self.env["complaint.complaint"].new(
            {"partner_id": self.customer.id, "company_id": self.company_a.id}
        )
        self.assertEqual(draft.name, "New")
        self.assertFalse(self.company_a.complaint_sequence_id)
        # A form editing a saved complaint shows its reference.
        saved = self._in(self.company_a, datetime(2026, 11, 3, 6, 0))
        self.assertEqual(saved.name, "TA2611-0001")
        edited = saved.new({"date_received": datetime(2026, 11, 4, 6, 0)}, origin=saved)
        self.assertEqual(edited.name, "TA2611-0001")

    def test_mails_and_todos_carry_the_reference(self):
        """What the creation sends (the handler's to-do and its mail) shows
        the reference, not a placeholder."""
        before = self.env["mail.message"].search([]).ids
        complaint = (
            self.env["complaint.complaint"]
            .with_user(self.user)
            .create(
                {
                    "partner_id": self.customer.id,
                    "category_id": self.category.id,
                    "description": "<p>Leaking cap.</p>",
                }
            )
        )
        self.env.cr.flush()
        self.assertRegex(complaint.name, r"^CC\d{4}-\d{4}$")
        todo = complaint.activity_ids
        self.assertEqual(todo.user_id, self.handler)
        self.assertEqual(todo.res_name, complaint.name)
        mails = self.env["mail.message"].search(
            [
                ("id", "not in", before),
                ("partner_ids", "in", self.handler.partner_id.ids),
            ]
        )
        self.assertEqual(len(mails), 1)
        self.assertEqual(mails.record_name, complaint.name)
        self.assertIn(complaint.name, mails.subject)
        for message in self.env["mail.message"].search([("id", "not in", before)]):
            self.assertNotIn(message.record_name, ("New", ""))

    def test_a_concurrent_intake_is_replayed_not_failed(self):
        """Taking the number may meet a concurrent intake's lock: the error
        must reach Odoo's retry as PostgreSQL's, never wrapped in the error
        of a template that happened to read the reference first (the
        handler's to-do mail did: 11 failed creates under load)."""
        sequence_class = type(self.env["ir.sequence"])
        busy = LockNotAvailable("could not obtain lock on row")
        with (
            patch.object(sequence_class, "next_by_id", side_effect=busy),
            self.assertRaises(LockNotAvailable),
        ):
            self.env["complaint.complaint"].with_user(self.user).create(
                {
                    "partner_id": self.customer.id,
                    "category_id": self.category.id,
                    "description": "<p>Dented tin.</p>",
                }
            )

    def test_converted_from_postgresql_sequence_keeping_counter(self):
        """18.0.1.1.0 counted with a PostgreSQL sequence: the first reference
        after the upgrade makes it gapless where its counter stood."""
        first = self._in(self.company_a, datetime(2026, 12, 1, 6, 0))
        self.assertEqual(first.name, "TA2612-0001")
        sequence = self.company_a.complaint_sequence_id
        sequence.implementation = "standard"
        sequence.date_range_ids.number_next = 40
        self.env.invalidate_all()  # the upgrade runs in a new transaction
        self.assertEqual(sequence.date_range_ids.number_next_actual, 40)
        second = self._in(self.company_a, datetime(2026, 12, 2, 6, 0))
        self.assertEqual(second.name, "TA2612-0040")
        self.assertEqual(sequence.implementation, "no_gap")
        third = self._in(self.company_a, datetime(2026, 12, 3, 6, 0))
        self.assertEqual(third.name, "TA2612-0041")
