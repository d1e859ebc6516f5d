#!/usr/bin/env python3
"""Wall time of `localpack doctor` on this machine (the issue's target: under 2 s).

    .venv/bin/python scripts/bench_doctor.py [--runs N]

Prints the whole command (Python start-up included), online and --offline, and the in-process
`preflight` the build runs. Uses a throw-away LOCALPACK_HOME; needs the tools it checks for to be
installed (they are on the development machine: scripts/test sets up the Tauri CLI).
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


def wall(cmd: list[str], env: dict[str, str]) -> tuple[float, int]:
    start = time.perf_counter()
    code = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    return time.perf_counter() - start, code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    tauri = REPO / ".tools" / "node_modules" / ".bin" / "tauri"
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "LOCALPACK_HOME": home}
        if tauri.exists():
            env.setdefault("LOCALPACK_TAURI", str(tauri))
        for label, extra in (("doctor --json", []), ("doctor --json --offline", ["--offline"])):
            times, code = [], 0
            for _ in range(args.runs):
                t, code = wall([sys.executable, "-m", "localpack", "doctor", "--json", *extra], env)
                times.append(t)
            print(
                f"{label:<28} median {statistics.median(times):.3f}s  min {min(times):.3f}s  "
                f"max {max(times):.3f}s  (exit {code}, {args.runs} runs)"
            )

        os.environ.update(env)
        sys.path.insert(0, str(REPO))
        from localpack.paths import Paths
        from localpack.toolchain import run_checks

        paths = Paths.from_env()
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            run_checks(paths, ["deb", "rpm"], offline=False)
            times.append(time.perf_counter() - start)
        print(
            f"{'preflight checks (in-process)':<28} median {statistics.median(times):.3f}s  "
            f"min {min(times):.3f}s  max {max(times):.3f}s"
        )


if __name__ == "__main__":
    main()
