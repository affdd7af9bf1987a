"""What a generated document says, independent of its format (PDF, DOCX, print view).

`build_document_content` turns an application and one of its documents into plain data: the cover, the
sections of the form spec that print in the document (labels from the spec, values through
`formdata.display_value`, so ID numbers are masked the same way everywhere; a section's derived values after its
fields; a 合计 row under a table whose column must total an amount) and the seal boxes. The three
renderers only lay this out, so they cannot disagree on the content.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from shenbao.applications.formdata import column_sum, decimal_text, derived_values, display_value
from shenbao.applications.sections import get_form_spec
from shenbao.applications.sections.spec import Table
from shenbao.core.crypto import mask_phone
from shenbao.organisations.models import Organisation
from shenbao.organisations.selectors import list_city_bodies

from .kinds import DocumentKind, list_document_kinds
from .layout import pair_fields, table_layout

Function = Organisation.Function
EMPTY = "—"
NUMBER_HEADER = "序号"
CHINESE_DIGITS = "〇一二三四五六七八九"


@dataclass(frozen=True)
class FieldRow:
    label: str
    value: str
    wide: bool = False  # long text takes the whole width of the form grid


@dataclass(frozen=True)
class FieldGroup:
    rows: tuple
    is_table = False

    @cached_property
    def lines(self):
        """The rows as printed: two short fields side by side, as on the paper form (see layout.pair_fields)."""
        return pair_fields(self.rows)


@dataclass(frozen=True)
class TableBlock:
    label: str
    headers: tuple  # without the leading 序号 column, which renderers add
    rows: tuple  # tuples of cell strings
    footer: tuple = ()  # the 合计 row's cells (without 序号), when the table has a total
    is_table = True

    @cached_property
    def layout(self):
        """Column widths (the 序号 column first) and type size, shared by every renderer (see layout.py)."""
        numbered = [(str(number), *row) for number, row in enumerate(self.rows, 1)]
        return table_layout((NUMBER_HEADER, *self.headers), numbered)


@dataclass(frozen=True)
class SectionBlock:
    number: str  # 一、二 …
    title: str
    blocks: tuple  # FieldGroup and TableBlock in the spec's order

    @property
    def heading(self):
        return f"{self.number}、{self.title}"


@dataclass(frozen=True)
class SealBox:
    """A box signed and sealed on the paper copy, left blank: the renderers print `statement` (the unit's
    commitment) or a blank 意见 space, then `sign_lines` (signer and 盖章, right-aligned) and the date line."""

    title: str = ""  # the box's left column (初审意见 …); empty: the box is one cell (申报单位承诺)
    statement: str = ""
    opinion: bool = False  # a blank 意见 space for the reviewing body
    sign_lines: tuple = ()


@dataclass(frozen=True)
class SignOff:
    """The sign-off part of a document. In the 申报书 the paper form numbers it after the content sections
    (申报单位承诺, 审核意见); under the other documents it is the unit's unframed seal line."""

    number: str
    title: str
    boxes: tuple
    framed: bool = True

    @property
    def heading(self):
        return f"{self.number}、{self.title}" if self.number else self.title


@dataclass(frozen=True)
class DocumentContent:
    kind: DocumentKind
    title: str
    subtitle: str
    number: str
    verification_code: str
    verify_url: str
    unit_name: str
    cover_rows: tuple  # (label, value)
    issuer: str
    issued_month: str  # 二〇二二年十二月
    generated_at: object
    basis: str  # which content the document shows (草稿 / 第2版提交内容)
    sections: tuple
    sign_offs: tuple = field(default=())
    instructions: tuple = field(default=())  # 填表说明 of the 申报书, numbered items


def chinese_number(value):
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (section numbers of a paper form)."""
    if value < 10:
        return CHINESE_DIGITS[value]
    tens, ones = divmod(value, 10)
    return f"{CHINESE_DIGITS[tens] if tens > 1 else ''}十{CHINESE_DIGITS[ones] if ones else ''}"


def chinese_date(day):
    """A day in Chinese numerals (〇一二… 年, 一…十二 月, 一…三十一 日), as dated under an official document."""
    year = "".join(CHINESE_DIGITS[int(digit)] for digit in str(day.year))
    return f"{year}年{chinese_number(day.month)}月{chinese_number(day.day)}日"


def chinese_year_month(day):
    """A day as its year and month in Chinese numerals (〇一二… 年, 一…十二 月), as printed under a form's issuing
    bodies."""
    year = "".join(CHINESE_DIGITS[int(digit)] for digit in str(day.year))
    return f"{year}年{chinese_number(day.month)}月"


def format_date(moment):
    if moment is None:
        return ""
    if hasattr(moment, "hour"):
        moment = timezone.localtime(moment)
    return f"{moment.year}年{moment.month}月{moment.day}日"


def verify_url(*, code, site_url=""):
    """The public verification address printed on the document; absolute when the site's address is known."""
    path = reverse("verify:code", kwargs={"code": code})
    # The configured public address wins: behind a proxy the request may only know an internal host name.
    base = (getattr(settings, "SHENBAO_PUBLIC_URL", "") or site_url or "").rstrip("/")
    return f"{base}{path}"


