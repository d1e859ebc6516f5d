"""`localpack ci init`: a CI file that builds the app's installers on every OS, in the user's own CI.

The file goes to the root of the git repository holding the config (GitHub and GitLab read it only there;
without a repository, next to the config). It names the config by its path from that root, so the CI finds
it in the checkout; everything the config points at must therefore be inside the repository.
"""

from __future__ import annotations

import difflib
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from localpack import __version__
from localpack.ci.pins import (
    ACTIONS,
    GITHUB_RUNNERS,
    GITLAB_LINUX_IMAGE,
    GITLAB_MACOS_IMAGE,
    GITLAB_RELEASE_IMAGE,
    GITLAB_RUNNERS,
    PYTHON,
    Runner,
)
from localpack.config.model import AppConfig
from localpack.core import proc
from localpack.core.targets import BY_OS
from localpack.core.templates import environment
from localpack.errors import ConfigError, LocalpackError
from localpack.fsutil import write_atomic

FILES = {"github": PurePosixPath(".github/workflows/localpack.yml"), "gitlab": PurePosixPath(".gitlab-ci.yml")}
OSES = ("linux", "macos", "windows")
# GitLab's hosted macOS runners need a paid plan: a job for them would wait forever on a free one.
DEFAULT_OSES = {"github": OSES, "gitlab": ("linux", "windows")}
# Where the GitLab jobs keep localpack's folders: GitLab caches only paths inside the checkout.
GITLAB_DIRS = (".localpack", "localpack-dist", "localpack-report")
# GitHub's filter patterns (on.push.branches): `*`, `**`, `?`, `+`, `[]` and a leading `!` are special, and `\`
# before one matches it literally. Git allows `+` and `!` in branch names (never `*`, `?`, `[` or `\`), so a
# branch `c++` or `!wip` written raw would match other branches, or none.
FILTER_SPECIAL = frozenset("\\*?+[!")


@dataclass(frozen=True)
class Job:
    runner: Runner
    targets: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.runner.name


@dataclass(frozen=True)
class Plan:
    provider: str
    root: Path  # the repository's root: the CI's working directory
    config: str  # the config's path from the root, with `/`
    app: str
    jobs: tuple[Job, ...]
    release: bool
    branch: str  # pushes to it build
    notes: tuple[str, ...]  # what was left out, and why

    @property
    def path(self) -> Path:
        return self.root / FILES[self.provider]

    @property
    def branch_filter(self) -> str:
        return branch_filter(self.branch)


def branch_filter(name: str) -> str:
    """The GitHub Actions filter pattern that matches exactly the branch `name`."""
    return "".join("\\" + ch if ch in FILTER_SPECIAL else ch for ch in name)


def parse_oses(text: str) -> tuple[str, ...]:
    """`--os linux,macos` → ("linux", "macos"), each checked."""
    items = tuple(dict.fromkeys(t.strip().lower() for t in text.replace(" ", ",").split(",") if t.strip()))
    for item in items:
        if item not in OSES:
            close = difflib.get_close_matches(item, OSES, n=1)
            raise ConfigError(
                f"--os: unknown system {item!r}" + (f" (did you mean '{close[0]}'?)" if close else ""),
                f"choose from: {','.join(OSES)}",
            )
    if not items:
        raise ConfigError("--os: no system given", f"choose from: {','.join(OSES)}")
    return items


