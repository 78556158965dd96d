"""The server is the only authority: attacks as a logged-in user would make
them over JSON-RPC (``with_user`` write/create/unlink, with and without the
context keys that once opened a bypass), each followed by a check that
nothing changed."""

import logging
import re
from datetime import date, datetime, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import GROUPS, ComplaintCase, make_user

_logger = logging.getLogger(__name__)

# Context keys that granted a bypass before: none may grant anything now.
FORMER_KEYS = (
    "complaint_transition",
    "complaint_penalty_apply",
    "complaint_penalty_transition",
    "complaint_action_workflow",
    "complaint_report_signing",
    "complaint_extension_decision",
    "complaint_repeat_sync",
    "install_mode",
    "module_uninstall",
)
# Where the access and workflow decisions live.
GUARD_FILES = {
    "complaint_workflow_mixin.py",
    # The clock of stamped facts and deadlines, and the loader that sets it.
    "complaint_clock_mixin.py",
    "complaint_demo.py",
    "complaint_complaint.py",
    "complaint_penalty.py",
    "complaint_corrective_action.py",
    "complaint_extension.py",
    "complaint_visit.py",
    "complaint_responsibility.py",
    "complaint_handover.py",
}
# The only context keys production code reads: they shape a mail's
# recipients and the time zone of a spreadsheet, nothing else.
READ_KEYS = {"complaint_customer_mail", "tz"}
CONTEXTS = [{}] + [{key: True} for key in FORMER_KEYS] + [dict.fromkeys(FORMER_KEYS, 1)]
# The fields no user writes nor sets at create, per model: written out here,
# not read from the guard under test, so that a field dropped from the guard
# is still attacked (and the attack then succeeds and fails the test).
# Per state, fields nobody changes any more (001 篇一: the plan goes to the
# leader as written; what was approved is what is paid; the receipt, the
# company and the customer are the register's facts).
_FACTS = {"date_received", "company_id", "partner_id", "channel"}
_PLAN = {"resolution_type", "resolution", "compensation_amount", "severity"}
# The product details and the site visit decision are intake facts too.
_DETAILS = {"defective_qty", "lot_name", "needs_site_visit"}
FROZEN_IN = {
    "investigating": _FACTS,
    "proposed": _FACTS | _PLAN | _DETAILS | {"category_id", "description"},
    "approved": _FACTS | _PLAN | _DETAILS | {"category_id", "description"},
    "resolved": _FACTS | _PLAN | _DETAILS | {"category_id", "description", "user_id"},
    "closed": _FACTS
    | _PLAN
    | _DETAILS
    | {"category_id", "description", "user_id", "satisfaction", "feedback"},
}
GUARDED = {
    "complaint.complaint": (
        "ack_on_time",
        "ack_queued",
        "action_count",
        "action_open_count",
        "appeal_count",
        "appeal_reason",
        "approved_by_id",
        "approved_compensation_amount",
        "approved_severity",
        "calendar_label",
        "can_accept",
        "can_approve",
        "can_approve_report",
        "can_cancel",
        "can_close",
        "can_force_close",
        "can_propose",
        "can_purge",
        "can_record_customer_agreement",
        "can_reject",
        "can_reopen",
        "can_resolve",
        "can_send_back",
        "can_sign_report",
        "child_count",
        "commercial_partner_id",
        "complainant_confidential",
        "contact_address",
        "contact_email",
        "contact_name",
        "contact_phone",
        "customer_count",
        "customer_salesperson_id",
        "date_ack_deadline",
        "date_ack_sent",
        "date_acknowledged",
        "date_appealed",
        "date_approved",
        "date_closed",
        "date_customer_agreed",
        "date_decided",
        "date_decision_deadline",
        "date_deputy_approved",
        "date_escalated",
        "date_executive_approved",
        "date_feedback",
        "date_last_followup",
        "date_major_reported",
        "date_next_escalation",
        "date_next_followup",
        "date_proposed",
        "date_purged",
        "date_rejected",
        "date_replied",
        "date_report_approved",
        "date_report_signed",
        "date_resolve_deadline",
        "date_resolved",
        "date_site_deadline",
        "date_site_visit",
        "date_visit_deadline",
        "deadline_status",
        "delay_responsible_id",
        "deputy_approved_by_id",
        "description_key",
        "display_name",
        "escalated_deadline",
        "escalation_level",
        "executive_approved_by_id",
        "extension_days",
        "has_credit_note",
        "involved_user_ids",
        "is_group_complaint",
        "is_handled_by_me",
        "is_long_term",
        "is_overdue",
        "is_repeat",
        "is_return_eligible",
        "is_site_visit_late",
        "is_valid",
        "name",
        "needs_deputy",
        "needs_executive",
        "next_deadline",
        "next_step_note",
        "order_salesperson_id",
        "penalty_count",
        "proposed_by_id",
        "rating_alert",
        "refund_count",
        "reopen_count",
        "report_approved_by_id",
        "report_signed_by_id",
        "reported_severity",
        "resolve_on_time",
        "retention_date",
        "return_status",
        "review_level",
        "sale_line_summary",
        "sale_lines_hidden",
        "severity_reason",
        "similar_complaint_ids",
        "similar_score",
        "site_region",
        "site_visit_on_time",
        "state",
        "visit_count",
        "visit_on_time",
    ),
    "complaint.penalty": (
        "applied_by_id",
        "approved_by_id",
        "can_apply",
        "can_approve",
        "can_cancel",
        "can_confirm",
        "can_reverse",
        "confirmed_by_id",
        "date_applied",
        "deduction_amount",
        "display_name",
        "executive_approved_by_id",
        "move_id",
        "name",
        "needs_executive",
        "net_amount",
        "next_step",
        "notice_number",
        "repeat_multiplier",
        "reversed_penalty_id",
        "reward_amount",
        "state",
    ),
    "complaint.handover": (
        "can_done",
        "company_id",
        "date_deadline",
        "date_done",
        "date_escalated",
        "date_start",
        "display_name",
        "handed_by_id",
        "is_late",
        "limit_days",
        "state",
        "unit_activity_ids",
    ),
    "complaint.action": (
        "can_done",
        "can_reopen",
        "can_verify",
        "company_id",
        "date_done",
        "date_verified",
        "display_name",
        "is_overdue",
        "state",
        "verified_by_id",
    ),
    "complaint.circular": (
        "can_issue",
        "date_issued",
        "display_name",
        "issued_by_id",
        "issuer",
        "name",
        "state",
    ),
    "complaint.extension": (
        "can_decide",
        "company_id",
        "date_decided",
        "decided_by_id",
        "display_name",
        "requested_by_id",
        "state",
    ),
}
# AccessError is a UserError; ValidationError (also one) is not a refusal.
REFUSED = (AccessError, UserError)


