"""The written reply to the customer (书面答复/复函) and the corrective-action
notice (纠正措施通知单): the report models behind their templates.

The written reply is a customer notice (``complaint.report.notice``): it
names and addresses the customer, so only those who may see the complainant
print it, and it fits a complaint once resolved. The corrective-action
notice goes to the responsible department: it names the complaint by
reference, category and date only, and its texts are redacted for whoever
may not see the complainant.
"""

from odoo import api, fields, models


class ReportComplaintWrittenReply(models.AbstractModel):
    _name = "report.complaint_center.report_complaint_written_reply"
    _inherit = "complaint.report.notice"
    _description = "Complaint Written Reply"

    @api.model
    def _notice_moments(self, docs):
        # The reply answers the complaint: dated the day it was resolved.
        return {doc.id: doc.date_resolved for doc in docs}

    @api.model
    def _refusal(self, doc):
        if doc.state in ("resolved", "closed"):
            return False
        return self.env._(
            "Complaint %(ref)s is not resolved: the written reply is printed "
            "once its handling is completed.",
            ref=doc.name,
        )

    @api.model
    def _document_values(self, docs):
        # Replied by the promised date: the day the complaint was resolved
        # against the reply promised (else the resolution deadline).
        on_time = {}
        for doc in docs:
            promised = doc.date_promised_reply or doc.date_resolve_deadline
            on_time[doc.id] = (
                doc.date_resolved <= promised
                if promised and doc.date_resolved
                else None
            )
        return {**super()._document_values(docs), "reply_on_time": on_time}


class ReportComplaintActionNotice(models.AbstractModel):
    _name = "report.complaint_center.report_complaint_action_notice"
    _inherit = "complaint.report.document"
    _description = "Corrective Action Notice"
    _docs_model = "complaint.action"

    @api.model
    def _complaint_facts(self, action):
        """What the notice says of the complaint: reference, category, date
        received, responsible department and the nonconformity found.

        The owner of an action may not read its complaint, yet is told what
        to correct: then exactly these facts are read as superuser, for an
        action the user may read. The nonconformity (``_nonconformity``)
        is redacted for whoever may not see the complainant;
        nothing of the customer, the order or the complainant is read."""
        complaint = action.complaint_id
        source = complaint if complaint.has_access("read") else complaint.sudo()
        return {
            "reference": source.name,
            "category": source.category_id.name or "",
            "date": source.date_received
            and fields.Date.context_today(self, source.date_received),
            # The unit and its head are named to whoever the notice goes to
            # (sudo: employees are HR's records).
            "department": source.sudo().department_id.name or "",
            "department_head": source.sudo().department_id.manager_id.name or "",
            "cause": complaint._redact_complainant(self._nonconformity(source)),
        }

    @api.model
    def _nonconformity(self, complaint):
        """What was found wrong: the handling report's cause analysis, else
        the causes of the responsibility lines (internal findings, for the
        unit that corrects them)."""
        if (complaint.report_cause or "").strip():
            return complaint.report_cause
        causes = complaint.responsibility_ids.mapped("cause")
        return "\n".join(cause.strip() for cause in causes if (cause or "").strip())

    @api.model
    def _document_values(self, docs):
        return {
            "complaint_facts": {doc.id: self._complaint_facts(doc) for doc in docs},
            # The action's own texts, as the forms print free texts.
            "redact": lambda doc, text: doc.complaint_id._redact_complainant(text),
        }