def repository_root(start: Path) -> Path | None:
    """The closest folder at or above `start` holding `.git` (a folder, or a file in a worktree)."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


def make_plan(cfg: AppConfig, *, provider: str, oses: tuple[str, ...] | None = None, release: bool = False) -> Plan:
    """What to write, checked against the config: exit 2 for anything the CI could not build."""
    if provider not in FILES:
        raise ConfigError(f"--provider: unknown CI {provider!r}", f"choose from: {', '.join(FILES)}")
    if cfg.source is None:
        raise ConfigError("the CI needs a config file to build from", "run `localpack init`, then `localpack ci init`")
    root = repository_root(cfg.source.parent) or cfg.source.parent
    config = cfg.source.relative_to(root).as_posix()
    _check_inside(cfg, root)
    if provider == "gitlab":
        _check_gitlab_dirs(cfg, root)
    branch = default_branch(root)
    for what, value in (("the config's path", config), ("the git branch", branch)):
        if provider == "github" and "${{" in value:
            raise ConfigError(
                f"{what} {value!r} contains '${{{{', which GitHub Actions would evaluate",
                "rename it so it has no '${{'",
            )
    jobs, notes = _jobs(cfg, provider, oses)
    return Plan(provider, root, config, cfg.name, jobs, release, branch, notes)


def _jobs(cfg: AppConfig, provider: str, oses: tuple[str, ...] | None) -> tuple[tuple[Job, ...], tuple[str, ...]]:
    chosen = oses or DEFAULT_OSES[provider]
    runners = GITHUB_RUNNERS if provider == "github" else GITLAB_RUNNERS
    jobs, notes = [], []
    for os_name in chosen:
        targets = tuple(t for t in BY_OS[os_name] if not cfg.bundle.targets or t in cfg.bundle.targets)
        if not targets:
            if oses:
                raise ConfigError(
                    f"--os {os_name}: bundle.targets ({', '.join(cfg.bundle.targets)}) has no {os_name} format",
                    f"add one of {', '.join(BY_OS[os_name])} to bundle.targets, or leave {os_name} out of --os",
                )
            notes.append(f"no {os_name} job: bundle.targets has none of {', '.join(BY_OS[os_name])}")
            continue
        jobs.extend(Job(r, targets) for r in runners if r.os == os_name)
    if provider == "gitlab" and oses is None:
        notes.append(
            "no macOS job: GitLab's hosted macOS runners need a Premium or Ultimate plan "
            "(add it with --os linux,windows,macos)"
        )
    if not jobs:
        raise ConfigError(
            "no installer format of bundle.targets can be built on the chosen systems",
            f"bundle.targets is {', '.join(cfg.bundle.targets)}; check it and --os",
        )
    return tuple(jobs), tuple(notes)


def _config_paths(cfg: AppConfig) -> list[tuple[str, Path]]:
    found = [("app.dist", cfg.app.dist), ("app.icon", cfg.app.icon)]
    found += [("behavior.inject", p) for p in cfg.behavior.inject]
    return [(key, path) for key, path in found if path is not None]


def _check_inside(cfg: AppConfig, root: Path) -> None:
    for key, path in _config_paths(cfg):
        if not path.resolve().is_relative_to(root):
            raise ConfigError(
                f"{key} ({path}) is outside the repository ({root}); the CI checks out only the repository",
                f"move it into {root} and point {key} at it",
            )


def _check_gitlab_dirs(cfg: AppConfig, root: Path) -> None:
    dist = cfg.app.dist.resolve() if cfg.app.dist else None
    for name in GITLAB_DIRS:
        if dist is not None and (root / name).is_relative_to(dist):
            raise ConfigError(
                f"app.dist ({dist}) would hold {name}/, where the GitLab jobs keep localpack's cache and installers",
                "move the web app into a subfolder of the repository",
            )


def ignored_by_git(cfg: AppConfig, root: Path) -> list[str]:
    """The config's files that git ignores: the CI's checkout will not have them."""
    git = shutil.which("git")
    if git is None or not (root / ".git").exists():
        return []
    ignored = []
    for key, path in _config_paths(cfg):
        try:
            done = proc.run([git, "-C", str(root), "check-ignore", "-q", str(path)], timeout=30)
        except LocalpackError:
            return ignored
        if done.returncode == 0:
            ignored.append(f"{key} ({path.relative_to(root).as_posix()})")
    return ignored


def default_branch(root: Path) -> str:
    """The branch whose pushes build: the remote's default branch, else the current one, else `main`."""
    git = shutil.which("git")
    if git is None or not (root / ".git").exists():
        return "main"
    for args, prefix in (
        (["symbolic-ref", "--short", "refs/remotes/origin/HEAD"], "origin/"),
        (["symbolic-ref", "--short", "HEAD"], ""),
    ):
        try:
            done = proc.run([git, "-C", str(root), *args], timeout=30)
        except LocalpackError:
            break
        name = done.output.strip()
        if done.ok and name.startswith(prefix) and len(name) > len(prefix):
            return name[len(prefix) :]
    return "main"


def render(plan: Plan) -> str:
    template = environment().get_template(f"ci/{plan.provider}.yml.j2")
    return template.render(
        plan=plan,
        version=__version__,
        actions=ACTIONS,
        python=PYTHON,
        file=str(FILES[plan.provider]),
        linux_image=GITLAB_LINUX_IMAGE,
        macos_image=GITLAB_MACOS_IMAGE,
        release_image=GITLAB_RELEASE_IMAGE,
    )


def write(plan: Plan, *, force: bool = False) -> Path:
    """Write the CI file; an existing one is replaced only with `force`."""
    path = plan.path
    if path.exists() and not force:
        raise ConfigError(f"{path} already exists", "pass --force to replace it (your edits to it are lost)")
    write_atomic(path, render(plan))
    return path
