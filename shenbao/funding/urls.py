from django.urls import path

from . import views

app_name = "funding"

urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("ledger.xlsx", views.ledger_xlsx, name="ledger_xlsx"),
    path("budget/", views.budget, name="budget"),
    path("records/<uuid:public_id>/", views.record_detail, name="record"),
    path("records/<uuid:public_id>/payments/", views.record_payment, name="record_payment"),
    path("entries/<uuid:public_id>/reverse/", views.reverse_entry, name="reverse_entry"),
]
