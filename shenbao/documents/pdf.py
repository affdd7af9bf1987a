"""PDF rendering of a document's content with WeasyPrint (A4, embedded Noto CJK fonts).

WeasyPrint subsets and embeds every font it uses, so the file shows the same on a machine without Chinese
fonts; the stylesheets name the Debian `fonts-noto-cjk` families (Noto Serif/Sans CJK SC).
"""

from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation

STATIC = Path(__file__).resolve().parent / "static" / "documents"
STYLESHEETS = (STATIC / "document.css", STATIC / "pdf.css")


def _css_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _header_css(content):
    from weasyprint import CSS

    # The number changes per document, so the running header is generated rather than kept in pdf.css.
    header = _css_string(f"{content.title}\u3000申报编号：{content.number}")
    return CSS(
        string=(
            "@page { @top-right { content: " + header + "; font-family: 'Noto Sans CJK SC', sans-serif; "
            "font-size: 8.5pt; color: #333; } }"
            # The cover shows the number itself; no running header there.
            "@page :first { @top-right { content: none; } }"
        )
    )


def render_template_pdf(*, template, context, stylesheets=(), extra_css=()):
    """PDF bytes of any template in the house style: A4, the documents' stylesheets, embedded Noto CJK fonts.

    Other apps' official papers (审核意见表, 命名文件, 牌匾证书) render through this too, so every PDF of the
    platform shares one page set-up; `stylesheets` (paths) and `extra_css` (CSS objects) are applied after it.
    """
    # Imported here: loading WeasyPrint (Pango, fonts) costs start-up time for every process that never renders.
    from weasyprint import CSS, HTML

    with translation.override("zh-hans"):
        html = render_to_string(template, context)
    sheets = [CSS(filename=str(path)) for path in (*STYLESHEETS, *stylesheets)]
    sheets.extend(extra_css)
    return HTML(string=html, base_url=str(STATIC)).write_pdf(stylesheets=sheets)


def render_pdf(content):
    """PDF bytes for a `DocumentContent`."""
    return render_template_pdf(
        template="documents/pdf/document.html", context={"content": content}, extra_css=[_header_css(content)]
    )
