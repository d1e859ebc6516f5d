"""Secret masking (core/redact.py) in what a build keeps and a report sends: no gap for the secrets CI systems
and package managers use, and no input that makes masking slow (it is linear in the text's length)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from github_server import TOKEN, FakeGitHub, github  # noqa: F401  (fixture)

from tests.conftest import CARGO_STANDIN, REPO, no_traceback, write_config

GITLAB_PAT = "plain-looking-value-0451"
JOB_JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJqb2IifQ.c2lnbmF0dXJlLW9mLWpvYg"
NPM_AUTH = "bnBtdXNlcjpucG1wYXNz"
URL_PASSWORD = "se@cr@et"  # an @ in the password: the userinfo ends at the last @
PRIVATE_TOKEN = "pt-7f3a9c1e"
ACCESS_TOKEN = "ya29-access-0b8e"
NPMRC_TOKEN = "npm_" + "N" * 36
LOWER_NPM = "lower-npm-auth-99"
API_PASSWORD = "api-passw0rd"
SECRETS = [GITLAB_PAT, JOB_JWT, NPM_AUTH, "cr@et", PRIVATE_TOKEN, ACCESS_TOKEN, NPMRC_TOKEN, LOWER_NPM, API_PASSWORD]

TOOL_OUTPUT = "\n".join(
    [  # what a careless tool prints into the build log
        f"env: GITLAB_PAT={GITLAB_PAT} CI_JOB_JWT={JOB_JWT} NPM_CONFIG__AUTH={NPM_AUTH}",
        f"using {GITLAB_PAT} and {NPM_AUTH} as given",  # bare values: masked because their variables say secret
        f"fetch https://ann:{URL_PASSWORD}@git.example/x.git?private_token={PRIVATE_TOKEN}",
        f"redirect to https://app.example/cb#state=1&access_token={ACCESS_TOKEN}&token_type=bearer",
        f"//registry.npmjs.org/:_authToken={NPMRC_TOKEN}",
        f"npm_config__auth={LOWER_NPM}",
    ]
)


def test_no_gap_reaches_the_record_the_log_or_the_issue(
    run, home: Path, tmp_path: Path, tauri_cli: Path, github: FakeGitHub
) -> None:
    site = tmp_path / "site"
    write_config(
        site,
        "\n".join(
            [
                "[app]",
                'name = "masked"',
                f'url = "https://ann:{URL_PASSWORD}@app.example/"',
                (
                    f'description = "docs at https://d.example/?private_token={PRIVATE_TOKEN}, '
                    f'login at https://l.example/#access_token={ACCESS_TOKEN}"'
                ),
                "[report]",
                'repo = "octo/app"',
                "",
            ]
        ),
    )
    env = {
        "LOCALPACK_TAURI": str(tauri_cli),
        "STANDIN_MODE": "fail",
        "STANDIN_SAY": TOOL_OUTPUT,
        "GITLAB_PAT": GITLAB_PAT,
        "CI_JOB_JWT": JOB_JWT,
        "NPM_CONFIG__AUTH": NPM_AUTH,
    }
    r = run(
        "build",
        str(site / "localpack.toml"),
        "--targets",
        "deb",
        "--runner",
        str(CARGO_STANDIN),
        "--no-preflight",
        env=env,
    )
    assert r.code == 3, r.err
    state = home / "state"
    [record] = (state / "builds").glob("*.json")
    [log] = (state / "logs").glob("masked-*.log")
    assert "Updating crates.io index" in log.read_text()  # the tool's output is there, masked
    assert json.loads(record.read_text())["config"]["app"]["url"] == "https://[REDACTED]@app.example/"

    r = run("report", "--dry-run")
    assert r.code == 0, r.err
    preview = r.out
    assert "private_token=[REDACTED]" in preview and "#state=1&access_token=[REDACTED]" in preview
    report_env = {
        "LOCALPACK_GITHUB_TOKEN": TOKEN,
        "GITHUB_TOKEN": "",
        "GH_TOKEN": "",
        "LOCALPACK_GITHUB_API": github.url,
    }
    r = run("report", "--yes", env=report_env)
    assert r.code == 0, r.err
    [issue] = github.issues
    for text in (record.read_text(), log.read_text(), preview, issue["body"], r.text):
        for secret in SECRETS:
            assert secret not in text, secret

    # --api-url with a password: refused, and the password is not printed
    r = run("report", "--yes", "--api-url", f"https://ann:{API_PASSWORD}@ghe.example/api/v3", env=report_env)
    assert r.code == 2 and API_PASSWORD not in r.text and no_traceback(r.text), r.err


# Shapes that made the backtracking masking slow (seconds at 30 KB, hours at 1 MB): each is masked here in a
# child process with a hard wall limit, far above what a linear pass takes and far below a quadratic one.
HOSTILE = {
    "scheme-run": "a." * 500_000,
    "one-long-name": "A" * 1_000_000,
    "names": "A_KEY " * 170_000,
    "open-quotes": 'X_TOKEN="' * 110_000,
    "query-names": "?a" * 500_000,
    "authority": "://" + "a:" * 500_000,
    "jwt-like": "eyJ-" * 250_000,
    "headers": "authorization: " * 66_000,
    "userinfo": "https://u:p@" * 83_000,
}


def test_masking_a_megabyte_of_hostile_text_finishes() -> None:
    code = (
        "import sys, json; from localpack.core.redact import redact\n"
        "for name, text in json.load(sys.stdin).items():\n"
        "    out = redact(text, env=False); print(name, len(text), len(out), flush=True)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps(HOSTILE),
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=90,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert [line.split()[0] for line in done.stdout.splitlines()] == list(HOSTILE)


@pytest.mark.parametrize("shape", ["a.", "A_KEY ", "?a=", "eyJ-"])
def test_a_huge_description_does_not_hold_the_build(
    run, home: Path, tmp_path: Path, tauri_cli: Path, shape: str
) -> None:
    site = tmp_path / "site"
    description = shape * (300_000 // len(shape))
    write_config(site, f'[app]\nname = "huge"\nurl = "https://example.com"\ndescription = "{description}"\n')
    r = run(
        "build",
        str(site / "localpack.toml"),
        "--targets",
        "deb",
        "--runner",
        str(CARGO_STANDIN),
        "--no-preflight",
        "--out",
        str(tmp_path / "dist"),
        env={"LOCALPACK_TAURI": str(tauri_cli)},
        timeout=120,
    )
    assert r.code == 0, r.err[-2000:]
    [record] = (home / "state" / "builds").glob("*.json")
    assert len(json.loads(record.read_text())["config"]["app"]["description"]) >= 290_000
