#!/usr/bin/env python3
"""Measure ssemap under load with wrk and print a table against the targets of issue 5.

    bench/run.py --serve ssemap_bench_100k          # starts bench/serve.sh, measures, stops it
    bench/run.py --base-url http://127.0.0.1:8203   # measures a server already running
    bench/run.py --serve ssemap_bench_100k --compare bench/results/ssemap_bench_10k-….json
    bench/run.py --serve ssemap_bench_100k --cache off   # no server cache: the cold path

For each endpoint: wrk, 8 connections, 10 s, loopback, ``Accept-Encoding: gzip, br``; p50 /
p95 / p99 latency, requests per second, the compressed body size, and the ratio of the p50 to
that of a static file of similar size served by the same server. A small Lua script counts
every status code: any response that is not 2xx/3xx, and any socket error, is an error.
Map data is measured twice: as the client asks for it (server cache warm, the common case)
and with a unique parameter on every request. Since cache keys come from validated filter
values only (issue 10), an unknown parameter no longer defeats the server cache (it still
defeats any HTTP cache in between): measure the cost of computing answers with ``--cache off``,
which serves with ``CACHE_BACKEND=dummy`` (no server cache at all, what every visitor pays
after a write). Then the peak RSS of a gunicorn worker while it streams the CSV export of
every initiative. Results go to bench/results/<db>-<timestamp>.md and .json.
"""

import argparse
import contextlib
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import common

# Centres of the map views: France, the Lyon metropolis, central Paris (the densest area).
FRANCE = (46.6, 2.4)
LYON = (45.76, 4.835)
PARIS_CENTRE = (48.8566, 2.3522)

TARGETS = {"map_p95_ms": 100, "map_kb": 100, "html_p95_ms": 250, "growth": 2.0, "rss_mb": 150}

LUA = r"""
local threads = {}
counts = {}
bust = false
serial = 0

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  bust = args[1] == "bust"
end

function request()
  if bust then
    serial = serial + 1
    local sep = string.find(wrk.path, "?", 1, true) and "&" or "?"
    return wrk.format(nil, wrk.path .. sep .. "nocache=" .. id .. "-" .. serial)
  end
  return wrk.format(nil, wrk.path)
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
  local statuses = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("counts")) do
      statuses[tostring(status)] = (statuses[tostring(status)] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(statuses) do
    table.insert(parts, string.format('"%s":%d', status, n))
  end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"bytes":%d,"p50":%d,"p95":%d,"p99":%d,' ..
    '"max":%d,"socket_errors":%d,"non_2xx_3xx":%d,"statuses":{%s}}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    e.connect + e.read + e.write + e.timeout, e.status, table.concat(parts, ",")))
end
"""


def endpoints(base_url):
    """(name, kind, path, bust): what issue 5 asks to measure."""

    def bbox(centre, zoom):
        return ",".join(str(v) for v in common.viewport_bbox(*centre, zoom))

    def map_path(centre, zoom):
        return f"/api/initiatives.geojson?zoom={zoom}&bbox={bbox(centre, zoom)}"

    initiative = discover_initiative(base_url, map_path(LYON, 16))
    three = "theme=alimentation&territory=auvergne-rhone-alpes&low_tech=1"
    rows = [
        ("home", "html", "/", False),
        ("directory", "html", "/initiatives/", False),
        ("directory, 3 filters", "html", f"/initiatives/?{three}", False),
        ("directory, 3 filters (uncached)", "html", f"/initiatives/?{three}", True),
        ("directory, text query", "html", "/initiatives/?q=energie", False),
        # The rows of issue 11's table, measured the same way.
        ("directory, one theme", "html", "/initiatives/?theme=alimentation", False),
        ("search q=jardin", "html", "/initiatives/?q=jardin", False),
        ("initiative page", "html", initiative, False),
        ("metropolis page", "html", "/territories/metropole-de-lyon/", False),
        ("region page (Île-de-France)", "html", "/territories/ile-de-france/", False),
        ("small town page", "html", "/territories/plouhinec-29197/", False),
        (
            "comparison of 3 metropolises",
            "html",
            "/compare/?t=metropole-de-lyon&t=bordeaux-metropole&t=metropole-europeenne-de-lille",
            False,
        ),
        ("solution page", "html", "/solutions/recyclerie/", False),
    ]
    many = "&".join(
        [f"theme={t}" for t in ("alimentation", "mobilite", "habitat-energie", "culture")]
        + ["theme=solidarite", "size_class=small_town", "size_class=medium_city"]
    )
    rows.append(
        ("map z5, 5 themes + 2 size classes", "map", f"{map_path(FRANCE, 5)}&{many}", False)
    )
    for label, centre, zoom in (
        ("France z5", FRANCE, 5),
        ("metropolis z10", LYON, 10),
        ("neighbourhood z15", PARIS_CENTRE, 15),
    ):
        rows.append((f"map {label}", "map", map_path(centre, zoom), False))
        rows.append((f"map {label} (uncached)", "map", map_path(centre, zoom), True))
    rows.append(
        (
            "CSV export, region (Bretagne)",
            "export",
            "/initiatives/export.csv?territory=bretagne",
            False,
        )
    )
    return rows


