"""The applicant's pages: list, start, section forms with autosave, submission checklist, status page, versions.

Every page fetches the application through `selectors.get_visible_application` (outside the user's scope: 404);
writes also need `applications.edit_application` or the transition's `applications.fire_<name>` permission, and
the services check everything again under the row lock. Views only translate between HTTP and those services.
"""

import rules
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect

from shenbao.accounts.rules import get_city_of_user, is_applicant
from shenbao.calls import extension_selectors
from shenbao.calls import selectors as call_selectors
from shenbao.calls.models import Call, EligibilityRule
from shenbao.core.forms import add_service_errors
from shenbao.core.http import error_messages, or_404
from shenbao.core.revisions import StaleRevisionError
from shenbao.documents.kinds import list_document_kinds

from . import selectors, services, views_search
from .designations import list_standing_designations
from .formdata import derived_values, missing_fields, readonly_section
from .forms import PaperReceiptForm, SectionForms, SignedScanForm, StartApplicationForm, WithdrawForm
from .metrics import evaluate_eligibility
from .models import ApplicationVersion
from .persons import list_person_warnings, names_persons
from .search_services import SEARCH_PERMISSION
from .sections import get_form_spec, get_form_title
from .tableimport import importable_tables
from .workflow import get_state_view, get_transition

STALE_MESSAGE = gettext_lazy("该申报已在其他窗口修改，请刷新后再编辑")
# Transitions the applicant fires from the status page; submission has its own page with the checklist.
STATUS_PAGE_TRANSITIONS = frozenset({"withdraw"})


def _get_application(request, public_id, *, related=True):
    return or_404(selectors.get_visible_application, user=request.user, public_id=public_id, related=related)


