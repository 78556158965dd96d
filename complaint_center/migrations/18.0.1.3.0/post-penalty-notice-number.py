"""Penalty notices carry a number from 18.0.1.3.0 (issue 24, item 14),
given when a penalty is approved. The penalties approved or applied before
get theirs now, in the order they were made, so that their notices print
with one."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["complaint.penalty"].search(
        [("state", "in", ("approved", "applied")), ("notice_number", "=", False)],
        order="id",
    )._number_notices()
