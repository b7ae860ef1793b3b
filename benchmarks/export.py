"""The CSV export of every visit (/admin/visits/export.zip), timed in a fresh process so its peak
RSS is the export's own: design.md section 6 asks for a stream with flat memory (< 200 MB RSS).
The time is also given per visit exported (wall clock, and the process's CPU time, which a busy
machine disturbs less), with the SQL statements the request sent.

    python -m benchmarks.export URL    # prints one JSON line: status, seconds, cpu_seconds, visits,
                                       # statements, bytes, rss_before_mb, peak_rss_mb
"""

from __future__ import annotations

import json
import resource
import subprocess  # nosec B404 - runs this module in a child process
import sys
import time
from pathlib import Path

from .core import Bench
from .core import Measurement
from .core import measurement
from .core import route_missing

ROOT = Path(__file__).resolve().parent.parent
URL = "/admin/visits/export.zip"


def export_once(db_url: str) -> dict[str, float | int]:
    """Log in, stream the export to nowhere; the process's figures."""
    from fbss_eval import create_app
    from fbss_eval.extensions import db
    from fbss_eval.services.visit_query import VisitFilter
    from fbss_eval.services.visit_query import visit_count

    from .core import StatementCounter
    from .pages import PASSWORD

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=db_url)
    with app.app_context():
        visits = visit_count(VisitFilter())  # what the export without a filter holds
        counter = StatementCounter(db.engine)
    client = app.test_client()
    client.post("/login", data={"username": "bench", "password": PASSWORD})
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    counter.count = 0
    start, cpu = time.perf_counter(), time.process_time()
    response = client.get(URL, buffered=False)
    size = sum(len(chunk) for chunk in response.response) if response.status_code == 200 else 0
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"status": response.status_code, "seconds": seconds, "cpu_seconds": cpu, "visits": visits,
            "statements": counter.count, "bytes": size, "rss_before_mb": before,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


@measurement("export")
def export(bench: Bench) -> list[Measurement]:
    """Time and peak RSS of the export in a child process."""
    done = subprocess.run([sys.executable, "-m", "benchmarks.export", bench.url], cwd=ROOT,  # nosec B603
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"export child failed: {done.stderr[-2000:]}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    if figures["status"] == 404:
        return [route_missing("CSV export of all visits, peak RSS", target=200.0, unit="MB", judged_on="max",
                              target_text="< 200 MB RSS, streamed")]
    if figures["status"] != 200:
        raise RuntimeError(f"{URL}: {figures['status']}")
    visits = max(1, figures["visits"])
    time_figure = Measurement("CSV export of all visits, time", samples=[figures["seconds"]], unit="s",
                              judged_on="p50",
                              notes=[f"{figures['bytes'] / 1e6:.1f} MB zip, {figures['visits']} visits"])
    per_visit = Measurement("CSV export, time per visit", samples=[figures["seconds"] / visits], unit="ms",
                            judged_on="p50", notes=[
                                f"CPU {figures['cpu_seconds'] * 1000 / visits:.2f} ms per visit; "
                                f"{figures['statements']} SQL statements "
                                f"({figures['statements'] * 500 / visits:.1f} per 500 visits)"])
    rss = Measurement("CSV export of all visits, peak RSS", samples=[figures["peak_rss_mb"]], unit="MB",
                      judged_on="max", target=200.0, target_text="< 200 MB RSS, streamed",
                      notes=[f"process RSS before the request {figures['rss_before_mb']:.0f} MB"])
    return [time_figure, per_visit, rss]


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    print(json.dumps(export_once(sys.argv[1])))
