from django.urls import path

from . import views

app_name = "opinions"

urlpatterns = [
    path("proposals/", views.proposals, name="proposals"),
    path("progress/", views.progress, name="progress"),
    path("inbox/", views.inbox, name="inbox"),
    path("requests/<uuid:public_id>/", views.answer, name="answer"),
    path("<uuid:public_id>/decide/", views.decide, name="decide"),
    path("<uuid:public_id>/opinion-form.pdf", views.opinion_form_pdf, name="form_pdf"),
]
