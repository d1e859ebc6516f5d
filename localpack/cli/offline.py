"""`localpack prefetch` and `localpack offline export|import`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from localpack.build.runtime_compile import prefetch_runtime
from localpack.cli.options import json_errors, load_config, with_overrides
from localpack.core.targets import parse
from localpack.fsutil import user_path
from localpack.offline.archive import export as run_export
from localpack.offline.archive import import_ as run_import
from localpack.offline.prefetch import prefetch as run_prefetch
from localpack.output import Console
from localpack.paths import Paths
from localpack.toolchain.tauri_cli import require

offline_app = typer.Typer(help="Carry prefetched data to a machine without network.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("prefetch")(prefetch)
    app.add_typer(offline_app, name="offline")


@with_overrides
def prefetch(
    config_file: Path | None = typer.Argument(None, metavar="[CONFIG]", help="Config file (default ./localpack.toml)."),
    targets: str | None = typer.Option(
        None, "--targets", help="Installer formats to prefetch tools for (default: the config's, else this platform's)."
    ),
    no_runtime: bool = typer.Option(
        False,
        "--no-runtime",
        help="Do not compile the app runtime to carry along (the offline machine then compiles it from the vendored crates).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object on stdout."),
    *,
    overrides: dict[str, Any],
) -> None:
    """Fetch everything a build downloads (crates, Tauri CLI, bundler tools), for `build --offline`. Needs network."""
    console = Console()
    with json_errors(as_json):
        cfg = load_config(config_file, overrides, console)
        chosen = parse(targets) if targets else cfg.bundle.targets
        paths = Paths.from_env()
        done = run_prefetch(cfg, paths, tuple(chosen), info=console.info, warn=console.warn)
        carried = None
        if not no_runtime:
            console.info("compiling the app runtime (release) to carry along, unless it is compiled already")
            carried, _ = prefetch_runtime(
                cfg,
                paths,
                tauri_argv=require(paths).argv,
                log_path=paths.log(f"prefetch-runtime-{cfg.name}"),
                warn=console.warn,
            )
    if as_json:
        console.emit_json({**done.to_json(), "runtime": carried.variant.id if carried else None})
        return
    if carried:
        console.info(f"runtime {carried.variant.id} is in the offline store: the offline machine needs no compile")
    console.success(
        f"prefetched {done.app} for {', '.join(done.targets)}: {done.crates} crates, "
        f"{len(done.npm)} Tauri CLI tarball(s), {len(done.tools)} bundler tool(s)"
    )
    console.info(
        f"stored in {done.store}; build with `localpack build --offline`, or carry it with "
        "`localpack offline export FILE`"
    )


@offline_app.command("export")
def export(
    file: Path = typer.Argument(..., help="Archive to write (.tar.gz): a new file, or one `offline export` wrote."),
    force: bool = typer.Option(
        False,
        "--force",
        help="Replace FILE even if it is not an archive localpack wrote (never a folder, device, FIFO or link).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object on stdout."),
) -> None:
    """Write the prefetched data into one archive (with a manifest of checksums)."""
    dest = user_path(file.expanduser().parent) / file.name  # the name itself is not followed if it is a link
    with json_errors(as_json):
        manifest = run_export(Paths.from_env(), dest, force=force)
    _done(Console(), as_json, "exported", dest, manifest)


@offline_app.command("import")
def import_(
    file: Path = typer.Argument(..., help="Archive made by `localpack offline export`."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object on stdout."),
) -> None:
    """Verify an exported archive and add its data to this machine's cache."""
    source = user_path(file)
    with json_errors(as_json):
        manifest = run_import(Paths.from_env(), source)
    _done(Console(), as_json, "imported", source, manifest)


def _done(console: Console, as_json: bool, verb: str, archive: Path, manifest: dict[str, Any]) -> None:
    summary = {
        "ok": True,
        "archive": str(archive),
        "files": len(manifest["files"]),
        "platform": manifest["platform"],
        "tauri_cli": manifest["tauri_cli"],
        "targets": manifest.get("targets", []),
        "apps": manifest.get("apps", []),
    }
    if as_json:
        console.emit_json(summary)
        return
    console.success(
        f"{verb} {summary['files']} files ({summary['platform']}, Tauri CLI {summary['tauri_cli']}, "
        f"targets: {', '.join(summary['targets']) or '-'})"
    )
    console.info(str(archive))
