"""Encryption of personal data at rest (身份证号码 and similar), with a key from the environment.

`SHENBAO_DATA_KEYS` holds one or more Fernet keys separated by commas: the first encrypts, all decrypt, so a
key can be rotated without re-encrypting at once. Development derives a key from SECRET_KEY; the production
profile refuses to start without real keys.
"""

import base64
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

TOKEN_PREFIX = "enc:"


def _keys():
    keys = list(getattr(settings, "SHENBAO_DATA_KEYS", []) or [])
    if not keys:
        digest = hashlib.sha256(f"shenbao-data-key:{settings.SECRET_KEY}".encode()).digest()
        keys = [base64.urlsafe_b64encode(digest).decode()]
    return keys


@cache
def _fernet():
    return MultiFernet([Fernet(key) for key in _keys()])


def is_current_token(token):
    """Whether a token of `encrypt_text` is under the first (encrypting) key; False for one under an older key."""
    try:
        Fernet(_keys()[0]).decrypt(token[len(TOKEN_PREFIX) :].encode())
    except InvalidToken:
        return False
    return True


def rotate_token(token):
    """The same clear text re-encrypted under the first key (`manage.py rotate_data_keys`); ValueError as
    `decrypt_text` when no configured key opens it."""
    if not token.startswith(TOKEN_PREFIX):
        raise ValueError("not an encrypted value")
    try:
        return TOKEN_PREFIX + _fernet().rotate(token[len(TOKEN_PREFIX) :].encode()).decode()
    except InvalidToken as error:
        raise ValueError("the value cannot be decrypted with the configured keys") from error


def encrypt_text(value):
    """A token safe to store in a text or JSON column; empty stays empty."""
    if not value:
        return ""
    return TOKEN_PREFIX + _fernet().encrypt(value.encode()).decode()


def decrypt_text(token):
    """The clear text of a token written by `encrypt_text`; raises ValueError on a foreign or damaged token."""
    if not token:
        return ""
    if not token.startswith(TOKEN_PREFIX):
        raise ValueError("not an encrypted value")
    try:
        return _fernet().decrypt(token[len(TOKEN_PREFIX) :].encode()).decode()
    except InvalidToken as error:
        raise ValueError("the value cannot be decrypted with the configured keys") from error


def blind_index(value):
    """A keyed hash for equality look-ups and change detection without decrypting (same input, same hash)."""
    if not value:
        return ""
    key = hashlib.sha256(f"shenbao-blind-index:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def mask_id_number(value):
    """身份证号码 shown as 140502********1234: region and last four kept, birth date hidden."""
    if not value:
        return ""
    if len(value) <= 10:
        return value[:2] + "*" * max(len(value) - 2, 0)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value):
    """手机号码 or 电话 shown as 138****5678: the first three and last four characters kept, the rest hidden."""
    value = str(value or "")
    if not value:
        return ""
    if len(value) >= 8:
        return value[:3] + "*" * (len(value) - 7) + value[-4:]
    # Too short to be a real number: keep only the last two characters.
    if len(value) > 2:
        return "*" * (len(value) - 2) + value[-2:]
    return "*" * len(value)
