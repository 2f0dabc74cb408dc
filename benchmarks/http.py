"""HTTP throughput and latency of the API: ``GET /v1/check`` beside a trivial endpoint.

Starts ``cellwatch serve`` (one worker, rate limit off) on a loopback port on a fresh
SQLite file holding the demo registry, then drives in turn ``GET /v1/check`` for one
unit asked again and again (the server answers it from the answers it remembers for the
current snapshot), ``GET /v1/check`` for a different unit on every request (a new serial
number: every request runs the whole check), and ``GET /v1/ping``, each with a
bounded load generator: ``--connections`` concurrent keep-alive HTTP/1.1 connections of a
minimal asyncio client (httpx's own async client saturates before the server does), each
sending one request after the other for ``--seconds`` after a warm-up. It reports
requests per second and p50/p90/p99 latency side by side, and the ratio of each check's
throughput to the trivial endpoint's. The load generator runs in this process, on the
same machine: the figures are for the whole loop (client and server share the CPUs).

    .venv/bin/python benchmarks/http.py [--connections 16] [--seconds 10]

Results are printed and written to ``benchmarks/results/http.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# this file is benchmarks/http.py: the standard library's ``http`` must win over it
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import httpx  # noqa: E402

sys.path.append(str(_HERE))

from _common import write_results  # noqa: E402

#: A unit the demo registry knows, in a recall's batch scope: every step of the check runs.
CHECK = (
    "/v1/check?brand=romoss&model=PAC20-272&batch=C14-P6&energy_wh=74&ccc_mark=present"
    "&rules=cn-caac,icao&date=2025-07-01"
)
TRIVIAL = "/v1/ping"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(folder: Path, port: int) -> subprocess.Popen[bytes]:
    env = os.environ | {
        "CELLWATCH_DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite'}",
        "CELLWATCH_RATE_LIMIT_PER_SECOND": "0",
    }
    cellwatch = [sys.executable, "-m", "cellwatch"]
    subprocess.run([*cellwatch, "load", "--demo"], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    process = subprocess.Popen(
        [*cellwatch, "serve", "--port", str(port), "--workers", "1", "--log-level", "warning"],
        env=env, stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/v1/ping", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the server did not start")


class Connection:
    """One keep-alive HTTP/1.1 connection: a minimal client, so that the load generator costs
    little CPU next to the server it measures (httpx's async client caps out first)."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    @classmethod
    async def open(cls, port: int) -> Connection:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        return cls(reader, writer)

    async def get(self, path: str) -> int:
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = 0
        for line in head.split(b"\r\n"):
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        await self.reader.readexactly(length)
        return status

    async def close(self) -> None:
        self.writer.close()
        await self.writer.wait_closed()


async def drive(
    port: int, path: str, connections: int, seconds: float, vary: bool = False
) -> dict[str, Any]:
    """``connections`` loops, each sending one request after the other, for ``seconds``.

    With ``vary`` every request asks about another unit (a new serial number), so that no
    answer the server remembers can be reused: every request runs the whole check.
    """
    latencies: list[float] = []
    errors = 0
    sent = 0
    opened = [await Connection.open(port) for _ in range(connections)]

    async def loop(connection: Connection, until: float, record: bool) -> None:
        nonlocal errors, sent
        while time.perf_counter() < until:
            sent += 1
            target = f"{path}&serial=SN{sent:09d}" if vary else path
            start = time.perf_counter()
            if await connection.get(target) != 200:
                errors += 1
            if record:
                latencies.append(time.perf_counter() - start)

    warm = time.perf_counter() + min(2.0, seconds / 4)
    await asyncio.gather(*(loop(c, warm, False) for c in opened))
    began = time.perf_counter()
    await asyncio.gather(*(loop(c, began + seconds, True) for c in opened))
    elapsed = time.perf_counter() - began
    for connection in opened:
        await connection.close()
    latencies.sort()

    def percentile(p: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000, 2)

    return {
        "path": path + ("&serial=SN<n> (a new serial every request)" if vary else ""),
        "requests": len(latencies),
        "errors": errors,
        "requests_per_second": round(len(latencies) / elapsed),
        "latency_ms": {
            "mean": round(statistics.fmean(latencies) * 1000, 2),
            "p50": percentile(0.50), "p90": percentile(0.90), "p99": percentile(0.99),
            "max": round(latencies[-1] * 1000, 2),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cellwatch-http-") as folder:
        port = free_port()
        server = start_server(Path(folder), port)
        try:
            check = asyncio.run(drive(port, CHECK, args.connections, args.seconds))
            distinct = asyncio.run(drive(port, CHECK, args.connections, args.seconds, True))
            trivial = asyncio.run(drive(port, TRIVIAL, args.connections, args.seconds))
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=15)
    ratio = check["requests_per_second"] / trivial["requests_per_second"]
    distinct_ratio = distinct["requests_per_second"] / trivial["requests_per_second"]
    write_results("http", {
        "server": "cellwatch serve --workers 1 (uvicorn), SQLite, demo registry, loopback",
        "load": {"generator": "asyncio HTTP/1.1 keep-alive client in one process",
                 "connections": args.connections, "seconds_per_endpoint": args.seconds},
        "check_same_unit": check,
        "check_distinct_units": distinct,
        "trivial": trivial,
        "check_to_trivial_throughput": round(ratio, 3),
        "distinct_check_to_trivial_throughput": round(distinct_ratio, 3),
        "targets": {
            "check_to_trivial_at_least": 0.6, "check_p99_ms_below": 50,
            "met_same_unit": ratio >= 0.6 and check["latency_ms"]["p99"] < 50,
            "met_distinct_units": (
                distinct_ratio >= 0.6 and distinct["latency_ms"]["p99"] < 50
            ),
        },
    })


if __name__ == "__main__":
    main()
