"""The files the Tauri bundler downloads at bundle time, fetched ahead and checksum-verified.

What Tauri CLI 2.12.6 (tauri-bundler 2.10.6) looks for in its tool cache (`~/.cache/tauri`,
`%LOCALAPPDATA%\\tauri`); it downloads a file only when it is absent (see the README's
"Offline builds" for the source lines checked):

- AppImage: `AppRun-<arch>`, `linuxdeploy-07333c6-<arch>.AppImage` (a pinned build) and, optional
  (the bundler falls back to a built-in one), `linuxdeploy-plugin-appimage.AppImage`. The gtk and
  gstreamer plugin scripts are compiled into the CLI: nothing to fetch.
- msi: WiX 3.14 (`wix314-binaries.zip`) extracted to `WixTools314/`.
- nsis: NSIS 3.13 (`nsis-3.13.zip`, its `nsis-3.13/` folder renamed `NSIS/`) plus
  `NSIS/Plugins/x86-unicode/additional/nsis_tauri_utils.dll`.

localpack keeps the downloads as published in `<cache>/offline/tools/` and places them into the
Tauri tool cache before an offline build (`seed`). `LOCALPACK_TOOLS_MIRROR=URL` replaces
`https://github.com` in every download URL (an internal mirror; the tests' local server).
"""

from __future__ import annotations

import hashlib
import os
import platform
import shutil
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from localpack.errors import ConfigError, ToolMissing
from localpack.fsutil import file_digest, write_atomic

GITHUB = "https://github.com"
MIRROR_ENV = "LOCALPACK_TOOLS_MIRROR"
LINUXDEPLOY_REV = "07333c6"
NSIS = "nsis-3.13"  # the zip and its folder: what CLI 2.12.6 fetches (its Windows binary; the 2.11.5 source had 3.11)
TAURI_RELEASES = f"{GITHUB}/tauri-apps/binary-releases/releases/download"
WIX_REQUIRED = (
    "candle.exe",
    "candle.exe.config",
    "darice.cub",
    "light.exe",
    "light.exe.config",
    "wconsole.dll",
    "winterop.dll",
    "wix.dll",
    "WixUIExtension.dll",
    "WixUtilExtension.dll",
)
NSIS_DLL = "Plugins/x86-unicode/additional/nsis_tauri_utils.dll"
NSIS_REQUIRED = (
    "makensis.exe",
    "Bin/makensis.exe",
    "Stubs/lzma-x86-unicode",
    "Stubs/lzma_solid-x86-unicode",
    NSIS_DLL,
    "Include/MUI2.nsh",
    "Include/FileFunc.nsh",
    "Include/x64.nsh",
    "Include/nsDialogs.nsh",
    "Include/WinMessages.nsh",
    "Include/Win/COM.nsh",
    "Include/Win/Propkey.nsh",
    "Include/Win/RestartManager.nsh",
)


@dataclass(frozen=True)
class Tool:
    target: str  # the installer format that needs it
    name: str  # file name in localpack's store
    url: str
    digest: str  # hex, of the published file
    algo: str = "sha256"  # what the bundler itself checks (sha1 for NSIS)
    optional: bool = False  # the bundler copes without it


def _appimage(arch: str) -> list[Tool]:
    # sha256 of the published assets, as recorded by several projects that pin them (GitHub is
    # unreachable from where this was written: docs/offline-bundler-checks.md names the sources).
    apprun = {
        "x86_64": "f30140a43a0a59e46db21bdefdf749b9e9f2c6946e92afabbacf98b8ae73fb4f",
        "aarch64": "072f17c0895a85c490282fe5395c5007e5fc75da727e553b3b8fb680feb11578",
    }
    linuxdeploy = {
        "x86_64": "36a2d7e274d12e1050d0e9ecfe11d339ed54720b2bec464c286d53f8b07f5c62",
        "aarch64": "556ab80baa98e600aa80f0dcedfb70bca0e1ce7e9f147fb345be3fcc3e91b2b1",
    }
    if arch not in apprun:
        return []
    tools = [
        Tool("appimage", f"AppRun-{arch}", f"{TAURI_RELEASES}/apprun-old/AppRun-{arch}", apprun[arch]),
        Tool(
            "appimage",
            f"linuxdeploy-{LINUXDEPLOY_REV}-{arch}.AppImage",
            f"{TAURI_RELEASES}/linuxdeploy-{LINUXDEPLOY_REV}/linuxdeploy-{arch}.AppImage",
            linuxdeploy[arch],
        ),
    ]
    if arch == "x86_64":
        # The bundler fetches `continuous` (rebuilt monthly, so no stable checksum); a fixed release
        # under the same cache name stands in for it.
        tools.append(
            Tool(
                "appimage",
                "linuxdeploy-plugin-appimage.AppImage",
                f"{GITHUB}/linuxdeploy/linuxdeploy-plugin-appimage/releases/download/1-alpha-20250213-1/"
                "linuxdeploy-plugin-appimage-x86_64.AppImage",
                "992d502a248e14ab185448ddf6f6e7d25558cb84d4623c354c3af350c25fccb3",
                optional=True,
            )
        )
    return tools


