"""A real web application nobody here wrote, wrapped and checked as a user would use it (pytest marker
`real`): JupyterLab, installed from PyPI into a venv of its own (pinned, cached between runs under
~/.cache/localpack-tests/), served on 127.0.0.1.

The app opens a notebook. The first launch shows JupyterLab's login form; the test types the server's token
into it (as a user pastes the token `jupyter lab` prints), and JupyterLab sets its login cookie (tornado's
signed cookie, persistent: it expires after 30 days). The live connection is proved from outside: the
notebook's kernel has a WebSocket connection from the page (the server's `/api/kernels` counts it), and
running the notebook's cell from the keyboard writes a file on the server. Then the app is quit (its window
closed), relaunched, and the notebook opens again with no login form: the server counts the page's kernel
connection again and saw no second login.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.desktop import Desktop, missing_tools, wait_for
from tests.realapps import ARTIFACTS, BASE, App, build, deb_of, install, prepare_home, uninstall
from tests.testsite import free_port

pytestmark = pytest.mark.real
JUPYTERLAB = "4.6.6"
IPYKERNEL = "7.4.0"
VENV = BASE / f"jupyterlab-{JUPYTERLAB}"
CELL = "open('ran-in-the-app.txt', 'w').write('the kernel ran this')"


def jupyter_venv() -> Path:
    """The pinned JupyterLab and kernel in a venv of their own (made once, reused while the pins hold)."""
    done_mark = VENV / "installed"
    if not done_mark.exists():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True, timeout=300)
        subprocess.run(
            [str(VENV / "bin" / "pip"), "install", "-q", f"jupyterlab=={JUPYTERLAB}", f"ipykernel=={IPYKERNEL}"],
            check=True,
            timeout=1200,
        )
        done_mark.write_text(f"jupyterlab {JUPYTERLAB}, ipykernel {IPYKERNEL}\n")
    return VENV


class Jupyter:
    """A JupyterLab server on loopback with a token login, in a folder holding one notebook."""

    def __init__(self, root: Path, log: Path) -> None:
        self.root, self.port, self.token = root, free_port(), secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}"
        root.mkdir(parents=True, exist_ok=True)
        notebook = {
            "cells": [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": CELL}],
            "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
        (root / "live.ipynb").write_text(json.dumps(notebook))
        self.log = log
        venv = jupyter_venv()
        self.proc = subprocess.Popen(
            [
                str(venv / "bin" / "jupyter"),
                "lab",
                "--no-browser",
                "--allow-root",  # the real tier runs as root
                "--ip=127.0.0.1",
                f"--port={self.port}",
                "--port-retries=0",
                f"--ServerApp.root_dir={root}",
                "--ServerApp.log_level=DEBUG",
                "--LabApp.news_url=None",  # no news feed fetched (no internet here)
                "--LabApp.extension_manager=readonly",
                "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            ],
            # The token reaches the server through its environment, never its command line.
            env={
                **os.environ,
                "JUPYTER_TOKEN": self.token,
                "HOME": str(root.parent),
                "PATH": f"{venv / 'bin'}:/usr/bin:/bin",
            },
            stdout=subprocess.DEVNULL,
            stderr=open(log, "w"),
            cwd=root,
        )
        wait_for(self._up, 120, "JupyterLab to answer")

    def _up(self) -> bool:
        try:
            self.api("status")
            return True
        except OSError:
            return False

    def api(self, path: str) -> object:
        request = urllib.request.Request(f"{self.url}/api/{path}", headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=5) as reply:
            return json.load(reply)

    def kernel_connections(self) -> int:
        return sum(k.get("connections", 0) for k in self.api("kernels"))  # type: ignore[union-attr]

    def logins(self) -> int:
        """Successful logins through the login form (each a POST /login answered with a redirect)."""
        return sum(1 for line in self.log.read_text(errors="replace").splitlines() if "302 POST /login" in line)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture(scope="module")
def desktop() -> Iterator[Desktop]:
    lacking = missing_tools()
    if lacking:
        pytest.fail(f"the real tier needs {', '.join(lacking)}")
    desk = Desktop.start(ARTIFACTS / "webapp-desktop", tray=False)
    yield desk
    desk.stop()


@pytest.fixture(scope="module")
def jupyter(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Jupyter]:
    root = tmp_path_factory.mktemp("jupyter")
    server = Jupyter(root / "notebooks", root / "server.log")
    yield server
    server.stop()
    print(server.log.read_text(errors="replace")[-4000:])


@pytest.fixture(scope="module")
def lab_app(jupyter: Jupyter, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    prepare_home()
    folder = tmp_path_factory.mktemp("lab-app")
    (folder / "localpack.toml").write_text(
        f"""
