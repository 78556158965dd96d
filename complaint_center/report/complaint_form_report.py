"""The PDF forms and notices of the complaint center: the report models
behind their templates (their rendering, in chunks and on paper with a
letterhead, is models/ir_actions_report.py's).

Every time printed is in one time zone per document, named next to it: the
company's on internal forms, the customer's on customer notices; a deadline
that ends the day prints as its date alone, never "23:59:59".

Every report reads its records as the printing user: record rules apply,
and whoever may not see the complainant (``_complainant_readers``) prints no
name, address, phone or email of him: the internal forms name the customer's
company only and redact him from their free texts; the customer notices,
which name and address him, are refused to such users. Documents that do
not fit a complaint (a non-acceptance notice for an open one...) are refused
here, on the server, whatever the client asks.
"""

from datetime import time

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import format_date


class ComplaintReportDocument(models.AbstractModel):
    """Common ground of the complaint PDF reports: the records, read as the
    printing user, and the check that the document fits each of them."""

    _name = "complaint.report.document"
    _description = "Complaint PDF Document"
    _docs_model = "complaint.complaint"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env[self._docs_model].browse(docids)
        # Fail before rendering anything the user may not read.
        docs.check_access("read")
        self._check_printable(docs)
        return {
            "doc_ids": docs.ids,
            "doc_model": docs._name,
            "docs": docs,
            "complaint_time": self._format_time,
            **self._document_values(docs),
        }

    @api.model
    def _report_tz(self, doc):
        """The time zone ``doc``'s times print in: the company's."""
        return doc.company_id._complaint_tz()

    @api.model
    def _format_time(self, doc, value, deadline=False):
        """``value`` (UTC) as the document prints it, in ``doc``'s language
        (its context's) and the document's time zone, which it names: the
        date and the hour and minute, or, for a ``deadline`` that ends the
        day, the date alone."""
        if not value:
            return ""
        tz_name = self._report_tz(doc)
        local = pytz.utc.localize(value).astimezone(pytz.timezone(tz_name))
        day = format_date(doc.env, local.date(), lang_code=doc.env.lang)
        if deadline and local.time() >= time(23, 59):
            return day
        return f"{day} {local:%H:%M} ({tz_name})"

    @api.model
    def _check_printable(self, docs):
        for doc in docs:
            refusal = self._refusal(doc)
            if refusal:
                raise UserError(refusal)

    @api.model
    def _refusal(self, doc):
        """Hook: why the document does not fit ``doc``, or ``False``."""
        return False

    @api.model
    def _document_values(self, docs):
        """Hook: extra rendering values."""
        return {}


class ComplaintReportInternalForm(models.AbstractModel):
    """An internal form: printed by anyone who reads the complaint, the
    complainant shown only to those who may see him."""

    _name = "complaint.report.internal.form"
    _inherit = "complaint.report.document"
    _description = "Complaint Internal Form"

    @api.model
    def _document_values(self, docs):
        # Those whose complainant the user may see; the others print
        # "confidential" rather than an empty line, the customer's company
        # rather than the contact, and free texts without him.
        return {
            "complainant_readers": docs._complainant_readers(),
            "redact": lambda doc, text: doc._redact_complainant(text),
        }


class ReportComplaintForm(models.AbstractModel):
    _name = "report.complaint_center.report_complaint_form"
    _inherit = "complaint.report.internal.form"
    _description = "Complaint Record and Handling Form"


class ReportComplaintHandling(models.AbstractModel):
    _name = "report.complaint_center.report_complaint_handling"
    _inherit = "complaint.report.internal.form"
    _description = "Complaint Handling Report"

    @api.model
    def _refusal(self, doc):
        if doc.no_standard or any(
            doc[name] for name in ("report_cause", "report_result")
        ):
            return False
        return self.env._(
            "Complaint %(ref)s has no handling report: one is written "
            "when no standard or training covered the case.",
            ref=doc.name,
        )

    @api.model
    def _department_head(self, doc):
        """The head of the department responsible for the complaint, who
        signs the report: the department handling it (whose head may sign it
        in the system), else the unit held primarily responsible. Read as
        superuser: only the name prints, the user may not read employees."""
        doc = doc.sudo()
        primary = doc.responsibility_ids.filtered("is_primary")[:1]
        department = doc.department_id or primary.attributed_department_id
        return department.manager_id

    @api.model
    def _document_values(self, docs):
        """``department_heads``: per complaint, the head of its responsible
        department; ``head_signed``: whether the report was signed in the
        system by that head. Signed by someone else (a complaint manager),
        the signature is the complaint center's, and prints as such."""
        heads = {doc.id: self._department_head(doc) for doc in docs}
        return {
            **super()._document_values(docs),
            "department_heads": heads,
            "head_signed": {
                doc.id: bool(
                    doc.report_signed_by_id
                    and doc.report_signed_by_id == heads[doc.id].user_id
                )
                for doc in docs
            },
        }


