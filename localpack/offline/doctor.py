"""One doctor run, as data: what `localpack doctor [--targets …] [--offline]` and the ui's Doctor page show.
The targets are resolved as a build would, the toolchain's checks run, and with `offline` the rows of what an
offline build needs prefetched follow (which is why this lives in offline/, above toolchain/). When the installed
runtime wheel serves this localpack, nothing compiles, so Rust, the C toolchain and the -dev libraries are optional."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from localpack import __version__, versions
from localpack.core import targets as target_sets
from localpack.core.messages import Msg
from localpack.core.platform import host_triple
from localpack.offline import appimage_tools_cached, doctor_checks, offline_hint
from localpack.paths import Paths
from localpack.project import runtime_source
from localpack.toolchain import fix_hint, prebuilt, run_checks
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


def run_doctor(
    paths: Paths, wanted: str | None, *, offline: bool, warn: Callable[[str], None], host: Host | None = None
) -> DoctorResult:
    """`--targets` text (None or "": this platform's) → the targets resolved as a build would (ConfigError when
    one is unknown; `warn` hears what was left out), then every check for them on this host; with `offline`,
    what an offline build needs prefetched too (and no network probe)."""
    requested = target_sets.parse(wanted) if wanted else ()
    chosen = target_sets.resolve(
        requested, offline=offline, warn=warn, tools_cached=lambda: appimage_tools_cached(paths)
    )
    host = host or Host.current()
    wheel = prebuilt_check()
    checks = [*run_checks(paths, chosen, offline=offline, host=host, compile=not wheel.ok), wheel]
    if offline:  # what an offline build needs prefetched (vendored crates, bundler tools)
        checks += doctor_checks(paths, chosen, compile=not wheel.ok)
    airgap = offline_hint(paths, "") if offline else ""  # "" unless nothing is prefetched here
    return DoctorResult(chosen=list(chosen), checks=checks, host=host, airgap_hint=airgap)


WHEEL_HINT = f'pip install "localpack[runtime]" (the prebuilt runtime {prebuilt.DIST}: no compiler, no Node.js)'


def prebuilt_check() -> Check:
    """The runtime wheel's row (optional): ok when it can package an app here without a compile (an app with no
    option beyond what it carries; a build still decides for its own app)."""
    wheel = prebuilt.find()
    if wheel is None:
        return Check(prebuilt.DIST, ok=False, required=False, hint=WHEEL_HINT, problem=Msg("not found"))
    why = wheel.mismatch(
        tauri=versions.TAURI,
        triple=host_triple(),
        sources=runtime_source.digest(),
        profile="release",
        features=(),
        builder="cargo",
    )
    if why is None and not wheel.intact():
        why = "its runtime binary fails its checksum (damaged)"
    made_by = (wheel.manifest or {}).get("localpack")
    version = made_by if isinstance(made_by, str) else None
    if why is not None:
        return Check(
            prebuilt.DIST,
            ok=False,
            required=False,
            version=version,
            path=str(wheel.root),
            hint=f"{WHEEL_HINT}, the one of localpack {__version__}",
            problem=why,
        )
    return Check(prebuilt.DIST, ok=True, required=False, version=version, path=str(wheel.root))
