"""History: the build records, one record with its log, and the failure report filed from it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request as HttpRequest
from starlette.responses import PlainTextResponse, Response

from localpack.build.artifacts import human_size
from localpack.core import records
from localpack.errors import ConfigError, LocalpackError
from localpack.fsutil import path_problem
from localpack.report import filing
from localpack.ui.pages.base import Page

RECORD_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
LOG_LINES = 400


class History(Page):
    def load_records(self) -> list[tuple[str, records.BuildRecord]]:
        found = []
        for path in reversed(records.all_records(self.s.paths)):
            try:
                found.append((path.stem, records.read(path)))
            except ConfigError:  # not a record (damaged, too deep, of another version): not listed
                continue
        return found

    async def history(self, request: HttpRequest) -> Response:
        return self.page(request, "history.html", items=await run_in_threadpool(self.load_records))

    def find_record(self, request: HttpRequest) -> tuple[Path, records.BuildRecord] | None:
        record_id = request.path_params["record"]
        if not RECORD_ID.match(record_id):
            return None
        path = self.s.paths.records / f"{record_id}.json"
        try:
            return path, records.read(path)
        except ConfigError:
            return None

    def log_path(self, record: records.BuildRecord) -> Path | None:
        """The record's log, only if it lies in localpack's own log folder."""
        if not record.log or path_problem(record.log):
            return None
        log = Path(record.log).resolve()
        logs = self.s.paths.logs.resolve()
        return log if log.is_relative_to(logs) and log.is_file() else None

    async def record(self, request: HttpRequest) -> Response:
        found = self.find_record(request)
        if found is None:
            return self.page(request, "missing.html", 404)
        path, record = found
        log = self.log_path(record)
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()[-LOG_LINES:] if log else []
        context: dict[str, Any] = dict(
            id=path.stem,
            record=record,
            lines=lines,
            has_log=log is not None,
            preview=None,
            sent="",
            report_error="",
            repo=(record.config.get("report") or {}).get("repo") or "",
            human_size=human_size,
        )
        if request.method == "POST" and not record.ok:
            data = await self.read_form(request)
            repo = str(data.get("repo") or "").strip()
            context["repo"] = repo
            try:
                if data.get("action") == "send":  # the page's Send button is the confirmation
                    context["sent"] = await run_in_threadpool(lambda: self.send_report(path, repo)) or "-"
                else:
                    context["preview"] = await run_in_threadpool(
                        lambda: filing.preview(path, paths=self.s.paths, repo=repo or None, warn=self.s.console.warn)
                    )
            except LocalpackError as e:
                context["report_error"] = e.message + (f" ({e.hint})" if e.hint else "")
        return self.page(request, "record.html", **context)

    def send_report(self, path: Path, repo: str) -> str:
        console = self.s.console
        outgoing = filing.prepare(path, paths=self.s.paths, repo=repo or None, warn=console.warn)
        return filing.send(outgoing, paths=self.s.paths, say=console.info)

    async def record_log(self, request: HttpRequest) -> Response:
        found = self.find_record(request)
        log = self.log_path(found[1]) if found else None
        if log is None:
            return PlainTextResponse("not found", status_code=404)
        return PlainTextResponse(log.read_text(encoding="utf-8", errors="replace"))
