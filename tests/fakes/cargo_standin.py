#!/usr/bin/env python3
"""A stand-in for cargo, for `tauri build --runner` (crates.io is unreachable here).

`metadata` is delegated to the real cargo (it works offline with --no-deps).
`build` prints cargo-like progress and places a stub binary where cargo would:
$CARGO_TARGET_DIR/<profile>/<package name>, carrying Tauri's bundle-type marker.

Behaviour is steered by environment variables, as a test needs:
  STANDIN_MODE=fail   exit 101 after cargo-like error output
  STANDIN_MODE=hang   start a child process and sleep until killed
  STANDIN_MODE=no-network  fail as cargo 1.95 does when crates.io cannot be reached
  STANDIN_BARRIER=D:N before finishing, add a file to folder D and wait (up to 120 s) until it holds N:
                      N builds then bundle and collect at the same moment
  STANDIN_SAY=TEXT    print TEXT first (a tool that prints what it should not, e.g. its environment)
  STANDIN_RECORD=F    append {"argv", "cwd", "env", "source"} as one JSON line to F ("source": the
                      `[source]` tables of the cargo config files that apply here)
  STANDIN_ENV=F       append this process's whole environment as one JSON object (a line) to F
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

MARKER = b"__TAURI_BUNDLE_TYPE_VAR_UNK"


def record(argv: list[str]) -> None:
    dump = os.environ.get("STANDIN_ENV")
    if dump:
        with open(dump, "a") as f:
            f.write(json.dumps(dict(os.environ)) + "\n")
    path = os.environ.get("STANDIN_RECORD")
    if path:
        keep = {k: v for k, v in os.environ.items() if k.startswith(("CARGO", "TAURI", "LOCALPACK", "RUST"))}
        with open(path, "a") as f:
            f.write(json.dumps({"argv": argv, "cwd": os.getcwd(), "env": keep, "source": source_config()}) + "\n")


def source_config() -> dict:
    """The `[source]` tables cargo would use here: config files from the cwd upward, then CARGO_HOME's;
    the closest file wins per source, as in cargo."""
    home = Path(os.environ.get("CARGO_HOME", Path.home() / ".cargo"))
    files = [d / ".cargo" / "config.toml" for d in [Path.cwd(), *Path.cwd().parents]] + [home / "config.toml"]
    merged: dict = {}
    for path in reversed(files):
        if path.is_file():
            for name, table in tomllib.loads(path.read_text()).get("source", {}).items():
                merged.setdefault(name, {}).update(table)
    return merged


def build(argv: list[str]) -> int:
    manifest = tomllib.loads(Path("Cargo.toml").read_text())
    name = manifest["package"]["name"]
    mode = os.environ.get("STANDIN_MODE", "")
    if mode == "no-network":  # cargo 1.95's own words, captured on a machine without crates.io
        print(
            "warning: spurious network error (1 try remaining): [6] Could not resolve hostname "
            "(Could not resolve host: index.crates.io)\n"
            f"error: failed to get `tauri` as a dependency of package `{name} v1.0.0 ({os.getcwd()})`\n\n"
            "Caused by:\n  download of config.json failed\n\nCaused by:\n"
            "  failed to download from `https://index.crates.io/config.json`\n\nCaused by:\n"
            "  [6] Could not resolve hostname (Could not resolve host: index.crates.io)",
            file=sys.stderr,
        )
        return 101
    if os.environ.get("STANDIN_SAY"):
        print(os.environ["STANDIN_SAY"], file=sys.stderr, flush=True)
    print("    Updating crates.io index", file=sys.stderr, flush=True)
    crates = ["proc-macro2", "serde", "tauri-utils", "tauri-build", "tauri", name]
    for i, crate in enumerate(crates, 1):
        print(f"   Compiling {crate} v1.0.{i}", file=sys.stderr, flush=True)
        if mode == "hang" and i == 3:
            child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
            Path(os.environ.get("STANDIN_PIDFILE", "/dev/null")).write_text(f"{os.getpid()} {child.pid}")
            time.sleep(600)
    barrier = os.environ.get("STANDIN_BARRIER")
    if barrier:
        folder, count = barrier.rsplit(":", 1)
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / f"{name}-{os.getpid()}").touch()
        deadline = time.time() + 120
        while len(list(Path(folder).iterdir())) < int(count) and time.time() < deadline:
            time.sleep(0.05)
    if mode == "fail":
        print("error[E0425]: cannot find value `x` in this scope\n --> src/lib.rs:3:5", file=sys.stderr)
        print(f"error: could not compile `{name}` (lib) due to 1 previous error", file=sys.stderr)
        return 101
    profile = "debug" if "--release" not in argv else "release"
    target = Path(os.environ.get("CARGO_TARGET_DIR", "target"))
    for i, arg in enumerate(argv):
        if arg == "--target":
            target = target / argv[i + 1]
    out = target / profile / name
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(b"#!/bin/sh\n# " + MARKER + b"\necho stub app\n")
    out.chmod(0o755)
    print(f"    Finished `{profile}` profile [optimized] target(s) in 0.10s", file=sys.stderr, flush=True)
    return 0


def main() -> int:
    argv = sys.argv[1:]
    record(argv)
    if argv and argv[0] == "metadata":
        return subprocess.call(["cargo", *argv, "--offline"])
    if argv and argv[0] == "build":
        return build(argv)
    print(f"cargo stand-in: unsupported command {argv!r}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
