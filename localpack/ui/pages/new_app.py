"""New app: the config form, the name derived from the address or folder, the icon upload and its preview."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request as HttpRequest
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response

from localpack.config import model
from localpack.config.init_file import write_initial_config
from localpack.core.messages import Msg
from localpack.errors import ConfigError, LocalpackError
from localpack.fsutil import make_dirs, write_file
from localpack.project import icons
from localpack.toolchain.tauri_cli import locate
from localpack.ui import form as app_form
from localpack.ui.pages.base import MAX_UPLOAD, SAFE_NAME, Page, check_upload_size


class NewApp(Page):
    def new_page(
        self,
        request: HttpRequest,
        *,
        shown: dict[str, str],
        source: str,
        directory: str,
        upload: str = "",
        errors: dict[str, list[tuple[str, str]]] | None = None,
        general: list[Any] | None = None,
        status: int = 200,
        overwrite: bool = False,
    ) -> HTMLResponse:
        return self.page(
            request,
            "new.html",
            status,
            groups=app_form.fields(),
            shown=shown,
            source=source,
            directory=directory,
            upload=upload,
            errors=errors or {},
            general=general or [],
            overwrite=overwrite,
        )

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
        refused: LocalpackError | None = None
        if picked is not None and getattr(picked, "filename", ""):
            try:
                upload = self.store_upload(await picked.read(MAX_UPLOAD + 1), picked.filename)
            except LocalpackError as e:  # too large, or no room for it: said next to the icon field
                refused, upload = e, ""
        icon = self.upload_path(upload) if upload else None
        if icon is not None:
            values["app.icon"] = icon
        again = dict(
            request=request,
            shown=shown,
            source=source,
            directory=directory_text,
            upload=upload if icon else "",
            status=400,
            overwrite=overwrite,
        )
        if refused is not None:
            return self.new_page(**again, errors={"app.icon": [("app.icon", _with_hint(refused))]})
        try:
            model.load(None, values)
            directory = self.resolve(directory_text)
        except model.InvalidConfig as e:
            errors, other = app_form.field_errors(e.problems)
            return self.new_page(**again, errors=errors, general=[f"{k} {v}" for k, v in other])
        except ConfigError as e:
            return self.new_page(**again, general=[e.message])
        name = values.pop("app.name")
        title, url, dist = values.pop("app.title", None), values.pop("app.url", None), values.pop("app.dist", None)
        files: dict[str, bytes] = {}
        if icon is not None:
            files[f"{name}-icon{icon.suffix.lower()}"] = icon.read_bytes()
            values["app.icon"] = Path(f"{name}-icon{icon.suffix.lower()}")
        try:
            path = write_initial_config(
                directory,
                url=url,
                dist=dist,
                name=name,
                title=title,
                force=overwrite,
                more=values,
                files=files,
                warn=self.s.console.warn,
            )
        except model.InvalidConfig as e:
            errors, other = app_form.field_errors(e.problems)
            return self.new_page(**again, errors=errors, general=[f"{k} {v}" for k, v in other])
        except LocalpackError as e:  # a refusal, or a file that could not be written (FileProblem)
            return self.new_page(**again, general=[e.message])
        self.s.last_config = path
        return self.page(
            request,
            "saved.html",
            path=str(path),
            text=path.read_text(encoding="utf-8"),
            build_url="/build?config=" + quote(str(path)),
            notes=[],
            warnings=[],
        )

    async def derive_name(self, request: HttpRequest) -> Response:
        url = request.query_params.get("url", "").strip()
        dist = request.query_params.get("dist", "").strip()
        try:
            folder = self.resolve(dist) if dist else None
        except ConfigError:  # no folder (a NUL byte, `~nobody`): no name; the form's check says why on Save
            folder = None
        return JSONResponse({"name": app_form.derive_name(url or None, folder)})

    def uploads(self) -> Path:
        return self.s.paths.cache / "ui" / "uploads"

    def store_upload(self, data: bytes, filename: str) -> str:
        check_upload_size(data)
        upload = hashlib.sha256(data).hexdigest()[:32]
        name = SAFE_NAME.sub("-", Path(filename).name).strip("-.") or "icon"
        folder = make_dirs(self.uploads() / upload)
        if not any(folder.iterdir()):
            write_file(folder / name, data)
        return upload

    def upload_path(self, upload: str) -> Path | None:
        """The file of an upload id (a hash this server made), nothing else."""
        if not app_form.UPLOAD_ID.match(upload):
            return None
        folder = self.uploads() / upload
        files = (
            sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")) if folder.is_dir() else []
        )
        return files[0] if files else None

    async def icon_upload(self, request: HttpRequest) -> Response:
        t = self.texts(request)
        data = await self.read_form(request)
        picked = data.get("icon_file")
        if picked is None or not getattr(picked, "filename", ""):
            return JSONResponse({"error": t("new.icon_none")}, status_code=400)
        try:
            upload = self.store_upload(await picked.read(MAX_UPLOAD + 1), picked.filename)
        except ConfigError as e:  # larger than the limit, which the answer states
            return JSONResponse({"error": t.say(_with_hint(e))}, status_code=413)
        except LocalpackError as e:  # no room to keep it (FileProblem)
            return JSONResponse({"error": t.say(_with_hint(e))}, status_code=507)
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
        master = icons.master_image(
            path, round_corners=round_corners, tauri=found.argv if found else None, warn=lambda _text: None
        )
        buf = io.BytesIO()
        master.resize((256, 256)).save(buf, format="PNG")
        write_file(cached, buf.getvalue())
        return buf.getvalue()


def _with_hint(e: LocalpackError) -> str:
    """A refusal as one field error: the message and, when there is one, its hint (the limit)."""
    return Msg("{message} ({hint})", message=e.message, hint=e.hint) if e.hint else e.message