def discover_initiative(base_url, path):
    """The page of a published initiative in Lyon, a dense area (its 'nearby' list is full)."""
    status, headers, body, _ = common.fetch(base_url + path)
    if status == 200:
        for feature in json.loads(common.decoded(headers, body))["features"]:
            if not feature["properties"].get("cluster"):
                return feature["properties"]["url"]
    return "/initiatives/citiz/"


def static_baseline(static_root, target_bytes):
    """The collected static file whose compressed size is closest to ``target_bytes``."""
    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    best = None
    for hashed in manifest.values():
        if not hashed.endswith((".js", ".css", ".svg", ".json")):
            continue
        for suffix in (".br", ".gz", ""):
            candidate = static_root / (hashed + suffix)
            if candidate.exists():
                size = candidate.stat().st_size
                break
        else:
            continue
        if best is None or abs(size - target_bytes) < abs(best[1] - target_bytes):
            best = (hashed, size)
    return best


# The longest wait for the requests a run left in flight (a region's export takes seconds).
MAX_SETTLE_SECONDS = 30


def settle(result):
    """Wait until the requests a run left in flight are done: wrk stops sending, but the
    server finishes what it had started (8 searches of nearly a second each), and the next
    measure (a row, an export's first byte, the static file) counted them too. Each took at
    most the run's slowest request."""
    time.sleep(min(result["max"] / 1e6 * 1.2, MAX_SETTLE_SECONDS))


def run_wrk(url, duration, connections, threads, bust, script):
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "30s",
        "-H",
        f"Accept-Encoding: {common.ACCEPT_ENCODING}",
        "-s",
        script,
        url,
        "--",
        "bust" if bust else "keep",
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("WRKJSON "))
    result = json.loads(line[len("WRKJSON ") :])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def export_peak_rss(base_url, pid_file):
    """Peak RSS (MB) of the gunicorn worker that streams the CSV export of every initiative."""
    master = int(Path(pid_file).read_text().strip())
    workers = common.children(master)
    before = {pid: common.status_kb(pid, "VmRSS") for pid in workers}
    reset = all(common.reset_peak_rss(pid) for pid in workers)
    peak = dict(before)
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            for pid in workers:
                with contextlib.suppress(OSError):
                    peak[pid] = max(peak[pid], common.status_kb(pid, "VmRSS"))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    request = urllib.request.Request(
        base_url + "/initiatives/export.csv", headers={"Accept-Encoding": "gzip"}
    )
    sent = first_byte = 0
    with urllib.request.urlopen(request, timeout=600) as response:
        status = response.status
        while chunk := response.read1(65536):
            if not first_byte:
                first_byte = time.perf_counter() - started
            sent += len(chunk)
    total = time.perf_counter() - started
    stop.set()
    sampler.join()
    hwm = {pid: common.status_kb(pid, "VmHWM") for pid in workers} if reset else {}
    worker = max(workers, key=lambda pid: peak[pid] - before[pid])
    return {
        "status": status,
        "bytes": sent,
        "first_byte_s": round(first_byte, 3),
        "total_s": round(total, 2),
        "rss_before_mb": round(before[worker] / 1024, 1),
        "peak_rss_mb": round(max(peak[worker], hwm.get(worker, 0)) / 1024, 1),
        "peak_measured_by": "VmHWM after clear_refs + VmRSS sampled every 20 ms"
        if reset
        else "VmRSS sampled every 20 ms",
    }


def fmt_ms(us):
    return f"{us / 1000:.1f}"


def fmt_bytes(n):
    return f"{n / 1024:.1f} KB" if n >= 1024 else f"{n} B"


def table(rows, static_p50, previous):
    head = "| endpoint | p50 ms | p95 ms | p99 ms | req/s | bytes (compressed) | ×static p50 |"
    sep = "|---|---:|---:|---:|---:|---:|---:|"
    if previous:
        head += " p50 growth |"
        sep += "---:|"
    head += " errors |"
    sep += "---:|"
    lines = [head, sep]
    for row in rows:
        line = (
            f"| {row['name']} | {fmt_ms(row['p50'])} | {fmt_ms(row['p95'])} | {fmt_ms(row['p99'])}"
            f" | {row['rps']:.0f} | {fmt_bytes(row['body_bytes'])} | {row['p50'] / static_p50:.1f} |"
        )
        if previous:
            before = previous.get(row["name"])
            known = before and before["p50"] and row["p50"]
            line += f" {row['p50'] / before['p50']:.2f}× |" if known else " – |"
        line += f" {row['errors']} |"
        if not row["requests"]:
            line += " no request completed"
        lines.append(line)
    return "\n".join(lines)


