"""`manage.py rotate_data_keys`: after a new first key in SHENBAO_DATA_KEYS every personal-data token opens with the
new key alone, and after a SECRET_KEY change the blind indexes are rebuilt; a missing key refuses with no change.

Runs on the seeded demo: its submitted applications name persons by 身份证号码 (in the form data, the submitted
versions and the person index), organisations and users have encrypted phones, experts encrypted phones with a
blind index, and the audit trail holds tokens in the create entries of the versions.
"""

import io
import json

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection

from shenbao.accounts.models import User
from shenbao.applications.models import Application, ApplicationPerson, ApplicationVersion
from shenbao.applications.persons import list_persons
from shenbao.applications.sections import get_form_spec
from shenbao.audit.chain import verify_chain
from shenbao.audit.events import Event
from shenbao.audit.models import AuditEntry
from shenbao.core import crypto
from shenbao.experts.models import ExpertProfile
from shenbao.operations.data_keys import RotationRefused, rotate_data_keys
from shenbao.organisations.models import Organisation
from tests.factories import load_call, load_jincheng_reference, seeded_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    load_jincheng_reference()
    load_call()
    seeded_demo()
    yield settings
    crypto._fernet.cache_clear()


def use_keys(settings, *keys):
    settings.SHENBAO_DATA_KEYS = list(keys)
    crypto._fernet.cache_clear()


def all_tokens():
    """Every token outside the audit trail, read as stored (raw SQL), with where it was found."""
    found = []
    tables = [
        (ApplicationVersion, "form_data"),
        (Application, "form_data"),
        (Organisation, "contact_phone"),
        (User, "phone"),
        (ExpertProfile, "phone"),
    ]
    for model, name in tables:
        column = model._meta.get_field(name).column
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT "{column}" FROM "{model._meta.db_table}"')
            for (raw,) in cursor.fetchall():
                text = raw if isinstance(raw, str) else json.dumps(raw)
                found += [(model.__name__, part.split('"')[0]) for part in text.split(crypto.TOKEN_PREFIX)[1:]]
    return [(where, crypto.TOKEN_PREFIX + body) for where, body in found]


def expected_person_index():
    wanted = set()
    for application in Application.objects.filter(pk__in=ApplicationPerson.objects.values("application")):
        version = application.versions.order_by("-sequence").first()
        spec = get_form_spec(application.project_type)
        wanted |= {(application.pk, p.index) for p in list_persons(spec=spec, form_data=version.form_data)}
    return wanted


def test_a_new_first_key_re_encrypts_everything_and_the_old_key_can_then_be_dropped(demo):
    old, new = crypto._keys()[0], Fernet.generate_key().decode()
    before = all_tokens()
    clear_before = sorted(crypto.decrypt_text(token) for _where, token in before)
    assert {"ApplicationVersion", "Application", "Organisation", "ExpertProfile"} <= {w for w, _t in before}
    audit_before = AuditEntry.objects.count()

    use_keys(demo, new, old)
    out = io.StringIO()
    call_command("rotate_data_keys", stdout=out)

    assert f"重新加密 {len(before)} 个加密值" in out.getvalue().replace("已重新加密", "重新加密")
    use_keys(demo, new)  # the old key dropped
    after = all_tokens()
    assert len(after) == len(before)
    assert all(crypto.is_current_token(token) for _where, token in after)
    assert sorted(crypto.decrypt_text(token) for _where, token in after) == clear_before
    # Through the models too: an encrypted field reads its clear value under the new key alone.
    assert all(org.contact_phone == "" or org.contact_phone.isascii() for org in Organisation.objects.all())
    # Nothing rewritten in the audit trail; one entry says who rotated what, and the chain is whole.
    assert AuditEntry.objects.count() == audit_before + 1
    assert AuditEntry.objects.order_by("-sequence").first().event == Event.DATA_KEYS_ROTATE
    assert verify_chain(AuditEntry.objects.all()).problem is None


def test_a_new_secret_key_rebuilds_the_blind_indexes(demo):
    indexes_before = set(ApplicationPerson.objects.values_list("application", "id_index"))
    phones_before = dict(ExpertProfile.objects.exclude(phone="").values_list("pk", "phone_index"))
    assert indexes_before and phones_before
    # The data keys stay (the development profile derives one from SECRET_KEY: pin it first).
    use_keys(demo, crypto._keys()[0])
    demo.SECRET_KEY = "a-new-secret-key-" + "x" * 60

    summary = rotate_data_keys()

    indexes_after = set(ApplicationPerson.objects.values_list("application", "id_index"))
    assert indexes_after == expected_person_index()
    assert indexes_after.isdisjoint(indexes_before)
    assert summary.persons_reindexed == len({pk for pk, _index in indexes_before})
    for pk, phone, index in ExpertProfile.objects.exclude(phone="").values_list("pk", "phone", "phone_index"):
        assert index == crypto.blind_index(crypto.decrypt_text(phone)) != phones_before[pk]
    assert summary.rewritten == {}  # the data keys did not change: no token needed rewriting


def test_a_token_no_configured_key_opens_refuses_the_run_and_changes_nothing(demo):
    before = all_tokens()
    use_keys(demo, Fernet.generate_key().decode())  # the key in use forgotten

    with pytest.raises(RotationRefused, match=r"applications\.ApplicationVersion\.form_data"):
        rotate_data_keys()
    with pytest.raises(CommandError):
        call_command("rotate_data_keys", stdout=io.StringIO())

    assert all_tokens() == before


def test_dry_run_counts_and_changes_nothing(demo):
    old = crypto._keys()[0]
    before = all_tokens()
    use_keys(demo, Fernet.generate_key().decode(), old)

    summary = rotate_data_keys(dry_run=True)

    assert sum(summary.rewritten.values()) == len(before)
    assert summary.audit_entries_with_tokens > 0
    assert all_tokens() == before
