"""On PostgreSQL each database test starts with the keys a fresh copy would hand out (tests/dbsequences.py)."""

import pytest
from django.db import connection

from shenbao.organisations.models import UnitType
from tests import dbsequences

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite's keys live in a table"),
]


def test_a_key_drawn_and_given_back_is_handed_out_again_after_the_rewind():
    first = UnitType.objects.create(code="rewind-a", name="甲")
    first_pk = first.pk
    first.delete()
    # Without the rewind PostgreSQL hands out the next key: the deleted row's is gone for good.
    assert UnitType.objects.create(code="rewind-b", name="乙").pk == first_pk + 1
    UnitType.objects.filter(code="rewind-b").delete()

    moved = dbsequences.rewind()

    assert any(name.endswith("organisations_unittype_id_seq") for name in moved)
    assert UnitType.objects.create(code="rewind-c", name="丙").pk == first_pk


def test_nothing_is_set_when_no_key_was_drawn():
    dbsequences.rewind()
    assert dbsequences.rewind() == []


def test_an_empty_table_hands_out_1_again():
    UnitType.objects.all().delete()
    UnitType.objects.create(code="rewind-d", name="丁")
    UnitType.objects.all().delete()

    dbsequences.rewind()

    assert UnitType.objects.create(code="rewind-e", name="戊").pk == 1
