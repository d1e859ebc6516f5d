"""Import: a PakePlus ppconfig.json (a path, or an uploaded file) becomes a localpack.toml."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from starlette.requests import Request as HttpRequest
from starlette.responses import Response

from localpack.config import model, pakeplus
from localpack.config.init_file import write_initial_config
from localpack.core.messages import Msg
from localpack.errors import ConfigError, LocalpackError
from localpack.fsutil import write_file
from localpack.ui.pages.base import MAX_UPLOAD, SAFE_NAME, Page, check_upload_size


class ImportFile(Page):
    async def import_(self, request: HttpRequest) -> Response:
        if request.method == "GET":
            return self.page(request, "import.html", directory=str(self.s.directory), file_path="", errors=[])
        data = await self.read_form(request)
        directory_text, file_text = str(data.get("directory") or ""), str(data.get("path") or "")
        overwrite = data.get("overwrite") == "on"
        again = dict(directory=directory_text, file_path=file_text)
        picked = data.get("ppconfig")
        placed: Path | None = None  # the upload this request put into the folder: removed again if refused
        try:
            directory = self.resolve(directory_text)
            if picked is not None and getattr(picked, "filename", ""):
                source, placed = self.place_upload(directory, picked.filename, await picked.read(MAX_UPLOAD + 1))
            elif file_text.strip():
                source = self.resolve(file_text)
            else:
                return self.page(request, "import.html", 400, **again, errors=[self.texts(request)("import.none")])
            imported = pakeplus.convert(pakeplus.read(source), source)
            path = write_initial_config(
                directory,
                url=None,
                dist=None,
                name=None,
                title=None,
                force=overwrite,
                from_pakeplus=source,
                warn=self.s.console.warn,
            )
        except model.InvalidConfig as e:
            _remove(placed)
            return self.page(request, "import.html", 400, **again, errors=[f"{k} {v}" for k, v in e.problems])
        except LocalpackError as e:  # a refusal, or a file that could not be written (FileProblem)
            _remove(placed)
            return self.page(request, "import.html", 400, **again, errors=[e.message])
        self.s.last_config = path
        warnings = list(imported.warnings)
        if imported.unmapped:
            warnings.append(
                "PakePlus fields with no localpack equivalent (not imported): " + "; ".join(imported.unmapped)
            )
        return self.page(
            request,
            "saved.html",
            path=str(path),
            text=path.read_text(encoding="utf-8"),
            build_url="/build?config=" + quote(str(path)),
            notes=imported.notes,
            warnings=warnings,
        )

    def place_upload(self, directory: Path, filename: str, data: bytes) -> tuple[Path, Path | None]:
        """An uploaded ppconfig.json goes into the chosen folder under its own name (its relative paths,
        htmlPath and jsFile, are then looked up there); a different file of that name is never replaced.
        Returns the file, and the same again when this upload wrote it (None: it was there already)."""
        check_upload_size(data)
        if not directory.is_dir():
            raise ConfigError(Msg("--dir {path} is not an existing folder", path=directory), "create it first")
        name = SAFE_NAME.sub("-", Path(filename).name).strip("-.") or "ppconfig.json"
        target = directory / name
        if target.exists() and target.read_bytes() != data:
            raise ConfigError(
                Msg("{path} already exists", path=target),
                "give the path of that file instead, or choose another folder",
            )
        if target.exists():
            return target, None
        write_file(target, data)
        return target, target


def _remove(placed: Path | None) -> None:
    """A refused upload does not stay in the folder it was put in."""
    if placed is not None:
        placed.unlink(missing_ok=True)
