"""A submitted version's documents are rendered once by the task worker and stored (issue 16, point 3): submitting
through the pages queues every document, the worker stores it, the download serves the stored bytes, the page
shows the progress until then, a failed one says so and the staff may have it rendered again. Through the pages
with the full middleware stack (logged in, CSRF on)."""

import datetime as dt
import hashlib
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from shenbao.accounts.roles import Role
from shenbao.applications.models import Application, ApplicationVersion
from shenbao.applications.services import fire_transition
from shenbao.audit.models import AuditEntry
from shenbao.core.background import STALL_AFTER
from shenbao.core.transitions import fire
from shenbao.documents.models import RenderedDocument
from shenbao.documents.selectors import find_verification
from shenbao.documents.services_stored import queue_version_documents, render_missing_documents, run_rendering
from shenbao.documents.workflow import MACHINE
from tests.applications.builders import IN_TIME
from tests.documents.helpers import docx_text, pdf_text, squeeze
from tests.web import WebUser

pytestmark = pytest.mark.django_db
S = RenderedDocument.Status
UNIT_PHONE = "0356-2199488"  # tests.factories.OrganisationFactory's contact phone
MASKED_PHONE = "035*****9488"


def document_url(application, document="application-form", file_format="pdf"):
    return reverse(f"documents:application_{file_format}", args=[application.public_id, document])


def progress_url(application, document="application-form", file_format="pdf"):
    return reverse("documents:rendering_progress", args=[application.public_id, document, file_format])


def retry_url(application, document="application-form", file_format="pdf"):
    return reverse("documents:rendering_retry", args=[application.public_id, document, file_format])


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def stored_row(application, *, document="application-form", file_format="pdf", audience="unit"):
    return RenderedDocument.objects.get(
        version__application=application, document=document, file_format=file_format, audience=audience
    )


def test_submitting_queues_every_document_and_the_worker_stores_each_once(submit_through_pages):
    submit_through_pages()
    rows = RenderedDocument.objects.order_by("document", "file_format", "audience")

    # The workstation has two documents (申报书, 申请报告), each as PDF and DOCX, for the unit and for the others.
    assert [(row.document, row.file_format, row.audience) for row in rows] == [
        (document, file_format, audience)
        for document in ("application-form", "application-report")
        for file_format in ("docx", "pdf")
        for audience in ("others", "unit")
    ]
    for row in rows:
        assert row.status == S.READY and row.attempts == 1 and row.version.sequence == 1
        data = row.file.read()
        assert row.size == len(data) and row.sha256 == hashlib.sha256(data).hexdigest()
        assert data.startswith(b"%PDF" if row.file_format == "pdf" else b"PK")
    finished = AuditEntry.objects.filter(event="documents:finish")
    assert finished.count() == 8
    assert {entry.actor_id for entry in finished} == {None}  # the worker acted, not a person


def test_the_download_serves_the_stored_file_of_the_readers_variant(
    submit_through_pages, ready_draft, web_applicant, web_reviewer, renders
):
    submit_through_pages()
    rendered_by_worker = renders.outside

    own = web_applicant.get(document_url(ready_draft))
    assert own.status_code == 200 and own["Content-Type"] == "application/pdf"
    assert body(own) == stored_row(ready_draft, audience="unit").file.open("rb").read()
    assert f"{ready_draft.number}-晋城市精工机械有限公司-申报书.pdf" in stored_row(ready_draft).filename
    own_text = squeeze(pdf_text(stored_row(ready_draft, audience="unit").file.open("rb").read()))
    assert UNIT_PHONE in own_text and "第1版提交内容" in own_text
    assert f"http://testserver/verify/{ready_draft.verification_code}/" in own_text

    theirs = web_reviewer.get(document_url(ready_draft))
    data = body(theirs)
    assert data == stored_row(ready_draft, audience="others").file.open("rb").read()
    assert MASKED_PHONE in squeeze(pdf_text(data)) and UNIT_PHONE not in squeeze(pdf_text(data))
    word = web_reviewer.get(document_url(ready_draft, "application-report", "docx"))
    assert ready_draft.number in docx_text(body(word))

    assert renders.in_request == 0 and renders.outside == rendered_by_worker
    downloads = AuditEntry.objects.filter(event="document:download").order_by("pk")
    assert [entry.additional_data["format"] for entry in downloads] == ["pdf", "pdf", "docx"]
    assert downloads[0].additional_data["version"] == 1
    assert downloads[0].additional_data["sha256"] == stored_row(ready_draft).sha256
    # The verification page's 最近生成时间 is when the worker rendered (the time printed on the paper).
    latest = RenderedDocument.objects.order_by("-rendered_at").first().rendered_at
    assert find_verification(code=ready_draft.verification_code).last_generated_at == latest


