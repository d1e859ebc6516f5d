"""Values that reach package metadata are safe for each format: the .deb control file, the rpm header, the
desktop entries, and the Windows installer's XML. Built with the real Tauri CLI (stand-in cargo)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import rpmfile

from tests.conftest import no_traceback, write_config
from tests.test_build import BUILD, deb_file_text

# What Tauri CLI 2.12.5 writes into a .deb's control file, and nothing else.
DEB_FIELDS = {
    "Package",
    "Version",
    "Architecture",
    "Installed-Size",
    "Maintainer",
    "Priority",
    "Depends",
    "Description",
}
INJECTED = ("Pre-Depends: evil-package", "Conflicts: libc6", "Exec=evil", "Provides: x")


@pytest.fixture
def tauri_env(tauri_cli: Path) -> dict[str, str]:
    return {"LOCALPACK_TAURI": str(tauri_cli)}


def control_fields(deb: Path) -> dict[str, str]:
    """The control file as dpkg reads it (dpkg-deb -I fails on a malformed one)."""
    subprocess.run(["dpkg-deb", "-I", str(deb)], capture_output=True, check=True)
    text = subprocess.run(["dpkg-deb", "-f", str(deb)], capture_output=True, text=True, check=True).stdout
    fields: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith(" "):
            continue
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return fields


def toml_string(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid TOML basic string


@pytest.mark.parametrize(
    "description",
    [
        "A nice app\nPre-Depends: evil-package\nConflicts: libc6",  # fields smuggled into the control file
        "first line\nno colon here, which made the .deb unreadable\n\n\tExec=evil",  # and a desktop-entry key
        "two\n\nPre-Depends: evil-package",  # a blank line ends the control stanza
    ],
)
def test_descriptions_cannot_add_package_fields(run, tmp_path: Path, tauri_env, description: str) -> None:
    long_description = "Details\nPre-Depends: evil-package\n\n.\nConflicts: libc6"
    write_config(
        tmp_path,
        f"""
[app]
name = "meta"
url = "https://example.com"
description = {toml_string(description)}
[bundle]
long_description = {toml_string(long_description)}
""",
    )
    r = run(*BUILD, "--targets", "deb,rpm", env=tauri_env)
    assert r.code == 0, r.err
    one_line = " ".join(description.split())
    deb = tmp_path / "dist" / "meta_1.0.0_amd64.deb"
    fields = control_fields(deb)
    assert set(fields) <= DEB_FIELDS, fields
    assert fields["Description"] == one_line
    control = subprocess.run(["dpkg-deb", "-f", str(deb), "Description"], capture_output=True, text=True).stdout
    for line in control.splitlines()[1:]:  # the long description only as continuation lines
        assert line.startswith(" ")
    with rpmfile.open(tmp_path / "dist" / "meta-1.0.0-1.x86_64.rpm") as rpm:
        assert rpm.headers["summary"].decode() == one_line
        desktop = rpm.extractfile("./usr/share/applications/meta.desktop").read().decode()
    for entry in (desktop, deb_file_text(deb, "/usr/share/applications/meta.desktop")):
        keys = [line.split("=", 1)[0] for line in entry.splitlines() if "=" in line]
        assert keys.count("Comment") == 1 and "Exec" in keys and keys.count("Exec") == 1
        assert not any(line.startswith(bad) for line in entry.splitlines() for bad in INJECTED)


def test_a_pakeplus_desc_is_one_line_too(run, tmp_path: Path, tauri_env) -> None:
    (tmp_path / "ppconfig.json").write_text(
        json.dumps(
            {
                "name": "PpMeta",
                "url": "https://example.com",
                "desc": "Imported\nPre-Depends: evil-package\nConflicts: libc6",
            }
        )
    )
    r = run(*BUILD, "--targets", "deb", "--from-pakeplus", "ppconfig.json", env=tauri_env)
    assert r.code == 0, r.err
    fields = control_fields(tmp_path / "dist" / "pp-meta_1.0.0_amd64.deb")
    assert set(fields) <= DEB_FIELDS and fields["Description"] == "Imported Pre-Depends: evil-package Conflicts: libc6"


@pytest.mark.parametrize(
    "publisher",
    [
        'ACME "Corp"',
        "Tom & Jerry",
        "<b>ACME</b>",
        "A\\B",
        "{{manufacturer}}",
        "$(env.PATH)",
        "!(loc.X)",
        "[ProductCode]",
    ],
)
def test_a_publisher_the_windows_installer_would_read_as_markup_is_refused(run, tmp_path: Path, publisher: str) -> None:
    write_config(
        tmp_path, f'[app]\nname = "meta"\nurl = "https://example.com"\n[bundle]\npublisher = {toml_string(publisher)}\n'
    )
    r = run("render")
    assert r.code == 2 and "bundle.publisher" in r.err and "hint:" in r.err and no_traceback(r.err)
    assert not (tmp_path / "lphome").exists()


@pytest.mark.parametrize(
    "title,targets,shown",
    [
        ("Tom & Jerry <3 {{x}} [y] $(env.X)", "", "Tom Jerry 3 x y (env.X)"),  # an msi may be built: no markup
        ("Tom & Jerry", '"msi", "nsis"', "Tom Jerry"),
        ("Tom & Jerry", '"nsis"', "Tom & Jerry"),  # NSIS escapes what it is given
        ("&&& {{}}", '"msi"', "meta"),  # nothing readable left: the machine name
    ],
)
def test_the_windows_product_name_carries_no_markup_into_wix(
    tmp_path: Path, run, title: str, targets: str, shown: str
) -> None:
    write_config(
        tmp_path,
        f'[app]\nname = "meta"\nurl = "https://example.com"\ntitle = {toml_string(title)}\n'
        f"[bundle]\ntargets = [{targets}]\n",
    )
    r = run("render", "--out", "ws")
    assert r.code == 0, r.err
    windows = json.loads((tmp_path / "ws" / "src-tauri" / "tauri.windows.conf.json").read_text())
    assert windows["productName"] == shown
