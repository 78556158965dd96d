"""``complaint.complaint`` reads in one place: read without Odoo.

The model is declared in ``models/complaint_complaint.py`` only (at most one
more file of ``models/`` may join it, a named mixin with a contract of its
own). That file is sectioned as Odoo's ``sale/models/sale_order.py``:
fields, computes, constraints, CRUD, then actions and business methods. Its
actions spell out their effects: no hook chain (``_after_step``,
``_after_write``...) ties the model together any more.
"""

import ast
import re
from pathlib import Path

ADDON = Path(__file__).resolve().parent.parent / "complaint_center"
MODELS = ADDON / "models"
MODEL = "complaint.complaint"
MODEL_FILE = "complaint_complaint.py"
# At most the model's file and one named mixin.
MAX_MODEL_FILES = 2
# The hooks that once chained the model's feature files: gone for good.
FORMER_HOOKS = (
    "_after_create",
    "_after_write",
    "_write_watched",
    "_check_write",
    "_after_handler_change",
    "_after_step",
    "_after_feedback",
    "_deadlines_changed",
    "_transition_values",
)


def declared_models(cls):
    """Model names a class of ``models/`` declares (``_name``) or extends
    (``_inherit``, a string or a list)."""
    names = set()
    for stmt in cls.body:
        if (
            isinstance(stmt, ast.Assign)
            and isinstance(stmt.targets[0], ast.Name)
            and stmt.targets[0].id in ("_name", "_inherit")
        ):
            value = stmt.value
            items = value.elts if isinstance(value, (ast.List, ast.Tuple)) else [value]
            names.update(
                item.value
                for item in items
                if isinstance(item, ast.Constant) and isinstance(item.value, str)
            )
    return names


def model_classes():
    """``[(file name, class)]`` of the classes of ``models/`` that declare or
    extend complaint.complaint (a class inheriting it under another
    ``_name`` would declare that other model, and is not counted)."""
    result = []
    for path in sorted(MODELS.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and MODEL in declared_models(node):
                own = [
                    stmt.value.value
                    for stmt in node.body
                    if isinstance(stmt, ast.Assign)
                    and isinstance(stmt.targets[0], ast.Name)
                    and stmt.targets[0].id == "_name"
                    and isinstance(stmt.value, ast.Constant)
                ]
                if not own or own == [MODEL]:
                    result.append((path.name, node))
    return result


def the_class():
    classes = [cls for name, cls in model_classes() if name == MODEL_FILE]
    assert len(classes) == 1
    return classes[0]


def test_model_declared_in_at_most_two_files():
    files = {name for name, _cls in model_classes()}
    assert MODEL_FILE in files
    assert len(files) <= MAX_MODEL_FILES, sorted(files)


def test_model_file_declares_it_once():
    classes = [cls for name, cls in model_classes() if name == MODEL_FILE]
    assert len(classes) == 1


def test_no_method_defined_twice_for_the_model():
    """No override chain inside the addon: each method of the model is
    written once (its extensions come from other addons, or mixins)."""
    seen, twice = set(), []
    for name, cls in model_classes():
        for stmt in cls.body:
            if isinstance(stmt, ast.FunctionDef):
                if stmt.name in seen:
                    twice.append(f"{name}: {stmt.name}")
                seen.add(stmt.name)
    assert twice == []


def test_one_create_and_one_write_override():
    counts = {"create": 0, "write": 0}
    for name, cls in model_classes():
        for stmt in cls.body:
            if isinstance(stmt, ast.FunctionDef) and stmt.name in counts:
                counts[stmt.name] += 1
                assert name == MODEL_FILE, f"{stmt.name} in {name}"
    assert counts == {"create": 1, "write": 1}


def test_former_hooks_are_gone():
    """The effects of an action, a creation or a write are spelled out in
    their own bodies: nothing of the addon names the former hooks."""
    offenders = []
    for path in ADDON.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for hook in FORMER_HOOKS:
            if re.search(rf"\b{hook}\b", text):
                offenders.append(f"{path.relative_to(ADDON)}: {hook}")
    assert offenders == []


def test_sectioned_as_sale_order():
    """Fields first; computes, inverses and searches before the CRUD
    methods; the actions after them."""
    cls = the_class()
    order = []
    for index, stmt in enumerate(cls.body):
        if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call):
            func = stmt.value.func
            if isinstance(func, ast.Attribute) and func.attr[:1].isupper():
                order.append(("field", index, stmt.targets[0].id))
        elif isinstance(stmt, ast.FunctionDef):
            if stmt.name.startswith(("_compute_", "_inverse_", "_search_")):
                order.append(("compute", index, stmt.name))
            elif stmt.name in ("create", "write"):
                order.append(("crud", index, stmt.name))
            elif stmt.name.startswith("action_"):
                order.append(("action", index, stmt.name))
            else:
                order.append(("method", index, stmt.name))
    first_method = min(index for kind, index, _n in order if kind != "field")
    last_field = max(index for kind, index, _n in order if kind == "field")
    assert last_field < first_method
    crud = min(index for kind, index, _n in order if kind == "crud")
    late = [n for kind, index, n in order if kind == "compute" and index > crud]
    assert late == []
    write = max(index for kind, index, _n in order if kind == "crud")
    early = [n for kind, index, n in order if kind == "action" and index < write]
    assert early == []


def test_no_getattr_on_fields():
    offenders = [
        path.name
        for path in MODELS.glob("complaint_complaint*.py")
        if "getattr(" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def _names_used(tree):
    """Names a piece of code refers to (``f()``, ``core.f``, ``from core
    import f``): its words in comments and docstrings do not count."""
    used = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            used.add(node.id)
        elif isinstance(node, ast.Attribute):
            used.add(node.attr)
        elif isinstance(node, ast.ImportFrom):
            used.update(alias.name for alias in node.names)
    return used


def test_every_core_function_is_used_by_the_addon():
    """The core holds no function production never calls, directly or
    through another core function that production calls."""
    core = ADDON / "core"
    addon_names = set()
    for path in ADDON.rglob("*.py"):
        if "tests" not in path.parts and core not in path.parents:
            addon_names |= _names_used(ast.parse(path.read_text(encoding="utf-8")))
    calls = {}
    for path in core.glob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                calls[node.name] = _names_used(node) - {node.name}
    used = set(calls) & addon_names
    grown = True
    while grown:
        reached = {name for caller in used for name in calls[caller] if name in calls}
        grown = bool(reached - used)
        used |= reached
    assert sorted(set(calls) - used) == []


def test_names_in_prose_do_not_count_as_use():
    tree = ast.parse(
        'def f():\n    """Calls stage_deadlines."""\n    # add_working_days\n'
        "    return core.next_state(x)\n"
    )
    names = _names_used(tree)
    assert "next_state" in names
    assert "stage_deadlines" not in names
    assert "add_working_days" not in names
