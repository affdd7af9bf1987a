"""Excel (XLSX) in and out for the tables of the form: 成员名单, 设备配置, 实训装备, 企业指导教师 ….

Generic for any `Table` of a spec; `IMPORTABLE_TABLES` says which tables offer it. The workbook a unit downloads
has the column labels as its header row, the table's current rows below (as the form shows them: choice labels,
是/否, 身份证号码 masked — a masked number sent back keeps the stored one) and a second sheet explaining each
column. It leaves through `core.spreadsheets.workbook_bytes`, so no cell starts a formula.

An upload is read with openpyxl after its content proved to be an XLSX package (not by its name), within size and
row limits. Columns are found by their header text. Cell values become the raw values the form would post and are
cleaned by `formdata.clean_section` (in `services_reuse.import_table_rows`); errors name the row as Excel shows it
and the column: 第3行「身份证号码」：…… A formula cell is kept as the text of its formula, never evaluated.
"""

import datetime
import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from shenbao.core.filetypes import MAX_ZIP_ENTRIES
from shenbao.core.punctuation import fix_prose
from shenbao.core.spreadsheets import workbook_bytes

from .formdata import display_value

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# (section key, table name) of the tables that offer the Excel import, in any project type's form that has them.
IMPORTABLE_TABLES = frozenset(
    {
        ("members", "members"),  # 工作站成员名单
        ("station_plan", "equipment"),  # 工作站设备配置
        ("capacity", "specialties"),  # 培养基地特色专业及实训装备
        ("cooperation", "enterprise_instructors"),  # 培养基地企业指导教师
        ("teachers", "teacher_list"),  # 培养基地教师名单
    }
)
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_UNPACKED_BYTES = 40 * 1024 * 1024
WORKBOOK_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
SHEET_TITLE = "表格"
NOTES_TITLE = "填写说明"
KIND_HINTS = {
    "text": "文字",
    "textarea": "文字，可较长",
    "phone": "电话号码（数字，可含区号和“-”）",
    "integer": "整数",
    "decimal": "数字，最多两位小数",
    "date": "日期，按“年-月-日”填写，例如 2021-03-01",
    "month": "年月，按“年-月”填写，例如 1985-06",
    "boolean": "填“是”或“否”（空白为否）",
    "id_number": "18位居民身份证号码",
}


def importable_tables(section):
    """The tables of `section` that offer the Excel import, in display order."""
    return [item for item in section.tables if (section.key, item.name) in IMPORTABLE_TABLES]


def get_importable_table(*, spec, section_key, table_name):
    """(section, table) when that table offers the import, else KeyError (views answer 404)."""
    section = spec.section(section_key)
    for table in importable_tables(section):
        if table.name == table_name:
            return section, table
    raise KeyError(table_name)


def _hint(column):
    if column.kind == "choice":
        return "从下列选项中选择：" + "、".join(label for _code, label in column.choices)
    return KIND_HINTS.get(column.kind, "")


def table_workbook(*, table, rows):
    """The template of `table` with its current `rows` (stored values), as XLSX bytes."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append([column.label for column in table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = max(12, 2 * len(str(cell.value)) + 2)
    sheet.freeze_panes = "A2"
    for row in rows or []:
        if isinstance(row, dict):
            sheet.append([display_value(field=column, value=row.get(column.name)) for column in table.columns])
    for index, column in enumerate(table.columns, start=1):
        options = [label for _code, label in column.choices] if column.kind == "choice" else []
        if column.kind == "boolean":
            options = ["是", "否"]
        if options:
            letter = sheet.cell(row=1, column=index).column_letter
            validation = DataValidation(type="list", formula1='"' + ",".join(options) + '"', allow_blank=True)
            validation.error = "请从列表中选择。"
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{table.max_rows + 1}")
    notes = workbook.create_sheet(NOTES_TITLE)
    notes.append(["列名", "是否必填", "填写要求"])
    for column in table.columns:
        notes.append([column.label, "必填" if column.required else "选填", _hint(column)])
    notes.append([])
    notes.append([f"从第2行起每行填写一条，最多{table.max_rows}行；导入将替换申报书中「{table.label}」的全部内容。"])
    notes.append(["身份证号码显示为带*的部分号码时表示不变；新增人员请填写完整号码。"])
    notes.column_dimensions["A"].width = 24
    notes.column_dimensions["B"].width = 10
    notes.column_dimensions["C"].width = 60
    return workbook_bytes(workbook)


def _is_xlsx_package(file):
    """True when the upload's content is an Excel workbook package without macros (its name is not trusted)."""
    file.seek(0)
    if file.read(4) != b"PK\x03\x04":
        return False
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_ENTRIES or sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
                return False
            names = {info.filename for info in infos}
            if "xl/workbook.xml" not in names or any(name.endswith("vbaProject.bin") for name in names):
                return False
            content_types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, NotImplementedError, RuntimeError, EOFError):
        return False
    finally:
        file.seek(0)
    return WORKBOOK_MAIN in content_types