def test_until_rendered_the_page_shows_progress_then_offers_the_file(
    submit_through_pages, ready_draft, web_applicant, renders
):
    callbacks = submit_through_pages(run_worker=False)

    page = web_applicant.get(document_url(ready_draft))
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    text = page.content.decode()
    assert "排队中" in text and "已排队，等待后台生成。" in text
    assert f'hx-get="{progress_url(ready_draft)}"' in text and 'hx-trigger="every 2s"' in text
    panel = web_applicant.get(progress_url(ready_draft), headers={"HX-Request": "true"}).content.decode()
    assert panel.startswith("<div") or 'id="document-rendering"' in panel
    assert "<html" not in panel

    for callback in callbacks:  # the worker runs (the immediate backend, outside any request)
        callback()

    panel = web_applicant.get(progress_url(ready_draft)).content.decode()
    assert "文书已生成，可以下载。" in panel and "hx-trigger" not in panel
    assert f'href="{document_url(ready_draft)}"' in panel
    assert body(web_applicant.get(document_url(ready_draft))).startswith(b"%PDF")
    assert renders.in_request == 0 and renders.outside == 8


def test_a_failed_document_says_so_and_the_first_reviewer_has_it_rendered_again(
    submit_through_pages, ready_draft, web_applicant, web_reviewer, county_reviewer, django_capture_on_commit_callbacks
):
    submit_through_pages(run_worker=False)
    for audience in ("unit", "others"):
        fire(
            machine=MACHINE,
            obj=stored_row(ready_draft, audience=audience),
            name="fail",
            actor=None,
            payload={"error": "字体文件缺失"},
        )

    page = web_applicant.get(document_url(ready_draft)).content.decode()
    assert "文书未能生成，原因：字体文件缺失。" in page
    assert "重新生成</button>" not in page and "请联系负责审核的工作人员重新生成。" in page
    assert web_applicant.post(retry_url(ready_draft), form_url=document_url(ready_draft)).status_code == 403
    assert stored_row(ready_draft).status == S.FAILED

    page = web_reviewer.get(document_url(ready_draft)).content.decode()
    assert "重新生成</button>" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = web_reviewer.post(retry_url(ready_draft), form_url=document_url(ready_draft))
    assert response.status_code == 302 and response["Location"] == document_url(ready_draft)
    row = stored_row(ready_draft, audience="others")
    assert row.status == S.READY and row.error == ""
    retried = AuditEntry.objects.get(event="documents:retry")
    assert retried.actor == county_reviewer and retried.object_id == row.pk
    assert stored_row(ready_draft, audience="unit").status == S.FAILED  # the applicant's variant is its own row


def test_another_units_or_countys_document_is_404(
    submit_through_pages, ready_draft, make_unit, make_applicant, staff_of, password
):
    submit_through_pages(run_worker=False)
    fire(
        machine=MACHINE, obj=stored_row(ready_draft, audience="others"), name="fail", actor=None, payload={"error": "x"}
    )
    other_unit = make_applicant(make_unit(name="晋城市另一家机械有限公司", region="140525"))
    other_county = staff_of("泽州县人力资源和社会保障局", Role.COUNTY_REVIEWER)
    for number, user in enumerate((other_unit, other_county)):
        web = WebUser(remote_addr=f"192.0.2.{30 + number}")
        web.log_in(user.username, password)
        for url in (
            document_url(ready_draft),
            document_url(ready_draft, file_format="docx"),
            progress_url(ready_draft),
        ):
            assert web.get(url).status_code == 404
        assert web.post(retry_url(ready_draft), form_url=reverse("applications:list")).status_code == 404
    assert stored_row(ready_draft, audience="others").status == S.FAILED


