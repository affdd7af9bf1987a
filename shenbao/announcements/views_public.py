"""A city's 通知公告 on its portal (no log-in): published announcements only. A draft, one in review or a withdrawn
one answers 404 whatever its URL, as does an announcement of another city under this city's portal."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from shenbao.core.files import serve_stored_file
from shenbao.core.http import or_404, page_of
from shenbao.organisations.selectors import get_portal_city

from .selectors import get_public_announcement, get_public_attachment, list_attachments, list_public_announcements


@require_safe
def public_list(request, slug):
    city = or_404(get_portal_city, slug=slug)
    page_obj = page_of(request, list_public_announcements(city=city))
    return render(request, "announcements/public_list.html", {"portal_city": city, "page_obj": page_obj})


@require_safe
def public_detail(request, slug, public_id):
    city = or_404(get_portal_city, slug=slug)
    announcement = or_404(get_public_announcement, city=city, public_id=public_id)
    context = {
        "portal_city": city,
        "announcement": announcement,
        "attachments": list_attachments(announcement=announcement),
    }
    return render(request, "announcements/public_detail.html", context)


@require_safe
def public_attachment(request, slug, public_id):
    city = or_404(get_portal_city, slug=slug)
    attachment = or_404(get_public_attachment, city=city, public_id=public_id)
    return serve_stored_file(
        request,
        file=attachment.file,
        filename=attachment.original_name,
        content_type=attachment.content_type,
        event="announcement:download_attachment",
        target=attachment.announcement,
        details={"attachment": str(attachment.public_id), "public": True},
    )
