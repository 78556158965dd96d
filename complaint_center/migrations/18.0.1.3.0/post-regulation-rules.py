"""The immediate report of major cases (重大投诉立即上报, issue 26) is made
when a complaint becomes major or critical. Complaints of an older version
that are major or critical already were dealt with then: they count as
reported at their severity, so that the upgrade (or their next change) does
not report them to leadership again. The other new columns start empty or
at their defaults (reply days 3, no customer agreement required, no head
charged), as on a fresh install."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE complaint_complaint
           SET reported_severity = severity
         WHERE severity IN ('major', 'critical')
           AND reported_severity IS NULL
        """
    )
