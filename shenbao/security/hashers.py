"""The password hashers: argon2id at OWASP's parameters for every new hash; PBKDF2 for hashes made before.

Why argon2id: a log-in, and every failed one, costs one hash check before anything else happens, and at a
deadline hundreds of units sign in at once. PBKDF2-HMAC-SHA256 at OWASP's work factor (600,000 iterations) took
0.16 s on an idle 2-core server and 0.3 s on a busy one, most of a log-in; argon2id with OWASP's first
configuration (19 MiB of memory, 2 passes, 1 lane) takes about 0.03–0.05 s and, being memory-hard, costs a
guessing attacker with GPUs far more than PBKDF2 does. Both are salted, iterated one-way hashes (等保2.0).

Hashes made earlier keep working: Django checks a stored hash with the hasher its algorithm names, and at the
next successful log-in re-makes it with the preferred (first) hasher — also when only the parameters of the
preferred hasher changed (`must_update`).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher, PBKDF2PasswordHasher

OWASP_PBKDF2_SHA256_ITERATIONS = 600_000
# OWASP Password Storage Cheat Sheet, argon2id: m=19456 (19 MiB), t=2, p=1.
OWASP_ARGON2_MEMORY_KIB = 19_456
OWASP_ARGON2_PASSES = 2
OWASP_ARGON2_LANES = 1


class TunedArgon2PasswordHasher(Argon2PasswordHasher):
    """argon2id (Django's Argon2 hasher) at OWASP's parameters; the algorithm name stays `argon2`."""

    time_cost = OWASP_ARGON2_PASSES
    memory_cost = OWASP_ARGON2_MEMORY_KIB
    parallelism = OWASP_ARGON2_LANES


class TunedPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    """Checks the hashes made before argon2id (600,000 iterations); each is re-made with argon2id at its next
    log-in."""

    iterations = OWASP_PBKDF2_SHA256_ITERATIONS
