"""Settings: the GitHub token the failure report uses (store, test, clear)."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request as HttpRequest
from starlette.responses import Response

from localpack.errors import LocalpackError
from localpack.report import filing, token
from localpack.ui.pages.base import Page


class TokenSettings(Page):
    async def settings(self, request: HttpRequest) -> Response:
        paths = self.s.paths
        outcome: dict[str, Any] = {"done": "", "lines": [], "error": ""}
        if request.method == "POST":
            data = await self.read_form(request)
            action = data.get("action")
            try:
                if action == "set":
                    outcome["done"] = self.texts(request)(
                        "settings.stored", where=token.save(paths, str(data.get("token") or ""))
                    )
                elif action == "test":
                    repo = str(data.get("repo") or "").strip()
                    outcome["lines"] = await run_in_threadpool(
                        lambda: token.check(paths, repo=filing.check_repo(repo) if repo else None)
                    )
                elif action == "clear":
                    removed = token.clear(paths)
                    outcome["done"] = self.texts(request)("settings.cleared" if removed else "settings.none_stored")
            except LocalpackError as e:
                outcome["error"] = e.message + (f" ({e.hint})" if e.hint else "")
        current = token.resolve(paths)
        return self.page(
            request,
            "settings.html",
            where=current.where if current else "",
            kind=current.kind if current else "",
            storage=token.storage(paths),
            mode_problem=token.file_mode_problem(paths) or "",
            **outcome,
        )
