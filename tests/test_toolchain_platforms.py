"""macOS and Windows checks, driven on this Linux machine through stand-ins of the commands they
run (`xcode-select -p`, `vswhere.exe`, `reg query`) that answer as the real ones do."""

from __future__ import annotations

from pathlib import Path

from fakes.toolenv import ToolEnv, _script, by_name, make
from localpack.toolchain import run_checks
from localpack.toolchain.windows import MSVC_HINT, WEBVIEW2_HINT

BUILD_TOOLS = (
    '[{"instanceId": "2a7b0c1d", "installDate": "2025-03-01T10:00:00Z", '
    '"installationName": "VisualStudio/17.13.6+35931.197", '
    '"installationPath": "C:\\\\Program Files (x86)\\\\Microsoft Visual Studio\\\\2022\\\\BuildTools", '
    '"installationVersion": "17.13.35931.197", "productId": "Microsoft.VisualStudio.Product.BuildTools", '
    '"displayName": "Visual Studio Build Tools 2022", "isPrerelease": false}]'
)
WEBVIEW2_PV = "131.0.2903.112"
NO_KEY = "ERROR: The system was unable to find the specified registry key or value."


# macOS


def test_macos_with_command_line_tools(tmp_path, paths):
    env = make(tmp_path / "m")
    env.tool("xcode-select", "/Library/Developer/CommandLineTools")
    env.tool("iconutil", "Usage: iconutil --convert ( icns | iconset) [--output file] file [icon-name]", code=1)
    checks = by_name(run_checks(paths, ["app", "dmg"], offline=True, host=env.host("macos")))
    assert checks["xcode-select"].ok and checks["xcode-select"].path == "/Library/Developer/CommandLineTools"
    assert checks["iconutil"].ok
    assert "webkit2gtk-4.1" not in checks and "cc" not in checks  # Linux-only checks stay out


def test_macos_without_command_line_tools(tmp_path, paths):
    env = make(tmp_path / "m", without=("node", "npm"))
    env.tool(
        "xcode-select",
        "xcode-select: error: unable to get active developer directory. Use `sudo xcode-select "
        "--switch path/to/Xcode.app` to specify the Xcode that you wish to use for command line developer tools, "
        "or use `xcode-select --install` to install the standalone command line developer tools.",
        code=2,
    )
    checks = by_name(run_checks(paths, ["app"], offline=True, host=env.host("macos")))
    xcode = checks["xcode-select"]
    assert (xcode.ok, xcode.required, xcode.hint) == (False, True, "xcode-select --install")
    assert not checks["iconutil"].ok and not checks["iconutil"].required
    assert checks["node"].hint.startswith("brew install node")


# Windows


def windows_env(tmp_path: Path, *, vswhere: str | None, reg_keys: tuple[str, ...] = ()) -> ToolEnv:
    env = make(tmp_path / "m")
    program_files = tmp_path / "Program Files (x86)"
    env.extra["ProgramFiles(x86)"] = str(program_files)
    env.extra["LOCALAPPDATA"] = str(tmp_path / "AppData" / "Local")
    if vswhere is not None:
        _script(program_files / "Microsoft Visual Studio" / "Installer" / "vswhere.exe", vswhere)
    answers = "".join(
        f"  '{key}') printf '\\n%s\\n    pv    REG_SZ    {WEBVIEW2_PV}\\n\\n' '{key}'; exit 0;;\n" for key in reg_keys
    )
    _script(env.bin / "reg", f'[ "$1" = query ] || exit 1\ncase "$2" in\n{answers}esac\necho "{NO_KEY}" >&2\nexit 1\n')
    return env


def test_windows_with_build_tools_and_webview2(tmp_path, paths):
    user_key = r"HKCU\SOFTWARE\Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"
    # only a Windows 11 SDK: the first query (Windows 10 SDK) finds nothing, the second does
    vswhere = (
        f"case \"$*\" in *VC.Tools.x86.x64*Windows11SDK*-format\\ json*) printf '%s\\n' '{BUILD_TOOLS}';; "
        '*) echo "[]";; esac\n'
    )
    env = windows_env(tmp_path, vswhere=vswhere, reg_keys=(user_key,))
    checks = by_name(run_checks(paths, ["nsis"], offline=False, host=env.host("windows")))
    msvc = checks["msvc"]
    assert msvc.ok and msvc.version == "17.13.35931.197"
    assert msvc.path == r"C:\Program Files (x86)\Microsoft Visual Studio\2022\BuildTools"
    webview2 = checks["webview2"]
    assert webview2.ok and webview2.version == WEBVIEW2_PV and webview2.path == user_key
    assert not checks["nsis"].ok and not checks["nsis"].required  # online: the bundler downloads it
    assert "wix" not in checks and "webkit2gtk-4.1" not in checks


def test_windows_without_build_tools_or_webview2(tmp_path, paths):
    env = windows_env(tmp_path, vswhere='echo "[]"\n')
    checks = by_name(run_checks(paths, ["msi"], offline=True, host=env.host("windows")))
    assert (checks["msvc"].ok, checks["msvc"].required, checks["msvc"].hint) == (False, True, MSVC_HINT)
    assert (checks["webview2"].ok, checks["webview2"].hint) == (False, WEBVIEW2_HINT)
    wix = checks["wix"]
    assert not wix.ok and not wix.required  # offline builds need it prefetched: doctor --offline's own row
    assert "localpack prefetch --targets msi" in wix.hint and "VBSCRIPT" in wix.hint
    assert checks["rustc"].ok  # common checks still run


def test_windows_without_visual_studio_installer_and_with_cached_wix(tmp_path, paths):
    env = windows_env(tmp_path, vswhere=None)
    wix = tmp_path / "AppData" / "Local" / "tauri" / "WixTools314"
    wix.mkdir(parents=True)
    for exe in ("candle.exe", "light.exe"):
        (wix / exe).write_bytes(b"MZ")
    checks = by_name(run_checks(paths, ["msi"], offline=True, host=env.host("windows")))
    assert not checks["msvc"].ok and "vswhere" in checks["msvc"].problem
    assert checks["wix"].ok and checks["wix"].path == str(wix)


def test_windows_rust_and_node_hints(tmp_path, paths):
    env = windows_env(tmp_path, vswhere='echo "[]"\n')
    for name in ("rustc", "cargo", "rustup", "node", "npm"):
        env.remove(name)
    checks = by_name(run_checks(paths, ["nsis"], offline=True, host=env.host("windows")))
    assert "winget install --id Rustlang.Rustup" in checks["rustc"].hint
    assert checks["node"].hint == "winget install OpenJS.NodeJS.LTS"
