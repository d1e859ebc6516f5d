"""Hatch build hook: the wheel holds a compiled binary, so it is a platform wheel (`py3-none-<platform>`), with
the platform tag scripts/runtime_wheel.py wrote into the staged manifest (e.g. manylinux_2_36_x86_64)."""

import json
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class PlatformWheel(BuildHookInterface):
    def initialize(self, version: str, build_data: dict) -> None:
        manifest = Path(self.root) / "localpack_runtime" / "runtime" / "runtime.json"
        if not manifest.is_file():
            raise RuntimeError("no staged runtime: build this wheel with `python scripts/runtime_wheel.py --out DIR`")
        build_data["pure_python"] = False
        build_data["tag"] = f"py3-none-{json.loads(manifest.read_text(encoding='utf-8'))['platform_tag']}"
