"""The roles of DOMAIN.md §2 and which organisations may hold them.

Declared once here; rules predicates (`shenbao.accounts.rules`), navigation and list scoping all read
this table, so adding a role is one entry.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from shenbao.organisations.models import Organisation

Kind = Organisation.Kind
Function = Organisation.Function


class Role(models.TextChoices):
    APPLICANT = "applicant", _("申报单位经办人")
    COUNTY_REVIEWER = "county_reviewer", _("县级初审人员")
    DEPARTMENT_REVIEWER = "department_reviewer", _("主管部门初审人员")
    CITY_REVIEWER = "city_reviewer", _("市级复核人员")
    CALL_ADMIN = "call_admin", _("申报管理员（技能办）")
    EXPERT = "expert", _("评审专家")
    CONSULTED_DEPARTMENT = "consulted_department", _("征求意见部门人员")
    PROVINCE_OBSERVER = "province_observer", _("省级查看人员")
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")


@dataclass(frozen=True)
class RoleRule:
    """Which organisations a role may be held in (kinds, and for government bodies, functions)."""

    kinds: frozenset
    functions: frozenset = frozenset()

    def allows(self, organisation):
        if organisation.kind not in self.kinds:
            return False
        return not self.functions or organisation.function in self.functions


ROLE_RULES = {
    Role.APPLICANT: RoleRule(frozenset({Kind.APPLICANT_UNIT})),
    Role.COUNTY_REVIEWER: RoleRule(frozenset({Kind.GOVERNMENT}), frozenset({Function.COUNTY_HR_BUREAU})),
    Role.DEPARTMENT_REVIEWER: RoleRule(frozenset({Kind.GOVERNMENT}), frozenset({Function.COMPETENT_DEPARTMENT})),
    Role.CITY_REVIEWER: RoleRule(
        frozenset({Kind.GOVERNMENT}), frozenset({Function.CITY_HR_BUREAU, Function.CITY_ORG_DEPARTMENT})
    ),
    Role.CALL_ADMIN: RoleRule(frozenset({Kind.GOVERNMENT}), frozenset({Function.CITY_SKILLS_OFFICE})),
    # Experts belong to their own work unit, which may itself be an applicant (conflict checks use it).
    Role.EXPERT: RoleRule(frozenset({Kind.APPLICANT_UNIT, Kind.GOVERNMENT, Kind.OTHER})),
    Role.CONSULTED_DEPARTMENT: RoleRule(
        frozenset({Kind.GOVERNMENT}),
        frozenset({Function.TAX_BUREAU, Function.COMPETENT_DEPARTMENT, Function.CONSULTED_DEPARTMENT}),
    ),
    # 省人社厅: reads every city's figures, changes nothing.
    Role.PROVINCE_OBSERVER: RoleRule(frozenset({Kind.GOVERNMENT}), frozenset({Function.PROVINCE_HR_DEPARTMENT})),
    Role.SYSTEM_ADMIN: RoleRule(frozenset({Kind.PLATFORM})),
    Role.SECURITY_ADMIN: RoleRule(frozenset({Kind.PLATFORM})),
    Role.AUDIT_ADMIN: RoleRule(frozenset({Kind.PLATFORM})),
}

# 三权分立: an administrator role is held alone, never with another role.
EXCLUSIVE_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})

# Roles whose holders act for the city that issues a call (they see the whole city).
CITY_WIDE_ROLES = frozenset({Role.CITY_REVIEWER, Role.CALL_ADMIN})
