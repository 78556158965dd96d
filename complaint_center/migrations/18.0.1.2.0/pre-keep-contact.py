"""Keep the complainants' stored contact through the upgrade (issue 25).

Odoo recomputes a stored computed field of existing rows on upgrade only
when it creates the field's column (a new field, or a column whose type
changed): ``_auto_init`` marks every row for the computation of that field.
A compute method assigns every field it computes, so all the fields that
share the method are recomputed with it: 18.0.1.1.0 added
``contact_address`` to ``_compute_contact``, and the new column overwrote
the name, phone and email of every old complaint with the customer's
current ones. A changed ``@api.depends`` alone recomputes nothing.

The compute now keeps a non-empty value of a saved complaint; this script
and post-keep-contact.py also keep the empty ones (a detail removed on
purpose stays removed) and any value whatever the compute of this or a
later version does: the stored columns are copied aside here and written
back after the upgrade. A column new in this upgrade (none on 18.0.1.1.0,
contact_address on 18.0.1.0.0) is filled from the customer."""

from odoo.tools import SQL
from odoo.tools.sql import column_exists, table_exists

CONTACT_COLUMNS = ("contact_name", "contact_phone", "contact_email", "contact_address")
BACKUP = "complaint_center_contact_keep"


def migrate(cr, version):
    if not version or not table_exists(cr, "complaint_complaint"):
        return
    columns = [
        name
        for name in CONTACT_COLUMNS
        if column_exists(cr, "complaint_complaint", name)
    ]
    if not columns:
        return
    cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(BACKUP)))
    cr.execute(
        SQL(
            "CREATE TABLE %s AS SELECT id, %s FROM complaint_complaint",
            SQL.identifier(BACKUP),
            SQL(", ").join(SQL.identifier(name) for name in columns),
        )
    )
