"""Scheduled summaries (统计上报): the monthly statistics report on the 1st,
the quarterly summary on the first day of a quarter, both to the complaint
managers and executives of each company, and every Monday each department
head's register of last week's complaints of their department (周报)."""

import base64
import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import formataddr

_logger = logging.getLogger(__name__)

STATISTICS_REPORT = "complaint_center.action_report_complaint_statistics"
REGISTER_REPORT = "complaint_center.complaint_register_xlsx"
REGISTER_MODEL = "report.complaint_center.complaint_register_xlsx"
# Last period mailed, per kind and company: a second run (or a second
# server's cron) sends nothing twice.
SENT_PARAM = "complaint_center.summary_sent.%s.%s"


class ComplaintSummary(models.AbstractModel):
    _name = "complaint.summary"
    _description = "Complaint Scheduled Summaries"

    # ------------------------------------------------------------- crons
    @api.model
    def _cron_send_monthly_statistics(self):
        self._send_statistics("month")

    @api.model
    def _cron_send_quarterly_statistics(self):
        self._send_statistics("quarter")

    @api.model
    def _cron_send_weekly_registers(self):
        """Every department head gets the register of the complaints their
        department, its sub-departments included, received last week
        (Monday to Sunday, company time): the head of 总经办 is sent the
        whole company's."""
        Register = self.env[REGISTER_MODEL]
        heads = self.env["hr.department"].search([("manager_id.user_id", "!=", False)])
        for department in heads:
            head = department.manager_id.user_id
            company = department.company_id or head.company_id
            week_start = self._week_start(company)
            key = SENT_PARAM % ("week", department.id)
            if self._already_sent(key, week_start.isoformat()):
                continue
            if not head.has_group("complaint_center.group_complaint_user"):
                # Without a complaint role the head reads no complaint: the
                # register would be empty or refused.
                _logger.info(
                    "Weekly register skipped: head of %s has no complaint role",
                    department.display_name,
                )
                continue
            if company not in head.company_ids:
                _logger.info(
                    "Weekly register skipped: head of %s may not read %s",
                    department.display_name,
                    company.name,
                )
                continue
            lang = head.lang or "en_US"
            # The register's own criteria and search, read as the head: only
            # what their record rules show, and the workbook says the week.
            criteria = {
                "company_id": company.id,
                "department_id": department.id,
                "date_from": fields.Date.to_string(week_start - timedelta(days=7)),
                "date_to": fields.Date.to_string(week_start - timedelta(days=1)),
            }
            register = (
                Register.with_user(head).with_company(company).with_context(lang=lang)
            )
            count = (
                self.env["complaint.complaint"]
                .with_env(register.env)
                .search_count(register._register_domain(criteria))
            )
            body_args = {
                "department": department.display_name,
                "start": criteria["date_from"],
                "end": criteria["date_to"],
                "count": count,
            }
            env = self.with_context(lang=lang).env
            attachments = []
            if count:
                content, _type = (
                    self.env["ir.actions.report"]
                    .with_env(register.env)
                    ._render(REGISTER_REPORT, [], data={"criteria": criteria})
                )
                attachments.append(
                    (
                        env._(
                            "Complaint Register %(department)s %(start)s.xlsx",
                            **body_args,
                        ),
                        content,
                    )
                )
            self._mail(
                head.partner_id,
                env._(
                    "Weekly complaint register: %(department)s, %(start)s to %(end)s",
                    **body_args,
                ),
                env._(
                    "<p>%(count)s complaint(s) received by %(department)s from "
                    "%(start)s to %(end)s. The register is attached.</p>",
                    **body_args,
                )
                if count
                else env._(
                    "<p>No complaint received by %(department)s from %(start)s "
                    "to %(end)s.</p>",
                    **body_args,
                ),
                attachments,
                company,
            )
            self._mark_sent(key, week_start.isoformat())

    # ----------------------------------------------------------- helpers
    def _send_statistics(self, kind):
        """The statistics report of the period before today, per company that
        has complaints, to its complaint managers (executives included)."""
        stats = self.env["complaint.statistics"]
        Complaint = self.env["complaint.complaint"]
        companies = Complaint.sudo()._read_group([], ["company_id"])
        for (company,) in companies:
            today = company._complaint_today()
            number = today.month if kind == "month" else (today.month - 1) // 3 + 1
            period = stats._previous_period(stats._period(kind, today.year, number))
            key = SENT_PARAM % (kind, company.id)
            if self._already_sent(key, period["label"]):
                continue
            recipients = self._statistics_recipients(company)
            data = {
                "company_id": company.id,
                "kind": kind,
                "year": period["year"],
                "number": period["number"],
            }
            for lang in set(recipients.mapped("lang")):
                partners = recipients.filtered(lambda u, lang=lang: u.lang == lang)
                env = self.with_context(lang=lang or "en_US").env
                content, _type = (
                    env["ir.actions.report"]
                    .with_company(company)
                    ._render_qweb_pdf(STATISTICS_REPORT, data=data)
                )
                args = {"company": company.name, "period": period["label"]}
                subject = (
                    env._(
                        "Monthly complaint statistics %(period)s, %(company)s", **args
                    )
                    if kind == "month"
                    else env._(
                        "Quarterly complaint summary %(period)s, %(company)s", **args
                    )
                )
                self._mail(
                    partners.partner_id,
                    subject,
                    env._(
                        "<p>The complaint statistics and improvement report of "
                        "%(period)s for %(company)s is attached.</p>",
                        **args,
                    ),
                    [(subject + ".pdf", content)],
                    company,
                )
            self._mark_sent(key, period["label"])

    @api.model
    def _statistics_recipients(self, company):
        group = self.env.ref("complaint_center.group_complaint_manager")
        # Executives imply the manager group: they are among its users.
        return group.users.filtered(
            lambda u: u.active and not u.share and company in u.company_ids
        )

    @api.model
    def _week_start(self, company):
        """This week's Monday in the company's time zone."""
        today = company._complaint_today()
        return today - timedelta(days=today.weekday())

    @api.model
    def _already_sent(self, key, period):
        return self.env["ir.config_parameter"].sudo().get_param(key) == period

    @api.model
    def _mark_sent(self, key, period):
        self.env["ir.config_parameter"].sudo().set_param(key, period)

    @api.model
    def _mail(self, partners, subject, body, attachments, company):
        """Mail ``body`` to ``partners`` from ``company``: its name and
        address (else its catchall), never the company the cron happens to
        run in nor the system user."""
        if not partners:
            return self.env["mail.mail"]
        company = company.sudo()
        # The company's address (its partner's: res.company's own field is
        # not recomputed when the address changes), else its catchall.
        email_from = (
            company.partner_id.email_formatted
            or company.email_formatted
            or formataddr(
                (company.name, self.env["ir.mail_server"]._get_default_from_address())
            )
        )
        mail = (
            self.env["mail.mail"]
            .sudo()
            .create(
                {
                    "subject": subject,
                    "body_html": body,
                    "recipient_ids": [fields.Command.set(partners.ids)],
                    "author_id": company.partner_id.id,
                    "email_from": email_from,
                    "auto_delete": False,
                }
            )
        )
        if attachments:
            mail.attachment_ids = [
                fields.Command.create(
                    {
                        "name": name,
                        "datas": base64.b64encode(content),
                        "res_model": "mail.mail",
                        "res_id": mail.id,
                    }
                )
                for name, content in attachments
            ]
        return mail
