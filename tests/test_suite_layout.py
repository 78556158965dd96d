"""The Odoo tier runs every addon test once: Odoo's runner only runs the
test modules ``complaint_center/tests/__init__.py`` imports, and bin/test
splits the post_install tests into two shards by file name (shard A the
files of ``SHARD_A_FILES``, shard B every other test)."""

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ADDON_TESTS = REPO / "complaint_center" / "tests"


def imported_test_modules():
    text = (ADDON_TESTS / "__init__.py").read_text()
    return re.findall(r"^from \. import (test_\w+)$", text, re.MULTILINE)


def shard_a_files():
    text = (REPO / "bin" / "test").read_text()
    match = re.search(r'^SHARD_A_FILES="([^"]*)"$', text, re.MULTILINE)
    assert match, "bin/test names its shard A files"
    return match.group(1).split()


def test_every_test_file_is_imported_once():
    files = sorted(path.stem for path in ADDON_TESTS.glob("test_*.py"))
    imported = imported_test_modules()
    assert sorted(imported) == files
    assert len(imported) == len(set(imported))


def test_shard_a_names_existing_test_files():
    shard_a = shard_a_files()
    assert shard_a, "shard A is not empty"
    assert len(shard_a) == len(set(shard_a))
    for name in shard_a:
        assert (ADDON_TESTS / name).is_file(), name
        assert name.removesuffix(".py") in imported_test_modules(), name


def test_shards_split_the_files_in_two():
    shard_a = {name.removesuffix(".py") for name in shard_a_files()}
    everything = set(imported_test_modules())
    # Shard B is the rest: both run something, and nothing is in both.
    assert shard_a < everything
