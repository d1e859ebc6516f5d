"""Windows without a compiler: the app's icon and version info written into its copy of the runtime exe
(localpack/build/exe_resources.py), read back the way Windows reads them.

The exe here is a real PE with the resources a compiled Tauri exe carries (an icon group and VS_VERSIONINFO), made
with Debian's mingw-w64 (`apt-get install gcc-mingw-w64-x86-64-win32`); the Tauri runtime itself is not
cross-compiled here, so its exe is stamped by the release workflow's Windows job (scripts/runtime_wheel.py --check
builds an nsis installer around it). Read back with pefile, which follows the resource data directory as the
Windows loader does, independently of LIEF that wrote it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from localpack.build import exe_resources
from localpack.build.pipeline import exe_info
from localpack.config import model as config

pefile = pytest.importorskip("pefile")
GCC, WINDRES = "x86_64-w64-mingw32-gcc", "x86_64-w64-mingw32-windres"

RC = """1 ICON "runtime.ico"
1 VERSIONINFO
FILEVERSION 1,0,0,0
PRODUCTVERSION 1,0,0,0
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "040904b0"
    BEGIN
      VALUE "ProductName", "localpack-runtime"
      VALUE "FileDescription", "localpack-runtime"
      VALUE "FileVersion", "1.0.0"
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x409, 1200
  END
END
"""


@pytest.fixture(scope="module")
def runtime_exe(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which(GCC) is None or shutil.which(WINDRES) is None:
        reason = "mingw-w64 is not installed (scripts/test installs gcc-mingw-w64-x86-64-win32)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("pe")
    Image.new("RGBA", (32, 32), (255, 0, 0, 255)).save(folder / "runtime.ico", sizes=[(32, 32)])
    (folder / "app.rc").write_text(RC)
    (folder / "app.c").write_text("int main(void) { return 0; }\n")
    subprocess.run([WINDRES, "app.rc", "-O", "coff", "-o", "app.res"], cwd=folder, check=True)
    subprocess.run([GCC, "-O1", "-s", "app.c", "app.res", "-o", "runtime.exe"], cwd=folder, check=True)
    return folder / "runtime.exe"


def strings(exe: Path) -> dict[str, str]:
    pe = pefile.PE(str(exe))
    found: dict[str, str] = {}
    for info in pe.FileInfo[0]:
        if info.Key == b"StringFileInfo":
            for table in info.StringTable:
                found |= {k.decode(): v.decode() for k, v in table.entries.items()}
    return found


def icon_sizes(exe: Path) -> list[tuple[int, int]]:
    pe = pefile.PE(str(exe))
    by_type = {e.id: e for e in pe.DIRECTORY_ENTRY_RESOURCE.entries}
    group = by_type[exe_resources.RT_GROUP_ICON].directory.entries[0].directory.entries[0].data.struct
    blob = pe.get_data(group.OffsetToData, group.Size)
    count = int.from_bytes(blob[4:6], "little")
    return [(blob[6 + 14 * i] or 256, blob[7 + 14 * i] or 256) for i in range(count)]


def test_the_apps_icon_and_version_info_replace_the_runtimes(runtime_exe: Path, tmp_path: Path) -> None:
    cfg = config.load(
        None,
        {
            "app.name": "fresh-app",
            "app.url": "https://example.com/",
            "app.title": "Fresh «App» 中文",
            "app.version": "2.3.4",
            "app.description": "A fresh\napp",
            "bundle.publisher": "Me Inc",
            "bundle.copyright": "© 2026 Me",
            "bundle.targets": ["nsis"],
        },
    )
    ico = tmp_path / "icon.ico"
    Image.new("RGBA", (256, 256), (0, 0, 255, 255)).save(ico, sizes=[(16, 16), (32, 32), (48, 48), (256, 256)])
    exe = tmp_path / "fresh-app.exe"
    shutil.copyfile(runtime_exe, exe)
    assert strings(exe)["ProductName"] == "localpack-runtime" and icon_sizes(exe) == [(32, 32)]

    exe_resources.stamp(exe, exe_info(cfg), ico)

    got = strings(exe)
    assert got["FileDescription"] == "A fresh app" and got["FileVersion"] == got["ProductVersion"] == "2.3.4"
    assert got["LegalCopyright"] == "© 2026 Me" and got["CompanyName"] == "Me Inc"
    assert got["InternalName"] == "fresh-app" and got["OriginalFilename"] == "fresh-app.exe"
    assert got["ProductName"] == "Fresh «App» 中文"  # the title, as the Windows installers name the app
    fixed = pefile.PE(str(exe)).VS_FIXEDFILEINFO[0]
    assert (fixed.FileVersionMS, fixed.FileVersionLS) == ((2 << 16) | 3, 4 << 16)
    assert sorted(icon_sizes(exe)) == [(16, 16), (32, 32), (48, 48), (256, 256)]
    assert runtime_exe.read_bytes() != exe.read_bytes() and strings(runtime_exe)["ProductName"] == "localpack-runtime"


def test_a_file_that_is_not_an_ico_is_refused() -> None:
    for bad in (b"", b"\x00\x00\x02\x00\x01\x00", b"\x00\x00\x01\x00\x01\x00" + b"\x00" * 8 + b"\xff" * 8):
        with pytest.raises(ValueError):
            exe_resources.icon_images(bad)


def test_a_version_part_too_large_for_the_fixed_field_is_held_there_and_kept_in_the_strings() -> None:
    blob = exe_resources.version_info(exe_resources.ExeInfo("A", "A", "70000.1.2"))
    assert "70000.1.2".encode("utf-16-le") in blob
    assert (0xFFFF << 16 | 1).to_bytes(4, "little") in blob
