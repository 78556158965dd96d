from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # Sales staff without complaint rights read orders (RPC, exports): the
    # complaints stay out of their reach, and out of their read().
    complaint_ids = fields.One2many(
        "complaint.complaint",
        "sale_order_id",
        string="Complaints",
        groups="complaint_center.group_complaint_user",
    )
    complaint_count = fields.Integer(
        compute="_compute_complaint_count",
        groups="complaint_center.group_complaint_user",
    )

    def _compute_complaint_count(self):
        counts = dict(
            self.env["complaint.complaint"]._read_group(
                [("sale_order_id", "in", self.ids)], ["sale_order_id"], ["__count"]
            )
        )
        for order in self:
            order.complaint_count = counts.get(order, 0)

    def action_view_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_center.complaint_complaint_action"
        )
        action["domain"] = [("sale_order_id", "=", self.id)]
        action["context"] = self._complaint_defaults()
        return action

    def action_log_complaint(self):
        """Open a new complaint prefilled from this order."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log Complaint"),
            "res_model": "complaint.complaint",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": self._complaint_defaults(),
        }

    def _complaint_defaults(self):
        return {
            "default_partner_id": self.partner_id.id,
            "default_sale_order_id": self.id,
            "default_company_id": self.company_id.id,
        }
