"""The lock files (what `make` installs) must agree with the pins in pyproject.toml.

requirements.lock holds the runtime dependencies only (make serve installs it on a production machine);
requirements-dev.lock adds the dev extra, compiled under `-c requirements.lock` so both install into one venv.
A pin bumped in pyproject.toml without `make lock` would otherwise go unnoticed: the venv is built from the locks.
"""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)")
RUNTIME_LOCK = ROOT / "requirements.lock"
DEV_LOCK = ROOT / "requirements-dev.lock"


def normalise(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lines):
    return {normalise(m[1]): m[2] for m in map(PIN.match, lines) if m}


def project():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def test_every_runtime_pin_is_in_the_runtime_lock_and_no_dev_tool_is():
    runtime = pins(project()["dependencies"])
    dev = pins(project()["optional-dependencies"]["dev"])
    locked = pins(RUNTIME_LOCK.read_text().splitlines())

    assert len(runtime) == len(project()["dependencies"]), "every dependency in pyproject.toml is pinned with =="
    assert {name: locked.get(name) for name in runtime} == runtime
    # Production installs the runtime lock alone: no test runner, browser driver or type checker in it.
    assert not set(dev) & set(locked)


def test_every_dev_pin_is_in_the_dev_lock_which_repeats_the_runtime_pins():
    dev = pins(project()["optional-dependencies"]["dev"])
    runtime_locked = pins(RUNTIME_LOCK.read_text().splitlines())
    dev_locked = pins(DEV_LOCK.read_text().splitlines())

    assert len(dev) == len(project()["optional-dependencies"]["dev"])
    assert {name: dev_locked.get(name) for name in dev} == dev
    # Constrained by the runtime lock: the same version of every package both need.
    assert {name: dev_locked.get(name) for name in runtime_locked} == runtime_locked


def test_locks_are_hashed_so_pip_verifies_every_download():
    for lock, least in ((RUNTIME_LOCK, 30), (DEV_LOCK, 50)):
        text = lock.read_text()
        locked = pins(text.splitlines())

        assert len(locked) > least, lock.name
        assert text.count("--hash=sha256:") >= len(locked), lock.name
        assert "--index-url" not in text and "--find-links" not in text and "file://" not in text