def verdicts(rows, rss, previous):
    out = []
    maps = [r for r in rows if r["kind"] == "map"]
    for label, group in (
        ("as the client asks", [r for r in maps if "uncached" not in r["name"]]),
        ("uncached", [r for r in maps if "uncached" in r["name"]]),
    ):
        if not group:  # --only left none of these rows
            continue
        worst = max(group, key=lambda r: r["p95"])
        met = worst["p95"] <= TARGETS["map_p95_ms"] * 1000
        out.append(
            f"- map data p95 ≤ {TARGETS['map_p95_ms']} ms, {label}: worst "
            f"{fmt_ms(worst['p95'])} ms ({worst['name']}) — {'met' if met else 'MISSED'}"
        )
    if maps:
        biggest = max(maps, key=lambda r: r["body_bytes"])
        out.append(
            f"- map data ≤ {TARGETS['map_kb']} KB compressed: largest "
            f"{fmt_bytes(biggest['body_bytes'])} ({biggest['name']}) — "
            f"{'met' if biggest['body_bytes'] <= TARGETS['map_kb'] * 1024 else 'MISSED'}"
        )
    html = [r for r in rows if r["kind"] == "html"]
    for label, group in (
        ("same query again (cache warm)", [r for r in html if "uncached" not in r["name"]]),
        ("uncached", [r for r in html if "uncached" in r["name"]]),
    ):
        if not group:
            continue
        worst = max(group, key=lambda r: r["p95"])
        met = worst["p95"] <= TARGETS["html_p95_ms"] * 1000
        out.append(
            f"- HTML p95 ≤ {TARGETS['html_p95_ms']} ms, {label}: worst {fmt_ms(worst['p95'])} ms "
            f"({worst['name']}) — {'met' if met else 'MISSED'}"
        )
    if previous:
        growths = [
            (r["p50"] / previous[r["name"]]["p50"], r["name"])
            for r in rows
            if r["name"] in previous and previous[r["name"]]["p50"] and r["p50"]
        ]
        growth, name = max(growths, default=(0.0, ""))
        out.append(
            f"- p50 growth ≤ {TARGETS['growth']}× against the compared run: worst {growth:.2f}× "
            f"({name}) — {'met' if growth <= TARGETS['growth'] else 'MISSED'}"
        )
    if rss:
        out.append(
            f"- worker peak RSS during the CSV export of all initiatives ≤ {TARGETS['rss_mb']} MB: "
            f"{rss['peak_rss_mb']} MB (from {rss['rss_before_mb']} MB; {fmt_bytes(rss['bytes'])} gzip "
            f"in {rss['total_s']} s, first byte after {rss['first_byte_s']} s) — "
            f"{'met' if rss['peak_rss_mb'] <= TARGETS['rss_mb'] else 'MISSED'}"
        )
    for r in rows:
        if "first_byte_ms" in r:
            out.append(
                f"- {r['name']}: first byte after {r['first_byte_ms']} ms alone (streamed); "
                "the whole export takes time in proportion to its rows"
            )
    errors = sum(r["errors"] for r in rows)
    total = sum(r["requests"] for r in rows)
    out.append(
        f"- zero errors: {errors} errors in {total} requests — {'met' if errors == 0 else 'MISSED'}"
    )
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    load_arguments(parser, duration=10, cache="on")
    parser.add_argument("--db", help="database name for the results file (default: --serve)")
    parser.add_argument("--compare", help="a previous run's .json: adds the p50 growth column")
    parser.add_argument("--no-export-rss", action="store_true", help="skip the memory measure")
    parser.add_argument("--static-root", default=None, help="where serve.sh collected static files")
    args = parser.parse_args()

    if not shutil.which("wrk"):
        sys.exit("bench/run.py needs wrk, the HTTP load tool: apt-get install -y wrk")
    with served(args) as (work, server):
        measure(args, work, server)


def load_arguments(parser, duration, cache):
    """The options of a run against the server: which server (``served``), and the load."""
    parser.add_argument("--serve", metavar="DATABASE", help="start bench/serve.sh on this database")
    parser.add_argument("--base-url", default=common.DEFAULT_BASE_URL)
    parser.add_argument(
        "--cache",
        choices=("on", "off"),
        default=cache,
        help=f"with --serve: off serves with CACHE_BACKEND=dummy (nothing cached) ({cache})",
    )
    parser.add_argument(
        "--duration", type=int, default=duration, help=f"seconds per endpoint ({duration})"
    )
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument("--only", help="measure only endpoints whose name contains this")


