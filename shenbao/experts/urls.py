from django.urls import path

from . import views, views_defence, views_expert, views_panels

app_name = "experts"

urlpatterns = [
    # 专家库 (call administrator)
    path("pool/", views.pool, name="pool"),
    path("pool/new/", views.expert_create, name="expert_create"),
    path("pool/import/", views.expert_import, name="import"),
    path("pool/import/template.xlsx", views.import_template, name="import_template"),
    path("pool/<uuid:public_id>/", views.expert_detail, name="expert_detail"),
    path("pool/<uuid:public_id>/active/", views.expert_active, name="expert_active"),
    path("pool/<uuid:public_id>/relations/", views.relation_add, name="relation_add"),
    path("pool/<uuid:public_id>/relations/<uuid:relation_id>/delete/", views.relation_remove, name="relation_remove"),
    # 专家组 and assignments (call administrator)
    path("panels/", views_panels.panels, name="panels"),
    path("panels/new/", views_panels.panel_create, name="panel_create"),
    path("panels/<uuid:public_id>/", views_panels.panel_detail, name="panel_detail"),
    path("panels/<uuid:public_id>/members/", views_panels.panel_members_add, name="panel_members_add"),
    path(
        "panels/<uuid:public_id>/members/<uuid:expert_id>/remove/",
        views_panels.panel_member_remove,
        name="panel_member_remove",
    ),
    path("panels/<uuid:public_id>/assign/", views_panels.panel_assign, name="panel_assign"),
    path("panels/assignments/<uuid:public_id>/swap/", views_panels.assignment_swap, name="assignment_swap"),
    # 答辩 (call administrator; the applicant's own slot)
    path("panels/<uuid:public_id>/sessions/new/", views_defence.session_create, name="session_create"),
    path("panels/sessions/<uuid:public_id>/", views_defence.session_detail, name="session_detail"),
    path("panels/sessions/<uuid:public_id>/generate/", views_defence.session_generate, name="session_generate"),
    path("panels/sessions/<uuid:public_id>/notify/", views_defence.session_notify, name="session_notify"),
    path("panels/sessions/<uuid:public_id>/print/", views_defence.session_print, name="session_print"),
    path("panels/sessions/<uuid:public_id>/schedule.pdf", views_defence.session_pdf, name="session_pdf"),
    path("panels/slots/<uuid:public_id>/", views_defence.slot_edit, name="slot_edit"),
    path("panels/slots/<uuid:public_id>/delete/", views_defence.slot_delete, name="slot_delete"),
    path("defence/", views_defence.my_defence, name="my_defence"),
    # The expert's own work
    path("mine/", views_expert.my_assignments, name="my_assignments"),
    path("mine/<uuid:public_id>/recuse/", views_expert.recuse, name="recuse"),
]
