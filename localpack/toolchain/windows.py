"""Windows: MSVC build tools (vswhere), the WebView2 runtime (registry), and the WiX/NSIS tools
the Tauri bundler keeps in its cache. The probes are those of `tauri info`."""

from __future__ import annotations

from pathlib import Path

from localpack import jsonio
from localpack.core.messages import Msg
from localpack.toolchain.checks import Check, Host, missing

VC_TOOLS = "Microsoft.VisualStudio.Component.VC.Tools.x86.x64"
SDKS = ("Microsoft.VisualStudio.Component.Windows10SDK.*", "Microsoft.VisualStudio.Component.Windows11SDK.*")
MSVC_HINT = (
    "winget install Microsoft.VisualStudio.2022.BuildTools --override "
    '"--wait --passive --add Microsoft.VisualStudio.Workload.VCTools --includeRecommended"'
)
WEBVIEW2_CLIENT = r"Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"
WEBVIEW2_KEYS = (
    rf"HKLM\SOFTWARE\WOW6432Node\{WEBVIEW2_CLIENT}",
    rf"HKLM\SOFTWARE\{WEBVIEW2_CLIENT}",
    rf"HKCU\SOFTWARE\{WEBVIEW2_CLIENT}",
)
WEBVIEW2_HINT = "winget install Microsoft.EdgeWebView2Runtime"
# What the bundler downloads from GitHub on first use, and the files it expects (tauri-bundler msi/nsis).
BUNDLER_TOOLS = {
    "msi": ("wix", "WixTools314", ("candle.exe", "light.exe")),
    "nsis": ("nsis", "NSIS", ("makensis.exe",)),
}


def windows_checks(host: Host, targets: list[str], *, offline: bool) -> list[Check]:
    out = [_msvc(host), _webview2(host)]
    out += [_bundler_tool(host, target) for target in BUNDLER_TOOLS if target in targets]
    return out


def vswhere_path(host: Host) -> Path:
    base = host.env.get("ProgramFiles(x86)") or r"C:\Program Files (x86)"
    return Path(base) / "Microsoft Visual Studio" / "Installer" / "vswhere.exe"


def _msvc(host: Host) -> Check:
    """An installation with the C++ build tools and a Windows 10 or 11 SDK."""
    vswhere = vswhere_path(host)
    if not vswhere.exists():
        return missing("msvc", required=True, hint=MSVC_HINT, problem=Msg("no Visual Studio installer (vswhere.exe)"))
    for sdk in SDKS:
        done = host.run(
            [
                str(vswhere),
                "-prerelease",
                "-products",
                "*",
                "-requires",
                VC_TOOLS,
                "-requires",
                sdk,
                "-format",
                "json",
                "-utf8",
            ]
        )
        if done is None or not done.ok:
            continue
        try:
            instances = jsonio.loads(done.output or "[]")
        except ValueError:
            continue
        if instances:
            first = instances[0]
            return Check(
                "msvc",
                ok=True,
                required=True,
                version=first.get("installationVersion"),
                path=first.get("installationPath"),
            )
    return missing(
        "msvc",
        required=True,
        hint=MSVC_HINT,
        problem=Msg("no Visual Studio instance with the C++ build tools and a Windows SDK"),
    )


def _webview2(host: Host) -> Check:
    """The Evergreen runtime writes its version as `pv` under one of three keys."""
    reg = host.which("reg")
    if reg is not None:
        for key in WEBVIEW2_KEYS:
            done = host.run([reg, "query", key, "/v", "pv"])
            if done is None or not done.ok:
                continue
            for line in done.lines:
                parts = line.split()
                if len(parts) >= 3 and parts[0] == "pv" and parts[-1] not in ("", "0.0.0.0"):
                    return Check("webview2", ok=True, required=True, version=parts[-1], path=key)
    return missing("webview2", required=True, hint=WEBVIEW2_HINT)


def _bundler_tool(host: Host, target: str) -> Check:
    """WiX/NSIS in the Tauri tool cache, for information: online the bundler downloads them; for an
    offline build `doctor --offline` requires them in localpack's prefetched data (copied here before it)."""
    name, folder, files = BUNDLER_TOOLS[target]
    base = Path(host.env.get("LOCALAPPDATA") or host.home / "AppData" / "Local") / "tauri" / folder
    if all((base / f).exists() for f in files):
        return Check(name, ok=True, required=False, path=str(base))
    hint = (
        f"the Tauri bundler downloads it from GitHub on the first {target} build; for an offline build run "
        f"`localpack prefetch --targets {target}` on a connected machine"
    )
    if target == "msi":
        hint += "; WiX's light.exe also needs the VBSCRIPT Windows feature (Settings › Optional features)"
    return missing(name, required=False, hint=hint, problem=Msg("not in {path}", path=base))
