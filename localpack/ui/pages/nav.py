"""The start address and the language switch every page carries."""

from __future__ import annotations

from starlette.requests import Request as HttpRequest
from starlette.responses import Response

from localpack.ui import i18n
from localpack.ui.pages.base import Page, see_other


class Nav(Page):
    async def home(self, request: HttpRequest) -> Response:
        return see_other("/new")

    async def language(self, request: HttpRequest) -> Response:
        data = await self.read_form(request)
        lang = str(data.get("lang", "en"))
        target = str(data.get("next", "/"))
        if not target.startswith("/") or target.startswith("//"):
            target = "/"
        response = see_other(target)
        if lang in i18n.LANGS:
            response.set_cookie(i18n.COOKIE, lang, httponly=True, samesite="strict", max_age=365 * 86400)
        return response
