"""专家库 as XLSX: the import template, the all-or-nothing import and the export (openpyxl).

Columns are found by their header text, so their order in the sheet does not matter. Every row is checked
before anything is written; one bad cell anywhere means nothing is imported, and each problem is reported as
第N行 "列名" 列:… with N the row number Excel shows.
"""

import re
from dataclasses import dataclass, field
from zipfile import BadZipFile

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from shenbao.accounts.selectors import is_username_taken
from shenbao.audit.services import record_event
from shenbao.core.background import ExportPlan
from shenbao.core.crypto import blind_index
from shenbao.core.punctuation import fix_prose
from shenbao.core.spreadsheets import workbook_bytes

from .models import ExpertProfile
from .selectors import list_city_regions, list_experts
from .services import (
    create_expert,
    find_work_unit,
    normalise_phone,
    parse_specialties,
    read_phone,
    validate_phone,
)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_TITLE = "专家库"
MAX_ROWS = 2000
USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9_.@+-]{3,150}$")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool
    max_length: int
    width: int
    hint: str


COLUMNS = (
    Column("full_name", "姓名", True, 64, 12, "必填。"),
    Column("work_unit", "工作单位", True, 128, 32, "必填。与平台中的单位名称完全一致时直接关联，否则新建为其他单位。"),
    Column("region", "所在县（市、区）", True, 64, 16, "必填。本市的县（市、区）、开发区或市本级名称，见下表。"),
    Column("title", "职称", False, 64, 16, "如：高级技师、正高级工程师。"),
    Column("specialties", "职业（工种）/专业", False, 500, 30, "多项用顿号（、）分隔。"),
    Column("phone", "联系电话", False, 32, 16, "11位手机号码或带区号的固定电话。"),
    Column("email", "电子邮箱", False, 254, 26, "专家通过此邮箱设置登录密码。"),
    Column("username", "用户名", False, 150, 14, "可不填，系统自动生成（expert0001……）。"),
)
HEADERS = tuple(column.header for column in COLUMNS)


@dataclass
class ImportResult:
    errors: list = field(default_factory=list)
    created: list = field(default_factory=list)


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone number typed as a number
    return str(value).strip()


def _error(row, column, message):
    return _('第%(row)s行 "%(header)s" 列：%(message)s') % {"row": row, "header": column.header, "message": message}


def _read_rows(file):
    """(header → column index, [(row number, {key: text})]) or raise ValidationError for an unreadable file."""
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError) as error:
        raise ValidationError(_("文件不是有效的Excel（.xlsx）文件，请使用下载的导入模板。"), code="not_xlsx") from error
    sheet = workbook.worksheets[0]
    lines = sheet.iter_rows(values_only=True)
    header = [_cell_text(value) for value in next(lines, ())]
    # Templates downloaded before headers took full-width punctuation still match (「所在县(市、区)」).
    positions = {fix_prose(text): index for index, text in enumerate(header) if text}
    missing = [column.header for column in COLUMNS if column.required and column.header not in positions]
    if missing:
        workbook.close()
        raise ValidationError(
            _("第1行缺少列：%(items)s。请使用下载的导入模板。") % {"items": "、".join(f'"{name}"' for name in missing)},
            code="header",
        )
    rows = []
    for number, values in enumerate(lines, start=2):
        record = {
            column.key: _cell_text(values[positions[column.header]])
            if column.header in positions and positions[column.header] < len(values)
            else ""
            for column in COLUMNS
        }
        if any(record.values()):
            rows.append((number, record))
        if len(rows) > MAX_ROWS:
            workbook.close()
            raise ValidationError(
                _("一次最多导入%(max_rows)s名专家，请分批导入。") % {"max_rows": MAX_ROWS}, code="too_many"
            )
    workbook.close()
    return rows


