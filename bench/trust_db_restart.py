"""PostgreSQL stopped and started again in the middle of traffic (reads and submissions).

    .venv/bin/python bench/trust_db_restart.py [--down 5] [--no-restart]

Serves DATABASE (default ssemap_trust) with bench/serve.sh (gunicorn, production settings) on
127.0.0.1:8204 and sends traffic from 8 readers (home, directory, an initiative, map data,
/healthz) and 4 submitters for about 40 s. After 12 s the PostgreSQL cluster is stopped
(``pg_ctlcluster --skip-systemctl-redirect VERSION main stop -m fast``), left down ``--down``
seconds (at most 10), and started again. It checks that:

- while the database is down, every answer is a clear one: pages a 503 with Retry-After and a
  sentence, no stack trace; /healthz a 503 {"status": "error"}; the server itself never stops
  answering (no refused or reset connection);
- the site recovers by itself once PostgreSQL is back (no restart of gunicorn), and how long
  that takes;
- every submission that was accepted (redirected to the thanks page) is in the database exactly
  once, and none that was refused is.

Disturbs everything else using this PostgreSQL server for those seconds: run it alone.
``--no-restart`` runs the same traffic without touching PostgreSQL. PG_URL and PG_CLUSTER
(default postgres://postgres@127.0.0.1:5432 and main) name another cluster, e.g. one made for
the purpose with ``pg_createcluster 15 trust --port 5433 --start``. Loopback only; bounded.
Always starts PostgreSQL again on the way out.
"""

import argparse
import os
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from trust_common import (  # noqa: E402
    PG_URL,
    Visitor,
    outcome,
    psql,
    start_server,
    stop_server,
    stored_names,
    submission_data,
)

TRAFFIC_SECONDS = 40
STOP_AT = 12
UNAVAILABLE_SENTENCES = ("momentanément indisponible", "temporarily unavailable")


PG_PORT = urllib.parse.urlsplit(PG_URL).port or 5432
CLUSTER = os.environ.get("PG_CLUSTER", "main")


def cluster(action):
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", version, CLUSTER, action]
    if action == "stop":
        command += ["-m", "fast"]
    subprocess.run(command, check=True, timeout=60)


def postgres_ready():
    command = ["pg_isready", "-h", "127.0.0.1", "-p", str(PG_PORT), "-q"]
    return subprocess.run(command, check=False).returncode == 0


def read_outcome(path, status, headers, body):
    if status == 200:
        return "ok"
    if status == 0:
        return "no answer"
    if "Traceback" in body:
        return "stack trace"
    if path == "/healthz":
        return "clear 503" if status == 503 and '"error"' in body else f"unclear {status}"
    if (
        status == 503
        and headers.get("Retry-After")
        and any(s in body for s in UNAVAILABLE_SENTENCES)
    ):
        return "clear 503"
    return f"unclear {status}"


def reader(base, paths, stop, log):
    visitor = Visitor(base, timeout=15)
    n = 0
    while not stop.is_set():
        path = paths[n % len(paths)]
        n += 1
        status, headers, body = visitor.request(path)
        log.append((time.monotonic(), "read", read_outcome(path, status, headers, body), path))
        time.sleep(0.05)


