#!/usr/bin/env python3
"""How much time localpack adds to a build, next to the bare Tauri CLI on the same project.

Uses the stand-in for cargo (crates.io is unreachable here), so the Tauri CLI's own
time (config validation, cargo metadata, bundling) is the floor. Prints cold (fresh
cache) and warm (median of N) wall times; the goal is at most 0.3 s added when warm.
Preflight is included: a stand-in `pkg-config` on PATH answers for the Linux
libraries this machine may lack, as the real one would where they are installed.

    .venv/bin/python scripts/bench_build.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
STANDIN = REPO / "tests" / "fakes" / "cargo_standin.py"
FAKE_PKG_CONFIG = """#!/bin/sh
# answers like pkg-config 1.8.1 where the libraries a Tauri build needs are installed
case "$1" in --version) echo "1.8.1";; --modversion) echo "2.48.0";; esac
exit 0
"""


def timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr}")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    tauri = os.environ.get("LOCALPACK_TAURI") or str(REPO / ".tools" / "node_modules" / ".bin" / "tauri")
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        fake_bin = tmp / "bin"
        fake_bin.mkdir()
        (fake_bin / "pkg-config").write_text(FAKE_PKG_CONFIG)
        (fake_bin / "pkg-config").chmod(0o755)
        env = {
            **os.environ,
            "LOCALPACK_HOME": str(tmp / "home"),
            "LOCALPACK_TAURI": tauri,
            "PATH": f"{fake_bin}{os.pathsep}{os.environ['PATH']}",
        }
        app = ["--url", "https://example.com", "--name", "bench", "--targets", "deb"]
        lp = [sys.executable, "-m", "localpack", "build", *app, "--runner", str(STANDIN)]
        cold_lp = timed(lp, tmp, env)
        workspace = tmp / "home" / "cache" / "workspaces" / "bench"
        bare = [tauri, "build", "--bundles", "deb", "--runner", str(STANDIN)]
        bare_env = {**env, "CARGO_TARGET_DIR": str(tmp / "bare-target")}
        cold_bare = timed(bare, workspace, bare_env)
        warm_lp = [timed(lp, tmp, env) for _ in range(args.runs)]
        warm_bare = [timed(bare, workspace, bare_env) for _ in range(args.runs)]
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "localpack", "--help"], env=env, stdout=subprocess.DEVNULL, check=True)
        startup = time.perf_counter() - start
    med_lp, med_bare = statistics.median(warm_lp), statistics.median(warm_bare)
    print(f"{'':22}{'localpack':>12}{'bare tauri':>12}{'added':>10}")
    print(f"{'cold (first build)':22}{cold_lp:>11.3f}s{cold_bare:>11.3f}s{cold_lp - cold_bare:>9.3f}s")
    print(f"{f'warm (median of {args.runs})':22}{med_lp:>11.3f}s{med_bare:>11.3f}s{med_lp - med_bare:>9.3f}s")
    print(f"python start-up + CLI import (localpack --help): {startup:.3f}s")
    print(f"goal: at most 0.300s added when warm -> {'met' if med_lp - med_bare <= 0.3 else 'NOT met'}")


if __name__ == "__main__":
    main()
