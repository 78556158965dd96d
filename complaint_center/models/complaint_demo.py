"""Demo data goes through the real actions: helpers for the demo files."""

from freezegun import freeze_time

from odoo import api, models
from odoo.exceptions import AccessError


class ComplaintDemo(models.AbstractModel):
    _name = "complaint.demo"
    _description = "Complaint Center Demo Loader"

    @api.model
    def _demo_act(self, user_xmlid, model, method, xmlids, when=False, args=None):
        """Run ``model.method`` on the records ``xmlids`` as the demo user
        ``user_xmlid``, with the clock set to ``when`` (a datetime string) so
        that stamped facts, chatter and activities carry demo-history dates.
        Only the data loader (the superuser) may call it; it is private, so
        never reachable over RPC."""
        if not self.env.su:
            raise AccessError(self.env._("Only the data loader runs demo steps."))
        user = self.env.ref(user_xmlid)
        records = self.env[model].with_user(user).browse(
            [self.env.ref(xmlid).id for xmlid in xmlids]
        )
        if when:
            with freeze_time(when):
                return getattr(records, method)(*(args or []))
        return getattr(records, method)(*(args or []))

    @api.model
    def _demo_create(self, user_xmlid, model, xmlid, vals, when=False):
        """Create a ``model`` record from ``vals`` as the demo user
        ``user_xmlid`` at ``when``, under the xml id ``xmlid`` of this addon
        (so that later demo steps can ``ref`` it)."""
        if not self.env.su:
            raise AccessError(self.env._("Only the data loader runs demo steps."))
        Model = self.env[model].with_user(self.env.ref(user_xmlid))
        if when:
            with freeze_time(when):
                record = Model.create(vals)
        else:
            record = Model.create(vals)
        self.env["ir.model.data"]._update_xmlids(
            [
                {
                    "xml_id": f"complaint_center.{xmlid}",
                    "record": record.sudo(),
                    "noupdate": True,
                }
            ]
        )
        return record.id
