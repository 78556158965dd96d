"""Finance's side of penalties: deductions and rewards summed apart,
application in a payroll period (one by one or a selection), reversals,
and supplier chargebacks as draft vendor credit notes once approved."""

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tools import SQL

from .complaint_penalty import AMOUNT_GROUPS


class ComplaintPenalty(models.Model):
    _inherit = "complaint.penalty"

    deduction_amount = fields.Monetary(
        string="Deductions",
        currency_field="currency_id",
        compute="_compute_signed_amounts",
        store=True,
        groups=AMOUNT_GROUPS,
        help="What the employee, unit or supplier is charged: deductions, "
        "points penalties carrying an amount and supplier chargebacks.",
    )
    reward_amount = fields.Monetary(
        string="Rewards",
        currency_field="currency_id",
        compute="_compute_signed_amounts",
        store=True,
        groups=AMOUNT_GROUPS,
        help="What is paid out as a reward.",
    )
    net_amount = fields.Monetary(
        string="Net Deduction",
        currency_field="currency_id",
        compute="_compute_signed_amounts",
        store=True,
        groups=AMOUNT_GROUPS,
        help="Deductions minus rewards; reversals count negative.",
    )

    @api.depends("kind", "amount")
    def _compute_signed_amounts(self):
        for penalty in self:
            amount = penalty.sudo().amount
            reward = penalty.kind == "reward"
            penalty.deduction_amount = 0.0 if reward else amount
            penalty.reward_amount = amount if reward else 0.0
            penalty.net_amount = -amount if reward else amount

    def action_apply(self, payroll_period=None, date_applied=None):
        """Apply approved penalties in a payroll period, exactly once even when
        two finance users apply the same penalty at the same moment."""
        self._check_steps("apply")
        date_applied = date_applied or self._complaint_today()
        self._check_period_value(payroll_period)
        for penalty in self:
            period = payroll_period or penalty.payroll_period
            if not period:
                raise UserError(
                    self.env._(
                        "Give the payroll period to apply penalty %(name)s in.",
                        name=penalty.name,
                    )
                )
        applied = self._apply_once(payroll_period, date_applied)
        missed = self - applied
        if missed:
            raise UserError(
                self.env._(
                    "Penalty %(name)s was already applied by someone else.",
                    name=missed[0].name,
                )
            )
        for penalty in self:
            penalty.message_post(
                body=self.env._(
                    "Applied in payroll period %(period)s.",
                    period=penalty.payroll_period,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_open_apply_wizard(self):
        """List batch: the payroll-period wizard for the selected penalties.
        The same guard as Apply runs now, so a wrong selection is named at
        once, and again when the wizard applies."""
        if not self:
            raise UserError(self.env._("Select the penalties to apply."))
        self._check_steps("apply")
        context = {"default_selection_ids": [Command.set(self.ids)]}
        periods = set(self.mapped("payroll_period")) - {False}
        if len(periods) == 1:
            context["default_payroll_period"] = periods.pop()
        if len(self.company_id) == 1:
            context["default_company_id"] = self.company_id.id
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_center.complaint_penalty_apply_wizard_action"
        )
        action["context"] = context
        return action

    def _apply_once(self, payroll_period, date_applied):
        """Compare-and-set in SQL: of two concurrent applies, the second
        waits for the first's row lock and then fails to serialize (Odoo
        retries the request, which then finds the penalty applied). Returns
        the penalties this call applied."""
        self.flush_recordset()
        self.env.cr.execute(
            SQL(
                "UPDATE complaint_penalty SET state = 'applied', "
                "payroll_period = COALESCE(%s, payroll_period), date_applied = %s, "
                "applied_by_id = %s, write_uid = %s, "
                "write_date = now() at time zone 'utc' "
                "WHERE id IN %s AND state = 'approved' RETURNING id",
                payroll_period,
                date_applied,
                self.env.uid,
                self.env.uid,
                tuple(self.ids),
            )
        )
        applied = self.browse(row[0] for row in self.env.cr.fetchall())
        self.invalidate_recordset()
        return applied

    def action_reverse(self):
        """Reverse applied penalties with new, linked ones (approved, to be
        applied in a later payroll period)."""
        self._check_steps("reverse")
        reversals = self.env["complaint.penalty"]
        for penalty in self:
            reversals |= (
                penalty.sudo()
                .copy(
                    {
                        "reversed_penalty_id": penalty.id,
                        "points": -penalty.points,
                        "amount": -penalty.sudo().amount,
                        "state": "approved",
                        "approved_by_id": self.env.uid,
                        # Undoes what the executive approved: applied
                        # without waiting for a second approval.
                        "executive_approved_by_id": (
                            penalty.sudo().executive_approved_by_id.id
                        ),
                        "reason": self.env._("Reversal of %(name)s", name=penalty.name),
                    }
                )
                .sudo(False)
            )
        return reversals

    # Supplier chargebacks ---------------------------------------------------
    def action_approve(self):
        # Check the journals first: without one, nothing is approved.
        self._chargeback_todo()._chargeback_journals()
        res = super().action_approve()
        self._create_chargeback_moves()
        return res

    def _chargeback_todo(self):
        return self.filtered(
            lambda p: p.kind == "chargeback" and p.partner_id and not p.move_id
        )

    def _chargeback_journals(self):
        """The purchase journal of each company of ``self``, or a clear error
        when one is missing."""
        journals = {}
        Journal = self.env["account.journal"]
        for company in self.company_id:
            # Finance may lack accounting rights: read the journal as superuser.
            journal = Journal.sudo().search(
                [*Journal._check_company_domain(company), ("type", "=", "purchase")],
                limit=1,
            )
            if not journal:
                raise UserError(
                    self.env._(
                        "Company %(company)s has no purchase journal for the supplier "
                        "chargeback credit notes; create one in Accounting first.",
                        company=company.name,
                    )
                )
            if not journal.default_account_id:
                raise UserError(
                    self.env._(
                        "The purchase journal %(journal)s has no default account for "
                        "the supplier chargeback credit notes.",
                        journal=journal.name,
                    )
                )
            journals[company] = journal
        return journals

    def _create_chargeback_moves(self):
        """One draft vendor credit note (``in_refund``) per approved supplier
        chargeback; finance checks and posts it, nothing is posted here."""
        chargebacks = self._chargeback_todo().filtered(lambda p: p.state == "approved")
        if not chargebacks:
            return self.env["account.move"]
        journals = chargebacks._chargeback_journals()
        vals_list = []
        for penalty in chargebacks:
            journal = journals[penalty.company_id]
            ref = penalty.complaint_id.name
            vals_list.append(
                {
                    "move_type": "in_refund",
                    "partner_id": penalty.partner_id.id,
                    "journal_id": journal.id,
                    "company_id": penalty.company_id.id,
                    "currency_id": penalty.currency_id.id,
                    "ref": ref,
                    "invoice_origin": ref,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": self.env._(
                                    "Chargeback for complaint %(ref)s", ref=ref
                                ),
                                "account_id": journal.default_account_id.id,
                                "quantity": 1.0,
                                "price_unit": penalty.sudo().amount,
                                "tax_ids": [Command.set([])],
                            }
                        )
                    ],
                }
            )
        # Without accounting rights, the credit notes alone are created as
        # superuser.
        Move = self.env["account.move"].with_context(default_move_type="in_refund")
        if not self.env.user.has_group("account.group_account_invoice"):
            Move = Move.sudo()
        moves = Move.create(vals_list)
        for penalty, move in zip(chargebacks, moves, strict=True):
            penalty.sudo().write({"move_id": move.id})
            penalty.message_post(
                body=self.env._(
                    "Draft vendor credit note %(move)s prepared for the chargeback.",
                    move=move._get_html_link(),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return moves

    def action_view_move(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.move_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "context": {"default_move_type": "in_refund"},
        }
