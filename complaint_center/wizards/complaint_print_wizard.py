"""Print many complaints (or penalties) in the background."""

from odoo import api, fields, models
from odoo.exceptions import UserError

# The documents that print several records at once from a list.
MODELS = ("complaint.complaint", "complaint.penalty")


class ComplaintPrintWizard(models.TransientModel):
    _name = "complaint.print.wizard"
    _description = "Print in the Background"

    res_model = fields.Char(required=True, readonly=True)
    res_ids = fields.Json(readonly=True)
    record_count = fields.Integer(compute="_compute_record_count")
    report_id = fields.Many2one(
        "ir.actions.report",
        string="Document",
        required=True,
        domain="[('model', '=', res_model), ('report_type', '=', 'qweb-pdf')]",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        # The list's selection comes as defaults from the bound action; what
        # may be printed is checked when queued.
        if values.get("res_model") in MODELS and not values.get("report_id"):
            values["report_id"] = (
                self.env["ir.actions.report"]
                .search(
                    [
                        ("model", "=", values["res_model"]),
                        ("report_type", "=", "qweb-pdf"),
                    ],
                    limit=1,
                )
                .id
            )
        return values

    @api.depends("res_ids")
    def _compute_record_count(self):
        for wizard in self:
            wizard.record_count = len(wizard.res_ids or [])

    def action_print(self):
        """Queue the document for the user: it reaches their inbox when made;
        nothing is rendered in this request."""
        self.ensure_one()
        if self.res_model not in MODELS or self.report_id.model != self.res_model:
            raise UserError(
                self.env._("Only the complaint center's documents print here.")
            )
        ids = [i for i in (self.res_ids or []) if isinstance(i, int)]
        records = self.env[self.res_model].browse(ids)
        job = self.env["complaint.print.job"]._enqueue(self.report_id, records)
        return job._queued_action()
