"""复制往年申报 and the Excel import of a table: the pages and actions around `services_reuse`.

The list of earlier applications and the copy are the unit's applicant's; an earlier application is fetched through
`selectors.get_reusable_application` (another unit's answers 404). The import template and the upload hang off the
draft's section page; what the copy did stays visible on its own page and on each section until it is saved.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from shenbao.accounts.rules import is_applicant
from shenbao.calls import selectors as call_selectors
from shenbao.calls.extension_selectors import is_open_for_unit
from shenbao.calls.models import Call
from shenbao.core.http import or_404

from . import selectors, services_reuse, tableimport
from .formdata import readonly_section
from .forms import CopyApplicationForm, TableImportForm
from .models import Application
from .reuse import sections_in_common
from .sections import get_form_spec
from .views import _get_application, _section_context, _with_operator_labels
from .workflow import ApplicationStatus


def _call_or_404(call_slug):
    try:
        return call_selectors.get_call(slug=call_slug)
    except Call.DoesNotExist:
        raise Http404 from None


def _targets(call, unit):
    """This call's project types the unit may copy into: {code: (project type, its existing application or None)}."""
    targets = {pt.code: (pt, None) for pt in selectors.list_startable_project_types(call=call, unit=unit)}
    for application in selectors.list_unit_applications_in_call(unit=unit, call=call):
        targets[application.project_type.code] = (application.project_type, application)
    return targets


def _options(source, targets):
    """Project types of this call a copy of `source` may fill: the same code first, others only where sections match."""
    source_spec = get_form_spec(source.project_type)
    options = []
    for code, (project_type, existing) in targets.items():
        if code == source.project_type.code or sections_in_common(
            source_spec=source_spec, target_spec=get_form_spec(project_type)
        ):
            copyable = existing is None or existing.status == ApplicationStatus.DRAFT
            options.append({"project_type": project_type, "existing": existing, "copyable": copyable})
    options.sort(key=lambda option: (option["project_type"].code != source.project_type.code,))
    return options


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def application_copy(request, call_slug):
    """「从往年申报复制」: the unit's earlier applications, each with the project types it may fill; POST copies."""
    call = _call_or_404(call_slug)
    unit = request.user.organisation
    if not is_applicant(request.user) or unit is None:
        raise PermissionDenied
    targets = _targets(call, unit)
    earlier = []
    for source in selectors.list_reusable_applications(unit=unit, call=call):
        options = _options(source, targets)
        earlier.append(
            {
                "application": source,
                "options": options,
                "any_existing": any(o["existing"] and o["copyable"] for o in options),
            }
        )
    refusals = []
    if request.method == "POST":
        form = CopyApplicationForm(request.POST)
        if form.is_valid():
            source = or_404(
                selectors.get_reusable_application, unit=unit, call=call, public_id=form.cleaned_data["source"]
            )
            response, refusals = _copy(request, call, unit, source, targets, form.cleaned_data)
            if response is not None:
                return response
        else:
            refusals = [message for messages_ in form.errors.values() for message in messages_]
    context = {
        "call": call,
        "earlier": earlier,
        "refusals": refusals,
        "is_open": is_open_for_unit(call=call, unit=unit),
    }
    return render(request, "applications/application_copy.html", context)


def _copy(request, call, unit, source, targets, data):
    project_type, existing = targets.get(data["project_type"], (None, None))
    if project_type is None:
        return None, [_("本单位不能在本次通知下申报所选的项目类别，或该类别已不可选。")]
    try:
        if existing is not None:
            if not data["overwrite"]:
                return None, [_("本单位已有该类别的申报草稿，请勾选“覆盖草稿中的同名内容”后再复制。")]
            application = services_reuse.copy_application_from(application=existing, source=source, user=request.user)
        else:
            application = services_reuse.start_application_from(
                call=call, project_type=project_type, source=source, unit=unit, user=request.user
            )
    except (ValidationError, PermissionDenied) as error:
        return None, [str(message) for message in getattr(error, "messages", [str(error)])]
    except Application.DoesNotExist:
        raise Http404 from None
    messages.success(
        request,
        _("已从申报 %(source)s 复制到 %(number)s，请核对复制结果并补充须重新填写的内容。")
        % {"source": source.number, "number": application.number},
    )
    return redirect("applications:copy_report", public_id=application.public_id), []


@login_required
@require_safe
def application_copy_report(request, public_id):
    """What a copy filled in and what must be entered again, with eligibility under this call's rules."""
    application = _get_application(request, public_id)
    spec = get_form_spec(application.project_type)
    context = {
        "application": application,
        "report": application.copy_report or {},
        "first_section": spec.sections[0].key,
        "editable": request.user.has_perm("applications.edit_application", application),
        "eligibility": _with_operator_labels(application.eligibility or []),
    }
    return render(request, "applications/application_copy_report.html", context)


def _importable(application, key, table_name):
    spec = get_form_spec(application.project_type)
    try:
        return tableimport.get_importable_table(spec=spec, section_key=key, table_name=table_name)
    except KeyError:
        raise Http404 from None


@login_required
@require_safe
def table_xlsx(request, public_id, key, table):
    """The import template of a table with its current rows (身份证号码 masked), as XLSX."""
    application = _get_application(request, public_id)
    section, table_spec = _importable(application, key, table)
    rows = ((application.form_data or {}).get(section.key) or {}).get(table_spec.name) or []
    content = tableimport.table_workbook(table=table_spec, rows=rows)
    response = HttpResponse(content, content_type=tableimport.XLSX_CONTENT_TYPE)
    filename = f"{application.number}-{section.key}-{table_spec.name}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def table_import(request, public_id, key, table):
    """Replace a table's rows from an uploaded XLSX, or show every refused cell by row and column."""
    application = _get_application(request, public_id)
    section, table_spec = _importable(application, key, table)
    if not request.user.has_perm("applications.edit_application", application):
        raise PermissionDenied
    form = TableImportForm(request.POST, request.FILES)
    errors = []
    if not form.is_valid():
        errors = [message for messages_ in form.errors.values() for message in messages_]
    else:
        try:
            numbers, rows = tableimport.read_table_rows(file=form.cleaned_data["file"], table=table_spec)
            application = services_reuse.import_table_rows(
                application=application,
                section_key=section.key,
                table_name=table_spec.name,
                rows=rows,
                user=request.user,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                cells = {name: " ".join(texts) for name, texts in error.message_dict.items()}
                errors = tableimport.describe_errors(table=table_spec, numbers=numbers, errors=cells)
            else:
                errors = list(error.messages)
        else:
            messages.success(
                request, _("已从Excel导入「%(table)s」共%(rows)s行。") % {"table": table_spec.label, "rows": len(rows)}
            )
            return redirect("applications:section", public_id=application.public_id, key=section.key)
    return _section_with_import_errors(request, application, section, table_spec, errors)


def _section_with_import_errors(request, application, section, table_spec, errors):
    from .forms import SectionForms

    spec = get_form_spec(application.project_type)
    context = _section_context(request, application, spec, section)
    stored = (application.form_data or {}).get(section.key) or {}
    if context["editable"]:
        context["forms"] = SectionForms(section=section, stored=stored)
    else:
        context["readonly"] = readonly_section(section, stored)
    context["import_errors"] = {"table": table_spec, "lines": errors}
    return render(request, "applications/application_section.html", context)
