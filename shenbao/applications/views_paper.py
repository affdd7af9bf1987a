"""四 纸质材料: the 技能办 records the delivered paper copies; the unit uploads the signed and sealed 申报书 scan.

Both are posted from the status page (`views.application_detail`) and return to it. The application comes through
the scoping selector (outside the user's scope: 404); a visible application the user may not act on: 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from shenbao.core.files import serve_stored_file
from shenbao.core.http import error_messages, or_404, require_permission

from . import selectors
from .forms import PaperReceiptForm, SignedScanForm
from .paper import record_paper_receipt, upload_signed_scan


def _back(application):
    return redirect("applications:detail", public_id=application.public_id)


@login_required
@require_POST
def paper_receipt(request, public_id):
    application = or_404(selectors.get_visible_application, user=request.user, public_id=public_id)
    require_permission(request.user, "applications.record_paper_receipt", application)
    form = PaperReceiptForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(application)
    data = form.cleaned_data
    try:
        receipt = record_paper_receipt(
            application=application,
            user=request.user,
            received_on=data["received_on"],
            receiver=data["receiver"],
            copies=data["copies"],
            note=data["note"],
            request=request,
        )
    except ValidationError as error:
        for message in error_messages(error):
            messages.error(request, message)
    else:
        messages.success(request, _("已登记接收纸质材料%(copies)s份。") % {"copies": receipt.copies})
    return _back(application)


@login_required
@require_POST
def signed_scan_upload(request, public_id):
    application = or_404(selectors.get_visible_application, user=request.user, public_id=public_id)
    require_permission(request.user, "applications.upload_signed_scan", application)
    form = SignedScanForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择签字盖章的申报书扫描件（PDF）。"))
        return _back(application)
    try:
        upload_signed_scan(
            application=application, uploaded_file=form.cleaned_data["file"], user=request.user, request=request
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, "；".join(error_messages(error)))
    else:
        messages.success(request, _("签字盖章扫描件已上传。"))
    return _back(application)


@login_required
@require_GET
def signed_scan_download(request, scan_public_id):
    scan = or_404(selectors.get_visible_signed_scan, user=request.user, public_id=scan_public_id)
    return serve_stored_file(
        request,
        file=scan.file,
        filename=scan.original_name,
        content_type=scan.content_type,
        event="application:signed_scan_download",
        target=scan,
        details={"number": scan.application.number, "file": scan.original_name},
    )
