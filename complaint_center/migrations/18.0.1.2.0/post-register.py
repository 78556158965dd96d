"""Upgrade from 18.0.1.1.0: the register (issue 22).

Complaint sequences made by 18.0.1.1.0 count with PostgreSQL sequences
(gaps allowed): they become gapless (``no_gap``), each month keeping its
counter.
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    complaints = env["complaint.complaint"]
    for company in env["res.company"].search([("complaint_sequence_id", "!=", False)]):
        complaints._complaint_sequence(company)
