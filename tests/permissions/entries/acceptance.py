"""acceptance: construction-period reports (建设进展报告), 评估验收 and rectification (整改) of designated units.

The unit's applicant sees its own projects and may act while a report / self-evaluation / rectification report is
still being filled in; the call administrator of the city sees every unit's once submitted (a unit's drafts answer
404 to the city) and decides; an expert sees only the evaluations it is assigned to (the home expert is assigned
on `own`, another expert on `other_county`). Objects the user may see but not change answer 403 when a form is
posted at them (the unit knows they exist); everything outside the scope answers 404.

`build` adds, with the acceptance services:
- on the scenario's awarded workstations (own: 城区, other_county: 泽州县): both reports accepted, acceptance
  applied for (`acceptance.evaluation`), the 2023 report (`acceptance.report`) and its evidence, score sheets;
- training-base projects of the same units whose first evaluation failed (`acceptance.evaluation.decided`), with
  the rectification period open (`acceptance.rectification`);
- two new designated units (城区 / 泽州县) with a submitted 2023 report and a draft 2024 report with evidence
  (`acceptance.report.submitted`, `acceptance.report.draft`, `acceptance.evidence.draft`); their applicant is the
  home applicant of those kinds.
"""

from shenbao.acceptance.models import EvidenceFile, ProgressReport, Rectification
from shenbao.acceptance.reviews import assign_experts
from shenbao.experts.models import ExpertProfile
from shenbao.experts.services import create_expert
from shenbao.organisations.models import Organisation, Region, UnitType
from tests.acceptance.builders import (
    accept_all_reports,
    apply_for_acceptance,
    designate,
    file_report,
    score_and_decide,
    scores_with_total,
)
from tests.factories import OrganisationFactory, UserFactory
from tests.permissions.dsl import (
    ADMIN,
    APPLICANT,
    EXPERT,
    OTHER_COUNTY,
    OWN,
    REDIRECT,
    allow,
    expect,
    get,
    post,
)

SEEN_NOT_CHANGED = "the user sees the object but may not change it in its state: 403, not 404"
NOT_EDITABLE = "the edit page of a submitted object sends those who may see it to its detail page"
ASSIGNED = "the expert assigned to the own unit's evaluation reads its reports and evidence"