def test_the_operators_sweep_queues_what_is_missing_and_requeues_stalled_renderings(
    submit_through_pages, ready_draft, django_capture_on_commit_callbacks
):
    submit_through_pages(run_worker=False)
    # A version submitted before the documents were stored: no rows at all.
    RenderedDocument.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("render_missing_documents", stdout=(out := io.StringIO()))
    assert "已排队8份" in out.getvalue()
    assert set(RenderedDocument.objects.values_list("status", flat=True)) == {S.READY}

    # A rendering whose worker died: failed, audited, and queued again.
    row = stored_row(ready_draft)
    RenderedDocument.objects.filter(pk=row.pk).update(status=S.RENDERING, started_at=row.rendered_at)
    with django_capture_on_commit_callbacks(execute=True):
        counts = render_missing_documents(at=row.rendered_at + STALL_AFTER * 2)
    assert counts["stalled"] == 1 and counts["queued"] == 0
    assert stored_row(ready_draft).status == S.READY and stored_row(ready_draft).attempts == 2
    assert AuditEntry.objects.filter(event="documents:fail").count() == 1


def test_a_second_delivery_of_the_task_renders_nothing(submit_through_pages, ready_draft, renders):
    submit_through_pages()
    row = stored_row(ready_draft)
    before = renders.outside

    assert run_rendering(rendered_id=row.pk).status == S.READY
    assert run_rendering(rendered_id=row.pk + 1000) is None  # a row gone with its application
    assert renders.outside == before


def test_a_returned_application_renders_on_demand_and_its_resubmission_queues_version_two(
    submit_through_pages,
    ready_draft,
    applicant,
    county_reviewer,
    web_applicant,
    renders,
    django_capture_on_commit_callbacks,
):
    submit_through_pages()
    returned = fire_transition(
        application=Application.objects.get(pk=ready_draft.pk),
        name="return_for_revision",
        actor=county_reviewer,
        comment="请补充材料。",
        payload={"resubmission_due": IN_TIME.date() + dt.timedelta(days=10)},
        at=IN_TIME,
    )
    # Editable again: its documents show the current content, rendered in the request (as a draft's).
    assert body(web_applicant.get(document_url(returned))).startswith(b"%PDF")
    assert renders.in_request == 1

    with django_capture_on_commit_callbacks(execute=True):
        fire_transition(application=returned, name="resubmit", actor=applicant, at=IN_TIME)
    second = RenderedDocument.objects.filter(version__sequence=2)
    assert second.count() == 8 and set(second.values_list("status", flat=True)) == {S.READY}
    text = squeeze(pdf_text(body(web_applicant.get(document_url(returned)))))
    assert "第2版提交内容" in text
    assert renders.in_request == 1


def test_queuing_a_version_reads_once_and_inserts_only_the_missing_rows_at_once(
    submit_through_pages, ready_draft, django_capture_on_commit_callbacks, django_assert_num_queries
):
    # The submission's transaction holds the audit chain's lock while it queues: one read, one insert.
    submit_through_pages(run_worker=False)
    kept = stored_row(ready_draft)
    RenderedDocument.objects.exclude(pk=kept.pk).delete()
    version = ApplicationVersion.objects.select_related("application__project_type", "application__call__city").get(
        pk=kept.version_id
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks, django_assert_num_queries(4):
        created = queue_version_documents(version=version)
    assert len(created) == 7 and kept.pk not in {row.pk for row in created}
    assert {row.status for row in created} == {S.QUEUED} and len(callbacks) == 1
    assert RenderedDocument.objects.filter(version=version).count() == 8
    assert queue_version_documents(version=version) == []
