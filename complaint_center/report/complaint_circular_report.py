"""The circular on severe cases (通报批评, 001 篇五/八): printed by complaint
managers and the general manager only, whatever the client asks."""

from odoo import api, models
from odoo.exceptions import AccessError


class ReportComplaintCircular(models.AbstractModel):
    _name = "report.complaint_center.report_complaint_circular"
    _inherit = "complaint.report.document"
    _description = "Complaint Circular"
    _docs_model = "complaint.circular"

    @api.model
    def _check_printable(self, docs):
        # Before anything is read: who prints a circular publishes it.
        if not self.env.su and not {"manager", "executive"} & (
            self.env.user._complaint_roles()
        ):
            raise AccessError(
                self.env._(
                    "Only complaint managers and the general manager print circulars."
                )
            )
        return super()._check_printable(docs)

    @api.model
    def _document_values(self, docs):
        return {
            "rows": {doc.id: doc._circular_rows() for doc in docs},
            "issuers": {
                doc.id: doc.issuer
                or doc.company_id.sudo().complaint_circular_issuer
                or self.env._("General Manager's Office")
                for doc in docs
            },
        }
