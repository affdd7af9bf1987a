"""Objections: named and in time or refused with the reason; the decision; the award guards."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from shenbao.applications.models import Application, ReviewComment
from shenbao.applications.workflow import ApplicationStatus
from shenbao.core.crypto import decrypt_text
from shenbao.notices.guards import no_standing_objection, notice_closed
from shenbao.notices.models import Objection
from shenbao.notices.objections import file_objection
from shenbao.notices.selectors import list_awardable_applications
from shenbao.notices.services import decide_objection
from tests.applications.builders import BEIJING, make_id_number
from tests.factories import UserFactory

WITHIN = datetime.datetime(2022, 12, 21, 10, 0, tzinfo=BEIJING)
LAST_SECOND = datetime.datetime(2022, 12, 23, 23, 59, 59, tzinfo=BEIJING)
DAY_AFTER = datetime.datetime(2022, 12, 24, 0, 0, 0, tzinfo=BEIJING)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _file(published, at=WITHIN, **overrides):
    entry = published.notice.entries.get(application=published.first)
    fields = {
        "notice": published.notice,
        "entry_public_id": entry.public_id,
        "filer_kind": Objection.FilerKind.PERSON,
        "filer_name": "王五",
        "id_number": make_id_number(7),
        "contact_phone": "13800000000",
        "content": "该单位申报材料中的技师人数与实际不符，请核查。",
        "remote_addr": "203.0.113.9",
        "at": at,
        **overrides,
    }
    return file_objection(**fields)


def test_a_named_objection_within_the_period_is_accepted_with_a_receipt(published):
    objection = _file(published, files=[SimpleUploadedFile("证明.pdf", PDF, content_type="application/pdf")])
    assert objection.receipt_number.startswith("YY20221221")
    assert objection.status == Objection.Status.PENDING
    assert decrypt_text(objection.id_number) == make_id_number(7)
    [evidence] = objection.evidence.all()
    assert evidence.original_name == "证明.pdf" and evidence.content_type == "application/pdf"


def test_the_last_second_of_the_end_date_is_within_the_period(published):
    assert _file(published, at=LAST_SECOND).pk


def test_an_objection_after_the_end_is_refused_with_the_reason(published):
    with pytest.raises(ValidationError) as caught:
        _file(published, at=DAY_AFTER)
    assert caught.value.messages == ["公示期已于2022年12月23日24时结束，异议不予受理。"]
    assert not Objection.objects.exists()


def test_an_objection_before_the_start_is_refused(published):
    with pytest.raises(ValidationError, match="公示开始前异议不予受理"):
        _file(published, at=datetime.datetime(2022, 12, 18, 23, 59, 59, tzinfo=BEIJING))


@pytest.mark.parametrize("missing", ["filer_name", "contact_phone"])
def test_an_anonymous_objection_is_refused(published, missing):
    with pytest.raises(ValidationError) as caught:
        _file(published, **{missing: "  "})
    assert "匿名异议不予受理" in caught.value.message_dict["__all__"][0]
    assert not Objection.objects.exists()


def test_a_person_needs_a_valid_id_number_and_a_unit_its_seal(published):
    with pytest.raises(ValidationError) as caught:
        _file(published, id_number="140502198001010000")
    assert "id_number" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        _file(published, filer_kind=Objection.FilerKind.UNIT, id_number="", unit_name="某某公司")
    assert "seal_confirmed" in caught.value.message_dict
    objection = _file(
        published, filer_kind=Objection.FilerKind.UNIT, id_number="", unit_name="某某公司", seal_confirmed=True
    )
    assert objection.unit_name == "某某公司" and objection.id_number == ""


def test_evidence_is_checked_by_content(published):
    disguised = SimpleUploadedFile("证明.pdf", b"MZ\x90\x00" + b"\x00" * 100, content_type="application/pdf")
    with pytest.raises(ValidationError, match="可执行程序"):
        _file(published, files=[disguised])
    assert not Objection.objects.exists()


def test_filing_is_rate_limited_per_address(published, settings):
    settings.SHENBAO_OBJECTION_THROTTLE = {"attempts": 2, "window": 3600}
    _file(published)
    _file(published)
    with pytest.raises(ValidationError, match="过于频繁"):
        _file(published)
    assert _file(published, remote_addr="198.51.100.1").pk


def test_an_upheld_objection_stops_the_unit_and_the_filer_is_told(
    published, call_admin, django_capture_on_commit_callbacks
):
    objection = _file(published, email="wangwu@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        decide_objection(
            objection=objection,
            upheld=True,
            investigation_note="经核实，3名成员中1人证书为伪造。",
            reply="经调查核实，异议成立，该单位不予授牌。",
            user=call_admin,
            at=DAY_AFTER,
        )
    application = Application.objects.get(pk=published.first.pk)
    assert application.status == ApplicationStatus.OBJECTION_UPHELD
    assert ReviewComment.objects.get(application=application).text == "经调查核实，异议成立，该单位不予授牌。"
    [message] = mail.outbox
    assert message.to == ["wangwu@example.com"] and "异议成立" in message.body
    objection.refresh_from_db()
    assert objection.status == Objection.Status.UPHELD and objection.reply_emailed_at is not None
    with pytest.raises(ValidationError, match="状态已变化：该异议当前为「异议成立」"):  # the workflow's refusal
        decide_objection(objection=objection, upheld=False, investigation_note="x", reply="y", user=call_admin)


def test_a_not_upheld_objection_leaves_the_unit_in_notice(published, call_admin):
    objection = _file(published)
    decide_objection(
        objection=objection, upheld=False, investigation_note="核实无误。", reply="异议不成立。", user=call_admin
    )
    assert Application.objects.get(pk=published.first.pk).status == ApplicationStatus.IN_NOTICE
    assert not mail.outbox  # no e-mail address was given


def test_only_the_call_admin_decides(published):
    objection = _file(published)
    with pytest.raises(PermissionDenied):
        decide_objection(objection=objection, upheld=True, investigation_note="x", reply="y", user=UserFactory())


def test_guards_refuse_the_award_before_the_notice_closes_and_while_an_objection_is_pending(published, call_admin):
    application = published.first
    args = {"application": application, "actor": call_admin, "payload": {}}
    assert notice_closed(**args, at=LAST_SECOND) == ["公示期至2022年12月23日24时结束，公示期满后方可授牌。"]
    assert notice_closed(**args, at=DAY_AFTER) == []
    assert no_standing_objection(**args, at=DAY_AFTER) == []
    objection = _file(published)
    assert no_standing_objection(**args, at=DAY_AFTER) == ["该单位有1件公示异议尚未调查处理完毕，处理后方可授牌。"]
    assert [app.pk for app in list_awardable_applications(notice=published.notice, at=DAY_AFTER)] == [
        published.second.pk
    ]
    assert not list_awardable_applications(notice=published.notice, at=LAST_SECOND).exists()
    decide_objection(objection=objection, upheld=False, investigation_note="核实。", reply="不成立。", user=call_admin)
    assert no_standing_objection(**args, at=DAY_AFTER) == []
    assert list_awardable_applications(notice=published.notice, at=DAY_AFTER).count() == 2


def test_an_unpublished_application_cannot_pass_the_notice_guard(make_soliciting, call_admin):
    application = make_soliciting()
    assert notice_closed(application=application, actor=call_admin, payload={}, at=DAY_AFTER) == [
        "该申报尚未列入公示，不能授牌。"
    ]


def test_award_is_refused_through_the_workflow_before_the_end_and_while_an_objection_is_pending(published, call_admin):
    from shenbao.applications.services import fire_transition

    with pytest.raises(ValidationError) as caught:
        fire_transition(application=published.first, name="award", actor=call_admin, at=LAST_SECOND)
    assert "公示期满后方可授牌" in caught.value.messages[0]
    _file(published)
    with pytest.raises(ValidationError) as caught:
        fire_transition(application=published.first, name="award", actor=call_admin, at=DAY_AFTER)
    assert caught.value.messages == ["该单位有1件公示异议尚未调查处理完毕，处理后方可授牌。"]
    assert Application.objects.get(pk=published.first.pk).status == ApplicationStatus.IN_NOTICE


def test_the_reply_waits_for_a_mail_server_that_is_down_and_is_marked_sent_only_once_it_went_out(
    published, call_admin, smtp_down, django_capture_on_commit_callbacks
):
    from shenbao.notifications.models import OutgoingEmail
    from shenbao.notifications.outbox import send_due_emails

    objection = _file(published, email="wangwu@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        decide_objection(
            objection=objection,
            upheld=False,
            investigation_note="经核实，反映的问题不属实。",
            reply="经调查核实，异议不成立。",
            user=call_admin,
            at=DAY_AFTER,
        )
    objection.refresh_from_db()
    assert objection.status == Objection.Status.NOT_UPHELD
    assert objection.reply_emailed_at is None  # the page must not claim 「答复已发送」 yet
    email = OutgoingEmail.objects.get(purpose="notices:objection_reply")
    assert email.status == OutgoingEmail.Status.PENDING and email.attempts == 1

    smtp_down.start()
    assert send_due_emails(at=email.next_attempt_at) == 1
    [message] = smtp_down.messages
    assert message["To"] == "wangwu@example.com" and "异议不成立" in message.get_content()
    objection.refresh_from_db()
    assert objection.reply_emailed_at is not None
