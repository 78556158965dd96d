from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..core import reference


class ResCompany(models.Model):
    _inherit = "res.company"

    complaint_ref_prefix = fields.Char(
        string="Complaint Reference Prefix",
        default=reference.DEFAULT_PREFIX,
        help="Printed before YYMM-NNNN in complaint references, e.g. CC2611-0001. "
        "Letters, digits and underscores, at most 10.",
    )
    complaint_sequence_id = fields.Many2one(
        "ir.sequence",
        copy=False,
        help="Serial counter of complaint references; restarts every month.",
    )

    complaint_director_id = fields.Many2one(
        "res.users",
        string="Complaint Center Director",
        domain="[('share', '=', False)]",
        help="Told at escalation level 2. Empty: every complaint manager.",
    )
    complaint_executive_id = fields.Many2one(
        "res.users",
        domain="[('share', '=', False)]",
        help="Told at escalation level 3 (general manager). Empty: every "
        "complaint executive.",
    )

    @api.constrains("complaint_ref_prefix")
    def _check_complaint_ref_prefix(self):
        for company in self:
            try:
                reference.check_prefix(company.complaint_ref_prefix)
            except ValueError as err:
                raise ValidationError(
                    self.env._(
                        "The complaint reference prefix %(prefix)s may hold only "
                        "letters, digits and underscores, at most 10.",
                        prefix=company.complaint_ref_prefix,
                    )
                ) from err
