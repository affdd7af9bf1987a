"""`python manage.py render_nginx_site --certificate … --certificate-key … [--output FILE]`: the nginx site.

Renders deploy/nginx/shenbao-site.conf.template with this deployment's values (shenbao/operations/nginx_site.py).
Run it again after loading a call whose materials are larger: client_max_body_size follows the loaded calls.
"""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from shenbao.operations.nginx_site import SiteInputError, build_nginx_site, find_largest_upload_mb, render_nginx_site


def _gunicorn_timeout() -> int:
    # The same variable and default as gunicorn.conf.py, read where the site is rendered (the web node's env file).
    return int(os.environ.get("GUNICORN_TIMEOUT", "60"))


class Command(BaseCommand):
    help = "按本部署的配置生成 nginx 站点配置（client_max_body_size 取自已导入的申报通知中最大的材料大小上限）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--server-name", action="append", dest="server_names", help="站点主机名，可重复；默认取 ALLOWED_HOSTS"
        )
        parser.add_argument(
            "--upstream",
            action="append",
            dest="upstreams",
            help="Web 节点的地址和端口（如 10.0.0.2:8000），可重复；默认 127.0.0.1:8000",
        )
        parser.add_argument("--certificate", required=True, help="TLS 证书（含中间证书链）的路径")
        parser.add_argument("--certificate-key", required=True, help="TLS 私钥的路径")
        parser.add_argument("--static-root", default=str(settings.STATIC_ROOT), help="collectstatic 的输出目录")
        parser.add_argument("--media-root", default=str(settings.MEDIA_ROOT), help="上传文件目录（本机磁盘存储时）")
        parser.add_argument(
            "--s3-endpoint", default="", help="上传文件存于 S3 兼容存储时，其地址（如 http://10.0.0.5:9000），不带路径"
        )
        parser.add_argument("--http-port", type=int, default=80)
        parser.add_argument("--https-port", type=int, default=443)
        parser.add_argument(
            "--hsts-seconds", type=int, default=getattr(settings, "SECURE_HSTS_SECONDS", 0) or 365 * 24 * 3600
        )
        parser.add_argument("--output", help="写入该文件；默认输出到标准输出")

    def handle(self, *args, **options):
        try:
            site = build_nginx_site(
                server_names=tuple(options["server_names"] or settings.ALLOWED_HOSTS),
                upstreams=tuple(options["upstreams"] or ["127.0.0.1:8000"]),
                certificate=options["certificate"],
                certificate_key=options["certificate_key"],
                static_root=options["static_root"],
                media_root=options["media_root"],
                largest_upload_mb=find_largest_upload_mb(),
                hsts_seconds=options["hsts_seconds"],
                worker_timeout=_gunicorn_timeout(),
                http_port=options["http_port"],
                https_port=options["https_port"],
                s3_endpoint=options["s3_endpoint"],
            )
        except SiteInputError as error:
            raise CommandError(str(error)) from error
        text = render_nginx_site(site=site)
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as output:
                output.write(text)
            self.stderr.write(
                f"已写入 {options['output']}（client_max_body_size {site.client_max_body_mb}m，"
                f"最大上传 {site.largest_upload_mb} MB）。"
            )
        else:
            self.stdout.write(text, ending="")
