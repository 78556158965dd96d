from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tools import float_compare

# Who may prepare a credit note by hand (besides accounting's invoicing users).
CREDIT_NOTE_GROUPS = (
    "complaint_center.group_complaint_manager",
    "complaint_center.group_complaint_finance",
    "account.group_account_invoice",
)
CREDIT_NOTE_STATES = ("approved", "resolved", "closed")


class ComplaintComplaint(models.Model):
    _inherit = "complaint.complaint"

    refund_move_ids = fields.One2many(
        "account.move",
        "complaint_id",
        string="Credit Notes",
        readonly=True,
        copy=False,
    )
    refund_count = fields.Integer(
        string="Credit Note Count", compute="_compute_refund_count"
    )
    has_credit_note = fields.Boolean(
        compute="_compute_refund_count",
        help="A credit note that is not cancelled is linked to the complaint.",
    )

    def _compute_refund_count(self):
        # Complaint staff need not read accounting: only counts are shown.
        groups = (
            self.env["account.move"]
            .sudo()
            ._read_group(
                [("complaint_id", "in", self.ids), ("move_type", "=", "out_refund")],
                ["complaint_id", "state"],
                ["__count"],
            )
        )
        totals, active = {}, {}
        for complaint, state, count in groups:
            totals[complaint.id] = totals.get(complaint.id, 0) + count
            if state != "cancel":
                active[complaint.id] = True
        for rec in self:
            rec.refund_count = totals.get(rec.id, 0)
            rec.has_credit_note = active.get(rec.id, False)

    # Lifecycle hook -------------------------------------------------------
    def _after_step(self, step):
        res = super()._after_step(step)
        if step == "approve":
            # A two-level approval may leave the complaint waiting for the
            # executive: only a fully approved plan is paid.
            approved = self.filtered(lambda rec: rec.state == "approved")
            approved.filtered(lambda rec: rec._needs_credit_note())._sync_credit_note()
        return res

    # Buttons --------------------------------------------------------------
    def action_create_credit_note(self):
        """Prepare the draft credit note of an approved compensation by hand
        (finance or a manager), when none exists yet."""
        if not any(self.env.user.has_group(xmlid) for xmlid in CREDIT_NOTE_GROUPS):
            raise AccessError(
                self.env._(
                    "Only complaint managers and finance may prepare a credit "
                    "note for a compensation."
                )
            )
        for rec in self:
            if rec.resolution_type != "refund":
                raise UserError(
                    self.env._(
                        "Complaint %(ref)s is not resolved by a refund or "
                        "compensation; no credit note is needed.",
                        ref=rec.name,
                    )
                )
            if (
                rec.currency_id.compare_amounts(rec.approved_compensation_amount, 0)
                <= 0
            ):
                raise UserError(
                    self.env._(
                        "Complaint %(ref)s has no compensation amount to credit.",
                        ref=rec.name,
                    )
                )
            if not rec.sale_order_id:
                raise UserError(
                    self.env._(
                        "Complaint %(ref)s is not about a sale order; create the "
                        "credit note in Accounting directly.",
                        ref=rec.name,
                    )
                )
            if rec.state not in CREDIT_NOTE_STATES:
                raise UserError(
                    self.env._(
                        "The compensation plan of complaint %(ref)s is not "
                        "approved yet.",
                        ref=rec.name,
                    )
                )
            if rec.has_credit_note:
                raise UserError(
                    self.env._(
                        "Complaint %(ref)s already has a credit note.",
                        ref=rec.name,
                    )
                )
        moves = self._sync_credit_note(strict=True)
        if len(self) == 1 and self.env.user.has_group("account.group_account_invoice"):
            return self.action_view_credit_notes()
        return bool(moves)

    def action_view_credit_notes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_refund_type"
        )
        moves = self.refund_move_ids
        action["domain"] = [("complaint_id", "=", self.id)]
        action["context"] = {
            "default_move_type": "out_refund",
            "default_complaint_id": self.id,
        }
        if len(moves) == 1:
            action["views"] = [(self.env.ref("account.view_move_form").id, "form")]
            action["res_id"] = moves.id
        return action

    # Business methods -----------------------------------------------------
    def _needs_credit_note(self):
        self.ensure_one()
        return bool(
            self.resolution_type == "refund"
            and self.sale_order_id
            and self.currency_id.compare_amounts(self.approved_compensation_amount, 0)
            > 0
        )

    def _credit_note_env(self):
        """Accounting users prepare the credit note as themselves; for complaint
        staff without accounting rights the move alone is created as superuser
        (finance reviews and posts it anyway)."""
        if self.env.user.has_group("account.group_account_invoice"):
            return self.env
        return self.env(su=True)

    def _sync_credit_note(self, strict=False):
        """Make sure every complaint of ``self`` has one credit note for its
        compensation: create a draft when none is linked, update the amount of
        a linked draft, never touch a posted one. Returns the created or
        updated moves. ``strict``: raise instead of skipping when no sales
        journal is found."""
        env = self._credit_note_env()
        moves = env["account.move"]
        for rec in self:
            linked = env["account.move"].search(
                [
                    ("complaint_id", "=", rec.id),
                    ("move_type", "=", "out_refund"),
                    ("state", "!=", "cancel"),
                ]
            )
            if linked:
                moves |= rec._update_credit_note(linked)
                continue
            journal = rec._credit_note_journal(env)
            if not journal:
                if strict:
                    raise UserError(
                        self.env._(
                            "Company %(company)s has no sales journal to prepare "
                            "the credit note of complaint %(ref)s.",
                            company=rec.company_id.name,
                            ref=rec.name,
                        )
                    )
                rec._post_credit_note_note(
                    self.env._(
                        "No credit note was prepared: the company has no sales journal."
                    )
                )
                continue
            move = (
                env["account.move"]
                .with_company(rec.company_id)
                .with_context(default_move_type="out_refund")
                .create(rec._prepare_credit_note_vals(env, journal))
            )
            moves |= move
            rec._post_credit_note_note(
                self.env._(
                    "Draft credit note %(move)s prepared for the compensation of "
                    "%(amount)s %(currency)s; finance posts it.",
                    move=move.display_name,
                    amount=rec.approved_compensation_amount,
                    currency=rec.currency_id.name,
                )
            )
        return moves

    def _update_credit_note(self, linked):
        """A linked credit note exists: follow a changed amount on a draft,
        never on a posted one."""
        self.ensure_one()
        drafts = linked.filtered(lambda move: move.state == "draft")
        if drafts != linked or len(drafts) != 1:
            return linked.browse()
        lines = drafts.invoice_line_ids.filtered(
            lambda line: line.display_type == "product"
        )
        if len(lines) != 1:
            return drafts.browse()
        unchanged = (
            not float_compare(
                lines.price_unit,
                self.approved_compensation_amount,
                precision_rounding=self.currency_id.rounding,
            )
            and lines.quantity == 1
            and drafts.currency_id == self.currency_id
        )
        if unchanged:
            return drafts.browse()
        drafts.write(
            {
                "currency_id": self.currency_id.id,
                "invoice_line_ids": [
                    Command.update(
                        lines.id,
                        {
                            "quantity": 1,
                            "price_unit": self.approved_compensation_amount,
                        },
                    )
                ],
            }
        )
        self._post_credit_note_note(
            self.env._(
                "Draft credit note %(move)s updated to %(amount)s %(currency)s.",
                move=drafts.display_name,
                amount=self.approved_compensation_amount,
                currency=self.currency_id.name,
            )
        )
        return drafts

    def _post_credit_note_note(self, body):
        """Log on the complaint; finance only reads complaints, so its notes
        are posted as superuser (still authored by the user)."""
        self.ensure_one()
        rec = self if self.has_access("write") else self.sudo()
        rec.message_post(body=body)

    def _credit_note_journal(self, env):
        self.ensure_one()
        # Order data is only read: complaint staff may lack sales rights.
        order = self.sale_order_id.sudo()
        if order.journal_id.type == "sale":
            return order.journal_id.with_env(env)
        Journal = env["account.journal"]
        return Journal.search(
            [*Journal._check_company_domain(self.company_id), ("type", "=", "sale")],
            limit=1,
        )

    def _credit_note_invoice(self, env):
        """The order's latest posted customer invoice, reversed by the credit
        note (empty when the order was not invoiced)."""
        self.ensure_one()
        invoices = self.sale_order_id.sudo().invoice_ids.filtered(
            lambda move: move.move_type == "out_invoice" and move.state == "posted"
        )
        invoice = invoices.sorted(lambda move: (move.invoice_date, move.id))[-1:]
        return invoice.with_env(env)

    @api.model
    def _credit_note_label(self, complaint):
        return self.env._("Compensation for complaint %(ref)s", ref=complaint.name)

    def _prepare_credit_note_vals(self, env, journal):
        self.ensure_one()
        order = self.sale_order_id.sudo()
        line_vals = {
            "name": self._credit_note_label(self),
            "quantity": 1.0,
            "price_unit": self.approved_compensation_amount,
            # The agreed compensation is what the customer gets back.
            "tax_ids": [Command.clear()],
        }
        products = self.sudo().sale_line_ids.product_id
        if len(products) == 1:
            line_vals["product_id"] = products.id
        elif journal.default_account_id:
            line_vals["account_id"] = journal.default_account_id.id
        return {
            "move_type": "out_refund",
            "complaint_id": self.id,
            "company_id": self.company_id.id,
            "journal_id": journal.id,
            "partner_id": order.partner_invoice_id.id,
            "currency_id": self.currency_id.id,
            "fiscal_position_id": order.fiscal_position_id.id,
            "invoice_user_id": order.user_id.id,
            "team_id": order.team_id.id,
            "invoice_origin": order.name,
            "ref": self.env._("Complaint %(ref)s", ref=self.name),
            "narration": self.env._(
                "Compensation agreed in the handling of customer complaint %(ref)s.",
                ref=self.name,
            ),
            "reversed_entry_id": self._credit_note_invoice(env).id,
            "invoice_line_ids": [Command.create(line_vals)],
        }