def _value(field_spec, value, reveal_phone=False):
    text = display_value(field=field_spec, value=value, reveal=False)
    if field_spec.kind == "phone" and not reveal_phone:
        # A person's phone (领办人) follows the unit's contact phone: in full only for the unit's own staff.
        text = mask_phone(text)
    return text if text not in (None, "") else EMPTY


def _table_block(table, rows, reveal_phone):
    columns = table.columns
    rows = [row for row in rows or [] if isinstance(row, dict)]
    footer = ()
    if table.total is not None:
        # Every amount column is summed, as the paper form's 合计 row does.
        footer = tuple(
            decimal_text(column_sum(rows=rows, column_name=column.name)) if column.kind == "decimal" else ""
            for column in columns
        )
    return TableBlock(
        label=table.label,
        headers=tuple(column.label for column in columns),
        rows=tuple(tuple(_value(column, row.get(column.name), reveal_phone) for column in columns) for row in rows),
        footer=footer,
    )


def _section_blocks(section, data, *, leading_rows=(), form_data=None, reveal_phone=False):
    blocks = []
    pending = list(leading_rows)
    for item in section.items:
        if isinstance(item, Table):
            if pending:
                blocks.append(FieldGroup(rows=tuple(pending)))
                pending = []
            blocks.append(_table_block(item, data.get(item.name), reveal_phone))
        else:
            value = _value(item, data.get(item.name), reveal_phone)
            pending.append(FieldRow(item.label, value, wide=item.kind == "textarea"))
    pending.extend(FieldRow(label, str(value)) for label, value in derived_values(section=section, form_data=form_data))
    if pending:
        blocks.append(FieldGroup(rows=tuple(pending)))
    return tuple(blocks)


def _unit_rows(unit, contact_phone):
    """The unit's registered facts, which the paper form asks for at the top of its first section."""
    return (
        FieldRow("单位名称", unit.name, wide=True),
        FieldRow("统一社会信用代码", unit.credit_code or EMPTY),
        FieldRow("单位类型", str(unit.unit_type) if unit.unit_type_id else EMPTY),
        FieldRow("法定代表人", unit.legal_representative or EMPTY),
        FieldRow("主管部门", unit.competent_department.name if unit.competent_department_id else EMPTY),
        FieldRow("联系人", unit.contact_name or EMPTY),
        FieldRow("联系电话", contact_phone or EMPTY),
        FieldRow("通讯地址", unit.address or EMPTY, wide=True),
    )


SEAL = "（盖章）"


def _signed(body):
    return f"{body.name}{SEAL}" if body else SEAL


def _recheck_boxes(call):
    """资格复核 (notice 三2): one box per body of the call's `recheck_bodies` functions in the call's city, as on
    the paper form (one seal each); a function the city has not registered a body for still gets its box."""
    bodies = list_city_bodies(city=call.city_id, functions=call.recheck_bodies)
    boxes = []
    with translation.override("zh-hans"):
        for function in call.recheck_bodies or []:
            label = str(Function(function).label)
            holders = [body for body in bodies if body.function == function] or [None]
            boxes.extend(
                SealBox(title=f"{label}复核意见", opinion=True, sign_lines=(_signed(body),)) for body in holders
            )
    return boxes


def _sign_offs(application, kind, first_number):
    unit = application.unit
    if not kind.is_application_form:
        return (
            SignOff(number="", title="", framed=False, boxes=(SealBox(sign_lines=(f"申报单位{SEAL}：{unit.name}",)),)),
        )
    commitment = SealBox(
        statement=(
            "本单位承诺所填内容及所附材料真实、准确、完整，遵守国家有关法律法规，未发生过违规违纪事件；"
            f"如获批{application.project_type.name}，将按申报书和实施方案组织建设，专款专用，接受评估验收和监督检查。"
        ),
        sign_lines=("法定代表人（签字）：\u3000\u3000\u3000\u3000\u3000\u3000", f"{unit.name}{SEAL}"),
    )
    first_review = SealBox(
        title="县（市、区）人社局或主管部门初审意见", opinion=True, sign_lines=(_signed(application.first_review_body),)
    )
    return (
        SignOff(number=chinese_number(first_number), title="申报单位承诺", boxes=(commitment,)),
        SignOff(
            number=chinese_number(first_number + 1),
            title="审核意见",
            boxes=(first_review, *_recheck_boxes(application.call)),
        ),
    )


