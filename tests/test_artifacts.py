"""Which bundles count as this build's, and the live progress line."""

from __future__ import annotations

import io
import json
import os
import time
from pathlib import Path

from localpack.build import artifacts
from localpack.core.progress import Progress

# The tail of a real `tauri build --bundles deb,rpm` run (Tauri CLI 2.12.5, stand-in cargo).
TAURI_TAIL = """\
       Built application at: {t}/release/ex
        Info Patching {t}/release/ex with bundle type information: deb
    Bundling ex_1.0.0_amd64.deb ({t}/release/bundle/deb/ex_1.0.0_amd64.deb)
        Info Patching {t}/release/ex with bundle type information: rpm
    Bundling ex-1.0.0-1.x86_64.rpm ({t}/release/bundle/rpm/ex-1.0.0-1.x86_64.rpm)
    Finished 2 bundles at:
        {t}/release/bundle/deb/ex_1.0.0_amd64.deb (18.91 KiB)
        {t}/release/bundle/rpm/ex-1.0.0-1.x86_64.rpm (24.39 KiB)
"""


def _bundles(t: Path) -> tuple[Path, Path, Path]:
    deb = t / "release/bundle/deb/ex_1.0.0_amd64.deb"
    rpm = t / "release/bundle/rpm/ex-1.0.0-1.x86_64.rpm"
    other = t / "release/bundle/deb/other_3.0.0_amd64.deb"
    for p in (deb, rpm, other):
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(b"x")
    return deb, rpm, other


def test_only_reported_and_fresh_bundles_are_taken(tmp_path: Path) -> None:
    deb, rpm, other = _bundles(tmp_path)
    lines = TAURI_TAIL.format(t=tmp_path).splitlines()
    assert artifacts.produced(lines, since=time.time() - 5) == [deb, rpm]
    old = time.time() - 3600
    os.utime(rpm, (old, old))  # a bundle left from an earlier build is never collected
    assert artifacts.produced(lines, since=time.time() - 5) == [deb]
    assert other not in artifacts.produced(lines, since=0)


def test_collect_writes_checksums_and_owner_manifest(tmp_path: Path) -> None:
    deb, rpm, _ = _bundles(tmp_path / "t")
    out = tmp_path / "out"
    arts = artifacts.collect([deb, rpm], out, "ex", shown_base=tmp_path)
    assert [a.path for a in arts] == ["out/ex_1.0.0_amd64.deb", "out/ex-1.0.0-1.x86_64.rpm"]
    assert [a.format for a in arts] == ["deb", "rpm"]
    sums = (out / "SHA256SUMS").read_text()
    assert sums.count("  ex_") == 1 and sums.count("  ex-") == 1
    from localpack.fsutil import umask

    assert (out / "SHA256SUMS").stat().st_mode & 0o777 == 0o666 & ~umask()  # not mkstemp's private 0600


def test_progress_phases_from_cargo_and_tauri_output() -> None:
    stream = io.StringIO()
    p = Progress(total_crates=3, stream=stream)
    seen = []
    for line in [
        "    Updating crates.io index",
        "   Compiling serde v1.0.0",
        "   Compiling tauri v2.12.6",
        "    Finished `release` profile [optimized] target(s) in 1m 03s",
        "    Bundling ex_1.0.0_amd64.deb (/t/ex_1.0.0_amd64.deb)",
        "    Finished 1 bundle at:",
    ]:
        p.feed(line)
        seen.append((p.phase, p.detail))
    assert seen == [
        ("resolving", "Updating crates.io index"),
        ("compiling", "1/3 crates (serde)"),
        ("compiling", "2/3 crates (tauri)"),
        ("bundling", ""),
        ("bundling", "deb"),
        ("done", ""),
    ]
    assert stream.getvalue() == ""  # not a terminal: no progress noise


def test_verbose_prints_the_raw_output() -> None:
    stream = io.StringIO()
    p = Progress(stream=stream, verbose=True)
    p.feed("   Compiling serde v1.0.0")
    assert stream.getvalue() == "   Compiling serde v1.0.0\n"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_live_bar_keeps_ticking_during_silent_steps() -> None:
    stream = _Terminal()
    with Progress(total_crates=40, stream=stream, tick_s=0.02) as p:
        p.feed("   Compiling tauri v2.12.6")
        deadline = time.time() + 5
        while stream.getvalue().count("tauri") < 3 and time.time() < deadline:
            time.sleep(0.02)  # no output from the build meanwhile: as during a long link
        p.note("reusing 39 crates compiled before")
    shown = stream.getvalue()
    assert shown.count("tauri") >= 3 and "compiling" in shown and "1/40" in shown
    assert "reusing 39 crates compiled before" in shown  # a note stays above the bar


def test_events_are_json_lines_for_programs() -> None:
    stream = io.StringIO()
    p = Progress(total_crates=2, stream=stream, events=True)
    p.feed("   Compiling serde v1.0.0")
    p.note("compiling the runtime once")
    events = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert events[0] == {"event": "line", "text": "   Compiling serde v1.0.0"}
    assert events[1]["event"] == "progress" and events[1]["phase"] == "compiling"
    assert (events[1]["crates_done"], events[1]["crates_total"], events[1]["crate"]) == (1, 2, "serde")
    assert events[2] == {"event": "note", "text": "compiling the runtime once"}
