"""requirements.lock (what `make` installs) must agree with the pins in pyproject.toml.

A pin bumped in pyproject.toml without `make lock` would otherwise go unnoticed: the venv is built from the lock.
"""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)")


def normalise(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lines):
    return {normalise(m[1]): m[2] for m in map(PIN.match, lines) if m}


def test_every_direct_pin_is_locked_at_the_same_version():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = project["dependencies"] + project["optional-dependencies"]["dev"]
    direct = pins(declared)
    locked = pins((ROOT / "requirements.lock").read_text().splitlines())

    assert len(direct) == len(declared), "every dependency in pyproject.toml is pinned with =="
    assert {name: locked.get(name) for name in direct} == direct


def test_lock_is_hashed_so_pip_verifies_every_download():
    text = (ROOT / "requirements.lock").read_text()
    locked = pins(text.splitlines())

    assert len(locked) > 50
    assert text.count("--hash=sha256:") >= len(locked)
    assert "--index-url" not in text and "--find-links" not in text and "file://" not in text
