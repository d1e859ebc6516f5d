"""`localpack report` and `localpack token set|status|test|clear`. The report layer composes and sends; asking
first is done here (`file_failure`, which `build --report` uses too)."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from localpack.errors import ConfigError
from localpack.fsutil import user_path
from localpack.output import Console
from localpack.paths import Paths
from localpack.report.filing import (
    check_repo,
    prepare,
    preview_text,
    retry_pending,
    send,
)
from localpack.report.token import (
    ENV_VARS,
    check,
    clear,
    file_mode_problem,
    resolve,
    save,
    storage,
)

token_app = typer.Typer(
    help="The optional GitHub token, used only to file build failures as issues.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def register(app: typer.Typer) -> None:
    app.command("report")(report)
    app.add_typer(token_app, name="token")


def report(
    record: Path | None = typer.Argument(
        None, metavar="[RECORD]", help="A build record (default: the last failed build)."
    ),
    last: bool = typer.Option(False, "--last", help="Report the last failed build (the default)."),
    repo: str | None = typer.Option(
        None, "--repo", help="OWNER/NAME to file the issue in (default: the config's [report] repo)."
    ),
    api_url: str | None = typer.Option(
        None, "--api-url", help="GitHub API base URL (GitHub Enterprise: https://HOST/api/v3)."
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Print exactly what would be sent; send nothing."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Send without asking."),
    retry: bool = typer.Option(False, "--retry", help="Send the reports kept while GitHub was unreachable."),
) -> None:
    """File a failed build as a GitHub issue (or a comment on the open issue of the same failure)."""
    console = Console()
    if retry:
        if record or last or dry_run:
            raise ConfigError(
                "--retry sends the kept reports; it takes no RECORD, --last or --dry-run",
                "run `localpack report --retry` alone",
            )
        for url in retry_pending(console, api_url=api_url):
            print(url)
        return
    if record and last:
        raise ConfigError("give either RECORD or --last, not both", "--last reports the newest failed build")
    url = file_failure(
        console, user_path(record) if record else None, repo=repo, api_url=api_url, yes=yes, dry_run=dry_run
    )
    if url:
        console.success(f"reported: {url}")
        print(url)


def file_failure(
    console: Console,
    record_path: Path | None = None,
    *,
    repo: str | None = None,
    api_url: str | None = None,
    yes: bool = False,
    dry_run: bool = False,
) -> str:
    """File a failed build (`record_path`, default: the newest failed one). Returns the issue URL ("" if not sent).

    `dry_run` prints exactly what would be sent to stdout and sends nothing (no token needed). Without `yes`
    it shows the preview and asks; when nobody can answer it refuses (exit 2).
    """
    outgoing = prepare(record_path, repo=repo, api_url=api_url, dry_run=dry_run, warn=console.warn)
    if dry_run:
        sys.stdout.write(preview_text(outgoing.report))
        sys.stdout.flush()
        console.info("dry run: nothing was sent (an open issue with the same signature would get a comment instead)")
        return ""
    if not yes:
        if not console.can_ask():
            raise ConfigError(
                "not sending a report without confirmation (no terminal to ask on)",
                "review it with --dry-run, then add --yes",
            )
        console.info(preview_text(outgoing.report).rstrip("\n"))
    if outgoing.repo_from_config:  # a cloned project's config must not route reports quietly
        console.warn(
            f"the report goes to {outgoing.report.repo} at {outgoing.api}: that repository is named by "
            "the build's config ([report] repo), not by --repo; check that it is one you mean to report to"
        )
    if not yes:
        if not console.confirm(f"send this to github ({outgoing.report.repo}) with your token?"):
            console.info("nothing was sent")
            return ""
    return send(outgoing, say=console.info)


@token_app.command("set")
def token_set(
    stdin: bool = typer.Option(False, "--stdin", help="Read the token from standard input (for scripts)."),
) -> None:
    """Store a GitHub token (asked for without echo)."""
    paths, console = Paths.from_env(), Console()
    if stdin:
        value = sys.stdin.readline()
    else:
        value = typer.prompt("GitHub token (input hidden)", hide_input=True, err=True)
    where = save(paths, value)
    console.success(f"token stored in {where}")
    active = resolve(paths)
    if active is not None and active.source in ENV_VARS:
        console.warn(f"{active.source} is set and takes precedence over the stored token")


@token_app.command("status")
def token_status() -> None:
    """Where the token in effect comes from (never the token itself)."""
    paths, console = Paths.from_env(), Console()
    token = resolve(paths)
    if token is None:
        console.info(f"no token (looked at {', '.join(ENV_VARS)} and {storage(paths)})")
        console.info("hint: `localpack token set` stores one; a token is only needed for `localpack report`")
    else:
        console.info(f"token: from {token.where} ({token.kind} token)")
    console.info(f"storage for `token set`: {storage(paths)}")
    problem = file_mode_problem(paths)
    if problem:
        console.warn(problem)


@token_app.command("test")
def token_test(
    repo: str | None = typer.Option(None, "--repo", help="Also check that issues can be created in OWNER/NAME."),
    api_url: str | None = typer.Option(
        None, "--api-url", help="GitHub API base URL (GitHub Enterprise: https://HOST/api/v3)."
    ),
) -> None:
    """Ask GitHub who the token belongs to, its scopes, and (with --repo) whether it can file issues there."""
    console = Console()
    lines = check(Paths.from_env(), repo=check_repo(repo) if repo else None, api=api_url)
    for line in lines:
        console.info(line)
    console.success("the token works")


@token_app.command("clear")
def token_clear() -> None:
    """Remove the stored token."""
    paths, console = Paths.from_env(), Console()
    removed = clear(paths)
    console.info(f"removed {', '.join(removed)}" if removed else "no stored token")
    still = resolve(paths)
    if still is not None:
        console.warn(f"a token is still provided by {still.where}")
