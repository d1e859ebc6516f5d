"""What every page shares: the server's state, the Jinja environment, the language, the form reader and
the path rule of the page's text fields."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from starlette.requests import ClientDisconnect
from starlette.requests import Request as HttpRequest
from starlette.responses import HTMLResponse, RedirectResponse

from localpack.core.messages import Msg
from localpack.errors import ConfigError
from localpack.output import Console
from localpack.paths import Paths
from localpack.ui import form as app_form
from localpack.ui import i18n
from localpack.ui.guard import MAX_BODY
from localpack.ui.jobs import Jobs

UI = Path(__file__).resolve().parent.parent  # templates/, static/ and locales/ live beside the pages package
MAX_UPLOAD = MAX_BODY - (1 << 20)  # 32 MiB: a picture or a ppconfig.json with a base64 icon fits many times
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
NAV = ("new", "import", "build", "doctor", "history", "settings")


@dataclass
class Settings:
    directory: Path  # `localpack ui --dir`: where the page starts, and what relative paths are relative to
    paths: Paths
    jobs: Jobs
    stopping: threading.Event = field(default_factory=threading.Event)
    last_config: Path | None = None  # the config saved or imported last, offered on the Build page
    console: Console = field(default_factory=Console)  # the server's own messages (its terminal)


def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(UI / "templates")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


class TooLarge(ConfigError):
    """A request body past the guard's limit: answered 413 with the limit (`create_app` maps it)."""


def check_upload_size(data: bytes) -> None:
    if len(data) > MAX_UPLOAD:
        raise ConfigError(Msg("the file is too large"), f"at most {MAX_UPLOAD // (1024 * 1024)} MiB")


class Page:
    """One page's handlers share these helpers; each page module subclasses it."""

    def __init__(self, settings: Settings, env: jinja2.Environment) -> None:
        self.s, self.env = settings, env

    def texts(self, request: HttpRequest) -> i18n.Texts:
        return i18n.Texts(i18n.choose(request.headers.get("accept-language", ""), request.cookies.get(i18n.COOKIE)))

    def page(self, request: HttpRequest, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        t = self.texts(request)
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        html = self.env.get_template(template).render(
            t=t, lang=t.lang, langs=i18n.LANG_NAMES, nav=NAV, here=here, **context
        )
        return HTMLResponse(html, status_code=status)

    def resolve(self, text: str, default: Path | None = None) -> Path:
        text = text.strip()
        if not text:
            return (default or self.s.directory).resolve()
        return app_form.resolve(text, self.s.directory)

    async def read_form(self, request: HttpRequest) -> Any:
        try:
            return await request.form(max_files=4, max_fields=200, max_part_size=4 * 1024 * 1024)
        except ClientDisconnect:  # the guard stopped reading at its limit (or the browser went away)
            raise TooLarge(Msg("the request is too large"), f"at most {MAX_UPLOAD // (1024 * 1024)} MiB") from None
