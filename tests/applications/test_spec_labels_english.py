"""The form specs' labels in the reader's language: fixed labels and the ones made from the call's years
(「2023—2024年师带徒和技术攻关课题」) read in English on an English page, and stay Chinese in the spec itself (the
申报书 and the stored diffs are Chinese whatever the reader's language)."""

import pytest
from django.urls import reverse
from django.utils import translation

from shenbao.applications.sections.spec import SpecText, translate_spec
from shenbao.applications.selectors import get_form_spec
from tests.core.catalogue import compile_english_catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def compiled_locale(tmp_path_factory):
    return compile_english_catalogue(tmp_path_factory.mktemp("locale"))


@pytest.fixture
def english(settings, compiled_locale, client):
    settings.LOCALE_PATHS = [compiled_locale]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    translation.trans_real._translations = {}  # the catalogue of the new LOCALE_PATHS, not a cached one
    yield
    translation.trans_real._translations = {}


def _topics_table(spec):
    section = next(section for section in spec.sections if section.key == "station_plan")
    return next(item for item in section.items if getattr(item, "name", None) == "topics")


def test_a_label_made_from_the_years_is_chinese_text_and_remembers_its_template(draft):
    label = _topics_table(get_form_spec(draft.project_type)).label
    assert isinstance(label, SpecText) and label.endswith("年师带徒和技术攻关课题")
    assert label == label.template % label.params and label.params["years"] in label


def test_the_section_page_reads_in_english(client, applicant, draft, english):
    client.force_login(applicant)
    label = _topics_table(get_form_spec(draft.project_type)).label
    with translation.override("en"):
        english_label = translate_spec(label)
        english_member = translate_spec("发证机构")
    assert english_label != str(label) and label.params["years"] in english_label
    assert "师带徒" not in english_label and english_member != "发证机构"

    path = reverse("applications:section", args=[draft.public_id, "station_plan"])
    content = client.get(path).content.decode()
    assert english_label in content and str(label) not in content

    content = client.get(reverse("applications:section", args=[draft.public_id, "members"])).content.decode()
    assert english_member in content and ">发证机构<" not in content


def test_what_is_still_missing_reads_in_english_and_stays_chinese_for_the_guards(client, applicant, draft, english):
    from shenbao.applications.formdata import missing_fields

    spec = get_form_spec(draft.project_type)
    missing = missing_fields(spec=spec, form_data={})["station_plan"]
    topics = next(label for label in missing if label.startswith(str(_topics_table(spec).label)))
    assert topics.endswith("（至少填写1行）")  # the guard's reason, a log line: Chinese

    client.force_login(applicant)
    content = client.get(reverse("applications:section", args=[draft.public_id, "station_plan"])).content.decode()
    with translation.override("en"):
        assert translate_spec(topics) in content
    assert "至少填写" not in content
