"""The bench's database: built through the product's own commands, then the bench users' second factor.

`build` runs, in subprocesses with the development profile (the only one that allows demo data), what `make run`
runs: migrate, both cities' reference data and calls, `seed_demo`; then `python -m bench.dataset prepare`, which
gives every bench user a confirmed TOTP device with a key the bench knows (production asks staff for the second
factor, and the bench signs in as production users do) and writes the objects the pages need (`targets.json`).

The database must be new: SQLite files are created under the output directory; a PostgreSQL database named by
`--database-url` must be empty, because the bench's users get known passwords and keys.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The roles whose pages are measured: one demo user of each (shenbao/accounts/demo.py) is signed in.
BENCH_ROLES = (
    "applicant",
    "county_reviewer",
    "city_reviewer",
    "call_admin",
    "expert",
    "audit_admin",
    "province_observer",
)


def data_files() -> tuple[list[str], list[str]]:
    """Every reference data file and call file of the repository, as `make run` loads them (no names in code)."""
    reference = sorted(str(path.relative_to(ROOT)) for path in (ROOT / "data" / "reference").glob("*.yaml"))
    calls = sorted(str(path.relative_to(ROOT)) for path in (ROOT / "calls").glob("*.yaml"))
    return reference, calls


def bench_environment(*, out_dir: Path, database_url: str | None) -> dict[str, str]:
    """The environment every process of one run shares: database, keys, media and static files."""
    from cryptography.fernet import Fernet

    keys_file = out_dir / "keys.json"
    if keys_file.exists():
        keys = json.loads(keys_file.read_text())
    else:
        keys = {
            "secret_key": secrets.token_urlsafe(64),
            "data_key": Fernet.generate_key().decode(),
            # The demo users' password (`seed_demo`), new for every bench database: never the published one.
            "password": f"Bench#{secrets.token_urlsafe(12)}9a",
        }
        keys_file.write_text(json.dumps(keys))
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url or f"sqlite:///{out_dir / 'bench.sqlite3'}",
        SECRET_KEY=keys["secret_key"],
        SHENBAO_DATA_KEYS=keys["data_key"],
        MEDIA_ROOT=str(out_dir / "media"),
        STATIC_ROOT=str(out_dir / "static"),
        SHENBAO_DEMO_PASSWORD=keys["password"],
        ALLOWED_HOSTS="127.0.0.1",
        # The bench measures how fast documents and exports are served, many times a minute by one user: the
        # per-person limit on them (30 a minute) would answer 429 to the measurement, not to a person.
        SHENBAO_EXPENSIVE_PER_MINUTE="100000",
        LOG_LEVEL="WARNING",
        # The server runs behind where nginx would be: the loopback is the trusted proxy, and the rush's clients,
        # each from its own address (X-Forwarded-For), are not one address to the per-address log-in limit.
        AUDIT_TRUSTED_PROXIES="127.0.0.1",
        PYTHONPATH=str(ROOT),
    )
    return env


def _manage(env: dict[str, str], *args: str, settings: str = "shenbao.settings.dev") -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": settings},
        check=True,
        stdout=subprocess.DEVNULL,
    )


def _refuse_used_database(env: dict[str, str]) -> None:
    probe = (
        "import django; django.setup(); from django.db import connection; "
        "print(len(connection.introspection.table_names()))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "shenbao.settings.dev"},
        check=True,
        capture_output=True,
        text=True,
    )
    if int(result.stdout.strip() or 0):
        raise SystemExit(f"The bench needs a new, empty database: {env['DATABASE_URL']} already has tables.")


def build(*, env: dict[str, str], scale: str) -> dict:
    """Build the database at `scale` (the demo, then `bench.grow` above it) and return the targets (`prepare`)."""
    _refuse_used_database(env)
    reference_files, call_files = data_files()
    _manage(env, "migrate", "--noinput")
    _manage(env, "load_reference_data", *reference_files)
    for call_file in call_files:
        _manage(env, "load_call", call_file)
    _manage(env, "seed_demo")
    if scale != "demo":
        subprocess.run(
            [sys.executable, "-m", "bench.grow", scale],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "shenbao.settings.dev"},
            check=True,
            stdout=subprocess.DEVNULL,
        )
    _manage(env, "collectstatic", "--noinput", settings="shenbao.settings.production")
    result = subprocess.run(
        [sys.executable, "-m", "bench.dataset", "prepare"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "shenbao.settings.dev"},
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout)


def prepare() -> dict:
    """Inside Django: second factors for the bench users, and the objects the pages are measured on."""
    import django

    django.setup()
    from django.db import transaction
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from shenbao.accounts.models import User
    from shenbao.applications.models import Application
    from shenbao.documents.kinds import APPLICATION_FORM_SLUG
    from shenbao.documents.models import RenderedDocument

    targets: dict = {"users": {}}
    with transaction.atomic():
        for role in BENCH_ROLES:
            user = _user_of(role)
            key = secrets.token_hex(20)
            TOTPDevice.objects.filter(user=user).delete()
            TOTPDevice.objects.create(user=user, name="bench", confirmed=True, key=key)
            targets["users"][role] = {"username": user.username, "totp_key": key}
    # Every applicant, for the log-in measurement (each name may fail only so often per minute).
    targets["applicants"] = sorted(
        User.objects.filter(role_grants__role="applicant", is_active=True).values_list("username", flat=True)
    )
    applicant = User.objects.get(username=targets["users"]["applicant"]["username"])
    # A submitted application whose 申报书 the task worker has stored: what every reader of a submitted version is
    # served (a draft's document is rendered for its editor and cached per revision, so it is not measured).
    submitted = Application.objects.filter(
        unit=applicant.organisation,
        versions__rendered_documents__document=APPLICATION_FORM_SLUG,
        versions__rendered_documents__file_format=RenderedDocument.Format.PDF,
        versions__rendered_documents__status=RenderedDocument.Status.READY,
    )
    application = submitted.order_by("pk").first()
    targets["application"] = str(application.public_id) if application else None
    return targets


def _user_of(role: str):
    """The first active user holding `role` (by user name); for applicants, one whose unit has submitted an
    application (its stored 申报书 is measured)."""
    from shenbao.accounts.models import User
    from shenbao.applications.models import Application

    users = User.objects.filter(role_grants__role=role, is_active=True).order_by("username")
    if role == "applicant":
        units = Application.objects.filter(versions__isnull=False).values("unit")
        users = users.filter(organisation__in=units)
    user = users.first()
    if user is None:
        raise SystemExit(f"The dataset has no active user with the role {role!r}.")
    return user


if __name__ == "__main__" and sys.argv[1:] == ["prepare"]:
    print(json.dumps(prepare()))
