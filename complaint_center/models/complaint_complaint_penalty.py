"""Penalty proposals from a complaint's responsibilities and the rules."""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..core import penalty as penalty_core
from .complaint_penalty_rule import RULE_KIND

PEOPLE_PARTIES = ("employee", "team", "department", "branch")
SUPPLIER_PARTIES = ("supplier", "carrier")
SATISFIED = ("satisfied", "very_satisfied")


class ComplaintComplaint(models.Model):
    _inherit = "complaint.complaint"

    penalty_ids = fields.One2many(
        "complaint.penalty", "complaint_id", string="Penalties"
    )
    penalty_count = fields.Integer(compute="_compute_penalty_count")

    @api.depends("penalty_ids")
    def _compute_penalty_count(self):
        counts = dict(
            self.env["complaint.penalty"]._read_group(
                [("complaint_id", "in", self.ids)], ["complaint_id"], ["__count"]
            )
        )
        for rec in self:
            rec.penalty_count = counts.get(rec, 0)

    def _after_step(self, step):
        res = super()._after_step(step)
        if step in ("approve", "resolve", "close", "force_close"):
            self.filtered(
                lambda rec: rec.state in ("approved", "resolved", "closed")
            )._propose_penalties()
        return res

    def action_propose_penalties(self):
        if not self.env.user.has_group("complaint_center.group_complaint_manager"):
            raise AccessError(
                self.env._("Only a complaint manager proposes penalties.")
            )
        return self._propose_penalties()

    def action_view_penalties(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_center.complaint_penalty_action"
        )
        action["domain"] = [("complaint_id", "=", self.id)]
        action["context"] = {"default_complaint_id": self.id}
        return action

    def _propose_penalties(self):
        """Draft penalties from the responsibility lines and the company's
        rules, weighted by each party's share. Running it again proposes only
        what is missing (unique per complaint, rule, line and person)."""
        Penalty = self.env["complaint.penalty"].sudo()
        rules = (
            self.env["complaint.penalty.rule"]
            .sudo()
            .search([("company_id", "in", self.company_id.ids)])
        )
        existing = {
            (p.complaint_id.id, p.rule_id.id, p.responsibility_id.id, p.employee_id.id)
            for p in Penalty.search(
                [
                    ("complaint_id", "in", self.ids),
                    ("rule_id", "!=", False),
                    ("reversed_penalty_id", "=", False),
                ]
            )
        }
        vals_list = []
        for rec in self.filtered("is_valid"):
            for rule in rules.filtered(
                lambda r, rec=rec: r.company_id == rec.company_id
            ):
                for vals in rec._penalty_values(rule):
                    key = (
                        rec.id,
                        rule.id,
                        vals.get("responsibility_id") or False,
                        vals.get("employee_id") or False,
                    )
                    if key in existing:
                        continue
                    existing.add(key)
                    vals_list.append(vals)
        return Penalty.create(vals_list)

    def _penalty_values(self, rule):
        """Values of the penalties ``rule`` proposes for this complaint."""
        self.ensure_one()
        rounding = self.company_id.currency_id.rounding
        repeat = self.is_repeat
        # What was approved, not what the fields say now.
        severity, _compensation = self._plan_figures()
        base = {
            "complaint_id": self.id,
            "rule_id": rule.id,
            "company_id": self.company_id.id,
            "currency_id": self.company_id.currency_id.id,
            "kind": RULE_KIND[rule.rule_type],
            "reason": rule.name,
        }
        params = {
            "points": rule.points,
            "repeat_multiplier": rule.repeat_multiplier,
            "amount": rule._severity_amount(severity)
            if rule.rule_type == "severity"
            else rule.amount,
        }
        if rule.rule_type in ("delay", "reward"):
            employee = self._penalty_person(rule)
            if not employee or not rule.amount:
                return []
            amount = penalty_core.penalty_amount(
                rule.rule_type, params, 100.0, repeat, rounding
            )
            return [dict(base, employee_id=employee.id, share=100.0, amount=amount)]
        result = []
        targets = [
            (line, target)
            for line in self.responsibility_ids
            if (target := self._penalty_target(rule, line))
        ]
        split = {}
        if rule.rule_type == "severity" and targets:
            # One amount shared by the parties: the parts add up exactly.
            total = penalty_core.penalty_amount(
                rule.rule_type, params, 100.0, repeat, rounding
            )
            shares = [line.share for line, _target in targets]
            split = dict(
                zip(
                    [line for line, _target in targets],
                    penalty_core.allocate(total, shares, rounding),
                    strict=True,
                )
            )
        for line, target in targets:
            if rule.rule_type == "pay_percent":
                params.update(
                    pay_base=line.employee_id.sudo().complaint_pay_base,
                    loss=self._loss_in_company_currency(),
                    brackets=[(b.loss_from, b.percent) for b in rule.bracket_ids],
                )
            if line in split:
                value = split[line]
            else:
                value = penalty_core.penalty_amount(
                    rule.rule_type, params, line.share, repeat, rounding
                )
            if not value:
                continue
            vals = dict(base, responsibility_id=line.id, share=line.share, **target)
            if rule.rule_type == "points":
                vals["points"] = value
            else:
                vals["amount"] = value
            if "partner_id" in target:
                vals["kind"] = "chargeback"
            result.append(vals)
        return result

    def _penalty_target(self, rule, line):
        """Who a rule charges for a responsibility line, as field values:
        the person, else the attributed unit (team → plant, person → branch),
        or the supplier for chargebacks."""
        if rule.party_types == "supplier":
            if line.party_type in SUPPLIER_PARTIES and line.partner_id:
                return {"partner_id": line.partner_id.id}
            return {}
        if line.party_type not in PEOPLE_PARTIES:
            return {}
        if line.employee_id:
            return {
                "employee_id": line.employee_id.id,
                "department_id": line.attributed_department_id.id,
            }
        if rule.party_types == "employee" or rule.rule_type == "pay_percent":
            return {}
        if line.attributed_department_id:
            return {"department_id": line.attributed_department_id.id}
        return {}

    def _penalty_person(self, rule):
        """Employee charged by delay rules (who held the late complaint) or
        rewarded (the handler of an early, satisfied resolution)."""
        if rule.rule_type == "delay":
            user = self.delay_responsible_id
        else:
            early = (
                self.date_resolved
                and self.date_resolve_deadline
                and (
                    self.date_resolved
                    <= self.date_resolve_deadline
                    - timedelta(days=rule.reward_days_early)
                )
            )
            user = self.user_id if early and self.satisfaction in SATISFIED else False
        if not user:
            return self.env["hr.employee"]
        return (
            self.env["hr.employee"]
            .sudo()
            .search(
                [("user_id", "=", user.id), ("company_id", "=", self.company_id.id)],
                limit=1,
            )
        )

    def _loss_in_company_currency(self):
        company = self.company_id
        _severity, compensation = self._plan_figures()
        if not compensation:
            return 0.0
        return self.currency_id._convert(
            compensation,
            company.currency_id,
            company,
            fields.Date.context_today(self),
        )