class _Checker:
    """Checks every row against the database and against the other rows of the same file."""

    def __init__(self, *, user, city):
        self.city = city
        self.regions = {}
        for region in list_city_regions(user=user):
            self.regions.setdefault(region.name, region)
            self.regions.setdefault(region.key, region)
        self.usernames = set()
        self.people = set()
        self.phones = set()
        self.existing_people = set(
            ExpertProfile.objects.filter(city=city.pk).values_list("user__full_name", "work_unit__name")
        )
        self.existing_phones = set(
            ExpertProfile.objects.filter(city=city.pk).exclude(phone_index="").values_list("phone_index", flat=True)
        )
        self.units = {}

    def check(self, number, record):
        errors = []
        by_key = {column.key: column for column in COLUMNS}
        for column in COLUMNS:
            value = record[column.key]
            if column.required and not value:
                errors.append(_error(number, column, _("必填，不能为空。")))
            elif len(value) > column.max_length:
                errors.append(
                    _error(number, column, _("不能超过%(max_length)s个字。") % {"max_length": column.max_length})
                )
        if errors:
            return errors, None

        def add(key, message):
            errors.append(_error(number, by_key[key], message))

        region = self.regions.get(record["region"])
        if region is None:
            add("region", _('本市没有名为"%(region)s"的县（市、区）。') % {"region": record["region"]})
        unit_name = record["work_unit"]
        if unit_name not in self.units:
            try:
                self.units[unit_name] = find_work_unit(name=unit_name, city=self.city)
            except ValidationError as error:
                self.units[unit_name] = error
        if isinstance(self.units[unit_name], ValidationError):
            add("work_unit", self.units[unit_name].message_dict["work_unit"][0])
        person = (record["full_name"], unit_name)
        if person in self.existing_people:
            add(
                "full_name",
                _("%(full_name)s（%(unit_name)s）已在专家库中。")
                % {"full_name": record["full_name"], "unit_name": unit_name},
            )
        elif person in self.people:
            add(
                "full_name",
                _("%(full_name)s（%(unit_name)s）在表中重复。")
                % {"full_name": record["full_name"], "unit_name": unit_name},
            )
        self.people.add(person)
        try:
            specialties = parse_specialties(record["specialties"])
        except ValidationError as error:
            add("specialties", error.messages[0])
            specialties = []
        phone = normalise_phone(record["phone"])
        try:
            validate_phone(phone)
        except ValidationError as error:
            add("phone", error.messages[0])
        else:
            index = blind_index(phone)
            if phone and (index in self.existing_phones or index in self.phones):
                add("phone", _("该联系电话已登记给其他专家。"))
            self.phones.add(index)
        if record["email"]:
            try:
                validate_email(record["email"])
            except ValidationError:
                add("email", _("电子邮箱格式不正确。"))
        username = record["username"]
        if username:
            if not USERNAME_PATTERN.match(username):
                add("username", _("用户名只能包含字母、数字和 _ . @ + -，长度3至150。"))
            elif username.lower() in self.usernames or is_username_taken(username=username):
                add("username", _('用户名"%(username)s"已被使用。') % {"username": username})
            self.usernames.add(username.lower())
        return errors, {**record, "region": region, "specialties": specialties, "phone": phone}


def import_experts(*, file, actor, request=None):
    """Import the sheet into the administrator's pool: every row or none (ImportResult.errors says why)."""
    from .rules import administered_city

    city = administered_city(actor)
    if city is None:
        raise ValidationError(_("只有本市申报管理员可以导入专家。"), code="not_admin")
    try:
        rows = _read_rows(file)
    except ValidationError as error:
        return ImportResult(errors=list(error.messages))
    if not rows:
        return ImportResult(errors=[_("表中没有专家数据（从第2行起每行一名专家）。")])
    checker = _Checker(user=actor, city=city)
    errors, cleaned = [], []
    for number, record in rows:
        row_errors, values = checker.check(number, record)
        errors.extend(row_errors)
        cleaned.append((number, values))
    if errors:
        return ImportResult(errors=errors)
    created = []
    try:
        with transaction.atomic():
            for number, values in cleaned:
                created.append(_create(number, values, actor=actor, request=request))
            record_event(
                event="experts:import",
                actor=actor,
                request=request,
                details={"created": len(created), "city": city.name},
            )
    except _RowRefused as refused:
        return ImportResult(errors=refused.errors)
    return ImportResult(created=created)


class _RowRefused(Exception):
    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


