"""The rejection mail (noupdate data) printed the internal rejection reason to
the customer: its body now prints the answer written for the customer, or
the standard one (``complaint.complaint._rejection_reply_text``). A company
that rewrote the template keeps its text, only the reference to the internal
reason is replaced, in every language."""

OLD = "object.rejection_reason or ''"
NEW = "object._rejection_reply_text()"


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE mail_template t
           SET body_html = (
                SELECT jsonb_object_agg(lang, replace(body, %(old)s, %(new)s))
                  FROM jsonb_each_text(t.body_html) AS b(lang, body)
           )
          FROM ir_model_data d
         WHERE d.module = 'complaint_center'
           AND d.name = 'mail_template_complaint_rejection'
           AND d.model = 'mail.template'
           AND t.id = d.res_id
           AND t.body_html::text LIKE %(like)s
        """,
        {"old": OLD, "new": NEW, "like": "%object.rejection_reason%"},
    )
