"""calls: public pages of the calls (申报通知) and their attachments."""

from tests.permissions.dsl import public

ENTRIES = [
    public("calls:list"),
    public("calls:detail", obj="call", kwargs=lambda call: {"slug": call.slug}),
    public(
        "calls:attachment",
        obj="call",
        kwargs=lambda call: {"slug": call.slug, "code": call.attachments.order_by("pk").first().code},
    ),
]
