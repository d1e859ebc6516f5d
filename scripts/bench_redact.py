#!/usr/bin/env python3
"""Time of secret masking (`localpack.core.redact.redact`) against the size of its input.

    .venv/bin/python scripts/bench_redact.py [--sizes 10000,100000,1000000] [--ref main]

For each hostile shape (text that made an earlier, backtracking version slow) and each size it prints
the masking time next to a peer that reads the text once (`str.lower`), and the time per MB: when
masking is linear that last column stays flat as the size grows. `--ref GIT_REF` also times the
`redact.py` of that commit (e.g. `main` before a change), skipping the larger sizes of a shape once
one run took over 5 s. Nothing is asserted: the tests check that 1 MB inputs finish, this prints numbers.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from localpack.core import redact as current

SHAPES: dict[str, Callable[[int], str]] = {
    "a.a.a. (URL scheme run)": lambda n: "a." * (n // 2),
    "AAAA (one long NAME)": lambda n: "A" * n,
    "A_KEY A_KEY (names)": lambda n: "A_KEY " * (n // 6),
    'X_TOKEN=" (open quotes)': lambda n: 'X_TOKEN="' * (n // 9),
    "?a?a (query names)": lambda n: "?a" * (n // 2),
    "://aaaa (authority, no @)": lambda n: "://" + "a:" * (n // 2),
    "eyJeyJ (JWT-like)": lambda n: "eyJ-" * (n // 4),
    "authorization: (headers)": lambda n: "authorization: " * (n // 15),
    "build log lines": lambda n: (
        (
            "   Compiling serde v1.0.219 https://u:p@ss@host/x?private_token=abc&a=1 "
            "GITLAB_PAT=glpat-abcdefghijklmnopqrstuvwx\n"
        )
        * (n // 120)
    ),
}


def timed(fn: Callable[[str], object], text: str) -> float:
    start = time.perf_counter()
    fn(text)
    return time.perf_counter() - start


def load_ref(ref: str) -> types.ModuleType:
    source = subprocess.run(
        ["git", "show", f"{ref}:localpack/core/redact.py"], cwd=REPO, check=True, capture_output=True, text=True
    ).stdout
    module = types.ModuleType(f"redact_{ref}")
    exec(compile(source, f"{ref}:redact.py", "exec"), module.__dict__)  # noqa: S102 - our own file at another commit
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,300000,1000000")
    parser.add_argument("--ref", help="also time the redact.py of this git commit")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    old = load_ref(args.ref) if args.ref else None
    head = f"{'shape':28} {'size':>9} {'str.lower':>10} {'redact':>9} {'s per MB':>9}"
    print(head + (f" {args.ref + ' redact':>14}" if old else ""))
    for name, make in SHAPES.items():
        slow = False
        for size in sizes:
            text = make(size)
            peer = timed(str.lower, text)
            mine = timed(lambda t: current.redact(t, env=False), text)
            row = f"{name:28} {len(text):>9} {peer:>9.4f}s {mine:>8.3f}s {mine / len(text) * 1e6:>8.3f}s"
            if old is not None:
                if slow:
                    row += f" {'(skipped)':>14}"
                else:
                    took = timed(lambda t: old.redact(t, env=False), text)
                    slow = took > 5
                    row += f" {took:>13.3f}s"
            print(row, flush=True)


if __name__ == "__main__":
    main()
