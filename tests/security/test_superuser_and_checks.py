"""No all-powerful account in production (createsuperuser refused unless break-glass, always audited), and the
deploy checks that keep the second factor and that refusal switched on."""

import json
import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from shenbao.accounts.models import User
from shenbao.audit.events import Event
from shenbao.audit.models import AuditEntry
from shenbao.security import checks
from tests.dbtemplate import sqlite_template
from tests.test_deploy import manage, production_env

pytestmark = pytest.mark.django_db


def create(username="root"):
    call_command("createsuperuser", interactive=False, username=username, email=f"{username}@example.cn", verbosity=0)


def test_production_refuses_a_superuser_and_audits_the_attempt(settings):
    settings.SHENBAO_REFUSE_SUPERUSER = True
    settings.SHENBAO_BREAK_GLASS = ""

    with pytest.raises(CommandError, match="生产环境禁止创建超级用户"):
        create()

    assert not User.objects.filter(is_superuser=True).exists()
    entry = AuditEntry.objects.get(event=Event.SUPERUSER_CREATE)
    assert entry.result == AuditEntry.Result.FAILURE
    assert entry.additional_data["break_glass"] == ""
    assert "os_user" in entry.additional_data


def test_break_glass_creates_the_account_and_audits_the_reason(settings):
    settings.SHENBAO_REFUSE_SUPERUSER = True
    settings.SHENBAO_BREAK_GLASS = "工单 2024-017：全部管理员被锁定，经分管领导批准"

    create()

    root = User.objects.get(username="root", is_superuser=True)
    entry = AuditEntry.objects.get(event=Event.SUPERUSER_CREATE)
    assert (entry.result, entry.object_pk) == (AuditEntry.Result.SUCCESS, str(root.pk))
    assert entry.additional_data["break_glass"] == "工单 2024-017：全部管理员被锁定，经分管领导批准"


def test_development_allows_it_but_still_audits(settings):
    settings.SHENBAO_REFUSE_SUPERUSER = False

    create("devroot")

    entry = AuditEntry.objects.get(event=Event.SUPERUSER_CREATE)
    assert entry.object_pk == str(User.objects.get(username="devroot").pk)


def test_our_command_replaces_djangos():
    from django.core.management import get_commands

    assert get_commands()["createsuperuser"] == "shenbao.security"


def read_production(*names, **env):
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    result = manage("shell", "--no-imports", "-c", code, env=production_env(**env))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_production_profile_refuses_superusers_and_requires_the_second_factor():
    got = read_production("SHENBAO_REFUSE_SUPERUSER", "SHENBAO_REQUIRE_SECOND_FACTOR", "SHENBAO_BREAK_GLASS")
    assert got == {"SHENBAO_REFUSE_SUPERUSER": True, "SHENBAO_REQUIRE_SECOND_FACTOR": True, "SHENBAO_BREAK_GLASS": ""}


def test_createsuperuser_is_refused_under_the_production_profile(tmp_path):
    # A migrated database file of its own (a copy of the run's migrated template: tests/dbtemplate.py).
    database = tmp_path / "prod.sqlite3"
    shutil.copyfile(sqlite_template(), database)
    env = production_env(DATABASE_URL=f"sqlite:///{database}", SECURE_SSL_REDIRECT="false")

    result = manage("createsuperuser", "--noinput", "--username", "root", "--email", "root@example.cn", env=env)

    assert result.returncode != 0
    assert "生产环境禁止创建超级用户" in result.stderr


def test_check_deploy_fails_when_production_turns_the_second_factor_off():
    result = manage("check", "--deploy", env=production_env(SHENBAO_REQUIRE_SECOND_FACTOR="false"))

    assert result.returncode != 0
    assert "shenbao.security.E001" in result.stdout + result.stderr


def test_the_deploy_check_names_both_controls(settings):
    settings.SHENBAO_REQUIRE_SECOND_FACTOR = False
    settings.SHENBAO_REFUSE_SUPERUSER = False
    ids = {problem.id for problem in checks.check_production_identity_controls(None)}
    assert ids == {"shenbao.security.E001", "shenbao.security.E002"}

    settings.SHENBAO_REQUIRE_SECOND_FACTOR = True
    settings.SHENBAO_REFUSE_SUPERUSER = True
    assert checks.check_production_identity_controls(None) == []


def test_the_only_silenced_check_is_the_per_address_lockout_warning(settings):
    assert settings.SILENCED_SYSTEM_CHECKS == ["axes.W006"]
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username"]


def test_missing_middleware_and_a_short_session_store_are_reported(settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "SecurityGate" not in m]
    settings.SESSION_COOKIE_AGE = settings.SHENBAO_SESSION_IDLE_TIMEOUT
    ids = {problem.id for problem in checks.check_session_and_middleware(None)}
    assert ids == {"shenbao.security.E003", "shenbao.security.W002"}