def _instructions(application, kind):
    """填表说明 of the 申报书, from the call's data: paper copies, where they go, the other documents of the project
    type and the unit types that may apply (the paper form's items 1, 2 and 4; item 3 restates clauses the
    eligibility check enforces)."""
    if not kind.is_application_form:
        return ()
    call, project_type = application.call, application.project_type
    others = [f"《{other.full_title}》" for other in list_document_kinds(project_type=project_type, call=call)]
    enclosed = f"连同{'、'.join(others[1:])}和相关佐证材料" if len(others) > 1 else "连同相关佐证材料"
    copies = f"一式{chinese_number(call.paper_copies)}份及电子版" if call.paper_copies else "及电子版"
    # The paper document is always Chinese (official form), so its sentences are written in place.
    destination = f"报{call.submission_address}" if call.submission_address else "报送"
    unit_types = "、".join(unit_type.name for unit_type in project_type.allowed_unit_types.all())
    items = [f"本申报书{enclosed}{copies}，于申报截止时间前{destination}。"]
    if unit_types:
        items.append(f"可申报单位：{unit_types}。")
    items.append("表格不够填写的可另附页；所填内容须与佐证材料一致。")
    return tuple(f"{number}．{item}" for number, item in enumerate(items, 1))


def _basis(application, latest_version):
    if latest_version is not None:
        return f"第{latest_version.sequence}版提交内容"
    return "草稿（尚未提交）"


def build_document_content(*, application, kind, site_url="", at=None, reveal_contact=False, version=None):
    """Plain data for one document of `application` (see module docstring).

    version: a submitted version (`ApplicationVersion`) whose snapshot the document shows (the stored documents
    the task worker renders); without one, the application's current content (a draft, the print view).

    reveal_contact: the unit's contact phone and the phones of the form (领办人) in full (for the unit's own
    staff, who print the paper copies); masked otherwise, like the ID numbers.
    """
    spec = get_form_spec(application.project_type)
    unit = application.unit
    call = application.call
    contact_phone = unit.contact_phone if reveal_contact else mask_phone(unit.contact_phone)
    sections = [section for section in spec.sections if section.prints_in(kind.title)]
    form_data = (version.form_data if version is not None else application.form_data) or {}
    section_blocks = []
    for index, section in enumerate(sections, 1):
        # The form's first section (单位基本情况) opens with the unit's registered facts in every document printing it.
        leading = _unit_rows(unit, contact_phone) if section.key == spec.sections[0].key else ()
        blocks = _section_blocks(
            section,
            form_data.get(section.key) or {},
            leading_rows=leading,
            form_data=form_data,
            reveal_phone=reveal_contact,
        )
        section_blocks.append(SectionBlock(number=chinese_number(index), title=section.title, blocks=blocks))
    latest_version = version or application.versions.order_by("-sequence").first()
    submitted_at = version.submitted_at if version is not None else application.submitted_at
    generated_at = timezone.localtime(at or timezone.now())
    region = unit.region
    cover_rows = (
        (f"申报单位{SEAL}", unit.name),
        ("统一社会信用代码", unit.credit_code or EMPTY),
        ("所在县（市、区）", region.name if region else EMPTY),
        ("主管部门", unit.competent_department.name if unit.competent_department_id else EMPTY),
        ("联系人", unit.contact_name or EMPTY),
        ("联系电话", contact_phone or EMPTY),
        ("申报日期", format_date(submitted_at) or format_date(generated_at)),
        ("申报编号", application.number),
        ("核验码", application.verification_code),
    )
    project_type = application.project_type
    subtitle = f"（{project_type.name}）"
    if not kind.is_application_form:
        subtitle = f"（建设周期：{project_type.construction_start.year}年—{project_type.construction_end.year}年）"
    return DocumentContent(
        kind=kind,
        title=kind.full_title,
        subtitle=subtitle,
        number=application.number,
        verification_code=application.verification_code,
        verify_url=verify_url(code=application.verification_code, site_url=site_url),
        unit_name=unit.name,
        cover_rows=cover_rows,
        issuer="\u3000".join(call.issuing_bodies or []) + "\u3000制",
        issued_month=chinese_year_month(call.published_on),
        generated_at=generated_at,
        basis=_basis(application, latest_version),
        sections=tuple(section_blocks),
        sign_offs=_sign_offs(application, kind, len(section_blocks) + 1),
        instructions=_instructions(application, kind),
    )
