from odoo import api, models


class MailTrackingValue(models.Model):
    """The tracked changes of the complaint center's records are evidence
    (see mail_message.py): Odoo writes them as superuser; an administrator
    neither adds, changes nor deletes one."""

    _inherit = "mail.tracking.value"

    def _complaint_evidence(self):
        messages = self.sudo().mail_message_id
        return messages.sudo(False)._complaint_evidence()

    @api.model_create_multi
    def create(self, vals_list):
        values = super().create(vals_list)
        if not self.env.su and values._complaint_evidence():
            raise self.env["mail.message"]._complaint_refusal()
        return values

    def write(self, vals):
        if not self.env.su:
            target = self.env["mail.message"].browse(vals.get("mail_message_id"))
            if self._complaint_evidence() or target._complaint_evidence():
                raise self.env["mail.message"]._complaint_refusal()
        return super().write(vals)

    def unlink(self):
        if not self.env.su and self._complaint_evidence():
            raise self.env["mail.message"]._complaint_refusal()
        return super().unlink()