def snapshot(value):
    """A comparable copy of a field value (recordsets by ids)."""
    if hasattr(value, "_name"):
        return tuple(value.ids)
    return value


class IntegrityCase(ComplaintCase):
    """Fixtures in every kind of state, and the attack helpers."""

    cases = 0

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["complaint.penalty.rule"].search([]).active = False
        cls.company.complaint_penalty_executive_threshold = 2000.0
        cls.company.complaint_executive_threshold = 5000.0
        cls.worker = cls.env["hr.employee"].create(
            {"name": "Worker Wu", "department_id": cls.department.id}
        )
        cls.handler_employee = cls.env["hr.employee"].create(
            {"name": "Handler One", "user_id": cls.handler.id}
        )
        # Somewhere else to move a record to.
        cls.company2 = cls.env["res.company"].create({"name": "Elsewhere Ltd"})

    @classmethod
    def tearDownClass(cls):
        _logger.info("%s: %s attack cases run", cls.__name__, cls.cases)
        super().tearDownClass()

    # Fixtures ---------------------------------------------------------------
    def _plan(self, complaint, amount=100.0):
        # Fixture set-up, as the complaint's handler would write it.
        complaint.sudo().write(
            {
                "resolution_type": "refund",
                "resolution": "<p>Refund.</p>",
                "compensation_amount": amount,
            }
        )

    def _walk(self, complaint, state, amount=100.0):
        """``_to_state`` with a plan of ``amount`` written before proposing."""
        if state != "investigating" and complaint.state in ("new", "investigating"):
            self._to_state(complaint, "investigating")
            self._plan(complaint, amount)
        return self._to_state(complaint, state)

    def _penalty(self, state="draft", amount=50.0, **vals):
        complaint = vals.pop("complaint", None) or self._complaint()
        penalty = self.env["complaint.penalty"].create(
            {
                "complaint_id": complaint.id,
                "kind": "deduction",
                "employee_id": self.worker.id,
                "department_id": self.department.id,
                "amount": amount,
                **vals,
            }
        )
        if state in ("confirmed", "approved", "applied"):
            penalty.with_user(self.manager).action_confirm()
        if state in ("approved", "applied"):
            penalty.with_user(self.finance).action_approve()
        if state == "applied":
            penalty.with_user(self.finance).action_apply("2026-10")
        self.assertEqual(penalty.state, state)
        return penalty

    def _corrective(self, complaint, state="open"):
        action = (
            self.env["complaint.action"]
            .with_user(self.handler)
            .create(
                {
                    "complaint_id": complaint.id,
                    "name": "Re-train the packers",
                    "user_id": self.handler.id,
                    "date_deadline": fields.Date.today() + timedelta(days=5),
                }
            )
        )
        if state in ("done", "verified"):
            action.with_user(self.handler).action_done()
        if state == "verified":
            action.with_user(self.manager).action_verify()
        return action.with_env(self.env)

    def _extension(self, complaint, decided=False):
        ext = (
            self.env["complaint.extension"]
            .with_user(self.handler)
            .create({"complaint_id": complaint.id, "days": 2, "reason": "Lab test"})
        )
        if decided:
            ext.with_user(self.manager).action_approve()
        return ext.with_env(self.env)

    # Attacks ----------------------------------------------------------------
    def _tamper_value(self, record, name):
        """A value of field ``name`` different from the record's."""
        field = record._fields[name]
        current = record.sudo()[name]
        if field.type in ("many2one", "many2many"):
            if field.comodel_name == "res.users":
                pool = self.executive | self.finance | self.user2
            elif field.comodel_name == record._name:
                pool = record.sudo().search([("id", "!=", record.id)], limit=3)
            else:
                pool = (
                    self.env[field.comodel_name]
                    .sudo()
                    .with_context(active_test=False)
                    .search([], limit=3)
                )
            # No other record at hand (no accounting here): an id the guard
            # must refuse before the database would.
            ids = (pool - current)[:1].ids or [987654]
            if field.type == "many2one":
                return ids[0]
            return [Command.set(ids)]
        if field.type == "selection":
            keys = [key for key, _label in field._description_selection(self.env)]
            return next(key for key in keys if key != current)
        if field.type == "boolean":
            return not current
        if field.type == "integer":
            return (current or 0) + 7
        if field.type in ("float", "monetary"):
            return (current or 0.0) + 12345.0
        if field.type == "date":
            return date(2030, 1, 1)
        if field.type == "datetime":
            return datetime(2030, 1, 1, 8, 0)
        if field.type in ("char", "text", "html"):
            return "tampered"
        raise AssertionError(f"no tamper value for {field.type} {name}")

    def _assert_refused(self, call, record, names, label):
        """``call()`` must raise AccessError or UserError (not a side
        error), and ``names`` of ``record`` must be unchanged after."""
        type(self).cases += 1
        records = record.sudo().with_context(active_test=False)
        before = {name: snapshot(records[name]) for name in names}
        with self.subTest(label), mute_logger("odoo.models", "odoo.sql_db"):
            with self.assertRaises(UserError) as caught:
                call()
            self.assertIn(type(caught.exception), REFUSED, label)
            records.invalidate_recordset()
            after = {name: snapshot(records[name]) for name in names}
            self.assertEqual(after, before, label)

    def _sampled_contexts(self):
        """No key, the next former key in turn, and all of them at once.

        Trying all 11 contexts on every field and role made 16,417 cases and
        two minutes; the rotation (fixed, so a failure reproduces) gives each
        role every former key over its first nine fields, and each field a
        different key per role, in 3 cases a cell instead of 11."""
        turn = self._turn = getattr(self, "_turn", -1) + 1
        return [CONTEXTS[0], CONTEXTS[1 + turn % len(FORMER_KEYS)], CONTEXTS[-1]]

    def _attack_write(self, record, users, names, contexts=None):
        for user in users:
            for name in names:
                value = self._tamper_value(record, name)
                for ctx in contexts or self._sampled_contexts():
                    target = record.with_user(user).with_context(**ctx)
                    self._assert_refused(
                        lambda t=target, n=name, v=value: t.write({n: v}),
                        record,
                        [name, *self._state_names(record)],
                        f"{record._name}.{name} by {user.login} {sorted(ctx)}",
                    )

    def _state_names(self, record):
        return [record._workflow_state_field]

    def _attack_unlink(self, record, users, contexts=CONTEXTS):
        for user in users:
            for ctx in contexts:
                target = record.with_user(user).with_context(**ctx)
                self._assert_refused(
                    target.unlink,
                    record,
                    ["id", *self._state_names(record)],
                    f"unlink {record._name} by {user.login} {sorted(ctx)}",
                )
                self.assertTrue(record.sudo().exists())

    def _guarded(self, record):
        return list(GUARDED[record._name])

    def _create_value(self, probe, name):
        """A value a new record may not carry for guarded field ``name``."""
        field = probe._fields[name]
        if name == probe._workflow_state_field:
            keys = [key for key, _label in field._description_selection(self.env)]
            initial = probe._workflow_initial_values()[name]
            return next(key for key in reversed(keys) if key != initial)
        if field.type == "boolean":
            return True
        return self._tamper_value(probe, name)


