"""When the acknowledgement was sent (``date_ack_sent``, since 18.0.1.1.0):
a database without the column yet ran a release that sent it at acceptance
(受理即告知), so the complaints acknowledged then are dated with their
acceptance before Odoo adds the column empty. (Later, an empty date is an
acknowledgement still to send, automatic mails being off: left alone.)"""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        SELECT 1 FROM information_schema.columns
         WHERE table_name = 'complaint_complaint' AND column_name = 'date_ack_sent'
        """
    )
    if cr.fetchone():
        return
    cr.execute("ALTER TABLE complaint_complaint ADD COLUMN date_ack_sent timestamp")
    cr.execute(
        """
        UPDATE complaint_complaint SET date_ack_sent = date_acknowledged
         WHERE date_acknowledged IS NOT NULL
        """
    )
