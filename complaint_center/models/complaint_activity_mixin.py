"""Activities scheduled in batches: one insert for a whole batch of
records (intake, sweeps), and one mail per person told rather than one per
activity (Odoo's ``activity_schedule`` notifies each activity alone, in the
name of the current user). Complaints, penalties and their actions."""

from markupsafe import Markup

from odoo import api, models


class ComplaintActivityMixin(models.AbstractModel):
    _name = "complaint.activity.mixin"
    _description = "Complaint Center Batch Activities"

    @api.model
    def _schedule_activities(self, xmlid, plan):
        """Schedule activities of type ``xmlid`` from ``plan``, a list of
        ``(complaint, user, date_deadline, summary)``, in one create, never
        for someone involved in the complaint. Each user is told once per
        call: Odoo's assignment mail for one activity, a digest for several,
        so that a batch (mail import, sweep) costs a mail per person rather
        than per complaint. Every to-do of the addon goes through here:
        the mails leave in the current user's name, from the company's
        address when the user has none (complaint.workflow.mixin)."""
        plan = [
            entry
            for entry in plan
            if entry[1] and entry[1] not in entry[0]._activity_recused_users()
        ]
        if not plan:
            return self.env["mail.activity"]
        activity_type = self.env.ref(xmlid)
        model_id = self.env["ir.model"]._get_id(self._name)
        activities = (
            self.env["mail.activity"]
            .with_context(mail_activity_quick_update=True)
            .create(
                [
                    {
                        "activity_type_id": activity_type.id,
                        "summary": summary or activity_type.summary,
                        "automated": True,
                        "note": activity_type.default_note,
                        "date_deadline": date_deadline,
                        "res_model_id": model_id,
                        "res_id": rec.id,
                        "user_id": user.id,
                    }
                    for rec, user, date_deadline, summary in plan
                ]
            )
        )
        # The documents' names first, outside any template: a complaint's
        # reference may be taken right now (complaint.reference.mixin), and a
        # concurrent intake's lock error reaches Odoo's retry only when no
        # template wraps it in its own error.
        activities.mapped("res_name")
        by_user = {}
        for activity in activities:
            if activity.user_id != self.env.user:
                by_user.setdefault(activity.user_id, []).append(activity.id)
        for user, ids in by_user.items():
            assigned = self.env["mail.activity"].browse(ids)
            if len(assigned) == 1:
                assigned.sudo().action_notify()
            else:
                self._notify_activity_digest(user, assigned.sudo())
        return activities

    def _activity_recused_users(self):
        """Who never gets a to-do on this record (those involved in it)."""
        return self.env["res.users"]

    @api.model
    def _notify_activity_digest(self, user, activities):
        """One mail to ``user`` listing the records of ``activities``, in
        their language."""
        env = self.with_context(lang=user.lang or self.env.lang).env
        items = Markup().join(
            Markup('<li><a href="/mail/view?model=%s&amp;res_id=%s">%s</a>: %s</li>')
            % (self._name, activity.res_id, activity.res_name, activity.summary)
            for activity in activities
        )
        activity = activities[0].activity_type_id.with_env(env).name
        if self._name == "complaint.complaint":
            subject = env._(
                "%(count)s complaints: %(activity)s",
                count=len(activities),
                activity=activity,
            )
        else:
            # Penalties, corrective actions: named as their model is.
            subject = env._(
                "%(count)s × %(model)s: %(activity)s",
                count=len(activities),
                model=env["ir.model"]._get(self._name).name,
                activity=activity,
            )
        # On this model, for its sender (complaint.workflow.mixin).
        self.browse().with_env(env).sudo().message_notify(
            partner_ids=user.partner_id.ids,
            subject=subject,
            body=Markup("<ul>%s</ul>") % items,
            email_layout_xmlid="mail.mail_notification_light",
        )

    def _activity_summary(self, xmlid, user):
        """The summary of activity type ``xmlid`` in ``user``'s language: an
        activity keeps the language it was scheduled in."""
        return self.env.ref(xmlid).with_context(lang=user.lang).summary

    @api.model
    def _activity_summaries(self, xmlid, users):
        """``_activity_summary`` for each of ``users``, one read per language."""
        activity_type = self.env.ref(xmlid)
        by_lang = {
            lang: activity_type.with_context(lang=lang).summary
            for lang in set(users.mapped("lang"))
        }
        return {user: by_lang[user.lang] for user in users}
