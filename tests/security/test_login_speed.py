"""Log-in speed with the production hasher (issue 12, item 13; issue 18): one argon2id check per attempt at OWASP's
parameters, and hashes made earlier (PBKDF2 at any iteration count) re-made at the next log-in.

Timing is compared with the hasher's own cost measured in the same test, never with a fixed number alone, so a
loaded machine slows both sides alike.
"""

import statistics
import time

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher, make_password

from shenbao.security.hashers import (
    OWASP_ARGON2_LANES,
    OWASP_ARGON2_MEMORY_KIB,
    OWASP_ARGON2_PASSES,
    TunedPBKDF2PasswordHasher,
)
from shenbao.settings import base
from tests.security.helpers import PASSWORD, log_in

pytestmark = pytest.mark.django_db

WRONG = "Wrong#guess2022"


@pytest.fixture
def real_hashers(settings):
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS
    return settings


def median_seconds(action, runs=3):
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def test_the_preferred_hasher_is_argon2id_at_owasps_parameters(real_hashers):
    hasher = get_hasher()
    assert hasher.algorithm == "argon2"
    assert (hasher.memory_cost, hasher.time_cost, hasher.parallelism) == (19_456, 2, 1)
    assert (OWASP_ARGON2_MEMORY_KIB, OWASP_ARGON2_PASSES, OWASP_ARGON2_LANES) == (19_456, 2, 1)
    assert make_password(PASSWORD).startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


@pytest.mark.parametrize(
    "old_hasher",
    [PBKDF2PasswordHasher, TunedPBKDF2PasswordHasher],
    ids=["django-default-pbkdf2", "owasp-pbkdf2"],
)
def test_a_log_in_costs_one_hash_and_upgrades_an_old_hash(client, reviewer, real_hashers, old_hasher):
    # Stored before argon2id: by Django's default PBKDF2 (1,500,000 iterations) or by our 600,000-iteration one.
    reviewer.password = old_hasher().encode(PASSWORD, old_hasher().salt())
    reviewer.save(update_fields=["password"])
    assert reviewer.password.startswith("pbkdf2_sha256$")

    assert log_in(client, "county_li").status_code == 302
    reviewer.refresh_from_db()
    assert reviewer.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")

    one_hash = median_seconds(lambda: make_password(PASSWORD))

    def log_in_and_out():
        client.logout()
        assert log_in(client, "county_li").status_code == 302

    def fail():
        client.logout()
        assert log_in(client, "county_li", WRONG).status_code == 200

    # About 0.05 s each on an idle 2-core machine (the hash is about 0.03 s of it); the margin covers a busy one.
    assert median_seconds(log_in_and_out) < 2 * one_hash + 0.25
    assert median_seconds(fail) < 2 * one_hash + 0.25
    assert median_seconds(log_in_and_out) < 1.5