[app]
name = "lp-lab"
title = "Lab"
identifier = "dev.localpack.test.lab"
url = "{jupyter.url}/lab/tree/live.ipynb"
[window]
width = 1200
height = 800
[bundle]
targets = ["deb"]
""",
        encoding="utf-8",
    )
    result = build(folder, "--debug")
    install(deb_of(result, folder))
    yield "lp-lab"
    uninstall("lp-lab")


def shot(desktop: Desktop, window: str, name: str) -> Path:
    return desktop.screenshot(window, ARTIFACTS / "webapp" / f"{name}.png")


def quit_app(app: App, desktop: Desktop, window: str) -> None:
    """Quit as a user does: close the window (WebKit writes its cookies on the way out)."""
    desktop.close(window)
    wait_for(lambda: all(p.poll() is not None for p in app.procs), 30, "the app to quit")
    app.stop()


def login_cookie_expiry(data_dir: Path, port: int) -> int:
    """When JupyterLab's login cookie expires, as the app's cookie file (Netscape text format) keeps it."""
    name = f"username-127-0-0-1-{port}"
    for path in data_dir.rglob("cookies*"):
        for line in path.read_text(errors="replace").splitlines():
            fields = line.removeprefix("#HttpOnly_").split("\t")
            if len(fields) >= 7 and fields[5] == name:  # libsoup adds an 8th: SameSite
                return int(fields[4])
    raise AssertionError(f"no {name} cookie kept under {data_dir}")


def test_jupyterlab_loads_its_kernel_runs_and_the_login_survives_a_relaunch(
    lab_app: str, jupyter: Jupyter, desktop: Desktop, tmp_path: Path
) -> None:
    app = App(lab_app, tmp_path / "home", desktop.env)
    try:
        app.launch()
        window = wait_for(lambda: desktop.windows(lab_app), 60, "the app's window")[0]  # type: ignore[index]
        # Not logged in yet: JupyterLab answers with its login form (the page asked for /login).
        wait_for(lambda: "GET /login?next=" in jupyter.log.read_text(errors="replace"), 60, "the login form")
        time.sleep(3)
        shot(desktop, window, "1-login-form")
        assert jupyter.kernel_connections() == 0
        width, _ = desktop.geometry(window)
        desktop.click(window, width // 2 + 45, 115)  # the form's one field, centred under the page's header
        desktop.run("xdotool", "type", "--delay", "30", jupyter.token)
        desktop.run("xdotool", "key", "Return")
        wait_for(lambda: jupyter.logins() == 1, 30, "the login")

        # The notebook opens and its kernel's WebSocket connects from the page.
        wait_for(lambda: jupyter.kernel_connections() >= 1, 120, "the page's kernel connection")
        time.sleep(5)  # the notebook finishes drawing
        shot(desktop, window, "2-notebook")
        # Run the cell from the keyboard: the request goes over the page's WebSocket, the kernel writes a file.
        desktop.click(window, 600, 200)
        desktop.key(window, "Escape")
        desktop.key(window, "ctrl+Return")
        ran = jupyter.root / "ran-in-the-app.txt"
        wait_for(ran.exists, 60, "the cell to run in the kernel")
        assert ran.read_text() == "the kernel ran this"
        desktop.key(window, "ctrl+s")  # saved, so closing asks nothing
        wait_for(
            lambda: json.loads((jupyter.root / "live.ipynb").read_text())["cells"][0]["execution_count"] == 1,
            30,
            "the notebook saved with its cell run",
        )
        shot(desktop, window, "3-ran")
        quit_app(app, desktop, window)
        expires = login_cookie_expiry(app.data_dir("dev.localpack.test.lab"), jupyter.port)
        assert expires > time.time() + 29 * 86400  # kept on disk, for JupyterLab's 30 days
        wait_for(lambda: jupyter.kernel_connections() == 0, 30, "the page's kernel connection to close")

        # Relaunched: the login cookie was kept, so the notebook opens with no login form.
        app.launch()
        window = wait_for(lambda: desktop.windows(lab_app), 60, "the app's window again")[0]  # type: ignore[index]
        wait_for(lambda: jupyter.kernel_connections() >= 1, 120, "the page's kernel connection after the relaunch")
        time.sleep(3)
        shot(desktop, window, "4-relaunched")
        assert jupyter.logins() == 1  # no second login
        quit_app(app, desktop, window)
    finally:
        app.stop()
        print(app.log()[-4000:])
