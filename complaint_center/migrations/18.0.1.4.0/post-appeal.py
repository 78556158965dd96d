"""Rejected complaints gain *Rejected On* (issue 26, item 12): the customer
may appeal a rejection from the portal within the company's window counted
from it. Complaints rejected before get the time of their rejection from
the chatter's tracking of the state, else their last change."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE complaint_complaint AS c
           SET date_rejected = COALESCE(
                   (SELECT max(m.date)
                      FROM mail_tracking_value AS v
                      JOIN mail_message AS m ON m.id = v.mail_message_id
                      JOIN ir_model_fields AS f ON f.id = v.field_id
                     WHERE m.model = 'complaint.complaint'
                       AND m.res_id = c.id
                       AND f.name = 'state'
                       AND v.new_value_char IN ('Rejected', 'rejected')),
                   c.write_date)
         WHERE c.state = 'rejected' AND c.date_rejected IS NULL
        """
    )
