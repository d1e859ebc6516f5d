"""Failed build log → a known cause, a one-line explanation and a fix hint.

Each rule is a list of patterns over single log lines, written against the real
messages of cargo, rustc, pkg-config, the Tauri CLI and its bundler (the tests
keep one real log excerpt per rule, with where it came from). Rules are tried
in table order, so a root cause (time limit, disk, memory) wins over the
errors it provokes further down the log.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from localpack.versions import RUST_MIN


@dataclass(frozen=True)
class Diagnosis:
    id: str  # stable cause id, e.g. "webkit2gtk_missing"
    summary: str  # one line: what went wrong
    hint: str  # what to do about it
    line: str  # the log line that matched


@dataclass(frozen=True)
class Rule:
    id: str
    patterns: tuple[re.Pattern[str], ...]
    summary: str  # may name groups of the matching pattern: {lib}, {detail}
    hint: str
    # When set, the match counts only if this pattern occurs in the few lines before it.
    after: re.Pattern[str] | None = None


def _rule(id: str, patterns: Sequence[str], summary: str, hint: str, after: str | None = None) -> Rule:
    return Rule(id, tuple(re.compile(p) for p in patterns), summary, hint, re.compile(after) if after else None)


_APT_WEBKIT = "sudo apt install libwebkit2gtk-4.1-dev (Fedora: sudo dnf install webkit2gtk4.1-devel; Arch: sudo pacman -S webkit2gtk-4.1)"
_CONTEXT_LINES = 8

RULES: tuple[Rule, ...] = (
    _rule(
        "timeout",
        [r"^# killed after \S+ \(timeout\)"],
        "the build ran past its time limit and was stopped",
        "raise the limit with --timeout SECONDS (a first build compiles ~400 crates and can take 5-15 minutes)",
    ),
    _rule(
        "interrupted",
        [r"^# interrupted$"],
        "the build was interrupted (Ctrl-C or a termination signal)",
        "run the build again; cargo reuses what it already compiled",
    ),
    _rule(
        "disk_full",
        [r"No space left on device", r"os error 28\b"],
        "the disk is full",
        "free some space and build again; `localpack cache info` shows what the cache holds, `localpack cache clean` frees it",
    ),
    _rule(
        "out_of_memory",
        [
            r"\(signal: 9, SIGKILL: kill\)",
            r"linking with `[^`]+` failed: signal: 9 \(SIGKILL\)",
            r"\bld(?:\.\w+)? terminated with signal 9",
            r"Killed signal terminated program",
            r"memory allocation of \d+ bytes failed",
            r"\b(?:LLVM ERROR|fatal runtime error): out of memory",
        ],
        "the compiler or linker was killed, most likely because the machine ran out of memory",
        "close other programs or add swap, and build with fewer parallel jobs: CARGO_BUILD_JOBS=1 localpack build",
    ),
    _rule(
        "rustc_too_old",
        [
            r"feature `edition2024` is required",
            r"this version of Cargo is older than the `\d+` edition",
            r"requires rustc (?P<want>\d+\.\d+(?:\.\d+)?) or newer, while the currently active rustc version is",
            r"rustc \S+ is not supported by the following packages?",
        ],
        "the installed Rust is too old for the crates Tauri needs",
        f"update Rust: `rustup update stable` (Tauri 2 needs rustc {RUST_MIN} or newer), then build again",
    ),
    _rule(
        "network_interrupted",
        [
            r"\[18\] Transferred a partial file",
            r"\[56\] (?:Failure when receiving data from the peer|.*Connection reset by peer)",
        ],
        "the connection broke off while cargo was downloading crates",
        "build again: cargo keeps what it already downloaded; on an unsteady network raise the retries with "
        "CARGO_NET_RETRY=10, or prefetch on a steady connection (`localpack prefetch`) and build with --offline",
    ),
    _rule(
        "crates_io_unreachable",
        [
            r"failed to download from `https?://(?:index|static)\.crates\.io",
            r"download of config\.json failed",
            r"Could(?: not|n't) resolve host(?:name)?\b.*crates\.io",
            r"attempting to make an HTTP request, but --offline was specified",
            r"you're using offline mode \(--offline\)",
            r"failed to query replaced source registry `crates-io`",
        ],
        "crates.io could not be reached and the crates this app needs are not available offline",
        "connect to the network and build again, or run `localpack prefetch` on a connected machine first "
        "and build with --offline",
    ),
    _rule(
        "webkit2gtk_missing",
        [
            # WebKitGTK and the GTK stack under it: without the -dev packages the first -sys crate to fail is
            # often glib's or gobject's, and installing the WebKitGTK dev package brings them all.
            r"system library `(?P<lib>(?:webkit2gtk|javascriptcoregtk)-4\.[01]|libsoup-[23]\.0|gtk\+-3\.0|gdk-3\.0"
            r"|(?:glib|gobject|gio|gmodule)-2\.0|cairo(?:-gobject)?|pango(?:cairo)?|gdk-pixbuf-2\.0|atk)` required by crate",
            r"could not find system library '(?P<lib>webkit2gtk-4\.[01]|javascriptcoregtk-4\.[01])'",
            r"Package '?(?P<lib>webkit2gtk-4\.[01]|javascriptcoregtk-4\.[01]|libsoup-3\.0)'?(?:, required by .*,)? "
            r"(?:was )?not found",
        ],
        "the WebKitGTK development files are not installed (pkg-config cannot find {lib})",
        _APT_WEBKIT,
    ),
    _rule(
        "librsvg_missing",
        [
            r"system library `(?P<lib>librsvg-2\.0)` required by crate",
            r"Package '?(?P<lib>librsvg-2\.0)'?(?:, required by .*,)? (?:was )?not found",
        ],
        "the librsvg development files are not installed (pkg-config cannot find {lib})",
        "sudo apt install librsvg2-dev (Fedora: sudo dnf install librsvg2-devel; Arch: sudo pacman -S librsvg)",
    ),
    _rule(
        "appindicator_missing",
        [r"Can't detect any appindicator library"],
        "the tray icon needs an appindicator library that is not installed",
        "sudo apt install libayatana-appindicator3-dev (or turn the tray off)",
    ),
    _rule(
        "tauri_config_invalid",
        [r"Error `\"?tauri\.conf\.json\"?` error(?P<detail> on `[^`]*`: .*|: .*)"],
        "the Tauri CLI rejected the generated tauri.conf.json: error{detail}",
        "check the value named above in localpack.toml; if it is valid there, this is a localpack bug: `localpack report`",
    ),
    _rule(
        "frontend_dist_missing",
        [
            r"Unable to find your web assets, did you forget to build your web app\?",
            r"The `(?:frontendDist|distDir)` configuration is set to `.*` but this path doesn't exist",
        ],
        "the web app folder (app.dist) was not found when the build ran",
        "make sure app.dist in localpack.toml points to a folder containing index.html (build the web app first)",
    ),
    _rule(
        "wix_light_failed",
        [r"failed to run \S*light\.exe", r"error running light\.exe", r"light\.exe : error LGHT\d+"],
        "WiX (light.exe) could not build the .msi installer",
        "enable the VBSCRIPT Windows feature (Settings > System > Optional features > More Windows features), "
        "or build only the NSIS installer: --targets nsis",
    ),
    _rule(
        "linuxdeploy_failed",
        [r"failed to run linuxdeploy"],
        "linuxdeploy could not build the AppImage",
        "try NO_STRIP=1 localpack build (strip fails on new glibc); without FUSE set APPIMAGE_EXTRACT_AND_RUN=1; "
        "or build only deb/rpm: --targets deb,rpm",
    ),
    _rule(
        "bundler_tool_download_failed",
        [r"failed to bundle project:? `?https?://\S+"],
        "the bundler could not download the tools it needs (WiX, NSIS or the AppImage tools) from GitHub",
        "connect to the network once (the tools are cached afterwards), seed the tool cache with `localpack prefetch`, "
        "or leave this installer format out with --targets",
    ),
    _rule(
        "bundler_tool_download_failed",
        [r"failed to bundle project:? `?(?!failed to run|error running)"],
        "the bundler could not download the tools it needs (WiX, NSIS or the AppImage tools) from GitHub",
        "connect to the network once (the tools are cached afterwards), seed the tool cache with `localpack prefetch`, "
        "or leave this installer format out with --targets",
        after=r"^\s*Downloading https?://",
    ),
)


def diagnose(lines: Sequence[str]) -> Diagnosis | None:
    """The first known cause found in a build log, or None."""
    for rule in RULES:
        for i, line in enumerate(lines):
            for pattern in rule.patterns:
                m = pattern.search(line)
                if m is None:
                    continue
                if rule.after is not None and not any(
                    rule.after.search(prev) for prev in lines[max(0, i - _CONTEXT_LINES) : i]
                ):
                    continue
                groups = {k: v for k, v in m.groupdict().items() if v is not None}
                return Diagnosis(rule.id, rule.summary.format(**groups), rule.hint, line.strip())
    return None


def first_error_line(lines: Sequence[str]) -> str:
    """The first line that reads like an error (for an unknown cause's signature and title)."""
    pattern = re.compile(r"^\s*(?:error\b|Error\b|ERROR\b|failed to\b|thread '.*' panicked)")
    return next((line.strip() for line in lines if pattern.search(line)), "")
