"""Write back the complainants' contact copied aside by pre-keep-contact.py,
once the upgrade has recomputed what it recomputes (see there)."""

import logging

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL
from odoo.tools.sql import column_exists, table_exists

_logger = logging.getLogger(__name__)

CONTACT_COLUMNS = ("contact_name", "contact_phone", "contact_email", "contact_address")
BACKUP = "complaint_center_contact_keep"


def migrate(cr, version):
    if not version or not table_exists(cr, BACKUP):
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    # Pending computations first, so that none runs after the write-back.
    env.flush_all()
    columns = [name for name in CONTACT_COLUMNS if column_exists(cr, BACKUP, name)]
    table, kept = SQL.identifier("complaint_complaint"), SQL.identifier(BACKUP)
    cr.execute(
        SQL(
            "UPDATE %s AS c SET %s FROM %s AS k WHERE c.id = k.id AND (%s)",
            table,
            SQL(", ").join(
                SQL("%s = k.%s", SQL.identifier(name), SQL.identifier(name))
                for name in columns
            ),
            kept,
            SQL(" OR ").join(
                SQL(
                    "c.%s IS DISTINCT FROM k.%s",
                    SQL.identifier(name),
                    SQL.identifier(name),
                )
                for name in columns
            ),
        )
    )
    if cr.rowcount:
        _logger.info("Kept the stored contact of %s complaints", cr.rowcount)
    cr.execute(SQL("DROP TABLE %s", kept))
    env.invalidate_all()
