from odoo import SUPERUSER_ID, models

# What an attachment is: its file, its name and what it belongs to.
CONTENT_FIELDS = frozenset(
    {
        "datas",
        "raw",
        "db_datas",
        "store_fname",
        "url",
        "name",
        "type",
        "res_model",
        "res_id",
        "res_field",
    }
)


class IrAttachment(models.Model):
    """The files sent or received with a message of the complaint center's
    records are part of that message (see mail_message.py): nobody but the
    superuser replaces or deletes them."""

    _inherit = "ir.attachment"

    def _complaint_evidence(self):
        """The attachments of ``self`` carried by a message that is
        evidence."""
        if not self:
            return self
        messages = (
            self.env["mail.message"].sudo().search([("attachment_ids", "in", self.ids)])
        )
        return self & messages._complaint_evidence().attachment_ids

    def write(self, vals):
        if (
            not self.env.su
            and CONTENT_FIELDS.intersection(vals)
            and self._complaint_evidence()
        ):
            raise self.env["mail.message"]._complaint_refusal()
        return super().write(vals)

    def unlink(self):
        if not self.env.su and self._complaint_evidence():
            raise self.env["mail.message"]._complaint_refusal()
        return super().unlink()

    def _delete_and_notify(self, message=None):
        # The chatter deletes the attachment of a portal author's message as
        # superuser on his behalf.
        if self.env.uid != SUPERUSER_ID and self.sudo()._complaint_evidence():
            raise self.env["mail.message"]._complaint_refusal()
        return super()._delete_and_notify(message=message)
