"""The addon's clock (complaint.clock.mixin) and the demo loader, the only
one that sets it (complaint.demo): everyone else, whatever they send, acts
at the real time; a step of the demo history stamps its facts and dates its
messages at the step's time."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.models import check_method_name
from odoo.tests import tagged

from .common import ComplaintCase

# The real clock of these tests, and two steps of a demo history weeks before.
NOW = datetime(2026, 3, 10, 2, 0, 0)
RECEIVED = datetime(2026, 2, 2, 1, 30, 0)
ACCEPTED = datetime(2026, 2, 2, 3, 0, 0)
# Context keys a caller might try to move the clock with.
CLOCK_KEYS = (
    "complaint_center.demo_clock",
    "demo_clock",
    "complaint_now",
    "complaint_today",
    "freeze_time",
    "date",
    "install_mode",
)


def stamp(moment):
    return moment.strftime("%Y-%m-%d %H:%M:%S")


@tagged("post_install", "-at_install")
class TestClock(ComplaintCase):
    def setUp(self):
        super().setUp()
        self.Demo = self.env["complaint.demo"]
        self.Complaint = self.env["complaint.complaint"]
        self.Demo._demo_register("test_clock_handler", self.handler)
        self.Demo._demo_register("test_clock_manager", self.manager)
        self.Demo._demo_register("test_clock_order", self.order)

    def _messages(self, complaint):
        return self.env["mail.message"].search(
            [("model", "=", complaint._name), ("res_id", "=", complaint.id)],
            order="id",
        )

    def _receive(self):
        complaint_id = self.Demo._demo_receive(
            "test_clock_handler",
            "test_clock_complaint",
            partner_id=self.customer.id,
            category_id=self.category.id,
            user_id=self.handler.id,
            description="<p>The sauce was spoiled on delivery.</p>",
            date_received=stamp(RECEIVED),
        )
        return self.Complaint.browse(complaint_id)

    # The demo history ---------------------------------------------------------
    @freeze_time(NOW)
    def test_demo_steps_stamp_and_date_their_messages_at_their_time(self):
        complaint = self._receive()
        received_messages = self._messages(complaint)
        self.assertTrue(received_messages)
        self.assertEqual(set(received_messages.mapped("date")), {RECEIVED})

        self.Demo._demo_act(
            "test_clock_handler",
            "complaint.complaint",
            "action_accept",
            ["test_clock_complaint"],
            stamp(ACCEPTED),
        )
        self.assertEqual(complaint.state, "investigating")
        self.assertEqual(complaint.date_received, RECEIVED)
        self.assertEqual(complaint.date_acknowledged, ACCEPTED)
        self.assertEqual(complaint.date_decided, ACCEPTED)
        # Counted from the step, not from the day the demo is loaded.
        self.assertGreater(complaint.date_resolve_deadline, ACCEPTED)
        self.assertLess(complaint.date_resolve_deadline, NOW)
        accepted_messages = self._messages(complaint) - received_messages
        self.assertTrue(accepted_messages)
        self.assertEqual(set(accepted_messages.mapped("date")), {ACCEPTED})
        # The acknowledgement mailed to the customer was read (sent) then.
        read = accepted_messages.sudo().notification_ids.filtered("read_date")
        self.assertTrue(read)
        self.assertEqual(set(read.mapped("read_date")), {ACCEPTED})
        # The state change is tracked at the end of the step, dated with it.
        tracked = accepted_messages.filtered(
            lambda m: "state" in m.sudo().tracking_value_ids.field_id.mapped("name")
        )
        self.assertEqual(tracked.date, ACCEPTED)
        # The handler's to-do falls due at the deadline counted from the step.
        todo = complaint.activity_ids.filtered(lambda a: a.user_id == self.handler)
        self.assertEqual(todo.date_deadline, complaint.date_resolve_deadline.date())
        self.assertLess(todo.date_deadline, NOW.date())
        # The step is over: the real clock again.
        self.assertEqual(self.Complaint._complaint_now(), NOW)
        self.assertEqual(self.Complaint._complaint_today(), date(2026, 3, 10))

    @freeze_time(NOW)
    def test_demo_orders_are_ordered_at_their_step(self):
        self.Demo._demo_register("test_clock_salesman", self.user)
        before = self.env["mail.message"].search(
            [("model", "=", "sale.order"), ("res_id", "=", self.order.id)]
        )
        self.Demo._demo_confirm_orders(
            "test_clock_salesman", ["test_clock_order"], stamp(RECEIVED)
        )
        self.assertEqual(self.order.state, "sale")
        self.assertEqual(self.order.date_order, RECEIVED)
        messages = (
            self.env["mail.message"].search(
                [("model", "=", "sale.order"), ("res_id", "=", self.order.id)]
            )
            - before
        )
        self.assertTrue(messages)
        self.assertEqual(set(messages.mapped("date")), {RECEIVED})

    @freeze_time(NOW)
    def test_clock_reads_the_step_time_in_the_users_time_zone(self):
        # 17:30 UTC is 01:30 the next day in Shanghai.
        with self.Demo._demo_clock("2026-02-01 17:30:00"):
            self.assertEqual(
                self.Complaint._complaint_now(), datetime(2026, 2, 1, 17, 30)
            )
            self.assertEqual(
                self.Complaint.with_context(tz="Asia/Shanghai")._complaint_today(),
                date(2026, 2, 2),
            )
            self.assertEqual(
                self.Complaint.with_context(tz="UTC")._complaint_today(),
                date(2026, 2, 1),
            )
            # The visit and the customer notice read the same clock.
            self.assertEqual(
                self.env["complaint.visit"]._complaint_now(),
                datetime(2026, 2, 1, 17, 30),
            )
        self.assertEqual(self.Complaint._complaint_now(), NOW)

    @freeze_time(NOW)
    def test_failing_step_leaves_the_real_clock(self):
        complaint = self._receive()
        with self.assertRaises(UserError):
            # A new complaint has no plan to approve.
            self.Demo._demo_act(
                "test_clock_manager",
                "complaint.complaint",
                "action_approve",
                ["test_clock_complaint"],
                stamp(ACCEPTED),
            )
        self.assertEqual(self.Complaint._complaint_now(), NOW)
        self.assertEqual(complaint.state, "new")

    # Attacks --------------------------------------------------------------------
    @freeze_time(NOW)
    def test_only_the_data_loader_sets_the_clock(self):
        complaint = self._receive()
        count = self.Complaint.search_count([])
        for user in (self.user, self.handler, self.manager, self.executive):
            Demo = self.Demo.with_user(user)
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    with Demo._demo_clock(stamp(ACCEPTED)):
                        # Never reached: the clock does not move.
                        complaint.with_user(self.handler).action_accept()
                with self.assertRaises(AccessError):
                    Demo._demo_act(
                        "test_clock_handler",
                        "complaint.complaint",
                        "action_accept",
                        ["test_clock_complaint"],
                        stamp(ACCEPTED),
                    )
                with self.assertRaises(AccessError):
                    Demo._demo_receive(
                        "test_clock_handler",
                        "test_clock_other",
                        partner_id=self.customer.id,
                        description="<p>Backdated.</p>",
                        date_received=stamp(RECEIVED),
                    )
                with self.assertRaises(AccessError):
                    Demo._demo_create(
                        "test_clock_handler",
                        "complaint.visit",
                        "test_clock_visit",
                        {"complaint_id": complaint.id},
                        stamp(ACCEPTED),
                    )
                with self.assertRaises(AccessError):
                    Demo._demo_confirm_orders(
                        "test_clock_handler", ["test_clock_order"], stamp(RECEIVED)
                    )
                with self.assertRaises(AccessError):
                    Demo._demo_penalties(
                        "test_clock_manager",
                        ["test_clock_complaint"],
                        "action_confirm",
                        stamp(ACCEPTED),
                    )
                self.assertEqual(self.Complaint.with_user(user)._complaint_now(), NOW)
        complaint.invalidate_recordset()
        self.assertEqual(complaint.state, "new")
        self.assertFalse(complaint.date_acknowledged)
        self.assertEqual(self.Complaint.search_count([]), count)
        self.assertEqual(self.order.state, "draft")
        self.assertFalse(self.env.ref("complaint_center.test_clock_other", False))
        # Nor over RPC: the loader's and the clock's methods are private.
        for name in (
            "_demo_clock",
            "_demo_act",
            "_demo_receive",
            "_demo_create",
            "_demo_confirm_orders",
            "_demo_penalties",
            "_complaint_now",
            "_complaint_today",
        ):
            with self.subTest(method=name), self.assertRaises(AccessError):
                check_method_name(name)

    @freeze_time(NOW)
    def test_no_context_key_moves_the_clock(self):
        """A handler who sends a time in the context still accepts now: the
        acknowledgement cannot be backdated to look on time."""
        complaint = self._complaint(user=self.user)
        before = self._messages(complaint)
        context = dict.fromkeys(CLOCK_KEYS, stamp(RECEIVED))
        complaint.with_user(self.handler).with_context(**context).action_accept()
        # The acknowledgement it queued is sent, and dated, now as well.
        self._send_queued_mails()
        self.assertEqual(complaint.date_acknowledged, NOW)
        self.assertEqual(complaint.date_received, NOW)
        self.assertEqual(
            set((self._messages(complaint) - before).mapped("date")), {NOW}
        )
        self.assertEqual(
            self.Complaint.with_user(self.handler)
            .with_context(**context)
            ._complaint_now(),
            NOW,
        )
