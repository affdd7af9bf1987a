"""Two cities in one database: each 申报书 names its own city, from the call's data (its city and the project
type's plaque title), never the other's."""

import json

import pytest
import yaml

from shenbao.accounts.roles import Role
from shenbao.applications.services import start_application
from shenbao.calls.periods import construction_years
from shenbao.calls.services import load_call_file
from shenbao.documents.services import render_application_pdf
from shenbao.organisations.models import Organisation, UnitType
from tests.applications.builders import fill_sections
from tests.calls.helpers import as_another_call, jincheng_data, write_call_file
from tests.factories import GovernmentBodyFactory, OrganisationFactory, UserFactory, make_region_tree

from .builders import WHILE_OPEN
from .filled import sections_for
from .helpers import pdf_text, squeeze

pytestmark = pytest.mark.django_db

CITIES = {"jincheng": "晋城市", "changzhi": "长治市"}


def changzhi_call_data():
    """The 2022 Jincheng call as a 长治市 call of the same year: its own city, bodies, titles and numbering."""
    text = yaml.safe_dump(jincheng_data(), allow_unicode=True).replace("晋城", "长治")
    data = as_another_call(yaml.safe_load(text), slug="changzhi-2022", prefix="CZ")
    data.update(city="140400", attachments=[])
    return data


@pytest.fixture
def changzhi(db, tmp_path):
    _city, (luzhou,) = make_region_tree(city_key="140400", city_name="长治市", counties=(("140403", "潞州区"),))
    GovernmentBodyFactory(
        name="潞州区人力资源和社会保障局", region=luzhou, function=Organisation.Function.COUNTY_HR_BUREAU
    )
    return load_call_file(path=write_call_file(tmp_path, changzhi_call_data())), luzhou


def filled_in(*, call, code, unit_type_code, region):
    """An application of a unit of `region` to `call`, every section filled with `filled.py`'s content, the
    place names in it those of the call's city (the test is about what the platform prints, not the unit)."""
    city = call.city.name
    unit = OrganisationFactory(
        name=f"{city}示范单位",
        unit_type=UnitType.objects.get(code=unit_type_code),
        region=region,
        address=f"山西省{city}{region.name}工业园区8号",
    )
    user = UserFactory(organisation=unit, roles=[Role.APPLICANT])
    project_type = call.project_types.get(code=code)
    application = start_application(call=call, project_type=project_type, unit=unit, user=user, at=WHILE_OPEN)
    content = json.dumps(sections_for(code, construction_years(project_type)), ensure_ascii=False)
    sections = json.loads(content.replace("晋城", city.removesuffix("市")))
    return fill_sections(application=application, user=user, sections=sections)


@pytest.mark.parametrize(
    ("code", "unit_type_code"), [("workstation", "enterprise"), ("training_base", "vocational_college")]
)
def test_each_citys_application_form_carries_its_own_name(call, regions, bureaus, changzhi, code, unit_type_code):
    changzhi_call, luzhou = changzhi
    assert call.city.name == "晋城市" and changzhi_call.city.name == "长治市"
    texts = {}
    for key, the_call, region in (("jincheng", call, regions["zezhou"]), ("changzhi", changzhi_call, luzhou)):
        application = filled_in(call=the_call, code=code, unit_type_code=unit_type_code, region=region)
        texts[key] = squeeze(pdf_text(render_application_pdf(application=application, document="application-form")))
    type_name = {"workstation": "技师工作站", "training_base": "技能人才培养基地"}[code]
    for key, city in CITIES.items():
        other = next(name for other_key, name in CITIES.items() if other_key != key)
        assert f"{city}{type_name}建设项目申报书" in texts[key]
        assert other not in texts[key], f"the {city} 申报书 names {other}"
