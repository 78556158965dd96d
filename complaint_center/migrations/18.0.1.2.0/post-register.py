"""Upgrade from 18.0.1.1.0: the register and the intake queue (issue 22).

* The complaint roles' record rules are ``noupdate``: ``-u`` does not
  rewrite them. Those whose domain changed (a handler reads the unrouted
  complaints only in the company's intake department; a clerk reads by the
  salespeople recorded at intake, not by the partner's or the order's
  salesperson now) are loaded again from their XML files, which overwrites
  any local edit of the rules in these two files.
* Complaint sequences made by 18.0.1.1.0 count with PostgreSQL sequences
  (gaps allowed): they become gapless (``no_gap``), each month keeping its
  counter.

The salespeople at intake, new stored fields, are computed by the update
from each complaint's order and customer as they are now: the closest to
intake the database still knows.
"""

from odoo import SUPERUSER_ID, api
from odoo.tools import convert

RULE_FILES = (
    "security/complaint_role_rules.xml",
    "security/complaint_report_rules.xml",
)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    for path in RULE_FILES:
        # "init" loads the records of a noupdate file over the existing ones.
        convert.convert_file(
            env, "complaint_center", path, {}, mode="init", noupdate=True
        )
    complaints = env["complaint.complaint"]
    for company in env["res.company"].search([("complaint_sequence_id", "!=", False)]):
        complaints._complaint_sequence(company)
