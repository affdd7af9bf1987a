"""Phone numbers: encrypted at rest, masked for everyone but those who need them, never in clear in the audit trail."""

import io
import types

import docx
import pytest
from django.apps import apps
from django.core.exceptions import FieldError, ValidationError
from django.db import connection
from django.urls import reverse

from shenbao.accounts.models import User
from shenbao.audit.models import AuditEntry
from shenbao.core import crypto
from shenbao.core.fields import EncryptedCharField, EncryptedValue, encrypt_existing_values, token_length
from shenbao.documents.services import generate_application_document
from shenbao.notices.models import Objection
from shenbao.organisations.models import Organisation
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

UNIT_PHONE = "0356-2199488"  # tests.factories.OrganisationFactory's contact phone
MASKED_UNIT_PHONE = "035*****9488"


def stored(model, pk, column):
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {connection.ops.quote_name(column)} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13812345678", "138****5678"),
        ("0356-2199488", "035*****9488"),
        ("12345678", "123*5678"),
        ("1234567", "*****67"),
        ("123", "*23"),
        ("12", "**"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_phone(value, masked):
    assert crypto.mask_phone(value) == masked


@pytest.mark.parametrize(
    ("model", "field"),
    [(User, "phone"), (Organisation, "contact_phone"), (Objection, "contact_phone")],
)
def test_the_phone_fields_are_encrypted(model, field):
    assert isinstance(model._meta.get_field(field), EncryptedCharField)


def test_a_phone_is_stored_as_a_token_and_read_in_clear():
    user = UserFactory(phone="13812345678")
    organisation = user.organisation

    raw_user, raw_unit = stored(User, user.pk, "phone"), stored(Organisation, organisation.pk, "contact_phone")

    assert raw_user.startswith("enc:") and "13812345678" not in raw_user
    assert crypto.decrypt_text(raw_user) == "13812345678"
    assert raw_unit.startswith("enc:") and crypto.decrypt_text(raw_unit) == UNIT_PHONE
    assert User.objects.get(pk=user.pk).phone == "13812345678"
    assert Organisation.objects.get(pk=organisation.pk).contact_phone == UNIT_PHONE


def test_an_unchanged_phone_keeps_its_token_and_a_changed_one_is_encrypted_again():
    user = UserFactory(phone="13812345678")
    first = stored(User, user.pk, "phone")

    user = User.objects.get(pk=user.pk)
    user.full_name = "改名"
    user.save()
    assert stored(User, user.pk, "phone") == first

    user.phone = "13900001111"
    user.save()
    second = stored(User, user.pk, "phone")
    assert second != first and crypto.decrypt_text(second) == "13900001111"


def test_an_empty_phone_stays_empty():
    user = UserFactory(phone="")
    assert stored(User, user.pk, "phone") == ""
    assert User.objects.get(pk=user.pk).phone == ""


def test_the_database_cannot_search_an_encrypted_phone():
    with pytest.raises(FieldError, match="encrypted"):
        User.objects.filter(phone="13812345678").exists()
    with pytest.raises(FieldError, match="encrypted"):
        User.objects.filter(phone__contains="1381").exists()
    assert User.objects.filter(phone__isnull=True).count() == 0


def test_max_length_counts_clear_text_and_the_column_holds_the_longest_token():
    field = User._meta.get_field("phone")
    user = UserFactory.build(phone="1" * 33, organisation=None)
    with pytest.raises(ValidationError) as caught:
        user.clean_fields(exclude=["password", "username", "organisation"])
    assert "phone" in caught.value.message_dict
    assert field.formfield().max_length == 32  # a ModelForm limits the clear text, not the token
    # 32 characters of four UTF-8 bytes each still fit the column.
    assert len(crypto.encrypt_text("😀" * 32)) <= token_length(32) == field.stored_length
    saved = UserFactory(phone="😀" * 32)
    assert User.objects.get(pk=saved.pk).phone == "😀" * 32


def test_a_token_loaded_from_a_backup_is_kept_byte_for_byte():
    token = crypto.encrypt_text("13812345678")
    value = User._meta.get_field("phone").to_python(token)
    assert isinstance(value, EncryptedValue) and value == "13812345678" and value.token == token
    user = UserFactory(phone=value)
    assert stored(User, user.pk, "phone") == token


def test_typed_text_that_looks_like_a_token_is_just_text():
    field = User._meta.get_field("phone")
    assert field.to_python("enc:not-a-token") == "enc:not-a-token"


def test_existing_clear_text_is_encrypted_by_the_migration_and_back():
    user = UserFactory(phone="")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE accounts_user SET phone = %s WHERE id = %s", ["13812345678", user.pk])
    operation = encrypt_existing_values("accounts", "user", "phone")
    editor = types.SimpleNamespace(connection=connection, quote_name=connection.ops.quote_name)
    operation.code(apps, editor)
    token = stored(User, user.pk, "phone")
    assert token.startswith("enc:") and User.objects.get(pk=user.pk).phone == "13812345678"
    operation.code(apps, editor)  # a second run leaves tokens alone
    assert stored(User, user.pk, "phone") == token

    operation.reverse_code(apps, editor)
    assert stored(User, user.pk, "phone") == "13812345678"


def test_the_audit_trail_records_phones_masked():
    user = UserFactory(phone="13812345678")
    user.phone = "13900001111"
    user.save()
    organisation = OrganisationFactory(contact_phone="13700002222")

    text = " ".join(
        str(changes)
        for changes in AuditEntry.objects.filter(event__in=["create", "update"]).values_list("changes", flat=True)
    )
    assert "13812345678" not in text and "13900001111" not in text and "13700002222" not in text
    assert "138****5678" in text and "139****1111" in text and "137****2222" in text
    assert organisation.pk


# --- Who sees the unit's contact phone in full -------------------------------------------------------------------


def test_the_units_own_staff_see_its_contact_phone_in_full(client, applicant):
    client.force_login(applicant)

    page = client.get(reverse("organisations:detail", args=[applicant.organisation.public_id])).content.decode()

    assert UNIT_PHONE in page and MASKED_UNIT_PHONE not in page


def test_a_reviewer_sees_the_units_contact_phone_masked(client, submitted, county_reviewer):
    client.force_login(county_reviewer)

    response = client.get(reverse("organisations:detail", args=[submitted.unit.public_id]))

    assert response.status_code == 200
    page = response.content.decode()
    assert MASKED_UNIT_PHONE in page and UNIT_PHONE not in page


def test_the_print_view_shows_the_phone_to_the_unit_and_masks_it_for_the_reviewer(
    client, submitted, applicant, county_reviewer
):
    url = reverse("documents:print", args=[submitted.public_id])
    client.force_login(applicant)
    own = client.get(url).content.decode()
    client.force_login(county_reviewer)
    other = client.get(url).content.decode()

    assert UNIT_PHONE in own
    assert MASKED_UNIT_PHONE in other and UNIT_PHONE not in other


def test_generated_documents_mask_the_phone_for_the_reviewer(submitted, applicant, county_reviewer):
    def text(actor):
        generated = generate_application_document(
            application=submitted, document="application-form", file_format="docx", actor=actor
        )
        document = docx.Document(io.BytesIO(generated.content))
        cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        return " ".join([paragraph.text for paragraph in document.paragraphs] + cells)

    assert UNIT_PHONE in text(applicant)
    reviewer_text = text(county_reviewer)
    assert MASKED_UNIT_PHONE in reviewer_text and UNIT_PHONE not in reviewer_text
