"""Atomic file writes: a temp file in the same folder, then a rename, with normal permissions."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


def umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes | str, mode: int | None = None) -> None:
    """Replace `path` with `data` so readers see the old or the new file, never half of one.

    The file gets `mode`, or the permissions a plain `open()` would give it (0666 minus the umask);
    mkstemp's 0600 would hide installers and checksums from other users.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, mode if mode is not None else 0o666 & ~umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def file_digest(path: Path, algo: str = "sha256") -> str:
    """Hex digest of a file, read in chunks (installers and crates can be large)."""
    h = hashlib.new(algo)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
