"""`offline import` is bounded by its manifest: every field is checked before anything is extracted or moved,
the declared sizes must fit the free space, members are held to their declared size, sparse members are
refused, and a stream that unpacks to more than was declared is stopped. All refusals exit 2."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import tarfile
from pathlib import Path

import pytest

from tests.conftest import no_traceback
from tests.test_offline_archive import exported, import_into, rewrite  # noqa: F401  (fixture)


def refused(r, store: Path, words: str) -> None:  # noqa: ANN001
    assert r.code == 2 and words in r.err and "hint:" in r.err and no_traceback(r.err), r.err
    assert not store.exists() or not any(p.is_file() for p in store.rglob("*"))  # nothing moved into the store


@pytest.mark.parametrize(
    "change,words",
    [
        ({"targets": 5}, "'targets' must be a list"),
        ({"targets": ["deb", {"x": 1}]}, "'targets' must be a list"),
        ({"targets": ["floppy"]}, "'targets' must be a list"),
        ({"apps": [{}]}, "'apps' must be a list of app names"),
        ({"apps": "example"}, "'apps' must be a list of app names"),
        ({"apps": ["../escape"]}, "'apps' must be a list of app names"),
        ({"localpack": 1}, "'localpack' must be a version"),
        ({"files": []}, "'files' must list"),
        ({"files": {}}, "'files' must list"),
    ],
)
def test_a_manifest_of_the_wrong_shape_is_refused_before_anything_moves(
    run, tmp_path: Path, exported, change: dict, words: str
) -> None:
    archive, _ = exported

    def edit(member, data, manifest):  # noqa: ANN001, ANN202
        manifest.update(change)
        return [(member, data)]

    r, store = import_into(run, tmp_path, rewrite(archive, tmp_path / "shape.tar.gz", edit))
    refused(r, store, words)


@pytest.mark.parametrize(
    "entry",
    [
        "0" * 64,  # schema 1's bare digest: no size
        {"sha256": "0" * 64},
        {"sha256": "0" * 64, "size": -1},
        {"sha256": "0" * 64, "size": "12"},
        {"sha256": "0" * 64, "size": True},
        {"sha256": "not hex", "size": 12},
    ],
)
def test_every_file_needs_a_digest_and_a_size(run, tmp_path: Path, exported, entry: object) -> None:
    archive, _ = exported

    def edit(member, data, manifest):  # noqa: ANN001, ANN202
        manifest["files"][member.name] = entry
        return [(member, data)]

    r, store = import_into(run, tmp_path, rewrite(archive, tmp_path / "entry.tar.gz", edit))
    refused(r, store, "needs a sha256 (64 hex digits) and a size")


def test_a_declared_total_beyond_the_free_space_is_refused_before_extracting(run, tmp_path: Path, exported) -> None:
    archive, _ = exported

    def edit(member, data, manifest):  # noqa: ANN001, ANN202
        manifest["files"][member.name]["size"] = 10**15  # a petabyte
        return [(member, data)]

    r, store = import_into(run, tmp_path, rewrite(archive, tmp_path / "huge.tar.gz", edit))
    refused(r, store, "GiB free")


def test_members_are_held_to_their_declared_size(run, tmp_path: Path, exported) -> None:
    archive, _ = exported
    bomb = b"\0" * (32 << 20)  # 32 MiB of zeros: a few KiB compressed

    def edit(member, data, manifest):  # noqa: ANN001, ANN202
        if member.name.endswith("AppRun-x86_64"):  # same digest as the manifest says, another size
            manifest["files"][member.name] = {"sha256": hashlib.sha256(bomb).hexdigest(), "size": len(data)}
            return [(member, bomb)]
        return [(member, data)]

    r, store = import_into(run, tmp_path, rewrite(archive, tmp_path / "bomb.tar.gz", edit))
    refused(r, store, "bytes, but the manifest says")


def test_a_stream_that_unpacks_past_the_manifest_is_stopped(run, tmp_path: Path, exported) -> None:
    archive, _ = exported
    src = tmp_path / "big-pax.tar.gz"
    with tarfile.open(archive, "r:gz") as tar:
        members = [(m, tar.extractfile(m).read() if m.isfile() else b"") for m in tar]
    with tarfile.open(src, "w:gz", format=tarfile.PAX_FORMAT) as out:
        for i, (member, data) in enumerate(members):
            if i == 1:  # a 24 MiB extended header: nothing the manifest declares
                member.pax_headers = {"comment": "x" * (24 << 20)}
            out.addfile(member, io.BytesIO(data))
    assert src.stat().st_size < 1 << 20
    r, store = import_into(run, tmp_path, src)
    refused(r, store, "unpacks to more data than its manifest declares")


def test_sparse_members_are_refused(run, tmp_path: Path, exported) -> None:
    archive, _ = exported
    work = tmp_path / "sparse"
    with tarfile.open(archive, "r:gz") as tar:
        tar.extractall(work, filter="data")
    manifest = json.loads((work / "manifest.json").read_text())
    hole = work / "tools" / "hole.bin"
    subprocess.run(["truncate", "-s", "10G", str(hole)], check=True)  # 10 GiB that take no space
    manifest["files"]["tools/hole.bin"] = {"sha256": "0" * 64, "size": 5}
    (work / "manifest.json").write_text(json.dumps(manifest))
    names = ["manifest.json", *manifest["files"]]
    crafted = tmp_path / "sparse.tar.gz"
    subprocess.run(["tar", "--sparse", "--format=gnu", "-czf", str(crafted), "-C", str(work), *names], check=True)
    assert crafted.stat().st_size < 1 << 20
    r, store = import_into(run, tmp_path, crafted)
    refused(r, store, "refusing member 'tools/hole.bin'")
