"""`localpack offline export|import`: a round trip restores the same bytes; an archive that was
altered, crafted to escape the cache, or made for another platform is refused with exit 2."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest

from localpack.core.platform import platform_id
from localpack.paths import Paths
from localpack.versions import TAURI_CLI
from tests.conftest import no_traceback
from tests.test_offline import make_crate, prefetched


def digests(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != "state.json"
    }


def fill_store(paths: Paths) -> Path:
    store = prefetched(paths, "example")
    make_crate(store.vendor, "otherdep", "2.0.1")
    store.npm.mkdir(parents=True)
    (store.npm / f"tauri-apps-cli-{TAURI_CLI}.tgz").write_bytes(b"\x1f\x8b fake tarball")
    store.tools.mkdir(parents=True)
    tool = store.tools / "AppRun-x86_64"
    tool.write_bytes(b"\x7fELF apprun")
    tool.chmod(0o755)
    store.write_state({"targets": ["appimage", "deb"], "apps": ["example"]})
    return store.root


@pytest.fixture
def exported(run, home: Path, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    root = fill_store(Paths.from_env())
    archive = tmp_path / "carry" / "offline.tar.gz"
    r = run("offline", "export", str(archive))
    assert r.code == 0, r.err
    return archive, digests(root)


def import_into(run, tmp_path: Path, archive: Path, *extra: str):  # noqa: ANN201
    other = tmp_path / "offline-machine"
    r = run("offline", "import", str(archive), *extra, env={"LOCALPACK_HOME": str(other)})
    return r, other / "cache" / "offline"


def test_round_trip_restores_the_same_files(run, tmp_path: Path, exported) -> None:
    archive, before = exported
    r, store = import_into(run, tmp_path, archive, "--json")
    assert r.code == 0, r.err
    result = json.loads(r.out)
    assert result["ok"] is True and result["files"] == len(before) and result["platform"] == platform_id()
    assert digests(store) == before
    assert (store / "tools" / "AppRun-x86_64").stat().st_mode & 0o111  # still executable
    state = json.loads((store / "state.json").read_text())
    assert state["tauri_cli"] == TAURI_CLI and state["targets"] == ["appimage", "deb"] and state["apps"] == ["example"]


def rewrite(archive: Path, dest: Path, edit) -> Path:  # noqa: ANN001
    """Copy `archive` member by member, letting `edit(name, data, manifest)` change things."""
    with tarfile.open(archive, "r:gz") as tar:
        members = [(m, tar.extractfile(m).read() if m.isfile() else b"") for m in tar]
    manifest = json.loads(members[0][1])
    out = []
    for member, data in members[1:]:
        out += edit(member, data, manifest) or []
    with tarfile.open(dest, "w:gz") as tar:
        for member, data in [(members[0][0], json.dumps(manifest).encode()), *out]:
            member.size = len(data)
            tar.addfile(member, io.BytesIO(data))
    return dest


@pytest.mark.parametrize(
    "new,words", [(b"43", "checksum mismatch for vendor/"), (b"666", "bytes, but the manifest says")]
)
def test_tampered_file_is_refused_and_nothing_is_imported(
    run, tmp_path: Path, exported, new: bytes, words: str
) -> None:
    archive, _ = exported

    def tamper(member, data, manifest):  # noqa: ANN001, ANN202
        if member.name.endswith("lib.rs"):
            data = data.replace(b"42", new)
        return [(member, data)]

    r, store = import_into(run, tmp_path, rewrite(archive, tmp_path / "tampered.tar.gz", tamper))
    assert r.code == 2, r.err
    assert words in r.err and no_traceback(r.err)
    assert not store.exists() or not any(store.rglob("*.rs"))


def test_a_file_not_in_the_manifest_is_refused(run, tmp_path: Path, exported) -> None:
    archive, _ = exported

    def smuggle(member, data, manifest):  # noqa: ANN001, ANN202
        extra = tarfile.TarInfo("tools/extra.sh")
        return (
            [(member, data), (extra, b"#!/bin/sh\nrm -rf ~\n")]
            if member.name.endswith("AppRun-x86_64")
            else [(member, data)]
        )

    r, _ = import_into(run, tmp_path, rewrite(archive, tmp_path / "smuggled.tar.gz", smuggle))
    assert r.code == 2 and "tools/extra.sh is not listed in the manifest" in r.err


@pytest.mark.parametrize("listed", [True, False])
@pytest.mark.parametrize("name", ["vendor/../../../escaped.txt", "/tmp/escaped.txt", "escaped.txt"])
def test_member_names_that_leave_the_cache_are_refused(run, tmp_path: Path, exported, name: str, listed: bool) -> None:
    archive, _ = exported

    def escape(member, data, manifest):  # noqa: ANN001, ANN202
        evil = tarfile.TarInfo(name)
        if listed:  # the manifest is checked whole first; an unlisted member is refused by its name
            manifest["files"][name] = {"sha256": hashlib.sha256(b"owned").hexdigest(), "size": 5}
        return [(evil, b"owned"), (member, data)]

    r, _ = import_into(run, tmp_path, rewrite(archive, tmp_path / "evil.tar.gz", escape))
    words = "would land outside the cache's offline folders" if listed else "refusing member"
    assert r.code == 2 and words in r.err and no_traceback(r.err), r.err
    assert not any(tmp_path.parent.rglob("escaped.txt"))


def test_symlink_members_are_refused(run, tmp_path: Path, exported) -> None:
    archive, _ = exported

    def link(member, data, manifest):  # noqa: ANN001, ANN202
        sym = tarfile.TarInfo("tools/linuxdeploy")
        sym.type, sym.linkname = tarfile.SYMTYPE, "/etc/passwd"
        return [(sym, b""), (member, data)]

    r, _ = import_into(run, tmp_path, rewrite(archive, tmp_path / "link.tar.gz", link))
    assert r.code == 2 and "refusing member 'tools/linuxdeploy'" in r.err


@pytest.mark.parametrize(
    "key,value,words",
    [
        ("platform", "windows-amd64", "prefetched for windows-amd64, but this machine is"),
        ("tauri_cli", "2.0.0", "prefetched for Tauri CLI 2.0.0, but this localpack uses"),
    ],
)
def test_archive_for_another_platform_or_tauri_version_is_refused(
    run, tmp_path: Path, exported, key: str, value: str, words: str
) -> None:
    archive, _ = exported

    def retarget(member, data, manifest):  # noqa: ANN001, ANN202
        manifest[key] = value
        return [(member, data)]

    r, store = import_into(run, tmp_path, rewrite(archive, tmp_path / "other.tar.gz", retarget))
    assert r.code == 2 and words in r.err, r.err
    assert not store.exists()


def test_not_an_archive_and_nothing_to_export(run, tmp_path: Path) -> None:
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not gzip at all")
    r = run("offline", "import", str(junk))
    assert r.code == 2 and "damaged or not a .tar.gz" in r.err and no_traceback(r.err)
    r = run("offline", "export", str(tmp_path / "x.tar.gz"), "--json")
    assert r.code == 4 and json.loads(r.out)["error"]["hint"] == "run `localpack prefetch` first"
