"""The expert pool: experts with their log-ins, encrypted phones, the XLSX import (all or nothing) and export."""

import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook

from shenbao.accounts.models import User
from shenbao.accounts.roles import Role
from shenbao.audit.models import AuditEntry
from shenbao.experts.imports import HEADERS, export_workbook, import_experts, template_workbook
from shenbao.experts.models import ExpertProfile
from shenbao.experts.services import create_expert, mask_phone, read_phone, update_expert
from shenbao.organisations.models import Organisation

from .builders import make_expert, make_unit, region

pytestmark = pytest.mark.django_db


def test_creating_an_expert_creates_an_expert_log_in_in_the_work_unit(admin, call):
    unit = make_unit("140581", name="高平市测试机械有限公司")

    profile = create_expert(
        actor=admin,
        full_name="王工",
        work_unit_name="高平市测试机械有限公司",
        region=region("140581"),
        title="高级技师",
        specialties="数控车工、钳工、数控车工",
        phone="139 3560 1234",
        email="wang@example.com",
    )

    user = profile.user
    assert user.full_name == "王工" and user.organisation == unit == profile.work_unit
    assert user.roles == {Role.EXPERT} and not user.has_usable_password()
    assert user.username.startswith("expert")
    assert profile.city.key == "140500" and profile.specialties == ["数控车工", "钳工"]
    assert profile.phone.startswith("enc:") and "13935601234" not in profile.phone
    assert read_phone(profile) == "13935601234" and mask_phone("13935601234") == "139****1234"
    assert AuditEntry.objects.filter(event="experts:create_expert").exists()


def test_an_unknown_work_unit_becomes_an_other_organisation_of_the_city(admin, reference):
    profile = make_expert(admin, unit_name="太行技能人才测试研究院", region_key="140525")

    assert profile.work_unit.kind == Organisation.Kind.OTHER and profile.work_unit.region.key == "140525"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "12345", "联系电话格式不正确"),
        ("full_name", " ", "请填写专家姓名"),
        ("work_unit_name", "", "请填写工作单位"),
    ],
)
def test_bad_particulars_are_refused(admin, reference, field, value, message):
    values = {"full_name": "张工", "work_unit_name": "晋城市某研究院", "phone": "13900000000", field: value}
    with pytest.raises(ValidationError) as refused:
        create_expert(actor=admin, region=region("140502"), **values)
    assert message in str(refused.value)
    assert not ExpertProfile.objects.exists()


def test_only_a_call_administrator_of_the_city_adds_experts(other_city_admin, reference):
    with pytest.raises(ValidationError):
        create_expert(actor=other_city_admin, full_name="张工", work_unit_name="单位", region=region("140502"))


def test_a_region_of_another_city_is_refused(admin, other_city_admin):
    from shenbao.organisations.models import Region

    with pytest.raises(ValidationError) as refused:
        create_expert(actor=admin, full_name="张工", work_unit_name="单位", region=Region.objects.get(key="140105"))
    assert "本市" in str(refused.value)


def test_changing_the_work_unit_moves_the_log_in(admin, call):
    profile = make_expert(admin, region_key="140502")
    unit = make_unit("140521", name="沁水县新单位有限公司")

    update_expert(
        profile=profile,
        actor=admin,
        full_name="改名专家",
        work_unit_name=unit.name,
        region=region("140521"),
        title="技师",
        specialties="焊工",
        phone="",
    )

    profile.refresh_from_db()
    assert profile.work_unit == unit and profile.user.organisation == unit and profile.user.full_name == "改名专家"
    assert read_phone(profile) == "" and profile.specialties == ["焊工"]


# --- XLSX -------------------------------------------------------------------------------------------------------


def sheet(rows, headers=HEADERS):
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.append(list(headers))
    for row in rows:
        worksheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def row(
    name="赵工", unit="晋城市导入研究院", county="城区", title="技师", specialties="电工", phone="", email="", user=""
):
    return (name, unit, county, title, specialties, phone, email, user)


def test_a_clean_sheet_imports_every_row(admin, call):
    result = import_experts(
        file=sheet(
            [
                row(),
                row(name="钱工", county="沁水县", phone=13935609999, specialties="焊工、钳工", user="qiangong"),
            ]
        ),
        actor=admin,
    )

    assert result.errors == []
    assert len(result.created) == 2
    qian = ExpertProfile.objects.get(user__username="qiangong")
    assert read_phone(qian) == "13935609999" and qian.specialties == ["焊工", "钳工"]
    assert qian.region.name == "沁水县" and qian.user.has_role(Role.EXPERT)
    assert AuditEntry.objects.filter(event="experts:import").exists()


