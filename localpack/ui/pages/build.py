"""Build: the form that starts a build, and one build's page, its event stream, Cancel and downloads."""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request as HttpRequest
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    PlainTextResponse,
    Response,
    StreamingResponse,
)

from localpack.build.artifacts import human_size
from localpack.config import model
from localpack.core import targets
from localpack.core.platform import host_os
from localpack.errors import ConfigError
from localpack.events import EndEvent, LineEvent, MessageEvent, NoteEvent, to_line
from localpack.ui.jobs import RUNNING, Request
from localpack.ui.pages.base import Page, see_other


class Build(Page):
    def build_page(self, request: HttpRequest, config_text: str, status: int = 200, **extra: Any) -> HTMLResponse:
        config_path = self.resolve(config_text, self.s.last_config or self.s.directory / model.DEFAULT_CONFIG)
        cfg, problems = None, []
        try:
            cfg = model.load(config_path, require_file=True)
        except model.InvalidConfig as e:
            problems = [f"{k} {v}" for k, v in e.problems]
        except ConfigError as e:
            problems = [e.message]
        context = dict(
            config=str(config_path),
            cfg=cfg,
            problems=problems,
            formats=targets.BY_OS.get(host_os(), ()),
            chosen=cfg.bundle.targets if cfg else (),
            out=str(config_path.parent / "dist"),
            running=self.s.jobs.running(),
            start_error="",
        )
        context.update(extra)
        return self.page(request, "build.html", status, **context)

    async def build(self, request: HttpRequest) -> Response:
        if request.method == "GET":
            return self.build_page(request, request.query_params.get("config", ""))
        data = await self.read_form(request)
        config_text = str(data.get("config") or "")
        config_path = self.resolve(config_text, self.s.last_config or self.s.directory / model.DEFAULT_CONFIG)
        try:
            cfg = model.load(config_path, require_file=True)
        except ConfigError:
            return self.build_page(request, config_text, 400)
        formats = targets.BY_OS.get(host_os(), ())
        chosen = tuple(t for t in data.getlist("targets") if t in formats)
        out = self.resolve(str(data.get("out") or ""), config_path.parent / "dist")
        job = self.s.jobs.start(
            Request(
                config=config_path,
                out=out,
                targets=chosen,
                debug=data.get("debug") == "on",
                preflight=data.get("no_preflight") != "on",
                app=cfg.name,
            )
        )
        return see_other(f"/build/{job.id}")

    def find_job(self, request: HttpRequest) -> Any:
        return self.s.jobs.get(request.path_params["job"])

    async def job(self, request: HttpRequest) -> Response:
        job = self.find_job(request)
        if job is None:
            return self.page(request, "missing.html", 404)
        seen = job.events_since(0)
        lines = [e.text for e in seen if isinstance(e, LineEvent)][-40:]
        messages = [
            e
            for e in seen
            if isinstance(e, NoteEvent) or (isinstance(e, MessageEvent) and e.kind in ("info", "warning", "success"))
        ]
        return self.page(
            request,
            "job.html",
            job=job,
            running=job.state == RUNNING,
            lines=lines,
            messages=messages,
            artifacts=job.artifacts(),
            human_size=human_size,
        )

    async def job_events(self, request: HttpRequest) -> Response:
        """Server-Sent Events: each event of the build once, in order; a reconnect resumes after Last-Event-ID."""
        job = self.find_job(request)
        if job is None:
            return PlainTextResponse("not found", status_code=404)
        try:
            start = int(request.headers.get("last-event-id", "-1")) + 1
        except ValueError:
            start = 0

        async def stream() -> Any:
            index = start
            yield "retry: 1000\n\n"
            while not self.s.stopping.is_set():
                fresh = job.events_since(index)
                for event in fresh:
                    yield f"id: {index}\ndata: {to_line(event)}\n\n"
                    index += 1
                    if isinstance(event, EndEvent):
                        return
                if await request.is_disconnected():
                    return
                await asyncio.sleep(0.15)

        return StreamingResponse(stream(), media_type="text/event-stream")

    async def job_cancel(self, request: HttpRequest) -> Response:
        job = self.find_job(request)
        if job is None:
            return PlainTextResponse("not found", status_code=404)
        job.stop()
        await run_in_threadpool(job.wait, 15)
        return see_other(f"/build/{job.id}")

    async def job_download(self, request: HttpRequest) -> Response:
        job = self.find_job(request)
        path = job.download(request.path_params["name"]) if job is not None else None
        if path is None:
            return PlainTextResponse("not found", status_code=404)
        return FileResponse(path, filename=path.name, media_type="application/octet-stream")
