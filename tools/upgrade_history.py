"""History for the upgrade test, made by the old release's own actions.

Run in ``odoo-bin shell`` on a database of the oldest supported release
(``./bin/test`` does): it takes a few demo complaints through the steps
whose stored facts later releases added fields for (who approved what, a
major plan waiting for the general manager, an acceptance), and types a
complainant's contact that is not the customer's, as a clerk does. Only the
old release's public actions and fields are used.
"""

# ruff: noqa: F821 - ``env`` is the shell's


def _user(login):
    return env["res.users"].search([("login", "=", login)], limit=1)


Complaint = env["complaint.complaint"]
manager, handler = _user("cc_manager"), _user("cc_handler")
proposed = Complaint.search([("state", "=", "proposed")], order="id")
new = Complaint.search([("state", "=", "new")], order="id")
# A general plan approved by the director.
proposed[0].with_user(manager).action_approve()
# A major refund approved by the director, waiting for the general manager.
proposed[-1].write({"severity": "major", "compensation_amount": 1800.0})
proposed[-1].with_user(manager).action_approve()
# A complaint accepted by its handler.
new[0].write({"user_id": handler.id})
new[0].with_user(handler).action_accept()
# A complainant who is not the customer, typed at intake.
for rec in new[1:3]:
    rec.write(
        {
            "contact_name": f"Mr Typed Person {rec.id}",
            "contact_phone": f"+86 21 5555 {rec.id:04d}",
            "contact_email": f"typed.person{rec.id}@example.org",
        }
    )
env.cr.commit()
print(
    "upgrade history:",
    proposed[0].state,
    proposed[-1].state,
    proposed[-1].needs_executive,
    new[0].state,
)
