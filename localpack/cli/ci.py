"""`localpack ci init`: a workflow that builds the app's installers on every OS in the user's own CI."""

from __future__ import annotations

from pathlib import Path

import typer

from localpack.ci.workflow import FILES, Plan, ignored_by_git, make_plan, parse_oses, write
from localpack.config.model import DEFAULT_CONFIG, load
from localpack.errors import ConfigError
from localpack.output import Console

ci_app = typer.Typer(
    help="Build the installers for every OS in your own CI (GitHub Actions or GitLab CI).", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(ci_app, name="ci")


@ci_app.command("init")
def init(
    config_file: Path | None = typer.Argument(None, metavar="[CONFIG]", help="Config file (default ./localpack.toml)."),
    provider: str = typer.Option(
        "github", "--provider", help="github (.github/workflows/localpack.yml) or gitlab (.gitlab-ci.yml)."
    ),
    release: bool = typer.Option(
        False, "--release", help="Also attach the installers to a release when a tag vX.Y.Z is pushed."
    ),
    oses: str | None = typer.Option(
        None,
        "--os",
        help="Systems to build on, e.g. linux,macos (default: linux,macos,windows; GitLab: linux,windows).",
    ),
    force: bool = typer.Option(False, "--force", help="Replace an existing CI file."),
) -> None:
    """Write a CI file that builds the app's installers on Linux, macOS and Windows, at the repository's root."""
    console = Console()
    path = config_file or Path(DEFAULT_CONFIG)
    if not path.exists():
        raise ConfigError(
            f"{path}: no such config file",
            "the CI builds from a config file in the repository: "
            "write one with `localpack init --url URL` (or --dist DIR), then run this again",
        )
    cfg = load(path, require_file=True)
    plan = make_plan(
        cfg, provider=provider.lower(), oses=parse_oses(oses) if oses is not None else None, release=release
    )
    written = write(plan, force=force)
    console.success(f"wrote {written}")
    for job in plan.jobs:
        console.info(f"  {job.name:<14} {job.runner.label:<26} {', '.join(job.targets)}")
    for note in plan.notes:
        console.info(f"  ({note})")
    if not (plan.root / ".git").exists():
        console.warn(
            f"{plan.root} is not a git repository: the CI reads {FILES[plan.provider]} from the root of the "
            "repository, so put this folder at the root of one"
        )
    for item in ignored_by_git(cfg, plan.root):
        console.warn(
            f"{item} is ignored by git, so the CI's checkout will not have it: commit it, or build it "
            "in the CI before localpack runs"
        )
    _next_steps(console, plan)


def _next_steps(console: Console, plan: Plan) -> None:
    files = f"{FILES[plan.provider]} {plan.config}"
    where = (
        "the Actions tab → localpack → the run → Artifacts"
        if plan.provider == "github"
        else "Build → Pipelines → the pipeline → each job's artifacts"
    )
    console.info("next:")
    console.info(f"  git add {files} && git commit -m 'Build the installers in CI' && git push")
    branch = plan.branch if plan.provider == "github" else "the default branch"
    console.info(f"  every push to {branch} and every tag v* builds; the installers and SHA256SUMS are in {where}")
    if plan.provider == "github":
        console.info("  or start a build by hand: the Actions tab → localpack → Run workflow")
    if plan.release:
        console.info(
            "  release: git tag v1.2.3 && git push origin v1.2.3 builds version 1.2.3 and attaches every "
            "installer and SHA256SUMS to its release"
        )
