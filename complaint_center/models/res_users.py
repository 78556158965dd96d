from odoo import models

# Complaint roles -> their groups. The groups imply each other (user <
# handler < manager < deputy < executive): whoever holds a role holds the
# lower ones, so the ranking lives in the groups XML only. Finance stands
# apart.
ROLE_GROUPS = {
    "user": "complaint_center.group_complaint_user",
    "handler": "complaint_center.group_complaint_handler",
    "manager": "complaint_center.group_complaint_manager",
    "deputy": "complaint_center.group_complaint_deputy",
    "executive": "complaint_center.group_complaint_executive",
    "finance": "complaint_center.group_complaint_finance",
}


class ResUsers(models.Model):
    _inherit = "res.users"

    def _complaint_roles(self):
        """The complaint roles this user holds, read from his groups: the one
        way the addon asks who may do what (the workflow tables name these
        roles)."""
        self.ensure_one()
        return {role for role, xmlid in ROLE_GROUPS.items() if self.has_group(xmlid)}
