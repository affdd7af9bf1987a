"""What the Makefile's production targets would run (`make -n -B`: every recipe printed, nothing executed).

`make serve` installs the runtime lock and the runtime Debian packages only and never migrates; `make upgrade` is
the explicit step that migrates; `make run`/`make test` also install the dev lock and the test-only packages.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEST_ONLY_PACKAGES = ("chromium", "chromium-headless-shell", "poppler-utils", "nginx-light")


def dry_run(target: str) -> str:
    if shutil.which("make") is None:
        pytest.fail("make is not installed")
    result = subprocess.run(
        ["make", "--no-print-directory", "-n", "-B", target], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_serve_installs_only_the_runtime_lock_and_never_migrates():
    commands = dry_run("serve")

    assert "pip install --quiet --require-hashes -r requirements.lock" in commands
    assert "requirements-dev.lock" not in commands
    assert not any(package in commands for package in TEST_ONLY_PACKAGES)
    assert " migrate" not in commands and "collectstatic" not in commands
    # Warnings of the deployment check are printed, not fatal; errors still stop the start.
    assert "check --deploy --fail-level ERROR" in commands
    assert commands.rstrip().endswith("gunicorn -c gunicorn.conf.py")


def test_upgrade_is_the_step_that_migrates_and_collects_static_files():
    commands = dry_run("upgrade")

    for step in ("check --deploy", "migrate --noinput", "collectstatic --noinput", "load_reference_data", "load_call"):
        assert step in commands
    assert "requirements-dev.lock" not in commands and "gunicorn" not in commands


def test_run_and_test_install_both_locks_and_the_test_packages():
    commands = dry_run("setup")

    assert "-r requirements.lock" in commands and "-r requirements-dev.lock" in commands
    assert all(package in commands for package in TEST_ONLY_PACKAGES)


def test_processes_started_by_make_write_bytecode_even_where_the_environment_forbids_it():
    # Without the caches each test worker compiled the project and rewrote every test module again (16 s instead
    # of 7.5 s of collection per worker on this machine), and so did every subprocess the suite starts.
    result = subprocess.run(
        ["make", "--no-print-directory", "-f", "Makefile", "-f", "-", "bytecode-setting"],
        cwd=ROOT,
        input='bytecode-setting:\n\t@python3 -c "import sys; print(sys.dont_write_bytecode)"\n',
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
