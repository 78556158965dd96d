"""The chatter of the complaint center's records is evidence.

Odoo lets a message's author and recipients write it, and whoever may write
a record delete its messages: a customer rewrote the company's
acknowledgement, a manager re-attributed her cancellation, a handler deleted
the state changes. On the workflow records of this addon a message stays as
it was posted, in its poster's own name; only the superuser (the server's
own code, a data fix) changes or deletes it."""

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError
from odoo.tools import email_normalize

# Models whose chatter is evidence besides the workflow models: records kept
# as they were recorded.
EVIDENCE_MODELS = frozenset({"complaint.visit", "complaint.responsibility"})
# What a user still changes on such a message: his own favourites (the star).
FREE_FIELDS = frozenset({"starred_partner_ids"})
# How far from now a caller may date a message (clock skew).
DATE_TOLERANCE_SECONDS = 60


class MailMessage(models.Model):
    _inherit = "mail.message"

    # Which messages are evidence --------------------------------------------
    @api.model
    @tools.ormcache()
    def _complaint_evidence_models(self):
        """Models whose messages nobody but the superuser changes: the
        workflow models of the addon and the records kept as recorded."""
        registry = self.env.registry
        mixin = registry["complaint.workflow.mixin"]
        workflow = {
            name
            for name, model in registry.items()
            if issubclass(model, mixin) and not model._abstract
        }
        return frozenset(workflow | EVIDENCE_MODELS)

    def _complaint_evidence(self):
        """The messages of ``self`` on a record whose chatter is evidence."""
        models_ = self._complaint_evidence_models()
        return self.browse(
            message.id for message in self.sudo() if message.model in models_
        )

    def _complaint_refusal(self):
        return AccessError(
            self.env._(
                "The messages of complaints, penalties and corrective actions are "
                "a record of what happened: they are neither changed nor deleted, "
                "and each is posted in its author's own name."
            )
        )

    # CRUD ---------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        # What the caller gave (create() pops the tracking values).
        given = [
            {
                "date": bool(vals.get("date")),
                "tracking": bool(vals.get("tracking_value_ids")),
            }
            for vals in vals_list
        ]
        messages = super().create(vals_list)
        if not self.env.su:
            messages._complaint_check_posted(given)
        return messages

    def _complaint_check_posted(self, given):
        """A user posts on evidence in his own name (or his company's, as the
        customer mails do), dated now, and logs no tracking of his own: the
        server tracks as superuser."""
        evidence = set(self._complaint_evidence()._ids)
        if not evidence:
            return
        user = self.env.user
        now = fields.Datetime.now()
        for message, caller in zip(self, given, strict=True):
            if message.id not in evidence:
                continue
            message = message.sudo()
            record = self.env[message.model].sudo().browse(message.res_id)
            authors = user.partner_id
            if "company_id" in record._fields:
                authors |= record.company_id.partner_id
            emails = {email_normalize(partner.email) for partner in authors}
            dated = abs((message.date - now).total_seconds()) > DATE_TOLERANCE_SECONDS
            if (
                not message.author_id
                or message.author_id not in authors
                or (
                    message.email_from
                    and email_normalize(message.email_from) not in emails
                )
                or (caller["date"] and dated)
                or caller["tracking"]
            ):
                raise self._complaint_refusal()

    def write(self, vals):
        if not self.env.su and set(vals) - FREE_FIELDS:
            moved_in = vals.get("model") in self._complaint_evidence_models()
            if moved_in or self._complaint_evidence():
                raise self._complaint_refusal()
        return super().write(vals)

    def unlink(self):
        if not self.env.su and self._complaint_evidence():
            raise self._complaint_refusal()
        return super().unlink()
