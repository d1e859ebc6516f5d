"""Doctor: what `localpack doctor [--targets …] [--offline]` checks, as a page."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request as HttpRequest
from starlette.responses import Response

from localpack.errors import ConfigError
from localpack.offline.doctor import run_doctor
from localpack.ui.pages.base import Page


class Doctor(Page):
    async def doctor(self, request: HttpRequest) -> Response:
        wanted = request.query_params.get("targets", "")
        offline = request.query_params.get("offline") == "1"
        notes: list[str] = []
        try:
            result = await run_in_threadpool(
                lambda: run_doctor(self.s.paths, wanted.strip(), offline=offline, warn=notes.append)
            )
        except ConfigError as e:
            return self.page(
                request,
                "doctor.html",
                400,
                checks=[],
                chosen=[],
                fix="",
                notes=[],
                error=e.message,
                wanted=wanted,
                offline=offline,
            )
        return self.page(
            request,
            "doctor.html",
            checks=result.checks,
            chosen=result.chosen,
            fix=result.fix,
            notes=notes,
            error="",
            wanted=wanted,
            offline=offline,
        )
