"""PDF rendering of a document's content with WeasyPrint (A4, embedded Noto CJK fonts).

WeasyPrint subsets and embeds every font it uses, so the file shows the same on a machine without Chinese
fonts; the stylesheets name the Debian `fonts-noto-cjk` families (Noto Serif/Sans CJK SC).
"""

import ctypes
import ctypes.util
import functools
import gc
import ssl
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation

STATIC = Path(__file__).resolve().parent / "static" / "documents"
STYLESHEETS = (STATIC / "document.css", STATIC / "pdf.css")
# A document reads only our own files (stylesheets, the fonts' files, data: images): never the network, so a
# value that reached a template cannot make the server fetch an address. The empty TLS context also spares each
# fetcher WeasyPrint's default one, which loads the system's certificates (tens of milliseconds per document).
ALLOWED_PROTOCOLS = ("file", "data")
_NO_TLS = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


def _malloc_trim():
    # glibc only (Debian's); elsewhere nothing to call and nothing lost but the returned pages.
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


_MALLOC_TRIM = _malloc_trim()


def _url_fetcher():
    from weasyprint.urls import URLFetcher

    # A fetcher per document: URLFetcher keeps request state between calls, so one must not serve two threads.
    return URLFetcher(allowed_protocols=ALLOWED_PROTOCOLS, ssl_context=_NO_TLS, allow_redirects=False)


@functools.cache
def _stylesheet(path: Path, modified: float):
    """A parsed stylesheet, kept while the file is unchanged (parsing document.css costs more than a page)."""
    from weasyprint import CSS

    return CSS(filename=str(path), url_fetcher=_url_fetcher())


def _css_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _page_css(content):
    from weasyprint import CSS

    # The number and code change per document, so the running header and footer are generated rather than kept in
    # pdf.css. The verification code is on every page, so a single page can be checked on its own.
    header = _css_string(f"{content.title}\u3000申报编号：{content.number}")
    code = _css_string(f"核验码：{content.verification_code}")
    return CSS(
        url_fetcher=_url_fetcher(),
        string=(
            "@page { @top-right { content: " + header + "; font-family: 'Noto Sans CJK SC', sans-serif; "
            "font-size: 8.5pt; color: #333; } "
            "@bottom-right { content: " + code + "; font-family: 'Noto Sans CJK SC', sans-serif; "
            "font-size: 8pt; color: #333; } }"
            # The cover shows the number itself; no running header there.
            "@page :first { @top-right { content: none; } }"
        ),
    )


def layout_template(*, template, context, stylesheets=(), extra_css=(), presentational_hints=False):
    """The laid-out pages (a WeasyPrint Document) of any template in the house style: A4, the documents'
    stylesheets, embedded Noto CJK fonts. `render_template_pdf` writes them; tests read their boxes.

    `stylesheets` (paths) and `extra_css` (CSS objects) are applied after the house style; `presentational_hints`
    lets HTML attributes (`<col width>`) size boxes.
    """
    # Imported here: loading WeasyPrint (Pango, fonts) costs start-up time for every process that never renders.
    from weasyprint import HTML

    with translation.override("zh-hans"):
        html = render_to_string(template, context)
    sheets = [_stylesheet(Path(path), Path(path).stat().st_mtime) for path in (*STYLESHEETS, *stylesheets)]
    sheets.extend(extra_css)
    return HTML(string=html, base_url=str(STATIC), url_fetcher=_url_fetcher()).render(
        stylesheets=sheets, presentational_hints=presentational_hints
    )


def render_template_pdf(*, template, context, stylesheets=(), extra_css=()):
    """PDF bytes of any template in the house style (see `layout_template`).

    Other apps' official papers (审核意见表, 命名文件, 牌匾证书) render through this too, so every PDF of the
    platform shares one page set-up.
    """
    return layout_template(template=template, context=context, stylesheets=stylesheets, extra_css=extra_css).write_pdf()


def layout_document(content):
    """The laid-out pages of a `DocumentContent` (the tables' column widths come as `<col width>`)."""
    return layout_template(
        template="documents/pdf/document.html",
        context={"content": content},
        extra_css=[_page_css(content)],
        presentational_hints=True,
    )


def render_pdf(content):
    """PDF bytes for a `DocumentContent`."""
    return layout_document(content).write_pdf()


def release_render_memory():
    """Give back what a rendering left behind, after each document a process renders.

    WeasyPrint's boxes and fontTools' tables (it subsets the CJK fonts) form reference cycles that only a full
    cyclic collection frees, and glibc keeps freed memory mapped: without both, a worker grew by about 60 MB a
    document (230 → 550 MB) until a full collection happened to run; with them it is back at its level of the
    previous document, about 145 MB (measured by bench/worker_memory.py).
    """
    gc.collect()
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)
