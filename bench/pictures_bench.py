"""What posting a picture costs a door, in the work pool: drawing it as PNG (and again, smaller,
until it fits WeCom's 2 MB), then the platform's calls, against the local fakes (the real
slack_sdk and the real WeCom sender; loopback HTTP, so the platform's own time is not in it).

    python -m bench.pictures_bench [--runs 20]

The charts are tests/picture_kit.py's kind "test": a small bar chart (about the size of a
Gantt chart of a few phases) and an image of random pixels 12 inches wide (4.5 MB at full
scale: the worst case for WeCom's limit, drawn three times)."""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from slack_sdk import WebClient

from bot.pictures import png
from bot.slack.pictures import upload
from bot.wecom.api import IMAGE_BYTES, Sender, WeComClient
from handlers import charts
from tests.fakes.slack import FakeSlack
from tests.fakes.wecom import FakeWeCom
from tests.picture_kit import draw_test, picture


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    fn()  # the font and the first figure are set up once per process
    took = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        took.append((time.perf_counter() - began) * 1000)
    took.sort()
    return statistics.median(took), took[max(0, int(len(took) * 0.95) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    charts.KINDS["test"] = charts.ChartKind("test", draw_test)
    small, big = picture("bars"), picture("noise", noise=12)
    rows = []
    for label, pic in (("bar chart", small), ("4.5 MB noise", big)):
        data = png(pic, IMAGE_BYTES)
        rows.append(
            (
                f"draw to fit 2 MB: {label} ({len(data):,} B)",
                *timed(lambda p=pic: png(p, IMAGE_BYTES), args.runs),
            )
        )
    with FakeSlack() as fake:
        client = WebClient(token="xoxb-bench", base_url=fake.base_url)
        data = png(small)
        rows.append(
            (
                "Slack upload (3 calls), bar chart",
                *timed(lambda: upload(client, "C1", small, data=data), args.runs),
            )
        )
    with FakeWeCom() as fake:
        sender = Sender(WeComClient("wwcorp", "app-secret", fake.base_url), 1000002)
        sender.pacer.limit = 10**9  # the robot's 20 a minute is the pacer's; here, the calls
        url, data = fake.webhook_url("k1"), png(small)
        rows.append(
            (
                "WeCom robot image, bar chart",
                *timed(lambda: sender.image_to_group(url, data), args.runs),
            )
        )
        rows.append(
            (
                "WeCom app upload + image, bar chart",
                *timed(lambda: sender.image_to_person("u", data), args.runs),
            )
        )
    print("| step | p50 | p95 |\n|---|---:|---:|")
    for label, p50, p95 in rows:
        print(f"| {label} | {p50:.1f} ms | {p95:.1f} ms |")


if __name__ == "__main__":
    main()
