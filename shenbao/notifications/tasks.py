"""Background tasks (django.tasks; django-tasks-db in production, the immediate backend in tests).

Run the worker with `python manage.py db_worker`; a scheduler (cron, systemd timer) may enqueue
`send_due_reminders` once a day instead of calling the management command.
"""

from django.tasks import task


@task
def send_notification_emails(notification_ids):
    from .services import deliver_emails

    return deliver_emails(notification_ids=notification_ids)


@task
def send_due_reminders():
    """The daily run of `manage.py send_due_reminders`, for a scheduler that enqueues tasks."""
    from .reminders import send_due_reminders as send
    from .services import retry_unsent_emails

    sent = send()
    sent["emails_retried"] = retry_unsent_emails()
    return sent
