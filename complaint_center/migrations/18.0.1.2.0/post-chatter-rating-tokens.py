"""The satisfaction surveys kept in the chatter of complaints carried the
customer's rating token, which staff read and answered in the customer's
name (issue 22). From 18.0.1.2.0 the chatter's copy links with a stand-in
(``complaint-rating-<id>-token``) and only the mail that left for the
customer carries the token: the surveys already in the chatter get the
stand-in too. The links of mails already sent keep working."""


def migrate(cr, version):
    if not version:
        return
    # A message may hold the tokens of several ratings: one per pass.
    while True:
        cr.execute(
            """
            UPDATE mail_message m
               SET body = replace(
                       m.body, r.access_token, 'complaint-rating-' || r.id || '-token'
                   )
              FROM rating_rating r
             WHERE r.res_model = 'complaint.complaint'
               AND r.access_token IS NOT NULL
               AND m.model = 'complaint.complaint'
               AND m.res_id = r.res_id
               AND strpos(m.body, r.access_token) > 0
            """
        )
        if not cr.rowcount:
            break
