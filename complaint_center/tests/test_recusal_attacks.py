"""Nobody decides their own case (issue 22, second round of attacks).

Each attack acts as the attacker (``with_user``), expects the refusal, then
reads the records again as superuser: nothing changed. Next to each attack,
the legitimate path stays open to someone not involved."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ComplaintCase, make_user

RULE_LOGGERS = ("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model")
PERIOD = "2031-04"


@tagged("post_install", "-at_install")
class TestRecusalAttacks(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Only the penalties made here, whatever the database ships.
        cls.env["complaint.penalty.rule"].search([]).active = False
        # Penalties waiting in the database (demo data) stay out of the
        # payroll period applied here.
        cls.env["complaint.penalty"].search([("state", "=", "approved")]).write(
            {"state": "cancelled"}
        )
        cls.company.complaint_penalty_executive_threshold = 0.0
        cls.finance2 = make_user(
            cls.env,
            login="cc_t_finance2",
            groups="complaint_center.group_complaint_finance",
        )
        Employee = cls.env["hr.employee"]
        # The attackers are employees: complained about, responsible or
        # penalised.
        cls.boss = Employee.create({"name": "Manager Two", "user_id": cls.manager2.id})
        cls.cashier = Employee.create(
            {"name": "Finance Fang", "user_id": cls.finance.id}
        )
        cls.worker = Employee.create(
            {"name": "Worker Wu", "department_id": cls.department.id}
        )

    # Helpers --------------------------------------------------------------
    def _about(self, employee, state="new", **vals):
        """A complaint about ``employee`` (complained about), in ``state``."""
        complaint = self._complaint(
            subject_employee_ids=[Command.set(employee.ids)], **vals
        )
        if state != "new":
            self._to_state(complaint, state)
        return complaint

    def _responsible(self, employee, complaint=None):
        """A complaint in which ``employee`` holds a responsibility line."""
        complaint = complaint or self._complaint()
        self.env["complaint.responsibility"].create(
            {
                "complaint_id": complaint.id,
                "party_type": "employee",
                "employee_id": employee.id,
                "share": 100.0,
                "cause": "Did not check the seal.",
            }
        )
        return complaint

    def _penalty(self, employee, complaint=None, **vals):
        values = {
            "complaint_id": (complaint or self._complaint()).id,
            "kind": "deduction",
            "employee_id": employee.id,
            "amount": 500.0,
        }
        values.update(vals)
        return self.env["complaint.penalty"].create(values)

    def _reread(self, record, names):
        record.invalidate_recordset()
        return {name: record.sudo()[name] for name in names}

    # Hole 2: an involved manager decides his own case -----------------------
    @mute_logger(*RULE_LOGGERS)
    def test_involved_manager_cannot_cancel(self):
        about_him = self._about(self.boss, "investigating")
        responsible = self._to_state(self._responsible(self.boss), "investigating")
        for complaint in (about_him, responsible):
            self.assertIn(self.manager2, complaint.involved_user_ids)
            self.assertFalse(complaint.with_user(self.manager2).can_cancel)
            with self.assertRaises(AccessError):
                complaint.with_user(self.manager2).action_cancel()
            self.assertEqual(complaint.sudo().state, "investigating")
        # A manager not involved still cancels.
        about_him.with_user(self.manager).action_cancel()
        self.assertEqual(about_him.state, "cancelled")

    @mute_logger(*RULE_LOGGERS)
    def test_involved_manager_cannot_lower_severity_by_intake_correction(self):
        complaint = self._about(self.boss, "investigating", severity="major")
        self.assertTrue(complaint.needs_executive)
        with self.assertRaises(AccessError):
            complaint.with_user(self.manager2).action_correct_intake()
        Correction = self.env["complaint.intake.correction"].with_context(
            default_complaint_id=complaint.id
        )
        wizard = Correction.with_user(self.manager2).create(
            {"severity": "general", "reason": "Mistyped at intake."}
        )
        with self.assertRaises(AccessError):
            wizard.action_apply()
        self.assertEqual(
            self._reread(complaint, ["severity", "needs_executive"]),
            {"severity": "major", "needs_executive": True},
        )
        # Nor directly, while the facts are still open.
        for vals in ({"severity": "general"}, {"compensation_amount": 1.0}):
            with self.assertRaises(AccessError):
                complaint.with_user(self.manager2).write(vals)
        self.assertEqual(
            self._reread(complaint, ["severity", "compensation_amount"]),
            {"severity": "major", "compensation_amount": 0.0},
        )
        new = self._about(self.boss, severity="major")
        with self.assertRaises(AccessError):
            new.with_user(self.manager2).write({"severity": "general"})
        self.assertEqual(new.sudo().severity, "major")
        # A manager not involved corrects it.
        Correction.with_user(self.manager).create(
            {"severity": "general", "reason": "Mistyped at intake."}
        ).action_apply()
        self.assertEqual(complaint.severity, "general")

    @mute_logger(*RULE_LOGGERS)
    def test_involved_manager_cannot_decide_the_extension(self):
        complaint = self._about(self.boss, "investigating")
        deadline = complaint.date_resolve_deadline
        ext = (
            self.env["complaint.extension"]
            .with_user(self.handler)
            .create(
                {
                    "complaint_id": complaint.id,
                    "days": 2,
                    "reason": "Waiting for the lab report.",
                }
            )
        )
        self.assertFalse(ext.with_user(self.manager2).can_decide)
        for method in ("action_approve", "action_refuse"):
            with self.assertRaises(AccessError):
                getattr(ext.with_user(self.manager2), method)()
        # Nor changes the request while it waits.
        with self.assertRaises(AccessError):
            ext.with_user(self.manager2).write({"days": 4})
        self.assertEqual(
            self._reread(ext, ["state", "days", "decided_by_id"]),
            {"state": "requested", "days": 2, "decided_by_id": self.env["res.users"]},
        )
        self.assertEqual(
            self._reread(complaint, ["date_resolve_deadline", "extension_days"]),
            {"date_resolve_deadline": deadline, "extension_days": 0},
        )
        self.assertTrue(ext.with_user(self.manager).can_decide)
        ext.with_user(self.manager).action_approve()
        self.assertEqual(ext.state, "approved")
        self.assertEqual(complaint.extension_days, 2)

    @mute_logger(*RULE_LOGGERS)
    def test_involved_manager_cannot_sign_the_handling_report(self):
        complaint = self._about(self.boss, "investigating")
        complaint.sudo().write(
            {
                "no_standard": True,
                "report_cause": "No rule for sealing the caps.",
                "report_result": "Batch recalled.",
                "report_improvement": "Caps checked at packing.",
            }
        )
        self.assertFalse(complaint.with_user(self.manager2).can_sign_report)
        with self.assertRaises(AccessError):
            complaint.with_user(self.manager2).action_sign_report()
        self.assertFalse(
            self._reread(complaint, ["report_signed_by_id"])["report_signed_by_id"]
        )
        self.assertTrue(complaint.with_user(self.manager).can_sign_report)
        complaint.with_user(self.manager).action_sign_report()
        self.assertEqual(complaint.report_signed_by_id, self.manager)

    @mute_logger(*RULE_LOGGERS)
    def test_involved_manager_cannot_verify_the_corrective_action(self):
        complaint = self._about(self.boss, "investigating")
        action = self.env["complaint.action"].create(
            {
                "complaint_id": complaint.id,
                "name": "Check the seals",
                "user_id": self.handler.id,
                "date_deadline": fields.Date.today(),
            }
        )
        action.with_user(self.handler).action_done()
        self.assertFalse(action.with_user(self.manager2).can_verify)
        with self.assertRaises(AccessError):
            action.with_user(self.manager2).action_verify()
        self.assertEqual(
            self._reread(action, ["state", "verified_by_id"]),
            {"state": "done", "verified_by_id": self.env["res.users"]},
        )
        action.with_user(self.manager).action_verify()
        self.assertEqual(action.state, "verified")

    @mute_logger(*RULE_LOGGERS)
    def test_involved_people_do_not_decide_the_penalties_of_their_case(self):
        # The manager complained about confirms none of its penalties...
        about_him = self._about(self.boss)
        penalty = self._penalty(self.worker, about_him)
        self.assertFalse(penalty.with_user(self.manager2).can_confirm)
        with self.assertRaises(AccessError):
            penalty.with_user(self.manager2).action_confirm()
        with self.assertRaises(AccessError):
            penalty.with_user(self.manager2).write({"amount": 1.0})
        self.assertEqual(
            self._reread(penalty, ["state", "amount"]),
            {"state": "draft", "amount": 500.0},
        )
        penalty.with_user(self.manager).action_confirm()
        self.assertEqual(penalty.state, "confirmed")
        # ... and finance named responsible approves none of hers.
        hers = self._responsible(self.cashier)
        penalty = self._penalty(self.worker, hers)
        penalty.with_user(self.manager).action_confirm()
        self.assertFalse(penalty.with_user(self.finance).can_approve)
        with self.assertRaises(AccessError):
            penalty.with_user(self.finance).action_approve()
        self.assertEqual(
            self._reread(penalty, ["state", "approved_by_id"]),
            {"state": "confirmed", "approved_by_id": self.env["res.users"]},
        )
        penalty.with_user(self.finance2).action_approve()
        self.assertEqual(penalty.state, "approved")

    # Hole 4: a manager lowers and confirms a penalty on himself ---------------
    @mute_logger(*RULE_LOGGERS)
    def test_manager_cannot_lower_or_confirm_his_own_penalty(self):
        penalty = self._penalty(self.boss)
        self.assertFalse(penalty.with_user(self.manager2).can_confirm)
        with self.assertRaises(AccessError):
            penalty.with_user(self.manager2).write({"amount": 0.01})
        with self.assertRaises(AccessError):
            penalty.with_user(self.manager2).action_confirm()
        self.assertEqual(
            self._reread(penalty, ["amount", "state", "confirmed_by_id"]),
            {
                "amount": 500.0,
                "state": "draft",
                "confirmed_by_id": self.env["res.users"],
            },
        )
        self.assertIn("yourself", penalty.with_user(self.manager2).next_step)
        # Nor deletes it while it is a draft.
        with self.assertRaises(AccessError):
            penalty.with_user(self.manager2).unlink()
        self.assertTrue(penalty.exists())
        # Another manager confirms it.
        penalty.with_user(self.manager).action_confirm()
        self.assertEqual(penalty.state, "confirmed")

    @mute_logger(*RULE_LOGGERS)
    def test_manager_cannot_cancel_his_own_points_penalty(self):
        points = self._penalty(self.boss, kind="points", points=3, amount=0.0)
        points.with_user(self.manager).action_confirm()
        self.assertFalse(points.with_user(self.manager2).can_cancel)
        with self.assertRaises(AccessError):
            points.with_user(self.manager2).action_cancel()
        self.assertEqual(
            self._reread(points, ["state", "points"]),
            {"state": "confirmed", "points": 3},
        )
        points.with_user(self.manager).action_cancel()
        self.assertEqual(points.state, "cancelled")

    @mute_logger(*RULE_LOGGERS)
    def test_nobody_makes_or_moves_a_penalty_onto_himself(self):
        Penalty = self.env["complaint.penalty"]
        complaint = self._complaint()
        with self.assertRaises(AccessError):
            Penalty.with_user(self.manager2).create(
                {
                    "complaint_id": complaint.id,
                    "kind": "reward",
                    "employee_id": self.boss.id,
                    "amount": 1000.0,
                }
            )
        self.assertFalse(Penalty.search([("employee_id", "=", self.boss.id)]))
        reward = self._penalty(self.worker, complaint, kind="reward", amount=100.0)
        with self.assertRaises(AccessError):
            reward.with_user(self.manager2).write({"employee_id": self.boss.id})
        self.assertEqual(
            self._reread(reward, ["employee_id"])["employee_id"], self.worker
        )
        # Others' penalties are still made and edited.
        reward.with_user(self.manager2).write({"amount": 120.0})
        self.assertEqual(reward.amount, 120.0)

    # Hole 5: finance approves and applies a reward to herself -----------------
    @mute_logger(*RULE_LOGGERS)
    def test_finance_cannot_approve_or_apply_her_own_reward(self):
        reward = self._penalty(self.cashier, kind="reward", amount=300.0)
        reward.with_user(self.manager).action_confirm()
        self.assertFalse(reward.with_user(self.finance).can_approve)
        with self.assertRaises(AccessError):
            reward.with_user(self.finance).action_approve()
        self.assertEqual(
            self._reread(reward, ["state", "approved_by_id"]),
            {"state": "confirmed", "approved_by_id": self.env["res.users"]},
        )
        reward.with_user(self.finance2).action_approve()
        self.assertEqual(reward.state, "approved")
        self.assertFalse(reward.with_user(self.finance).can_apply)
        self.assertFalse(reward.with_user(self.finance).can_cancel)
        with self.assertRaises(AccessError):
            reward.with_user(self.finance).action_apply(PERIOD)
        with self.assertRaises(AccessError):
            reward.with_user(self.finance).action_open_apply_wizard()
        with self.assertRaises(AccessError):
            reward.with_user(self.finance).write({"payroll_period": PERIOD})
        with self.assertRaises(AccessError):
            reward.with_user(self.finance).action_cancel()
        # The period wizard applies the others' and leaves hers to a colleague.
        other = self._penalty(self.worker, kind="reward", amount=50.0)
        other.with_user(self.manager).action_confirm()
        other.with_user(self.finance).action_approve()
        wizard = (
            self.env["complaint.penalty.apply.wizard"]
            .with_user(self.finance)
            .create({"payroll_period": PERIOD})
        )
        self.assertIn(other, wizard.penalty_ids)
        self.assertNotIn(reward, wizard.penalty_ids)
        wizard.action_apply()
        self.assertEqual(other.state, "applied")
        self.assertEqual(
            self._reread(reward, ["state", "payroll_period", "applied_by_id"]),
            {
                "state": "approved",
                "payroll_period": False,
                "applied_by_id": self.env["res.users"],
            },
        )
        reward.with_user(self.finance2).action_apply(PERIOD)
        self.assertEqual(reward.state, "applied")
        # Nor does she reverse it (a deduction of hers would be undone so).
        with self.assertRaises(AccessError):
            reward.with_user(self.finance).action_reverse()
        self.assertFalse(reward.sudo().reversal_ids)

    # Hole 6: thresholds in the company's currency -----------------------------
    def _foreign_currency(self):
        """A currency other than the company's, worth 7.2 of it."""
        company_currency = self.company.currency_id
        foreign = self.env.ref("base.CNY")
        if foreign == company_currency:
            foreign = self.env.ref("base.USD")
        foreign.active = True
        Rate = self.env["res.currency.rate"]
        today = fields.Date.today()
        for currency, rate in ((company_currency, 1.0), (foreign, 1 / 7.2)):
            Rate.search(
                [
                    ("currency_id", "=", currency.id),
                    ("company_id", "=", self.company.id),
                    ("name", "=", today),
                ]
            ).unlink()
            Rate.create(
                {
                    "currency_id": currency.id,
                    "company_id": self.company.id,
                    "name": today,
                    "rate": rate,
                }
            )
        return foreign

    def test_penalty_threshold_in_the_company_currency(self):
        self.company.complaint_penalty_executive_threshold = 2000.0
        foreign = self._foreign_currency()
        # 1,999 of the foreign currency is 14,392.80 of the company's.
        big = self._penalty(self.worker, amount=1999.0, currency_id=foreign.id)
        small = self._penalty(self.worker, amount=1999.0)
        self.assertTrue(big.needs_executive)
        self.assertFalse(small.needs_executive)
        (big | small).with_user(self.manager).action_confirm()
        (big | small).with_user(self.finance).action_approve()
        self.assertEqual(small.state, "approved")
        self.assertEqual(big.state, "confirmed")
        with self.assertRaises(UserError):
            big.with_user(self.finance).action_apply(PERIOD)
        self.assertEqual(big.sudo().state, "confirmed")
        big.with_user(self.executive).action_approve()
        self.assertEqual(big.state, "approved")

    def test_plan_threshold_in_the_company_currency(self):
        self.company.complaint_executive_threshold = 2000.0
        foreign = self._foreign_currency()
        big = self._complaint(compensation_amount=1999.0, currency_id=foreign.id)
        small = self._complaint(compensation_amount=1999.0)
        self.assertTrue(big.needs_executive)
        self.assertFalse(small.needs_executive)

    # Hole 7: a penalty's links stay within its complaint and company --------
    @mute_logger(*RULE_LOGGERS)
    def test_penalty_line_belongs_to_its_complaint_and_company(self):
        other_company = self.env["res.company"].create({"name": "Branch Co"})
        elsewhere = (
            self.env["complaint.complaint"]
            .with_company(other_company)
            .create({"partner_id": self.other_customer.id})
        )
        self.assertEqual(elsewhere.company_id, other_company)
        Resp = self.env["complaint.responsibility"]
        foreign_line = Resp.create(
            {
                "complaint_id": elsewhere.id,
                "party_type": "customer",
                "cause": "Secret cause of Branch Co.",
            }
        )
        neighbour = self._complaint()
        neighbour_line = Resp.create(
            {
                "complaint_id": neighbour.id,
                "party_type": "customer",
                "cause": "Cause of the neighbour complaint.",
            }
        )
        complaint = self._responsible(self.worker)
        own_line = complaint.responsibility_ids
        Penalty = self.env["complaint.penalty"].with_user(self.manager)
        for line in (foreign_line, neighbour_line):
            with self.assertRaises(UserError):
                Penalty.create(
                    {
                        "complaint_id": complaint.id,
                        "responsibility_id": line.id,
                        "employee_id": self.worker.id,
                        "amount": 10.0,
                    }
                )
        self.assertFalse(
            Penalty.sudo().search(
                [("responsibility_id", "in", (foreign_line | neighbour_line).ids)]
            )
        )
        penalty = Penalty.create(
            {
                "complaint_id": complaint.id,
                "responsibility_id": own_line.id,
                "employee_id": self.worker.id,
                "amount": 10.0,
            }
        )
        for line in (foreign_line, neighbour_line):
            with self.assertRaises(UserError):
                penalty.write({"responsibility_id": line.id})
        self.assertEqual(
            self._reread(penalty, ["responsibility_id"])["responsibility_id"], own_line
        )
        # Nor moved to another complaint away from its line.
        with self.assertRaises(ValidationError):
            penalty.write({"complaint_id": neighbour.id})
        self.assertEqual(
            self._reread(penalty, ["complaint_id"])["complaint_id"], complaint
        )

    @mute_logger(*RULE_LOGGERS)
    def test_penalty_notice_prints_no_other_complaint_line(self):
        other_company = self.env["res.company"].create({"name": "Branch Co"})
        elsewhere = (
            self.env["complaint.complaint"]
            .with_company(other_company)
            .create({"partner_id": self.other_customer.id})
        )
        foreign_line = self.env["complaint.responsibility"].create(
            {
                "complaint_id": elsewhere.id,
                "party_type": "customer",
                "cause": "Secret cause of Branch Co.",
            }
        )
        complaint = self._responsible(self.worker)
        penalty = self._penalty(
            self.worker, complaint, responsibility_id=complaint.responsibility_ids.id
        )
        # A notice is issued once the penalty is approved (issue 24, 14).
        penalty.with_user(self.manager).action_confirm()
        penalty.with_user(self.finance).action_approve()
        Report = self.env["ir.actions.report"].with_user(self.manager)
        notice = "complaint_center.complaint_report_penalty_notice"
        html = Report._render_qweb_html(notice, penalty.ids)[0].decode()
        self.assertIn("Did not check the seal.", html)
        # A row linked before the check (as an old database may hold one).
        self.env.cr.execute(
            "UPDATE complaint_penalty SET responsibility_id = %s WHERE id = %s",
            (foreign_line.id, penalty.id),
        )
        self.env.invalidate_all()
        html = Report._render_qweb_html(notice, penalty.ids)[0].decode()
        # (Not assertNotIn: its failure would print the whole page.)
        self.assertFalse("Secret cause of Branch Co." in html)
        self.assertIn(complaint.name, html)

    # Hole 9: a group join writes only what the user may write ----------------
    @mute_logger(*RULE_LOGGERS)
    def test_clerk_cannot_grow_a_complaint_she_may_only_read(self):
        Partner = self.env["res.partner"]
        hers = Partner.create(
            {"name": "Her Customer", "is_company": True, "user_id": self.user.id}
        )
        # Logged by a colleague about her customer: she reads it, no more.
        target = self._complaint(user=self.user2, partner_id=hers.id)
        self.assertTrue(target.with_user(self.user).has_access("read"))
        self.assertFalse(target.with_user(self.user).has_access("write"))
        throwaways = [
            self._complaint(
                user=self.user,
                partner_id=Partner.create({"name": f"Throwaway {n}"}).id,
            )
            for n in range(2)
        ]
        names = ["affected_partner_ids", "customer_count", "severity"]
        before = self._reread(target, names)
        for origin in throwaways:
            with self.assertRaises(AccessError):
                target.with_user(self.user).with_context(
                    default_similar_origin_id=origin.id
                ).action_join_group()
            self.assertFalse(origin.sudo().affected_partner_ids)
        self.assertEqual(self._reread(target, names), before)
        self.assertEqual(
            before,
            {
                "affected_partner_ids": Partner,
                "customer_count": 1,
                "severity": "general",
            },
        )
        # Her own complaints she still joins.
        throwaways[1].with_user(self.user).with_context(
            default_similar_origin_id=throwaways[0].id
        ).action_join_group()
        self.assertEqual(throwaways[0].customer_count, 2)
        self.assertEqual(throwaways[1].customer_count, 2)

    @mute_logger(*RULE_LOGGERS)
    def test_involved_manager_cannot_join_his_case_to_a_group(self):
        about_him = self._about(self.boss)
        other = self._complaint(partner_id=self.other_customer.id)
        names = ["affected_partner_ids", "customer_count"]
        before = {rec: self._reread(rec, names) for rec in (about_him, other)}
        with self.assertRaises(AccessError):
            other.with_user(self.manager2).with_context(
                default_similar_origin_id=about_him.id
            ).action_join_group()
        for rec, values in before.items():
            self.assertEqual(self._reread(rec, names), values)
        other.with_user(self.manager).with_context(
            default_similar_origin_id=about_him.id
        ).action_join_group()
        self.assertEqual(about_him.customer_count, 2)

    # Low: a return visit dated before the complaint existed -------------------
    def test_visit_dated_between_the_resolution_and_now(self):
        now = fields.Datetime.now()
        complaint = self._to_state(
            self._complaint(date_received=now - timedelta(days=10)), "resolved"
        )
        Visit = self.env["complaint.visit"].with_user(self.handler)
        values = {
            "complaint_id": complaint.id,
            "method": "phone",
            "result": "Happy with the refund.",
            "satisfaction": "very_satisfied",
        }
        for when in (
            "2020-01-01 08:00:00",  # before the complaint existed
            now - timedelta(days=5),  # before it was resolved
            now + timedelta(days=1),  # not yet
        ):
            with self.assertRaises(ValidationError):
                Visit.create(dict(values, date=when))
        self.assertEqual(
            self._reread(
                complaint,
                ["visit_ids", "satisfaction", "date_feedback", "visit_on_time"],
            ),
            {
                "visit_ids": self.env["complaint.visit"],
                "satisfaction": False,
                "date_feedback": False,
                "visit_on_time": False,
            },
        )
        # Nor is the complaint's feedback date written by hand.
        with self.assertRaises(AccessError):
            complaint.with_user(self.handler).write(
                {"date_feedback": "2020-01-01 08:00:00"}
            )
        self.assertFalse(complaint.sudo().date_feedback)
        when = fields.Datetime.now()
        visit = Visit.create(dict(values, date=when))
        self.assertEqual(complaint.date_feedback, when)
        self.assertEqual(complaint.visit_ids, visit)
