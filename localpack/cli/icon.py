"""`localpack icon`: one picture → the icon set every platform needs."""

from __future__ import annotations

from pathlib import Path

import typer

from localpack.build.outdir import check_out
from localpack.errors import ConfigError
from localpack.fsutil import user_path, writing_into
from localpack.output import Console
from localpack.paths import Paths
from localpack.project.icons import ICONS_MANIFEST, SET_FILES, write_set


def register(app: typer.Typer) -> None:
    app.command("icon")(icon)


def icon(
    src: Path = typer.Argument(..., help="A PNG, JPEG, WebP or SVG picture, ideally 1024x1024."),
    out: Path = typer.Option(
        Path("icons"), "--out", help="Folder for the icon files: new, empty, or one `localpack icon` filled."
    ),
    round_corners: bool = typer.Option(False, "--round", help="Round the corners (like PakePlus)."),
) -> None:
    """Make the icon files Tauri's bundle expects (png sizes, .ico, .icns) from one picture."""
    console = Console()
    src = user_path(src)
    if not src.is_file():
        raise ConfigError(f"{src}: no such image file", "pass the path of a PNG, JPEG, WebP or SVG picture")
    dest = user_path(out)
    check_out(dest, Paths.from_env(), marker=ICONS_MANIFEST, inputs=[src], writes=[*SET_FILES, ICONS_MANIFEST])
    with writing_into(Paths.from_env().cache / "icons"):  # the set is made in the cache, then copied to --out
        written = write_set(src, dest, round_corners=round_corners, warn=console.warn)
    console.success(f"wrote {len(written)} icon files to {out}")
    for path in written:
        print(path)
