"""Every location localpack reads or writes, in one place.

platformdirs gives the per-user directories for the app name `localpack`;
`LOCALPACK_HOME` moves all three (config/, cache/, state/) under one folder,
which is what tests do.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from localpack.errors import ConfigError

APP_NAME = "localpack"


@dataclass(frozen=True)
class Paths:
    config: Path
    cache: Path
    state: Path

    @classmethod
    def from_env(cls) -> Paths:
        home = os.environ.get("LOCALPACK_HOME")
        if home:
            base = Path(os.path.realpath(os.path.expanduser(home)))
            _check_home(home, base)
            return cls(config=base / "config", cache=base / "cache", state=base / "state")
        import platformdirs

        return cls(
            config=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
            cache=Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
            state=Path(platformdirs.user_state_dir(APP_NAME, appauthor=False)),
        )

    # cache
    @property
    def workspaces(self) -> Path:
        return self.cache / "workspaces"

    def workspace(self, app_name: str) -> Path:
        """The rendered Tauri project of one app (each app has its own)."""
        return self.workspaces / app_name

    @property
    def runtimes(self) -> Path:
        """The compiled runtime binaries, one folder per variant (build/runtime_cache.py)."""
        return self.cache / "runtimes"

    @property
    def runtime_workspace(self) -> Path:
        """Where the runtime is compiled from: one stable folder, so cargo's incremental state stays valid."""
        return self.runtimes / "src"

    @property
    def offline_store(self) -> Path:
        """What `prefetch` fetched and `offline import` brought (offline/store.py)."""
        return self.cache / "offline"

    @property
    def preflight_memo(self) -> Path:
        """The toolchain checks that passed, so the next preflight skips them (toolchain/memo.py)."""
        return self.cache / "preflight.json"

    @property
    def cargo_target(self) -> Path:
        """One cargo target dir shared by all apps, so dependencies compile once."""
        return self.cache / "cargo-target"

    @property
    def tools(self) -> Path:
        """Tools localpack installs itself (the pinned Tauri CLI)."""
        return self.cache / "tools"

    @property
    def node_modules(self) -> Path:
        """The npm packages installed into `tools` (the Tauri CLI, the web assets the runtime ships)."""
        return self.tools / "node_modules"

    # state
    @property
    def logs(self) -> Path:
        return self.state / "logs"

    def log(self, stem: str) -> Path:
        """A command's full log: a build's (its id), a prefetch's, a setup's."""
        return self.logs / f"{stem}.log"

    @property
    def records(self) -> Path:
        """One JSON build record per build (input of `report` and `cache info`)."""
        return self.state / "builds"

    @property
    def pending_reports(self) -> Path:
        return self.state / "pending-reports"

    # config
    @property
    def token_file(self) -> Path:
        return self.config / "github-token"


def _check_home(home: str, base: Path) -> None:
    """LOCALPACK_HOME must be a folder, or a path where one can be made: a file there (or above it) would fail
    every command at its first write."""
    hint = "point LOCALPACK_HOME at a folder (it is created when missing), or unset it"
    if home.startswith("~") and os.path.expanduser(home) == home:
        raise ConfigError(f"LOCALPACK_HOME={home}: {home.split('/')[0]} names no user of this machine", hint)
    existing = base
    while not existing.exists() and existing.parent != existing:
        existing = existing.parent
    if not existing.is_dir():
        where = "is a file" if existing == base else f"is under {existing}, which is a file"
        raise ConfigError(f"LOCALPACK_HOME={home} {where}, not a folder", hint)
