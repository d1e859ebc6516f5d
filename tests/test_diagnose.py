"""Each diagnosis rule against a real log excerpt (source named above each one)."""

from __future__ import annotations

import pytest

from localpack.core.diagnose import RULES, diagnose, first_error_line

# More real output met while making localpack's runtime compile here (cargo 1.95, rustc 1.95, Debian 12).
MORE_REAL: list[tuple[str, str, str]] = [
    (
        "webkit2gtk_missing",
        "this machine: the runtime's cargo build with PKG_CONFIG_LIBDIR hiding every .pc file",
        """\
  > PKG_CONFIG_PATH= PKG_CONFIG_LIBDIR=/nonexistent PKG_CONFIG_ALLOW_SYSTEM_CFLAGS=1 pkg-config --libs --cflags gobject-2.0 'gobject-2.0 >= 2.70'

  pkg-config output:
    Package gobject-2.0 was not found in the pkg-config search path.
    Perhaps you should add the directory containing `gobject-2.0.pc'
    to the PKG_CONFIG_PATH environment variable
    Package 'gobject-2.0', required by 'virtual:world', not found

  The system library `gobject-2.0` required by crate `gobject-sys` was not found.""",
    ),
    (
        "out_of_memory",
        "this machine: a linker killed with SIGKILL (as the OOM killer does), rustc 1.95",
        """\
   Compiling hello v0.1.0 (/tmp/diag/hello)
error: linking with `/tmp/diag/killer.sh` failed: signal: 9 (SIGKILL)
  |
  = note: some arguments are omitted. use `--verbose` to show all linker arguments

error: could not compile `hello` (bin "hello") due to 1 previous error""",
    ),
    (
        "rustc_too_old",
        "this machine: a dependency with rust-version 1.99, cargo 1.95",
        """\
     Locking 1 package to latest Rust 1.95.0 compatible version
error: rustc 1.95.0 is not supported by the following package:
  needy@0.1.0 requires rustc 1.99""",
    ),
    (
        "crates_io_unreachable",
        "this machine: cargo 1.95 through a proxy that resets the connection",
        """\
    Updating crates.io index
error: failed to get `itoa` as a dependency of package `netapp v0.1.0 (/tmp/diag/netapp)`

Caused by:
  download of config.json failed

Caused by:
  failed to download from `https://index.crates.io/config.json`

Caused by:
  [35] SSL connect error (Recv failure: Connection reset by peer)""",
    ),
]

