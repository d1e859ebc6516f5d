"""`localpack init` and `localpack render`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from localpack.build.outdir import check_out, config_inputs
from localpack.cli.options import json_errors, load_config, with_overrides
from localpack.config.init_file import write_initial_config
from localpack.core import locks
from localpack.fsutil import user_path
from localpack.output import Console
from localpack.paths import Paths
from localpack.project.icons import for_config as icon_set
from localpack.project.workspace import MANIFEST as RENDERED
from localpack.project.workspace import write_project


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("render")(render)


def init(
    url: str | None = typer.Option(None, "--url", help="Web site to wrap."),
    dist: Path | None = typer.Option(None, "--dist", help="Folder with index.html (a local web app)."),
    name: str | None = typer.Option(None, "--name", help="Machine name (default: from the URL or folder)."),
    title: str | None = typer.Option(None, "--title", help="Name people see (default: the name)."),
    from_pakeplus: Path | None = typer.Option(None, "--from-pakeplus", help="Import a PakePlus ppconfig.json."),
    directory: Path = typer.Option(Path("."), "--dir", help="Where to write localpack.toml."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing localpack.toml."),
) -> None:
    """Write a commented localpack.toml to start from (or convert a PakePlus project)."""
    console = Console()
    path = write_initial_config(
        directory,
        url=url,
        dist=dist,
        name=name,
        title=title,
        force=force,
        from_pakeplus=from_pakeplus,
        warn=console.warn,
        info=console.info,
    )
    console.success(f"wrote {path}")
    console.info("next: edit it if you like, then run `localpack build`")


@with_overrides
def render(
    config_file: Path | None = typer.Argument(None, metavar="[CONFIG]", help="Config file (default ./localpack.toml)."),
    out: Path | None = typer.Option(
        None,
        "--out",
        help="Folder for the Tauri project: new, empty, or one `render` made (default: the app's workspace).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object on stdout."),
    *,
    overrides: dict[str, Any],
) -> None:
    """Render the Tauri project for an app and print its path."""
    console = Console()
    with json_errors(as_json):
        cfg = load_config(config_file, overrides, console)
        paths = Paths.from_env()
        if out:
            dest = user_path(out)
            check_out(dest, paths, marker=RENDERED, inputs=config_inputs(cfg))
            result = write_project(cfg, dest, console.warn)
        else:  # the app's workspace: not while a build of the app uses it
            dest = paths.workspace(cfg.name)
            icon_set(cfg, console.warn)  # a picture that cannot be an icon is refused before the lock is made
            with locks.app_idle(paths, cfg.name):
                result = write_project(cfg, dest, console.warn)
    if as_json:
        console.emit_json(
            {
                "ok": True,
                "app": cfg.name,
                "workspace": str(dest),
                "written": list(result.written),
                "removed": list(result.removed),
            }
        )
        return
    console.info(f"rendered {cfg.name}: {len(result.written)} file(s) written, {len(result.removed)} removed")
    print(dest)