def _optional_url(name, *args):
    """A URL of a page another module provides, or None while that module has not registered it."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


@login_required
@require_safe
def application_list(request):
    if rules.has_perm(SEARCH_PERMISSION, request.user):
        return views_search.staff_list(request)  # staff: search, filters, saved views, export
    page = selectors.page_visible_applications(
        user=request.user, number=request.GET.get("page"), per_page=settings.PAGE_SIZE
    )
    applicant = is_applicant(request.user)
    context = {
        "page_obj": page,
        "is_applicant": applicant,
        # A unit applies to its own city's calls only (start_application refuses the others).
        "open_calls": _startable_calls(request.user) if applicant else [],
    }
    return render(request, "applications/application_list.html", context)


def _startable_calls(user):
    """The unit's city's open calls, then the calls the 技能办 kept open for the unit alone (延期提交), each with the
    deadline that holds for the unit."""
    open_calls = call_selectors.list_open_calls_of_city(city=get_city_of_user(user))
    return extension_selectors.list_startable_calls(unit=user.organisation, open_calls=open_calls)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def application_start(request, call_slug):
    try:
        call = call_selectors.get_call(slug=call_slug)
    except Call.DoesNotExist:
        raise Http404 from None
    unit = request.user.organisation
    if not is_applicant(request.user) or unit is None:
        raise PermissionDenied
    project_types = list(selectors.list_startable_project_types(call=call, unit=unit))
    form = StartApplicationForm(request.POST or None, project_types=project_types)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.start_application(
                call=call, project_type=form.cleaned_data["project_type"], unit=unit, user=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已创建申报 %(number)s，请逐项填写申报书。") % {"number": application.number})
            first = get_form_spec(application.project_type).sections[0].key
            return redirect("applications:section", public_id=application.public_id, key=first)
    context = {
        "call": call,
        "form": form,
        "project_types": project_types,
        "designation_warnings": _designation_warnings(call, unit, [item.code for item in project_types]),
        "is_open": extension_selectors.is_open_for_unit(call=call, unit=unit),
        "has_earlier": selectors.list_reusable_applications(unit=unit, call=call).exists(),
    }
    return render(request, "applications/application_start.html", context)


def _designation_warnings(call, unit, codes):
    """[{code, designations}] for the project types the unit is already designated for (a warning, not a refusal)."""
    warnings = []
    for code in codes:
        designations = list_standing_designations(call=call, unit=unit, project_type_code=code)
        if designations:
            warnings.append({"code": code, "designations": designations})
    return warnings


def _person_warnings(application, section, editable):
    """While editing a section that names persons by ID number: those another unit's application already holds
    (the same rule the submission guard applies, worded without that unit)."""
    if not editable or not names_persons(section):
        return []
    return list_person_warnings(application=application)


def _section_context(request, application, spec, section):
    editable = request.user.has_perm("applications.edit_application", application)
    missing = missing_fields(spec=spec, form_data=application.form_data)
    return {
        "application": application,
        "spec": spec,
        "form_title": get_form_title(application.project_type, call=application.call),
        "section": section,
        "sections": [{"section": item, "complete": item.key not in missing} for item in spec.sections],
        "missing": missing.get(section.key, []),
        "derived": derived_values(section=section, form_data=application.form_data),
        "editable": editable,
        "eligibility": _with_operator_labels(application.eligibility or evaluate_eligibility(application=application)),
        "next_section": _next_section(spec, section),
        "copy_notice": _copy_notice(application, section) if editable else None,
        "import_tables": importable_tables(section) if editable else [],
        "person_warnings": _person_warnings(application, section, editable),
    }


def _copy_notice(application, section):
    """What 复制往年申报 did in this section, while the unit has not saved it since."""
    report = application.copy_report or {}
    if section.key not in (report.get("pending") or []):
        return None
    entry = next((item for item in report.get("sections") or [] if item.get("key") == section.key), None)
    return {"source": report.get("source") or {}, "section": entry} if entry else None


def _with_operator_labels(eligibility):
    labels = dict(EligibilityRule.Operator.choices)
    return [{**result, "operator_label": labels.get(result.get("operator"), "")} for result in eligibility]


def _next_section(spec, section):
    keys = [item.key for item in spec.sections]
    index = keys.index(section.key)
    return spec.sections[index + 1] if index + 1 < len(keys) else None


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def application_section(request, public_id, key):
    application = _get_application(request, public_id)
    spec = get_form_spec(application.project_type)
    try:
        section = spec.section(key)
    except KeyError:
        raise Http404 from None
    stored = (application.form_data or {}).get(section.key) or {}
    if request.method != "POST":
        context = _section_context(request, application, spec, section)
        if context["editable"]:
            context["forms"] = SectionForms(section=section, stored=stored)
        else:
            context["readonly"] = readonly_section(section, stored)
        return render(request, "applications/application_section.html", context)

    if not request.user.has_perm("applications.edit_application", application):
        raise PermissionDenied
    try:
        expected_revision = int(request.POST["expected_revision"])
    except (KeyError, ValueError):
        return HttpResponseBadRequest(_("缺少修订号，请刷新页面后重试。"))
    forms = SectionForms(section=section, stored=stored, data=request.POST)
    outcome = {"saved": False, "stale": False}
    try:
        application = services.save_section(
            application=application,
            section_key=section.key,
            data=forms.raw_data(),
            user=request.user,
            expected_revision=expected_revision,
        )
    except StaleRevisionError:
        outcome["stale"] = True
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            forms.set_domain_errors({name: " ".join(texts) for name, texts in error.message_dict.items()})
        else:
            forms.set_domain_errors({"__all__": error.messages})
    else:
        outcome["saved"] = True

    next_key = request.POST.get("next")
    next_url = None
    if outcome["saved"] and next_key in {item.key for item in spec.sections}:
        next_url = reverse("applications:section", args=[application.public_id, next_key])
    if request.htmx:
        if next_url:
            return HttpResponseClientRedirect(next_url)
        context = _section_context(request, application, spec, section)
        context.update(outcome, saved_at=timezone.localtime(), error_summary=forms.error_summary())
        return render(request, "applications/_autosave_status.html", context)
    if outcome["stale"]:
        messages.error(request, STALE_MESSAGE)
    elif outcome["saved"]:
        messages.success(request, _("已保存。"))
        if next_url:
            return redirect(next_url)
    else:
        context = _section_context(request, application, spec, section)
        context.update(forms=forms, error_summary=forms.error_summary())
        return render(request, "applications/application_section.html", context, status=200)
    return redirect("applications:section", public_id=application.public_id, key=section.key)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def application_submit(request, public_id):
    # A POST fires the step, which reads the row again under its lock with what the step needs: the scope check
    # reads the row alone (the page of a refusal loads the rest as it shows it).
    application = _get_application(request, public_id, related=request.method != "POST")
    step = selectors.get_submission_step(application=application)
    if step is None:
        status = application.get_status_display()
        messages.info(request, _("该申报当前状态为“%(status)s”，无需提交。") % {"status": status})
        return redirect("applications:detail", public_id=application.public_id)
    name = step.name
    if not request.user.has_perm(f"applications.fire_{name}", application):
        raise PermissionDenied
    refusals = []
    # A POST goes straight to the step, whose guards run under the row lock: the checklist (the same guards) is
    # built only for the page, after a refusal too.
    if request.method == "POST":
        try:
            services.fire_transition(application=application, name=name, actor=request.user, request=request)
        except ValidationError as error:
            refusals = error_messages(error)
        else:
            messages.success(request, _("申报已提交，请等待资格初审。"))
            return redirect("applications:detail", public_id=application.public_id)
    checklist = selectors.get_submission_checklist(application=application)
    context = {
        "application": application,
        "checklist": checklist,
        "eligibility": _with_operator_labels(checklist["eligibility"]),
        "transition": get_transition(name),
        "refusals": refusals,
        "materials_url": _optional_url("applications:materials", application.public_id),
    }
    return render(request, "applications/application_submit.html", context)


@login_required
@require_POST
def application_transition(request, public_id, name):
    application = _get_application(request, public_id)
    if name not in STATUS_PAGE_TRANSITIONS:
        raise Http404
    if not request.user.has_perm(f"applications.fire_{name}", application):
        raise PermissionDenied
    form = WithdrawForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        services.fire_transition(
            application=application, name=name, actor=request.user, comment=comment, request=request
        )
    except ValidationError as error:
        for message in error_messages(error):
            messages.error(request, message)
    else:
        messages.success(request, _("已完成：%(step)s。") % {"step": get_transition(name).label})
    return redirect("applications:detail", public_id=application.public_id)


def _document_links(application):
    """Links to the generated 申报书 etc. (documents app); none while that app has not registered its URLs."""
    pdf = _optional_url("documents:application_pdf", application.public_id, "application-form")
    if pdf is None:
        return {}
    kinds = list_document_kinds(project_type=application.project_type, call=application.call)
    return {
        "documents": [
            {
                "kind": kind,
                "pdf": _optional_url("documents:application_pdf", application.public_id, kind.slug),
                "docx": _optional_url("documents:application_docx", application.public_id, kind.slug)
                if kind.is_application_form
                else None,
            }
            for kind in kinds
        ],
        "print_url": _optional_url("documents:print", application.public_id),
    }


@login_required
@require_safe
def application_detail(request, public_id):
    application = _get_application(request, public_id)
    user = request.user
    history = selectors.list_application_history(application=application)
    state = get_state_view(application.status)
    context = {
        "application": application,
        "state": state,
        "progress": selectors.get_progress(application=application),
        "is_final": state.final,
        "history": history,
        "comments": [entry for entry in history if entry["kind"] == "comment"],
        "versions": selectors.list_versions(application=application),
        "can_edit": user.has_perm("applications.edit_application", application),
        "can_submit": user.has_perm("applications.fire_submit", application)
        or user.has_perm("applications.fire_resubmit", application),
        "can_withdraw": user.has_perm("applications.fire_withdraw", application),
        "withdraw_form": WithdrawForm(),
        "first_section": get_form_spec(application.project_type).sections[0].key,
        "unit_deadline": extension_selectors.get_unit_deadline(call=application.call, unit=application.unit),
        "materials_url": _optional_url("applications:materials", application.public_id),
        **_paper_context(request, application),
        **_document_links(application),
    }
    return render(request, "applications/application_detail.html", context)


def _paper_context(request, application):
    """四 纸质材料 on the status page: copies received, the signed scan, and the form each role may use here."""
    user = request.user
    can_record = user.has_perm("applications.record_paper_receipt", application)
    can_upload = user.has_perm("applications.upload_signed_scan", application)
    designations = []
    if user.has_perm("applications.edit_application", application):
        designations = list_standing_designations(
            call=application.call, unit=application.unit, project_type_code=application.project_type.code
        )
    return {
        "paper": selectors.get_paper_status(application=application),
        "paper_form": PaperReceiptForm(initial={"received_on": timezone.localdate()}) if can_record else None,
        "scan_form": SignedScanForm() if can_upload else None,
        "designations": designations,
    }


@login_required
@require_safe
def application_version(request, public_id, sequence):
    application = _get_application(request, public_id)
    try:
        version, previous, changes = selectors.get_version_with_diff(application=application, sequence=sequence)
    except ApplicationVersion.DoesNotExist:
        raise Http404 from None
    spec = get_form_spec(application.project_type)
    context = {
        "application": application,
        "version": version,
        "previous": previous,
        "changes": changes,
        "sections": [
            readonly_section(section, (version.form_data or {}).get(section.key)) for section in spec.sections
        ],
    }
    return render(request, "applications/application_version.html", context)