SAMPLES: dict[str, tuple[str, str]] = {
    # Tauri CLI 2.12.5 + cargo 1.95 on this machine, crates.io unreachable (tauri build of a rendered project).
    "crates_io_unreachable": (
        "this machine: tauri build with no network",
        """\
    Updating crates.io index
warning: spurious network error (3 tries remaining): [6] Could not resolve hostname (Could not resolve host: index.crates.io)
error: failed to get `tauri` as a dependency of package `t1 v1.0.0 (/tmp/lpx/proj/src-tauri)`

Caused by:
  download of config.json failed

Caused by:
  failed to download from `https://index.crates.io/config.json`

Caused by:
  [6] Could not resolve hostname (Could not resolve host: index.crates.io)
failed to build app: failed to build app
       Error failed to build app: failed to build app""",
    ),
    "webkit2gtk_missing": (
        "mingue/journal-viewer#37 (Arch, system-deps/pkg-config crate output)",
        """\
  pkg-config exited with status code 1
  > PKG_CONFIG_ALLOW_SYSTEM_CFLAGS=1 pkg-config --libs --cflags webkit2gtk-4.1 'webkit2gtk-4.1 >= 2.40'

  The system library `webkit2gtk-4.1` required by crate `webkit2gtk-sys` was not found.""",
    ),
    # pkg-config 1.8.1 on this machine (librsvg2-dev not installed), as a -sys build script relays it.
    "librsvg_missing": (
        "this machine: pkg-config --libs --cflags librsvg-2.0",
        """\
error: failed to run custom build command for `tauri v2.12.6`
Package librsvg-2.0 was not found in the pkg-config search path.
Perhaps you should add the directory containing `librsvg-2.0.pc'
to the PKG_CONFIG_PATH environment variable
Package 'librsvg-2.0', required by 'virtual:world', not found""",
    ),
    "out_of_memory": (
        "rust-lang/rust#51309 and vcpkg PR 16633 (ld killed by the OOM killer)",
        """\
error: could not compile `http` (lib)

Caused by:
  process didn't exit successfully: `rustc --crate-name http ...` (signal: 9, SIGKILL: kill)
collect2: fatal error: ld terminated with signal 9 [Killed]""",
    ),
    "disk_full": (
        "openwrt/openwrt#22743 (the errno text cargo/rustc print too)",
        """\
OSError: [Errno 28] No space left on device: '/srv/store/8ea8ae6f4424ca18eb2629fdce6df16b1db304a68e9f28b6189e73ec44ad77ea'""",
    ),
    "rustc_too_old": (
        "browserslist/browserslist-rs#34 (cargo 1.83 reading an edition-2024 crate)",
        """\
error: failed to parse manifest at `/home/runner/.cargo/registry/src/index.crates.io-6f17d22bba15001f/browserslist-data-0.1.0/Cargo.toml`

Caused by:
  feature `edition2024` is required

  The package requires the Cargo feature called `edition2024`, but that feature is not stabilized in this version of Cargo (1.83.0 (5ffbef321 2024-10-29)).""",
    ),
    # Tauri CLI 2.12.5 on this machine, app.windows[0].width set to a string in tauri.conf.json.
    "tauri_config_invalid": (
        "this machine: tauri build with an invalid tauri.conf.json",
        """\
        Info Looking up installed tauri packages to check mismatched versions...
       Error `"tauri.conf.json"` error on `app > windows > 0 > width`: "wide" is not of type "number\"""",
    ),
    # Tauri CLI 2.12.5 on this machine, build.frontendDist pointing at a missing folder.
    "frontend_dist_missing": (
        "this machine: tauri build with a missing frontendDist",
        """\
Unable to find your web assets, did you forget to build your web app? Your frontendDist is set to "../nope" (which is `/tmp/lpx/proj/nope`).
       Error Unable to find your web assets, did you forget to build your web app? Your frontendDist is set to "../nope" (which is `/tmp/lpx/proj/nope`).""",
    ),
    "linuxdeploy_failed": (
        "tizuio/TizuMark-Markdown-Editor#31 (Tauri 2, AppImage bundling)",
        """\
    Bundling TizuMark_1.1.0_amd64.AppImage (/disk2/data/open_source/github/TizuMark/src-tauri/target/release/bundle/appimage/TizuMark_1.1.0_amd64.AppImage)
failed to bundle project: `failed to run linuxdeploy`
       Error failed to bundle project: `failed to run linuxdeploy`""",
    ),
    "bundler_tool_download_failed": (
        "tauri-apps/tauri#8576 (NSIS plugin download, Windows)",
        """\
        Warn NSIS directory contains mis-hashed files. Redownloading them.
 Downloading https://github.com/tauri-apps/nsis-tauri-utils/releases/download/nsis_tauri_utils-v0.2.2/nsis_tauri_utils.dll
       Error failed to bundle project: `https://github.com/tauri-apps/nsis-tauri-utils/releases/download/nsis_tauri_utils-v0.2.2/nsis_tauri_utils.dll: Connection Failed: tls connection init failed""",
    ),
    "wix_light_failed": (
        "tauri-apps/tauri#14405 (light.exe, fixed by the VBSCRIPT feature per tauri#13752)",
        """\
     Running light to produce C:\\app\\my-web-app\\src-tauri\\target\\release\\bundle\\msi\\app_0.1.0_x64_en-US.msi
failed to bundle project `failed to run C:\\Users\\wusil\\AppData\\Local\\tauri\\WixTools314\\light.exe`
       Error failed to bundle project `failed to run C:\\Users\\wusil\\AppData\\Local\\tauri\\WixTools314\\light.exe`""",
    ),
    "appindicator_missing": (
        "field notes: Tauri's bundler with the tray-icon feature and no appindicator",
        """\
thread 'main' panicked at 'Can't detect any appindicator library'""",
    ),
    # cargo 1.95 on this machine, through a local proxy that cuts each connection after 60 kB.
    "network_interrupted": (
        "this machine: cargo fetch through a proxy that cuts the connection",
        """\
    Updating crates.io index
error: failed to get `serde` as a dependency of package `netapp v0.1.0 (/tmp/diag/netapp)`

Caused by:
  download of se/rd/serde failed

Caused by:
  failed to download from `https://index.crates.io/se/rd/serde`

Caused by:
  [56] Failure when receiving data from the peer (OpenSSL SSL_read: OpenSSL/3.5.4: error:0A000126:SSL routines::unexpected eof while reading, errno 0)""",
    ),
    # localpack's own subprocess wrapper (localpack/proc.py) ends the log this way.
    "timeout": (
        "localpack.proc: a build stopped by --timeout",
        """\
   Compiling tauri v2.12.6
# killed after 600s (timeout)""",
    ),
    "interrupted": (
        "localpack.proc: a build stopped by Ctrl-C",
        """\
   Compiling tauri v2.12.6
# interrupted""",
    ),
}


