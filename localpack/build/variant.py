"""A runtime variant: which compiled runtime binary an app is packaged around. The one place that knows the
features an app needs, the target triple, the profile and what the variant's id and digest are made of.

A variant is (Tauri version, target triple, profile, feature set, digest of the runtime's sources, what
compiled it); each one is compiled once and cached (`runtime_cache.py`).
"""

from __future__ import annotations

import hashlib
import json
import platform
from dataclasses import dataclass

from localpack import versions
from localpack.config.model import AppConfig
from localpack.core.platform import host_os
from localpack.project import runtime_source

_TRIPLES = {
    ("linux", "x86_64"): "x86_64-unknown-linux-gnu",
    ("linux", "aarch64"): "aarch64-unknown-linux-gnu",
    ("macos", "x86_64"): "x86_64-apple-darwin",
    ("macos", "arm64"): "aarch64-apple-darwin",
    ("windows", "amd64"): "x86_64-pc-windows-msvc",
    ("windows", "arm64"): "aarch64-pc-windows-msvc",
}


def host_triple() -> str:
    """The target triple rustup installs by default on this machine (no rustc needed to know it)."""
    machine = platform.machine().lower()
    machine = {"arm64": "aarch64"}.get(machine, machine) if host_os() == "linux" else machine
    return _TRIPLES.get((host_os(), machine), f"{machine}-unknown-{host_os()}")


def binary_name(name: str) -> str:
    return name + (".exe" if host_os() == "windows" else "")


@dataclass(frozen=True)
class Variant:
    profile: str  # "release" or "debug"
    features: tuple[str, ...]  # the runtime crate's cargo features, sorted
    triple: str
    builder: str = "cargo"  # or the --runner that compiled it: a stand-in's output never passes for cargo's

    @property
    def digest(self) -> str:
        parts = [versions.TAURI, self.triple, self.profile, list(self.features), runtime_source.digest(), self.builder]
        return hashlib.sha256(json.dumps(parts).encode()).hexdigest()

    @property
    def id(self) -> str:
        return f"{versions.TAURI}-{self.triple}-{self.profile}-{'+'.join(self.features) or 'base'}-{self.digest[:12]}"

    def describe(self) -> str:
        return f"{self.profile}, {'features ' + ', '.join(self.features) if self.features else 'no extra features'}"

    def feature_args(self) -> list[str]:
        """`--features a,b` for the Tauri CLI and cargo ([] for the base runtime)."""
        return ["--features", ",".join(self.features)] if self.features else []

    def same_kind(self, other: Variant) -> bool:
        """The same variant but for the runtime's sources (a cached one was compiled from older sources)."""
        return (self.profile, self.features, self.triple, self.builder) == (
            other.profile,
            other.features,
            other.triple,
            other.builder,
        )


def runtime_features(cfg: AppConfig, debug: bool) -> tuple[str, ...]:
    """The runtime's cargo features this app needs: each set is its own compiled runtime."""
    features = []
    if cfg.behavior.devtools and not debug:
        features.append("devtools")  # debug builds always have the inspector
    if cfg.window.proxy and host_os() == "macos":
        features.append("macos-proxy")
    if cfg.behavior.tray:
        features.append("tray")
    return tuple(sorted(features))


def variant_for(cfg: AppConfig, *, debug: bool, runner: str | None) -> Variant:
    return Variant("debug" if debug else "release", runtime_features(cfg, debug), host_triple(), runner or "cargo")
