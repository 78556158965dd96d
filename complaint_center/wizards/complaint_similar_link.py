"""One click on a similar complaint: link the complaint being registered to
it as a repeat, or join them as a group complaint. The complaint being
registered comes as the wizard's default from its form; everything is
checked and written as the user."""

from odoo import fields, models
from odoo.exceptions import AccessError, UserError


class ComplaintSimilarLink(models.TransientModel):
    _name = "complaint.similar.link"
    _description = "Link a Similar Complaint"

    similar_origin_id = fields.Many2one(
        "complaint.complaint", string="Complaint", ondelete="cascade"
    )
    similar_target_id = fields.Many2one(
        "complaint.complaint",
        string="Similar Complaint",
        required=True,
        ondelete="cascade",
    )
    mode = fields.Selection(
        [("repeat", "Repeat of the Similar Complaint"), ("group", "Group Complaint")],
        required=True,
    )

    def action_apply(self):
        for link in self:
            origin = link.similar_origin_id
            target = link.similar_target_id
            if not origin:
                raise UserError(self.env._("Save the complaint first."))
            if not target._similar_readable():
                raise AccessError(
                    self.env._("You cannot read complaint %(ref)s.", ref=target.name)
                )
            # Whoever may not edit the complaint hears so, before anything.
            origin.check_access("write")
            if link.mode == "repeat":
                # Written as the user: the guard decides whether it may
                # still change.
                origin.write({"parent_id": target.id})
            else:
                origin._join_group(target)
        return True
