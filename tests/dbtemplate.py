"""Migrate once per run, then copy: the test databases of every xdist worker start from one migrated template.

Each worker used to run the 60-odd migrations itself (RunSQL and RunPython among them, so they cannot be skipped):
about 15 s of a core per worker, and as long again for the production-profile test that needs a migrated file. The
first process that needs the template builds it with `manage.py migrate` in a subprocess (a file lock makes the
others wait), and each worker then copies it:

- SQLite: the template is a file under var/test-templates/; a worker copies it into its in-memory database with
  SQLite's backup API (what Django's parallel test runner does for its workers).
- PostgreSQL: the template is a database `test_<name>_template_<digest>`; a worker creates its own with
  `CREATE DATABASE … TEMPLATE` (Django's runner again). CI drops every `test_<name>…` database before a run, so
  each CI run migrates once for real.

The template's name carries a digest of every migration file, the lock file of the dependencies (their migrations)
and the database engine: a changed migration builds a new template, never a stale one.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import django
from django.conf import settings
from django.db import connections

ROOT = Path(settings.BASE_DIR)
TEMPLATES = ROOT / "var" / "test-templates"


def _digest(engine: str) -> str:
    digest = hashlib.sha256(f"{django.get_version()} {engine}".encode())
    for path in sorted((ROOT / "shenbao").rglob("migrations/*.py")):
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    digest.update((ROOT / "requirements.lock").read_bytes())
    return digest.hexdigest()[:16]


@contextmanager
def _locked(name: str) -> Iterator[None]:
    """One process builds a template; the others wait for it (workers run side by side on one machine)."""
    TEMPLATES.mkdir(parents=True, exist_ok=True)
    with open(TEMPLATES / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _migrate(database_url: str) -> None:
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "shenbao.settings.test"}
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise RuntimeError(f"migrating the test template failed:\n{result.stdout}\n{result.stderr}")


def sqlite_template() -> Path:
    """The path of a migrated SQLite file (built on first use; read-only afterwards)."""
    path = TEMPLATES / f"sqlite-{_digest('sqlite')}.sqlite3"
    with _locked(path.stem):
        if not path.exists():
            building = path.with_suffix(".building")
            building.unlink(missing_ok=True)
            _migrate(f"sqlite:///{building}")
            # Fold the write-ahead log into the file, so that a plain copy of the one file is the whole database.
            with sqlite3.connect(building) as db:
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                db.execute("PRAGMA journal_mode=DELETE")
            building.rename(path)
            for stale in TEMPLATES.glob("sqlite-*.sqlite3"):
                if stale != path:
                    stale.unlink(missing_ok=True)
    return path


def _postgres_template(connection: Any, test_name: str) -> str:
    base = test_name.rsplit("_gw", 1)[0] if os.environ.get("PYTEST_XDIST_WORKER") else test_name
    name = f"{base}_template_{_digest('postgresql')}"
    with _locked(name), connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            quote = connection.ops.quote_name
            building = f"{name}_building"
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(building)}")
            cursor.execute(f"CREATE DATABASE {quote(building)} ENCODING 'UTF8' TEMPLATE template0")
            url = urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{building}").geturl()
            _migrate(url)
            cursor.execute(f"ALTER DATABASE {quote(building)} RENAME TO {quote(name)}")
            cursor.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s AND datname <> %s", [f"{base}_template_%", name]
            )
            for (stale,) in cursor.fetchall():
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(stale)}")
    return name


def create_test_database(alias: str = "default") -> tuple[Any, str]:
    """Point `alias` at a fresh copy of the template; returns what `destroy_test_database` needs."""
    connection = connections[alias]
    old_name = connection.settings_dict["NAME"]
    test_name = connection.creation._get_test_db_name()
    if connection.vendor == "sqlite":
        if not test_name.startswith("file:memorydb_"):
            raise RuntimeError("the SQLite test database is expected in memory (no TEST NAME in the settings)")
        source = sqlite3.connect(f"file:{sqlite_template()}?mode=ro", uri=True)
        connection.close()
        settings.DATABASES[alias]["NAME"] = connection.settings_dict["NAME"] = test_name
        connection.ensure_connection()  # keeps the shared in-memory database alive while the copy is written
        target = sqlite3.connect(test_name, uri=True)
        source.backup(target)
        target.close()
        source.close()
    elif connection.vendor == "postgresql":
        template = _postgres_template(connection, test_name)
        quote = connection.ops.quote_name
        with _locked(template), connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(test_name)}")
            cursor.execute(f"CREATE DATABASE {quote(test_name)} TEMPLATE {quote(template)}")
        connection.close()
        settings.DATABASES[alias]["NAME"] = connection.settings_dict["NAME"] = test_name
        connection.ensure_connection()
    else:
        raise RuntimeError(f"no template copy for {connection.vendor}")
    return connection, old_name


def destroy_test_database(connection: Any, old_name: str) -> None:
    """Drop the worker's copy and point the connection back at the configured database.

    On PostgreSQL with FORCE: a thread of a live-server or race test may still hold a connection when the session
    ends (pytest-django only warns then; the database would be left behind for the next run to clobber)."""
    test_name = connection.settings_dict["NAME"]
    if connection.vendor == "postgresql":
        connection.close()
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(test_name)} WITH (FORCE)")
        settings.DATABASES[connection.alias]["NAME"] = connection.settings_dict["NAME"] = old_name
    else:
        connection.creation.destroy_test_db(old_name, verbosity=0)
