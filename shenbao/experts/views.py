"""Pages of the expert pool (专家库) for the call administrator: list, add, edit, relations, XLSX in and out.

Panels are in `views_panels`, the 答辩 schedule in `views_defence`, the expert's own pages in `views_expert`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from shenbao.core.forms import add_service_errors
from shenbao.core.http import error_messages, or_404, page_of, require_permission

from . import imports, selectors, services
from .forms import ExpertCreateForm, ExpertFilterForm, ExpertForm, ImportForm, RelationForm


def xlsx_response(content, filename):
    response = HttpResponse(content, content_type=imports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def pool(request):
    require_permission(request.user, "experts.manage_pool")
    form = ExpertFilterForm(request.GET or None, regions=selectors.list_city_regions(user=request.user))
    experts = selectors.list_experts(user=request.user, **form.filters())
    page = page_of(request, experts)
    rows = [(profile, services.read_phone(profile)) for profile in page]
    return render(request, "experts/pool.html", {"form": form, "page_obj": page, "rows": rows})


def _expert_values(form):
    data = form.cleaned_data
    return {
        "full_name": data["full_name"],
        "work_unit_name": data["work_unit_name"],
        "region": data["region"],
        "title": data["title"],
        "specialties": data["specialties"],
        "phone": data["phone"],
        "email": data["email"],
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def expert_create(request):
    require_permission(request.user, "experts.manage_pool")
    form = ExpertCreateForm(request.POST or None, regions=selectors.list_city_regions(user=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            profile = services.create_expert(
                actor=request.user,
                username=form.cleaned_data["username"],
                link_existing=form.cleaned_data["link_existing"],
                request=request,
                **_expert_values(form),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已将%(name)s加入专家库。") % {"name": profile.user.full_name})
            if not profile.user.has_usable_password():
                messages.info(request, _("已向专家发送激活链接，专家打开链接设置密码后即可登录。"))
            return redirect("experts:expert_detail", public_id=profile.public_id)
    return render(request, "experts/expert_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def expert_detail(request, public_id):
    require_permission(request.user, "experts.manage_pool")
    profile = or_404(selectors.get_expert, user=request.user, public_id=public_id)
    initial = {
        "full_name": profile.user.full_name,
        "work_unit_name": profile.work_unit.name,
        "region": profile.region,
        "title": profile.title,
        "specialties": "、".join(profile.specialties or []),
        "phone": services.read_phone(profile),
        "email": profile.contact_email,
    }
    form = ExpertForm(request.POST or None, initial=initial, regions=selectors.list_city_regions(user=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_expert(profile=profile, actor=request.user, request=request, **_expert_values(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("专家信息已保存。"))
            return redirect("experts:expert_detail", public_id=profile.public_id)
    context = {
        "profile": profile,
        "form": form,
        "relation_form": RelationForm(),
        "relations": profile.relations.all(),
    }
    return render(request, "experts/expert_detail.html", context)


@login_required
@require_POST
def expert_active(request, public_id):
    require_permission(request.user, "experts.manage_pool")
    profile = or_404(selectors.get_expert, user=request.user, public_id=public_id)
    active = request.POST.get("active") == "1"
    services.set_expert_active(profile=profile, actor=request.user, active=active, request=request)
    messages.success(request, _("专家已恢复在库。") if active else _("专家已停用，不再分配新的评审任务。"))
    return redirect("experts:expert_detail", public_id=profile.public_id)


@login_required
@require_POST
def relation_add(request, public_id):
    require_permission(request.user, "experts.manage_pool")
    profile = or_404(selectors.get_expert, user=request.user, public_id=public_id)
    form = RelationForm(request.POST)
    if form.is_valid():
        try:
            services.declare_relation(profile=profile, actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            for text in error_messages(error):
                messages.error(request, text)
        else:
            messages.success(request, _("已登记利害关系，该专家不会被分配评审该单位的申报。"))
    else:
        messages.error(request, _("请填写关联单位名称并选择关系类型。"))
    return redirect("experts:expert_detail", public_id=profile.public_id)


@login_required
@require_POST
def relation_remove(request, public_id, relation_id):
    require_permission(request.user, "experts.manage_pool")
    profile = or_404(selectors.get_expert, user=request.user, public_id=public_id)
    relation = or_404(selectors.get_relation, user=request.user, expert=profile, public_id=relation_id)
    services.remove_relation(relation=relation, actor=request.user, request=request)
    messages.success(request, _("已删除该利害关系登记。"))
    return redirect("experts:expert_detail", public_id=profile.public_id)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def expert_import(request):
    require_permission(request.user, "experts.manage_pool")
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        result = imports.import_experts(file=form.cleaned_data["file"], actor=request.user, request=request)
        if not result.errors:
            messages.success(request, _("已导入%(count)s名专家。") % {"count": len(result.created)})
            return redirect("experts:pool")
        errors = result.errors
    return render(request, "experts/import.html", {"form": form, "errors": errors})


@login_required
@require_safe
def import_template(request):
    require_permission(request.user, "experts.manage_pool")
    return xlsx_response(imports.template_workbook(user=request.user), "expert-import-template.xlsx")