@tagged("post_install", "-at_install")
class TestAttackMatrix(IntegrityCase):
    """For every workflow field of every model: refused to every role, with
    and without each former context key."""

    def test_guard_lists_every_field_attacked_here(self):
        """A field newly guarded by the server is attacked too: it must be
        added to GUARDED (the other direction is the attacks' business)."""
        for model, names in GUARDED.items():
            with self.subTest(model):
                guarded = self.env[model]._workflow_guarded_fields()
                self.assertEqual(guarded - set(names), set())

    def test_complaint_workflow_fields(self):
        users = (self.user, self.handler, self.manager, self.executive)
        fresh = self._complaint(user=self.user)
        approved = self._walk(self._complaint(user=self.user), "approved")
        closed = self._walk(self._complaint(user=self.user), "resolved")
        closed.with_user(self.handler).satisfaction = "satisfied"
        self._to_state(closed, "closed")
        for complaint in (fresh, approved, closed):
            self._attack_write(complaint, users, self._guarded(complaint))

    def test_complaint_frozen_fields(self):
        """What is not on the whitelist of a state is refused in it."""
        users = (self.handler, self.manager, self.executive)
        complaints = {
            "proposed": self._walk(self._complaint(), "proposed"),
            "approved": self._walk(self._complaint(), "approved"),
            "resolved": self._walk(self._complaint(), "resolved"),
        }
        complaints["closed"] = self._walk(self._complaint(), "closed")
        complaints["investigating"] = self._walk(self._complaint(), "investigating")
        for state, complaint in complaints.items():
            self.assertEqual(complaint.state, state)
            editable = complaint._workflow_editable_fields()[state]
            frozen = sorted(
                complaint._workflow_scope()
                - editable
                - complaint._workflow_guarded_fields()
                - {"active"}
            )
            # What the regulations freeze in each state, written out here:
            # the whitelist may shrink, never open one of these.
            self.assertLessEqual(FROZEN_IN[state], set(frozen), state)
            self._attack_write(complaint, users, frozen, contexts=[{}, CONTEXTS[-1]])

    def test_complaint_create_with_workflow_values(self):
        users = (self.user, self.handler, self.manager, self.executive)
        probe = self._walk(self._complaint(), "approved")
        for user in users:
            for ctx in (CONTEXTS[0], CONTEXTS[-1]):
                for name in self._guarded(probe):
                    value = self._create_value(probe, name)
                    Complaint = (
                        self.env["complaint.complaint"]
                        .with_user(user)
                        .with_context(**ctx)
                    )
                    vals = {
                        "partner_id": self.customer.id,
                        "category_id": self.category.id,
                        "description": "Create attack",
                        name: value,
                    }
                    count = Complaint.sudo().search_count([])
                    type(self).cases += 1
                    label = f"create complaint {name} by {user.login} {sorted(ctx)}"
                    with self.subTest(label), mute_logger("odoo.models"):
                        with self.assertRaises(UserError) as caught:
                            Complaint.create(vals)
                        self.assertIn(type(caught.exception), REFUSED)
                        self.assertEqual(Complaint.sudo().search_count([]), count)

    def test_complaint_unlink(self):
        users = (self.user, self.handler, self.manager, self.executive)
        closed = self._walk(self._complaint(user=self.user), "closed")
        started = self._walk(self._complaint(user=self.user), "investigating")
        for complaint in (closed, started):
            self._attack_unlink(complaint, users)
            self.assertEqual(complaint.message_ids.exists(), complaint.message_ids)
        # A new complaint: not by its own clerk, not by a handler.
        fresh = self._complaint(user=self.user)
        self._attack_unlink(fresh, (self.user, self.handler, self.user2))

    def test_penalty_workflow_fields(self):
        users = (self.manager, self.finance, self.executive)
        for state in ("draft", "confirmed", "approved", "applied"):
            penalty = self._penalty(state)
            self._attack_write(penalty, users, self._guarded(penalty))
        applied = self._penalty("applied")
        content = sorted(applied._workflow_scope() - applied._workflow_guarded_fields())
        self._attack_write(applied, users, content, contexts=[{}, CONTEXTS[-1]])
        confirmed = self._penalty("confirmed")
        locked = ["amount", "employee_id", "department_id", "kind", "points"]
        self._attack_write(confirmed, users, locked, contexts=[{}, CONTEXTS[-1]])
        for state in ("confirmed", "approved", "applied", "cancelled"):
            if state == "cancelled":
                penalty = self._penalty("draft")
                penalty.with_user(self.manager).action_cancel()
            else:
                penalty = self._penalty(state)
            self._attack_unlink(penalty, users)

    def test_penalty_create_with_workflow_values(self):
        users = (self.manager, self.finance, self.executive)
        probe = self._penalty("applied")
        complaint = self._complaint()
        for user in users:
            for ctx in (CONTEXTS[0], CONTEXTS[-1]):
                for name in self._guarded(probe):
                    Penalty = (
                        self.env["complaint.penalty"]
                        .with_user(user)
                        .with_context(**ctx)
                    )
                    vals = {
                        "complaint_id": complaint.id,
                        "kind": "deduction",
                        "employee_id": self.worker.id,
                        "amount": 10.0,
                        name: self._create_value(probe, name),
                    }
                    count = Penalty.sudo().search_count([])
                    type(self).cases += 1
                    label = f"create penalty {name} by {user.login} {sorted(ctx)}"
                    with self.subTest(label), mute_logger("odoo.models"):
                        with self.assertRaises(UserError) as caught:
                            Penalty.create(vals)
                        self.assertIn(type(caught.exception), REFUSED)
                        self.assertEqual(Penalty.sudo().search_count([]), count)

    def test_action_workflow_fields(self):
        users = (self.handler, self.manager)
        complaint = self._walk(self._complaint(), "investigating")
        for state in ("open", "done", "verified"):
            action = self._corrective(complaint, state)
            self._attack_write(action, users, self._guarded(action))
        verified = self._corrective(complaint, "verified")
        content = ["name", "description", "user_id", "date_deadline", "result"]
        self._attack_write(verified, users, content, contexts=[{}, CONTEXTS[-1]])
        self._attack_unlink(verified, users)

    def test_handover_workflow_fields(self):
        users = (self.handler, self.manager)
        complaint = self._walk(self._complaint(), "investigating")
        unit = self.env["hr.department"].create({"name": "Unit T"})
        handover = (
            self.env["complaint.handover"]
            .with_user(self.handler)
            .create({"complaint_id": complaint.id, "department_id": unit.id})
        )
        self._attack_write(handover, users, self._guarded(handover))
        fixed = ["complaint_id", "kind", "department_id"]
        self._attack_write(handover, users, fixed, contexts=[{}, CONTEXTS[-1]])
        handover.with_user(self.handler).write({"result": "Answered"})
        handover.with_user(self.handler).action_done()
        self._attack_write(handover, users, self._guarded(handover))
        content = [*fixed, "user_id", "note", "result"]
        self._attack_write(handover, users, content, contexts=[{}, CONTEXTS[-1]])
        self._attack_unlink(handover, users)

    def test_extension_workflow_fields(self):
        users = (self.handler, self.manager)
        complaint = self._walk(self._complaint(), "investigating")
        pending = self._extension(complaint)
        self._attack_write(pending, users, self._guarded(pending))
        pending.with_user(self.manager).action_refuse()
        approved = self._extension(complaint, decided=True)
        for ext in (pending, approved):
            self._attack_write(ext, users, self._guarded(ext))
            self._attack_write(ext, users, ["days", "reason"], [{}, CONTEXTS[-1]])
            self._attack_unlink(ext, users)

    def test_responsibility_lock(self):
        users = (self.handler, self.manager, self.executive)
        complaint = self._walk(self._complaint(), "investigating")
        line = self.env["complaint.responsibility"].create(
            {
                "complaint_id": complaint.id,
                "party_type": "employee",
                "employee_id": self.worker.id,
                "share": 40,
                "cause": "Did not check the seal",
            }
        )
        # While the handler may still edit the line, what the server works
        # out from it (the unit a penalty is charged to) is not his to write.
        server_names = ["attributed_department_id", "is_fallback", "user_id"]
        self._attack_write(line, (self.handler,), [*server_names, "complaint_id"])
        self._assert_refused(
            lambda: (
                self.env["complaint.responsibility"]
                .with_user(self.handler)
                .create(
                    {
                        "complaint_id": complaint.id,
                        "party_type": "employee",
                        "employee_id": self.worker.id,
                        "share": 10,
                        "cause": "Forged unit",
                        "attributed_department_id": self.other_department.id,
                    }
                )
            ),
            complaint,
            ["responsibility_ids"],
            "create a line with its attributed unit",
        )
        self._plan(complaint)
        self._to_state(complaint, "proposed")
        names = ["share", "employee_id", "cause", "party_type"]
        self._attack_write(line, users, names, contexts=[{}, CONTEXTS[-1]])
        self._attack_unlink(line, users)

    def _state_names(self, record):
        if record._name == "complaint.responsibility":
            return ["complaint_id"]
        return super()._state_names(record)

    def test_visit_never_changes(self):
        users = (self.handler, self.manager, self.executive)
        complaint = self._walk(self._complaint(), "resolved")
        visit = (
            self.env["complaint.visit"]
            .with_user(self.handler)
            .create(
                {
                    "complaint_id": complaint.id,
                    "result": "Happy",
                    "satisfaction": "satisfied",
                }
            )
        )
        for user in users:
            for ctx in CONTEXTS:
                target = visit.with_user(user).with_context(**ctx)
                self._assert_refused(
                    lambda t=target: t.write({"satisfaction": "unsatisfied"}),
                    visit,
                    ["satisfaction", "result"],
                    f"write visit by {user.login} {sorted(ctx)}",
                )
                self._assert_refused(
                    target.unlink,
                    visit,
                    ["satisfaction"],
                    f"unlink visit by {user.login} {sorted(ctx)}",
                )


