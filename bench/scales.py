"""Dataset sizes. Only the demo scale exists yet: the demo data of `make run` (every reference and call file of the repository, every role's
demo users, the demo and practice applications). The city (≈5k applications) and province (≈100k) generators are
still to be written (issue 18, point 1); the command line offers only the scales that exist."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    description: str
    # Requests per page and concurrency level: enough for a stable p95 without making CI slow.
    requests_per_level: int
    concurrency: tuple[int, ...]


SCALES = {
    "demo": Scale(
        name="demo",
        description="make run 的演示数据（仓库中的参考数据和通知文件、各角色演示账号、演示申报）",
        requests_per_level=60,
        concurrency=(1, 10, 50),
    ),
}
