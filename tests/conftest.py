"""Shared fixtures. Tests run the real `localpack` command in a subprocess, with
LOCALPACK_HOME in a temp folder, so exit codes, stdout/stderr and files are
exactly what a user gets."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FAKES = Path(__file__).resolve().parent / "fakes"
CARGO_STANDIN = FAKES / "cargo_standin.py"


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    h = tmp_path / "lphome"
    monkeypatch.setenv("LOCALPACK_HOME", str(h))
    return h


@pytest.fixture
def paths(home: Path):
    """localpack's directories under the test's LOCALPACK_HOME."""
    from localpack.paths import Paths

    return Paths.from_env()


@pytest.fixture
def run(home: Path, tmp_path: Path):
    """Run `localpack ARGS` as a user would; returns code, stdout, stderr."""

    def _run(
        *args: str,
        cwd: Path | None = None,
        env: dict[str, str] | None = None,
        input: str | None = None,
        timeout: float = 120,
    ) -> Result:
        full_env = {**os.environ, "LOCALPACK_HOME": str(home), **(env or {})}
        proc = subprocess.run(
            [sys.executable, "-m", "localpack", *args],
            cwd=cwd or tmp_path,
            env=full_env,
            input=input,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)

    return _run


def tauri_cli_path() -> Path | None:
    env = os.environ.get("LOCALPACK_TAURI")
    if env:
        return Path(env)
    local = REPO / ".tools" / "node_modules" / ".bin" / "tauri"
    if local.exists():
        return local
    found = shutil.which("tauri")
    return Path(found) if found else None


@pytest.fixture(scope="session")
def tauri_cli() -> Path:
    """The pinned Tauri CLI installed by scripts/test. Missing is a failure in CI, a skip elsewhere."""
    path = tauri_cli_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("the Tauri CLI is not installed; scripts/test installs it into .tools/")
        pytest.skip("Tauri CLI not installed (run scripts/test once)")
    return path


@pytest.fixture(scope="session")
def tauri_schema(tauri_cli: Path) -> dict:
    import json

    schema = tauri_cli.resolve().parent / "config.schema.json"
    if not schema.exists():  # .bin/tauri is a symlink into the package
        schema = REPO / ".tools" / "node_modules" / "@tauri-apps" / "cli" / "config.schema.json"
    return json.loads(schema.read_text())


def write_config(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "localpack.toml"
    path.write_text(text, encoding="utf-8")
    return path


def no_traceback(text: str) -> bool:
    return "Traceback (most recent call last)" not in text


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright (no browser download), one for the whole session: a second
    sync Playwright beside the first would find its event loop running."""
    from tests.ui_server import CHROMIUM, CHROMIUM_ARGS

    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (apt-get install chromium)")
        pytest.skip("chromium is not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def pytest_runtest_setup(item: pytest.Item) -> None:
    """The real tier where it cannot run (another OS, no root, a tool scripts/test could not install): skipped with
    one line saying what is missing, a failure under CI."""
    if item.get_closest_marker("real") is None:
        return
    from tests.desktop import real_tier_missing

    lacking = real_tier_missing()
    if lacking:
        reason = f"the real tier needs {lacking} (scripts/test installs the tools as root or through sudo)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
