"""三1 审核申报资质、材料: the first-review checklist judges every material item by item with a note, and a pass needs
the 推荐意见 and the body's sealed opinion (scan); the record keeps what was judged."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from shenbao.applications.materials import upload_material
from shenbao.applications.services import fire_transition
from shenbao.audit.models import AuditEntry
from shenbao.calls.models import MaterialRequirement
from shenbao.review.models import FirstReviewRecord, FirstReviewSeal
from shenbao.review.services import decide_first_review, upload_first_review_seal
from tests.applications.material_files import pdf_bytes, png_bytes

from .builders import AFTER, DUE, all_met, upload_seal

MATERIALS = [
    "material:application-form",
    "material:application-report",
    "material:member-certificates",
    "material:business-licence",
    "material:bank-account",
    "material:other-evidence",
]


def pass_with(application, reviewer, items):
    return decide_first_review(
        application=application, user=reviewer, decision="pass", items=items, recommendation="同意推荐。", at=AFTER
    )


def test_every_material_of_the_type_is_on_the_checklist_after_the_rules(submitted):
    codes = list(all_met(submitted))
    assert codes[-len(MATERIALS) :] == MATERIALS
    assert not any(code.startswith("material:") for code in codes[: -len(MATERIALS)])


def test_an_unjudged_material_keeps_the_checklist_incomplete(submitted, county_reviewer):
    upload_seal(submitted, county_reviewer)
    items = all_met(submitted)
    del items["material:bank-account"]
    with pytest.raises(ValidationError) as caught:
        pass_with(submitted, county_reviewer, items)
    name = MaterialRequirement.objects.get(project_type=submitted.project_type, code="bank-account").name
    assert caught.value.messages == [f"核查表未完成：请核查材料「{name}」。"]


def test_a_required_material_judged_not_met_blocks_a_pass_an_optional_one_does_not(submitted, county_reviewer):
    upload_seal(submitted, county_reviewer)
    items = all_met(submitted)
    items["material:other-evidence"] = {"judgement": "not_met", "note": "佐证材料不清晰"}
    items["material:member-certificates"] = {"judgement": "not_met", "note": "缺高级技师证书"}
    with pytest.raises(ValidationError) as caught:
        pass_with(submitted, county_reviewer, items)
    assert len(caught.value.messages) == 1
    assert caught.value.messages[0].startswith("必交材料「") and "不能通过初审" in caught.value.messages[0]
    items["material:member-certificates"] = {"judgement": "met", "note": ""}
    assert pass_with(submitted, county_reviewer, items).status == "recheck"


def test_a_pass_needs_the_sealed_opinion_of_this_version(submitted, county_reviewer, applicant):
    with pytest.raises(ValidationError) as caught:
        pass_with(submitted, county_reviewer, all_met(submitted))
    assert caught.value.messages == ["请上传加盖本单位公章的初审意见扫描件。"]
    upload_seal(submitted, county_reviewer)
    returned = fire_transition(
        application=submitted,
        name="return_for_revision",
        actor=county_reviewer,
        comment="请补充。",
        payload={"resubmission_due": DUE},
        at=AFTER,
    )
    resubmitted = fire_transition(application=returned, name="resubmit", actor=applicant, at=AFTER)
    with pytest.raises(ValidationError) as caught:  # the earlier seal was for version 1
        pass_with(resubmitted, county_reviewer, all_met(resubmitted))
    assert caught.value.messages == ["请上传加盖本单位公章的初审意见扫描件。"]
    seal = upload_seal(resubmitted, county_reviewer)
    assert seal.version_sequence == 2
    assert pass_with(resubmitted, county_reviewer, all_met(resubmitted)).status == "recheck"


def test_the_record_keeps_the_files_judged_the_notes_and_the_seal(submitted, county_reviewer):
    seal = upload_seal(submitted, county_reviewer)
    items = all_met(submitted)
    items["material:business-licence"]["note"] = "与原件一致"
    pass_with(submitted, county_reviewer, items)
    record = FirstReviewRecord.objects.get()
    assert record.seal == seal and record.recommendation == "同意推荐。"
    rows = {row["code"]: row for row in record.checklist}
    licence = rows["material:business-licence"]
    assert (licence["judgement"], licence["note"], licence["kind"]) == ("met", "与原件一致", "material")
    assert [file["name"] for file in licence["files"]] == ["business-licence.pdf"]
    assert rows["material:application-form"]["generated"] is True


def test_only_the_body_uploads_only_while_the_first_review_is_open(
    submitted, county_reviewer, zezhou_reviewer, applicant
):
    pdf = SimpleUploadedFile("初审意见.pdf", pdf_bytes())
    for user in (zezhou_reviewer, applicant):
        with pytest.raises(PermissionDenied):
            upload_first_review_seal(application=submitted, uploaded_file=pdf, user=user)
    with pytest.raises(ValidationError):  # not a PDF or image
        upload_first_review_seal(
            application=submitted,
            uploaded_file=SimpleUploadedFile("初审意见.txt", "同意".encode()),
            user=county_reviewer,
        )
    image = upload_first_review_seal(
        application=submitted, uploaded_file=SimpleUploadedFile("初审意见.png", png_bytes()), user=county_reviewer
    )
    assert image.content_type == "image/png" and image.organisation == county_reviewer.organisation
    decided = pass_with(submitted, county_reviewer, all_met(submitted))
    with pytest.raises(PermissionDenied):
        upload_seal(decided, county_reviewer)
    with pytest.raises(PermissionDenied):  # a page opened before the decision: refused under the row lock
        upload_seal(submitted, county_reviewer)
    assert FirstReviewSeal.objects.count() == 1
    assert AuditEntry.objects.filter(event="review:upload_seal", result="failure").count() == 4


def test_a_material_uploaded_later_is_not_in_the_record(submitted, county_reviewer, applicant):
    upload_seal(submitted, county_reviewer)
    pass_with(submitted, county_reviewer, all_met(submitted))
    record = FirstReviewRecord.objects.get()
    requirement = MaterialRequirement.objects.get(project_type=submitted.project_type, code="other-evidence")
    assert record.checklist[-1]["code"] == "material:other-evidence" and record.checklist[-1]["files"] == []
    with pytest.raises(PermissionDenied):  # and the unit cannot add one after submission anyway
        upload_material(
            application=submitted,
            requirement=requirement,
            uploaded_file=SimpleUploadedFile("佐证.pdf", pdf_bytes()),
            user=applicant,
        )
