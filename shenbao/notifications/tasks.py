"""Background tasks (django.tasks; django-tasks-db in production, the immediate backend in tests).

Run the worker with `python manage.py db_worker`; a timer runs `manage.py send_queued_emails` every few minutes
(mails whose retry is due) and `send_due_reminders` once a day, or enqueues the tasks below instead.
"""

from django.tasks import task


@task
def send_outgoing_email(email_id):
    from .outbox import deliver_email

    return deliver_email(email_id=email_id)


@task
def send_due_reminders():
    """The daily run of `manage.py send_due_reminders`, for a scheduler that enqueues tasks."""
    from .outbox import send_due_emails
    from .reminders import send_due_reminders as send
    from .texting import send_due_texts

    sent = send()
    sent["emails_retried"] = send_due_emails()
    sent["sms_retried"] = send_due_texts()
    return sent


@task
def send_outgoing_sms(sms_id):
    from .texting import deliver_sms

    return deliver_sms(sms_id=sms_id)
