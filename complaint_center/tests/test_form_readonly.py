"""The forms offer what the server accepts: state by state, a field a form
lets a user edit is one the workflow guard lets him write (else he types a
value and the save is refused), and a field the form locks while the guard
allows it is one of the few written out below, each for a reason."""

from lxml import etree

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import ComplaintCase, make_user

FORMS = (
    "complaint.complaint",
    "complaint.penalty",
    "complaint.action",
    "complaint.extension",
    "complaint.handover",
)
# (model, field, state): the form locks what the server would let through.
LOCKED_BY_THE_FORM = {
    # An action belongs to the complaint it was planned on; the form offers
    # the choice only when the action is created outside a complaint.
    ("complaint.action", "complaint_id", "open"),
    # The proposal links a penalty to its responsibility line; a penalty
    # typed by hand has none.
    ("complaint.penalty", "responsibility_id", "draft"),
}


@tagged("post_install", "-at_install")
class TestFormReadonly(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Sees every field of the forms: every complaint role, sales, and
        # the multi-company and multi-currency fields.
        cls.viewer = make_user(
            cls.env,
            login="cc_t_form_viewer",
            groups="base.group_user,complaint_center.group_complaint_executive,"
            "complaint_center.group_complaint_finance,sales_team.group_sale_salesman,"
            "base.group_multi_company,base.group_multi_currency",
        )

    def _form_fields(self, model):
        """The form's own fields (not those of its lines), with their
        ``readonly`` and ``invisible`` expressions."""
        views = self.env[model].with_user(self.viewer).get_views([(False, "form")])
        arch = etree.fromstring(views["views"]["form"]["arch"])
        for node in arch.iter("field"):
            if any(parent.tag == "field" for parent in node.iterancestors()):
                continue
            yield node.get("name"), node.get("readonly"), node.get("invisible")

    def _locked(self, model, name, expression, state):
        if expression is None:
            return bool(self.env[model]._fields[name].readonly)
        # A saved record in ``state``: the expressions read the state and id.
        return bool(safe_eval(expression, {"state": state, "id": 1, "context": {}}))

    def test_forms_match_the_guard_state_by_state(self):
        refused, locked = [], set()
        for model in FORMS:
            Model = self.env[model]
            scope = Model._workflow_scope()
            guarded = Model._workflow_guarded_fields()
            editable = Model._workflow_editable_fields()
            state_field = Model._fields[Model._workflow_state_field]
            states = [
                key for key, _label in state_field._description_selection(self.env)
            ]
            seen = 0
            for name, readonly, invisible in self._form_fields(model):
                if name not in scope or invisible in ("1", "True"):
                    continue
                seen += 1
                for state in states:
                    allowed = name not in guarded and name in editable.get(state, ())
                    if self._locked(model, name, readonly, state):
                        if allowed:
                            locked.add((model, name, state))
                    elif not allowed:
                        refused.append((model, name, state))
            self.assertGreater(seen, 5, model)
        self.assertEqual(refused, [], "the form offers what the server refuses")
        self.assertEqual(locked, LOCKED_BY_THE_FORM)

    def test_stamped_dates_are_read_only_everywhere(self):
        # Written by the actions only: no view offers them for editing.
        Complaint = self.env["complaint.complaint"]
        for name in (
            "date_acknowledged",
            "date_resolved",
            "date_closed",
            "date_feedback",
        ):
            self.assertTrue(Complaint._fields[name].readonly, name)

    def test_draft_penalty_shows_its_approval_slots(self):
        """Issue 23 (cosmetic): a draft penalty's Approvals section showed
        its heading alone; it shows the slots still to fill, the
        executive's when the amount needs one."""
        views = (
            self.env["complaint.penalty"]
            .with_user(self.viewer)
            .get_views([(False, "form")])
        )
        arch = etree.fromstring(views["views"]["form"]["arch"])
        group = arch.find(".//group[@name='approvals']")
        slots = {
            node.get("name"): node.get("invisible") for node in group.iter("field")
        }
        self.assertEqual(
            list(slots),
            [
                "confirmed_by_id",
                "approved_by_id",
                "executive_approved_by_id",
                "applied_by_id",
            ],
        )

        def shown(state, **values):
            context = dict.fromkeys(slots, False)
            context.update(state=state, needs_executive=False)
            context.update(values)
            return [
                name
                for name, expression in slots.items()
                if not (expression and safe_eval(expression, context))
            ]

        self.assertEqual(
            shown("draft"), ["confirmed_by_id", "approved_by_id", "applied_by_id"]
        )
        self.assertEqual(shown("draft", needs_executive=True), list(slots))
        self.assertEqual(shown("cancelled"), [])
        self.assertEqual(shown("cancelled", confirmed_by_id=7), ["confirmed_by_id"])
        # The reason has its own heading: it is not an approval.
        self.assertTrue(arch.xpath("//separator[@string='Why This Penalty']"))

    def test_lists_leave_room_for_references(self):
        """Issue 23 (cosmetic): references were cut off in the lists at
        1440 px; their column has a fixed width."""
        for model, name in (
            ("complaint.complaint", "name"),
            ("complaint.penalty", "complaint_id"),
            ("complaint.action", "complaint_id"),
            ("complaint.extension", "complaint_id"),
            ("complaint.visit", "complaint_id"),
        ):
            views = self.env[model].with_user(self.viewer).get_views([(False, "list")])
            arch = etree.fromstring(views["views"]["list"]["arch"])
            column = arch.find(f"field[@name='{name}']")
            self.assertEqual(column.get("width"), "120px", model)