def submitter(base, run, number, stop, log, sent):
    visitor = Visitor(base, timeout=15)
    token, theme = visitor.submission_form()
    commune = visitor.commune("Lyon")
    n = 0
    while not stop.is_set():
        name = f"{run}-s{number}-{n:04d}"
        n += 1
        status, headers, body = visitor.request(
            "/initiatives/submit/", submission_data(token, theme, commune, name)
        )
        result = outcome(status, headers, body)
        if status == 0:
            result = "no answer"
        sent.append((name, result))
        log.append((time.monotonic(), "submit", result, "/initiatives/submit/"))
        time.sleep(0.1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default="ssemap_trust")
    parser.add_argument("--port", type=int, default=8204)
    parser.add_argument("--down", type=float, default=5.0, help="seconds PostgreSQL stays down")
    parser.add_argument("--no-restart", action="store_true")
    args = parser.parse_args()
    down_for = min(args.down, 10.0)

    run = f"restart-{uuid.uuid4().hex[:8]}"
    server, base = start_server(args.database, args.port, 300, SUBMISSION_RATE_LIMIT="100000")
    slug = psql(
        args.database,
        "SELECT slug FROM initiatives_initiative WHERE status = 'published' ORDER BY id LIMIT 1",
    ).strip()
    paths = [
        "/",
        "/initiatives/",
        f"/initiatives/{slug}/",
        "/en/initiatives/?sort=name",
        "/api/initiatives.geojson?bbox=-5.5,41.0,10.0,51.5&zoom=6",
        "/healthz",
    ]
    log, sent = [], []
    stop = threading.Event()
    threads = [threading.Thread(target=reader, args=(base, paths, stop, log)) for _ in range(8)]
    threads += [
        threading.Thread(target=submitter, args=(base, run, n, stop, log, sent)) for n in range(4)
    ]
    marks = {}
    try:
        start = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(STOP_AT)
        if not args.no_restart:
            marks["stop"] = time.monotonic()
            cluster("stop")
            marks["stopped"] = time.monotonic()
            time.sleep(down_for)
            marks["start"] = time.monotonic()
            cluster("start")
            while not postgres_ready() and time.monotonic() - marks["start"] < 30:
                time.sleep(0.2)
            marks["ready"] = time.monotonic()
        time.sleep(max(0.0, start + TRAFFIC_SECONDS - time.monotonic()))
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        if not postgres_ready():
            cluster("start")
        stop_server(server)

    # Phases: before the stop, while down (stop command → PostgreSQL ready), after.
    def phase(moment):
        if not marks or moment < marks["stop"]:
            return "1 before"
        if moment < marks["ready"]:
            return "2 down"
        return "3 after"

    table = defaultdict(Counter)
    for moment, kind, result, _ in log:
        table[(phase(moment), kind)][result] += 1
    print(f"run {run}: {len(log)} requests in {TRAFFIC_SECONDS} s, 8 readers + 4 submitters")
    if marks:
        print(
            f"  PostgreSQL stopped {marks['stop'] - start:.1f} s in (stop took "
            f"{marks['stopped'] - marks['stop']:.1f} s), down {down_for:.0f} s, ready again "
            f"{marks['ready'] - marks['start']:.1f} s after start: "
            f"{marks['ready'] - marks['stop']:.1f} s without a database"
        )
    for key in sorted(table):
        counts = ", ".join(f"{name}: {count}" for name, count in table[key].most_common())
        print(f"  {key[0]:9} {key[1]:6} {counts}")

    recovered_at = None
    if marks:
        after = sorted((m, r) for m, kind, r, _ in log if kind == "read" and m >= marks["ready"])
        first_ok = next((m for m, r in after if r == "ok"), None)
        if first_ok is not None:
            recovered_at = first_ok - marks["ready"]
            print(f"  first page served {recovered_at:.2f} s after PostgreSQL was ready")
        late = [r for m, r in after if m > marks["ready"] + 3 and r != "ok"]
        print(f"  reads not ok more than 3 s after recovery: {len(late)}")
    else:
        late = []

    accepted = {name for name, result in sent if result == "accepted"}
    refused = {name for name, result in sent if result != "accepted"}
    stored = stored_names(args.database, run)
    missing = accepted - stored.keys()
    duplicated = [name for name, rows in stored.items() if rows > 1]
    refused_stored = refused & stored.keys()
    print(
        f"  submissions: {len(sent)} sent, {len(accepted)} accepted, {len(refused)} refused; "
        f"stored {len(stored)}; accepted but lost: {len(missing)}; stored twice: "
        f"{len(duplicated)}; refused but stored: {len(refused_stored)}"
    )

    unclear = Counter(
        (r, path)
        for _, _, r, path in log
        if r in {"no answer", "stack trace", "failed"} or r.startswith("unclear")
    )
    for (result, path), count in unclear.most_common(5):
        print(f"  unclear: {count} × {result} on {path}")
    ok = (
        not unclear
        and not missing
        and not duplicated
        and not refused_stored
        and not late
        and (args.no_restart or recovered_at is not None)
    )
    print(
        "OK: clear answers while down, recovered by itself, no accepted submission lost"
        if ok
        else f"FAIL ({sum(unclear.values())} unclear answers)"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
