"""Supplier chargebacks become draft vendor credit notes once approved."""

from odoo import models
from odoo.exceptions import UserError
from odoo.fields import Command


class ComplaintPenalty(models.Model):
    _inherit = "complaint.penalty"

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