def _cell_raw(column, value):
    """A cell as the form would post it; ValueError for text the platform does not store (NUL, control chars)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, datetime.date) and column.kind == "month":
        return value.strftime("%Y-%m")  # Excel stores a typed 1985-06 as the first day of the month
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if column.kind == "date" else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if any(ord(char) < 32 and char not in "\t\n\r" for char in text):
        raise ValueError(_("含有不允许的控制字符（如NUL），请删除后重新导入。"))
    if column.kind == "choice":
        by_label = {label: code for code, label in column.choices}
        text = by_label.get(text, text)
    return text


def read_table_rows(*, file, table):
    """([row numbers as Excel shows them], [raw rows]) of the upload's first sheet.

    Raises ValidationError with Chinese messages (a list) when the file is not an XLSX workbook, too large, lacks
    a column, has too many rows or a cell that cannot be text.
    """
    if file.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("文件不能超过%(megabytes)sMB。") % {"megabytes": MAX_UPLOAD_BYTES // (1024 * 1024)}, code="too_large"
        )
    if not _is_xlsx_package(file):
        raise ValidationError(_("文件内容不是Excel（.xlsx）工作簿，请使用下载的模板填写后上传。"), code="not_xlsx")
    try:
        workbook = load_workbook(file, read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged package
        raise ValidationError(_("无法读取该Excel文件，请使用下载的模板填写后上传。"), code="unreadable") from error
    try:
        return _rows_of(workbook.worksheets[0], table)
    finally:
        workbook.close()


def _rows_of(sheet, table):
    lines = sheet.iter_rows(values_only=True)
    header = [str(value).strip() if value is not None else "" for value in next(lines, ())]
    # Templates downloaded before labels took full-width punctuation still match (「装备价值(万元)」).
    positions = {fix_prose(text): index for index, text in enumerate(header) if text}
    missing = [column.label for column in table.columns if column.label not in positions]
    if missing:
        raise ValidationError(
            _("第1行缺少列：%(items)s。请使用下载的模板。") % {"items": "、".join(f"「{label}」" for label in missing)},
            code="header",
        )
    numbers, rows, errors = [], [], []
    for number, values in enumerate(lines, start=2):
        row = {}
        for column in table.columns:
            position = positions[column.label]
            try:
                row[column.name] = _cell_raw(column, values[position] if position < len(values) else None)
            except ValueError as error:
                errors.append(
                    _("第%(number)s行「%(label)s」：%(error)s")
                    % {"number": number, "label": column.label, "error": error}
                )
        if all(value == "" for value in row.values()):
            continue
        numbers.append(number)
        rows.append(row)
        if len(rows) > table.max_rows:
            raise ValidationError(
                _("「%(label)s」最多%(max_rows)s行，表中超过了这个数量。")
                % {"label": table.label, "max_rows": table.max_rows},
                code="too_many",
            )
    if errors:
        raise ValidationError(errors, code="cell")
    if not rows:
        raise ValidationError(_("表中没有数据（从第2行起每行填写一条）。"), code="empty")
    return numbers, rows


def describe_errors(*, table, numbers, errors):
    """`formdata.clean_section`'s errors of `table` as Chinese lines naming the Excel row and the column."""
    labels = {column.name: column.label for column in table.columns}
    lines = []
    for key, message in errors.items():
        name, _dot, cell = str(key).partition(".")
        index, _dot, column = cell.partition(".")
        if name == table.name and index.isdigit() and int(index) < len(numbers):
            lines.append(
                _("第%(row)s行「%(column)s」：%(message)s")
                % {"row": numbers[int(index)], "column": labels.get(column, column), "message": message}
            )
        else:
            lines.append(str(message))
    return lines
