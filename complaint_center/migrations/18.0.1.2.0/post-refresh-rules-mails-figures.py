"""Upgrade to 18.0.1.2.0 from 18.0.1.0.0 or either 18.0.1.1.0.

Odoo keeps ``noupdate`` records as they are on an update. The addon's record
rules and its customer mails are not local settings but the release's own
rules and texts, so they are brought to this release here, deliberately
(whichever 18.0.1.1.0 the database runs: two schemas shipped under that
number, and this reload makes both equal to a fresh install). Categories,
policies, penalty rules, crons and the mail alias stay as the company set
them. Then the records earlier releases left behind go, and the figures
this release stores at a step are filled in for complaints that took it
before (the acknowledgement's date: pre-ack-sent.py).
"""

import logging

from lxml import etree

from odoo import SUPERUSER_ID, api
from odoo.modules.module import get_manifest
from odoo.tools import convert_file
from odoo.tools.misc import file_path

_logger = logging.getLogger(__name__)

MODULE = "complaint_center"
# The customer mails, reloaded with every record-rule file of the manifest.
REFRESHED_MAILS = ("data/mail_template_data.xml",)
# Records of earlier releases this one no longer has (noupdate, so Odoo's
# update leaves them).
OBSOLETE = ("complaint_action_rule_company",)


# Template fields an XML record leaves empty keep an earlier release's value
# on a reload: emptied first, so that the reload alone decides.
TEMPLATE_FIELDS = (
    "email_from",
    "email_to",
    "email_cc",
    "reply_to",
    "partner_to",
    "lang",
    "scheduled_date",
    "report_template_ids",
)


def _refresh(env):
    # Only the templates the reloaded files define: later releases add
    # templates in other files, created by this very update, that no reload
    # here would fill again.
    names = []
    for filename in REFRESHED_MAILS:
        tree = etree.parse(file_path(f"{MODULE}/{filename}"))
        names += tree.xpath("//record[@model='mail.template']/@id")
    templates = env["mail.template"].browse(
        env["ir.model.data"]
        .search(
            [
                ("module", "=", MODULE),
                ("model", "=", "mail.template"),
                ("name", "in", names),
            ]
        )
        .mapped("res_id")
    )
    templates.write(dict.fromkeys(TEMPLATE_FIELDS, False))
    rules = [
        name
        for name in get_manifest(MODULE)["data"]
        if name.startswith("security/") and name.endswith("_rules.xml")
    ]
    for filename in (*rules, *REFRESHED_MAILS):
        convert_file(env, MODULE, filename, {}, mode="init", noupdate=True)
    _logger.info("complaint_center: record rules and mail templates refreshed")


def _drop_obsolete(env):
    data = env["ir.model.data"].search(
        [("module", "=", MODULE), ("name", "in", OBSOLETE)]
    )
    for entry in data:
        env[entry.model].browse(entry.res_id).exists().unlink()
    data.unlink()


def _fill_step_figures(env):
    """What approval freezes (the severity and the amount the approvers
    signed) is stored since 18.0.1.1.0; before, the plan itself was frozen
    once proposed, so its current figures are those approved."""
    complaints = (
        env["complaint.complaint"]
        .with_context(active_test=False, tracking_disable=True)
        .search([("approved_by_id", "!=", False), ("approved_severity", "=", False)])
    )
    for complaint in complaints:
        complaint.write(
            {
                "approved_severity": complaint.severity,
                "approved_compensation_amount": complaint.compensation_amount,
            }
        )
    _logger.info(
        "complaint_center: approved figures filled on %s complaints", len(complaints)
    )


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    _refresh(env)
    _drop_obsolete(env)
    _fill_step_figures(env)
