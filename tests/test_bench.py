"""The benchmark suite's dataset growth (bench/grow.py, bench/grow_rows.py) on a small scale: what it derives from the
repository's data validates, collides with nothing, is seen by the grown city's staff through the product's own
scoping, and leaves the audit chain verifiable. (The suite itself runs in CI as `make bench`, demo scale.)"""

import datetime as dt
import random

import pytest
import yaml
from django.core.management import call_command

from bench import grow, grow_rows
from shenbao.accounts.models import User
from shenbao.accounts.roles import Role
from shenbao.applications.selectors import list_visible_applications
from shenbao.calls.services import validate_call_document
from shenbao.organisations.models import Organisation
from tests.factories import UserFactory
from tests.paths import JINCHENG_2022

SMALL = grow.Growth(cities=1, years=2, units_per_city=12, applications_per_call_type=4, audit_entries=30)


@pytest.fixture
def template():
    reference = yaml.safe_load((grow.ROOT / "data" / "reference" / "jincheng.yaml").read_text())
    return reference, yaml.safe_load(JINCHENG_2022.read_text())


def test_a_synthetic_city_shares_no_key_or_name_with_its_template(template):
    reference, call = template
    data, keys, (_stem, new_stem) = grow._synthetic_city(reference, str(call["city"]), 3)
    template_keys = {str(region["key"]) for region in reference["regions"]}
    template_names = {organisation["name"] for organisation in reference["organisations"]}
    grown = [region for region in data["regions"] if region.get("level") != "province"]
    assert grown and not {region["key"] for region in grown} & template_keys
    assert not {organisation["name"] for organisation in data["organisations"]} & template_names
    assert all(new_stem in organisation["name"] for organisation in data["organisations"])
    assert keys[str(call["city"])] in {region["key"] for region in grown}


@pytest.mark.django_db
def test_a_synthetic_call_is_re_dated_by_whole_years_and_validates(template):
    reference, call = template
    _data, keys, stems = grow._synthetic_city(reference, str(call["city"]), 1)
    year = int(call["year"]) + 3
    document = grow._synthetic_call(call, city_key=keys[str(call["city"])], stems=stems, index=1, year=year)
    spec = validate_call_document(data=document, source="test")
    assert spec.year == year
    assert spec.deadline.year == call["deadline"].year + 3
    assert str(year) in spec.title and str(call["year"]) not in spec.title
    assert all(stems[1] in body for body in spec.issuing_bodies)


@pytest.mark.django_db
def test_grown_rows_are_scoped_to_their_city_and_the_chain_verifies(reference, call, template):
    reference_data, call_document = template
    data, keys, stems = grow._synthetic_city(reference_data, str(call_document["city"]), 1)
    this_year = dt.date.today().year
    calls = [
        grow._synthetic_call(call_document, city_key=keys[str(call_document["city"])], stems=stems, index=1, year=y)
        for y in (this_year - 1, this_year)
    ]
    rng = random.Random(1)
    added = grow_rows.add_city(
        reference_text=yaml.safe_dump(data, allow_unicode=True),
        calls=calls,
        growth=SMALL,
        rng=rng,
        closed_states=grow.CLOSED_STATES,
        current_states=grow.CURRENT_STATES,
        batch=5,
    )
    assert added == {"calls": 2, "units": 12, "applications": added["applications"]}
    assert 0 < added["applications"] <= 2 * 2 * SMALL.applications_per_call_type
    assert grow_rows.add_audit_entries(count=SMALL.audit_entries, rng=rng, batch=7) == SMALL.audit_entries

    admin = User.objects.get(username="bench01_call_admin")
    seen = list(list_visible_applications(user=admin))
    assert seen and all(application.call.slug.startswith("bench01-") for application in seen)
    assert all(application.status != "draft" for application in seen)
    template_office = Organisation.objects.get(function=Organisation.Function.CITY_SKILLS_OFFICE, region=call.city)
    template_admin = UserFactory(organisation=template_office, roles=[Role.CALL_ADMIN])
    assert not {a.pk for a in list_visible_applications(user=template_admin)} & {a.pk for a in seen}
    call_command("audit_verify")
