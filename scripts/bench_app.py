#!/usr/bin/env python3
"""Apps side by side at run time: time from launch to the first paint of the page, and memory (PSS of the
app's process plus its web processes) after the page has loaded. Each app is started several times on a
fresh home (the apps' runs interleaved), under Xvfb with a D-Bus session, pointed at the same local
site; figures are printed, never asserted, with each app's ratio to the first, beside the size of each app's executable.

    python scripts/bench_app.py --app localpack=/usr/bin/lp-bench --app pake=/usr/bin/pake-bench [--runs 5]

Each `--app NAME=COMMAND` is an installed app whose URL is the site this script serves on
http://127.0.0.1:PORT/ (`--port`, default 8765: build both apps for that URL first, e.g.
`localpack build` with `url = "http://127.0.0.1:8765/"` and `pake http://127.0.0.1:8765/ --name pake-bench`).
The page reports its first paint (two animation frames after the first script ran) to the server; the time
counted is from starting the process to that report. Needs Xvfb, openbox, dbus-daemon and psutil.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.desktop import Desktop

PAGE = b"""<!doctype html><html><head><meta charset='utf-8'><title>Bench</title></head><body>
<h1>A page to paint</h1><p>Some text, a list and a picture-free layout.</p><ul><li>one</li><li>two</li></ul>
<script>requestAnimationFrame(function () { requestAnimationFrame(function () {
  fetch('/painted', {method: 'POST'}); }); });</script></body></html>"""


class Site:
    def __init__(self, port: int) -> None:
        self.painted = threading.Event()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(PAGE)))
                self.end_headers()
                self.wfile.write(PAGE)

            def do_POST(self) -> None:
                site.at = time.monotonic()
                site.painted.set()
                self.send_response(204)
                self.end_headers()

        self.at = 0.0
        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def pss_mib(pid: int) -> float:
    """PSS of a process and all its children (WebKit's web and network processes), in MiB."""
    import psutil

    root = psutil.Process(pid)
    total = 0
    for proc in [root, *root.children(recursive=True)]:
        try:
            total += proc.memory_full_info().pss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return total / 2**20


def one_run(command: str, desktop: Desktop, site: Site, settle: float) -> tuple[float, float]:
    home = Path(tempfile.mkdtemp(prefix="bench-app-"))
    (home / ".run").mkdir(mode=0o700)
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "XDG_RUNTIME_DIR": str(home / ".run"),
        "LANG": "C.UTF-8",
        **desktop.env,
    }
    site.painted.clear()
    started = time.monotonic()
    proc = subprocess.Popen(
        command.split(), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        if not site.painted.wait(120):
            raise SystemExit(f"{command}: no paint in 120 s")
        paint = site.at - started
        time.sleep(settle)
        return paint, pss_mib(proc.pid)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--app", action="append", required=True, help="NAME=COMMAND (repeat; the first is the base)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--settle", type=float, default=3.0, help="seconds after the paint before measuring memory")
    args = parser.parse_args()
    apps = [app_arg(parser, a) for a in args.app]
    if len({name for name, _ in apps}) < len(apps):
        parser.error("each --app needs a name of its own")
    if args.runs < 1 or args.settle < 0:
        parser.error("--runs must be at least 1 and --settle not negative")
    try:
        site = Site(args.port)
    except (OSError, OverflowError) as e:
        parser.error(
            f"cannot serve the page on 127.0.0.1:{args.port}: {getattr(e, 'strerror', None) or e} (another --port?)"
        )
    desktop = Desktop.start(Path(tempfile.mkdtemp(prefix="bench-desktop-")), tray=False)
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name, _ in apps}
    try:
        for _ in range(args.runs):  # interleaved, so a drift of the machine's load touches every app alike
            for name, command in apps:
                runs[name].append(one_run(command, desktop, site, args.settle))
                print(f"{name}: first paint {runs[name][-1][0]:.2f} s, PSS {runs[name][-1][1]:.0f} MiB", flush=True)
    finally:
        desktop.stop()
        site.server.shutdown()
    results = {
        name: (
            statistics.median(r[0] for r in runs[name]),
            statistics.median(r[1] for r in runs[name]),
            binary_mib(command),
        )
        for name, command in apps
    }
    base = results[apps[0][0]]
    print(f"median of {args.runs} runs each\n")
    print(f"{'app':<12} {'paint s':>8} {'× base':>7} {'PSS MiB':>8} {'× base':>7} {'binary MiB':>11} {'× base':>7}")
    for name, (paint, pss, size) in results.items():
        print(
            f"{name:<12} {paint:>8.2f} {paint / base[0]:>7.2f} {pss:>8.0f} {pss / base[1]:>7.2f}"
            f" {size:>11.1f} {size / base[2]:>7.2f}"
        )


def app_arg(parser: argparse.ArgumentParser, text: str) -> tuple[str, str]:
    """`NAME=COMMAND`, whose program is installed."""
    name, _, command = text.partition("=")
    if not name or not command.split():
        parser.error(f"--app {text!r}: give it as NAME=COMMAND, e.g. localpack=/usr/bin/lp-bench")
    if shutil.which(command.split()[0]) is None:
        parser.error(f"--app {text!r}: {command.split()[0]} is not an installed program (install the app's .deb first)")
    return name, command


def binary_mib(command: str) -> float:
    """The size of the app's executable, which is most of what its installer carries."""
    found = shutil.which(command.split()[0])
    return Path(found).stat().st_size / 2**20 if found else float("nan")


if __name__ == "__main__":
    main()
