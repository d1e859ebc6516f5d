"""The Linux job of the workflow `localpack ci init` writes, run as GitHub's runner runs it: each `run:` step in
order with `bash --noprofile --norc -eo pipefail`, in the repository's checkout, with GITHUB_ENV/GITHUB_OUTPUT
carried between steps. localpack is pip-installed from this checkout (the workflow's LOCALPACK_SPEC, changed as a
user would) and builds with the stand-in cargo (LOCALPACK_BUILD_ARGS="--runner ..."); the real Tauri CLI that
`localpack setup` installs bundles the real .deb/.rpm.

`uses:` steps are GitHub's own actions and are not run (checkout: the test writes the repository itself;
setup-python: a fresh virtualenv comes first on PATH; cache, upload-artifact: the test reads the paths the upload
steps name). Two `run:` steps are skipped, listed in SKIPPED with the reason.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from tests.conftest import CARGO_STANDIN, REPO, write_config

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="runs the Linux job's steps, which build .deb/.rpm")

SKIPPED = {
    "Install Rust": "rustup downloads from static.rust-lang.org, which is not reachable here; this machine's "
    "rustup toolchain stands in (doctor checks it two steps later)",
    "Install the build libraries (Linux)": "apt-get needs root and the network, and would change the machine the "
    "tests run on; this machine has the libraries (doctor checks them)",
}
EXPRESSION = re.compile(r"\$\{\{\s*(.+?)\s*\}\}")


@dataclass
class JobRun:
    env: dict[str, str]
    ran: list[str] = field(default_factory=list)
    uploads: dict[str, Path] = field(default_factory=dict)  # upload step name → the path it uploads
    failed: bool = False
    output: str = ""


def evaluate(text: str, matrix: dict[str, str], env: dict[str, str]) -> str:
    """The few expressions the Linux job's values use; any other one fails the test (it would need a runner)."""

    def one(m: re.Match[str]) -> str:
        scope, _, name = m.group(1).partition(".")
        if scope == "matrix":
            return matrix[name]
        if scope == "env":
            return env[name]
        pytest.fail(f"expression the test cannot evaluate: {m.group(0)}")

    return EXPRESSION.sub(one, text)


def should_run(condition: str | None, failed: bool) -> bool:
    if condition is None:
        return not failed
    if condition == "failure()":
        return failed
    m = re.fullmatch(r"runner\.os == '(\w+)'", condition)
    if m is None:
        pytest.fail(f"a step condition the test cannot evaluate: {condition}")
    return not failed and m.group(1) == "Linux"


def run_linux_job(workflow: Path, repo: Path, tmp: Path, python_bin: Path, overrides: dict[str, str]) -> JobRun:
    doc = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    job = doc["jobs"]["build"]
    [matrix] = [m for m in job["strategy"]["matrix"]["include"] if m["name"] == "linux-x64"]
    temp = tmp / "runner-temp"
    temp.mkdir()
    github_env, github_output = tmp / "github-env", tmp / "github-output"
    base = {k: v for k, v in os.environ.items() if not k.startswith(("LOCALPACK_", "GITHUB_", "RUNNER_"))}
    env = {**base, **{k: str(v) for k, v in doc["env"].items()}}
    env.update({k: evaluate(str(v), matrix, env) for k, v in job["env"].items()})
    env.update(
        RUNNER_OS="Linux",
        RUNNER_TEMP=str(temp),
        GITHUB_ENV=str(github_env),
        GITHUB_OUTPUT=str(github_output),
        GITHUB_WORKSPACE=str(repo),
        CI="true",
        PATH=f"{python_bin}{os.pathsep}{base['PATH']}",
        **overrides,
    )
    result = JobRun(env)
    for i, step in enumerate(job["steps"]):
        name = step.get("name") or step.get("uses", "")
        if not should_run(step.get("if"), result.failed):
            continue
        if "uses" in step:
            if "upload-artifact" in step["uses"]:
                result.uploads[name] = Path(evaluate(step["with"]["path"], matrix, env))
            continue
        if name in SKIPPED:
            continue
        script = tmp / f"step-{i}.sh"
        script.write_text(step["run"], encoding="utf-8")
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        result.ran.append(name)
        result.output += f"--- {name} (exit {done.returncode})\n{done.stdout}{done.stderr}"
        if github_env.exists():  # what a step appends to GITHUB_ENV is the environment of the steps after it
            env.update(
                line.split("=", 1) for line in github_env.read_text(encoding="utf-8").splitlines() if "=" in line
            )
        if done.returncode != 0:
            result.failed = True
    return result


