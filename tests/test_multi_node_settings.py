"""Several web nodes (shenbao/core/nodes.py, shenbao/core/checks.py): media storage from the environment, and
multi-node mode refusing every per-process state at start-up and in `manage.py check`."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from shenbao.core.checks import check_multi_node, check_private_media
from shenbao.core.nodes import (
    FILESYSTEM_STORAGE,
    S3_STORAGE,
    StorageConfigError,
    media_storage_from_env,
    multi_node_problems,
)

ROOT = Path(__file__).resolve().parent.parent
REDIS = "django.core.cache.backends.redis.RedisCache"
LOCMEM = "django.core.cache.backends.locmem.LocMemCache"
DB_TASKS = "django_tasks_db.DatabaseBackend"


def from_env(**values):
    return media_storage_from_env(lambda name, default: values.get(name, default))


def test_media_stay_on_the_local_disk_unless_s3_is_chosen():
    assert from_env() == {"BACKEND": FILESYSTEM_STORAGE}
    assert from_env(SHENBAO_MEDIA_STORAGE="filesystem", SHENBAO_S3_BUCKET="ignored") == {"BACKEND": FILESYSTEM_STORAGE}


def test_s3_media_are_private_signed_and_never_overwritten():
    storage = from_env(
        SHENBAO_MEDIA_STORAGE="s3",
        SHENBAO_S3_BUCKET="shenbao",
        SHENBAO_S3_ENDPOINT_URL="https://minio.internal:9000",
        SHENBAO_S3_REGION="cn-north-1",
        SHENBAO_S3_ACCESS_KEY_ID="key",
        SHENBAO_S3_SECRET_ACCESS_KEY="secret",
        SHENBAO_S3_ADDRESSING_STYLE="virtual",
        SHENBAO_S3_CA_BUNDLE="/etc/shenbao/minio-ca.pem",
    )
    options = storage["OPTIONS"]
    assert storage["BACKEND"] == S3_STORAGE
    assert options["default_acl"] is None and options["querystring_auth"] is True
    assert options["querystring_expire"] == 60 and options["file_overwrite"] is False
    assert (options["bucket_name"], options["endpoint_url"], options["region_name"]) == (
        "shenbao",
        "https://minio.internal:9000",
        "cn-north-1",
    )
    assert (options["access_key"], options["secret_key"], options["addressing_style"]) == ("key", "secret", "virtual")
    assert options["verify"] == "/etc/shenbao/minio-ca.pem"
    # Without keys boto3 finds its own (environment, instance role): none are passed as empty strings.
    assert "access_key" not in from_env(SHENBAO_MEDIA_STORAGE="s3", SHENBAO_S3_BUCKET="b")["OPTIONS"]


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"SHENBAO_MEDIA_STORAGE": "nfs"}, "SHENBAO_MEDIA_STORAGE"),
        ({"SHENBAO_MEDIA_STORAGE": "s3"}, "SHENBAO_S3_BUCKET"),
        ({"SHENBAO_MEDIA_STORAGE": "s3", "SHENBAO_S3_BUCKET": "b", "SHENBAO_S3_ADDRESSING_STYLE": "dns"}, "STYLE"),
    ],
)
def test_an_unusable_storage_choice_names_the_variable_to_fix(values, named):
    with pytest.raises(StorageConfigError, match=named):
        from_env(**values)


def test_multi_node_mode_lists_every_per_process_state():
    assert (
        multi_node_problems(
            redis_url="redis://r:6379/1",
            cache_backend=REDIS,
            media_backend=S3_STORAGE,
            shared_media_disk=False,
            task_backend=DB_TASKS,
        )
        == []
    )
    problems = multi_node_problems(
        redis_url=None,
        cache_backend=LOCMEM,
        media_backend=FILESYSTEM_STORAGE,
        shared_media_disk=False,
        task_backend="django.tasks.backends.immediate.ImmediateBackend",
    )
    assert len(problems) == 4
    assert "REDIS_URL" in problems[0] and "LocMemCache" in problems[1]
    assert "SHENBAO_SHARED_MEDIA_DISK" in problems[2] and "ImmediateBackend" in problems[3]
    # One shared file system mounted on every node is acknowledged explicitly.
    acknowledged = multi_node_problems(
        redis_url="redis://r:6379/1",
        cache_backend=REDIS,
        media_backend=FILESYSTEM_STORAGE,
        shared_media_disk=True,
        task_backend=DB_TASKS,
    )
    assert acknowledged == []


def test_the_system_check_sees_what_a_profile_ends_with(settings):
    settings.SHENBAO_MULTI_NODE = True
    settings.REDIS_URL = "redis://127.0.0.1:6379/1"
    settings.CACHES = {"default": {"BACKEND": REDIS, "LOCATION": settings.REDIS_URL}}
    settings.TASKS = {"default": {"BACKEND": DB_TASKS}}
    # The test profile keeps uploads in memory: another node would never see them.
    errors = check_multi_node(None)
    assert [error.id for error in errors] == ["shenbao.nodes.E001"]
    assert "in memory" in errors[0].msg

    settings.SHENBAO_MULTI_NODE = False
    assert check_multi_node(None) == []


def test_a_public_bucket_setting_is_an_error(settings):
    storage = from_env(SHENBAO_MEDIA_STORAGE="s3", SHENBAO_S3_BUCKET="b")
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    assert check_private_media(None) == []

    storage["OPTIONS"].update(default_acl="public-read", querystring_auth=False)
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    assert [error.id for error in check_private_media(None)] == ["shenbao.nodes.E002"] * 2


def start(**env):
    keep = {key: value for key, value in os.environ.items() if not key.startswith(("SHENBAO_", "DJANGO_"))}
    keep.pop("REDIS_URL", None)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**keep, "DJANGO_SETTINGS_MODULE": "shenbao.settings.base", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_node_in_multi_node_mode_refuses_to_start_with_per_process_state():
    refused = start(SHENBAO_MULTI_NODE="1")
    assert refused.returncode != 0
    assert "ImproperlyConfigured: SHENBAO_MULTI_NODE is on, but: REDIS_URL is not set" in refused.stderr

    shared = {"SHENBAO_MULTI_NODE": "1", "REDIS_URL": "redis://127.0.0.1:6379/1"}
    assert start(**shared, SHENBAO_MEDIA_STORAGE="s3", SHENBAO_S3_BUCKET="b").returncode == 0
    assert start(**shared, SHENBAO_SHARED_MEDIA_DISK="1").returncode == 0
    on_disk = start(**shared)
    assert on_disk.returncode != 0 and "Media are on this node's disk" in on_disk.stderr
