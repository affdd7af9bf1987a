"""Where nginx fetches a protected download from (X-Accel-Redirect), for the file-system and the S3 storage.

A web process checks who may read a file, audits it and answers with headers only; nginx then sends the bytes
(deploy/nginx: `location /_protected/media/` aliases MEDIA_ROOT, `location /_protected/s3/` includes
deploy/nginx/snippets/protected-s3.conf and proxies to the object store). For S3 what follows `s3/` is the path and
query of a GET the storage signed for this one download (valid SIGNED_URL_SECONDS): the bucket stays private, nginx
holds no key, and the signed query carries the Content-Type, Content-Disposition and Cache-Control the object store
must answer with (`response-content-type` …), so nginx passes the same headers the web process chose.
"""

from collections.abc import Mapping
from typing import TYPE_CHECKING, TypeGuard
from urllib.parse import quote, urlsplit

from django.core.files.storage import FileSystemStorage, Storage

if TYPE_CHECKING:
    from storages.backends.s3 import S3Storage

# The response headers the signed request makes the object store answer with (GetObject's ResponseContentType,
# ResponseContentDisposition, ResponseCacheControl: "Response" and the header's name without hyphens).
S3_RESPONSE_HEADERS = ("Content-Type", "Content-Disposition", "Cache-Control")


def is_s3(storage: Storage) -> TypeGuard["S3Storage"]:
    """True for django-storages' S3 storage (imported on use: a disk-only installation never loads boto3)."""
    # __class__, not type(): a FileField's storage is usually `default_storage`, a lazy proxy of the real one.
    if storage.__class__.__module__.split(".")[0] != "storages":
        return False
    from storages.backends.s3 import S3Storage

    return isinstance(storage, S3Storage)


def accel_redirect_path(*, storage: Storage, name: str, prefix: str, headers: Mapping[str, str]) -> str | None:
    """The X-Accel-Redirect target of the stored file `name`, or None when nginx cannot serve this storage (the
    in-memory storage of the tests): the web process then streams the file itself.

    `headers` are the response's Content-Type, Content-Disposition and Cache-Control; for S3 they are signed into
    the request so the object store answers with exactly these.
    """
    if isinstance(storage, FileSystemStorage):
        return f"{prefix}media/{quote(name, safe='/')}"
    if is_s3(storage):
        parameters = {
            f"Response{key.replace('-', '')}": value for key, value in headers.items() if key in S3_RESPONSE_HEADERS
        }
        signed = urlsplit(storage.url(name, parameters=parameters))
        return f"{prefix}s3/{signed.path.lstrip('/')}?{signed.query}"
    return None


def nginx_s3_origin(storage: Storage) -> str:
    """The origin nginx proxies `/_protected/s3/` to (`render_nginx_site --s3-endpoint`, the site's
    `$shenbao_s3_endpoint`): the host the storage signs for.

    Path-style addressing signs for the endpoint itself (the bucket is the path's first part); virtual-hosted
    addressing for `<bucket>.<endpoint host>`.
    """
    if not is_s3(storage):
        raise ValueError("the media storage is not S3")
    probe = urlsplit(storage.url("probe"))
    return f"{probe.scheme}://{probe.netloc}"
