"""The entry format of the permission matrix (权限矩阵): one `check` per URL pattern (or API operation) and method.

An entry says which URL it calls, on which scenario object, and what each role gets for each relation of that object
to the role's user. Only the exceptions are written: every (role, relation) not matched by a rule gets the
entry's default (`LOGIN` for the anonymous visitor, `denied` for everyone else). See README.md.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from shenbao.accounts.roles import Role

# --- Roles: the anonymous visitor and the ten roles of shenbao/accounts/roles.py -------------------------------
ANON = "anonymous"
APPLICANT = Role.APPLICANT.value
COUNTY = Role.COUNTY_REVIEWER.value
DEPARTMENT = Role.DEPARTMENT_REVIEWER.value
CITY = Role.CITY_REVIEWER.value
ADMIN = Role.CALL_ADMIN.value
EXPERT = Role.EXPERT.value
CONSULTED = Role.CONSULTED_DEPARTMENT.value
SYSADMIN = Role.SYSTEM_ADMIN.value
SECADMIN = Role.SECURITY_ADMIN.value
AUDITADMIN = Role.AUDIT_ADMIN.value
PROVINCE = Role.PROVINCE_OBSERVER.value  # 省级查看人员: reads every city's figures, changes nothing

ROLES = (ANON, *Role.values)
LOGGED_IN = tuple(Role.values)
STAFF = (COUNTY, DEPARTMENT, CITY, ADMIN, CONSULTED)  # government users who take part in the review
PLATFORM = (SYSADMIN, SECADMIN, AUDITADMIN)  # 三权分立 administrators

# --- Relations of the scenario object to the role's user (see README.md for their exact meaning per kind) ------
OWN = "own"
SAME_COUNTY = "same_county"
OTHER_COUNTY = "other_county"
CITY_DIRECT = "city_direct"
UNASSIGNED = "unassigned"
RELATIONS = (OWN, SAME_COUNTY, OTHER_COUNTY, CITY_DIRECT, UNASSIGNED)
ANY = "*"  # every relation the object kind has

# --- Expected outcomes besides a plain status code --------------------------------------------------------------
LOGIN = "login"  # 302 to the log-in page
REDIRECT = "redirect"  # 301/302/303 to anywhere but the log-in page
OK = "ok"  # 2xx, or a redirect that is not to the log-in page (an allowed POST: saved, or the form shown again)
REFUSED = "refused"  # 403 or 404 (what another city's staff get for this city's objects)


@dataclass(frozen=True)
class Rule:
    roles: tuple
    relations: tuple  # relation names, or (ANY,)
    expected: Any

    def matches(self, role, relation):
        return role in self.roles and (ANY in self.relations or relation in self.relations)


def _roles(roles):
    flat = []
    for role in roles:
        flat.extend(role if isinstance(role, (tuple, list, set, frozenset)) else [role])
    unknown = set(flat) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    return tuple(flat)


def _relations(on):
    relations = (on,) if isinstance(on, str) else tuple(on)
    unknown = set(relations) - set(RELATIONS) - {ANY}
    assert not unknown, f"unknown relations {unknown}"
    return relations


def expect(expected, *roles, on=ANY):
    """`roles` get `expected` (a status code, LOGIN, REDIRECT or OK) on the objects of relation(s) `on`."""
    return Rule(_roles(roles), _relations(on), expected)


def allow(*roles, on=ANY, status=None):
    """`roles` may use the URL on objects of relation(s) `on`: 200 for GET/HEAD, OK for other methods."""
    return Rule(_roles(roles), _relations(on), status if status is not None else "allowed")


@dataclass(frozen=True)
class Entry:
    url: str  # "namespace:name" as for reverse()
    method: str = "GET"
    rules: tuple = ()
    obj: str | None = None  # a scenario kind ("application.submitted"); None: a page without an object
    kwargs: Callable | dict | None = None  # obj -> reverse() kwargs; default {"public_id": obj.public_id}
    query: Callable | str | None = None  # obj -> query string (without "?")
    data: Callable | dict | None = None  # obj -> POST data
    json: bool = False  # send `data` as a JSON body (API operations) instead of a form
    watch: Callable | None = None  # obj -> a value that a refused request must leave unchanged
    denied: Any = None  # what a logged-in role without a rule gets; default 404 with relations, else 403
    anonymous: Any = LOGIN  # what the anonymous visitor gets without a rule
    relations: tuple | None = None  # restrict to these relations of the kind (default: all the kind has)
    note: str = ""
    sample: int | None = None  # expensive responses (generated PDFs): at most this many allowed checks; every
    # refusal is still checked, since refusals are what a leak would break
    variant: str = ""  # tells apart two entries of the same URL, method and kind (e.g. two transition names)
    source: str = field(default="", compare=False)  # the entry file (filled in by the registry)

    @property
    def key(self):
        return (
            f"{self.method} {self.url}"
            + (f" [{self.obj}]" if self.obj else "")
            + (f" ({self.variant})" if self.variant else "")
        )

    def expectation(self, role, relation, *, has_relations):
        for rule in reversed(self.rules):
            if rule.matches(role, relation):
                if rule.expected == "allowed":
                    return 200 if self.method in {"GET", "HEAD"} else OK
                return rule.expected
        if role == ANON:
            return self.anonymous
        if self.denied is not None:
            return self.denied
        return 404 if has_relations else 403


def check(method, url, *rules, **options):
    return Entry(url=url, method=method, rules=tuple(rules), **options)


def get(url, *rules, **options):
    return check("GET", url, *rules, **options)


def post(url, *rules, **options):
    return check("POST", url, *rules, **options)


def public(url, *rules, **options):
    """A page everybody may GET, anonymous visitors included (unless a rule says otherwise)."""
    return check("GET", url, allow(ROLES), *rules, **options)
