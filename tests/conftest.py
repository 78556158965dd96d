"""Load ``complaint_center/core`` as the standalone package ``cc_core``.

Importing ``complaint_center.core`` would run the addon's ``__init__``, which
imports the models and therefore Odoo. Loading the core by path keeps this
tier free of Odoo.
"""

import importlib.util
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "complaint_center" / "core"


def _load_core():
    spec = importlib.util.spec_from_file_location(
        "cc_core", CORE / "__init__.py", submodule_search_locations=[str(CORE)]
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["cc_core"] = module
    spec.loader.exec_module(module)
    return module


if "cc_core" not in sys.modules:
    _load_core()
