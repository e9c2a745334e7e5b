"""Helpers shared by the bench scripts: map views, HTTP probes, gunicorn workers' memory."""

import gzip
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from initiatives.geo import world_x, world_y  # noqa: E402

DEFAULT_BASE_URL = "http://127.0.0.1:8203"
ACCEPT_ENCODING = "gzip, br"


def viewport_bbox(latitude, longitude, zoom, width=1280, height=720):
    """The W,S,E,N a map of ``width`` × ``height`` px shows at ``zoom``, widened to whole tiles.

    Snapping to the tile grid is what the map's client does, so that views that differ by a
    few pixels ask for the same, cacheable, URL.
    """
    import math

    world_px = 256 * 2**zoom
    cx, cy = world_x(longitude) * world_px, world_y(latitude) * world_px
    x0 = math.floor((cx - width / 2) / 256) * 256
    x1 = math.ceil((cx + width / 2) / 256) * 256
    y0 = math.floor((cy - height / 2) / 256) * 256
    y1 = math.ceil((cy + height / 2) / 256) * 256

    def lon(x):
        return max(-180.0, min(180.0, x / world_px * 360.0 - 180.0))

    def lat(y):
        n = math.pi - 2 * math.pi * y / world_px
        return max(-85.0, min(85.0, math.degrees(math.atan(math.sinh(n)))))

    return tuple(round(v, 6) for v in (lon(x0), lat(y1), lon(x1), lat(y0)))


def fetch(url, headers=None, timeout=120):
    """GET ``url``: (status, headers, body bytes as sent, seconds). Never raises on HTTP errors."""
    request = urllib.request.Request(
        url, headers={"Accept-Encoding": ACCEPT_ENCODING, **(headers or {})}
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
            return response.status, dict(response.headers), body, time.perf_counter() - started
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read(), time.perf_counter() - started


def first_byte_seconds(url, timeout=120):
    """Seconds until the first bytes of the body arrive (the rest is read and dropped)."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": ACCEPT_ENCODING})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=timeout) as response:
        response.read1(65536)
        first = time.perf_counter() - started
        while response.read1(65536):
            pass
    return first


def decoded(headers, body):
    if headers.get("Content-Encoding") == "gzip":
        return gzip.decompress(body)
    return body


def wait_until_up(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            status, *_ = fetch(url, timeout=5)
            if status < 500:
                return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


def children(pid):
    """Process ids whose parent is ``pid`` (gunicorn's workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return sorted(found)


def status_kb(pid, key):
    """A ``/proc/<pid>/status`` memory figure in kB (VmRSS, VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def reset_peak_rss(pid):
    """Start VmHWM again from the current RSS (Linux: write 5 to clear_refs)."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def git_commit():
    if os.environ.get("BENCH_COMMIT"):  # when run from an exported copy of the tree
        return os.environ["BENCH_COMMIT"]
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        return "?"


def load_average():
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def cpu_count():
    return os.cpu_count() or 1


def manage_shell(code):
    """The last line ``manage.py shell -c code`` prints, run with this checkout's virtualenv."""
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run(
        [str(root / ".venv/bin/python"), "manage.py", "shell", "-c", code],
        cwd=root,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""
