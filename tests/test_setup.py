"""`localpack setup` with a stand-in `npm` on PATH that does what `npm install --prefix DIR PKG@VER`
does to DIR (the npm registry is not a test dependency)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from conftest import no_traceback

from fakes.toolenv import make

FAKE_NPM = f"""#!{sys.executable}
import json, os, sys
from pathlib import Path
args = sys.argv[1:]
with open(os.environ["FAKE_NPM_LOG"], "a") as log:
    log.write(json.dumps(args) + "\\n")
if os.environ.get("FAKE_NPM_FAIL"):
    print("npm error code ETIMEDOUT")
    print("npm error network request to https://registry.npmjs.org/@tauri-apps%2fcli failed, reason: timeout")
    sys.exit(1)
assert args[0] == "install" and args[1] == "--prefix", args
prefix = Path(args[2])
for spec in [a for a in args[3:] if not a.startswith("--")]:
    name, _, version = spec.rpartition("@")
    package = prefix / "node_modules" / name
    package.mkdir(parents=True, exist_ok=True)
    (package / "package.json").write_text(json.dumps({{"name": name, "version": version}}))
    if name == "@tauri-apps/cli":
        (package / "tauri.js").write_text("#!/bin/sh\\necho 'tauri-cli " + version + "'\\n")
        (package / "tauri.js").chmod(0o755)
        bin_dir = prefix / "node_modules" / ".bin"
        bin_dir.mkdir(exist_ok=True)
        if not (bin_dir / "tauri").is_symlink():
            (bin_dir / "tauri").symlink_to("../@tauri-apps/cli/tauri.js")
print("")
print("added 2 packages in 3s")
"""


def npm_env(tmp_path: Path) -> tuple[dict[str, str], Path]:
    env = make(tmp_path / "m", tauri=False)
    npm = env.bin / "npm"
    npm.write_text(FAKE_NPM)
    npm.chmod(0o755)
    log = tmp_path / "npm-calls.log"
    return {**env.env, "LOCALPACK_TAURI": "", "FAKE_NPM_LOG": str(log)}, log


def calls(log: Path) -> list[list[str]]:
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


def test_setup_installs_the_pinned_cli_into_the_cache(run, home, tmp_path):
    env, log = npm_env(tmp_path)
    r = run("setup", env=env)
    assert r.code == 0, r.err
    tools = home / "cache" / "tools"
    cli = tools / "node_modules" / ".bin" / "tauri"
    assert r.out.strip() == str(cli)
    assert f"installed Tauri CLI 2.12.6 at {cli}" in r.err
    assert "added 2 packages" in r.err  # npm's output is streamed
    assert calls(log) == [
        ["install", "--prefix", str(tools), "--no-audit", "--no-fund", "@tauri-apps/cli@2.12.6", "jquery@3.7.1"]
    ]  # and the jQuery apps with inject_jquery ship
    assert (tools / "node_modules" / "jquery" / "package.json").is_file()
    # the build and doctor now find it there
    doctor = run("doctor", "--json", "--offline", "--targets", "deb", env=env)
    tauri = next(c for c in json.loads(doctor.out)["checks"] if c["name"] == "tauri-cli")
    assert (tauri["ok"], tauri["version"], tauri["path"]) == (True, "2.12.6", str(cli))


def test_setup_is_a_noop_when_that_version_is_there(run, tmp_path):
    env, log = npm_env(tmp_path)
    assert run("setup", env=env).code == 0
    r = run("setup", env=env)
    assert r.code == 0
    assert "Tauri CLI 2.12.6 is already installed" in r.err and "nothing to do" in r.err
    assert len(calls(log)) == 1


def test_setup_replaces_another_version(run, home, tmp_path):
    env, log = npm_env(tmp_path)
    package = home / "cache" / "tools" / "node_modules" / "@tauri-apps" / "cli"
    package.mkdir(parents=True)
    (package / "package.json").write_text('{"name": "@tauri-apps/cli", "version": "2.10.1"}')
    r = run("setup", env=env)
    assert r.code == 0 and "installed Tauri CLI 2.12.6" in r.err
    assert json.loads((package / "package.json").read_text())["version"] == "2.12.6"
    assert len(calls(log)) == 1


def test_setup_without_npm(run, tmp_path):
    env, _ = npm_env(tmp_path)
    (Path(env["PATH"]) / "npm").unlink()
    r = run("setup", env=env)
    assert r.code == 4
    assert "npm was not found" in r.err
    assert "sudo apt install nodejs npm" in r.err and no_traceback(r.err)


def test_setup_when_npm_fails(run, home, tmp_path):
    env, _ = npm_env(tmp_path)
    r = run("setup", env={**env, "FAKE_NPM_FAIL": "1"})
    assert r.code == 4
    assert "npm install @tauri-apps/cli@2.12.6 failed (exit 1)" in r.err
    logs = list((home / "state" / "logs").glob("setup-*.log"))
    assert len(logs) == 1 and str(logs[0]) in r.err
    assert "ETIMEDOUT" in logs[0].read_text()
    assert not (home / "cache" / "tools" / "node_modules" / ".bin" / "tauri").exists()
