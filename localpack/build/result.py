"""The `build --json` object: what one build did, for programs (the ui reads it back with `from_json`).

  {"ok": true, "app": "example", "version": "1.0.0", "workspace": "/…", "log": "/…", "duration_s": 12.3,
   "artifacts": [{"path", "format", "size", "sha256"}], "runtime": {"id", "compiled", "reason", "source"} | null,
   "error": {"code", "message", "hint", "cause"} | null}

A build that stopped before it began (an invalid config) is `BuildResult()`: no app, no log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from localpack.build.artifacts import Artifact


@dataclass(frozen=True)
class BuildResult:
    ok: bool = False
    app: str | None = None
    version: str | None = None
    workspace: str | None = None
    log: str | None = None
    duration_s: float = 0.0
    artifacts: list[Artifact] = field(default_factory=list)
    runtime: dict[str, Any] | None = None  # which runtime packaged the app: build/plan.py `runtime_json`
    error: dict[str, Any] | None = None  # output.error_json

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "app": self.app,
            "version": self.version,
            "workspace": self.workspace,
            "log": self.log,
            "duration_s": round(self.duration_s, 2),
            "artifacts": [a.to_dict() for a in self.artifacts],
            "runtime": self.runtime,
            "error": self.error,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BuildResult:
        """The object a build printed; `ValueError` if it is not one."""
        try:
            return cls(
                ok=data["ok"] is True,
                app=data["app"],
                version=data["version"],
                workspace=data["workspace"],
                log=data["log"],
                duration_s=float(data["duration_s"]),
                artifacts=[
                    Artifact(a["path"], a["format"], int(a["size"]), a["sha256"]) for a in data.get("artifacts") or []
                ],
                runtime=data.get("runtime"),
                error=data.get("error"),
            )
        except (KeyError, TypeError) as e:
            raise ValueError(f"not a build result ({e})") from None


# The `--json` object of a build that stopped before it began; `cli/options.json_errors` adds its error.
NOT_STARTED_JSON: dict[str, Any] = BuildResult().to_json()
