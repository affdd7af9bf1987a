"""Chinese strings use full-width punctuation (，：；（）？！), issue 12 item 7.

The scan covers what users read (shenbao/core/punctuation.SOURCE_GLOBS); the fix is
`python scripts/fullwidth_punctuation.py` (add --tests to carry test expectations along).
fullwidth-punctuation: skip-file — the cases below hold half-width marks on purpose.
"""

from pathlib import Path

import pytest
from django.conf import settings

from shenbao.core.punctuation import (
    check_file_text,
    fix_po,
    fix_po_msgids,
    fix_prose,
    fix_python,
    fix_template,
    fix_yaml,
    repository_files,
)

ROOT = Path(settings.BASE_DIR)


def test_every_chinese_string_uses_full_width_punctuation():
    problems = []
    for path in repository_files(ROOT):
        text = path.read_text(encoding="utf-8")
        for offence in check_file_text(path, text)[1]:
            line = text.splitlines()[offence.line - 1].strip()
            problems.append(f"{path.relative_to(ROOT)}:{offence.line}:{offence.column}: {offence.mark!r} in {line}")
    assert problems == [], "run python scripts/fullwidth_punctuation.py\n" + "\n".join(problems)


def test_the_scan_covers_code_templates_call_files_and_reference_data():
    names = {str(path.relative_to(ROOT)) for path in repository_files(ROOT)}
    assert {"shenbao/core/punctuation.py", "scripts/build_jincheng_2022_templates.py"} <= names
    assert "shenbao/templates/base.html" in names
    assert any(name.startswith("calls/") and name.endswith(".yaml") for name in names)
    assert any(name.startswith("data/reference/") for name in names)
    assert any("/templates/" in name and name.endswith(".txt") for name in names)
    assert not any(name.startswith("tests/") for name in names)
    with_tests = repository_files(ROOT, tests=True)
    assert any(path.relative_to(ROOT).parts[0] == "tests" for path in with_tests)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("您好,李秀梅", "您好，李秀梅"),
        ("尚缺:", "尚缺："),
        ("(北京时间)", "（北京时间）"),
        ("是否提交?确认!", "是否提交？确认！"),
        ("材料齐全;可受理", "材料齐全；可受理"),
        ("您好 , 李秀梅", "您好，李秀梅"),  # spaces are skipped when looking, then dropped
        ("必须为以下之一: {expected}", "必须为以下之一：{expected}"),
        ("上传 PDF (不超过 20MB)", "上传 PDF（不超过 20MB）"),
        ("尚缺:\n张三", "尚缺：\n张三"),  # newlines stay
        ("(北京时间):", "（北京时间）："),  # converted marks make their neighbours Chinese
        ("必须为日期(如 2022-12-02)", "必须为日期（如 2022-12-02）"),  # a pair converts whole
        ("DOC文档(Word 97-2003)", "DOC文档（Word 97-2003）"),
        ("「{name}」:", "「{name}」："),  # full-width punctuation counts as Chinese
        ("共3项,合计", "共3项，合计"),
        ("请先运行:python manage.py migrate", "请先运行：python manage.py migrate"),
    ],
)
def test_half_width_marks_next_to_chinese_become_full_width(text, expected):
    assert fix_prose(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "English (text), ok: yes? no!",
        "共1,000元",  # grouped number
        "09:00 至 17:30",  # times
        "比例 1:2",
        "已授予角色%(role)s",
        "见 https://example.org/a?b=1,2;c=(3)",  # a URL is code
        "{0:>3}{name!r}",
        '按 Field("tasks", "建设任务") 声明',  # a call in quoted code
        "（已是全角）：，",
    ],
)
def test_half_width_marks_away_from_chinese_stay(text):
    assert fix_prose(text) == text


def test_placeholders_are_opaque_and_urls_end_before_sentence_marks():
    assert fix_prose("已授予角色:%(role)s,请知悉") == "已授予角色：%(role)s，请知悉"
    assert fix_prose("详见 https://example.org/a,请查阅") == "详见 https://example.org/a，请查阅"


