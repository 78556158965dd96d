"""Who sees what, executed for real: every role × read/write/create/unlink ×
(own record, someone else's record, another company's record), for every
model, generated from one table. A missing cell fails the test, so none is
ever skipped silently."""

import logging
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import GROUPS, ComplaintCase, make_user

_logger = logging.getLogger(__name__)

ROLES = (
    "user",  # sales clerk: logged the "own" complaint
    "handler",  # the "own" complaint is assigned to them
    "dept_handler",  # handler in the "own" complaint's department
    "head",  # head of that department (a complaint user)
    "finance",
    "manager",
    "deputy",  # deputy general manager in charge: reads what the manager reads
    "executive",
    "involved",  # a handler of that department, complained about in "own"
)
CASES = ("own", "other", "foreign")
OPS = ("read", "write", "create", "unlink")

# model -> role -> (own, other, foreign): the operations that succeed,
# as letters R(ead) W(rite) C(reate) D(elete). "own" is the record the role
# is attached to (see IntegrityWorld), "other" one of a colleague in the
# same company, "foreign" one of another company.
ALL_DENIED = ("", "", "")
MANAGERS = {
    "manager": ("RWCD", "RWCD", ""),
    "deputy": ("RWCD", "RWCD", ""),
    "executive": ("RWCD", "RWCD", ""),
}
# Lines of a complaint follow it: readable where the complaint is, managed
# by those who handle it (unlink of lines and extension requests).
LINES = {
    "user": ("R", "", ""),
    "handler": ("RWCD", "", ""),
    "dept_handler": ("RWCD", "", ""),
    "head": ("R", "", ""),
    "finance": ("R", "", ""),
    **MANAGERS,
    "involved": ALL_DENIED,
}
# Configuration: everyone reads their companies', managers manage it (and
# finance the penalty rules).
CONFIG = {
    role: ("R", "R", "")
    for role in ("user", "handler", "dept_handler", "head", "finance", "involved")
} | MANAGERS
EXPECTED = {
    "complaint.complaint": {
        "user": ("RWC", "", ""),
        "handler": ("RWC", "", ""),
        "dept_handler": ("RWC", "", ""),
        "head": ("RC", "", ""),
        "finance": ("R", "", ""),
        **MANAGERS,
        "involved": ("C", "", ""),
    },
    "complaint.responsibility": LINES,
    # Actions are deleted by managers only.
    "complaint.action": LINES
    | {"handler": ("RWC", "", ""), "dept_handler": ("RWC", "", "")},
    "complaint.extension": LINES,
    # Handovers to a unit: as the actions (the unit itself is not a role
    # here: test_handover.py attacks it).
    "complaint.handover": LINES
    | {"handler": ("RWC", "", ""), "dept_handler": ("RWC", "", "")},
    # Return visits are never changed nor deleted.
    "complaint.visit": LINES
    | {
        "handler": ("RC", "", ""),
        "dept_handler": ("RC", "", ""),
        "manager": ("RC", "RC", ""),
        "deputy": ("RC", "RC", ""),
        "executive": ("RC", "RC", ""),
    },
    # Own penalty: one naming the role's own employee. Nobody edits or
    # deletes a penalty on themselves (they still create others').
    "complaint.penalty": {
        "user": ("R", "", ""),
        "handler": ("R", "", ""),
        "dept_handler": ("R", "", ""),
        "head": ("R", "R", ""),
        "finance": ("RC", "RWCD", ""),
        "manager": ("RC", "RWCD", ""),
        "deputy": ("RC", "RWCD", ""),
        "executive": ("RC", "RWCD", ""),
        "involved": ("R", "", ""),
    },
    "complaint.category": CONFIG,
    "complaint.policy": CONFIG,
    "complaint.penalty.rule": CONFIG | {"finance": ("RWCD", "RWCD", "")},
    "complaint.penalty.bracket": CONFIG | {"finance": ("RWCD", "RWCD", "")},
}


class _Done(Exception):
    """Raised to roll an operation that went through back."""


