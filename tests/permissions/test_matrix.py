"""The permission matrix: every entry of tests/permissions/entries/ checked for every role × relation.

The scenario is built once per module (i.e. once per xdist worker that runs any of these items) inside a
transaction rolled back at the end, so the rest of the suite never sees it. Every request runs in a savepoint that
is rolled back, so an allowed POST cannot change what the next check sees.
"""

import json
import traceback
from http.cookies import SimpleCookie

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.forms.models import model_to_dict
from django.test import Client, override_settings
from django.urls import reverse

from .dsl import ANON, LOGIN, OK, REDIRECT, REFUSED, ROLES
from .registry import all_entries, builders
from .scenario import PerRole, build_scenario


@pytest.fixture(scope="module")
def scenario(django_db_setup, django_db_blocker):
    # The production rule: staff, experts and administrators need the second factor (their sessions carry a
    # verified TOTP device, see scenario.SESSION_HOOKS), so the matrix sees what production users see.
    with django_db_blocker.unblock(), override_settings(SHENBAO_REQUIRE_SECOND_FACTOR=True):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = build_scenario()
            for source, build in builders():
                _run_build(built, source, build)
            built.log_in_everyone()
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _run_build(scenario, source, build):
    """One entry file's build() in a savepoint: if it fails, only that file's entries (and those using its kinds)
    fail, with its traceback, instead of the whole matrix."""
    before = set(scenario.kinds)
    try:
        with transaction.atomic():
            build(scenario)
    except Exception:
        scenario.build_errors[source] = traceback.format_exc()
        for kind in set(scenario.kinds) - before:
            del scenario.kinds[kind]


def _login_path():
    return reverse(settings.LOGIN_URL) if ":" in settings.LOGIN_URL else settings.LOGIN_URL


def _outcome(response):
    location = response.get("Location", "")
    if response.status_code in {301, 302, 303} and location.split("?")[0] == _login_path():
        return LOGIN
    return response.status_code


def _satisfied(expected, response):
    outcome = _outcome(response)
    if expected == OK:
        return 200 <= response.status_code < 300 or outcome in {301, 302, 303}
    if expected == REDIRECT:
        return outcome in {301, 302, 303}
    if expected == REFUSED:
        return outcome in {403, 404}
    return outcome == expected


def _snapshot(obj, entry):
    """The object's stored fields (re-read) and the entry's `watch` value: a refused request changes neither."""
    fresh, values = obj, None
    if obj is not None and hasattr(obj, "_meta"):
        fresh = type(obj)._base_manager.filter(pk=obj.pk).first()
        if fresh is not None:
            values = {key: str(value) for key, value in model_to_dict(fresh).items()}
    watched = entry.watch(fresh) if entry.watch else None
    return values, watched


def _value(spec, obj, default):
    if spec is None:
        return default
    return spec(obj) if callable(spec) else spec


# One client for every check: a new one would load the whole middleware stack again for each of the thousands of
# requests (as production loads it once per process). Its cookies are emptied before each check, so each request
# carries only the session it is made as, like a new client's.
_CLIENT = Client()


def _request(entry, obj, session_key):
    client = _CLIENT
    client.cookies = SimpleCookie()
    if session_key:
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    default_kwargs = {"public_id": obj.public_id} if hasattr(obj, "public_id") else {}
    url = reverse(entry.url, kwargs=_value(entry.kwargs, obj, default_kwargs))
    query = _value(entry.query, obj, "")
    if query:
        url = f"{url}?{query}"
    data = _value(entry.data, obj, {})
    method = entry.method.lower()
    if method in {"get", "head"}:
        return getattr(client, method)(url)
    if entry.json:
        return getattr(client, method)(url, data=json.dumps(data), content_type="application/json")
    if method == "post":
        return client.post(url, data)
    return getattr(client, method)(url, data=data)


def _cases(entry, scenario):
    """(label, user, relation, object, expected) for every role × relation of the entry's kind; then, for objects
    with relations, the other city's staff, who are refused whatever the relation (unless the page is public)."""
    kind = scenario.kinds[entry.obj] if entry.obj else None
    has_relations = bool(kind and kind.has_relations)
    relations = list(kind.objects) if kind else [None]
    if entry.relations is not None:
        relations = [relation for relation in relations if relation in entry.relations]
    for relation in relations:
        for role in ROLES:
            obj = kind.objects[relation] if kind else None
            if isinstance(obj, PerRole):
                obj = obj.for_role(role)
                if obj is None:
                    continue
            user = None if role == ANON else scenario.user_for(role, entry.obj)
            expected = entry.expectation(role, relation, has_relations=has_relations)
            yield role, user, relation, obj, expected
        obj = kind.objects[relation] if kind else None
        if not has_relations or isinstance(obj, PerRole):
            continue
        public = not _refusal(entry.expectation(ANON, relation, has_relations=True))
        for label, user in scenario.outsiders.items():
            # A public page treats them as any signed-in user of their role; otherwise they are refused.
            role = label.split("@")[0]
            yield (
                label,
                user,
                relation,
                obj,
                entry.expectation(role, relation, has_relations=True) if public else REFUSED,
            )


def _refusal(expected):
    return expected in {LOGIN, REFUSED} or (isinstance(expected, int) and expected >= 400)


ENTRIES = all_entries()


@pytest.mark.django_db
@pytest.mark.parametrize("entry", ENTRIES, ids=[entry.key for entry in ENTRIES])
def test_permission_matrix(entry, scenario, request):
    if entry.source in scenario.build_errors:
        pytest.fail(f"build() of entries/{entry.source}.py failed:\n{scenario.build_errors[entry.source]}")
    if entry.obj and entry.obj not in scenario.kinds:
        pytest.fail(f"{entry.key}: the scenario has no kind {entry.obj!r} (entries/{entry.source}.py)")
    mismatches, checks, allowed_checks = [], 0, 0
    cache.clear()  # rate limits (verify, objections) count per client address in the cache
    for role, user, relation, obj, expected in _cases(entry, scenario):
        session_key = scenario.sessions[user.pk] if user else None
        refused = _refusal(expected)
        if not refused:
            allowed_checks += 1
            if entry.sample is not None and allowed_checks > entry.sample:
                continue
        before = _snapshot(obj, entry) if refused and entry.method not in {"GET", "HEAD"} else None
        checks += 1
        label = f"{role}/{relation or '-'}"
        with transaction.atomic():
            try:
                response = _request(entry, obj, session_key)
            except Exception as error:  # a crash is one mismatch, not the end of the item
                mismatches.append(f"{label}: expected {expected}, raised {type(error).__name__}: {error}")
                response = None
            if response is not None and not _satisfied(expected, response):
                location = f" → {response['Location']}" if response.has_header("Location") else ""
                mismatches.append(f"{label}: expected {expected}, got {_outcome(response)}{location}")
            if response is not None and before is not None and _snapshot(obj, entry) != before:
                mismatches.append(f"{label}: refused with {response.status_code} but the object changed")
            transaction.set_rollback(True)  # whatever the request wrote, the next check starts from the scenario
    cache.clear()
    request.node.user_properties.append(("permission_checks", checks))  # summed by summary.py
    assert not mismatches, f"{entry.key} (entries/{entry.source}.py{'; ' + entry.note if entry.note else ''}):\n" + (
        "\n".join(mismatches)
    )
