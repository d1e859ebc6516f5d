"""Doctor: what `localpack doctor [--targets …] [--offline]` checks, as a page."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request as HttpRequest
from starlette.responses import Response

from localpack.core import targets
from localpack.errors import ConfigError
from localpack.offline import appimage_tools_cached, doctor_checks
from localpack.toolchain import fix_hint, run_checks
from localpack.toolchain.checks import Host
from localpack.ui.pages.base import Page


class Doctor(Page):
    async def doctor(self, request: HttpRequest) -> Response:
        wanted = request.query_params.get("targets", "")
        offline = request.query_params.get("offline") == "1"
        try:
            checks, chosen, fix, notes = await run_in_threadpool(self.run_doctor, wanted, offline)
        except ConfigError as e:
            return self.page(request, "doctor.html", 400, checks=[], chosen=[], fix="", notes=[], error=e.message,
                             wanted=wanted, offline=offline)
        return self.page(request, "doctor.html", checks=checks, chosen=chosen, fix=fix, notes=notes, error="",
                         wanted=wanted, offline=offline)

    def run_doctor(self, wanted: str, offline: bool) -> tuple[list[Any], list[str], str, list[str]]:
        """What `localpack doctor [--targets …] [--offline]` checks, as data."""
        paths = self.s.paths
        notes: list[str] = []
        requested = targets.parse(wanted) if wanted.strip() else ()
        chosen = targets.resolve(requested, offline=offline, warn=notes.append,
                                 tools_cached=lambda: appimage_tools_cached(paths))
        host = Host.current()
        checks = run_checks(paths, chosen, offline=offline, host=host)
        if offline:
            checks += doctor_checks(paths, chosen)
        failed = [c for c in checks if c.required and not c.ok]
        return checks, chosen, fix_hint(failed, host) if failed else "", notes
