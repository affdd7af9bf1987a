"""Verification codes (核验码) printed on every generated paper — the application's documents, the plaques and the
designation documents — and checked on the public `/verify/` page."""

import secrets

# Verification codes are read aloud and typed from paper: no 0/O, 1/I/L.
VERIFICATION_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_verification_code() -> str:
    return "".join(secrets.choice(VERIFICATION_ALPHABET) for _ in range(12))
