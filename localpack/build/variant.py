"""A runtime variant: which compiled runtime binary an app is packaged around. The one place that knows the
features an app needs, the target triple, the profile and what the variant's id and digest are made of.

A variant is (Tauri version, target triple, profile, feature set, digest of the runtime's sources, what
compiled it); each one is compiled once and cached (`runtime_cache.py`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from localpack import versions
from localpack.config.model import AppConfig
from localpack.core.platform import host_os, host_triple
from localpack.project import runtime_source


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