@pytest.fixture(scope="module")
def python_bin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh Python with nothing installed: what actions/setup-python puts first on PATH."""
    venv = tmp_path_factory.mktemp("setup-python") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    return venv / "bin"


@pytest.fixture
def repo(tmp_path: Path, run) -> tuple[Path, Path]:
    """A repository with a local web app, its config and the workflow `localpack ci init` wrote for it."""
    root = tmp_path / "repo"
    (root / "web").mkdir(parents=True)
    (root / "web" / "index.html").write_text("<h1>hello</h1>\n", encoding="utf-8")
    # AppImage needs linuxdeploy from GitHub, unreachable here: the config keeps to deb and rpm
    write_config(root, '[app]\nname = "demo"\ndist = "web"\n[bundle]\ntargets = ["deb", "rpm"]\n')
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    r = run("ci", "init", cwd=root)
    assert r.code == 0, r.err
    return root, root / ".github" / "workflows" / "localpack.yml"


def overrides(**extra: str) -> dict[str, str]:
    """What a user changes in the workflow's env to build from a checkout, plus the stand-in cargo."""
    return {"LOCALPACK_SPEC": str(REPO), "LOCALPACK_BUILD_ARGS": f"--runner {CARGO_STANDIN}", **extra}


def test_a_tag_builds_installers_and_sums_where_the_upload_step_looks(repo, tmp_path: Path, python_bin: Path) -> None:
    root, workflow = repo
    job = run_linux_job(workflow, root, tmp_path, python_bin, overrides(GITHUB_REF="refs/tags/v2.3.4"))
    assert not job.failed, job.output
    assert job.ran == [
        "Choose localpack's folders",
        "Install localpack",
        "Install the Tauri CLI",
        "Check the toolchain",
        "Build",
    ]
    uploaded = job.uploads["Upload the installers"]
    assert "Upload the failed build's result and log" not in job.uploads
    files = sorted(p.name for p in uploaded.iterdir() if not p.name.startswith("."))
    assert files == ["SHA256SUMS", "demo-2.3.4-1.x86_64.rpm", "demo_2.3.4_amd64.deb"]  # the tag's version
    sums = (uploaded / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    assert sorted(sums) == sorted(
        f"{hashlib.sha256((uploaded / f).read_bytes()).hexdigest()}  {f}" for f in files if f != "SHA256SUMS"
    )
    result = json.loads((Path(job.env["LOCALPACK_REPORT"]) / "build.json").read_text(encoding="utf-8"))
    assert result["ok"] is True and {a["format"] for a in result["artifacts"]} == {"deb", "rpm"}
    assert Path(job.env["LOCALPACK_HOME"], "cache", "cargo-target").is_dir()  # what the cache step keeps


def test_a_failed_build_leaves_its_json_and_log_for_the_failure_upload(repo, tmp_path: Path, python_bin: Path) -> None:
    root, workflow = repo
    job = run_linux_job(workflow, root, tmp_path, python_bin, overrides(STANDIN_MODE="fail"))
    assert job.failed and job.ran[-1] == "Build"
    assert "--- Build (exit 3)" in job.output
    assert "Upload the installers" not in job.uploads
    report = job.uploads["Upload the failed build's result and log"]
    result = json.loads((report / "build.json").read_text(encoding="utf-8"))
    assert result["ok"] is False and result["error"]["code"] == "build_failed"
    log = report / Path(result["log"]).name
    assert "could not compile `localpack-runtime`" in log.read_text(encoding="utf-8")
