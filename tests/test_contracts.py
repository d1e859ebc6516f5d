"""The typed contracts between layers keep their JSON shapes: the `--events` lines, the `build --json` object
and the build record each have one `to_json`/`from_json`, and a record is still checked as hostile input."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from localpack import events
from localpack.build.artifacts import Artifact
from localpack.build.result import NOT_STARTED_JSON, BuildResult
from localpack.core import records
from localpack.core.progress import Progress
from localpack.errors import ConfigError
from localpack.output import Console
from localpack.paths import Paths

SHAPES = [
    {
        "event": "progress",
        "phase": "compiling",
        "detail": "1/3 crates (serde)",
        "crates_done": 1,
        "crates_total": 3,
        "crate": "serde",
        "elapsed_s": 0.4,
    },
    {"event": "line", "text": "   Compiling serde v1.0.0"},
    {"event": "note", "text": "reusing the compiled runtime"},
    {"event": "info", "text": "log: /x.log"},
    {"event": "success", "text": "built"},
    {"event": "warning", "text": "careful"},
    {"event": "hint", "text": "try this"},
    {"event": "error", "code": "build_failed", "message": "build failed", "hint": "see the log", "cause": "x"},
    {"event": "table", "headers": ["installer", "size"], "rows": [["a.deb", "1 KiB"]]},
    {"event": "end", "state": "ok"},
]


@pytest.mark.parametrize("shape", SHAPES, ids=[s["event"] for s in SHAPES])
def test_every_event_reads_back_as_written(shape: dict) -> None:
    event = events.parse(json.dumps(shape))
    assert event is not None and event.event == shape["event"] and event.to_json() == shape


@pytest.mark.parametrize(
    "line",
    ['{"event": "progress"}', '{"event": "mystery", "text": "x"}', "{", "plain text", '{"ok": true}', '{"event": 5}'],
)
def test_what_is_not_an_event_is_none(line: str) -> None:
    assert events.parse(line) is None


def test_progress_and_console_write_typed_events(capsys: pytest.CaptureFixture[str]) -> None:
    stream = io.StringIO()
    Progress(total_crates=1, stream=stream, events=True).feed("   Compiling serde v1.0.0")
    parsed = [events.parse(line) for line in stream.getvalue().splitlines()]
    assert parsed[0] == events.LineEvent("   Compiling serde v1.0.0")
    assert isinstance(parsed[1], events.ProgressEvent) and parsed[1].crates_done == 1
    console = Console(events=True)
    console.warn("careful")
    console.error(ConfigError("bad", "fix it"))
    written = [events.parse(line) for line in capsys.readouterr().err.splitlines()]
    assert written == [
        events.MessageEvent("warning", "careful"),
        events.ErrorEvent("config_invalid", "bad", "fix it", None),
    ]


def test_the_build_result_reads_back_and_not_started_keeps_its_shape() -> None:
    result = BuildResult(
        True,
        "demo",
        "1.0.0",
        "/ws",
        "/log",
        1.234,
        [Artifact("dist/a.deb", "deb", 3, "0" * 64)],
        {"id": "x", "compiled": False, "reason": None},
        None,
    )
    data = result.to_json()
    assert list(data) == ["ok", "app", "version", "workspace", "log", "duration_s", "artifacts", "runtime", "error"]
    assert data["duration_s"] == 1.23 and BuildResult.from_json(json.loads(json.dumps(data))).to_json() == data
    assert NOT_STARTED_JSON == {
        "ok": False,
        "app": None,
        "version": None,
        "workspace": None,
        "log": None,
        "duration_s": 0.0,
        "artifacts": [],
        "runtime": None,
        "error": None,
    }
    with pytest.raises(ValueError):
        BuildResult.from_json({"ok": True})


def test_a_record_is_saved_and_checked_as_input(tmp_path: Path) -> None:
    paths = Paths(config=tmp_path / "c", cache=tmp_path / "k", state=tmp_path / "s")
    record = records.BuildRecord(id="demo-20261124T070000000000", app="demo", targets=["deb"], log=None)
    path = records.save(paths, record)
    data = records.load(path)
    assert data["schema"] == records.SCHEMA and records.BuildRecord.from_json(data) == record
    for bad, problem in [
        ({"id": "../x"}, "'id' is not"),
        ({"debug": "yes"}, "'debug' has the wrong type"),
        ({"duration_s": True}, "'duration_s' has the wrong type"),
        ({"tools": {"a": [1]}}, "'tools' must map names to plain values"),
        ({"targets": [1]}, "'targets' must be a list of names"),
    ]:
        path.write_text(json.dumps({**data, **bad}))
        with pytest.raises(ConfigError, match=f"not a valid build record: {problem}"):
            records.load(path)
