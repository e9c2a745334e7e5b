#!/usr/bin/env python3
"""What each answer costs the server in CPU, and the latency floor that puts under load.

    bench/cpu_budget.py --serve ssemap_bench_1000k --cache off        # every row of bench/run.py
    bench/cpu_budget.py --base-url http://127.0.0.1:8203 --only search

For each row of bench/run.py (exports left out): wrk with 8 connections, and the CPU time
(user + system, from /proc) that gunicorn's workers and every PostgreSQL process used during
the run, divided by the requests answered. wrk's own CPU is not counted.

Why: once every page answers in tens of milliseconds alone, what remains of a p95 under load
is queueing for the cores. With ``c`` connections always waiting on the server and ``n``
cores, the server answers at most ``n / cpu`` requests a second, so by Little's law a request
takes on average at least ``c × cpu / n`` (the "floor" column). A row whose floor is above
its target cannot meet it on this machine, whatever the variance; only less CPU per request
or more cores can. The floor for other machines scales with their number of cores.
"""

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

import common
import run

TICKS = os.sysconf("SC_CLK_TCK")
# Issue 11's targets, p95 in ms, by kind of row; the initiative page has its own.
TARGETS = {"html": 300, "map": 150, "initiative page": 100}


def cpu_seconds(pids):
    """User + system CPU seconds of ``pids`` and of their children already reaped."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone: its time is in its parent's reaped children
            continue
        # utime, stime, cutime, cstime: fields 14–17 of stat, 12–15 after the name.
        total += sum(int(value) for value in fields[11:15])
    return total / TICKS


def postgres_pids():
    """Every PostgreSQL process: the postmaster, backends, background workers."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def measure(args, work):
    master = int((work / "gunicorn.pid").read_text())
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(run.LUA)
    plan = [row for row in run.endpoints(args.base_url) if row[1] != "export"]
    if args.only:
        plan = [row for row in plan if args.only in row[0]]
    cores = common.cpu_count()
    print(
        f"{cores} cores · {args.connections} connections · {args.duration} s a row · "
        f"commit {common.git_commit()}\n"
    )
    print(
        f"| row | req/s | CPU ms a request: app + database = total "
        f"| floor at {args.connections} connections | p50 | p95 | target p95 |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, kind, path, bust in plan:
        url = args.base_url + path
        common.fetch(url)  # warms the buffers, as bench/run.py does
        app, database = common.children(master), postgres_pids()
        before = cpu_seconds(app), cpu_seconds(database)
        result = run.run_wrk(url, args.duration, args.connections, args.threads, bust, script.name)
        # New backends started during the run (none with persistent connections) are counted.
        after = cpu_seconds(common.children(master)), cpu_seconds(postgres_pids())
        run.settle(result)
        requests = max(result["requests"], 1)
        app_ms = (after[0] - before[0]) * 1000 / requests
        db_ms = (after[1] - before[1]) * 1000 / requests
        floor = args.connections * (app_ms + db_ms) / cores
        target = TARGETS.get(name, TARGETS.get(kind))
        print(
            f"| {name} | {result['rps']:.1f} | {app_ms:.1f} + {db_ms:.1f} = {app_ms + db_ms:.1f} "
            f"| {floor:.0f} ms | {run.fmt_ms(result['p50'])} | {run.fmt_ms(result['p95'])} "
            f"| {target or ''} |",
            flush=True,
        )


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    run.load_arguments(parser, duration=5, cache="off")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("bench/cpu_budget.py needs wrk, the HTTP load tool: apt-get install -y wrk")
    with run.served(args) as (work, _server):
        measure(args, work)


if __name__ == "__main__":
    main()
