"""Dataset sizes: the demo data of `make run` (every reference and call file of the repository, every role's demo
users, the demo and practice applications), and above it the city (≈5k applications) and province (≈100k) scales
that `bench.grow` adds (its `GROWTH` table says what each holds)."""

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
    "city": Scale(
        name="city",
        description="演示数据加一个基准市：5年的通知，1,500个申报单位，约5,000件申报，10万条审计记录",
        requests_per_level=60,
        concurrency=(1, 10, 50),
    ),
    "province": Scale(
        name="province",
        description="演示数据加11个基准市：各8年的通知，约3万个申报单位，约10万件申报，100万条审计记录",
        requests_per_level=60,
        concurrency=(1, 10, 50),
    ),
}