class ComplaintReportNotice(models.AbstractModel):
    """A notice to the customer, dated the day of the step it notifies (a
    reprint carries the date the notice was sent, not the day it is printed
    again). It names and addresses the customer, often the complainant
    himself: printed only by those who may see the complainant."""

    _name = "complaint.report.notice"
    _inherit = "complaint.report.document"
    _description = "Complaint Customer Notice"

    @api.model
    def _check_printable(self, docs):
        hidden = docs - docs._complainant_readers()
        if hidden:
            raise AccessError(
                self.env._(
                    "Complaint %(ref)s: customer notices name and address the "
                    "complainant, whom you may not see. The people handling the "
                    "complaint print them.",
                    ref=hidden[0].name,
                )
            )
        return super()._check_printable(docs)

    @api.model
    def _report_tz(self, doc):
        """The customer's time zone, else the company's."""
        return doc.partner_id.tz or super()._report_tz(doc)

    @api.model
    def _notice_moments(self, docs):
        """Hook: ``{complaint id: when the step the notice tells of was
        taken}`` (UTC datetimes, ``False`` when unknown)."""
        return dict.fromkeys(docs.ids, False)

    @api.model
    def _document_values(self, docs):
        """``notice_dates``: per complaint, the date of its notice in the
        customer's time zone (as the notices print their times); the day of
        printing only when the step left no date."""
        moments = self._notice_moments(docs)
        dates = {}
        for doc in docs:
            moment = moments.get(doc.id)
            tz = self._report_tz(doc)
            dates[doc.id] = (
                fields.Datetime.context_timestamp(
                    doc.with_context(tz=tz), moment
                ).date()
                if moment
                else fields.Date.context_today(self)
            )
        return {"notice_dates": dates}


class ReportComplaintAcceptanceNotice(models.AbstractModel):
    _name = "report.complaint_center.report_complaint_acceptance_notice"
    _inherit = "complaint.report.notice"
    _description = "Complaint Acceptance Notice"

    @api.model
    def _notice_moments(self, docs):
        # Sent with the acknowledgement; else the day it was accepted.
        return {doc.id: doc.date_ack_sent or doc.date_acknowledged for doc in docs}

    @api.model
    def _refusal(self, doc):
        if doc.state == "new":
            return self.env._(
                "Complaint %(ref)s is not accepted yet: its acceptance notice "
                "is printed once it is accepted.",
                ref=doc.name,
            )
        if doc.state not in ("rejected", "cancelled"):
            return False
        return self.env._(
            "Complaint %(ref)s was not accepted or was terminated: "
            "print its non-acceptance notice instead.",
            ref=doc.name,
        )


class ReportComplaintRejectionNotice(models.AbstractModel):
    _name = "report.complaint_center.report_complaint_rejection_notice"
    _inherit = "complaint.report.notice"
    _description = "Complaint Non-acceptance or Termination Notice"

    @api.model
    def _notice_moments(self, docs):
        """When each complaint was rejected or cancelled: its last change of
        state in the chatter's tracking (rejected and cancelled are final
        until a reopening, which changes the state again)."""
        # sudo: the tracking of the state, not the messages, is looked at.
        messages = (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", docs._name),
                    ("res_id", "in", docs.ids),
                    ("tracking_value_ids.field_id.model", "=", docs._name),
                    ("tracking_value_ids.field_id.name", "=", "state"),
                ],
                order="date, id",
            )
        )
        moments = dict.fromkeys(docs.ids, False)
        # In date order: the last one of each complaint stays.
        moments.update((message.res_id, message.date) for message in messages)
        return moments

    @api.model
    def _refusal(self, doc):
        if doc.state in ("rejected", "cancelled"):
            return False
        return self.env._(
            "Complaint %(ref)s is neither rejected nor cancelled: "
            "there is no non-acceptance or termination to notify.",
            ref=doc.name,
        )


