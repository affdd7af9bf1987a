"""calls: public pages of the calls (申报通知) and their attachments; the call editor of the call administrator
(技能办), 404 for every other role (another city's administrator: tests/calls/test_editor.py)."""

import datetime

from django.utils import timezone

from shenbao.calls.models import Call, DeadlineExtension, ExtensionReason
from tests.permissions.dsl import ADMIN, OWN, allow, expect, get, post, public


def _slug(call):
    return {"slug": call.slug}


def _calls(_call):
    return list(Call.objects.order_by("pk").values_list("slug", "state", "loaded_at"))


def build(scenario):
    """One granted 延期提交 of the scenario's call, for a unit of the scenario (its revocation's page)."""
    unit = scenario.kinds["application.submitted"].objects[OWN].unit
    extension = DeadlineExtension.objects.create(
        call=scenario.call,
        unit=unit,
        deadline=max(scenario.call.submission_deadline, timezone.now()) + datetime.timedelta(days=30),
        reason_kind=ExtensionReason.SYSTEM_FAULT,
        reason="平台故障",
        granted_at=timezone.now(),
    )
    scenario.add("extension", extension)


def _extension(extension):
    return {"slug": extension.call.slug, "public_id": extension.public_id}


ENTRIES = [
    public("calls:list"),
    public("calls:detail", obj="call", kwargs=_slug),
    public(
        "calls:attachment",
        obj="call",
        kwargs=lambda call: {"slug": call.slug, "code": call.attachments.order_by("pk").first().code},
    ),
    get("calls:editor_list", allow(ADMIN), denied=404),
    get("calls:editor_detail", allow(ADMIN), denied=404, obj="call", kwargs=_slug),
    get("calls:editor_copy", allow(ADMIN), denied=404, obj="call", kwargs=_slug),
    post(
        "calls:editor_copy",
        expect(400, ADMIN),
        denied=404,
        obj="call",
        kwargs=_slug,
        data={},
        watch=_calls,
        note="an empty copy form is shown again with its errors (400)",
    ),
    get(
        "calls:editor_section",
        allow(ADMIN),
        denied=404,
        obj="call",
        kwargs=lambda call: {"slug": call.slug, "section": "general"},
    ),
    post(
        "calls:editor_section",
        expect(400, ADMIN),
        denied=404,
        obj="call",
        kwargs=lambda call: {"slug": call.slug, "section": "general"},
        data={},
        watch=_calls,
        note="an empty section fails the schema and is shown again with its errors (400)",
    ),
    get(
        "calls:editor_project_type",
        allow(ADMIN),
        denied=404,
        obj="call",
        kwargs=lambda call: {"slug": call.slug, "code": "workstation"},
    ),
    post(
        "calls:editor_project_type",
        expect(400, ADMIN),
        denied=404,
        obj="call",
        kwargs=lambda call: {"slug": call.slug, "code": "workstation"},
        data={},
        watch=_calls,
        note="an empty project type fails the schema and is shown again with its errors (400)",
    ),
    post(
        "calls:editor_project_type_remove",
        allow(ADMIN, status=302),
        denied=404,
        obj="call",
        kwargs=lambda call: {"slug": call.slug, "code": "workstation"},
        watch=lambda call: list(call.project_types.order_by("pk").values_list("code", flat=True)),
        note="the scenario's applications use the type: the removal is refused with a message",
    ),
    post(
        "calls:editor_attachment_upload",
        allow(ADMIN, status=302),
        denied=404,
        obj="call",
        kwargs=_slug,
        data={},
        watch=lambda call: list(call.attachments.order_by("pk").values_list("code", "title", "sha256")),
        note="an empty upload is refused with a message on the attachments page it returns to",
    ),
    get("calls:editor_preview", allow(ADMIN), denied=404, obj="call", kwargs=_slug),
    post(
        "calls:editor_publish",
        allow(ADMIN, status=302),
        denied=404,
        obj="call",
        kwargs=_slug,
        watch=_calls,
        note="the call is published already: the administrator is sent back with the reason",
    ),
    get("calls:editor_export", allow(ADMIN), denied=404, obj="call", kwargs=_slug),
    get("calls:extension_list", allow(ADMIN), denied=404, obj="call", kwargs=_slug),
    post(
        "calls:extension_list",
        expect(400, ADMIN),
        denied=404,
        obj="call",
        kwargs=_slug,
        data={},
        watch=lambda call: list(call.deadline_extensions.order_by("pk").values_list("pk", "state")),
        note="an empty grant form is shown again with its errors (400)",
    ),
    post(
        "calls:extension_revoke",
        allow(ADMIN, status=302),
        denied=404,
        obj="extension",
        kwargs=_extension,
        data={},
        note="no reason given: back to the extensions page with the message, nothing revoked",
    ),
]