def test_python_only_string_literals_change():
    source = (
        '"""Module docstring: the 申报书, in English."""\n'
        'MESSAGE = _("您好,%(name)s")  # 注释,不改\n'
        'LABEL = f"{count}:共{total}项,合计"\n'
        'PATTERN = re.compile(r"第(\\d+)行")\n'
        'DATA = b"(x)"\n'
        'CALL_FILE = "regions:\\n  - {key: 1, name: 甲, level: city}\\n"\n'
        'NOTE = "三权分立: English text"  # fullwidth-ok\n'
        "# fullwidth-ok (the next line)\n"
        'HINT = "三权分立: English text"\n'
        "def view():\n"
        '    """申报书, documented."""\n'
        '    return call("标题(草稿)", key=1)\n'
    )
    assert fix_python(source) == (
        '"""Module docstring: the 申报书, in English."""\n'
        'MESSAGE = _("您好，%(name)s")  # 注释,不改\n'
        'LABEL = f"{count}：共{total}项，合计"\n'
        'PATTERN = re.compile(r"第(\\d+)行")\n'
        'DATA = b"(x)"\n'
        'CALL_FILE = "regions:\\n  - {key: 1, name: 甲, level: city}\\n"\n'
        'NOTE = "三权分立: English text"  # fullwidth-ok\n'
        "# fullwidth-ok (the next line)\n"
        'HINT = "三权分立: English text"\n'
        "def view():\n"
        '    """申报书, documented."""\n'
        '    return call("标题（草稿）", key=1)\n'
    )


def test_templates_change_text_attribute_values_and_quoted_literals_only():
    source = (
        '<p title="说明(必填)" class="a,b">{% translate "尚缺:" %} 您好,{{ user.name|default:"无" }}</p>\n'
        "{# 注释,不改 #}<a href=\"{% url 'x' %}?page=2\">查看(详情)</a>{% if a %}:{% endif %}\n"
        "{% comment %}说明,不改{% endcomment %}<!-- 注释,不改 -->\n"
    )
    assert fix_template(source) == (
        '<p title="说明（必填）" class="a,b">{% translate "尚缺：" %} 您好，{{ user.name|default:"无" }}</p>\n'
        "{# 注释,不改 #}<a href=\"{% url 'x' %}?page=2\">查看（详情）</a>{% if a %}:{% endif %}\n"
        "{% comment %}说明,不改{% endcomment %}<!-- 注释,不改 -->\n"
    )


def test_a_translate_tag_reads_as_its_chinese_text_from_outside():
    source = '<p>{% translate "尚缺" %}:{{ missing }} · {% translate "Name" %}:{{ name }}</p>'
    assert fix_template(source) == '<p>{% translate "尚缺" %}：{{ missing }} · {% translate "Name" %}:{{ name }}</p>'


def test_text_templates_have_no_html_syntax():
    source = "<b>(系统邮件,请勿回复)</b>"
    assert fix_template(source, html=False) == "<b>（系统邮件，请勿回复）</b>"
    assert fix_template(source, html=True) == "<b>（系统邮件，请勿回复）</b>"
    assert fix_template('<input placeholder="姓名,电话">', html=False) == '<input placeholder="姓名，电话">'


def test_yaml_values_change_keys_comments_and_syntax_stay():
    source = (
        "clause: 一(一)1\n"
        "说明(键): 值,值  # 注释,不改\n"
        "list:\n"
        "  - {code: x, name: 名(称)}\n"
        '  - "引号,内"\n'
        "text: |\n"
        "  第一行,继续:\n"
        "  (一)缩进不变\n"
    )
    assert fix_yaml(source) == (
        "clause: 一（一）1\n"
        "说明(键): 值，值  # 注释,不改\n"
        "list:\n"
        "  - {code: x, name: 名（称）}\n"
        '  - "引号，内"\n'
        "text: |\n"
        "  第一行，继续：\n"
        "  （一）缩进不变\n"
    )


def test_po_only_msgstr_changes():
    source = 'msgid "您好,%(name)s"\nmsgstr ""\n"您好,%(name)s"\n\nmsgid "尚缺:"\nmsgstr "尚缺:"\n'
    assert fix_po(source) == 'msgid "您好,%(name)s"\nmsgstr ""\n"您好，%(name)s"\n\nmsgid "尚缺:"\nmsgstr "尚缺："\n'


def test_offences_are_reported_by_line_and_column():
    text = "X = 1\nY = '您好,李秀梅'\n"
    offences = check_file_text(Path("example.py"), text)[1]
    assert [(offence.line, offence.column, offence.mark) for offence in offences] == [(2, 8, ",")]


def test_a_file_can_opt_out_whole():
    text = "# fullwidth-punctuation: skip-file\nX = '您好,李秀梅'\n"
    assert fix_python(text) == text


def test_po_msgids_can_follow_the_source_for_the_lead():
    source = 'msgid "尚缺:"\nmsgstr "Missing:"\n\nmsgid ""\n"您好,"\n"%(name)s"\nmsgstr "Hello, %(name)s"\n'
    assert fix_po_msgids(source) == (
        'msgid "尚缺："\nmsgstr "Missing:"\n\nmsgid ""\n"您好，"\n"%(name)s"\nmsgstr "Hello, %(name)s"\n'
    )
