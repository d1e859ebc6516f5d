"""The pages: New app, Import, Build, Doctor, History, Settings. Each route is a thin call into the layers
the CLI uses (config, toolchain, offline, core.records, report); the HTML is Jinja2 with autoescape on.
Blocking calls (doctor's probes, icons, GitHub) run in Starlette's thread pool.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request as HttpRequest
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.responses import StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from localpack import output
from localpack.build.artifacts import human_size
from localpack.config import model, pakeplus
from localpack.config.init_file import write_initial_config
from localpack.core import records, targets
from localpack.core.messages import Msg
from localpack.core.platform import host_os
from localpack.errors import ConfigError, LocalpackError
from localpack.offline import appimage_tools_cached, doctor_checks
from localpack.paths import Paths
from localpack.project import icons
from localpack.report import filing, token
from localpack.toolchain import fix_hint, run_checks
from localpack.toolchain.checks import Host
from localpack.toolchain.tauri_cli import locate
from localpack.ui import form as app_form
from localpack.ui import i18n
from localpack.ui.jobs import RUNNING, Jobs, Request

HERE = Path(__file__).resolve().parent
MAX_UPLOAD = 32 * 1024 * 1024
RECORD_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
LOG_LINES = 400
NAV = ("new", "import", "build", "doctor", "history", "settings")


@dataclass
class Settings:
    directory: Path  # `localpack ui --dir`: where the page starts, and what relative paths are relative to
    paths: Paths
    jobs: Jobs
    stopping: threading.Event = field(default_factory=threading.Event)
    last_config: Path | None = None  # the config saved or imported last, offered on the Build page


def create_app(settings: Settings) -> Starlette:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE / "templates")), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    pages = _Pages(settings, env)
    routes = [
        Route("/", pages.home),
        Route("/new", pages.new, methods=["GET", "POST"]),
        Route("/derive-name", pages.derive_name),
        Route("/icon-preview", pages.icon_upload, methods=["POST"]),
        Route("/uploads/{upload}/preview.png", pages.icon_preview),
        Route("/import", pages.import_, methods=["GET", "POST"]),
        Route("/build", pages.build, methods=["GET", "POST"]),
        Route("/build/{job}", pages.job),
        Route("/build/{job}/events", pages.job_events),
        Route("/build/{job}/cancel", pages.job_cancel, methods=["POST"]),
        Route("/build/{job}/download/{name}", pages.job_download),
        Route("/doctor", pages.doctor),
        Route("/history", pages.history),
        Route("/history/{record}", pages.record, methods=["GET", "POST"]),
        Route("/history/{record}/log", pages.record_log),
        Route("/settings", pages.settings, methods=["GET", "POST"]),
        Route("/lang", pages.language, methods=["POST"]),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    return Starlette(routes=routes)


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


class _Pages:
    def __init__(self, settings: Settings, env: jinja2.Environment) -> None:
        self.s, self.env = settings, env

    # ---------------------------------------------------------------- helpers
    def texts(self, request: HttpRequest) -> i18n.Texts:
        return i18n.Texts(i18n.choose(request.headers.get("accept-language", ""), request.cookies.get(i18n.COOKIE)))

    def page(self, request: HttpRequest, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        t = self.texts(request)
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        html = self.env.get_template(template).render(t=t, lang=t.lang, langs=i18n.LANG_NAMES, nav=NAV, here=here,
                                                      **context)
        return HTMLResponse(html, status_code=status)

    def resolve(self, text: str, default: Path | None = None) -> Path:
        text = text.strip()
        if not text:
            return (default or self.s.directory).resolve()
        return app_form.resolve(text, self.s.directory)

    async def read_form(self, request: HttpRequest) -> Any:
        return await request.form(max_files=4, max_fields=200, max_part_size=4 * 1024 * 1024)

    # ---------------------------------------------------------------- pages
    async def home(self, request: HttpRequest) -> Response:
        return _see_other("/new")

    async def language(self, request: HttpRequest) -> Response:
        data = await self.read_form(request)
        lang = str(data.get("lang", "en"))
        target = str(data.get("next", "/"))
        if not target.startswith("/") or target.startswith("//"):
            target = "/"
        response = _see_other(target)
        if lang in i18n.LANGS:
            response.set_cookie(i18n.COOKIE, lang, httponly=True, samesite="strict", max_age=365 * 86400)
        return response

    # New app ---------------------------------------------------------------
    def new_page(self, request: HttpRequest, *, shown: dict[str, str], source: str, directory: str,
                 upload: str = "", errors: dict[str, list[tuple[str, str]]] | None = None,
                 general: list[Any] | None = None, status: int = 200, overwrite: bool = False) -> HTMLResponse:
        return self.page(request, "new.html", status, groups=app_form.fields(), shown=shown, source=source,
                         directory=directory, upload=upload, errors=errors or {}, general=general or [],
                         overwrite=overwrite)

    async def new(self, request: HttpRequest) -> Response:
        if request.method == "GET":
            shown = {f.key: f.shown(f.default) for f in app_form.by_key().values()}
            shown.update({f.key: "on" if f.default else "" for f in app_form.by_key().values() if f.kind == "bool"})
            return self.new_page(request, shown=shown, source="url", directory=str(self.s.directory))
        data = await self.read_form(request)
        values, shown = app_form.parse(data, self.s.directory)
        source = "dist" if data.get("source") == "dist" else "url"
        directory_text = str(data.get("directory") or "")
        overwrite = data.get("overwrite") == "on"
        upload = str(data.get("icon_upload") or "")
        picked = data.get("icon_file")
        if picked is not None and getattr(picked, "filename", ""):
            upload = self.store_upload(await picked.read(MAX_UPLOAD + 1), picked.filename)
        icon = self.upload_path(upload) if upload else None
        if icon is not None:
            values["app.icon"] = icon
        again = dict(request=request, shown=shown, source=source, directory=directory_text,
                     upload=upload if icon else "", status=400, overwrite=overwrite)
        try:
            model.load(None, values)
        except model.InvalidConfig as e:
            errors, other = app_form.field_errors(e.problems)
            return self.new_page(**again, errors=errors, general=[f"{k} {v}" for k, v in other])
        except ConfigError as e:
            return self.new_page(**again, general=[e.message])
        directory = self.resolve(directory_text)
        name = values.pop("app.name")
        title, url, dist = values.pop("app.title", None), values.pop("app.url", None), values.pop("app.dist", None)
        files: dict[str, bytes] = {}
        if icon is not None:
            files[f"{name}-icon{icon.suffix.lower()}"] = icon.read_bytes()
            values["app.icon"] = Path(f"{name}-icon{icon.suffix.lower()}")
        try:
            path = write_initial_config(directory, url=url, dist=dist, name=name, title=title, force=overwrite,
                                        more=values, files=files, warn=output.warn)
        except model.InvalidConfig as e:
            errors, other = app_form.field_errors(e.problems)
            return self.new_page(**again, errors=errors, general=[f"{k} {v}" for k, v in other])
        except ConfigError as e:
            return self.new_page(**again, general=[e.message])
        self.s.last_config = path
        return self.page(request, "saved.html", path=str(path), text=path.read_text(encoding="utf-8"),
                         build_url="/build?config=" + quote(str(path)), notes=[], warnings=[])

    async def derive_name(self, request: HttpRequest) -> Response:
        url = request.query_params.get("url", "").strip()
        dist = request.query_params.get("dist", "").strip()
        return JSONResponse({"name": app_form.derive_name(url or None, self.resolve(dist) if dist else None)})

    def uploads(self) -> Path:
        return self.s.paths.cache / "ui" / "uploads"

    def store_upload(self, data: bytes, filename: str) -> str:
        if len(data) > MAX_UPLOAD:
            raise ConfigError(Msg("the file is too large"), f"at most {MAX_UPLOAD // (1024 * 1024)} MiB")
        upload = hashlib.sha256(data).hexdigest()[:32]
        name = SAFE_NAME.sub("-", Path(filename).name).strip("-.") or "icon"
        folder = self.uploads() / upload
        folder.mkdir(parents=True, exist_ok=True)
        if not any(folder.iterdir()):
            (folder / name).write_bytes(data)
        return upload

    def upload_path(self, upload: str) -> Path | None:
        """The file of an upload id (a hash this server made), nothing else."""
        if not app_form.UPLOAD_ID.match(upload):
            return None
        folder = self.uploads() / upload
        files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")) if folder.is_dir() else []
        return files[0] if files else None

    async def icon_upload(self, request: HttpRequest) -> Response:
        t = self.texts(request)
        data = await self.read_form(request)
        picked = data.get("icon_file")
        if picked is None or not getattr(picked, "filename", ""):
            return JSONResponse({"error": t("new.icon_none")}, status_code=400)
        try:
            upload = self.store_upload(await picked.read(MAX_UPLOAD + 1), picked.filename)
        except ConfigError as e:
            return JSONResponse({"error": e.message}, status_code=400)
        try:  # the icon rule of the config, on its own
            model.load(None, {"app.name": "icon", "app.url": "https://localhost", "app.icon": self.upload_path(upload)})
        except model.InvalidConfig as e:
            return JSONResponse({"error": " ".join(t.say(text) for _key, text in e.problems)}, status_code=400)
        return JSONResponse({"upload": upload})

    async def icon_preview(self, request: HttpRequest) -> Response:
        path = self.upload_path(request.path_params["upload"])
        if path is None:
            return PlainTextResponse("not found", status_code=404)
        round_corners = request.query_params.get("round") == "1"
        try:
            png = await run_in_threadpool(self.preview_png, path, round_corners)
        except LocalpackError as e:
            return PlainTextResponse(e.message, status_code=400)
        return Response(png, media_type="image/png")

    def preview_png(self, path: Path, round_corners: bool) -> bytes:
        """The generated icon's master image (what the icon step makes of this picture), at 256 px."""
        cached = path.parent / f".preview-{'round' if round_corners else 'square'}.png"
        if cached.is_file():
            return cached.read_bytes()
        found = locate(self.s.paths)
        master = icons.master_image(path, round_corners=round_corners, tauri=found.argv if found else None,
                                    warn=lambda _text: None)
        buf = io.BytesIO()
        master.resize((256, 256)).save(buf, format="PNG")
        cached.write_bytes(buf.getvalue())
        return buf.getvalue()

    # Import ------------------------------------------------------------------
    async def import_(self, request: HttpRequest) -> Response:
        if request.method == "GET":
            return self.page(request, "import.html", directory=str(self.s.directory), file_path="", errors=[])
        data = await self.read_form(request)
        directory_text, file_text = str(data.get("directory") or ""), str(data.get("path") or "")
        overwrite = data.get("overwrite") == "on"
        again = dict(directory=directory_text, file_path=file_text)
        directory = self.resolve(directory_text)
        picked = data.get("ppconfig")
        try:
            if picked is not None and getattr(picked, "filename", ""):
                source = self.place_upload(directory, picked.filename, await picked.read(MAX_UPLOAD + 1))
            elif file_text.strip():
                source = self.resolve(file_text)
            else:
                return self.page(request, "import.html", 400, **again, errors=[self.texts(request)("import.none")])
            imported = pakeplus.convert(pakeplus.read(source), source)
            path = write_initial_config(directory, url=None, dist=None, name=None, title=None, force=overwrite,
                                        from_pakeplus=source, warn=output.warn, info=output.info)
        except model.InvalidConfig as e:
            return self.page(request, "import.html", 400, **again, errors=[f"{k} {v}" for k, v in e.problems])
        except ConfigError as e:
            return self.page(request, "import.html", 400, **again, errors=[e.message])
        self.s.last_config = path
        warnings = list(imported.warnings)
        if imported.unmapped:
            warnings.append("PakePlus fields with no localpack equivalent (not imported): " + "; ".join(imported.unmapped))
        return self.page(request, "saved.html", path=str(path), text=path.read_text(encoding="utf-8"),
                         build_url="/build?config=" + quote(str(path)), notes=imported.notes, warnings=warnings)

    def place_upload(self, directory: Path, filename: str, data: bytes) -> Path:
        """An uploaded ppconfig.json goes into the chosen folder under its own name (its relative paths,
        htmlPath and jsFile, are then looked up there); a different file of that name is never replaced."""
        if len(data) > MAX_UPLOAD:
            raise ConfigError(Msg("the file is too large"), f"at most {MAX_UPLOAD // (1024 * 1024)} MiB")
        if not directory.is_dir():
            raise ConfigError(Msg("--dir {path} is not an existing folder", path=directory), "create it first")
        name = SAFE_NAME.sub("-", Path(filename).name).strip("-.") or "ppconfig.json"
        target = directory / name
        if target.exists() and target.read_bytes() != data:
            raise ConfigError(Msg("{path} already exists", path=target),
                              "give the path of that file instead, or choose another folder")
        if not target.exists():
            target.write_bytes(data)
        return target

    # Build -------------------------------------------------------------------
    def build_page(self, request: HttpRequest, config_text: str, status: int = 200, **extra: Any) -> HTMLResponse:
        config_path = self.resolve(config_text, self.s.last_config or self.s.directory / model.DEFAULT_CONFIG)
        cfg, problems = None, []
        try:
            cfg = model.load(config_path, require_file=True)
        except model.InvalidConfig as e:
            problems = [f"{k} {v}" for k, v in e.problems]
        except ConfigError as e:
            problems = [e.message]
        context = dict(config=str(config_path), cfg=cfg, problems=problems, formats=targets.BY_OS.get(host_os(), ()),
                       chosen=cfg.bundle.targets if cfg else (), out=str(config_path.parent / "dist"),
                       running=self.s.jobs.running(), start_error="")
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
        job = self.s.jobs.start(Request(config=config_path, out=out, targets=chosen, debug=data.get("debug") == "on",
                                        preflight=data.get("no_preflight") != "on", app=cfg.name))
        return _see_other(f"/build/{job.id}")

    def find_job(self, request: HttpRequest) -> Any:
        return self.s.jobs.get(request.path_params["job"])

    async def job(self, request: HttpRequest) -> Response:
        job = self.find_job(request)
        if job is None:
            return self.page(request, "missing.html", 404)
        lines = [e["text"] for e in job.events_since(0) if e.get("event") == "line"][-40:]
        messages = [e for e in job.events_since(0) if e.get("event") in ("note", "info", "warning", "success")]
        return self.page(request, "job.html", job=job, running=job.state == RUNNING, lines=lines, messages=messages,
                         artifacts=job.artifacts(), human_size=human_size)

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
                    yield f"id: {index}\ndata: {json.dumps(event, ensure_ascii=False)}\n\n"
                    index += 1
                    if event.get("event") == "end":
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
        return _see_other(f"/build/{job.id}")

    async def job_download(self, request: HttpRequest) -> Response:
        job = self.find_job(request)
        path = job.download(request.path_params["name"]) if job is not None else None
        if path is None:
            return PlainTextResponse("not found", status_code=404)
        return FileResponse(path, filename=path.name, media_type="application/octet-stream")

    # Doctor ------------------------------------------------------------------
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

    # History -----------------------------------------------------------------
    def load_records(self) -> list[tuple[str, dict[str, Any]]]:
        found = []
        for path in reversed(records.all_records(self.s.paths)):
            try:
                found.append((path.stem, records.load(path)))
            except ConfigError:
                continue
        return found

    async def history(self, request: HttpRequest) -> Response:
        return self.page(request, "history.html", items=await run_in_threadpool(self.load_records))

    def find_record(self, request: HttpRequest) -> tuple[Path, dict[str, Any]] | None:
        record_id = request.path_params["record"]
        if not RECORD_ID.match(record_id):
            return None
        path = self.s.paths.records / f"{record_id}.json"
        try:
            return path, records.load(path)
        except ConfigError:
            return None

    def log_path(self, record: dict[str, Any]) -> Path | None:
        """The record's log, only if it lies in localpack's own log folder."""
        if not record.get("log"):
            return None
        log = Path(record["log"]).resolve()
        logs = self.s.paths.logs.resolve()
        return log if log.is_relative_to(logs) and log.is_file() else None

    async def record(self, request: HttpRequest) -> Response:
        found = self.find_record(request)
        if found is None:
            return self.page(request, "missing.html", 404)
        path, record = found
        log = self.log_path(record)
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()[-LOG_LINES:] if log else []
        context: dict[str, Any] = dict(id=path.stem, record=record, lines=lines, has_log=log is not None,
                                       preview=None, sent="", report_error="",
                                       repo=((record.get("config") or {}).get("report") or {}).get("repo") or "",
                                       human_size=human_size)
        if request.method == "POST" and not record.get("ok"):
            data = await self.read_form(request)
            repo = str(data.get("repo") or "").strip()
            context["repo"] = repo
            try:
                if data.get("action") == "send":
                    context["sent"] = await run_in_threadpool(
                        lambda: filing.report_build_failure(path, paths=self.s.paths, repo=repo or None,
                                                            assume_yes=True)) or "-"
                else:
                    context["preview"] = await run_in_threadpool(
                        lambda: filing.preview(path, paths=self.s.paths, repo=repo or None))
            except LocalpackError as e:
                context["report_error"] = e.message + (f" ({e.hint})" if e.hint else "")
        return self.page(request, "record.html", **context)

    async def record_log(self, request: HttpRequest) -> Response:
        found = self.find_record(request)
        log = self.log_path(found[1]) if found else None
        if log is None:
            return PlainTextResponse("not found", status_code=404)
        return PlainTextResponse(log.read_text(encoding="utf-8", errors="replace"))

    # Settings ----------------------------------------------------------------
    async def settings(self, request: HttpRequest) -> Response:
        paths = self.s.paths
        outcome: dict[str, Any] = {"done": "", "lines": [], "error": ""}
        if request.method == "POST":
            data = await self.read_form(request)
            action = data.get("action")
            try:
                if action == "set":
                    outcome["done"] = self.texts(request)("settings.stored", where=token.save(paths, str(data.get("token") or "")))
                elif action == "test":
                    repo = str(data.get("repo") or "").strip()
                    outcome["lines"] = await run_in_threadpool(
                        lambda: token.check(paths, repo=filing.check_repo(repo) if repo else None))
                elif action == "clear":
                    removed = token.clear(paths)
                    outcome["done"] = self.texts(request)("settings.cleared" if removed else "settings.none_stored")
            except LocalpackError as e:
                outcome["error"] = e.message + (f" ({e.hint})" if e.hint else "")
        current = token.resolve(paths)
        return self.page(request, "settings.html", where=current.where if current else "",
                         kind=current.kind if current else "", storage=token.storage(paths),
                         mode_problem=token.file_mode_problem(paths) or "", **outcome)
