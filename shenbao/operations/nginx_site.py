"""The nginx site of a deployment, rendered from deploy/nginx/shenbao-site.conf.template (`render_nginx_site`).

The template is plain Django template syntax with autoescaping off; what keeps the configuration sound is that
every value is checked here before it is written into it: host names, host:port pairs and absolute paths, none
with a space, quote, brace or semicolon that could end a directive and start another. client_max_body_size is not
an input but computed from the call files loaded into the database (`MaterialRequirement.max_size_mb`, the size the
call file declares per material, calls/schema.py) and the limit of the uploads whose rule is fixed in code, so a new
call with bigger materials needs only a re-render, never an edit of the site.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template import Context, Engine

from shenbao.calls.selectors import find_largest_material_size_mb

NGINX_DIR = Path(settings.BASE_DIR) / "deploy" / "nginx"
TEMPLATE_NAME = "shenbao-site.conf.template"
S3_SNIPPET = NGINX_DIR / "snippets" / "protected-s3.conf"
# The largest limit of the uploads whose rule is fixed in code rather than in a call file (the 初审 seal, evidence of
# the acceptance and of objections, the signed scan: `UploadRule(max_size_mb=…)` in their apps).
# tests/deploy/test_nginx_site.py finds every such rule and fails if one outgrows this.
FIXED_UPLOADS_MB = 20
# The multipart envelope around the file (boundaries, the CSRF token, the requirement's code) is a few kilobytes;
# one megabyte more is plenty and keeps the limit readable.
BODY_MARGIN_MB = 1
# gunicorn's worker timeout (gunicorn.conf.py, GUNICORN_TIMEOUT) plus this: gunicorn ends a slow request first.
READ_TIMEOUT_MARGIN_SECONDS = 15

_LABEL = r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
HOST_NAME = re.compile(rf"^(?=.{{1,253}}$)(\*\.)?{_LABEL}(\.{_LABEL})*$")
# host:port, [IPv6]:port or unix:/path (a web node on the same machine may listen on a socket).
UPSTREAM = re.compile(r"^((\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):\d{1,5}|unix:/[A-Za-z0-9._/-]+)$")
SAFE_PATH = re.compile(r"^/[A-Za-z0-9._/@+-]*$")
S3_ENDPOINT = re.compile(r"^https?://[A-Za-z0-9.-]+(:\d{1,5})?$")


class SiteInputError(ValueError):
    """An input that cannot go into the site; the message says which and why (in Chinese, for the operator)."""


@dataclass(frozen=True)
class NginxSite:
    """Everything the template needs. Build it with `build_nginx_site`, which checks each value."""

    server_names: tuple[str, ...]
    upstreams: tuple[str, ...]
    certificate: str
    certificate_key: str
    static_root: str
    media_root: str
    largest_upload_mb: int
    client_max_body_mb: int
    hsts_seconds: int
    read_timeout: int
    http_port: int = 80
    https_port: int = 443
    s3_endpoint: str = ""


def find_largest_upload_mb() -> int:
    """The largest size in MB any upload may have: the loaded calls' materials and the rules fixed in code."""
    return max(find_largest_material_size_mb(), FIXED_UPLOADS_MB)


def _check_all(values: tuple[str, ...], pattern: re.Pattern[str], what: str) -> tuple[str, ...]:
    if not values:
        raise SiteInputError(f"至少需要一个{what}。")
    for value in values:
        if not pattern.match(value):
            raise SiteInputError(f"{what}不合格：{value!r}。")
    return values


def _check_path(value: str | Path, what: str) -> str:
    text = str(value).rstrip("/") or "/"
    if not SAFE_PATH.match(text):
        raise SiteInputError(f"{what}应为绝对路径，且不含空格、引号、分号或花括号：{text!r}。")
    return text


def build_nginx_site(
    *,
    server_names: tuple[str, ...],
    upstreams: tuple[str, ...],
    certificate: str | Path,
    certificate_key: str | Path,
    static_root: str | Path,
    media_root: str | Path,
    largest_upload_mb: int,
    hsts_seconds: int,
    worker_timeout: int,
    http_port: int = 80,
    https_port: int = 443,
    s3_endpoint: str = "",
) -> NginxSite:
    """Check every input (SiteInputError names the bad one) and derive the computed values."""
    if s3_endpoint and not S3_ENDPOINT.match(s3_endpoint):
        raise SiteInputError(
            f"S3 地址应形如 https://s3.example.gov.cn 或 http://10.0.0.5:9000，不带路径：{s3_endpoint!r}。"
        )
    if s3_endpoint and not S3_SNIPPET.is_file():
        raise SiteInputError(f"给出了 S3 地址，但缺少 S3 下载的 nginx 片段 {S3_SNIPPET}。")
    for port in (http_port, https_port):
        if not 0 < port < 65536:
            raise SiteInputError(f"端口不合格：{port}。")
    if largest_upload_mb <= 0 or hsts_seconds < 0 or worker_timeout <= 0:
        raise SiteInputError("上传大小上限和超时须为正数，HSTS 时长不能为负数。")
    return NginxSite(
        server_names=_check_all(server_names, HOST_NAME, "主机名"),
        upstreams=_check_all(upstreams, UPSTREAM, "上游 Web 节点（如 10.0.0.2:8000）"),
        certificate=_check_path(certificate, "证书路径"),
        certificate_key=_check_path(certificate_key, "私钥路径"),
        static_root=_check_path(static_root, "静态文件目录"),
        media_root=_check_path(media_root, "上传文件目录"),
        largest_upload_mb=largest_upload_mb,
        client_max_body_mb=largest_upload_mb + BODY_MARGIN_MB,
        hsts_seconds=hsts_seconds,
        read_timeout=worker_timeout + READ_TIMEOUT_MARGIN_SECONDS,
        http_port=http_port,
        https_port=https_port,
        s3_endpoint=s3_endpoint,
    )


def render_nginx_site(*, site: NginxSite) -> str:
    """The site's configuration text."""
    engine = Engine(dirs=[str(NGINX_DIR)], autoescape=False)
    context = {
        **site.__dict__,
        "primary_server_name": site.server_names[0],
        "https_port_suffix": "" if site.https_port == 443 else f":{site.https_port}",
        "s3_snippet": str(S3_SNIPPET),
    }
    return engine.get_template(TEMPLATE_NAME).render(Context(context))