def test_row_errors_name_row_and_column_and_nothing_is_imported(admin, call):
    User.objects.create(username="taken")
    rows = [
        row(),  # row 2: fine
        row(name="孙工", county="不存在县"),  # row 3
        row(name="", phone="123"),  # row 4: two problems
        row(name="李工", user="taken", email="not-an-email"),  # row 5
        row(),  # row 6: duplicates row 2
    ]

    result = import_experts(file=sheet(rows), actor=admin)

    assert result.created == []
    assert '第3行 "所在县（市、区）" 列：本市没有名为"不存在县"的县（市、区）。' in result.errors
    assert '第4行 "姓名" 列：必填，不能为空。' in result.errors
    assert any(error.startswith('第5行 "用户名" 列') for error in result.errors)
    assert any(error.startswith('第5行 "电子邮箱" 列') for error in result.errors)
    assert any(error.startswith('第6行 "姓名" 列') and "重复" in error for error in result.errors)
    assert not ExpertProfile.objects.exists()
    assert not User.objects.filter(full_name="赵工").exists()


def test_a_phone_error_is_reported_once_the_required_cells_are_filled(admin, call):
    result = import_experts(file=sheet([row(phone="123")]), actor=admin)
    assert result.errors == [
        '第2行 "联系电话" 列：联系电话格式不正确，应为11位手机号码或带区号的固定电话（如0356-2199488）。'
    ]


def test_an_expert_already_in_the_pool_is_refused(admin, call):
    make_expert(admin, name="赵工", unit_name="晋城市导入研究院")
    result = import_experts(file=sheet([row()]), actor=admin)
    assert result.errors == ['第2行 "姓名" 列：赵工（晋城市导入研究院）已在专家库中。']


def test_missing_columns_and_foreign_files_are_reported(admin, call):
    missing = import_experts(file=sheet([row()], headers=("姓名", "职称")), actor=admin)
    garbage = import_experts(file=io.BytesIO(b"not a workbook"), actor=admin)
    empty = import_experts(file=sheet([]), actor=admin)

    assert missing.errors == ['第1行缺少列："工作单位"、"所在县（市、区）"。请使用下载的导入模板。']
    assert "不是有效的Excel" in garbage.errors[0]
    assert "没有专家数据" in empty.errors[0]


def test_columns_are_found_by_header_in_any_order(admin, call):
    headers = ("所在县（市、区）", "姓名", "工作单位")
    result = import_experts(file=sheet([("泽州县", "周工", "泽州县某单位")], headers=headers), actor=admin)
    assert result.errors == [] and ExpertProfile.objects.get().region.name == "泽州县"


def test_a_template_downloaded_before_full_width_headers_still_imports(admin, call):
    headers = ("所在县(市、区)", "姓名", "工作单位")  # fullwidth-ok: the header before issue 12
    result = import_experts(file=sheet([("泽州县", "周工", "泽州县某单位")], headers=headers), actor=admin)
    assert result.errors == [] and ExpertProfile.objects.get().region.name == "泽州县"


def test_export_reopens_with_openpyxl_and_round_trips(admin, call):
    make_expert(admin, name="吴工", unit_name="晋城市导出研究院", region_key="140522", phone="13935601111")

    data = export_workbook(user=admin)

    worksheet = load_workbook(io.BytesIO(data)).active
    rows = list(worksheet.iter_rows(values_only=True))
    assert rows[0][: len(HEADERS)] == HEADERS
    assert rows[1][:6] == ("吴工", "晋城市导出研究院", "阳城县", "高级技师", "电工", "13935601111")
    # The export is an import sheet: re-importing it is refused as duplicates, never half-imported.
    again = import_experts(file=io.BytesIO(data), actor=admin)
    assert again.errors and ExpertProfile.objects.count() == 1


def test_export_is_scoped_to_the_city(admin, other_city_admin, call):
    make_expert(admin, name="吴工")
    worksheet = load_workbook(io.BytesIO(export_workbook(user=other_city_admin))).active
    assert worksheet.max_row == 1


def test_the_template_has_the_headers_and_the_citys_counties(admin, call):
    workbook = load_workbook(io.BytesIO(template_workbook(user=admin)))
    assert tuple(cell.value for cell in workbook.worksheets[0][1]) == HEADERS
    notes = [cell.value for cell in workbook["填写说明"]["A"]]
    assert "城区" in notes and "高平市" in notes
    assert workbook.worksheets[0].data_validations.dataValidation
