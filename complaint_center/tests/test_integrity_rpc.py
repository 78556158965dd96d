"""The same attacks over real JSON-RPC (``/web/dataset/call_kw``), the way a
browser or a script talks to the server: the context travels with the call
and grants nothing."""

from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import make_user

GROUPS = "complaint_center.group_complaint_"
KEYS = {
    "complaint_transition": True,
    "complaint_penalty_apply": True,
    "complaint_penalty_transition": True,
    "complaint_action_workflow": True,
    "complaint_report_signing": True,
    "complaint_extension_decision": True,
    "install_mode": True,
    "module_uninstall": True,
}


@tagged("post_install", "-at_install")
class TestRpcAttacks(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["complaint.penalty.rule"].search([]).active = False

        def user(login, role):
            return make_user(cls.env, login=login, groups=f"{GROUPS}{role}")

        cls.clerk = user("cc_rpc_user", "user")
        cls.handler = user("cc_rpc_handler", "handler")
        cls.manager = user("cc_rpc_manager", "manager")
        cls.manager2 = user("cc_rpc_manager2", "manager")
        cls.finance = user("cc_rpc_finance", "finance")
        cls.customer = cls.env["res.partner"].create({"name": "RPC Customer"})
        cls.worker = cls.env["hr.employee"].create({"name": "RPC Worker"})
        # A back-office intake names its category (no routing here).
        cls.category = cls.env["complaint.category"].create(
            {"name": "RPC Category", "code": "RPC"}
        )

    def _complaint(self, state):
        complaint = (
            self.env["complaint.complaint"]
            .with_user(self.clerk)
            .create(
                {
                    "partner_id": self.customer.id,
                    "category_id": self.category.id,
                    "user_id": self.handler.id,
                    "description": "<p>Broken seal.</p>",
                }
            )
        )
        if state == "new":
            return complaint.with_env(self.env)
        complaint.with_user(self.handler).action_accept()
        complaint.with_user(self.handler).write(
            {"resolution_type": "apology", "resolution": "<p>Apologise.</p>"}
        )
        complaint.with_user(self.handler).action_propose()
        if state == "proposed":
            return complaint.with_env(self.env)
        complaint.with_user(self.manager).action_approve()
        complaint.with_user(self.handler).action_resolve()
        if state == "resolved":
            return complaint.with_env(self.env)
        complaint.with_user(self.handler).write({"satisfaction": "satisfied"})
        complaint.with_user(self.manager).action_close()
        return complaint.with_env(self.env)

    def _call(self, login, model, method, args, kwargs=None):
        self.authenticate(login, login)
        with mute_logger("odoo.http"):
            return self.make_jsonrpc_request(
                f"/web/dataset/call_kw/{model}/{method}",
                {
                    "model": model,
                    "method": method,
                    "args": args,
                    "kwargs": {"context": KEYS, **(kwargs or {})},
                },
            )

    def _refused(self, login, model, method, args, expected="odoo.exceptions"):
        with self.assertRaises(JsonRpcException) as caught:
            self._call(login, model, method, args)
        self.assertTrue(str(caught.exception).startswith(expected), caught.exception)
        self.env.invalidate_all()

    def test_state_write_refused_over_rpc(self):
        complaint = self._complaint("resolved")
        self._refused(
            "cc_rpc_user",
            "complaint.complaint",
            "write",
            [[complaint.id], {"state": "closed", "date_closed": "2026-11-01 10:00:00"}],
        )
        self.assertEqual(complaint.state, "resolved")
        self.assertFalse(complaint.date_closed)

    def test_closed_complaint_not_deleted_over_rpc(self):
        complaint = self._complaint("closed")
        for login in ("cc_rpc_user", "cc_rpc_manager"):
            self._refused(login, "complaint.complaint", "unlink", [[complaint.id]])
        self.assertTrue(complaint.exists())

    def test_own_plan_not_approved_over_rpc(self):
        complaint = self._complaint("new")
        complaint.with_user(self.manager).action_accept()
        complaint.with_user(self.manager).write(
            {"resolution_type": "apology", "resolution": "<p>Sorry.</p>"}
        )
        complaint.with_user(self.manager).action_propose()
        self._refused(
            "cc_rpc_manager",
            "complaint.complaint",
            "write",
            [[complaint.id], {"proposed_by_id": self.manager2.id}],
        )
        self._refused(
            "cc_rpc_manager", "complaint.complaint", "action_approve", [[complaint.id]]
        )
        self.assertEqual(complaint.state, "proposed")
        self.assertFalse(complaint.approved_by_id)
        self._call(
            "cc_rpc_manager2", "complaint.complaint", "action_approve", [[complaint.id]]
        )
        self.env.invalidate_all()
        self.assertEqual(complaint.state, "approved")

    def test_applied_penalty_frozen_over_rpc(self):
        complaint = self._complaint("new")
        penalty = self.env["complaint.penalty"].create(
            {
                "complaint_id": complaint.id,
                "employee_id": self.worker.id,
                "amount": 50.0,
            }
        )
        penalty.with_user(self.manager).action_confirm()
        penalty.with_user(self.finance).action_approve()
        penalty.with_user(self.finance).action_apply("2026-10")
        for vals in (
            {"amount": 5000.0},
            {"payroll_period": "2026-12"},
            {"state": "cancelled"},
        ):
            self._refused(
                "cc_rpc_finance", "complaint.penalty", "write", [[penalty.id], vals]
            )
        self._refused("cc_rpc_manager", "complaint.penalty", "unlink", [[penalty.id]])
        self.assertEqual(
            (penalty.state, penalty.amount, penalty.payroll_period),
            ("applied", 50.0, "2026-10"),
        )

    def test_extension_not_created_approved_over_rpc(self):
        complaint = self._complaint("proposed")
        self._refused(
            "cc_rpc_handler",
            "complaint.extension",
            "create",
            [
                {
                    "complaint_id": complaint.id,
                    "days": 60,
                    "reason": "x",
                    "state": "approved",
                }
            ],
        )
        self.assertFalse(complaint.extension_ids)

    def test_action_not_verified_by_owner_over_rpc(self):
        complaint = self._complaint("proposed")
        action = (
            self.env["complaint.action"]
            .with_user(self.manager)
            .create(
                {
                    "complaint_id": complaint.id,
                    "name": "Re-train",
                    "user_id": self.handler.id,
                    "date_deadline": fields.Date.today() + timedelta(days=3),
                }
            )
        )
        action.with_user(self.handler).action_done()
        self._refused(
            "cc_rpc_handler",
            "complaint.action",
            "write",
            [[action.id], {"state": "verified", "verified_by_id": self.manager.id}],
        )
        self._refused(
            "cc_rpc_handler", "complaint.action", "action_verify", [[action.id]]
        )
        self.assertEqual(action.state, "done")
        self.assertFalse(action.verified_by_id)
