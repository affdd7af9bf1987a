"""The materials page of an application (申报材料: list, upload, replace, remove) and the file download.

Both fetch through the application scoping rule, so another unit's (or county's) application or file is a 404.
The services in `materials.py` decide everything; these views only translate between HTTP and them.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from shenbao.audit.services import record_event
from shenbao.core.files import stored_file_response
from shenbao.core.http import or_404

from .materials import (
    get_visible_material,
    list_current_materials,
    list_material_rows,
    may_edit_materials,
    missing_required_materials,
    remove_material,
    upload_material,
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


def _upload(request, application, rows):
    form = MaterialUploadForm(request.POST, request.FILES, requirements=[row.requirement for row in rows])
    if form.is_valid():
        requirement = form.cleaned_data["requirement"]
        uploaded_file = form.cleaned_data["file"]
        try:
            material = upload_material(
                application=application, requirement=requirement, uploaded_file=uploaded_file, user=request.user
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            names = {"file": material.original_name, "material": requirement.name}
            messages.success(request, _("已上传“%(file)s”作为“%(material)s”") % names)
            return None
    return form


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
        messages.success(request, _("已移除“%(file)s”,该文件仍保留在历史记录中") % {"file": material.original_name})


@login_required
@require_http_methods(["GET", "POST"])
def materials(request, public_id):
    application = _get_application(request, public_id)
    can_edit = may_edit_materials(user=request.user, application=application)
    rows = list_material_rows(application=application)
    form = None
    if request.method == "POST":
        if not can_edit:
            messages.error(request, _("当前状态下不能更改申报材料"))
            return redirect("applications:materials", public_id=application.public_id)
        if request.POST.get("action") == "remove":
            _remove(request, application)
            return redirect("applications:materials", public_id=application.public_id)
        form = _upload(request, application, rows)
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
    try:
        material = get_visible_material(user=request.user, public_id=material_public_id)
        handle = material.file.open("rb")
    except (ApplicationMaterial.DoesNotExist, FileNotFoundError) as exc:
        raise Http404 from exc
    # Reviewers read the unit's files in the inline viewer: who read which file is on record, as for the experts.
    record_event(
        event="application:material_download",
        actor=request.user,
        target=material,
        request=request,
        details={"number": material.application.number, "file": material.original_name},
    )
    return stored_file_response(request, handle, filename=material.original_name, content_type=material.content_type)
