"""One doctor run, as data: what `localpack doctor [--targets …] [--offline]` and the ui's Doctor page show.
The targets are resolved as a build would, the toolchain's checks run, and with `offline` the rows of what an
offline build needs prefetched follow (which is why this lives in offline/, above toolchain/)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from localpack.core import targets as target_sets
from localpack.offline import appimage_tools_cached, doctor_checks, offline_hint
from localpack.paths import Paths
from localpack.toolchain import fix_hint, run_checks
from localpack.toolchain.checks import Check, Host


@dataclass(frozen=True)
class DoctorResult:
    chosen: list[str]  # the targets checked for (the platform's default when none were asked for)
    checks: list[Check]
    host: Host
    airgap_hint: str = ""  # offline with nothing prefetched: how to carry what is missing here

    @property
    def failed(self) -> list[Check]:
        """The required checks that failed: any makes `doctor` exit 4."""
        return [c for c in self.checks if c.required and not c.ok]

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def fix(self) -> str:
        """One line that fixes every failed required check ("" when none failed)."""
        failed = self.failed
        if not failed:
            return ""
        fixes = fix_hint(failed, self.host)
        if not self.airgap_hint:
            return fixes
        return "; ".join([self.airgap_hint, *(f for f in fixes.split("; ") if f not in self.airgap_hint)])

    def to_json(self) -> dict[str, Any]:
        """`doctor --json` (docs/architecture.md)."""
        return {"ok": self.ok, "checks": [c.to_json() for c in self.checks]}


def run_doctor(paths: Paths, wanted: str | None, *, offline: bool, warn: Callable[[str], None],
               host: Host | None = None) -> DoctorResult:
    """`--targets` text (None or "": this platform's) → the targets resolved as a build would (ConfigError when
    one is unknown; `warn` hears what was left out), then every check for them on this host; with `offline`,
    what an offline build needs prefetched too (and no network probe)."""
    requested = target_sets.parse(wanted) if wanted else ()
    chosen = target_sets.resolve(requested, offline=offline, warn=warn,
                                 tools_cached=lambda: appimage_tools_cached(paths))
    host = host or Host.current()
    checks = run_checks(paths, chosen, offline=offline, host=host)
    if offline:  # what an offline build needs prefetched (vendored crates, bundler tools)
        checks += doctor_checks(paths, chosen)
    airgap = offline_hint(paths, "") if offline else ""  # "" unless nothing is prefetched here
    return DoctorResult(chosen=list(chosen), checks=checks, host=host, airgap_hint=airgap)