class ReportComplaintForwardingNotice(models.AbstractModel):
    _name = "report.complaint_center.report_complaint_forwarding_notice"
    _inherit = "complaint.report.notice"
    _description = "Complaint Forwarding Notice"

    @api.model
    def _forwarded_units(self, complaint):
        """Names of the departments the complaint was sent to for handling.
        Who was held responsible (responsibility lines: units, suppliers,
        carriers, people) is an internal finding, never told the customer."""
        return [name for name in complaint.department_id.mapped("name") if name]

    @api.model
    def _notice_moments(self, docs):
        # Forwarded when its handling was decided (department and handler).
        return {doc.id: doc.date_decided or doc.date_acknowledged for doc in docs}

    @api.model
    def _refusal(self, doc):
        if self._forwarded_units(doc):
            return False
        return self.env._(
            "Complaint %(ref)s has not been forwarded to a "
            "responsible department or party.",
            ref=doc.name,
        )

    @api.model
    def _document_values(self, docs):
        return {
            **super()._document_values(docs),
            "forwarded_units": {doc.id: self._forwarded_units(doc) for doc in docs},
        }


class ReportComplaintPenaltyNotice(models.AbstractModel):
    _name = "report.complaint_center.report_complaint_penalty_notice"
    _inherit = "complaint.report.document"
    _description = "Complaint Penalty Notice"
    _docs_model = "complaint.penalty"

    @api.model
    def _complaint_facts(self, penalty):
        """What the notice says of the complaint: reference, category,
        date received, and the cause of the responsibility line.

        Read as the user when they may read the complaint. A penalised
        employee may not, yet is told why: then exactly these facts are read
        as superuser, for a penalty the user may read, and of the line only
        when it is one of the penalty's complaint (an old row may point
        elsewhere). Nothing of the customer, the order or the complainant is
        ever read here."""
        complaint = penalty.complaint_id
        line = penalty.responsibility_id
        if line.sudo().complaint_id != complaint:
            line = line.browse()
        if not complaint.has_access("read"):
            complaint = complaint.sudo()
        if line and not line.has_access("read"):
            line = line.sudo()
        # The day received in the company's time zone, as on its forms.
        company = self.with_context(tz=penalty.company_id._complaint_tz())
        return {
            "reference": complaint.name,
            "category": complaint.category_id.name or "",
            "date": complaint.date_received
            and fields.Datetime.context_timestamp(
                company, complaint.date_received
            ).date(),
            "cause": line.cause or "",
        }

    @api.model
    def _repeat_note(self, penalty):
        """The sentence that says the rule's value was multiplied because
        the complaint repeats an earlier one, or ``False``."""
        times = penalty.repeat_multiplier
        if not times or times == 1:
            return False
        shown = f"{times:g}"
        return self.env._(
            "Repeat complaint (the same matter again): the rule's value is "
            "counted %(times)s times.",
            times=shown,
        )

    @api.model
    def _refusal(self, doc):
        # A notice is issued for what was decided: not for a proposal, nor
        # for what was cancelled.
        if doc.state in ("approved", "applied"):
            return False
        return self.env._(
            "Penalty %(name)s is %(state)s: its notice is issued once the "
            "penalty is approved.",
            name=doc.name,
            state=doc._workflow_state_label(),
        )

    @api.model
    def _may_see_amount(self, penalty):
        """Finance and managers (the field's groups) see the amount, and so
        do those who acknowledge the notice: the person penalised and the
        head of the unit (the only others the record rules let read it)."""
        if penalty._fields["amount"].is_accessible(self.env):
            return True
        target = penalty.sudo()
        acknowledging = (
            target.employee_id.user_id
            | target.department_id.manager_id.user_id
            | target.employee_id.department_id.manager_id.user_id
        )
        return self.env.user in acknowledging

    @api.model
    def _document_values(self, docs):
        # sudo: the amount and the approver are read for the penalties the
        # user may read (checked) and may see the amount of.
        return {
            "repeat_notes": {doc.id: self._repeat_note(doc) for doc in docs},
            "complaint_facts": {doc.id: self._complaint_facts(doc) for doc in docs},
            "amounts": {
                doc.id: doc.sudo().amount if self._may_see_amount(doc) else None
                for doc in docs
            },
            # The notice is issued by who approved it, whoever prints it.
            "issuers": {doc.id: doc.sudo().approved_by_id.name or "" for doc in docs},
        }
