#!/usr/bin/env python3
"""Real compiles, side by side: localpack and Pake (npm `pake-cli`) doing the same three jobs on the same machine
in one run, each with a cargo target dir of its own that starts empty:

  1. a first app, cold (nothing compiled yet)
  2. the same app again, nothing changed
  3. a second app (another name, URL and options), warm

Prints wall seconds per job and each installer's size. Figures are printed, never asserted.

    python scripts/bench_real.py [--url URL] [--second-url URL] [--targets deb] [--debug] [--tools localpack,pake]

Needs what a real build needs (Rust, the WebKitGTK dev packages, node/npm; `localpack setup --system`), and
network for crates.io and npm on the first run. Takes long: two cold compiles of a Tauri app.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PAKE = "pake-cli@3.16.4"


def run(cmd: list[str], cwd: Path, env: dict[str, str], log: Path) -> tuple[float, int]:
    started = time.monotonic()
    with open(log, "a") as out:
        out.write(f"\n$ {' '.join(cmd)}\n")
        out.flush()
        code = subprocess.run(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT).returncode
    return time.monotonic() - started, code


def installers(folder: Path) -> list[tuple[str, int]]:
    found = [p for p in folder.rglob("*") if p.suffix in (".deb", ".rpm", ".AppImage") and p.is_file()]
    return [(p.name, p.stat().st_size) for p in sorted(found)]


def localpack_jobs(base: Path, args: argparse.Namespace) -> list[tuple[str, float, int, list]]:
    home = base / "localpack-home"
    env = {**os.environ, "LOCALPACK_HOME": str(home)}
    env.pop("LOCALPACK_TAURI", None)
    log = base / "localpack.log"
    subprocess.run([sys.executable, "-m", "localpack", "setup"], env=env, check=True, capture_output=True)
    extra = ["--debug"] if args.debug else []
    results = []
    apps = [
        ("first, cold", "bench-one", args.url, []),
        ("same app again", "bench-one", args.url, []),
        ("second app, warm", "bench-two", args.second_url, ["--width", "900", "--zoom", "110", "--title", "Bench Two"]),
    ]
    for label, name, url, options in apps:
        out = base / "localpack-out" / name
        cmd = [
            sys.executable,
            "-m",
            "localpack",
            "build",
            "--url",
            url,
            "--name",
            name,
            "--targets",
            args.targets,
            "--out",
            str(out),
            *options,
            *extra,
        ]
        seconds, code = run(cmd, base, env, log)
        results.append((label, seconds, code, installers(out)))
    return results


def pake_jobs(base: Path, args: argparse.Namespace) -> list[tuple[str, float, int, list]]:
    tool = base / "pake"
    tool.mkdir()
    log = base / "pake.log"
    run(["npm", "install", "--no-audit", "--no-fund", PAKE], tool, dict(os.environ), log)
    pake = tool / "node_modules" / ".bin" / "pake"
    env = {**os.environ, "PAKE_CREATE_APP": "1"}
    extra = ["--debug"] if args.debug else []
    results = []
    apps = [
        ("first, cold", "benchone", args.url, []),
        ("same app again", "benchone", args.url, []),
        ("second app, warm", "benchtwo", args.second_url, ["--width", "900", "--title", "Bench Two"]),
    ]
    for label, name, url, options in apps:
        out = base / "pake-out" / name
        out.mkdir(parents=True, exist_ok=True)
        cmd = [str(pake), url, "--name", name, "--targets", args.targets, *options, *extra]
        seconds, code = run(cmd, out, env, log)
        results.append((label, seconds, code, installers(out)))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="https://example.com")
    parser.add_argument("--second-url", default="https://example.org")
    parser.add_argument("--targets", default="deb")
    parser.add_argument("--debug", action="store_true", help="debug profile (the default is release, what users get)")
    parser.add_argument("--tools", default="localpack,pake")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (target dirs, logs)")
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="bench-real-"))
    print(f"work folder: {base} (logs: localpack.log, pake.log)")
    table = {}
    try:
        for tool in args.tools.split(","):
            table[tool] = {"localpack": localpack_jobs, "pake": pake_jobs}[tool](base, args)
        for tool, rows in table.items():
            print(f"\n{tool} ({'debug' if args.debug else 'release'}, targets {args.targets}, {os.cpu_count()} cores)")
            for label, seconds, code, files in rows:
                sizes = ", ".join(f"{name} {size / 1e6:.1f} MB" for name, size in files) or "no installer"
                status = "" if code == 0 else f"  [exit {code}]"
                print(f"  {label:<18} {seconds:7.1f} s  {sizes}{status}")
        print(
            "\n"
            + json.dumps(
                {
                    t: [{"job": r[0], "seconds": round(r[1], 1), "exit": r[2], "installers": dict(r[3])} for r in rows]
                    for t, rows in table.items()
                }
            )
        )
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
