"""Prefetch's network steps against the real tools: downloads from a local HTTP server standing in
for GitHub (checksums enforced), `cargo generate-lockfile` + `cargo vendor` against a local mirror
set in cargo's config, `npm pack` + an `npm install --offline` with no registry."""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import os
import shutil
import subprocess
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from localpack.errors import ConfigError, ToolMissing
from localpack.offline import bundler_tools, npm, vendor
from localpack.offline.bundler_tools import MIRROR_ENV, Tool
from localpack.versions import TAURI_CLI
from tests.test_offline import make_crate, make_project

RELEASES = "https://github.com/tauri-apps/binary-releases/releases/download"


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A local HTTP server for `LOCALPACK_TOOLS_MIRROR`; returns the folder it serves."""
    root = tmp_path / "served"
    root.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a: None  # type: ignore[method-assign]
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    monkeypatch.setenv(MIRROR_ENV, f"http://127.0.0.1:{httpd.server_address[1]}/")
    yield root
    httpd.shutdown()
    httpd.server_close()


def publish(root: Path, url: str, data: bytes) -> None:
    path = root / url.removeprefix("https://github.com/")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def test_download_through_the_mirror_with_checksums(server: Path, tmp_path: Path) -> None:
    apprun, dll = b"\x7fELF AppRun", b"MZ nsis_tauri_utils"
    tools = [
        Tool("appimage", "AppRun-x86_64", f"{RELEASES}/apprun-old/AppRun-x86_64", hashlib.sha256(apprun).hexdigest()),
        Tool(
            "nsis", "nsis_tauri_utils.dll", f"{RELEASES}/x/nsis_tauri_utils.dll", hashlib.sha1(dll).hexdigest(), "sha1"
        ),
    ]
    publish(server, tools[0].url, apprun)
    publish(server, tools[1].url, dll)
    store = tmp_path / "store"
    got = bundler_tools.fetch(tools, store)
    assert [p.read_bytes() for p in got] == [apprun, dll]
    assert os.access(got[0], os.X_OK)
    (server / tools[0].url.removeprefix("https://github.com/")).unlink()
    assert bundler_tools.fetch(tools, store) == got  # already there and intact: not downloaded again


def test_a_download_with_the_wrong_checksum_is_refused_and_not_kept(server: Path, tmp_path: Path) -> None:
    tool = Tool(
        "appimage",
        "linuxdeploy-07333c6-x86_64.AppImage",
        f"{RELEASES}/linuxdeploy-07333c6/linuxdeploy-x86_64.AppImage",
        hashlib.sha256(b"the real linuxdeploy").hexdigest(),
    )
    publish(server, tool.url, b"something else")
    with pytest.raises(ToolMissing, match="wrong sha256 checksum"):
        bundler_tools.fetch([tool], tmp_path / "store")
    assert list((tmp_path / "store").iterdir()) == []
    with pytest.raises(ToolMissing, match="could not download"):
        bundler_tools.fetch([Tool("msi", "wix.zip", f"{RELEASES}/none/wix.zip", "0" * 64)], tmp_path / "store")


def test_pinned_names_and_urls_are_the_ones_the_pinned_cli_uses(tauri_cli: Path) -> None:
    """The installed Tauri CLI binary carries the URL pieces, cache names and hashes its bundler uses."""
    packages = tauri_cli.resolve().parent.parent  # node_modules/@tauri-apps/cli/tauri.js → @tauri-apps
    [binary] = list(packages.glob("cli-linux-*/*.node")) or pytest.skip("no linux CLI binary here")
    data = binary.read_bytes()
    assert b"releases/download/linuxdeploy-" in data and b"linuxdeploy-plugin-appimage.AppImage" in data
    assert bundler_tools.LINUXDEPLOY_REV.encode() in data
    assert b"https://github.com/tauri-apps/binary-releases/releases/download/apprun-old/AppRun-" in data
    nsis = [t for t in bundler_tools.WINDOWS_TOOLS if t.name == "nsis_tauri_utils.dll"][0]
    assert (nsis.url + nsis.digest.upper()).encode() in data


def test_seeding_puts_files_where_the_bundler_looks(tmp_path: Path) -> None:
    store, cache = tmp_path / "store", tmp_path / "tauri"
    store.mkdir()
    for tool in bundler_tools.tools_for(["appimage"], "x86_64"):
        (store / tool.name).write_bytes(b"tool")
    with zipfile.ZipFile(store / "wix314-binaries.zip", "w") as z:
        for name in bundler_tools.WIX_REQUIRED:
            z.writestr(name, b"wix")
    with zipfile.ZipFile(store / f"{bundler_tools.NSIS}.zip", "w") as z:
        for name in bundler_tools.NSIS_REQUIRED:
            z.writestr(f"{bundler_tools.NSIS}/{name}", b"nsis")
    (store / "nsis_tauri_utils.dll").write_bytes(b"the dll")

    assert bundler_tools.seed(["deb", "appimage", "msi", "nsis"], store, cache, "x86_64") == ["appimage", "msi", "nsis"]
    assert os.access(cache / "linuxdeploy-07333c6-x86_64.AppImage", os.X_OK)
    assert (cache / "AppRun-x86_64").is_file() and (cache / "linuxdeploy-plugin-appimage.AppImage").is_file()
    assert (cache / "WixTools314" / "light.exe").read_bytes() == b"wix"
    assert (cache / "NSIS" / bundler_tools.NSIS_DLL).read_bytes() == b"the dll"
    assert all(bundler_tools.installed(t, cache, "x86_64") for t in ("appimage", "msi", "nsis"))
    assert bundler_tools.seed(["appimage", "msi", "nsis"], store, cache, "x86_64") == []  # already there


def test_a_zip_escaping_the_tool_cache_is_refused(tmp_path: Path) -> None:
    store = tmp_path / "store"
    store.mkdir()
    with zipfile.ZipFile(store / "wix314-binaries.zip", "w") as z:
        z.writestr("../../outside.exe", b"x")
    with pytest.raises(ConfigError, match="points outside"):
        bundler_tools.seed(["msi"], store, tmp_path / "tauri")
    assert not (tmp_path / "outside.exe").exists()


@pytest.mark.skipif(shutil.which("cargo") is None, reason="needs cargo")
def test_lock_and_vendor_with_real_cargo_from_a_mirror(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """crates.io is unreachable here, so cargo's own config replaces it with a local mirror (as a
    corporate mirror would); `cargo vendor --respect-source-config` then copies from it."""
    mirror = tmp_path / "mirror"
    make_crate(mirror)
    home = tmp_path / "cargo-home"
    home.mkdir()
    (home / "config.toml").write_text(
        f'[source.crates-io]\nreplace-with = "mirror"\n[source.mirror]\ndirectory = "{mirror}"\n'
    )
    monkeypatch.setenv("CARGO_HOME", str(home))
    first, second, shared = tmp_path / "a" / "src-tauri", tmp_path / "b" / "src-tauri", tmp_path / "vendor"
    make_project(first, "first")
    make_project(second, "second")
    make_crate(shared, "fromanotherapp", "1.0.0")

    lock = vendor.lock_and_vendor(first, shared)
    assert 'name = "tinydep"' in lock.read_text() and "checksum = " in lock.read_text()
    vendored = json.loads((shared / "tinydep-0.1.0" / ".cargo-checksum.json").read_text())
    assert set(vendored["files"]) == {"Cargo.toml", "src/lib.rs"}
    assert (shared / "fromanotherapp-1.0.0").is_dir()  # --no-delete: the folder is shared
    vendor.lock_and_vendor(second, shared)  # an existing lock is updated, not regenerated
    assert (second / "Cargo.lock").is_file()

    (home / "config.toml").unlink()  # no mirror and no network: a clear error
    monkeypatch.setenv("CARGO_NET_RETRY", "0")  # cargo would retry for ~10 s first
    (first / "Cargo.lock").unlink()
    with pytest.raises(ToolMissing, match="cargo generate-lockfile"):
        vendor.lock_and_vendor(first, shared)


def test_platform_package_names() -> None:
    assert npm.platform_package("linux", "x86_64", "glibc") == "@tauri-apps/cli-linux-x64-gnu"
    assert npm.platform_package("linux", "aarch64", "") == "@tauri-apps/cli-linux-arm64-musl"
    assert npm.platform_package("darwin", "arm64") == "@tauri-apps/cli-darwin-arm64"
    assert npm.platform_package("win32", "AMD64") == "@tauri-apps/cli-win32-x64-msvc"


@pytest.mark.skipif(shutil.which("npm") is None, reason="needs npm")
def test_npm_tarballs_install_the_cli_with_no_registry(tauri_cli: Path, tmp_path: Path) -> None:
    """`npm pack` (here of the installed packages, not the registry), then the install `localpack setup`
    can run offline: a closed registry port and an empty npm cache."""
    packages = tauri_cli.resolve().parent.parent
    platform_dir = packages / npm.platform_package().split("/")[1]
    if not platform_dir.is_dir():
        pytest.skip("the pinned CLI's platform package is not installed here")
    store = tmp_path / "npm"
    packed = npm.pack(store, [str(packages / "cli"), str(platform_dir), str(packages.parent / "jquery")])
    assert [p.name for p in packed] == [p.name for p in npm.tarballs(store)]
    cmd = npm.install_command(store, tmp_path / "tools")
    assert cmd is not None
    env = {**os.environ, "npm_config_registry": "http://127.0.0.1:9/", "npm_config_cache": str(tmp_path / "empty")}
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    version = subprocess.run(
        [tmp_path / "tools" / "node_modules" / ".bin" / "tauri", "--version"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert version.stdout.strip() == f"tauri-cli {TAURI_CLI}"
