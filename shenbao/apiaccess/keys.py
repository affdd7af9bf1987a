"""The shape of a service account's key: `sbk_<prefix>_<secret>`.

The prefix (8 characters) is stored and shown, so an operator can tell keys apart and find a key's calls in the
audit trail; the secret (32 random bytes, URL-safe) is never stored, only the SHA-256 of the whole key. 256 bits
of randomness make a salted slow hash unnecessary: nobody can guess a key from its digest.
"""

import hashlib
import secrets

SCHEME = "sbk"
PREFIX_CHARS = 8


def make_key() -> tuple[str, str]:
    """A new key and its visible prefix."""
    prefix = f"{SCHEME}_{secrets.token_hex(PREFIX_CHARS // 2)}"
    return f"{prefix}_{secrets.token_urlsafe(32)}", prefix


def prefix_of(key: str) -> str:
    """The visible prefix a well-formed key starts with, else "" (a malformed key names no account)."""
    scheme, _, rest = key.partition("_")
    prefix = rest[:PREFIX_CHARS]
    if scheme != SCHEME or len(prefix) != PREFIX_CHARS or rest[PREFIX_CHARS : PREFIX_CHARS + 1] != "_":
        return ""
    return f"{SCHEME}_{prefix}"


def digest_of(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()
