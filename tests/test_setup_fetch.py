"""bin/lib.sh fetches Odoo 18.0 when ODOO_PATH has none (CC_ODOO_REPO), and
says what to provide when it cannot."""

import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LIB = REPO / "bin" / "lib.sh"


def _git(*args, cwd):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def odoo_repo(tmp_path):
    """A tiny git repository laid out like Odoo 18.0, on branch 18.0."""
    src = tmp_path / "odoo-src"
    (src / "odoo").mkdir(parents=True)
    (src / "addons").mkdir()
    (src / "odoo-bin").write_text("#!/usr/bin/env python3\n")
    (src / "odoo" / "release.py").write_text(
        "version_info = (18, 0, 0, 'final', 0, '')\n"
    )
    (src / "addons" / "README").write_text("addons\n")
    _git("init", "-q", "-b", "18.0", cwd=src)
    _git("add", ".", cwd=src)
    _git(
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@example.com",
        "commit",
        "-q",
        "-m",
        "odoo",
        cwd=src,
    )
    return src


def _find_odoo(odoo_path, repo):
    script = f'source "{LIB}"; cc_find_odoo; echo "rc=$?"'
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(odoo_path.parent),
        "ODOO_PATH": str(odoo_path),
        "CC_ODOO_REPO": str(repo),
    }
    return subprocess.run(
        ["bash", "-c", script], env=env, capture_output=True, text=True, check=False
    )


def test_fetches_odoo_into_a_missing_path(tmp_path, odoo_repo):
    target = tmp_path / "opt" / "odoo18"
    result = _find_odoo(target, odoo_repo)
    assert "rc=0" in result.stdout, result.stderr
    assert (target / "odoo-bin").is_file()
    assert (target / "odoo" / "release.py").is_file()
    assert not (target / ".git").exists(), "a source export, not a working copy"
    assert not list(target.parent.glob(".odoo-fetch*")), "no temporary left"


def test_existing_odoo_is_not_fetched_again(tmp_path, odoo_repo):
    target = tmp_path / "odoo18"
    assert "rc=0" in _find_odoo(target, odoo_repo).stdout
    (target / "marker").write_text("kept")
    result = _find_odoo(target, tmp_path / "no-such-repo")
    assert "rc=0" in result.stdout
    assert (target / "marker").read_text() == "kept"


def test_unreachable_source_says_what_to_provide(tmp_path):
    target = tmp_path / "odoo18"
    result = _find_odoo(target, tmp_path / "no-such-repo")
    assert "rc=1" in result.stdout
    assert "could not be fetched from CC_ODOO_REPO" in result.stderr
    assert "ODOO_PATH" in result.stderr
    assert not target.exists()


def test_never_fetches_into_a_folder_with_other_files(tmp_path, odoo_repo):
    target = tmp_path / "odoo18"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    result = _find_odoo(target, odoo_repo)
    assert "rc=1" in result.stdout
    assert "not empty" in result.stderr
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]