def _create(number, values, *, actor, request):
    try:
        return create_expert(
            actor=actor,
            full_name=values["full_name"],
            work_unit_name=values["work_unit"],
            region=values["region"],
            title=values["title"],
            specialties=values["specialties"],
            phone=values["phone"],
            email=values["email"],
            username=values["username"],
            request=request,
        )
    except ValidationError as error:
        # Something the checks could not foresee (a name taken meanwhile): still all or nothing.
        by_key = {column.key: column for column in COLUMNS}
        messages = []
        for key, texts in getattr(error, "error_dict", {"": error.error_list}).items():
            column = by_key.get({"organisation": "work_unit"}.get(key, key))
            for text in ValidationError(texts).messages:
                messages.append(
                    _error(number, column, text)
                    if column
                    else _("第%(number)s行：%(text)s") % {"number": number, "text": text}
                )
        raise _RowRefused(messages) from error


def _styled_header(sheet):
    sheet.append(list(HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = column.width
    sheet.freeze_panes = "A2"


def _save(workbook):
    return workbook_bytes(workbook)


def template_workbook(*, user):
    """The import template: the header row, a drop-down of the city's counties, and a sheet of instructions."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    _styled_header(sheet)
    notes = workbook.create_sheet("填写说明")
    notes.append(["列名", "说明"])
    for column in COLUMNS:
        notes.append([column.header, column.hint])
    notes.append([])
    notes.append(["本市县（市、区）"])
    first = notes.max_row + 1
    names = [region.name for region in list_city_regions(user=user)]
    for name in names:
        notes.append([name])
    notes.column_dimensions["A"].width = 20
    notes.column_dimensions["B"].width = 60
    if names:
        letter = sheet.cell(row=1, column=HEADERS.index("所在县（市、区）") + 1).column_letter
        validation = DataValidation(
            type="list", formula1=f"'填写说明'!$A${first}:$A${first + len(names) - 1}", allow_blank=True
        )
        validation.error = "请从列表中选择本市的县（市、区）。"
        sheet.add_data_validation(validation)
        validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
    return _save(workbook)


def _pool_rows(user):
    """The administrator's pool as the export's rows: the import layout, plus status and relations."""
    experts = list_experts(user=user).prefetch_related("relations__organisation")
    return [
        [
            profile.user.full_name,
            profile.work_unit.name,
            profile.region.name,
            profile.title,
            "、".join(profile.specialties or []),
            read_phone(profile),
            profile.contact_email or profile.user.email,
            profile.user.username,
            "在库" if profile.active else "停用",
            "、".join(relation.organisation.name for relation in profile.relations.all()),
        ]
        for profile in experts.iterator(chunk_size=500)
    ]


def export_workbook(*, user, rows=None):
    """The administrator's whole pool in the import layout, plus status and relations (clear phone numbers)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    _styled_header(sheet)
    extra = ("状态", "利害关系单位")
    for offset, header in enumerate(extra, start=len(HEADERS) + 1):
        cell = sheet.cell(row=1, column=offset, value=header)
        cell.font = Font(bold=True)
    for row in _pool_rows(user) if rows is None else rows:
        sheet.append(row)
    return _save(workbook)


# The pool's export is an export job (`shenbao.exports`, kind "experts.pool"): a province's pools hold thousands,
# with their telephones decrypted one by one. The request and the download are audited by the jobs app.


def prepare_pool_export(*, data, language):
    """The job's params: nothing to choose (the whole pool of the owner's city), the reader's language."""
    return {"language": language}


def plan_pool_export(*, owner, params):
    """The export job's producer: the owner's pool, if the owner still manages it."""
    if not owner.is_active or not rules.has_perm("experts.manage_pool", owner):
        raise PermissionDenied(_("申请人已无管理专家库的权限。"))
    rows = _pool_rows(owner)
    stamp = timezone.localtime().strftime("%Y%m%d")
    return ExportPlan(
        filename=f"experts-{stamp}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
        rows=len(rows),
        chunks=iter([(export_workbook(user=owner, rows=rows), len(rows))]),  # a zip is written whole
    )
