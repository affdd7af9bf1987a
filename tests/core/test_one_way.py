"""The pieces every app shares instead of its own copy: money, the revision check, a service's refusal on a form.

Their pages are tested through HTTP in the apps that use them (funding's payment form, the score sheet's stale
save, the objection form); here the boundaries of each rule.
"""

from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError

from shenbao.core.forms import add_service_errors
from shenbao.core.money import MoneyError, format_wan_yuan, format_yuan, parse_money
from shenbao.core.revisions import StaleRevisionError, check_revision


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120000", Decimal("120000.00")),
        ("1,200.5", Decimal("1200.50")),
        (" 0.01 ", Decimal("0.01")),
        (0.1, Decimal("0.10")),  # a YAML float reads as written, not as its binary expansion
        (300000, Decimal("300000.00")),
        (Decimal("12.3"), Decimal("12.30")),
    ],
)
def test_money_is_read_to_the_fen(value, expected):
    assert parse_money(value, positive=True) == expected


@pytest.mark.parametrize("value", ["0.001", "abc", "", None, True, "NaN", "Infinity", "-0.01"])
def test_what_is_not_money_is_refused_with_the_one_message(value):
    with pytest.raises(MoneyError) as refused:
        parse_money(value)
    assert refused.value.messages == ["必须为不小于0的金额（元），最多两位小数，例如 120000.00"]
    assert refused.value.code == "invalid_amount"


def test_zero_is_money_unless_a_positive_amount_is_asked_for():
    assert parse_money("0") == Decimal("0.00")
    with pytest.raises(MoneyError, match="必须为大于0的金额"):
        parse_money("0", positive=True)


def test_a_blank_amount_stands_for_what_the_caller_says():
    assert parse_money("", blank=Decimal("0.00")) == Decimal("0.00")
    assert parse_money(None, blank=Decimal("0.00")) == Decimal("0.00")


def test_money_reads_in_yuan_and_wan_yuan():
    assert format_yuan(Decimal("300000")) == "¥300,000.00"
    assert format_wan_yuan(Decimal("300000.00")) == "30万元"
    assert format_wan_yuan(Decimal("255000")) == "25.5万元"


def test_the_revision_check_refuses_an_older_copy_and_a_missing_revision():
    check_revision(current=3, expected="3", what="评分表")
    check_revision(current=3, expected=" 3 ", what="评分表")
    for expected in ("2", "", None, "3.0", "x"):
        with pytest.raises(StaleRevisionError) as stale:
            check_revision(current=3, expected=expected, what="评分表")
        assert stale.value.current_revision == 3
        assert stale.value.code == "stale_revision"
        assert stale.value.messages[0].startswith("评分表已在其他窗口保存过")


def test_an_optional_revision_is_checked_only_when_given():
    check_revision(current=3, expected=None, what="申报内容", optional=True)
    with pytest.raises(StaleRevisionError):
        check_revision(current=3, expected="2", what="申报内容", optional=True)


class _Form(forms.Form):
    name = forms.CharField(required=False)
    password1 = forms.CharField(required=False)


def test_a_refusal_keyed_by_field_lands_on_the_field_it_names():
    form = _Form({})
    form.is_valid()
    error = ValidationError({"name": "名称重复。", "password": "太短。", "organisation": "单位已停用。"})

    add_service_errors(form, error, field_map={"password": "password1", "organisation": None})

    assert form.errors["name"] == ["名称重复。"]
    assert form.errors["password1"] == ["太短。"]
    assert form.non_field_errors() == ["单位已停用。"]


@pytest.mark.parametrize(
    "error",
    [ValidationError(["甲。", "乙。"]), PermissionDenied("只有本单位经办人可以修改。")],
    ids=["plain", "denied"],
)
def test_any_other_refusal_lands_on_the_form(error):
    form = _Form({})
    form.is_valid()

    add_service_errors(form, error)

    expected = ["甲。", "乙。"] if isinstance(error, ValidationError) else ["只有本单位经办人可以修改。"]
    assert form.non_field_errors() == expected
    assert not form.errors.get("name")
