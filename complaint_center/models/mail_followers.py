from odoo import api, models

COMPLAINT = "complaint.complaint"


class MailFollowers(models.Model):
    """Who follows a complaint is read with the complaint (Odoo's followers
    have no record rule: anyone listed the followers of any complaint, the
    person complained about included); and the customer or complainant who
    follows it, only by those who may see the complainant (保密)."""

    _name = "mail.followers"
    _inherit = ["mail.followers", "complaint.visibility.mixin"]

    @api.model
    def _complaint_visible_domain(self):
        """Followers the current user may see."""
        access = self.env["ir.model.access"]
        if not access.check(COMPLAINT, "read", raise_exception=False):
            return [("res_model", "!=", COMPLAINT)]
        complaints = self.env[COMPLAINT].with_context(active_test=False)
        readable = complaints._search([])
        readers = complaints._search(complaints._complainant_domain())
        # sudo: whether a follower is staff, whoever's partner it is.
        staff = self.env["res.partner"].sudo()._search([("partner_share", "=", False)])
        return [
            "|",
            ("res_model", "!=", COMPLAINT),
            "&",
            ("res_id", "in", readable),
            "|",
            ("res_id", "in", readers),
            ("partner_id", "in", staff),
        ]
