"""Concurrent submissions: every accepted one is stored exactly once, the others get a clear answer.

    .venv/bin/python bench/trust_submissions.py [--clients 24] [--per-client 25] [--limit 500]

Serves DATABASE (default ssemap_trust, built if missing) with bench/serve.sh (gunicorn, production
settings, 2 processes sharing a file cache) on 127.0.0.1:8204, with SUBMISSION_RATE_LIMIT
raised to --limit per address, below the number sent, so that most submissions are accepted and
the rest are refused with the rate-limit message (the limit is checked before the save and
counted after it, so concurrent requests can overshoot it by a few). All clients start at the same
instant (a barrier) and send their submissions back to back; each has its own cookies and CSRF
token, as a browser has. Then the database is read: every accepted name must be there exactly
once, and no refused one at all. Exits non-zero otherwise. Loopback only; bounded in count and
time.
"""

import argparse
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from trust_common import (  # noqa: E402
    Visitor,
    outcome,
    psql,
    start_server,
    stop_server,
    stored_names,
    submission_data,
    text_of,
)


def client(base, run, number, count, barrier, results, answers):
    visitor = Visitor(base)
    token, theme = visitor.submission_form()
    commune = visitor.commune("Lyon")
    barrier.wait()
    for n in range(count):
        name = f"{run}-c{number:02d}-{n:03d}"
        status, headers, body = visitor.request(
            "/initiatives/submit/", submission_data(token, theme, commune, name)
        )
        result = outcome(status, headers, body)
        results.append((name, result, status))
        if result not in answers:
            answers[result] = f"{status} {text_of(body)[:160]}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default="ssemap_trust")
    parser.add_argument("--port", type=int, default=8204)
    parser.add_argument("--clients", type=int, default=24)
    parser.add_argument("--per-client", type=int, default=25)
    parser.add_argument("--limit", type=int, default=500)
    args = parser.parse_args()

    run = f"trust-{uuid.uuid4().hex[:8]}"
    server, base = start_server(
        args.database, args.port, 900, SUBMISSION_RATE_LIMIT=str(args.limit)
    )
    results, answers = [], {}
    try:
        barrier = threading.Barrier(args.clients)
        threads = [
            threading.Thread(
                target=client,
                args=(base, run, number, args.per_client, barrier, results, answers),
            )
            for number in range(args.clients)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=600)
        elapsed = time.perf_counter() - started
    finally:
        stop_server(server)

    outcomes = Counter(result for _, result, _ in results)
    accepted = {name for name, result, _ in results if result == "accepted"}
    refused = {name for name, result, _ in results if result != "accepted"}
    stored = stored_names(args.database, run)
    missing = sorted(accepted - stored.keys())
    duplicated = sorted(name for name, rows in stored.items() if rows > 1)
    stored_but_refused = sorted(refused & stored.keys())
    pending = psql(
        args.database,
        f"SELECT count(*) FROM initiatives_initiative WHERE name LIKE '{run}%' "
        "AND status = 'pending' AND source = 'submission'",
    ).strip()

    print(f"run {run}: {len(results)} submissions from {args.clients} clients at once")
    print(f"  sent in {elapsed:.1f} s ({len(results) / elapsed:.1f} submissions/s)")
    print(f"  rate limit raised to {args.limit} per address (all clients share 127.0.0.1)")
    for name, number in sorted(outcomes.items()):
        print(f"  {name:13} {number:4}   e.g. {answers.get(name, '')}")
    print(f"  database: {len(stored)} rows of this run, all pending: {pending} pending")
    print(f"  accepted but missing: {len(missing)}  stored twice: {len(duplicated)}")
    print(f"  refused but stored: {len(stored_but_refused)}")
    ok = (
        len(results) == args.clients * args.per_client
        and not outcomes.get("failed")
        and not missing
        and not duplicated
        and not stored_but_refused
        and int(pending) == len(accepted)
    )
    print(
        "OK: every accepted submission stored exactly once, every other one clearly refused"
        if ok
        else "FAIL"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
