"""The split of ``complaint.complaint`` runs one way: read without Odoo.

``models/__init__.py`` imports the base file first, then each feature file
of the model. A file may name the fields and methods defined by itself or by
a file imported before it, never one that only a later file defines: the
base names nothing of its features, and each feature reads on its own with
what precedes it.
"""

import ast
import re
from pathlib import Path

ADDON = Path(__file__).resolve().parent.parent / "complaint_center"
MODELS = ADDON / "models"
MODEL = "complaint.complaint"
IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


def import_order():
    tree = ast.parse((MODELS / "__init__.py").read_text(encoding="utf-8"))
    return [
        alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    ]


def model_classes(tree):
    """Classes of ``tree`` that define or extend complaint.complaint."""
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        for stmt in node.body:
            if (
                isinstance(stmt, ast.Assign)
                and isinstance(stmt.targets[0], ast.Name)
                and stmt.targets[0].id in ("_name", "_inherit")
                and isinstance(stmt.value, ast.Constant)
                and stmt.value.value == MODEL
            ):
                yield node
                break


def layers():
    """``[(file name, defined names, referenced names)]`` in import order."""
    result = []
    for module in import_order():
        path = MODELS / f"{module}.py"
        tree = ast.parse(path.read_text(encoding="utf-8"))
        classes = list(model_classes(tree))
        if not classes:
            continue
        defined, used = set(), set()
        for cls in classes:
            for stmt in cls.body:
                if isinstance(stmt, ast.FunctionDef):
                    defined.add(stmt.name)
                elif isinstance(stmt, ast.Assign):
                    defined.update(
                        t.id for t in stmt.targets if isinstance(t, ast.Name)
                    )
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute):
                used.add(node.attr)
            elif isinstance(node, ast.keyword) and node.arg:
                used.add(node.arg)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                # Field names in depends, vals and domains, dotted paths too.
                for part in node.value.split("."):
                    if IDENTIFIER.match(part):
                        used.add(part)
        result.append((path.name, defined, used))
    return result


def test_base_comes_first_and_features_follow():
    names = [name for name, _defined, _used in layers()]
    assert names[0] == "complaint_complaint.py"
    assert len(names) > 8


def test_no_file_names_what_a_later_file_defines():
    stack = layers()
    offenders = []
    for index, (name, defined, used) in enumerate(stack):
        known = set(defined)
        for _earlier, earlier_defined, _used in stack[:index]:
            known |= earlier_defined
        later = set()
        for _later, later_defined, _used in stack[index + 1 :]:
            later |= later_defined
        for ref in sorted((used & later) - known):
            offenders.append(f"{name} names {ref}")
    assert offenders == []


def test_no_getattr_on_fields():
    offenders = [
        path.name
        for path in MODELS.glob("complaint_complaint*.py")
        if "getattr(" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_one_create_and_one_write_override():
    counts = {"create": 0, "write": 0}
    for name, defined, _used in layers():
        for method in counts:
            if method in defined:
                counts[method] += 1
                assert name == "complaint_complaint.py", f"{method} in {name}"
    assert counts == {"create": 1, "write": 1}


def test_every_core_function_is_used_by_the_addon():
    """The core holds no function production never calls, directly or
    through another core function that production calls."""
    core = ADDON / "core"
    addon_text = "\n".join(
        path.read_text(encoding="utf-8")
        for path in ADDON.rglob("*.py")
        if "tests" not in path.parts and core not in path.parents
    )
    bodies = {}
    for path in core.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        for node in ast.parse(source).body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                bodies[node.name] = ast.get_source_segment(source, node)
    used = {name for name in bodies if re.search(rf"\b{name}\b", addon_text)}
    grown = True
    while grown:
        reached = {
            name
            for name in bodies
            for caller in used
            if name != caller and re.search(rf"\b{name}\b", bodies[caller])
        }
        grown = bool(reached - used)
        used |= reached
    assert sorted(set(bodies) - used) == []
