"""Categories gain *Offered on the Portal* (issue 23, item 17), True on
every existing row. The categories the addon ships that only staff decide
on (staff conduct, customer misunderstanding, and their copies in the
Chinese demo company) are not offered, as on a fresh install: their
records are noupdate, so the update does not rewrite them."""

import logging

_logger = logging.getLogger(__name__)

STAFF_ONLY = (
    "complaint_category_staff_conduct",
    "complaint_category_misunderstanding",
    "complaint_category_cn_demo_staff_conduct",
    "complaint_category_cn_demo_misunderstanding",
)


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE complaint_category AS c
           SET portal_visible = FALSE
          FROM ir_model_data AS d
         WHERE d.model = 'complaint.category'
           AND d.module = 'complaint_center'
           AND d.name IN %s
           AND d.res_id = c.id
        """,
        (STAFF_ONLY,),
    )
    _logger.info("%s complaint categories kept off the portal", cr.rowcount)
