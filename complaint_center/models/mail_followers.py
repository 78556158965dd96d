from odoo import api, models
from odoo.osv import expression

COMPLAINT = "complaint.complaint"


class MailFollowers(models.Model):
    """Who follows a complaint is read with the complaint (Odoo's followers
    have no record rule: anyone listed the followers of any complaint, the
    person complained about included); and the customer or complainant who
    follows it, only by those who may see the complainant (保密)."""

    _inherit = "mail.followers"

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

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        if not self.env.su:
            domain = expression.AND([domain, self._complaint_visible_domain()])
        return super()._search(domain, offset=offset, limit=limit, order=order)

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if self.env.su or operation != "read" or not self:
            return result
        followers = self - result[0] if result else self
        hidden = followers - followers.search([("id", "in", followers.ids)])
        if not hidden:
            return result
        if result:
            return result[0] | hidden, result[1]
        return hidden, lambda: self.env["ir.rule"]._make_access_error("read", hidden)