def test_every_rule_has_a_sample() -> None:
    assert {rule.id for rule in RULES} == set(SAMPLES)


@pytest.mark.parametrize("cause", sorted(SAMPLES))
def test_real_log_excerpt_gives_its_cause(cause: str) -> None:
    _source, log = SAMPLES[cause]
    found = diagnose(log.splitlines())
    assert found is not None, f"no diagnosis for {cause}"
    assert found.id == cause
    assert found.summary and found.hint
    assert found.line in log


def test_summary_names_the_missing_library_and_quotes_the_tauri_message() -> None:
    webkit = diagnose(SAMPLES["webkit2gtk_missing"][1].splitlines())
    assert webkit is not None and "webkit2gtk-4.1" in webkit.summary
    assert "libwebkit2gtk-4.1-dev" in webkit.hint
    config = diagnose(SAMPLES["tauri_config_invalid"][1].splitlines())
    assert config is not None
    assert 'error on `app > windows > 0 > width`: "wide" is not of type "number"' in config.summary


@pytest.mark.parametrize(
    "legacy",
    [
        # tauri-apps/tauri-docs#1385 (older pkg-config crate wording)
        "error: could not find system library 'webkit2gtk-4.1' required by the 'webkit2gtk-sys' crate",
        # OpenListTeam/OpenList-Desktop#97
        "  The system library `javascriptcoregtk-4.1` required by crate `javascriptcore-rs-sys` was not found.",
    ],
)
def test_other_webkit_wordings(legacy: str) -> None:
    found = diagnose([legacy])
    assert found is not None and found.id == "webkit2gtk_missing"


@pytest.mark.parametrize(
    "line",
    [
        # google/bumble#778
        "package `rayon-core v1.13.0` cannot be built because it requires rustc 1.80 or newer, while the currently active rustc version is 1.76.0.",
        # pop-os/cosmic-applets#1155 (newer cargo wording)
        "error: rustc 1.85.1 is not supported by the following package:",
    ],
)
def test_other_rustc_too_old_wordings(line: str) -> None:
    found = diagnose([line])
    assert found is not None and found.id == "rustc_too_old"


def test_download_failure_without_url_needs_the_downloading_line_before_it() -> None:
    # Wangnov/Codex-App-Manager#18: NSIS download answered 504.
    log = [
        " Downloading https://github.com/tauri-apps/binary-releases/releases/download/nsis-3.11/nsis-3.11.zip",
        "failed to bundle project `http status: 504`",
    ]
    assert diagnose(log).id == "bundler_tool_download_failed"
    assert diagnose(log[1:]) is None


def test_root_cause_wins_over_what_it_provokes() -> None:
    log = SAMPLES["crates_io_unreachable"][1] + "\n" + SAMPLES["timeout"][1]
    assert diagnose(log.splitlines()).id == "timeout"


def test_unknown_failure_gives_none_and_a_first_error_line() -> None:
    log = ["   Compiling app v0.1.0", "error[E0425]: cannot find value `x` in this scope", "error: aborting"]
    assert diagnose(log) is None
    assert first_error_line(log) == "error[E0425]: cannot find value `x` in this scope"


@pytest.mark.parametrize("cause,source,text", MORE_REAL, ids=[f"{m[0]}-{i}" for i, m in enumerate(MORE_REAL)])
def test_more_real_output_gives_its_cause(cause: str, source: str, text: str) -> None:
    found = diagnose(text.splitlines())
    assert found is not None and found.id == cause, source
