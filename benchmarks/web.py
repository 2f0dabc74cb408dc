"""Page rendering speed: each main page rendered through the app in-process (httpx over
ASGI, no network), on a fresh SQLite file holding the demo registry.

For every page it times ``--repeat`` requests one after the other (after a warm-up) and
reports the median and the 90th percentile in milliseconds and the page size. The figures
are server time plus the in-process client: rendering a page, not the network.

    .venv/bin/python benchmarks/web.py [--repeat 50]

Results are printed and written to ``benchmarks/results/web.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

# the folder holds http.py: the standard library's ``http`` must win over it
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import httpx  # noqa: E402

from cellwatch.api import create_app  # noqa: E402
from cellwatch.ingest import demo_bundle, load_bundle  # noqa: E402
from cellwatch.settings import Settings  # noqa: E402
from cellwatch.store.db import Database  # noqa: E402

sys.path.append(str(_HERE))

from _common import write_results  # noqa: E402

PAGES = {
    "check form": "/",
    "check result (recalled)": "/check?brand=romoss&model=PAC20-272&batch=C14-P6"
                               "&date=2025-07-01",
    "check result (allowed)": "/check?brand=xiaomi&model=PB2030MI&produced=2023-01-05"
                              "&ccc_mark=present&energy_wh=74&date=2025-07-01",
    "recalls list": "/recalls",
    "recall": "/recalls/cn-romoss-2025-06",
    "company": "/companies/APEX%20(Wuxi)",
    "model": "/models/romoss/PAC20-272",
    "certificate": "/certificates/amprius-wuxi-cells-ccc",
    "impact": "/impact?company=APEX%20(Wuxi)&date=2025-07-01",
    "dashboard": "/dashboard",
}


async def measure(client: httpx.AsyncClient, path: str, repeat: int) -> dict[str, float]:
    for _ in range(3):
        (await client.get(path)).raise_for_status()
    times: list[float] = []
    size = 0
    for _ in range(repeat):
        start = time.perf_counter()
        response = await client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        response.raise_for_status()
        size = len(response.content)
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 2),
        "p90_ms": round(times[int(len(times) * 0.9) - 1], 2),
        "kib": round(size / 1024, 1),
    }


async def run(repeat: int) -> dict[str, dict[str, float]]:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/registry.sqlite"
        database = Database(url)
        database.migrate()
        load_bundle(database, demo_bundle(), "benchmark")
        settings = Settings(database_url=url, rate_limit_per_second=0, refresh_seconds=0.5)
        app = create_app(settings, database=database)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            figures = {name: await measure(client, path, repeat) for name, path in PAGES.items()}
        database.dispose()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=50, help="Requests per page.")
    args = parser.parse_args()
    figures = asyncio.run(run(args.repeat))
    width = max(len(name) for name in figures)
    print(f"{'page':<{width}}  median ms  p90 ms   KiB")
    for name, found in figures.items():
        print(f"{name:<{width}}  {found['median_ms']:>9}  {found['p90_ms']:>6}  {found['kib']:>5}")
    write_results("web", {"registry": "demo", "repeat": args.repeat, "pages": figures})


if __name__ == "__main__":
    main()
