"""Every location localpack reads or writes, in one place.

platformdirs gives the per-user directories for the app name `localpack`;
`LOCALPACK_HOME` moves all three (config/, cache/, state/) under one folder,
which is what tests do.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "localpack"


@dataclass(frozen=True)
class Paths:
    config: Path
    cache: Path
    state: Path

    @classmethod
    def from_env(cls) -> "Paths":
        home = os.environ.get("LOCALPACK_HOME")
        if home:
            base = Path(home).expanduser().resolve()
            return cls(config=base / "config", cache=base / "cache", state=base / "state")
        import platformdirs

        return cls(
            config=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
            cache=Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
            state=Path(platformdirs.user_state_dir(APP_NAME, appauthor=False)),
        )

    # cache
    def workspace(self, app_name: str) -> Path:
        """The rendered Tauri project of one app (each app has its own)."""
        return self.cache / "workspaces" / app_name

    @property
    def cargo_target(self) -> Path:
        """One cargo target dir shared by all apps, so dependencies compile once."""
        return self.cache / "cargo-target"

    @property
    def tools(self) -> Path:
        """Tools localpack installs itself (the pinned Tauri CLI)."""
        return self.cache / "tools"

    # state
    @property
    def logs(self) -> Path:
        return self.state / "logs"

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
