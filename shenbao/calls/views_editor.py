"""The call editor (申报通知编辑) of the call administrator (技能办): copy, edit by section, preview, publish, export.

Every call is fetched through `selectors.get_city_call` with the administrator's city: another city's call, and
every page for any other role, answer 404. The writes are `editing`'s services.
"""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from shenbao.core.http import form_error_messages, or_404, page_of, permission_required

from . import editor_forms, selectors
from .aggregation import rule_of
from .editing import (
    CallChangeNeedsConfirmation,
    CallChangeRefused,
    copy_call,
    publish_call,
    save_call_changes,
    upload_call_attachment,
)
from .exports import dump_call_yaml, export_call_document
from .models import CallState
from .rules import get_admin_city
from .services import CallFileError
from .workflow import CallTransitionError

EDIT = "calls.edit_calls"
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024


class AttachmentUploadForm(forms.Form):
    code = forms.SlugField(
        label=gettext_lazy("附件代码"),
        max_length=48,
        help_text=gettext_lazy("已有代码：更换该附件的文件；新代码：新增附件。"),
    )
    title = forms.CharField(label=gettext_lazy("附件标题"), max_length=128)
    file = forms.FileField(label=gettext_lazy("文件"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > ATTACHMENT_MAX_BYTES:
            raise forms.ValidationError(_("文件不能超过20MB。"))
        return upload


class CopyForm(forms.Form):
    slug = forms.SlugField(
        label=gettext_lazy("新通知标识"),
        max_length=64,
        help_text=gettext_lazy("小写字母、数字和连字符，如「城市拼音-年度」。"),
    )
    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=2000, max_value=2100)
    application_number_prefix = forms.CharField(label=gettext_lazy("申报编号前缀"), max_length=16)


def _call(request, slug):
    return or_404(selectors.get_city_call, city=get_admin_city(request.user), slug=slug)


@permission_required(EDIT, hidden=True)
@require_safe
def editor_list(request):
    page = page_of(request, selectors.list_city_calls(city=get_admin_city(request.user)))
    return render(request, "calls/editor/list.html", {"page_obj": page, "calls": page.object_list})


@permission_required(EDIT, hidden=True)
@require_http_methods(["GET", "HEAD", "POST"])
def editor_copy(request, slug):
    source = _call(request, slug)
    year = source.year + 1
    form = CopyForm(
        request.POST or None,
        initial={
            "slug": source.slug.replace(str(source.year), str(year)),
            "year": year,
            "application_number_prefix": source.application_number_prefix.replace(str(source.year), str(year)),
        },
    )
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            call = copy_call(source=source, actor=request.user, request=request, **form.cleaned_data)
        except CallFileError as exc:
            errors = exc.lines
        else:
            messages.success(request, _("已复制为草稿「%(title)s」，发布前仅技能办可见。") % {"title": call.title})
            return redirect("calls:editor_detail", slug=call.slug)
    status = 400 if request.method == "POST" else 200
    return render(request, "calls/editor/copy.html", {"source": source, "form": form, "errors": errors}, status=status)


@permission_required(EDIT, hidden=True)
@require_safe
def editor_detail(request, slug):
    call = _call(request, slug)
    document = export_call_document(call)
    context = {
        "call": call,
        "is_draft": call.state == CallState.DRAFT,
        "sections": editor_forms.CALL_SECTIONS,
        "project_types": document["project_types"],
        "versions": selectors.list_call_versions(call=call),
    }
    return render(request, "calls/editor/detail.html", context)


def _edit(request, call, document, *, title, fields, data, prefix):
    """GET shows the section (`data`: the part of `document` it edits); POST reads it into the document, validates
    and saves it (see `editing`)."""
    values = editor_forms.initial_values(fields, data)
    errors, confirmations, status = {}, [], 200
    if request.method == "POST":
        posted, errors = editor_forms.read_section(fields, request.POST)
        values = editor_forms.posted_values(fields, request.POST)
        if not errors:
            editor_forms.apply_values(data, posted)
            try:
                _saved, summary = save_call_changes(
                    call=call,
                    document=document,
                    actor=request.user,
                    confirmed=request.POST.get("confirm") == "1",
                    request=request,
                )
            except CallFileError as exc:
                errors = editor_forms.errors_by_field(exc.lines, prefix=prefix)
            except CallChangeRefused as exc:
                errors = {None: exc.lines}
            except CallChangeNeedsConfirmation as exc:
                confirmations = exc.lines
            else:
                if summary:
                    messages.success(request, _("已保存：") + "；".join(summary))
                else:
                    messages.info(request, _("内容未变更。"))
                return redirect("calls:editor_detail", slug=call.slug)
        status = 400
    rows = [
        {"field": field, "value": values[field.key], "errors": errors.get(field.key, []), "id": f"id_{field.key}"}
        for field in fields
    ]
    context = {
        "call": call,
        "title": title,
        "rows": rows,
        "upload_form": AttachmentUploadForm() if "attachments" in [field.key for field in fields] else None,
        "general_errors": errors.get(None, []),
        "all_errors": [line for lines in errors.values() for line in lines],
        "confirmations": confirmations,
    }
    return render(request, "calls/editor/section.html", context, status=status)


@permission_required(EDIT, hidden=True)
@require_http_methods(["GET", "HEAD", "POST"])
def editor_section(request, slug, section):
    call = _call(request, slug)
    found = editor_forms.get_section(section)
    if found is None:
        raise Http404
    document = export_call_document(call)
    return _edit(request, call, document, title=found.label, fields=found.fields, data=document, prefix="")


@permission_required(EDIT, hidden=True)
@require_http_methods(["GET", "HEAD", "POST"])
def editor_project_type(request, slug, code):
    call = _call(request, slug)
    document = export_call_document(call)
    codes = [project_type["code"] for project_type in document["project_types"]]
    if code not in codes:
        raise Http404
    index = codes.index(code)
    return _edit(
        request,
        call,
        document,
        title=_("项目类别：%(name)s") % {"name": document["project_types"][index]["name"]},
        fields=editor_forms.PROJECT_TYPE_FIELDS,
        data=document["project_types"][index],
        prefix=f"project_types[{index}].",
    )


@permission_required(EDIT, hidden=True)
@require_POST
def editor_project_type_remove(request, slug, code):
    """Leave a project type out of this call (e.g. a year that designates only one type); refused once used."""
    call = _call(request, slug)
    document = export_call_document(call)
    kept = [project_type for project_type in document["project_types"] if project_type["code"] != code]
    if len(kept) == len(document["project_types"]):
        raise Http404
    try:
        _saved, summary = save_call_changes(
            call=call, document={**document, "project_types": kept}, actor=request.user, request=request
        )
    except (CallFileError, CallChangeRefused, CallChangeNeedsConfirmation) as exc:
        for line in exc.lines:
            messages.error(request, line)
    else:
        messages.success(request, _("已保存：") + "；".join(summary))
    return redirect("calls:editor_detail", slug=call.slug)


@permission_required(EDIT, hidden=True)
@require_POST
def editor_attachment_upload(request, slug):
    call = _call(request, slug)
    form = AttachmentUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for text in form_error_messages(form):
            messages.error(request, text)
    else:
        upload = form.cleaned_data["file"]
        try:
            _saved, summary = upload_call_attachment(
                call=call,
                code=form.cleaned_data["code"],
                title=form.cleaned_data["title"],
                name=upload.name,
                content=upload.read(),
                actor=request.user,
                request=request,
            )
        except (CallFileError, CallChangeRefused, CallChangeNeedsConfirmation) as exc:
            for line in exc.lines:
                messages.error(request, line)
        else:
            messages.success(request, _("已保存：") + "；".join(summary) if summary else _("内容未变更。"))
    return redirect("calls:editor_section", slug=call.slug, section="attachments")


@permission_required(EDIT, hidden=True)
@require_safe
def editor_preview(request, slug):
    city = get_admin_city(request.user)
    call = or_404(selectors.get_call_detail, slug=slug, calls=selectors.list_city_calls(city=city))
    context = {
        "call": call,
        "project_types": selectors.list_project_type_details(call=call),
        "aggregation": rule_of(call).description,
        "preview": True,
    }
    return render(request, "calls/call_detail.html", context)


@permission_required(EDIT, hidden=True)
@require_POST
def editor_publish(request, slug):
    call = _call(request, slug)
    try:
        publish_call(call=call, actor=request.user, request=request)
    except CallTransitionError as exc:
        for reason in exc.reasons:
            messages.error(request, reason)
    else:
        messages.success(request, _("申报通知已发布，公众可见。"))
    return redirect("calls:editor_detail", slug=call.slug)


@permission_required(EDIT, hidden=True)
@require_safe
def editor_export(request, slug):
    call = _call(request, slug)
    response = HttpResponse(
        dump_call_yaml(export_call_document(call)).encode("utf-8"), content_type="application/x-yaml; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{call.slug}.yaml"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