@tagged("post_install", "-at_install")
class TestAttackScenarios(IntegrityCase):
    """Each attack reproduced on the landed addon, now refused."""

    # Context keys ------------------------------------------------------------
    def test_context_key_does_not_close(self):
        complaint = self._walk(self._complaint(user=self.user), "resolved")
        for user in (self.user, self.handler, self.manager):
            self._assert_refused(
                lambda u=user: (
                    complaint.with_user(u)
                    .with_context(complaint_transition=True)
                    .write({"state": "closed"})
                ),
                complaint,
                ["state", "date_closed"],
                f"close by write as {user.login}",
            )

    def test_finance_cannot_rewrite_applied_penalty(self):
        penalty = self._penalty("applied", amount=50.0)
        for key in ("complaint_penalty_apply", "complaint_penalty_transition"):
            finance = penalty.with_user(self.finance).with_context(**{key: True})
            self._assert_refused(
                lambda f=finance: f.write({"amount": 5000.0}),
                penalty,
                ["amount", "payroll_period"],
                f"amount with {key}",
            )
            self._assert_refused(
                lambda f=finance: f.write({"payroll_period": "2026-12"}),
                penalty,
                ["payroll_period"],
                f"period with {key}",
            )
        self.assertEqual(penalty.sudo().amount, 50.0)
        self.assertEqual(penalty.payroll_period, "2026-10")

    def test_manager_cannot_cancel_applied_penalty(self):
        penalty = self._penalty("applied")
        manager = penalty.with_user(self.manager).with_context(
            complaint_penalty_transition=True
        )
        self._assert_refused(
            lambda: manager.write({"state": "cancelled"}), penalty, ["state"], "write"
        )
        self._assert_refused(manager.action_cancel, penalty, ["state"], "button")
        self.assertEqual(penalty.state, "applied")

    def test_owner_cannot_verify_own_action(self):
        complaint = self._walk(self._complaint(), "investigating")
        action = self._corrective(complaint, "done")
        owner = action.with_user(self.handler).with_context(
            complaint_action_workflow=True
        )
        self._assert_refused(
            lambda: owner.write(
                {"state": "verified", "verified_by_id": self.manager.id}
            ),
            action,
            ["state", "verified_by_id"],
            "write",
        )
        self._assert_refused(owner.action_verify, action, ["state"], "button")
        self.assertFalse(owner.can_verify)

    def test_sales_user_cannot_sign_report(self):
        complaint = self._walk(self._complaint(user=self.user), "investigating")
        complaint.sudo().write(
            {
                "no_standard": True,
                "report_cause": "c",
                "report_result": "r",
                "report_improvement": "i",
            }
        )
        clerk = complaint.with_user(self.user).with_context(
            complaint_report_signing=True
        )
        self._assert_refused(
            lambda: clerk.write(
                {
                    "report_signed_by_id": self.manager.id,
                    "date_report_signed": fields.Datetime.now(),
                }
            ),
            complaint,
            ["report_signed_by_id", "date_report_signed"],
            "sign by write",
        )
        self._assert_refused(
            clerk.action_sign_report, complaint, ["report_signed_by_id"], "button"
        )

    # Approval, audit and deadline fields --------------------------------------
    def test_sales_user_cannot_forge_approvals(self):
        complaint = self._walk(self._complaint(user=self.user), "proposed")
        for name in ("approved_by_id", "executive_approved_by_id", "proposed_by_id"):
            self._assert_refused(
                lambda n=name: complaint.with_user(self.user).write(
                    {n: self.manager.id}
                ),
                complaint,
                [name],
                name,
            )
        self.assertEqual(complaint.proposed_by_id, self.handler)
        self.assertFalse(complaint.approved_by_id)

    def test_compensation_frozen_after_approval_and_credit_note_reads_it(self):
        complaint = self._walk(self._complaint(user=self.user), "approved", 300.0)
        self.assertEqual(complaint.approved_compensation_amount, 300.0)
        for user in (self.user, self.handler, self.manager):
            self._assert_refused(
                lambda u=user: complaint.with_user(u).write(
                    {"compensation_amount": 250000.0}
                ),
                complaint,
                ["compensation_amount", "approved_compensation_amount"],
                f"raise compensation as {user.login}",
            )
        # Even a superuser data fix of the live field leaves what was
        # approved, and what finance credits, as it was.
        complaint.sudo().compensation_amount = 250000.0
        self.assertEqual(complaint.approved_compensation_amount, 300.0)
        self.assertEqual(complaint._plan_figures(), ("general", 300.0))

    def test_penalties_and_executive_check_read_the_approved_figures(self):
        """A later data fix of the live severity changes neither who had to
        approve nor what the penalties cost."""
        self.env.ref("complaint_center.penalty_rule_severity").active = True
        complaint = self._walk(self._complaint(user=self.user), "investigating")
        self.env["complaint.responsibility"].create(
            {
                "complaint_id": complaint.id,
                "party_type": "employee",
                "employee_id": self.worker.id,
                "share": 100,
                "cause": "Did not check the seal",
            }
        )
        self._walk(complaint, "approved", 300.0)
        proposed = complaint.sudo().penalty_ids.sorted("id")
        amounts = proposed.mapped("amount")
        self.assertTrue(proposed, "the severity rule proposed penalties")
        complaint.sudo().severity = "critical"
        self.assertFalse(complaint.needs_executive)
        proposed.sudo().unlink()
        complaint.sudo()._propose_penalties()
        self.assertEqual(
            complaint.sudo().penalty_ids.sorted("id").mapped("amount"), amounts
        )

    def test_staff_cannot_rate_for_the_customer(self):
        """The rating token is readable by staff; answering the survey in
        the customer's name would open the way to closing."""
        complaint = self._walk(self._complaint(user=self.user), "resolved")
        token = complaint.sudo()._rating_get_access_token()
        for user in (self.user, self.handler, self.manager):
            self._assert_refused(
                lambda u=user: complaint.with_user(u).rating_apply(5, token=token),
                complaint,
                ["satisfaction", "date_feedback", "state"],
                f"rate as {user.login}",
            )
        self.assertFalse(complaint.sudo().satisfaction)

    def test_odoo_tracking_keys_keep_the_audit_trail(self):
        """``tracking_disable``/``mail_notrack`` sent by a caller silence no
        workflow step or handover: who held a complaint when is read from
        that trail."""
        keys = {"tracking_disable": True, "mail_notrack": True}
        complaint = self._complaint(user=self.user)
        # Changes in the creating transaction are never tracked.
        self._flush_tracking()
        complaint.with_user(self.handler).with_context(**keys).action_accept()
        complaint.with_user(self.handler).with_context(**keys).write(
            {"user_id": self.handler2.id}
        )
        self._flush_tracking()
        messages = complaint.sudo().message_ids
        tracked = messages.tracking_value_ids.field_id.mapped("name")
        self.assertIn("state", tracked)
        self.assertIn("user_id", tracked)

    def test_date_received_set_at_intake_only(self):
        complaint = self._walk(self._complaint(user=self.user), "investigating")
        deadline = complaint.date_resolve_deadline
        later = complaint.date_received + timedelta(days=180)
        for user in (self.user, self.handler, self.manager, self.executive):
            self._assert_refused(
                lambda u=user: complaint.with_user(u).write({"date_received": later}),
                complaint,
                ["date_received", "date_resolve_deadline"],
                f"move receipt as {user.login}",
            )
        self.assertEqual(complaint.date_resolve_deadline, deadline)
        # Never received in the future, even at intake.
        with self.assertRaises(ValidationError):
            self._complaint(
                user=self.user, date_received=fields.Datetime.now() + timedelta(days=1)
            )

    def test_manager_corrects_intake_with_a_reason(self):
        complaint = self._walk(self._complaint(user=self.user), "investigating")
        earlier = complaint.date_received - timedelta(days=2)
        Wizard = self.env["complaint.intake.correction"]
        wizard = Wizard.with_user(self.manager).create(
            {
                "complaint_id": complaint.id,
                "date_received": earlier,
                "partner_id": complaint.partner_id.id,
                "severity": "major",
                "channel": complaint.channel,
                "reason": "The letter was stamped two days earlier.",
            }
        )
        wizard.action_apply()
        self.assertEqual(complaint.date_received, earlier)
        self.assertEqual(complaint.severity, "major")
        self.assertIn("stamped two days earlier", complaint.message_ids[0].body or "")
        # Not a handler, not without a reason, not into the future.
        with self.assertRaises(AccessError):
            Wizard.with_user(self.handler).create(
                {
                    "complaint_id": complaint.id,
                    "date_received": earlier,
                    "partner_id": complaint.partner_id.id,
                    "severity": "general",
                    "channel": "phone",
                    "reason": "x",
                }
            ).action_apply()
        future = Wizard.with_user(self.manager).create(
            {
                "complaint_id": complaint.id,
                "date_received": fields.Datetime.now() + timedelta(days=30),
                "partner_id": complaint.partner_id.id,
                "severity": "major",
                "channel": complaint.channel,
                "reason": "Push it out",
            }
        )
        with self.assertRaises(ValidationError):
            future.action_apply()
        self.assertEqual(complaint.date_received, earlier)

    def test_no_forged_delay_responsible_or_repeat(self):
        complaint = self._walk(self._complaint(user=self.user), "resolved")
        for name, value in (
            ("delay_responsible_id", self.executive.id),
            ("is_repeat", True),
        ):
            self._assert_refused(
                lambda n=name, v=value: complaint.with_user(self.user).write({n: v}),
                complaint,
                [name],
                name,
            )
        self.assertFalse(complaint.delay_responsible_id)
        self.assertFalse(complaint.is_repeat)

    def test_manager_cannot_approve_major_plan_alone(self):
        """Lowering severity and amount to approve alone, then restoring
        them: the plan is frozen once proposed."""
        complaint = self._complaint(user=self.user, severity="major")
        self._walk(complaint, "proposed", 9000.0)
        self.assertTrue(complaint.needs_executive)
        self._assert_refused(
            lambda: complaint.with_user(self.manager).write(
                {"severity": "general", "compensation_amount": 10.0}
            ),
            complaint,
            ["severity", "compensation_amount"],
            "lower the plan",
        )
        # Nor through the intake correction, which writes as superuser.
        correction = (
            self.env["complaint.intake.correction"]
            .with_user(self.manager)
            .with_context(default_complaint_id=complaint.id)
            .create({"reason": "Not so serious after all"})
        )
        correction.severity = "general"
        self._assert_refused(
            correction.action_apply,
            complaint,
            ["severity", "needs_executive"],
            "lower the severity by an intake correction",
        )
        complaint.with_user(self.manager).action_approve()
        self.assertEqual(complaint.state, "proposed")
        self.assertEqual(
            (complaint.approved_severity, complaint.approved_compensation_amount),
            ("major", 9000.0),
        )
        self._assert_refused(
            lambda: complaint.with_user(self.manager).write({"severity": "major"}),
            complaint,
            ["severity"],
            "restore",
        )
        self._assert_refused(
            complaint.with_user(self.manager).action_approve,
            complaint,
            ["state", "executive_approved_by_id"],
            "second approval by the same manager",
        )
        complaint.with_user(self.executive).action_approve()
        self.assertEqual(complaint.state, "approved")
        self.assertEqual(complaint.executive_approved_by_id, self.executive)

    def test_manager_cannot_approve_own_plan_by_rewriting_proposer(self):
        complaint = self._complaint(user=self.user, user_id=self.manager.id)
        complaint.with_user(self.manager).action_accept()
        self._plan(complaint)
        complaint.with_user(self.manager).action_propose()
        self.assertEqual(complaint.proposed_by_id, self.manager)
        self._assert_refused(
            lambda: complaint.with_user(self.manager).write(
                {"proposed_by_id": self.manager2.id}
            ),
            complaint,
            ["proposed_by_id"],
            "rewrite proposer",
        )
        self.assertFalse(complaint.with_user(self.manager).can_approve)
        self._assert_refused(
            complaint.with_user(self.manager).action_approve,
            complaint,
            ["state", "approved_by_id"],
            "approve own plan",
        )
        complaint.with_user(self.manager2).action_approve()
        self.assertEqual(complaint.state, "approved")

    # History ------------------------------------------------------------------
    def test_closed_complaint_cannot_be_reset_and_deleted(self):
        complaint = self._walk(self._complaint(user=self.user), "investigating")
        self.env["complaint.responsibility"].create(
            {
                "complaint_id": complaint.id,
                "party_type": "employee",
                "employee_id": self.worker.id,
                "share": 100,
                "cause": "Seal",
            }
        )
        self._corrective(complaint, "verified")
        self._extension(complaint, decided=True)
        self._to_state(complaint, "resolved")
        self.env["complaint.visit"].with_user(self.handler).create(
            {"complaint_id": complaint.id, "result": "OK", "satisfaction": "satisfied"}
        )
        self._to_state(complaint, "closed")
        messages = complaint.message_ids
        children = [
            complaint.responsibility_ids,
            complaint.sudo().visit_ids,
            complaint.sudo().action_ids,
            complaint.sudo().extension_ids,
        ]
        clerk = complaint.with_user(self.user).with_context(complaint_transition=True)
        self._assert_refused(
            lambda: clerk.write({"state": "new"}), complaint, ["state"], "reset"
        )
        self._assert_refused(clerk.unlink, complaint, ["state"], "delete")
        self.assertEqual([len(lines.exists()) for lines in children], [1, 1, 1, 1])
        self.assertEqual(messages.exists(), messages)

    def test_new_complaint_deleted_only_by_a_manager(self):
        complaint = self._complaint(user=self.user2)
        self._assert_refused(
            complaint.with_user(self.user).unlink, complaint, ["state"], "other clerk"
        )
        self._assert_refused(
            complaint.with_user(self.user2).unlink, complaint, ["state"], "own clerk"
        )
        # A responsibility line is history too: cancel instead.
        line = self.env["complaint.responsibility"].create(
            {
                "complaint_id": complaint.id,
                "party_type": "department",
                "department_id": self.department.id,
                "share": 100,
                "cause": "Packing",
            }
        )
        with self.assertRaisesRegex(UserError, "responsibility lines"):
            complaint.with_user(self.manager).unlink()
        line.unlink()
        complaint.with_user(self.manager).unlink()
        self.assertFalse(complaint.exists())

    def test_children_restrict_their_complaint(self):
        for model in (
            "complaint.responsibility",
            "complaint.action",
            "complaint.extension",
            "complaint.visit",
            "complaint.penalty",
            "complaint.handover",
        ):
            field = self.env[model]._fields["complaint_id"]
            self.assertEqual(field.ondelete, "restrict", model)

    # Extensions ---------------------------------------------------------------
    def test_handler_cannot_approve_own_extension(self):
        complaint = self._walk(self._complaint(), "investigating")
        deadline = complaint.date_resolve_deadline
        ext = self._extension(complaint)
        mine = ext.with_user(self.handler).with_context(
            complaint_extension_decision=True
        )
        self._assert_refused(
            lambda: mine.write({"state": "approved", "days": 60}),
            ext,
            ["state", "days"],
            "approve own by write",
        )
        with self.assertRaises(ValidationError):
            mine.write({"days": 60})
        self._assert_refused(mine.action_approve, ext, ["state"], "approve own")
        self.assertEqual(complaint.date_resolve_deadline, deadline)

    def test_extension_created_requested_in_own_name(self):
        complaint = self._walk(self._complaint(), "investigating")
        Ext = self.env["complaint.extension"].with_user(self.handler)
        for vals in (
            {"state": "approved"},
            {"decided_by_id": self.manager.id},
            {"requested_by_id": self.handler2.id},
        ):
            with self.subTest(vals), self.assertRaises(AccessError):
                Ext.create(
                    {"complaint_id": complaint.id, "days": 1, "reason": "x", **vals}
                )
        self.assertFalse(complaint.extension_ids)

    # Penalties ----------------------------------------------------------------
    def test_penalty_created_only_as_draft(self):
        complaint = self._complaint()
        with self.assertRaises(AccessError):
            self.env["complaint.penalty"].with_user(self.manager).create(
                {
                    "complaint_id": complaint.id,
                    "employee_id": self.worker.id,
                    "amount": 500.0,
                    "state": "applied",
                    "payroll_period": "2026-11",
                    "date_applied": date(2026, 11, 30),
                    "approved_by_id": self.finance.id,
                    "executive_approved_by_id": self.executive.id,
                }
            )
        self.assertFalse(complaint.penalty_ids)

    def test_penalty_threshold_cannot_be_dodged(self):
        penalty = self._penalty("confirmed", amount=1200.0)
        self.assertFalse(penalty.needs_executive)
        penalty.with_user(self.finance).action_approve()
        self.assertEqual(penalty.state, "approved")
        self._assert_refused(
            lambda: penalty.with_user(self.finance).write({"amount": 15000.0}),
            penalty,
            ["amount", "state"],
            "raise after approval",
        )
        # The threshold is checked again at apply: a data fix above it is
        # not applied without the executive.
        penalty.amount = 15000.0
        self.assertTrue(penalty.needs_executive)
        self.assertFalse(penalty.with_user(self.finance).can_apply)
        self._assert_refused(
            lambda: penalty.with_user(self.finance).action_apply("2026-11"),
            penalty,
            ["state", "payroll_period"],
            "apply without the executive",
        )
        big = self._penalty("confirmed", amount=3000.0)
        big.with_user(self.finance).action_approve()
        self.assertEqual(big.state, "confirmed")
        big.with_user(self.executive).action_approve()
        big.with_user(self.finance).action_apply("2026-11")
        self.assertEqual(big.state, "applied")

    # Register -----------------------------------------------------------------
    def test_references_never_repeat_nor_skip(self):
        """A gapless counter taken as late as possible (issue 22): a save
        refused by the server gives its number back, so the next complaint
        follows the last one; the conversion of the PostgreSQL sequences of
        18.0.1.1.0 is in test_numbering."""
        Complaint = self.env["complaint.complaint"].with_user(self.user)
        first = self._complaint(user=self.user)
        self.assertEqual(self.company.complaint_sequence_id.implementation, "no_gap")
        with self.assertRaises(ValidationError):
            Complaint.create(
                {
                    "partner_id": self.customer.id,
                    "category_id": self.category.id,
                    "date_occurred": fields.Datetime.now() + timedelta(days=3),
                }
            )
        second = self._complaint(user=self.user)
        prefix, serial = first.name.rsplit("-", 1)
        second_prefix, second_serial = second.name.rsplit("-", 1)
        self.assertEqual(second_prefix, prefix)
        self.assertEqual(int(second_serial), int(serial) + 1)

    def test_duplicate_starts_a_fresh_complaint(self):
        original = self._complaint(
            user=self.user,
            complainant_name="Mrs Li",
            complainant_phone="139",
            date_received=fields.Datetime.now() - timedelta(days=3),
        )
        self._walk(original, "closed")
        for user in (self.manager, self.user, self.handler):
            with self.subTest(user.login):
                copy = original.with_user(user).copy()
                self.assertEqual(copy.state, "new")
                self.assertNotEqual(copy.name, original.name)
                self.assertEqual(copy.first_responder_id, user)
                self.assertEqual(copy.complainant_name, "Mrs Li")
                for name in (
                    "approved_by_id",
                    "proposed_by_id",
                    "date_acknowledged",
                    "date_resolved",
                    "date_closed",
                    "satisfaction",
                    "approved_compensation_amount",
                    "reopen_count",
                ):
                    self.assertFalse(copy[name], name)
                self.assertGreater(copy.date_received, original.date_received)
                self.assertFalse(copy.responsibility_ids)
                self.assertFalse(copy.penalty_ids)

    def test_duplicate_for_every_role_that_may_create(self):
        """Duplicate needs no Sales rights: a complaint manager, a handler or
        a clerk without them duplicates a complaint on an order as they
        would log it (issue 22)."""
        plain = {
            role: make_user(self.env, login=f"cc_dup_{role}", groups=f"{GROUPS}{role}")
            for role in ("user", "handler", "manager")
        }
        for user in plain.values():
            self.assertFalse(user.has_group("sales_team.group_sale_salesman"))
        original = self.env["complaint.complaint"].create(
            {
                "partner_id": self.customer.id,
                "category_id": self.category.id,
                "description": "<p>Two bottles leaked.</p>",
                "sale_order_id": self.order.id,
                "sale_line_ids": [Command.set(self.order.order_line[:1].ids)],
                "first_responder_id": plain["user"].id,
                "user_id": plain["handler"].id,
            }
        )
        count = self.env["complaint.complaint"].search_count([])
        for role, user in plain.items():
            with self.subTest(role):
                copy = original.with_user(user).copy()
                self.assertEqual(copy.state, "new")
                self.assertNotEqual(copy.name, original.name)
                self.assertEqual(copy.first_responder_id, user)
                self.assertEqual(copy.sudo().sale_order_id, self.order)
                self.assertEqual(copy.sudo().sale_line_ids, self.order.order_line[:1])
                self.assertEqual(copy.sudo().description, original.description)
        self.assertEqual(
            self.env["complaint.complaint"].search_count([]), count + len(plain)
        )
        # The original is untouched.
        self.assertEqual(original.first_responder_id, plain["user"])
        self.assertEqual(original.sale_line_ids, self.order.order_line[:1])

    # Smaller ------------------------------------------------------------------
    def test_open_action_cannot_be_archived(self):
        complaint = self._walk(self._complaint(), "resolved")
        self.company.complaint_require_actions_done = True
        action = self._corrective(complaint)
        for user in (self.handler, self.manager):
            self._assert_refused(
                action.with_user(user).action_archive,
                action,
                ["active", "state"],
                f"archive open as {user.login}",
            )
        complaint.satisfaction = "satisfied"
        with self.assertRaisesRegex(UserError, "open corrective"):
            complaint.with_user(self.manager).action_close()
        action.with_user(self.handler).action_done()
        self._assert_refused(
            action.with_user(self.handler).action_archive,
            action,
            ["active"],
            "handler archives a done action",
        )
        action.with_user(self.manager).action_archive()
        self.assertFalse(action.active)

    def test_company_checks(self):
        Complaint = self.env["complaint.complaint"]
        self.assertTrue(Complaint._fields["policy_id"].check_company)
        self.assertTrue(self.env["complaint.category"]._fields["user_id"].check_company)
        self.assertTrue(self.env["complaint.visit"]._fields["user_id"].check_company)
        rule = self.env.ref("complaint_center.complaint_penalty_bracket_rule_company")
        self.assertEqual(rule.model_id.model, "complaint.penalty.bracket")

    def test_category_routes_within_its_company(self):
        # Issue 23 item 2: a category shared between companies routed one
        # company's complaints to another's departments, and saving failed.
        other = self.env["res.company"].create({"name": "Other Branch Co"})
        elsewhere = self.env["hr.department"].create(
            {"name": "Their Quality", "company_id": other.id}
        )
        category = self.category.with_user(self.manager)
        for vals in (
            {"department_id": elsewhere.id},
            {"company_id": False},
            {"company_id": other.id},
        ):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                with self.env.cr.savepoint():
                    category.write(vals)
            self.category.invalidate_recordset()
            self.assertEqual(self.category.company_id, self.company)
            self.assertEqual(self.category.department_id, self.department)
        Category = self.env["complaint.category"].with_user(self.manager)
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            Category.create(
                {
                    "name": "Shared",
                    "code": "SH",
                    "company_id": False,
                    "user_id": self.handler.id,
                }
            )
        self.assertFalse(Category.search([("code", "=", "SH")]))
        # A new category is the company's; a shared one routes to shared
        # departments only.
        shared_department = self.env["hr.department"].create(
            {"name": "Group Audit", "company_id": False}
        )
        shared = Category.create(
            {
                "name": "Shared",
                "code": "SH",
                "company_id": False,
                "department_id": shared_department.id,
            }
        )
        self.assertEqual(
            Category.create({"name": "Own", "code": "OW"}).company_id, self.company
        )
        complaint = self._complaint(category_id=shared.id)
        self.assertEqual(complaint.department_id, shared_department)

    def test_no_context_key_in_any_decision(self):
        """No production code reads a context key to decide anything."""
        import pathlib

        root = pathlib.Path(__file__).resolve().parent.parent
        offenders = []
        seen = set()
        for path in root.rglob("*.py"):
            if "tests" in path.parts:
                continue
            seen.add(path.name)
            text = path.read_text(encoding="utf-8")
            for key in FORMER_KEYS:
                for form in (f'"{key}"', f"'{key}'", f"{key}="):
                    if form in text:
                        offenders.append(f"{path.name}: {key}")
            # Context is read only to shape mails and dates, never in a
            # guard: the write/create/unlink guards and the workflow checks
            # read none, and elsewhere only the named harmless keys are read.
            if path.name in GUARD_FILES and (
                "env.context" in text or "._context" in text
            ):
                offenders.append(f"{path.name}: reads the context")
            keys = re.findall(
                r"(?:env\.context|\._context)(?:\.get\(|\[)[\"']([a-z_]+)", text
            )
            offenders += [
                f"{path.name}: reads {key}" for key in keys if key not in READ_KEYS
            ]
        self.assertEqual(offenders, [])
        # A guard file renamed away would silently leave the check.
        self.assertEqual(GUARD_FILES - seen, set())


