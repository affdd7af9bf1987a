"""Concurrent clients: `concurrency` threads, each with its own kept-alive connection, share `total` requests of
one page. The client is the same for the product and the bare Django page, so its own cost cancels out of the
ratios."""

from __future__ import annotations

import statistics
import threading
import time
from dataclasses import dataclass

from .session import Session


@dataclass(frozen=True)
class Level:
    concurrency: int
    requests: int
    errors: int
    p50_ms: float
    p95_ms: float
    per_second: float
    first_error: str = ""


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))
    return ordered[index]


def measure(*, host: str, port: int, cookies: dict[str, str], path: str, concurrency: int, total: int) -> Level:
    remaining = [total]
    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []

    def client() -> None:
        session = Session(host, port, dict(cookies))
        connection = session.connect()
        try:
            while True:
                with lock:
                    if remaining[0] <= 0:
                        return
                    remaining[0] -= 1
                try:
                    answer = session.request("GET", path, connection=connection)
                except OSError as error:  # a dropped keep-alive connection: count it, reconnect
                    connection.close()
                    connection = session.connect()
                    with lock:
                        errors.append(f"{type(error).__name__}: {error}")
                    continue
                with lock:
                    latencies.append(answer.seconds)
                    if answer.status != 200:
                        errors.append(f"HTTP {answer.status}")
        finally:
            connection.close()

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return Level(
        concurrency=concurrency,
        requests=len(latencies),
        errors=len(errors),
        p50_ms=statistics.median(latencies) * 1000 if latencies else float("nan"),
        p95_ms=percentile(latencies, 0.95) * 1000,
        per_second=len(latencies) / wall if wall else 0.0,
        first_error=errors[0] if errors else "",
    )
