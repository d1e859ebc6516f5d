"""`localpack ui`: the thin command that starts the local web page (localpack/ui)."""

from __future__ import annotations

from pathlib import Path

import typer

from localpack.errors import Interrupted
from localpack.output import Console
from localpack.ui.server import serve


def register(app: typer.Typer) -> None:
    app.command("ui")(ui)


def ui(
    port: int = typer.Option(
        0, "--port", min=0, max=65535, help="Port on loopback, 127.0.0.1 and ::1 (default: a free one)."
    ),
    no_browser: bool = typer.Option(False, "--no-browser", help="Only print the address; do not open a browser."),
    directory: Path = typer.Option(Path("."), "--dir", help="Folder the pages start in (new configs, relative paths)."),
    runner: str | None = typer.Option(
        None, "--runner", hidden=True, help="Program used instead of cargo by the builds (tests, unusual systems)."
    ),
) -> None:
    """Open localpack on a local web page in your browser: the whole tool, no terminal needed."""
    console = Console()
    if runner and "/" in runner:
        runner = str(Path(runner).expanduser().resolve())

    def announce(url: str) -> None:
        console.info(f"localpack ui is at {url}")
        console.info("it answers only on this computer, to this address; Ctrl-C stops it (and any build it runs)")
        console.info(
            "the name is made for this run (Chrome, Edge and Firefox open it; Safari does not resolve "
            "names under localhost)"
        )
        print(url, flush=True)

    try:
        serve(directory, port=port, open_browser=not no_browser, runner=runner, announce=announce)
    except Interrupted:
        pass
    console.info("localpack ui stopped")
