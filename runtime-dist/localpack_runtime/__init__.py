"""localpack's app runtime, prebuilt for this platform. This package only locates its files; localpack reads them
(localpack/toolchain/prebuilt.py): `runtime/` holds the binary and its manifest `runtime.json` (Tauri version,
target triple, features, runtime sources digest, sha256), `cli/node_modules/` the pinned Tauri CLI."""

from pathlib import Path


def root() -> Path:
    """The folder holding `runtime/` and `cli/`."""
    return Path(__file__).resolve().parent
