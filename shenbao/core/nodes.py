"""Several web nodes and media on S3-compatible object storage: what the environment selects, and what multi-node
mode refuses (docs/operations/several-nodes.md).

Read by settings/base.py at start-up (so it imports nothing that needs the settings): a node configured to share the
work but holding per-process state refuses to start (ImproperlyConfigured) instead of quietly counting rate limits
or keeping uploads on its own disk; the system check `shenbao.core.checks.check_multi_node` applies the same rules
to the settings a profile ends with.
"""

from collections.abc import Callable, Mapping

FILESYSTEM_STORAGE = "django.core.files.storage.FileSystemStorage"
S3_STORAGE = "storages.backends.s3.S3Storage"
MEDIA_STORAGES = {"filesystem": FILESYSTEM_STORAGE, "s3": S3_STORAGE}
ADDRESSING_STYLES = ("path", "virtual")
# Backends whose state lives inside one process: a second node (or worker) sees another one.
PER_PROCESS_CACHES = ("django.core.cache.backends.locmem.LocMemCache", "django.core.cache.backends.dummy.DummyCache")
PER_PROCESS_STORAGES = ("django.core.files.storage.InMemoryStorage", "django.core.files.storage.memory.InMemoryStorage")
SHARED_TASK_BACKENDS = ("django_tasks_db.DatabaseBackend",)
# Short: the signed address only ever travels from a node to nginx (X-Accel-Redirect), which fetches it at once.
SIGNED_URL_SECONDS = 60


class StorageConfigError(ValueError):
    """The environment names a media storage that cannot work; the message says which variable to fix."""


def media_storage_from_env(env: Callable[[str, str], str]) -> dict[str, object]:
    """The STORAGES["default"] entry selected by SHENBAO_MEDIA_STORAGE ("filesystem", the default, or "s3").

    For "s3" the objects stay private: no ACL is sent (the bucket's own, private, applies), every address the storage
    builds is signed and expires after SIGNED_URL_SECONDS, and an existing name is never overwritten (as on disk).
    """
    kind = env("SHENBAO_MEDIA_STORAGE", "filesystem").strip().lower() or "filesystem"
    if kind not in MEDIA_STORAGES:
        raise StorageConfigError(f"SHENBAO_MEDIA_STORAGE must be one of {', '.join(MEDIA_STORAGES)}, not {kind!r}.")
    if kind == "filesystem":
        return {"BACKEND": FILESYSTEM_STORAGE}
    bucket = env("SHENBAO_S3_BUCKET", "").strip()
    if not bucket:
        raise StorageConfigError("SHENBAO_MEDIA_STORAGE=s3 needs SHENBAO_S3_BUCKET (the bucket holding the uploads).")
    style = env("SHENBAO_S3_ADDRESSING_STYLE", "path").strip().lower()
    if style not in ADDRESSING_STYLES:
        raise StorageConfigError(f"SHENBAO_S3_ADDRESSING_STYLE must be 'path' or 'virtual', not {style!r}.")
    options: dict[str, object] = {
        "bucket_name": bucket,
        "endpoint_url": env("SHENBAO_S3_ENDPOINT_URL", "").strip() or None,
        "region_name": env("SHENBAO_S3_REGION", "").strip() or "us-east-1",
        "addressing_style": style,
        "signature_version": "s3v4",
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": SIGNED_URL_SECONDS,
        "file_overwrite": False,
    }
    # Without keys boto3 looks for its own (AWS_ACCESS_KEY_ID …, an instance role).
    access_key, secret_key = env("SHENBAO_S3_ACCESS_KEY_ID", ""), env("SHENBAO_S3_SECRET_ACCESS_KEY", "")
    if access_key or secret_key:
        options.update(access_key=access_key, secret_key=secret_key)
    if ca_bundle := env("SHENBAO_S3_CA_BUNDLE", "").strip():
        options["verify"] = ca_bundle  # a private CA (an in-house MinIO or Ceph behind its own certificate)
    return {"BACKEND": S3_STORAGE, "OPTIONS": options}


def multi_node_problems(
    *,
    redis_url: str | None,
    cache_backend: str,
    media_backend: str,
    shared_media_disk: bool,
    task_backend: str,
) -> list[str]:
    """What stops several web nodes from sharing the work, one sentence each (empty when nothing does)."""
    problems = []
    if not redis_url:
        problems.append("REDIS_URL is not set: the cache, rate limits and slots must be shared by every node.")
    if cache_backend in PER_PROCESS_CACHES:
        problems.append(f"The cache ({cache_backend.rsplit('.', 1)[-1]}) lives in one process; use Redis.")
    if media_backend in PER_PROCESS_STORAGES:
        problems.append("Media are kept in memory: another node would not find an upload.")
    elif media_backend == FILESYSTEM_STORAGE and not shared_media_disk:
        problems.append(
            "Media are on this node's disk: set SHENBAO_MEDIA_STORAGE=s3, or SHENBAO_SHARED_MEDIA_DISK=1 when "
            "MEDIA_ROOT is one shared file system (NFS, CephFS) mounted on every node and the task worker."
        )
    if task_backend not in SHARED_TASK_BACKENDS:
        problems.append(f"Tasks run through {task_backend}; the task worker needs the shared database queue.")
    return problems


def cache_backend_of(caches: Mapping[str, Mapping[str, object]]) -> str:
    return str(caches.get("default", {}).get("BACKEND", ""))