@tagged("post_install", "-at_install")
class TestButtonsFollowTheGuard(IntegrityCase):
    """Every ``can_*`` flag says exactly what the action would do."""

    def _complaints(self):
        fresh = self._complaint(user=self.user)
        investigating = self._walk(self._complaint(user=self.user), "investigating")
        proposed = self._walk(self._complaint(user=self.user), "proposed")
        major = self._complaint(user=self.user, severity="major")
        self._walk(major, "proposed")
        major.with_user(self.manager).action_approve()
        approved = self._walk(self._complaint(user=self.user), "approved")
        resolved = self._walk(self._complaint(user=self.user), "resolved")
        resolved.sudo().write({"satisfaction": "satisfied", "force_close_reason": "x"})
        closed = self._walk(self._complaint(user=self.user), "closed")
        return fresh | investigating | proposed | major | approved | resolved | closed

    def test_complaint_flags_match_actions(self):
        from ..models.complaint_complaint import BUTTON_ACTIONS

        complaints = self._complaints()
        users = (self.user, self.handler, self.handler2, self.manager, self.executive)
        for complaint in complaints:
            for user in users:
                for action in BUTTON_ACTIONS:
                    flag = complaint.with_user(user)[f"can_{action}"]
                    type(self).cases += 1
                    label = f"{action} on {complaint.state} by {user.login}"
                    with self.subTest(label):
                        try:
                            with self.env.cr.savepoint(), mute_logger("odoo.models"):
                                getattr(complaint.with_user(user), f"action_{action}")()
                                raise _Allowed()
                        except _Allowed:
                            allowed = True
                        except AccessError:
                            allowed = False
                        except UserError as err:
                            # Data still missing (a reason, a plan) is said on
                            # click, not by hiding the button.
                            allowed = "first" in str(err) or "before" in str(err)
                        complaint.invalidate_recordset()
                        self.assertEqual(flag, allowed, label)

    def test_penalty_flags_match_actions(self):
        from ..models.complaint_penalty import PENALTY_TRANSITIONS

        penalties = (
            self._penalty("draft")
            | self._penalty("confirmed")
            | self._penalty("confirmed", amount=3000.0)
            | self._penalty("approved")
            | self._penalty("applied")
        )
        penalties[2].with_user(self.finance).action_approve()
        users = (self.manager, self.finance, self.executive)
        args = {"apply": ("2026-11",)}
        for penalty in penalties:
            for user in users:
                for step in PENALTY_TRANSITIONS:
                    flag = penalty.with_user(user)[f"can_{step}"]
                    type(self).cases += 1
                    label = f"{step} on {penalty.state} by {user.login}"
                    with self.subTest(label):
                        try:
                            with self.env.cr.savepoint(), mute_logger("odoo.models"):
                                method = getattr(
                                    penalty.with_user(user), f"action_{step}"
                                )
                                method(*args.get(step, ()))
                                raise _Allowed()
                        except _Allowed:
                            allowed = True
                        except (AccessError, UserError):
                            allowed = False
                        penalty.invalidate_recordset()
                        self.assertEqual(flag, allowed, label)


