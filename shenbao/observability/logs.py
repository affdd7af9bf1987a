"""Log lines as one JSON object each (production) or readable text (development), for Django and gunicorn alike.

Stdlib only, so gunicorn's master can use it before Django is loaded (gunicorn.conf.py's `logconfig_dict`). Every
line carries its time as ISO 8601 with the offset of one configured zone, whatever the process's TZ says: gunicorn's
master used to write +0000 and its workers, after Django had set TZ, +0800 into the same stream.
"""

import datetime as dt
import json
import logging
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from . import context

# gunicorn's access-log atoms worth a field of their own (the message keeps the whole combined line).
ACCESS_FIELDS = {
    "method": "m",
    "path": "U",
    "query": "q",
    "status": "s",
    "bytes": "B",
    "duration_us": "D",
    "remote_addr": "h",
    "forwarded_for": "{x-forwarded-for}i",
    "user_agent": "a",
    "referer": "f",
}


def _time(record: logging.LogRecord, zone: dt.tzinfo) -> str:
    return dt.datetime.fromtimestamp(record.created, tz=zone).isoformat(timespec="milliseconds")


class JsonFormatter(logging.Formatter):
    """time, level, logger, message, pid, request_id, user_id (when known), exception (the traceback text)."""

    def __init__(self, *args: Any, time_zone: str = "UTC", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = ZoneInfo(time_zone)

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": _time(record, self.zone),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,
        }
        request_id = context.request_id.get()
        atoms = record.args if record.name == "gunicorn.access" and isinstance(record.args, Mapping) else None
        if atoms is not None:
            # The access line is written after the response: the id is the one the response carried.
            request_id = request_id or _atom(atoms, "{x-request-id}o")
            line.update({field: _atom(atoms, atom) for field, atom in ACCESS_FIELDS.items()})
        if request_id:
            line["request_id"] = request_id
        user_id = context.user_id.get()
        if user_id is not None:
            line["user_id"] = user_id
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def _atom(atoms: Mapping[str, Any], key: str) -> Any:
    value = atoms.get(key)
    return None if value in (None, "-") else value


class TextFormatter(logging.Formatter):
    """Development: one readable line, with the same time and request id as the JSON lines."""

    def __init__(self, *args: Any, time_zone: str = "UTC", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = ZoneInfo(time_zone)

    def format(self, record: logging.LogRecord) -> str:
        request_id = context.request_id.get()
        user_id = context.user_id.get()
        where = f" [{request_id}{f' user={user_id}' if user_id is not None else ''}]" if request_id else ""
        text = f"{_time(record, self.zone)} {record.levelname} {record.name}{where}: {record.getMessage()}"
        if record.exc_info:
            text += "\n" + self.formatException(record.exc_info)
        return text


def _formatter(log_format: str, time_zone: str) -> dict[str, Any]:
    if log_format not in ("json", "text"):
        raise ValueError(f"SHENBAO_LOG_FORMAT must be json or text, not {log_format!r}")
    name = "JsonFormatter" if log_format == "json" else "TextFormatter"
    return {"()": f"shenbao.observability.logs.{name}", "time_zone": time_zone}


def logging_config(*, log_format: str, level: str, time_zone: str) -> dict[str, Any]:
    """Django's LOGGING: every line to standard error in `log_format` (standard output stays the commands' own);
    unhandled errors also mailed to ADMINS."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": _formatter(log_format, time_zone)},
        "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "default", "stream": "ext://sys.stderr"},
            # An unhandled error (500) is mailed to ADMINS through the default mailer (MAILERS), never in DEBUG.
            "mail_admins": {
                "class": "django.utils.log.AdminEmailHandler",
                "level": "ERROR",
                "filters": ["require_debug_false"],
            },
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's own default would add a second console handler in DEBUG; ours is the root's.
            "django": {"handlers": ["mail_admins"], "level": "INFO", "propagate": True},
            "django.server": {"handlers": [], "level": "INFO", "propagate": True},
            # WeasyPrint reports every rendering step at INFO; only its warnings (missing fonts, bad CSS) matter.
            "weasyprint": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
            "axes": {"level": "WARNING"},
        },
    }


def _gunicorn_handler(target: str) -> dict[str, Any]:
    if target == "-":
        return {"class": "logging.StreamHandler", "formatter": "default", "stream": "ext://sys.stderr"}
    # A file: reopened when logrotate has moved it, so no signal to gunicorn is needed.
    return {"class": "logging.handlers.WatchedFileHandler", "formatter": "default", "filename": target}


def gunicorn_logconfig(
    *, log_format: str, level: str, time_zone: str, error_log: str = "-", access_log: str = "-"
) -> dict[str, Any]:
    """gunicorn's `logconfig_dict`: its master and workers, error and access logs, in the same shape as Django's.

    It takes the place of gunicorn's own `errorlog`/`accesslog` handlers, so their targets are passed here: "-" is
    standard error (where Django's lines go), anything else a file.
    """
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": _formatter(log_format, time_zone)},
        "handlers": {"error": _gunicorn_handler(error_log), "access": _gunicorn_handler(access_log)},
        "root": {"handlers": ["error"], "level": level.upper()},
        "loggers": {
            "gunicorn.error": {"handlers": ["error"], "level": level.upper(), "propagate": False},
            "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        },
    }
