"""The materials page of an application (申报材料: list, upload, replace, remove) and the file download.

Both fetch through the application scoping rule, so another unit's (or county's) application or file is a 404.
The services in `materials.py` decide everything; these views only translate between HTTP and them.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from shenbao.core.files import serve_stored_file
from shenbao.core.http import or_404

from .materials import (
    get_visible_material,
    list_current_materials,
    list_material_rows,
    may_edit_materials,
    missing_required_materials,
    remove_material,
    upload_materials,
)
from .models import ApplicationMaterial
from .selectors import get_visible_application


class MaterialUploadForm(forms.Form):
    requirement = forms.CharField(widget=forms.HiddenInput)
    file = forms.FileField(label=gettext_lazy("选择文件"), allow_empty_file=True)

    def __init__(self, *args, requirements, **kwargs):
        super().__init__(*args, **kwargs)
        self.requirements = {requirement.code: requirement for requirement in requirements}

    def clean_requirement(self):
        requirement = self.requirements.get(self.cleaned_data["requirement"])
        if requirement is None or requirement.generated:
            raise ValidationError(_("请选择要上传的材料类别"))
        return requirement


def _get_application(request, public_id):
    return or_404(get_visible_application, user=request.user, public_id=public_id)


def _wants_json(request):
    """static/js/uploads.js sends one file per request and asks for JSON, to show each file's progress and result."""
    return "application/json" in request.headers.get("Accept", "")


def _upload(request, application, rows):
    """Upload every file of the form (several where the requirement allows); None when all were stored, else the
    form carrying one error per refused file (named), the stored ones being announced as messages."""
    form = MaterialUploadForm(request.POST, request.FILES, requirements=[row.requirement for row in rows])
    if not form.is_valid():
        return form, []
    requirement = form.cleaned_data["requirement"]
    try:
        results = upload_materials(
            application=application,
            requirement=requirement,
            uploaded_files=request.FILES.getlist("file"),
            user=request.user,
        )
    except ValidationError as exc:
        form.add_error("file", exc)
        return form, []
    for result in results:
        if result.ok:
            names = {"file": result.name, "material": requirement.name}
            messages.success(request, _("已上传“%(file)s”作为“%(material)s”") % names)
        else:
            for error in result.errors:
                form.add_error("file", _("“%(file)s”：%(error)s") % {"file": result.name, "error": error})
    return (None if all(result.ok for result in results) else form), results


def _upload_json(form, results):
    """One file's outcome for static/js/uploads.js: 200 with the stored name, or 400 with the reasons."""
    if form is None:
        return JsonResponse({"ok": True, "name": results[0].name})
    refused = [error for result in results for error in result.errors]
    errors = refused or [str(message) for messages_ in form.errors.values() for message in messages_]
    return JsonResponse({"ok": False, "name": results[0].name if results else "", "errors": errors}, status=400)


def _remove(request, application):
    try:
        material = list_current_materials(application=application).get(public_id=request.POST.get("material"))
    except (ApplicationMaterial.DoesNotExist, ValidationError) as exc:
        raise Http404 from exc
    try:
        remove_material(material=material, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已移除“%(file)s”，该文件仍保留在历史记录中") % {"file": material.original_name})


@login_required
@require_http_methods(["GET", "POST"])
def materials(request, public_id):
    application = _get_application(request, public_id)
    can_edit = may_edit_materials(user=request.user, application=application)
    rows = list_material_rows(application=application)
    form = None
    if request.method == "POST":
        if not can_edit:
            if _wants_json(request):
                return JsonResponse({"ok": False, "errors": [_("当前状态下不能更改申报材料")]}, status=403)
            messages.error(request, _("当前状态下不能更改申报材料"))
            return redirect("applications:materials", public_id=application.public_id)
        if request.POST.get("action") == "remove":
            _remove(request, application)
            return redirect("applications:materials", public_id=application.public_id)
        form, results = _upload(request, application, rows)
        if _wants_json(request):
            return _upload_json(form, results)
        if form is None:
            return redirect("applications:materials", public_id=application.public_id)
    failed_code = form.data.get("requirement") if form is not None else None
    context = {
        "application": application,
        "rows": rows,
        "can_edit": can_edit,
        "form": form,
        "failed_code": failed_code,
        "missing": missing_required_materials(application=application),
    }
    return render(request, "applications/materials.html", context)


@login_required
@require_GET
def material_download(request, material_public_id):
    material = or_404(get_visible_material, user=request.user, public_id=material_public_id)
    # Reviewers read the unit's files in the inline viewer: who read which file is on record, as for the experts.
    return serve_stored_file(
        request,
        file=material.file,
        filename=material.original_name,
        content_type=material.content_type,
        event="application:material_download",
        target=material,
        details={"number": material.application.number, "file": material.original_name},
    )
