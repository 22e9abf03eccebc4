"""The inbox's put, as the acks call it: 16 threads putting at once, beside none, one or two
threads of pure Python busy the whole time (a command at work holds the interpreter lock the
same way, a few milliseconds at a stretch).

    .venv/bin/python -m bench.inbox_bench                 # 3,200 puts per case
    .venv/bin/python -m bench.inbox_bench --puts 800

Every call into sqlite3 lets go of the interpreter lock; a thread that wants it back while
another computes waits up to the switch interval (5 ms). So what decides the ack's cost beside
the work is how many times a put lets go of the lock, not the SQL: the figures below are how
the writer thread's batching is judged (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta

from storage.inbox import Inbox

THREADS = 16


def one_case(puts: int, busy: int) -> tuple[float, float, float]:
    """(puts per second, p50 ms, p90 ms) of `puts` puts from THREADS threads beside `busy`
    threads that compute until the puts are done."""
    with tempfile.TemporaryDirectory() as workdir:
        box = Inbox.open(f"sqlite:///{workdir}/paceline.db")
        stop = threading.Event()

        def compute() -> None:
            total = 0
            while not stop.is_set():
                for i in range(1000):
                    total += i * i

        burners = [threading.Thread(target=compute, daemon=True) for _ in range(busy)]
        for burner in burners:
            burner.start()
        took: list[float] = []
        lock = threading.Lock()
        now, lease = datetime.now(UTC), timedelta(minutes=2)

        def put_many(k: int) -> None:
            mine = []
            for i in range(puts // THREADS):
                started = time.perf_counter()
                box.put("bench", f"{k}-{i}", {"text": "add a task"}, now, lease)
                mine.append(time.perf_counter() - started)
            with lock:
                took.extend(mine)

        started = time.perf_counter()
        threads = [threading.Thread(target=put_many, args=(k,)) for k in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        stop.set()
        for burner in burners:
            burner.join()
        box.dispose()
    took.sort()
    return (
        len(took) / elapsed,
        statistics.median(took) * 1000,
        took[int(len(took) * 0.9)] * 1000,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--puts", type=int, default=3200)
    args = parser.parse_args(argv)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"`nproc` {os.cpu_count()}, Python {platform.python_version()}, load average {load}")
    print(f"{args.puts} puts from {THREADS} threads; switch interval {sys.getswitchinterval()} s")
    print()
    print("| busy threads beside | puts/s | p50 ms | p90 ms |")
    print("|---:|---:|---:|---:|")
    for busy in (0, 1, 2):
        rate, p50, p90 = one_case(args.puts, busy)
        print(f"| {busy} | {rate:,.0f} | {p50:.2f} | {p90:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
