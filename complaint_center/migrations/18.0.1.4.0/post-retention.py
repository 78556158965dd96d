"""Retention from 18.0.1.4.0 (issue 26, item 13): the major and critical
complaints closed before are kept long-term, as closing them now would
(重要的资料长期保存). Their retention dates are computed by the upgrade
itself (a new stored computed field)."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE complaint_complaint
           SET is_long_term = TRUE
         WHERE state = 'closed'
           AND severity IN ('major', 'critical')
           AND is_long_term IS NOT TRUE
        """
    )
