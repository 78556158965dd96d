from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    complaint_id = fields.Many2one(
        "complaint.complaint",
        index="btree_not_null",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="Customer complaint whose approved compensation this credit note pays.",
    )
