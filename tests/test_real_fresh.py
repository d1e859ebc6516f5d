"""The first app on a machine with nothing but Python (real tier): a clean Debian 12 root with Python and the
WebKitGTK runtime library, and no Rust, no cc, no pkg-config, no -dev package, no Node.js. localpack's wheel and the
runtime wheel are installed there from local files; `localpack build --url … --name …` makes a .deb and an .rpm
with no compile; the .deb installs in that root and the app runs under Xvfb: the page loads, the window has the
app's title.

The runtime wheel is the real one: scripts/runtime_wheel.py around a real release compile (cached in the real
tier's home, so only the first run compiles). Needs root (chroot, mount) and debootstrap; the root is made once
and kept (tests/debian_root.py).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import debian_root
from tests.conftest import REPO
from tests.desktop import Desktop, missing_tools, wait_for
from tests.realapps import ARTIFACTS, localpack_env, prepare_home
from tests.testsite import Site

pytestmark = pytest.mark.real
ABSENT_TOOLS = ("rustc", "cargo", "rustup", "cc", "gcc", "clang", "pkg-config", "pkgconf", "node", "npm", "nodejs")


@pytest.fixture(scope="module")
def runtime_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This machine's runtime wheel, built by the release's own script, compiled as the release job compiles it
    (without the real tier's -D warnings, which the other real tests hold the runtime to)."""
    prepare_home()
    out = tmp_path_factory.mktemp("runtime-wheel")
    env = localpack_env()
    env.pop("RUSTFLAGS", None)
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "runtime_wheel.py"), "--out", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60 * 60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return Path(done.stdout.strip())


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    if os.geteuid() != 0 or shutil.which("debootstrap") is None:
        pytest.fail("this test needs root and debootstrap (apt-get install debootstrap)")
    base = tmp_path_factory.mktemp("fresh")
    made = debian_root.fresh(base / "root", ARTIFACTS / "debootstrap.log")
    with debian_root.Mounted(made):
        yield made


@pytest.fixture(scope="module")
def desktop() -> Iterator[Desktop]:
    lacking = missing_tools()
    if lacking:
        pytest.fail(f"the real tier needs {', '.join(lacking)} (.ci/run installs them)")
    desk = Desktop.start(ARTIFACTS / "desktop-fresh", tray=False)
    yield desk
    desk.stop()


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    s = Site()
    s.add_page("/", "fresh", "The fresh page", "<h1>Hello from a machine with nothing but Python</h1>")
    s.start()
    yield s
    s.stop()


@pytest.fixture(scope="module")
def built(root: Path, runtime_wheel: Path, site: Site, tmp_path_factory: pytest.TempPathFactory) -> dict:
    wheels = [debian_root.localpack_wheel(tmp_path_factory.mktemp("lp-wheel")), runtime_wheel]
    debian_root.install_wheels(root, wheels)
    done = debian_root.run(
        root,
        [
            "/opt/localpack/bin/localpack",
            "build",
            "--url",
            site.url,
            "--name",
            "fresh-app",
            "--title",
            "Fresh App",
            "--no-title-from-page",
            "--targets",
            "deb,rpm",
            "--out",
            "/root/dist",
            "--json",
        ],
        extra={"LOCALPACK_HOME": "/root/lp"},
        cwd="/",
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    result = json.loads(done.stdout)
    result["stderr"] = done.stderr
    return result


def test_the_root_has_no_compiler_no_node_and_no_dev_package(root: Path) -> None:
    for tool in ABSENT_TOOLS:
        found = debian_root.run(root, ["sh", "-c", f"command -v {tool}"])
        assert found.returncode != 0, f"{tool} is in the root: {found.stdout}"
    packages = debian_root.run(root, ["dpkg-query", "-W", "-f", "${Package}\\n"]).stdout.split()
    assert packages and not [p for p in packages if p.endswith(("-dev", "-devel"))]
    assert "libwebkit2gtk-4.1-0" in packages and not list((root / "usr").rglob("webkit2gtk-4.1.pc"))
    assert debian_root.run(root, ["python3", "--version"]).returncode == 0


def test_the_first_app_packages_around_the_wheels_runtime(built: dict, root: Path) -> None:
    assert built["ok"] is True
    runtime = built["runtime"]
    assert runtime["source"] == "wheel" and runtime["compiled"] is False and runtime["reason"] is None
    assert sorted(a["format"] for a in built["artifacts"]) == ["deb", "rpm"]
    assert "prebuilt runtime" in built["stderr"]
    for artifact in built["artifacts"]:
        assert (root / "root" / "dist" / Path(artifact["path"]).name).stat().st_size == artifact["size"]


def test_doctor_in_the_root_asks_for_no_toolchain(built: dict, root: Path) -> None:
    done = debian_root.run(
        root,
        ["/opt/localpack/bin/localpack", "doctor", "--targets", "deb,rpm", "--json"],
        extra={"LOCALPACK_HOME": "/root/lp"},
    )
    checks = {c["name"]: c for c in json.loads(done.stdout)["checks"]}
    assert done.returncode == 0, checks
    assert checks["localpack-runtime"]["ok"] and checks["tauri-cli"]["ok"]
    assert not any(checks[n]["required"] for n in ("rustc", "cargo", "cc", "pkg-config", "webkit2gtk-4.1", "node"))


def test_the_installed_app_runs_loads_its_page_and_has_its_title(
    built: dict, root: Path, site: Site, desktop: Desktop
) -> None:
    deb = next(a for a in built["artifacts"] if a["format"] == "deb")
    installed = debian_root.run(root, ["dpkg", "-i", f"/root/dist/{Path(deb['path']).name}"])
    assert installed.returncode == 0, installed.stdout + installed.stderr
    (root / "root" / "apphome" / ".run").mkdir(parents=True, exist_ok=True, mode=0o700)
    env = {
        **debian_root.env(),
        "DISPLAY": desktop.display,
        "HOME": "/root/apphome",
        "XDG_RUNTIME_DIR": "/root/apphome/.run",
    }
    with open(ARTIFACTS / "fresh-app.log", "w") as log:
        app = subprocess.Popen(
            ["chroot", str(root), "dbus-run-session", "--", "/usr/bin/fresh-app"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        report = site.wait_report("fresh", timeout=60, kind="load")
        assert report["title"] == "The fresh page" and report["href"] == site.url
        window = wait_for(lambda: desktop.windows("fresh-app"), 30, "the app's window")[0]  # type: ignore[index]
        assert desktop.title(window) == "Fresh App"
    finally:
        os.killpg(app.pid, 15)
        app.wait(timeout=10)
