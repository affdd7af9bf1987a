"""Every message a user reads is translatable (issue 14, point 6): the English interface shows no Chinese error.

An `ast` scan of shenbao/: the message of a refusal (an exception raised, ValidationError, PermissionDenied, Http404,
a django-ninja HttpError, a pydantic error), of `messages.*`, of `form.add_error`, of a reply's "detail", and the
reasons a guard returns or a service collects must not be Chinese text written in place: not a literal, not an
f-string, not a concatenation or a `%`/`.format` of Chinese text. A gettext call or a variable is fine; the text is
then `_("……%(name)s……") % {"name": value}`, so the English catalogue can translate it.

Notifications too: the title and body given to the notification services (and to `Notification` rows), the
`phrase` and `asks` of a workflow step, and what the wording functions of notifications/messages.py return. They
are written in the working language (`in_working_language`), which the English catalogue must also cover.

Console-only code is left out: management commands, system checks and the backup/restore and audit-relink refusals
reach only the operator's terminal, never a page.
"""

import ast
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone, translation

from shenbao.applications.guards import resubmission_due_in_future
from shenbao.organisations.credit_code import check_credit_code

from .catalogue import compile_english_catalogue

SHENBAO = Path(settings.BASE_DIR) / "shenbao"
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
CONSOLE_ONLY = {
    "operations/archive.py",
    "operations/restore.py",
    "operations/backup.py",
    "operations/nginx_site.py",  # render_nginx_site's input checks
    "operations/data_keys.py",  # rotate_data_keys' refusal
    "audit/relink.py",
    "security/checks.py",  # system checks, read by whoever deploys
}
# Refusals built without `raise` too (collected in lists, passed to a form); the message's position.
MESSAGE_CALLS = {"ValidationError": 0, "PermissionDenied": 0, "Http404": 0, "HttpError": 1, "PydanticCustomError": 1}
MESSAGE_FUNCTIONS = {"success": 1, "error": 1, "warning": 1, "info": 1, "debug": 1, "add_message": 2}
REASON_LISTS = {"reasons", "errors", "missing", "warnings", "problems", "refusals"}
# Variables a message is put in before it is raised or shown, and module constants holding messages.
MESSAGE_VARIABLES = {*REASON_LISTS, "message", "problem", "detail", "where"}
MESSAGE_CONSTANT = re.compile(r"^[A-Z_]*(MESSAGES?|NOT_FOUND|INVALID_LINK)$")
MESSAGE_KEYWORDS = {"message", "msg", "error", "detail"}
# Calls that write a notification (or pass its texts on), and the keywords that carry its words.
NOTIFICATION_CALLS = {
    "create_notifications",
    "notify_users",
    "notify_audiences",
    "Notification",
    "_announce",
    "Message",
}
NOTIFICATION_KEYWORDS = {"title", "body"}
STEP_KEYWORDS = {"phrase", "asks"}  # a workflow step's sentence and requests, in any machine's table
# Variables a notification's words are put in before the call.
NOTIFICATION_VARIABLES = {"title", "body", "outcome", "values"}
WORDING_MODULES = {"notifications/messages.py"}  # every function there returns words of a notification


