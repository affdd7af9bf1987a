"""The English catalogue compiled for a test run (shared by the i18n and browser tests)."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

PO_FILE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


def run_gettext_tool(*args):
    tool = shutil.which(args[0])
    if tool is None:
        pytest.fail(f"{args[0]} is missing: install Debian's gettext package")
    return subprocess.run([tool, *args[1:]], check=True, capture_output=True, text=True).stdout


def compile_english_catalogue(root):
    """Compile the committed .po into `root`/en/LC_MESSAGES and return `root` (usable as a LOCALE_PATHS entry).

    The .mo files are build products (gitignored; `make test` compiles them), so tests compile their own copy:
    they check the catalogue in the repository whether or not someone ran compilemessages, and parallel
    workers never write the same file.
    """
    target = Path(root) / "en" / "LC_MESSAGES"
    target.mkdir(parents=True, exist_ok=True)
    run_gettext_tool("msgfmt", "--check-format", "-o", str(target / "django.mo"), str(PO_FILE))
    return Path(root)