ENTRIES = [
    get("acceptance:home", allow(ADMIN, APPLICANT)),
    get("acceptance:admin_reports", allow(ADMIN)),
    get("acceptance:admin_evaluations", allow(ADMIN)),
    get("acceptance:expert_reviews", allow(EXPERT)),
    # Projects (the designated applications).
    get("acceptance:project_detail", allow(ADMIN), allow(APPLICANT, on=OWN), obj="application.awarded"),
    post(
        "acceptance:report_start",
        allow(APPLICANT, on=OWN),
        expect(403, ADMIN),
        obj="application.awarded",
        kwargs=lambda application: {"public_id": application.public_id, "year": 2023},
        note=SEEN_NOT_CHANGED,
    ),
    post(
        "acceptance:evaluation_start",
        allow(APPLICANT, on=OWN),
        expect(403, ADMIN),
        obj="application.awarded",
        note=SEEN_NOT_CHANGED,
    ),
    # Progress reports.
    get(
        "acceptance:report_detail",
        allow(ADMIN),
        allow(APPLICANT, EXPERT, on=OWN),
        obj="acceptance.report",
        note=ASSIGNED,
    ),
    get("acceptance:report_detail", allow(ADMIN), allow(APPLICANT, on=OWN), obj="acceptance.report.submitted"),
    get("acceptance:report_detail", allow(APPLICANT, on=OWN), obj="acceptance.report.draft"),
    get(
        "acceptance:report_edit",
        expect(REDIRECT, ADMIN),
        expect(REDIRECT, APPLICANT, EXPERT, on=OWN),
        obj="acceptance.report",
        note=NOT_EDITABLE,
    ),
    get("acceptance:report_edit", allow(APPLICANT, on=OWN), obj="acceptance.report.draft"),
    post("acceptance:report_edit", allow(APPLICANT, on=OWN), obj="acceptance.report.draft", data={}),
    post("acceptance:report_evidence", allow(APPLICANT, on=OWN), obj="acceptance.report.draft", data={}),
    post(
        "acceptance:report_evidence",
        expect(403, ADMIN),
        expect(403, APPLICANT, EXPERT, on=OWN),
        obj="acceptance.report",
        data={},
        note=SEEN_NOT_CHANGED,
    ),
    post(
        "acceptance:report_review",
        allow(ADMIN),
        expect(403, APPLICANT, on=OWN),
        obj="acceptance.report.submitted",
        data={"decision": "accept"},
        note=SEEN_NOT_CHANGED,
    ),
    # Evidence files.
    get(
        "acceptance:evidence_download",
        allow(ADMIN),
        allow(APPLICANT, EXPERT, on=OWN),
        obj="acceptance.evidence",
        note=ASSIGNED,
    ),
    post("acceptance:evidence_remove", allow(APPLICANT, on=OWN), obj="acceptance.evidence.draft"),
    # Evaluations (the unit's application with its self-evaluation; experts use their sheet).
    get("acceptance:evaluation_detail", allow(ADMIN), allow(APPLICANT, on=OWN), obj="acceptance.evaluation"),
    get(
        "acceptance:evaluation_edit",
        expect(REDIRECT, ADMIN),
        expect(REDIRECT, APPLICANT, on=OWN),
        obj="acceptance.evaluation",
        note=NOT_EDITABLE,
    ),
    post(
        "acceptance:evaluation_edit",
        expect(REDIRECT, ADMIN),
        expect(REDIRECT, APPLICANT, on=OWN),
        obj="acceptance.evaluation",
        data={},
        note=NOT_EDITABLE,
    ),
    post(
        "acceptance:evaluation_evidence",
        expect(403, ADMIN),
        expect(403, APPLICANT, on=OWN),
        obj="acceptance.evaluation",
        data={},
        note=SEEN_NOT_CHANGED,
    ),
    post(
        "acceptance:evaluation_assign",
        allow(ADMIN),
        expect(403, APPLICANT, on=OWN),
        obj="acceptance.evaluation",
        data={},
        note=SEEN_NOT_CHANGED,
    ),
    post(
        "acceptance:evaluation_decide",
        allow(ADMIN),
        expect(403, APPLICANT, on=OWN),
        obj="acceptance.evaluation",
        data={},
        note=SEEN_NOT_CHANGED,
    ),
    get(
        "acceptance:evaluation_pdf",
        allow(ADMIN),
        allow(APPLICANT, on=OWN),
        obj="acceptance.evaluation.decided",
        sample=2,
    ),
    post(
        "acceptance:rectification_close",
        allow(ADMIN),
        expect(403, APPLICANT, on=OWN),
        obj="acceptance.evaluation.decided",
        data={},
        note=SEEN_NOT_CHANGED,
    ),
    # Rectification (the unit's own until submitted).
    get("acceptance:rectification_edit", allow(APPLICANT, on=OWN), obj="acceptance.rectification"),
    post("acceptance:rectification_edit", allow(APPLICANT, on=OWN), obj="acceptance.rectification", data={}),
    post("acceptance:rectification_evidence", allow(APPLICANT, on=OWN), obj="acceptance.rectification", data={}),
    # Experts' score sheets.
    get("acceptance:review_sheet", allow(EXPERT, on=OWN), obj="acceptance.review"),
    post("acceptance:review_sheet", allow(EXPERT, on=OWN), obj="acceptance.review", data={}),
    post(
        "acceptance:review_remove",
        allow(ADMIN),
        expect(403, APPLICANT, on=OWN),
        obj="acceptance.review",
        data={},
        note=SEEN_NOT_CHANGED,
    ),
]


