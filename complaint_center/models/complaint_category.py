from odoo import api, fields, models


class ComplaintCategory(models.Model):
    _name = "complaint.category"
    _description = "Complaint Category"
    _order = "sequence, name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Short code used in statistics, e.g. PQ for product quality.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    company_id = fields.Many2one(
        "res.company",
        help="Leave empty to share the category between companies.",
    )
    department_id = fields.Many2one(
        "hr.department",
        string="Default Department",
        domain="['|', ('company_id', '=', False), ('company_id', '=?', company_id)]",
        help="Department a new complaint of this category is routed to "
        "(e.g. logistics for delivery complaints).",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Default Handler",
        domain="[('share', '=', False)]",
        check_company=True,
        help="Handler a new complaint of this category is assigned to.",
    )
    complaint_count = fields.Integer(compute="_compute_complaint_count")
    is_quality = fields.Boolean(
        string="Product Quality",
        compute="_compute_is_quality",
        store=True,
        readonly=False,
        help="Complaints of this category are product quality complaints: "
        "received within 15 days of delivery, they are eligible for an "
        "unconditional return after quality verification.",
    )

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "A category code must be unique per company.",
        ),
    ]

    def _compute_complaint_count(self):
        counts = dict(
            self.env["complaint.complaint"]._read_group(
                [("category_id", "in", self.ids)], ["category_id"], ["__count"]
            )
        )
        for category in self:
            category.complaint_count = counts.get(category, 0)

    @api.depends("code")
    def _compute_is_quality(self):
        # The regulations' quality category (code PQ); set by hand otherwise.
        for category in self:
            code = (category.code or "").upper()
            category.is_quality = category.is_quality or code == "PQ"
