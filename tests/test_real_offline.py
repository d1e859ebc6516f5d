"""Real offline (marker `real`): `localpack prefetch` for real (crates.io, npm) and `offline export` on the
connected side; then, in a network namespace with no route out (`unshare -n`), `offline import` into a fresh
LOCALPACK_HOME, `setup` from the imported tarballs, and `build --offline`: once around the carried runtime (no
compile at all) and once compiled by real cargo from the vendored crates (`--compile`; its target dir is its
own, so the first run compiles every crate from the vendored sources and later runs only what changed)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.realapps import BASE, localpack_env, prepare_home

pytestmark = pytest.mark.real


def localpack(
    *args: str, cwd: Path, env: dict[str, str], offline_net: bool = False, timeout: float = 45 * 60
) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "localpack", *args]
    if offline_net:
        cmd = ["unshare", "-n", *cmd]  # a network namespace of its own: not even loopback is up
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Prefetch and export on the connected side, with the real tier's warm home (its runtimes compile once)."""
    prepare_home()
    folder = tmp_path_factory.mktemp("connected")
    (folder / "localpack.toml").write_text(
        '[app]\nname = "lp-offline"\nurl = "https://example.com"\n[bundle]\ntargets = ["deb"]\n'
    )
    env = localpack_env()
    done = localpack("prefetch", "--json", cwd=folder, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    prefetched = json.loads(done.stdout)
    assert prefetched["runtime"] and prefetched["crates"] > 300 and prefetched["npm"]
    archive = folder / "offline.tar.gz"
    done = localpack("offline", "export", str(archive), cwd=folder, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    print(f"[real] offline archive: {archive.stat().st_size / 1e6:.0f} MB", file=sys.stderr)
    return archive


@pytest.fixture(scope="module")
def offline_machine(tmp_path_factory: pytest.TempPathFactory, exported: Path) -> dict[str, str]:
    """A LOCALPACK_HOME and CARGO_HOME that have never been online: no cargo registry cache, no Tauri CLI,
    no prefetched data, until the archive is imported and the CLI installed from it. Their paths stay the
    same from run to run (under the real tier's base folder), so the offline compile's own target dir stays
    warm; everything else in them is wiped first."""
    home, cargo_home = BASE / "offline-home", BASE / "offline-cargo-home"
    for stale in ("state", "config", "cache/offline", "cache/tools", "cache/runtimes"):
        shutil.rmtree(home / stale, ignore_errors=True)
    shutil.rmtree(cargo_home, ignore_errors=True)
    (home / "cache").mkdir(parents=True, exist_ok=True)
    shutil.copytree(
        Path(os.environ.get("CARGO_HOME", Path.home() / ".cargo")) / "bin", cargo_home / "bin", symlinks=True
    )  # rustup's proxies only: every crate must come from the archive
    env = {k: v for k, v in localpack_env().items() if k != "LOCALPACK_TAURI"}
    env.update(
        LOCALPACK_HOME=str(home), CARGO_HOME=str(cargo_home), npm_config_cache=str(tmp_path_factory.mktemp("npm-cache"))
    )
    cwd = tmp_path_factory.mktemp("offline")
    for args in (("offline", "import", str(exported)), ("setup",)):
        done = localpack(*args, cwd=cwd, env=env, offline_net=True)
        assert done.returncode == 0, f"{args}: {done.stderr[-3000:]}"
    return env


def write_app(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "localpack.toml").write_text(
        '[app]\nname = "lp-offline"\nurl = "https://example.com"\n[bundle]\ntargets = ["deb"]\n'
    )
    return folder


def test_an_offline_build_uses_the_carried_runtime(offline_machine: dict[str, str], tmp_path: Path) -> None:
    folder = write_app(tmp_path / "app")
    done = localpack("build", "--offline", "--json", cwd=folder, env=offline_machine, offline_net=True)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    assert result["runtime"]["compiled"] is False  # carried in the archive: no compile on the offline machine
    deb = folder / result["artifacts"][0]["path"]
    assert (
        subprocess.run(["dpkg-deb", "-f", str(deb), "Package"], capture_output=True, text=True).stdout.strip()
        == "lp-offline"
    )


def test_an_offline_compile_uses_the_vendored_crates(offline_machine: dict[str, str], tmp_path: Path) -> None:
    folder = write_app(tmp_path / "app")
    done = localpack(
        "build", "--offline", "--compile", "--debug", "--json", cwd=folder, env=offline_machine, offline_net=True
    )
    assert done.returncode == 0, done.stderr[-3000:] + done.stdout[-2000:]
    result = json.loads(done.stdout)
    assert result["runtime"] == {"id": None, "compiled": True, "reason": "--compile was given", "source": None}
    assert (folder / result["artifacts"][0]["path"]).is_file()
    log = Path(result["log"]).read_text()
    assert "CARGO_NET_OFFLINE=true" in log and "Downloading" not in log
