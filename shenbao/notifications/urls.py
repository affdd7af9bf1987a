from django.urls import path

from . import views, views_messages

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read-all/", views.mark_all_read, name="mark_all_read"),
    path("<uuid:public_id>/read/", views.mark_read, name="mark_read"),
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/<uuid:public_id>/retry/", views.retry_email, name="outbox_retry"),
    path("sms-outbox/", views_messages.sms_outbox, name="sms_outbox"),
    path("sms-outbox/<uuid:public_id>/retry/", views_messages.retry_sms, name="sms_outbox_retry"),
    path("templates/", views_messages.message_templates, name="message_templates"),
    path("templates/<slug:event>/", views_messages.message_template_edit, name="message_template"),
    path("templates/<slug:event>/reset/", views_messages.message_template_reset, name="message_template_reset"),
    path("bulk/", views_messages.bulk_messages, name="bulk_messages"),
    path("bulk/new/", views_messages.bulk_message_new, name="bulk_message_new"),
    path("bulk/<uuid:public_id>/", views_messages.bulk_message, name="bulk_message"),
]
