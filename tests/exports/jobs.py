"""An export as a person asks for it: the page's button posts to the job request (logged in, CSRF on), the task
worker builds the file once the request commits, and the file is downloaded from the job's page."""

from django.urls import reverse

from shenbao.exports.models import ExportJob


def export_through_pages(web, capture, *, kind, data, form_url):
    """(the finished job, the downloaded file's bytes); fails the test unless the job was queued and finished."""
    with capture(execute=True):
        response = web.post(reverse("exports:request", kwargs={"kind": kind}), data, form_url=form_url)
    assert response.status_code == 302
    job = ExportJob.objects.latest("pk")
    assert response["Location"] == reverse("exports:detail", kwargs={"public_id": job.public_id})
    assert (job.status, job.error) == (ExportJob.Status.DONE, "")
    download = web.get(reverse("exports:download", kwargs={"public_id": job.public_id}))
    assert download.status_code == 200
    return job, b"".join(download.streaming_content)