@tagged("post_install", "-at_install")
class TestAccessMatrix(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["complaint.penalty.rule"].search([]).active = False
        env = cls.env
        cls.company2 = env["res.company"].create({"name": "Elsewhere Ltd"})
        staff = env["hr.department"].create({"name": "Staff"})
        # Everyone has an employee (penalties name employees); only the
        # handlers of the Quality department work in it.
        cls.head = make_user(
            env,
            login="cc_m_head",
            groups=f"{GROUPS}user,sales_team.group_sale_salesman",
        )
        cls.deputy = make_user(
            env,
            login="cc_m_deputy",
            groups=f"{GROUPS}deputy,sales_team.group_sale_salesman_all_leads",
        )
        cls.involved = make_user(
            env,
            login="cc_m_involved",
            groups=f"{GROUPS}handler,sales_team.group_sale_salesman",
        )
        cls.users = {
            "user": cls.user,
            "handler": cls.handler,
            "dept_handler": cls.handler2,
            "head": cls.head,
            "finance": cls.finance,
            "manager": cls.manager,
            "deputy": cls.deputy,
            "executive": cls.executive,
            "involved": cls.involved,
        }
        Employee = env["hr.employee"]
        cls.employees = {}
        for role, user in cls.users.items():
            employee = user.employee_ids[:1]
            if not employee:
                department = staff
                if role == "involved":
                    department = cls.department
                employee = Employee.create(
                    {"name": f"{role} employee", "user_id": user.id}
                )
                employee.department_id = department
            cls.employees[role] = employee
        cls.department.manager_id = cls.employees["head"]
        cls.stranger = Employee.create({"name": "Stranger", "department_id": staff.id})
        cls.foreign_employee = Employee.create(
            {"name": "Far Away", "company_id": cls.company2.id}
        )
        cls.foreign_customer = env["res.partner"].create(
            {"name": "Far Customer", "company_id": cls.company2.id}
        )
        cls._build_world()

    @classmethod
    def _build_world(cls):
        env = cls.env
        Complaint = env["complaint.complaint"]

        def complaint(case, state):
            if case == "own":
                rec = Complaint.with_user(cls.user).create(
                    {
                        "partner_id": cls.customer.id,
                        "category_id": cls.category.id,
                        "description": "Own",
                        "compensation_amount": 80.0,
                        "subject_employee_ids": [(4, cls.employees["involved"].id)],
                    }
                )
            elif case == "other":
                rec = Complaint.with_user(cls.user2).create(
                    {
                        "partner_id": cls.other_customer.id,
                        # A back-office intake names its category; the
                        # routing given here wins over the category's.
                        "category_id": cls.category.id,
                        "user_id": cls.handler3.id,
                        "department_id": cls.other_department.id,
                        "description": "Other",
                    }
                )
            else:
                rec = Complaint.with_company(cls.company2).create(
                    {
                        "partner_id": cls.foreign_customer.id,
                        "company_id": cls.company2.id,
                        "description": "Foreign",
                    }
                )
            rec = rec.with_env(env)
            if state in ("investigating", "resolved"):
                rec.action_accept()
            if state == "resolved":
                rec.write({"resolution_type": "apology", "resolution": "<p>Sorry.</p>"})
                rec.action_propose()
                # Approved by someone other than the proposer (the superuser).
                rec.with_user(cls.manager2).sudo().action_approve()
                rec.action_resolve()
            return rec

        cls.world = {}
        # A unit none of the roles works in.
        cls.handover_unit = env["hr.department"].create(
            {"name": "Matrix Unit", "company_id": False}
        )
        for case in CASES:
            new = complaint(case, "new")
            investigating = complaint(case, "investigating")
            resolved = complaint(case, "resolved")
            company = investigating.company_id
            target = cls.foreign_employee if case == "foreign" else cls.stranger
            line = env["complaint.responsibility"].create(
                {
                    "complaint_id": investigating.id,
                    "party_type": "employee",
                    "employee_id": target.id,
                    "share": 10,
                    "cause": "Matrix",
                }
            )
            action = (
                env["complaint.action"]
                .sudo()
                .create(
                    {
                        "complaint_id": investigating.id,
                        "name": "Matrix action",
                        "user_id": cls.executive.id,
                        "date_deadline": fields.Date.today() + timedelta(days=9),
                    }
                )
            )
            extension = (
                env["complaint.extension"]
                .sudo()
                .create(
                    {"complaint_id": investigating.id, "days": 1, "reason": "Matrix"}
                )
            )
            visit = (
                env["complaint.visit"]
                .sudo()
                .create(
                    {
                        "complaint_id": resolved.id,
                        "result": "Matrix",
                        "satisfaction": "satisfied",
                    }
                )
            )
            handover = env["complaint.handover"].create(
                {
                    "complaint_id": investigating.id,
                    "department_id": cls.handover_unit.id,
                }
            )
            cls.world[case] = {
                "complaint.handover": handover,
                "complaint.complaint": new,
                "investigating": investigating,
                "resolved": resolved,
                "complaint.responsibility": line,
                "complaint.action": action,
                "complaint.extension": extension,
                "complaint.visit": visit,
                "company": company,
            }
            cls.world[case]["complaint.category"] = env["complaint.category"].create(
                {
                    "name": f"Cat {case}",
                    "code": f"M{case[:2]}",
                    "company_id": company.id,
                }
            )
            cls.world[case]["complaint.policy"] = env["complaint.policy"].create(
                {"name": f"Policy {case}", "company_id": company.id}
            )
            rule = env["complaint.penalty.rule"].create(
                {
                    "name": f"Rule {case}",
                    "rule_type": "points",
                    "points": 1,
                    "company_id": company.id,
                    "active": False,
                }
            )
            cls.world[case]["complaint.penalty.rule"] = rule
            cls.world[case]["complaint.penalty.bracket"] = env[
                "complaint.penalty.bracket"
            ].create({"rule_id": rule.id, "loss_from": 0, "percent": 1})

    # Fixtures per role ------------------------------------------------------
    def _penalty(self, role, case):
        complaint = self.world[case]["investigating"]
        employee = {
            "own": self.employees[role],
            "other": self.stranger,
            "foreign": self.foreign_employee,
        }[case]
        if case == "other" and role == "head":
            # Someone else of the department the head runs.
            employee = self.employees["dept_handler"]
        return (
            self.env["complaint.penalty"]
            .sudo()
            .create(
                {
                    "complaint_id": complaint.id,
                    "company_id": complaint.company_id.id,
                    "employee_id": employee.id,
                    "department_id": employee.department_id.id,
                    "amount": 10.0,
                    "points": 1,
                }
            )
        )

    def _record(self, model, role, case):
        if model == "complaint.penalty":
            return self._penalty(role, case)
        return self.world[case][model]

    def _create_values(self, model, role, case):
        world = self.world[case]
        company = world["company"]
        if model == "complaint.complaint":
            vals = {
                "partner_id": (
                    self.foreign_customer if case == "foreign" else self.customer
                ).id,
                "description": "Matrix create",
                "company_id": company.id,
                # A back-office intake names its category.
                "category_id": world["complaint.category"].id,
            }
            if case == "other":
                vals["first_responder_id"] = self.user2.id
            return vals
        complaint = world["investigating"]
        if model == "complaint.responsibility":
            return {
                "complaint_id": complaint.id,
                "party_type": "department",
                "department_id": self.other_department.id
                if case != "foreign"
                else False,
                "share": 5,
                "cause": "Matrix create",
                **(
                    {"party_type": "external", "partner_id": self.foreign_customer.id}
                    if case == "foreign"
                    else {}
                ),
            }
        if model == "complaint.action":
            return {
                "complaint_id": complaint.id,
                "name": "Matrix create",
                "user_id": self.executive.id,
                "date_deadline": fields.Date.today() + timedelta(days=3),
            }
        if model == "complaint.extension":
            # One request at a time: the fixture's is decided first below.
            return {"complaint_id": complaint.id, "days": 1, "reason": "More"}
        if model == "complaint.handover":
            return {
                "complaint_id": complaint.id,
                "department_id": self.handover_unit.id,
            }
        if model == "complaint.visit":
            return {
                "complaint_id": world["resolved"].id,
                "result": "Again",
                "satisfaction": "neutral",
            }
        if model == "complaint.penalty":
            return {
                "complaint_id": complaint.id,
                "company_id": company.id,
                "employee_id": (
                    self.foreign_employee if case == "foreign" else self.stranger
                ).id,
                "points": 1,
            }
        if model == "complaint.category":
            return {"name": "New cat", "code": "NC", "company_id": company.id}
        if model == "complaint.policy":
            return {"name": "New policy", "company_id": company.id}
        if model == "complaint.penalty.rule":
            return {
                "name": "New rule",
                "rule_type": "points",
                "points": 1,
                "company_id": company.id,
                "active": False,
            }
        if model == "complaint.penalty.bracket":
            return {
                "rule_id": world["complaint.penalty.rule"].id,
                "loss_from": 500,
                "percent": 2,
            }
        raise AssertionError(model)

    WRITES = {
        "complaint.complaint": {"description": "<p>Matrix write</p>"},
        "complaint.responsibility": {"cause": "Matrix write"},
        "complaint.action": {"description": "Matrix write"},
        "complaint.extension": {"reason": "Matrix write"},
        "complaint.visit": {"result": "Matrix write"},
        "complaint.handover": {"note": "Matrix write"},
        "complaint.penalty": {"reason": "Matrix write"},
        "complaint.category": {"description": "Matrix write"},
        "complaint.policy": {"name": "Matrix write"},
        "complaint.penalty.rule": {"name": "Matrix write"},
        "complaint.penalty.bracket": {"percent": 3},
    }

    def _attempt(self, model, role, case, op):
        """Run ``op`` as ``role`` on ``case``; True when it went through."""
        user = self.users[role]
        try:
            with (
                self.env.cr.savepoint(),
                mute_logger("odoo.models", "odoo.addons.base.models.ir_rule"),
            ):
                if op == "create":
                    if model == "complaint.extension":
                        self.world[case]["complaint.extension"].sudo().write(
                            {"state": "refused"}
                        )
                    vals = self._create_values(model, role, case)
                    self.env[model].with_user(user).create(vals)
                else:
                    record = self._record(model, role, case).with_user(user)
                    if op == "read":
                        record.read(list(self.WRITES[model]) + ["display_name"])
                    elif op == "write":
                        record.write(self.WRITES[model])
                    else:
                        record.unlink()
                raise _Done()
        except _Done:
            return True
        except (AccessError, UserError):
            return False

    def test_matrix(self):
        letters = dict(zip(OPS, "RWCD", strict=True))
        cells = 0
        mismatches = []
        for model, by_role in EXPECTED.items():
            self.assertEqual(set(by_role), set(ROLES), model)
            for role in ROLES:
                expected = by_role[role]
                self.assertEqual(len(expected), len(CASES), (model, role))
                for case, allowed in zip(CASES, expected, strict=True):
                    for op in OPS:
                        cells += 1
                        want = letters[op] in allowed
                        got = self._attempt(model, role, case, op)
                        if want != got:
                            mismatches.append(
                                f"{model} {role} {case} {op}: expected "
                                f"{'allowed' if want else 'denied'}"
                            )
        _logger.info(
            "access matrix: %s models x %s roles x %s operations x %s cases = %s cells",
            len(EXPECTED),
            len(ROLES),
            len(OPS),
            len(CASES),
            cells,
        )
        self.assertEqual(cells, len(EXPECTED) * len(ROLES) * len(OPS) * len(CASES))
        self.assertEqual(mismatches, [])

    def test_handler_who_logged_a_complaint_does_not_handle_it(self):
        """A handler who logged a complaint for a colleague edits it while it
        is new, and then no more: no 100 % line naming the executive."""
        complaint = self._complaint(user=self.handler3)
        complaint.with_user(self.handler3).write({"customer_request": "refund"})
        self.assertEqual(complaint.user_id, self.handler, "routed to a colleague")
        complaint.with_user(self.handler).action_accept()
        executive = self.executive.employee_ids[:1] or self.env["hr.employee"].create(
            {"name": "General Manager", "user_id": self.executive.id}
        )
        Line = self.env["complaint.responsibility"].with_user(self.handler3)
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            Line.create(
                {
                    "complaint_id": complaint.id,
                    "party_type": "employee",
                    "employee_id": executive.id,
                    "share": 100,
                    "cause": "Everything",
                }
            )
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            complaint.with_user(self.handler3).write({"customer_request": "return"})
        self.assertFalse(complaint.responsibility_ids)
        self.assertEqual(complaint.customer_request, "refund")

    # Reports and wizards -----------------------------------------------------
    # Wizard -> the roles whose access rights open it. Each role's own
    # wizard works for exactly those; nobody, a manager included, reaches a
    # colleague's (the record rules keep wizards private).
    WIZARDS = {
        "complaint.penalty.apply.wizard": {"finance"},
        "complaint.intake.correction": {"manager", "deputy", "executive"},
        "complaint.statistics.wizard": {"finance", "manager", "deputy", "executive"},
        "complaint.register.wizard": {"finance", "manager", "deputy", "executive"},
    }

    def _wizard_values(self, model):
        if model != "complaint.intake.correction":
            return {}
        complaint = self.world["own"]["investigating"]
        return {
            "complaint_id": complaint.id,
            "date_received": complaint.date_received,
            "partner_id": complaint.partner_id.id,
            "severity": complaint.severity,
            "channel": complaint.channel,
            "reason": "Matrix",
        }

    def _wizard_attempt(self, model, user, owner, op):
        try:
            with (
                self.env.cr.savepoint(),
                mute_logger("odoo.models", "odoo.addons.base.models.ir_rule"),
            ):
                vals = self._wizard_values(model)
                if op == "create":
                    self.env[model].with_user(user).create(vals)
                else:
                    # Made as its owner would (sudo keeps the owner as creator).
                    wizard = self.env[model].with_user(owner).sudo().create(vals)
                    wizard = wizard.sudo(False).with_user(user)
                    if op == "read":
                        wizard.read(["display_name"])
                    elif op == "write":
                        wizard.write({})
                        wizard.check_access("write")
                    else:
                        wizard.unlink()
                raise _Done()
        except _Done:
            return True
        except (AccessError, UserError):
            return False

    def test_matrix_reports_and_wizards(self):
        """The analysis rows follow their complaint (read only, for every
        role and case); wizards are their creator's, within the roles that
        may use them."""
        cells = 0
        mismatches = []
        Report = self.env["complaint.report"]
        for role, user in self.users.items():
            for case in CASES:
                complaint = self.world[case]["investigating"]
                row = Report.browse(complaint.id).with_user(user)
                self.assertTrue(Report.sudo().browse(complaint.id).exists())
                for op in OPS:
                    cells += 1
                    want = op == "read" and complaint.with_user(user).has_access("read")
                    try:
                        with mute_logger("odoo.addons.base.models.ir_rule"):
                            if op == "read":
                                row.read(["name"])
                            elif op == "create":
                                Report.with_user(user).create({})
                            elif op == "write":
                                row.write({})
                                row.check_access("write")
                            else:
                                row.check_access("unlink")
                        got = True
                    except (AccessError, UserError):
                        got = False
                    if want != got:
                        mismatches.append(f"complaint.report {role} {case} {op}")
        other = self.user2
        for model, roles in self.WIZARDS.items():
            for role, user in self.users.items():
                for case, owner in (("own", user), ("other", other)):
                    for op in OPS:
                        cells += 1
                        want = role in roles and (case == "own" or op == "create")
                        got = self._wizard_attempt(model, user, owner, op)
                        if want != got:
                            mismatches.append(f"{model} {role} {case} {op}")
        _logger.info(
            "access matrix, reports and wizards: (1 report x 3 cases + %s wizards "
            "x 2 cases) x %s roles x %s operations = %s cells",
            len(self.WIZARDS),
            len(ROLES),
            len(OPS),
            cells,
        )
        self.assertEqual(
            cells, (len(CASES) + 2 * len(self.WIZARDS)) * len(ROLES) * len(OPS)
        )
        self.assertEqual(mismatches, [])
