"""No test tooling in production: freezegun, which moves the clock of the
whole server process, is imported by the addon's tests only
(``complaint_center/tests``). The demo data is dated by the addon's own
clock (``complaint.clock.mixin``)."""

import ast
from pathlib import Path

ADDON = Path(__file__).resolve().parent.parent / "complaint_center"
TEST_TOOLS = ("freezegun",)


def imported_modules(source):
    """Modules ``source`` imports: ``import x``, ``from x import y``, and
    ``importlib.import_module("x")`` / ``__import__("x")``."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.module and not node.level:
                yield node.module
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            name = getattr(func, "attr", None) or getattr(func, "id", None)
            first = node.args[0]
            if name in ("import_module", "__import__") and isinstance(
                first, ast.Constant
            ):
                yield str(first.value)


def is_test_tool(module):
    return any(module == tool or module.startswith(f"{tool}.") for tool in TEST_TOOLS)


def production_files():
    """Python files of the addon outside its ``tests`` package."""
    return [
        path
        for path in sorted(ADDON.rglob("*.py"))
        if path.relative_to(ADDON).parts[0] != "tests"
    ]


def test_the_check_sees_every_import_form():
    sources = (
        "import freezegun",
        "from freezegun import freeze_time",
        "import freezegun.api as api",
        "from freezegun.api import FakeDatetime",
        "def f():\n    from freezegun import freeze_time",
        "import importlib\nimportlib.import_module('freezegun')",
        "__import__('freezegun')",
    )
    for source in sources:
        assert any(is_test_tool(name) for name in imported_modules(source)), source
    for source in ("import freezer", "from odoo import fields", "getattr(x, 'y')()"):
        assert not any(is_test_tool(name) for name in imported_modules(source))


def test_production_code_imports_no_test_tool():
    files = production_files()
    # The walk reaches the models, wizards and reports.
    names = {path.relative_to(ADDON).as_posix() for path in files}
    assert {"models/complaint_demo.py", "models/complaint_clock_mixin.py"} <= names
    offenders = [
        f"{path.relative_to(ADDON)}: {module}"
        for path in files
        for module in imported_modules(path.read_text(encoding="utf-8"))
        if is_test_tool(module)
    ]
    assert offenders == []