@contextlib.contextmanager
def served(args):
    """``(work directory, server process or None)``: bench/serve.sh started on ``args.serve``
    (``args.cache`` off: no server cache) and stopped afterwards, or the server already
    answering at ``args.base_url``."""
    port = urllib.parse.urlsplit(args.base_url).port or 80
    work = common.ROOT / "bench" / ".work" / str(port)
    server = None
    if args.serve:
        env = dict(os.environ)
        if args.cache == "off":
            env["CACHE_BACKEND"] = "dummy"
        server = subprocess.Popen(
            [str(common.ROOT / "bench" / "serve.sh"), args.serve, "3600"],
            start_new_session=True,
            env=env,
        )
    try:
        if not common.wait_until_up(args.base_url + "/", 90 if server else 5):
            sys.exit(f"no server answers at {args.base_url} (start bench/serve.sh first)")
        yield work, server
    finally:
        if server:
            server.send_signal(signal.SIGTERM)
            server.wait(30)


def measure(args, work, server):
    db = args.db or args.serve or "server"
    base = args.base_url
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA)
    plan = endpoints(base)
    if args.only:
        plan = [p for p in plan if args.only in p[0]]
    rows = []
    for name, kind, path, bust in plan:
        status, headers, body, seconds = common.fetch(base + path)  # also warms the caches
        if status >= 400:
            print(f"!! {name}: {path} answered {status}", file=sys.stderr)
        # An export takes seconds: give it time to complete a few requests per connection.
        duration = args.duration * 3 if kind == "export" else args.duration
        result = run_wrk(base + path, duration, args.connections, args.threads, bust, script.name)
        settle(result)
        result.update(
            name=name,
            kind=kind,
            path=path,
            body_bytes=len(body),
            encoding=headers.get("Content-Encoding", "identity"),
            errors=result["socket_errors"] + result["non_2xx_3xx"],
        )
        if kind == "export":
            result["first_byte_ms"] = round(common.first_byte_seconds(base + path) * 1000, 1)
        rows.append(result)
        print(
            f"{name:38} p50 {fmt_ms(result['p50']):>7} ms  p95 {fmt_ms(result['p95']):>7} ms  "
            f"{result['rps']:7.1f} req/s  {fmt_bytes(len(body)):>10} {result['encoding']:8}"
            f" errors {result['errors']}",
            flush=True,
        )
    static_root = Path(args.static_root) if args.static_root else work / "static"
    target = statistics.median(r["body_bytes"] for r in rows if r["kind"] in ("html", "map"))
    hashed, _ = static_baseline(static_root, target)
    status, headers, body, _ = common.fetch(f"{base}/static/{hashed}")
    static = run_wrk(
        f"{base}/static/{hashed}", args.duration, args.connections, args.threads, False, script.name
    )
    static.update(
        name=f"static file ({hashed.rsplit('/', 1)[-1]})",
        kind="static",
        path=f"/static/{hashed}",
        body_bytes=len(body),
        encoding=headers.get("Content-Encoding", "identity"),
        errors=static["socket_errors"] + static["non_2xx_3xx"],
    )
    rows.append(static)
    print(f"{static['name']:38} p50 {fmt_ms(static['p50']):>7} ms  {static['rps']:7.1f} req/s")

    rss = None
    if not args.no_export_rss and (work / "gunicorn.pid").exists():
        rss = export_peak_rss(base, work / "gunicorn.pid")
        print(f"CSV export of all initiatives: {rss}")

    previous = None
    if args.compare:
        previous = {r["name"]: r for r in json.loads(Path(args.compare).read_text())["rows"]}
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    text = "\n".join(
        [
            f"# ssemap benchmark — {db}, {stamp} UTC",
            "",
            f"commit {common.git_commit()} · {common.cpu_count()} CPUs · load average before the "
            f"run {LOAD_BEFORE} · wrk {args.threads} threads, {args.connections} connections, "
            f"{args.duration} s per endpoint, Accept-Encoding: {common.ACCEPT_ENCODING}"
            + (f" · growth against {Path(args.compare).name}" if args.compare else ""),
            "",
            table(rows, static["p50"], previous),
            "",
            verdicts(rows, rss, previous),
            "",
        ]
    )
    print("\n" + text)
    results = common.ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / f"{db}-{stamp}.md").write_text(text)
    (results / f"{db}-{stamp}.json").write_text(
        json.dumps({"db": db, "stamp": stamp, "rows": rows, "export_rss": rss}, indent=1)
    )
    print(f"written to bench/results/{db}-{stamp}.md and .json")


LOAD_BEFORE = common.load_average()

if __name__ == "__main__":
    main()
