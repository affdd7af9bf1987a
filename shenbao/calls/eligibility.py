"""Hard eligibility rules (硬性条件): the metrics a call file may name and how a rule is evaluated.

A call file can only name a metric listed here, because the applicant module must know how to compute it
from an application; a new metric therefore needs code (and a Chinese description), a new threshold does not.
"""

import operator as _operator
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from .models import EligibilityRule

KNOWN_METRICS = {
    "qualified_member_count": _("技师、高级技师及技术技能带头人人数"),
    "equipped_specialty_count": _("配有实训装备的急需紧缺特色专业（职业、工种）数"),
    "annual_trainee_count": _("年培训规模（人）"),
    "partner_enterprise_count": _("建立稳定合作关系的企业数"),
    "co_developed_specialty_count": _("与合作企业（院校）共同研究确定的专业数"),
}

_COMPARE = {
    EligibilityRule.Operator.GTE: _operator.ge,
    EligibilityRule.Operator.GT: _operator.gt,
    EligibilityRule.Operator.LTE: _operator.le,
    EligibilityRule.Operator.LT: _operator.lt,
    EligibilityRule.Operator.EQ: _operator.eq,
}


def evaluate_rule(*, rule, value):
    """True when `value` satisfies the hard rule (e.g. 3 members against "≥ 3"); a missing value fails."""
    if rule.kind != EligibilityRule.Kind.HARD:
        raise ValueError(f"rule {rule.code} is qualitative and has no metric to evaluate")
    if value is None:
        return False
    return _COMPARE[rule.operator](Decimal(value), rule.threshold)
