"""The section pages: forms built from the spec, autosave over htmx, conflicts, tables, masked ID numbers."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from shenbao.applications.formdata import reveal_id_number
from shenbao.applications.models import Application
from shenbao.applications.sections import get_form_spec

from .builders import make_id_number

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
STALE = "该申报已在其他窗口修改，请刷新后再编辑"


class FormValues(HTMLParser):
    """What a browser would post from the first <form hx-post> of a page, as rendered (no JavaScript)."""

    def __init__(self):
        super().__init__()
        self.values, self.in_form, self.in_template, self._textarea, self._select = {}, False, False, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "hx-post" in attrs:
            self.in_form = True
        if tag == "template":
            self.in_template = True
        if not self.in_form or self.in_template:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            if attrs.get("type") == "checkbox":
                if "checked" in attrs:
                    self.values[name] = "on"
            elif attrs.get("type") != "submit":
                self.values[name] = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = name
            self.values[name] = ""
        elif tag == "select":
            self._select = name
            self.values[name] = ""
        elif tag == "option" and self._select and "selected" in attrs:
            self.values[self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "template":
            self.in_template = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea and self.in_form and not self.in_template:
            self.values[self._textarea] += data


def rendered_form_values(response):
    parser = FormValues()
    parser.feed(response.content.decode())
    return parser.values


def section_url(application, key):
    return reverse("applications:section", args=[application.public_id, key])


def reload(application):
    return Application.objects.get(pk=application.pk)


def table_data(prefix, rows, initial=0):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "200",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return data


def member_row(n, level="technician", **extra):
    return {
        "name": f"成员{n}",
        "id_number": make_id_number(n),
        "occupation": "钳工",
        "level": level,
        "certificate_number": f"C{n}",
        "certificate_issuer": "山西省人社厅",
        **extra,
    }


def test_section_page_renders_every_field_of_the_spec(client, applicant, draft):
    client.force_login(applicant)
    spec = get_form_spec(draft.project_type)
    for section in spec.sections:
        content = client.get(section_url(draft, section.key)).content.decode()
        for item in section.items:
            assert item.label in content, (section.key, item.label)
    content = client.get(section_url(draft, "members")).content.decode()
    assert 'name="members-TOTAL_FORMS" value="3"' in content  # no rows yet: three blank rows without JavaScript
    assert '<template id="members-empty-row">' in content
    assert 'data-formset-add="members" hidden' in content
    assert 'type="date"' in client.get(section_url(draft, "cooperation")).content.decode()
    assert 'hx-trigger="input delay:1500ms, submit"' in content  # saved while typing, not only on leaving a field
    assert f'name="expected_revision" id="expected-revision" value="{draft.revision}"' in content


def test_autosave_saves_bumps_the_revision_and_answers_a_status_fragment(client, applicant, draft):
    client.force_login(applicant)
    data = {"industry": "装备制造", "employee_count": "520", "expected_revision": draft.revision}
    response = client.post(section_url(draft, "unit_profile"), data, headers=HTMX)

    assert response.status_code == 200
    content = response.content.decode()
    assert "已自动保存" in content
    assert "<html" not in content
    saved = reload(draft)
    assert saved.revision == draft.revision + 1
    assert saved.form_data["unit_profile"]["employee_count"] == 520
    # The page's hidden revision is replaced out of band, so the next autosave is not taken for a stale one.
    assert f'id="expected-revision" value="{saved.revision}" hx-swap-oob="true"' in content
    assert 'id="section-nav"' in content and 'id="eligibility-panel"' in content


def test_autosave_refreshes_the_still_to_fill_list(client, applicant, draft):
    client.force_login(applicant)
    url = section_url(draft, "unit_profile")
    before = client.get(url).content.decode()
    assert "所属行业" in before.split('id="missing-fields"')[1].split("</div>")[0]

    response = client.post(url, {"industry": "装备制造", "expected_revision": draft.revision}, headers=HTMX)

    content = response.content.decode()
    assert '<div id="missing-fields" hx-swap-oob="true">' in content
    missing_box = content.split('id="missing-fields"')[1].split("</div>\n</div>")[0]
    assert "所属行业" not in missing_box
    assert "单位简介" in missing_box


def test_autosave_with_a_stale_revision_is_refused_with_the_conflict_message(client, applicant, draft):
    client.force_login(applicant)
    url = section_url(draft, "unit_profile")
    client.post(url, {"industry": "第一个窗口", "expected_revision": draft.revision}, headers=HTMX)

    response = client.post(url, {"industry": "第二个窗口", "expected_revision": draft.revision}, headers=HTMX)

    content = response.content.decode()
    assert STALE in content
    assert "已自动保存" not in content
    assert 'hx-swap-oob="true"' in content and 'id="expected-revision"' not in content
    saved = reload(draft)
    assert saved.revision == draft.revision + 1
    assert saved.form_data["unit_profile"]["industry"] == "第一个窗口"


def test_post_without_htmx_saves_and_redirects_or_reports_the_conflict(client, applicant, draft):
    client.force_login(applicant)
    url = section_url(draft, "unit_profile")
    response = client.post(url, {"industry": "装备制造", "expected_revision": draft.revision, "next": "members"})
    assert response.status_code == 302
    assert response["Location"] == section_url(draft, "members")

    response = client.post(url, {"industry": "旧窗口", "expected_revision": draft.revision}, follow=True)
    assert STALE in response.content.decode()
    assert reload(draft).form_data["unit_profile"]["industry"] == "装备制造"


def test_save_and_continue_over_htmx_redirects_the_browser(client, applicant, draft):
    client.force_login(applicant)
    data = {"industry": "装备制造", "expected_revision": draft.revision, "next": "members"}
    response = client.post(section_url(draft, "unit_profile"), data, headers=HTMX)
    assert response["HX-Redirect"] == section_url(draft, "members")


def test_missing_revision_is_a_bad_request(client, applicant, draft):
    client.force_login(applicant)
    assert client.post(section_url(draft, "unit_profile"), {"industry": "x"}).status_code == 400


def test_invalid_values_are_not_saved_and_are_explained(client, applicant, draft):
    client.force_login(applicant)
    url = section_url(draft, "unit_profile")
    data = {"industry": "装备制造", "employee_count": "五百", "expected_revision": draft.revision}

    fragment = client.post(url, data, headers=HTMX).content.decode()
    assert "未保存" in fragment and "职工总数（人）" in fragment and "请填写整数" in fragment

    page = client.post(url, data)
    assert page.status_code == 200
    content = page.content.decode()
    assert "is-invalid" in content and "请填写整数" in content
    assert 'value="装备制造"' in content  # what was typed stays on the page
    assert reload(draft).revision == draft.revision


def test_table_rows_blank_and_deleted_rows_are_left_out(client, applicant, draft):
    client.force_login(applicant)
    rows = [member_row(1), member_row(2, DELETE="on"), {"name": "", "id_number": ""}, member_row(3)]
    data = {"expected_revision": draft.revision, **table_data("members", rows)}
    response = client.post(section_url(draft, "members"), data, headers=HTMX)
    assert "已自动保存" in response.content.decode()
    saved = reload(draft).form_data["members"]["members"]
    assert [row["name"] for row in saved] == ["成员1", "成员3"]
    assert reveal_id_number(saved[1]["id_number"]) == make_id_number(3)


def test_a_cell_error_is_shown_on_the_row_it_belongs_to(client, applicant, draft):
    client.force_login(applicant)
    rows = [member_row(1, DELETE="on"), member_row(2), member_row(3, id_number="140502198001010000")]
    data = {"expected_revision": draft.revision, **table_data("members", rows)}
    fragment = client.post(section_url(draft, "members"), data, headers=HTMX).content.decode()
    # The third row on the page, although the domain saw it as its second row (the first was deleted).
    assert "成员名单第3行 身份证号码" in fragment
    content = client.post(section_url(draft, "members"), data).content.decode()
    assert 'id="id_members-2-id_number_error"' in content


def test_the_masked_id_number_never_shows_the_clear_number(client, applicant, submitted, county_reviewer):
    numbers = [make_id_number(n) for n in (1, 2, 3)]
    pages = [
        section_url(submitted, "members"),
        reverse("applications:detail", args=[submitted.public_id]),
        reverse("applications:version", args=[submitted.public_id, 1]),
    ]
    for user in (applicant, county_reviewer):
        client.force_login(user)
        for url in pages:
            content = client.get(url).content.decode()
            assert not any(number in content for number in numbers), url
    content = client.get(pages[0]).content.decode()
    assert "140502********" in content


def test_posting_the_masked_numbers_back_keeps_the_stored_ones(client, applicant, ready_draft):
    client.force_login(applicant)
    numbers = [reveal_id_number(row["id_number"]) for row in ready_draft.form_data["members"]["members"]]
    page = client.get(section_url(ready_draft, "members"))
    content = page.content.decode()
    assert len(numbers) == 3 and not any(number in content for number in numbers)
    values = rendered_form_values(page)
    assert values["members-0-id_number"].startswith("140502") and "*" in values["members-0-id_number"]
    # Change another cell of the first row so the save is a real change.
    values["members-0-occupation"] = "数控铣工"

    response = client.post(section_url(ready_draft, "members"), values, headers=HTMX)

    assert "已自动保存" in response.content.decode()
    saved = reload(ready_draft).form_data["members"]["members"]
    assert [reveal_id_number(row["id_number"]) for row in saved] == numbers
    assert saved[0]["occupation"] == "数控铣工"


def test_a_number_typed_with_an_error_elsewhere_is_shown_masked(client, applicant, draft):
    client.force_login(applicant)
    rows = [member_row(7, level="no-such-level")]
    data = {"expected_revision": draft.revision, **table_data("members", rows)}
    content = client.post(section_url(draft, "members"), data).content.decode()
    assert "请从列表中选择" in content
    assert make_id_number(7) not in content


def test_a_submitted_application_is_shown_read_only(client, applicant, submitted):
    client.force_login(applicant)
    content = client.get(section_url(submitted, "unit_profile")).content.decode()
    assert "hx-post" not in content
    assert "该申报当前不可编辑" in content
    assert "装备制造" in content


def test_eligibility_panel_and_completeness_ticks(client, applicant, ready_draft, make_unit, make_applicant, call):
    client.force_login(applicant)
    content = client.get(section_url(ready_draft, "members")).content.decode()
    assert "一（一）1" in content
    assert "通过" in content and "由审核人员判断" in content
    assert content.count("section-tick") == len(get_form_spec(ready_draft.project_type).sections)

    client.post(
        section_url(ready_draft, "members"),
        {"expected_revision": ready_draft.revision, **table_data("members", [member_row(1), member_row(2)])},
    )
    content = client.get(section_url(ready_draft, "members")).content.decode()
    assert "未通过" in content
