"""The pages, one module each, and the routing table that joins them. Each route is a thin call into the
layers the CLI uses (config, toolchain, offline, core.records, report); the HTML is Jinja2 with autoescape
on. Blocking calls (doctor's probes, icons, GitHub) run in Starlette's thread pool.

- `base.py`: the server's state (`Settings`) and what every page shares.
- `nav.py`: the start address and the language switch.
- `new_app.py`: New app (the form, the derived name, the icon upload and preview).
- `import_file.py`: the PakePlus import.
- `build.py`: starting a build, and one build's page and event stream.
- `doctor.py`: the doctor's checks.
- `history.py`: the build records and the failure report.
- `token_settings.py`: the GitHub token.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request as HttpRequest
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from localpack.errors import FILE_ERRNOS, ConfigError, FileProblem, LocalpackError
from localpack.ui.pages.base import UI, Settings, TooLarge, environment
from localpack.ui.pages.build import Build
from localpack.ui.pages.doctor import Doctor
from localpack.ui.pages.history import History
from localpack.ui.pages.import_file import ImportFile
from localpack.ui.pages.nav import Nav
from localpack.ui.pages.new_app import NewApp
from localpack.ui.pages.token_settings import TokenSettings

__all__ = ["Settings", "create_app"]


def create_app(settings: Settings) -> Starlette:
    env = environment()
    nav, new, imports = Nav(settings, env), NewApp(settings, env), ImportFile(settings, env)
    build, doctor, history, token = (
        Build(settings, env),
        Doctor(settings, env),
        History(settings, env),
        TokenSettings(settings, env),
    )
    routes = [
        Route("/", nav.home),
        Route("/new", new.new, methods=["GET", "POST"]),
        Route("/derive-name", new.derive_name),
        Route("/icon-preview", new.icon_upload, methods=["POST"]),
        Route("/uploads/{upload}/preview.png", new.icon_preview),
        Route("/import", imports.import_, methods=["GET", "POST"]),
        Route("/build", build.build, methods=["GET", "POST"]),
        Route("/build/{job}", build.job),
        Route("/build/{job}/events", build.job_events),
        Route("/build/{job}/cancel", build.job_cancel, methods=["POST"]),
        Route("/build/{job}/download/{name}", build.job_download),
        Route("/doctor", doctor.doctor),
        Route("/history", history.history),
        Route("/history/{record}", history.record, methods=["GET", "POST"]),
        Route("/history/{record}/log", history.record_log),
        Route("/settings", token.settings, methods=["GET", "POST"]),
        Route("/lang", nav.language, methods=["POST"]),
        Mount("/static", StaticFiles(directory=str(UI / "static")), name="static"),
    ]
    return Starlette(routes=routes, exception_handlers={LocalpackError: _refused, OSError: _refused})


async def _refused(request: HttpRequest, exc: Exception) -> Response:
    """A refusal no page shows next to a field (a path that cannot be one, a name too long for the file system,
    a body past the limit, a full disk): its status and one line with the rule, never a 500."""
    if isinstance(exc, OSError) and exc.errno in FILE_ERRNOS:  # as `cli.main()` turns one into a FileProblem
        exc = FileProblem.of(exc, doing="use")
    if not isinstance(exc, LocalpackError):
        raise exc
    if isinstance(exc, TooLarge):
        status = 413
    elif isinstance(exc, FileProblem):
        status = 507 if exc.cause == "disk_full" else 400
    elif isinstance(exc, ConfigError):
        status = 400
    else:
        raise exc
    text = f"{status} {exc.message}" + (f" ({exc.hint})" if exc.hint else "")
    return PlainTextResponse(text, status_code=status)