def _name(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _raw_chinese(node: ast.AST) -> bool:
    """Chinese text written in place (not through gettext) within a message expression."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and bool(CJK.search(node.value))
    if isinstance(node, ast.JoinedStr):
        return any(_raw_chinese(part) for part in node.values if isinstance(part, ast.Constant))
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return _raw_chinese(node.left) or (isinstance(node.op, ast.Add) and _raw_chinese(node.right))
    if isinstance(node, ast.Call):
        # "……{x}".format(x=…) is Chinese in place; any other call (gettext, a helper, "、".join) is not.
        func = node.func
        return isinstance(func, ast.Attribute) and func.attr == "format" and _raw_chinese(func.value)
    if isinstance(node, ast.Dict):
        return any(_raw_chinese(value) for value in node.values)
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return any(_raw_chinese(element) for element in node.elts)
    if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
        return _raw_chinese(node.elt)
    if isinstance(node, ast.DictComp):
        return _raw_chinese(node.value)
    if isinstance(node, ast.IfExp):
        return _raw_chinese(node.body) or _raw_chinese(node.orelse)
    if isinstance(node, ast.BoolOp):
        return any(_raw_chinese(value) for value in node.values)
    return False


def _message_arguments(call: ast.Call, position: int) -> list[ast.expr]:
    arguments = list(call.args[position : position + 1])
    return arguments + [keyword.value for keyword in call.keywords if keyword.arg in MESSAGE_KEYWORDS]


def _messages_in(tree: ast.AST, *, guards: bool, wording: bool = False) -> Iterator[tuple[int, ast.expr]]:
    """(line, expression) of every message in a module; in a guards module also the lists of reasons returned, in a
    wording module every value returned."""
    raised = {id(node.exc) for node in ast.walk(tree) if isinstance(node, ast.Raise) and node.exc is not None}
    notifies = any(isinstance(node, ast.Call) and _name(node.func) in NOTIFICATION_CALLS for node in ast.walk(tree))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _name(node.func)
            yield from ((node.lineno, k.value) for k in node.keywords if k.arg in STEP_KEYWORDS)
            if name in NOTIFICATION_CALLS:
                yield from ((node.lineno, k.value) for k in node.keywords if k.arg in NOTIFICATION_KEYWORDS)
                if name == "Message":
                    yield from ((node.lineno, argument) for argument in node.args)
            if id(node) in raised:
                yield from ((node.lineno, argument) for argument in [*node.args, *(k.value for k in node.keywords)])
            elif name in MESSAGE_CALLS:
                yield from ((node.lineno, argument) for argument in _message_arguments(node, MESSAGE_CALLS[name]))
            elif name in MESSAGE_FUNCTIONS and _name(getattr(node.func, "value", None)) == "messages":
                yield from ((node.lineno, argument) for argument in _message_arguments(node, MESSAGE_FUNCTIONS[name]))
            elif name == "add_error":
                yield from ((node.lineno, argument) for argument in _message_arguments(node, 1))
            elif name and (name.endswith("Error") or name.endswith("_error")):
                # An error built to be raised later, or a helper that builds one (rule_error, FieldError).
                yield from ((node.lineno, argument) for argument in _message_arguments(node, 0))
            elif name in {"append", "extend"} and _name(getattr(node.func, "value", None)) in REASON_LISTS:
                yield from ((node.lineno, argument) for argument in node.args)
            elif name in {"JsonResponse", "create_response"}:
                yield from ((node.lineno, argument) for argument in node.args if isinstance(argument, ast.Dict))
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Subscript):
                    target = target.value  # errors["field"] = …
                name = _name(target)
                if (
                    name in MESSAGE_VARIABLES
                    or (name and MESSAGE_CONSTANT.match(name))
                    or (notifies and name in NOTIFICATION_VARIABLES)
                ):
                    yield node.lineno, node.value
        elif (guards and isinstance(node, ast.Return) and isinstance(node.value, (ast.List, ast.ListComp))) or (
            wording and isinstance(node, ast.Return) and node.value is not None
        ):
            yield node.lineno, node.value


def _offences(relative: str, source: str) -> list[str]:
    tree = ast.parse(source)
    guards = Path(relative).name == "guards.py"
    wording = relative in WORDING_MODULES
    found = {
        line for line, expression in _messages_in(tree, guards=guards, wording=wording) if _raw_chinese(expression)
    }
    return [f"{relative}:{line}" for line in sorted(found)]


def _product_modules() -> Iterator[tuple[str, str]]:
    for path in sorted(SHENBAO.rglob("*.py")):
        relative = path.relative_to(SHENBAO).as_posix()
        parts = path.relative_to(SHENBAO).parts
        if "migrations" in parts or "management" in parts or relative in CONSOLE_ONLY:
            continue
        yield relative, path.read_text(encoding="utf-8")


def test_every_message_a_user_reads_is_translatable() -> None:
    offences = [offence for relative, source in _product_modules() for offence in _offences(relative, source)]
    assert offences == [], "wrap the message in gettext with named placeholders:\n" + "\n".join(offences)


def test_the_scan_sees_every_kind_of_raw_message() -> None:
    planted = (
        "def view(request, form, deadline, reasons):\n"
        "    messages.success(request, '已保存。')\n"
        "    messages.error(request, f'已于{deadline}截止。')\n"
        "    form.add_error('name', '必填。')\n"
        "    reasons.append('尚未填写' + form.name)\n"
        "    errors = [ValidationError({'name': '名称重复。'})]\n"
        "    raise PermissionDenied('您无权操作。')\n"
        "def other():\n"
        "    raise CallTransitionError('不能发布：{}'.format(1))\n"
        "def api():\n"
        "    raise HttpError(409, '已提交。')\n"
        "    return JsonResponse({'detail': '请先登录。'}, status=401)\n"
        "def service(errors, count):\n"
        "    errors['amount'] = '请填写金额。'\n"
        "    message = f'已导入{count}个日期。'\n"
        "THROTTLED_MESSAGE = '过于频繁，请稍后再试。'\n"
    )
    assert [offence.split(":")[1] for offence in _offences("app/views.py", planted)] == [
        "2",
        "3",
        "4",
        "5",
        "6",
        "7",
        "9",
        "11",
        "12",
        "14",
        "15",
        "16",
    ]
    assert _offences("app/guards.py", "def g():\n    return [f'已于{x}截止。']\n") == ["app/guards.py:2"]


def test_the_scan_sees_raw_notification_words() -> None:
    planted = (
        "def tell(users, number):\n"
        "    create_notifications(recipients=users, event='x', title=f'答辩安排：{number}', body=_('好'))\n"
        "    title = '管理员角色已变更'\n"
        "    notify_users(users=users, title=title, body='请及时办理。')\n"
        "STEP = Transition('submit', _('提交'), phrase='已提交',\n"
        "    asks=[['first_reviewer', '请进行资格初审。'\n"
        "]])\n"
        "def later():\n"
        "    return Message('x', _('标题'), f'{number}已提交。', '/')\n"
    )
    assert [offence.split(":")[1] for offence in _offences("app/services.py", planted)] == ["2", "3", "4", "5", "9"]
    assert _offences("notifications/messages.py", "def f(days):\n    return f'将于{days}天后到期'\n") == [
        "notifications/messages.py:2"
    ]
    assert _offences("app/services.py", "def f(n):\n    title = f'第{n}轮'\n") == []  # no notification here


def test_gettext_and_variables_pass() -> None:
    fine = (
        "def view(request, form, deadline, reason):\n"
        "    messages.success(request, _('已保存。'))\n"
        "    messages.error(request, _('已于%(deadline)s截止。') % {'deadline': deadline})\n"
        "    form.add_error('name', reason)\n"
        "    raise ValidationError('；'.join(reasons))\n"
        "    raise ValueError(f'unknown kind {kind!r}')\n"
    )
    assert _offences("app/views.py", fine) == []


@pytest.fixture
def english(settings: Any, tmp_path: Path) -> Iterator[None]:
    settings.LOCALE_PATHS = [compile_english_catalogue(tmp_path)]
    with translation.override("en"):
        yield


def test_refusals_read_in_english_with_their_values(english: None) -> None:
    assert check_credit_code("91140500").error == "A unified social credit code has 18 characters; this one has 8."
    assert resubmission_due_in_future(application=None, actor=None, payload={}, at=timezone.now()) == [
        "Please enter the deadline for supplementary materials (format: year-month-day)."
    ]


def test_refusals_stay_chinese_by_default() -> None:
    assert check_credit_code("91140500").error == "统一社会信用代码应为18位，当前为8位。"
