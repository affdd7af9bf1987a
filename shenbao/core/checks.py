"""System checks of the settings a profile ends with, for several web nodes and media on object storage.

Start-up (settings/base.py) already refuses multi-node mode without Redis or with media on one node's disk; these
run with every `manage.py check` and catch what a profile changes afterwards (a per-process cache, an in-memory
storage, tasks run inside the request) and an object store that would hand out files without the platform.
"""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.core.files.storage import storages

from shenbao.core.nodes import S3_STORAGE, cache_backend_of, multi_node_problems

# Canned ACLs that let someone read an upload without the permission-checked views.
PUBLIC_ACLS = ("public-read", "public-read-write", "authenticated-read", "aws-exec-read")


@register(Tags.compatibility)
def check_multi_node(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if not getattr(settings, "SHENBAO_MULTI_NODE", False):
        return []
    problems = multi_node_problems(
        redis_url=getattr(settings, "REDIS_URL", None),
        cache_backend=cache_backend_of(settings.CACHES),
        media_backend=str(settings.STORAGES["default"]["BACKEND"]),
        shared_media_disk=getattr(settings, "SHENBAO_SHARED_MEDIA_DISK", False),
        task_backend=str(settings.TASKS["default"]["BACKEND"]),
    )
    return [Error(problem, hint="docs/operations/several-nodes.md", id="shenbao.nodes.E001") for problem in problems]


@register(Tags.security)
def check_private_media(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Uploads on S3 stay private: no public ACL, no unsigned or custom-domain address that bypasses the views."""
    entry = settings.STORAGES["default"]
    if entry["BACKEND"] != S3_STORAGE:
        return []
    storage = storages.create_storage(entry)
    errors = []
    if getattr(storage, "default_acl", None) in PUBLIC_ACLS:
        errors.append(f"the objects get the canned ACL {storage.default_acl!r}")
    if not getattr(storage, "querystring_auth", True):
        errors.append("the storage builds unsigned addresses (querystring_auth off)")
    if getattr(storage, "custom_domain", None):
        errors.append(f"the storage builds addresses on the custom domain {storage.custom_domain!r}")
    return [
        Error(
            f"Uploaded files would be readable without the platform: {error}.",
            hint="Keep the bucket private; downloads go through the permission-checked views (X-Accel-Redirect).",
            id="shenbao.nodes.E002",
        )
        for error in errors
    ]