WINDOWS_TOOLS = [
    Tool(
        "msi",
        "wix314-binaries.zip",
        f"{GITHUB}/wixtoolset/wix3/releases/download/wix3141rtm/wix314-binaries.zip",
        "6ac824e1642d6f7277d0ed7ea09411a508f6116ba6fae0aa5f2c7daa2ff43d31",
    ),
    Tool(
        "nsis", f"{NSIS}.zip", f"{TAURI_RELEASES}/{NSIS}/{NSIS}.zip", "db14f8af2ea346b786c6ae19343f61aaf5e09b8e", "sha1"
    ),
    Tool(
        "nsis",
        "nsis_tauri_utils.dll",
        f"{GITHUB}/tauri-apps/nsis-tauri-utils/releases/download/nsis_tauri_utils-v0.5.3/nsis_tauri_utils.dll",
        "75197fee3c6a814fe035788d1c34ead39349b860",
        "sha1",
    ),
]


def tools_for(targets: Iterable[str], arch: str | None = None) -> list[Tool]:
    """The downloads that building `targets` needs (none for deb, rpm, app, dmg)."""
    wanted = set(targets)
    catalog = [*_appimage(arch or platform.machine().lower()), *WINDOWS_TOOLS]
    return [t for t in catalog if t.target in wanted]


def appimage_supported(arch: str | None = None) -> bool:
    return bool(_appimage(arch or platform.machine().lower()))


def download_url(tool: Tool) -> str:
    mirror = os.environ.get(MIRROR_ENV, "").rstrip("/")
    return mirror + tool.url[len(GITHUB) :] if mirror and tool.url.startswith(GITHUB) else tool.url


def fetch(tools: Iterable[Tool], dest: Path, log: Callable[[str], None] = lambda _: None) -> list[Path]:
    """Download each tool into `dest` (kept if already there with the right checksum); a checksum
    mismatch leaves nothing behind and fails."""
    import requests

    dest.mkdir(parents=True, exist_ok=True)
    done = []
    for tool in tools:
        path = dest / tool.name
        if path.is_file() and file_digest(path, tool.algo) == tool.digest:
            done.append(path)
            continue
        url = download_url(tool)
        log(f"downloading {url}")
        h = hashlib.new(tool.algo)
        part = dest / f".{tool.name}.part"
        try:
            with requests.get(url, stream=True, timeout=(10, 60)) as r:
                r.raise_for_status()
                with open(part, "wb") as f:
                    for chunk in r.iter_content(1 << 20):
                        h.update(chunk)
                        f.write(chunk)
        except requests.RequestException as e:
            part.unlink(missing_ok=True)
            raise ToolMissing(
                f"could not download {tool.name} from {url}: {e}",
                f"check the network, or set {MIRROR_ENV} to a mirror of {GITHUB}",
            ) from None
        if h.hexdigest() != tool.digest:
            part.unlink(missing_ok=True)
            raise ToolMissing(
                f"{tool.name} from {url} has the wrong {tool.algo} checksum "
                f"({h.hexdigest()}, expected {tool.digest}); nothing was kept",
                "the file on the server changed or the download was tampered with; do not use it",
            )
        part.chmod(0o755)
        os.replace(part, path)
        done.append(path)
    return done


def absent(tools: Iterable[Tool], store: Path) -> list[Tool]:
    """Required tools that are not (intact) in localpack's store."""
    return [t for t in tools if not t.optional and not (store / t.name).is_file()]


def installed(target: str, tauri_cache: Path, arch: str | None = None) -> bool:
    """Whether the Tauri bundler would find what `target` needs without downloading."""
    arch = arch or platform.machine().lower()
    if target == "appimage":
        return all((tauri_cache / t.name).is_file() for t in _appimage(arch) if not t.optional) and appimage_supported(
            arch
        )
    if target == "msi":
        return all((tauri_cache / "WixTools314" / f).exists() for f in WIX_REQUIRED)
    if target == "nsis":
        return all((tauri_cache / "NSIS" / f).exists() for f in NSIS_REQUIRED)
    return True


def seed(targets: Iterable[str], store: Path, tauri_cache: Path, arch: str | None = None) -> list[str]:
    """Place the stored tools where the bundler looks, for each target not already there; returns
    the targets seeded. Files already in the Tauri cache are left alone (the bundler patches
    linuxdeploy in place, so its bytes differ from the download after the first use)."""
    seeded = []
    for target in dict.fromkeys(targets):
        tools = tools_for([target], arch)
        if not tools or installed(target, tauri_cache, arch):
            continue
        tauri_cache.mkdir(parents=True, exist_ok=True)
        if target == "appimage":
            for t in tools:
                src, dst = store / t.name, tauri_cache / t.name
                if src.is_file() and not dst.exists():
                    write_atomic(dst, src.read_bytes(), mode=0o755)
        elif target == "msi":
            _extract(store / "wix314-binaries.zip", tauri_cache / "WixTools314")
        elif target == "nsis":
            nsis = tauri_cache / "NSIS"
            if not (nsis / "makensis.exe").exists():
                shutil.rmtree(nsis, ignore_errors=True)
                _extract(store / f"{NSIS}.zip", tauri_cache)
                os.replace(tauri_cache / NSIS, nsis)
            write_atomic(nsis / NSIS_DLL, (store / "nsis_tauri_utils.dll").read_bytes())
        seeded.append(target)
    return seeded


def _extract(archive: Path, dest: Path) -> None:
    """Unzip `archive` into `dest`, refusing members that would land outside it."""
    root = dest.resolve()
    with zipfile.ZipFile(archive) as z:
        for member in z.infolist():
            target = (dest / member.filename).resolve()
            if root != target and root not in target.parents:
                raise ConfigError(
                    f"{archive.name}: member {member.filename!r} points outside {dest}",
                    "the download is damaged; run `localpack prefetch` again",
                )
        z.extractall(dest)