class _Allowed(Exception):
    """Raised to roll back an action that went through."""


@tagged("post_install", "-at_install")
class TestDemoThroughActions(IntegrityCase):
    """Demo records are states the server produced (skipped without demo)."""

    def test_demo_states_carry_their_facts(self):
        complaints = self.env["complaint.complaint"].search(
            [("name", "!=", False), ("id", "in", self._demo_ids())]
        )
        if not complaints:
            self.skipTest("no demo data")
        for complaint in complaints:
            with self.subTest(complaint.name):
                state = complaint.state
                if state in (
                    "investigating",
                    "proposed",
                    "approved",
                    "resolved",
                    "closed",
                ):
                    self.assertTrue(complaint.date_acknowledged)
                if (
                    state in ("approved", "resolved", "closed")
                    and not complaint.reopen_count
                ):
                    self.assertTrue(complaint.approved_by_id)
                    self.assertNotEqual(
                        complaint.approved_by_id, complaint.proposed_by_id
                    )
                    if complaint.needs_executive:
                        self.assertTrue(complaint.executive_approved_by_id)
                if state in ("resolved", "closed"):
                    self.assertTrue(complaint.date_resolved)
                if state == "closed":
                    self.assertTrue(complaint.date_closed and complaint.satisfaction)
                if state != "new":
                    self.assertTrue(complaint.message_ids)
        penalties = self.env["complaint.penalty"].search(
            [("complaint_id", "in", complaints.ids)]
        )
        for penalty in penalties.filtered(lambda p: p.state == "applied"):
            self.assertTrue(penalty.applied_by_id and penalty.approved_by_id)

    def _demo_ids(self):
        data = self.env["ir.model.data"].search(
            [("module", "=", "complaint_center"), ("model", "=", "complaint.complaint")]
        )
        return data.mapped("res_id")
