"""Input that used to crash (exit 1) or fail deep in the Tauri CLI (exit 3) is refused as invalid (exit 2)
before anything is written: pictures that cannot be icons, values the Tauri CLI or cargo would reject,
time limits that are not numbers."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from tests.conftest import CARGO_STANDIN, no_traceback


def png_header(width: int, height: int, body: bytes = b"") -> bytes:
    """A PNG that claims `width`x`height` (what a decompression bomb looks like before it is decoded)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    idat = zlib.compress(b"\0" * 1024) if not body else body
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
        + chunk(b"IDAT", idat)
        + chunk(b"IEND", b"")
    )


PICTURES = {
    "bomb-40000.png": png_header(40000, 40000),  # 1.6 billion pixels: Pillow's DecompressionBombError
    "bomb-9500.png": png_header(9500, 9500),  # just over Pillow's warning limit (89 million pixels)
    "garbage.png": b"\x89PNG garbage",
    "truncated.png": png_header(64, 64)[:60],
    "empty.png": b"",
    "text.jpg": b"this is not a JPEG",
    "zlib-broken.png": png_header(64, 64, body=b"not zlib data at all"),
}


@pytest.mark.parametrize("name", sorted(PICTURES))
def test_pictures_that_cannot_be_icons_are_refused(run, home: Path, tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(PICTURES[name])
    for args in (
        ["icon", name],
        ["render", "--url", "https://example.com", "--name", "pic", "--icon", name],
        [
            "build",
            "--url",
            "https://example.com",
            "--name",
            "pic",
            "--icon",
            name,
            "--targets",
            "deb",
            "--no-preflight",
            "--runner",
            str(CARGO_STANDIN),
        ],
    ):
        r = run(*args, env={"LOCALPACK_TAURI": ""}, timeout=60)
        assert r.code == 2 and name in r.err and "hint:" in r.err and no_traceback(r.err), (args, r.err)
    assert not (tmp_path / "icons").exists() and not (home / "state").exists()
    assert not (home / "cache" / "workspaces").exists()


@pytest.mark.parametrize(
    "flag,value,key",
    [
        ("--app-version", "99999999999999999999.1.0", "app.version"),  # the Tauri CLI: "invalid semver"
        ("--app-version", "18446744073709551616.0.0", "app.version"),  # u64::MAX + 1
        ("--app-version", "1.0.18446744073709551616", "app.version"),
        ("--name", "build", "app.name"),  # cargo: "conflicts with cargo's build directory names"
        ("--name", "deps", "app.name"),
        ("--name", "examples", "app.name"),
        ("--name", "incremental", "app.name"),
    ],
)
def test_values_the_tauri_cli_or_cargo_would_reject_are_refused(
    run, home: Path, tauri_cli: Path, flag: str, value: str, key: str
) -> None:
    args = {"--name": "ok-app", "--app-version": "1.0.0", flag: value}
    r = run(
        "build",
        "--url",
        "https://example.com",
        *[x for kv in args.items() for x in kv],
        "--targets",
        "deb",
        "--no-preflight",
        "--runner",
        str(CARGO_STANDIN),
        env={"LOCALPACK_TAURI": str(tauri_cli)},
    )
    assert r.code == 2 and key in r.err and no_traceback(r.err), r.err
    assert not (home / "state").exists()


def test_the_largest_version_cargo_reads_still_builds(run, tmp_path: Path, tauri_cli: Path) -> None:
    top = "18446744073709551615"
    r = run(
        "build",
        "--url",
        "https://example.com",
        "--name",
        "big",
        "--app-version",
        f"{top}.0.0",
        "--targets",
        "deb",
        "--no-preflight",
        "--runner",
        str(CARGO_STANDIN),
        env={"LOCALPACK_TAURI": str(tauri_cli)},
    )
    assert r.code == 0, r.err
    assert (tmp_path / "dist" / f"big_{top}.0.0_amd64.deb").exists()


@pytest.mark.parametrize("version", ["256.0.0", "1.256.0", "1.0.65536"])
def test_an_msi_version_beyond_windows_installers_limits_is_refused(run, tmp_path: Path, version: str) -> None:
    (tmp_path / "localpack.toml").write_text(
        f'[app]\nname = "x"\nurl = "https://example.com"\nversion = "{version}"\n[bundle]\ntargets = ["msi"]\n'
    )
    r = run("render")
    assert r.code == 2 and "app.version" in r.err and "255.255.65535" in r.err, r.err


@pytest.mark.parametrize("timeout", ["nan", "NaN", "inf", "-inf", "-5", "0", "0.5", "1e999", "abc"])
def test_a_timeout_that_is_not_a_number_of_seconds_is_refused(run, home: Path, tauri_cli: Path, timeout: str) -> None:
    r = run(
        "build",
        "--url",
        "https://example.com",
        "--name",
        "t",
        "--targets",
        "deb",
        "--no-preflight",
        "--runner",
        str(CARGO_STANDIN),
        "--timeout",
        timeout,
        env={"LOCALPACK_TAURI": str(tauri_cli)},
    )
    assert r.code == 2 and "--timeout" in r.err and no_traceback(r.err), r.err
    assert not (home / "state").exists()
