from odoo import api, models
from odoo.osv import expression


class ComplaintVisibilityMixin(models.AbstractModel):
    """For Odoo models without record rules that hold records of complaints
    (followers, ratings): rows of a complaint are searched and read only as
    far as ``_complaint_visible_domain()`` says, whatever the caller."""

    _name = "complaint.visibility.mixin"
    _description = "Complaint Center Visibility of Linked Records"

    @api.model
    def _complaint_visible_domain(self):
        """Rows the current user may see (the inheriting model's rule)."""
        raise NotImplementedError

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        if not self.env.su:
            domain = expression.AND([domain, self._complaint_visible_domain()])
        return super()._search(domain, offset=offset, limit=limit, order=order)

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if self.env.su or operation != "read" or not self:
            return result
        rows = self - result[0] if result else self
        hidden = rows - rows.search([("id", "in", rows.ids)])
        if not hidden:
            return result
        if result:
            return result[0] | hidden, result[1]
        return hidden, lambda: self.env["ir.rule"]._make_access_error("read", hidden)
