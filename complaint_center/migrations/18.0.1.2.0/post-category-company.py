"""A category routes only to the departments and handlers of its own
company (issue 23, item 2). A category shared between companies (no
company) that an older version let route to a company's department or
handler becomes that company's, unless that company already has a category
with its code: that one is left as it is and logged, for an administrator
to split by hand."""

import logging

from odoo.tools import SQL

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    for owner, table in (("department_id", "hr_department"), ("user_id", "res_users")):
        cr.execute(
            SQL(
                """
                UPDATE complaint_category AS c
                   SET company_id = o.company_id
                  FROM %(table)s AS o
                 WHERE c.%(owner)s = o.id
                   AND c.company_id IS NULL
                   AND o.company_id IS NOT NULL
                   AND NOT EXISTS (
                        SELECT 1 FROM complaint_category AS same
                         WHERE same.code = c.code AND same.company_id = o.company_id
                   )
                """,
                table=SQL.identifier(table),
                owner=SQL.identifier(owner),
            )
        )
        if cr.rowcount:
            _logger.info(
                "%s shared complaint categories given their company", cr.rowcount
            )
    cr.execute(
        """
        SELECT c.id, c.code FROM complaint_category AS c
          LEFT JOIN hr_department AS d ON d.id = c.department_id
         WHERE c.company_id IS NULL
           AND (c.user_id IS NOT NULL OR d.company_id IS NOT NULL)
        """
    )
    for category_id, code in cr.fetchall():
        _logger.warning(
            "Complaint category %s (%s) is shared between companies but routes "
            "to one company: give it its company or create it in each company.",
            category_id,
            code,
        )
