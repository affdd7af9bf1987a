"""Helpers shared by the security tests."""

import time

from django_otp.oath import TOTP

PASSWORD = "Test#pass2022"
LOGIN = "/accounts/login/"


def log_in(client, username, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def totp_code(device, *, steps_ahead=0):
    """The code an authenticator app shows for `device` now (or `steps_ahead` time steps later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"