def _in_pool(scenario, user):
    """Acceptance experts come from the city's expert pool (the experts app's 回避 rules); the experts entry
    may put the same user in the pool, whichever build runs first."""
    if not ExpertProfile.objects.filter(user=user).exists():
        create_expert(
            actor=scenario.users[ADMIN],
            user=user,
            full_name=user.full_name or user.username,
            work_unit_name="",
            region=user.organisation.region,
        )
    return user


def _expert(scenario, name):
    society = OrganisationFactory(
        name=name,
        kind=Organisation.Kind.OTHER,
        unit_type=None,
        credit_code=None,
        region=Region.objects.get(key="140502"),
    )
    return _in_pool(scenario, scenario.make_user(EXPERT, society))


def _new_unit(name, region):
    return OrganisationFactory(
        name=name, unit_type=UnitType.objects.get(code="enterprise"), region=Region.objects.get(key=region)
    )


def build(scenario):
    admin = scenario.users[ADMIN]
    awarded = scenario.kinds["application.awarded"]
    applicants = {OWN: awarded.users[APPLICANT], OTHER_COUNTY: awarded[OTHER_COUNTY].applicant}
    size = scenario.call.acceptance_experts_per_application
    panel = [_expert(scenario, f"晋城市验收专家库单位{n}") for n in range(size)]
    sheet_holders = {OWN: _in_pool(scenario, scenario.users[EXPERT]), OTHER_COUNTY: panel[0]}

    evaluations_, reports, evidence, reviews, decided, rectifications = {}, {}, {}, {}, {}, {}
    for relation, application in awarded.objects.items():
        applicant = applicants[relation]
        accept_all_reports(application, applicant, admin)
        evaluations_[relation] = apply_for_acceptance(application, applicant)
        reports[relation] = ProgressReport.objects.get(application=application, year=2023)
        evidence[relation] = EvidenceFile.objects.filter(report=reports[relation]).first()
        (reviews[relation],) = assign_experts(
            evaluation=evaluations_[relation], experts=[sheet_holders[relation]], actor=admin
        )
        base = designate(call=scenario.call, unit=application.unit, user=applicant, project_type_code="training_base")
        accept_all_reports(base, applicant, admin)
        decided[relation] = score_and_decide(
            apply_for_acceptance(base, applicant), panel, admin, scores_with_total(base, 50), conclusion="不合格。"
        )
        rectifications[relation] = Rectification.objects.get(evaluation=decided[relation])
    users = {APPLICANT: applicants[OWN]}
    scenario.add("acceptance.evaluation", users=users, **evaluations_)
    scenario.add("acceptance.report", users=users, **reports)
    scenario.add("acceptance.evidence", users=users, **evidence)
    scenario.add("acceptance.review", users=users, **reviews)
    scenario.add("acceptance.evaluation.decided", users=users, **decided)
    scenario.add("acceptance.rectification", users=users, **rectifications)

    submitted, drafts, draft_evidence, fresh_users = {}, {}, {}, {}
    for relation, (name, region) in {
        OWN: ("晋城市城区建设期示范有限公司", "140502"),
        OTHER_COUNTY: ("泽州县建设期示范有限公司", "140525"),
    }.items():
        unit = _new_unit(name, region)
        applicant = UserFactory(organisation=unit, roles=["applicant"])
        fresh_users[relation] = applicant
        application = designate(call=scenario.call, unit=unit, user=applicant)
        submitted[relation] = file_report(application, applicant, 2023)
        drafts[relation] = file_report(application, applicant, 2024, submit=False)
        draft_evidence[relation] = EvidenceFile.objects.filter(report=drafts[relation]).first()
    users = {APPLICANT: fresh_users[OWN]}
    scenario.add("acceptance.report.submitted", users=users, **submitted)
    scenario.add("acceptance.report.draft", users=users, **drafts)
    scenario.add("acceptance.evidence.draft", users=users, **draft_evidence)
