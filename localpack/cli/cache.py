"""`localpack cache info` and `localpack cache clean`."""

from __future__ import annotations

import typer

from localpack.build.artifacts import human_size
from localpack.build.cache import clean as do_clean
from localpack.build.cache import entries
from localpack.output import Console
from localpack.paths import Paths

cache_app = typer.Typer(help="What localpack's cache holds, and freeing it.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(cache_app, name="cache")


@cache_app.command("info")
def info(as_json: bool = typer.Option(False, "--json", help="Print one JSON object on stdout.")) -> None:
    """Sizes of the workspaces, the shared cargo target dir, tools, logs and build records."""
    console = Console()
    paths = Paths.from_env()
    rows = entries(paths)
    total = sum(r.size for r in rows)
    if as_json:
        console.emit_json(
            {
                "cache": str(paths.cache),
                "state": str(paths.state),
                "total": total,
                "entries": [r.to_dict() for r in rows],
            }
        )
        return
    console.info(f"cache: {paths.cache}\nstate: {paths.state}")
    for r in rows:
        console.info(f"  {r.name:<28} {human_size(r.size):>10}  {r.note}".rstrip())
    console.info(f"  {'total':<28} {human_size(total):>10}")


@cache_app.command("clean")
def clean(
    everything: bool = typer.Option(
        False, "--all", help="Also the Tauri CLI, prefetched offline data, logs and records."
    ),
    logs: bool = typer.Option(False, "--logs", help="Also the build logs and records."),
) -> None:
    """Free the workspaces and the shared cargo target dir (the next build recompiles); what a running build uses stays."""
    console = Console()
    done = do_clean(Paths.from_env(), everything=everything, logs=logs)
    for path, why in done.skipped:
        console.warn(f"kept {path}: {why}; clean again when it is done")
    freed = sum(r.size for r in done.removed)
    console.success(f"freed {human_size(freed)}" if done.removed else "nothing to clean")
