"""The designation document (命名文件, 发文) and the plaque certificate (牌匾证书) as PDFs in the house style
(rendered by `shenbao.documents.pdf.render_template_pdf`, embedded Noto CJK fonts). Official papers: fixed
Chinese wording, not translated."""

from itertools import groupby
from pathlib import Path

from shenbao.documents.content import chinese_date, chinese_number, verify_url
from shenbao.documents.pdf import render_template_pdf

from .selectors import list_designation_plaques

STATIC = Path(__file__).resolve().parent / "static" / "awards"


def _type_names(plaques, designation):
    if designation.project_type_id:
        return designation.project_type.name
    names = list(dict.fromkeys(plaque.application.project_type.name for plaque in plaques))
    return "、".join(names) or "—"


def build_designation(*, designation, site_url=""):
    plaques = list(list_designation_plaques(designation=designation))
    call = designation.call
    groups = [
        {
            "project_type": project_type_name,
            "number": chinese_number(index),
            "plaques": list(items),
        }
        for index, (project_type_name, items) in enumerate(
            groupby(plaques, key=lambda plaque: plaque.application.project_type.name), 1
        )
    ]
    kinds = _type_names(plaques, designation)
    body = (
        f"根据《{call.title}》，经单位申报、资格初审、资格复核、专家评审、征求意见和公示，"
        f"决定命名{len(plaques)}家单位为{call.year}年{kinds}（名单附后），并授予牌匾。",
        "各单位要按照申报书和实施方案确定的目标任务，健全管理制度，落实场地、设备和经费保障，"
        "充分发挥示范引领作用，按期完成建设任务。建设扶持经费分两次拨付：命名后拨付启动经费，"
        "评估验收合格后拨付剩余经费。各县（市、区）人力资源和社会保障局、各主管部门要加强指导和监督检查。",
    )
    return {
        "designation": designation,
        "title": designation.title,
        # 附件 名单: the title without 关于命名 … 的通知.
        "list_title": designation.title.removeprefix("关于命名").removesuffix("的通知") + "名单",
        "document_number": designation.document_number or "〔　　〕号",
        "addressees": "各县（市、区）人力资源和社会保障局，市直有关单位：",
        "body": body,
        "groups": groups,
        "issuing_bodies": list(designation.issuing_bodies or []),
        "date": chinese_date(designation.issued_on),
        "verification_code": designation.verification_code,
        "verify_url": verify_url(code=designation.verification_code, site_url=site_url),
    }


def render_designation_pdf(*, designation, site_url=""):
    return render_template_pdf(
        template="awards/pdf/designation.html",
        context=build_designation(designation=designation, site_url=site_url),
        stylesheets=[STATIC / "designation.css"],
    )


def build_plaque_certificate(*, plaque, site_url=""):
    application = plaque.application
    return {
        "plaque": plaque,
        "title": plaque.title,
        "unit_name": application.unit.name,
        "statement": f"经评审，命名你单位为{application.call.year}年{application.project_type.name}。",
        "number": plaque.number,
        "issuing_bodies": list(plaque.designation.issuing_bodies or []),
        "date": chinese_date(plaque.issued_on),
        "verification_code": plaque.verification_code,
        "verify_url": verify_url(code=plaque.verification_code, site_url=site_url),
    }


def render_plaque_pdf(*, plaque, site_url=""):
    return render_template_pdf(
        template="awards/pdf/plaque.html",
        context=build_plaque_certificate(plaque=plaque, site_url=site_url),
        stylesheets=[STATIC / "plaque.css"],
    )
