"""Feed localpack hostile input for a bounded time and report what it should never do.

    .venv/bin/python scripts/fuzz.py --minutes 10 [--seed N] [--kinds config,ppconfig,...] [--findings DIR]

Each input is made from a seed (printed with every finding, so `--seed N --count 1 --kinds K` replays it)
and run the way a user runs localpack: the real command in a subprocess with its own LOCALPACK_HOME in a
fresh sandbox, or a request to a running `localpack ui`. Kinds:

- config    a localpack.toml: hostile values for every key (NUL bytes, lone surrogates, `~nobody`, numbers of
            thousands of digits, deep arrays, control characters, huge strings, wrong types, broken TOML);
            `render`, `render --out`, `build` (stand-in cargo), `ci init`
- ppconfig  a PakePlus ppconfig.json: the same values in its fields, deep nesting, JSON that is not JSON
            (NaN, 1e999, lone surrogates, BOMs, UTF-16), data: icons; `init --from-pakeplus`, `render --from-pakeplus`
- state     a file of localpack's own state, damaged: a build record, a pending report, the preflight memo, the
            `--out` manifest, the offline store's state, a workspace manifest; the command that reads it
- archive   an offline archive: hostile manifests, member names, member types, sizes, gzip bombs; `offline import`
- github    a GitHub reply of an unexpected shape (HTML, lists, deep JSON, huge headers, slow bodies);
            `token test`, `report --last --yes`
- ui        the same values through `localpack ui`'s forms and uploads (New app, icon preview, Import, History)

A finding is: exit 1 (localpack's "internal error"), an exit code that is not documented, a traceback, a
run that outlives its time limit (a hang), a process tree above the memory limit (killed), a file
written or changed outside what the command owns, or the ui answering 500 / dying. Findings are written
to `--findings` (default: fuzz-findings/), one folder each with the input and what localpack printed.
"""

from __future__ import annotations

import argparse
import base64
import dataclasses
import gzip
import hashlib
import io
import json
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import psutil

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import tests.ui_server  # noqa: F401 (names under localhost resolve to loopback, as browsers resolve the ui's)
from localpack.config.keys import KEYS, Kind  # this checkout's

STANDIN = REPO / "tests" / "fakes" / "cargo_standin.py"
DOCUMENTED_EXITS = {0, 2, 3, 4, 5, 130}
TIMEOUT = 60.0  # seconds per command; a hang is anything longer
GITHUB_DEADLINE = 10  # LOCALPACK_GITHUB_TIMEOUT: the most one GitHub reply may take
MEMORY_LIMIT = 1536 << 20  # bytes of resident memory of the whole process tree
TOKEN = "ghp_" + "A1b2C3d4E5f6G7h8I9j0" * 2  # a well-formed classic token (the hostile GitHub never checks)


# ---------------------------------------------------------------- hostile values
def hostile_text(r: random.Random) -> str:
    choices: list[Callable[[], str]] = [
        lambda: "a\x00b",
        lambda: "\x00",
        lambda: "~nosuchuser" + str(r.randint(0, 999)) + "/x",
        lambda: "~",
        lambda: "a\ud800b",  # a lone surrogate: TOML cannot say it, JSON can (\ud800), a form field can
        lambda: "\udcff\udcfe",
        lambda: "x" * r.choice((256, 4097, 70000, 1 << 20)),
        lambda: "".join(chr(r.randint(1, 31)) for _ in range(8)),
        lambda: "\u202e\u200b\ufeff\u2028",
        lambda: "😀" * 100,
        lambda: "../../../../etc/passwd",
        lambda: "/dev/zero",
        lambda: "/proc/self/mem",
        lambda: "$(touch /tmp/pwned) `id` ${HOME}",
        lambda: "{{ 7*7 }} {% raw %} </script><script>alert(1)</script>",
        lambda: "a\nb\r\nc",
        lambda: "",
        lambda: " ",
        lambda: "data:image/png;base64",
        lambda: "data:,",
        lambda: "https://u:p@ss@host/?access_token=abc#x",
        lambda: "http://[::1]:99999/",
        lambda: "\\\\?\\C:\\Windows",
        lambda: "C:\\Users\\x\\icon.png",
        lambda: "build",
        lambda: "%00%2e%2e/",
        lambda: "ä" * 300,
    ]
    return r.choice(choices)()


def hostile_int(r: random.Random) -> str:
    """An integer as TOML/JSON text."""
    return r.choice(
        [
            "0",
            "-1",
            "1",
            "2147483648",
            "18446744073709551616",
            "9" * 4301,
            "-" + "9" * 5000,
            "1" + "0" * 100,
            "99999999999999999999",
            "100001",
            "20",
            "500",
            "19",
            "501",
            "0x" + "f" * 2000,
        ]
    )


def deep(r: random.Random, opener: str = "[", closer: str = "]") -> str:
    n = r.choice((100, 1000, 5000, 50000))
    return opener * n + closer * n


# ---------------------------------------------------------------- TOML
def toml_string(text: str) -> str:
    out = []
    for ch in text:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif 0xD800 <= code <= 0xDFFF:
            out.append(f"\\u{code:04x}")  # TOML refuses it: the file is then not valid TOML
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def toml_value(r: random.Random, key_kind: Kind | None) -> str:
    roll = r.random()
    if roll < 0.08:
        return deep(r)
    if roll < 0.12:
        return "{ a = " * 2000 + "1" + " }" * 2000
    if key_kind is Kind.INT or roll < 0.25:
        return hostile_int(r)
    if key_kind in (Kind.LIST, Kind.PATHS, Kind.TARGETS) or roll < 0.35:
        return "[" + ", ".join(toml_string(hostile_text(r)) for _ in range(r.randint(0, 4))) + "]"
    if key_kind is Kind.BOOL and roll < 0.5:
        return r.choice(["true", "false", '"true"', "1", "nan", "inf"])
    if roll < 0.4:
        return r.choice(["1.5", "nan", "-inf", "1e400", "1979-05-27T07:32:00Z", "{}", "[]"])
    return toml_string(hostile_text(r))


def hostile_config(r: random.Random, web: Path) -> bytes:
    base = {"app": {"name": '"fuzz-app"', "url": '"https://example.com"'}}
    if r.random() < 0.3:
        base["app"] = {"name": '"fuzz-app"', "dist": toml_string(str(web))}
    for _ in range(r.randint(1, 4)):
        if r.random() < 0.9:
            key = r.choice(KEYS)
            section, name, kind = key.section, key.name, key.kind
        else:
            section, name, kind = r.choice(["app", "window", "nosuch", "behavior"]), hostile_text(r)[:40] or "k", None
        base.setdefault(section, {})[name] = toml_value(r, kind)
    lines = []
    for section, body in base.items():
        lines.append(f"[{section}]" if r.random() < 0.95 else f"[{toml_string(section)}]")
        for name, value in body.items():
            shown = name if name.replace("_", "").isalnum() and name.isascii() else toml_string(name)
            lines.append(f"{shown} = {value}")
    data = ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass")
    roll = r.random()
    if roll < 0.05:
        data = data[: r.randint(0, len(data))]  # cut anywhere
    elif roll < 0.08:
        data = b"\xff\xfe" + data  # not UTF-8
    elif roll < 0.1:
        data += b"\n# " + bytes(r.randint(0, 255) for _ in range(64))
    return data


# ---------------------------------------------------------------- JSON
def json_text(r: random.Random, value: Any) -> str:
    """`value` as JSON text, with hostile spellings json.dumps never writes (lone surrogates escaped)."""
    return json.dumps(value, ensure_ascii=True)


def hostile_json_value(r: random.Random) -> str:
    """A JSON value as text."""
    roll = r.random()
    if roll < 0.1:
        return deep(r)
    if roll < 0.15:
        n = r.choice((100, 3000))
        return '{"a":' * n + "1" + "}" * n
    if roll < 0.25:
        return r.choice(["NaN", "Infinity", "-Infinity", "1e999", "-0", "1" * 5000, "0." + "1" * 5000, "1e-400"])
    if roll < 0.35:
        return r.choice(['"\\ud800"', '"a\\udfffb"', '"\\u0000"', '"\\\\ud800"', '["\\ud83d"]', '{"\\ud800": 1}'])
    if roll < 0.45:
        return r.choice(["[]", "{}", "null", "true", "[1,2,3]", '{"a": []}', '"' + "x" * 100000 + '"'])
    return json_text(r, hostile_text(r))


PP_FIELDS = [
    "name",
    "showName",
    "version",
    "appid",
    "desc",
    "url",
    "isHtml",
    "htmlPath",
    "htmlFiles",
    "icon",
    "iconPath",
    "iconRound",
    "width",
    "height",
    "customJs",
    "jsFile",
    "filterCss",
    "debug",
    "desktop",
    "desktop.name",
    "desktop.iconPath",
    "desktop.webUrl",
    "desktop.isHtml",
    "desktop.author",
    "more",
    "more.windows",
    "more.windows.width",
    "more.windows.userAgent",
    "more.windows.titleBarStyle",
    "more.windows.minWidth",
    "more.windows.proxyUrl",
]


def tiny_png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGBA", (16, 16), (200, 0, 0, 255)).save(buf, "PNG")
    return buf.getvalue()


def hostile_icon_text(r: random.Random) -> str:
    png = base64.b64encode(tiny_png()).decode()
    svg = base64.b64encode(
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        b'width="64" height="64"><image href="/etc/hostname" width="64" height="64"/></svg>'
    ).decode()
    return r.choice(
        [
            "data:image/png;base64",
            "data:image/png;base64," + png[:-3],
            "data:image/png;base64," + png,
            "data:image/svg+xml;base64," + svg,
            "data:," + "A" * 2000,
            png * 3,
            "=" * 2048,
            "data:image/png,%00",
            "data:image/png;base64," + base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100).decode(),
        ]
    )


def hostile_ppconfig(r: random.Random, web: Path) -> bytes:
    fields: dict[str, str] = {"name": '"FuzzApp"', "url": '"https://example.com"'}
    if r.random() < 0.3:
        fields = {"name": '"FuzzApp"', "isHtml": "true", "htmlPath": json.dumps(str(web))}
    for _ in range(r.randint(1, 5)):
        field = r.choice(PP_FIELDS)
        if field == "icon" and r.random() < 0.7:
            fields[field] = json.dumps(hostile_icon_text(r))
        elif field == "jsFile" and r.random() < 0.7:
            fields[field] = "[" + ", ".join(json_text(r, hostile_text(r)) for _ in range(3)) + "]"
        else:
            fields[field] = hostile_json_value(r)
    tree: dict[str, Any] = {}
    for dotted, value in fields.items():
        node = tree
        *parents, last = dotted.split(".")
        for p in parents:
            child = node.get(p)
            if not isinstance(child, dict):
                child = node[p] = {}
            node = child
        node[last] = value

    def emit(node: Any) -> str:
        if isinstance(node, dict):
            return "{" + ", ".join(f"{json.dumps(k)}: {emit(v)}" for k, v in node.items()) + "}"
        return node

    text = emit(tree)
    roll = r.random()
    if roll < 0.05:
        return text.encode("utf-16")
    if roll < 0.1:
        return b"\xef\xbb\xbf" + text.encode()
    if roll < 0.15:
        return text.encode()[: r.randint(0, len(text))]
    if roll < 0.18:
        return b'{"name": "a\xff\xfe"}'
    return text.encode("utf-8", "surrogatepass")


# ---------------------------------------------------------------- a sandbox and one run
@dataclasses.dataclass
class Outcome:
    code: int | None
    out: str
    err: str
    seconds: float
    problem: str | None  # None: nothing localpack must not do


def snapshot(root: Path, skip: tuple[Path, ...]) -> dict[str, tuple[int, int, int]]:
    found: dict[str, tuple[int, int, int]] = {}
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        dirs[:] = [d for d in dirs if not any((here / d) == s or (here / d).is_relative_to(s) for s in skip)]
        for name in [*files, *dirs]:
            path = here / name
            try:
                st = path.lstat()
            except OSError:
                continue
            is_dir = stat.S_ISDIR(st.st_mode)  # a folder's own times change when something owned is made in it
            found[str(path.relative_to(root))] = (
                (0, 0, st.st_mode) if is_dir else (st.st_size, st.st_mtime_ns, st.st_mode)
            )
    return found


class Sandbox:
    """A fresh folder per input: home/ (LOCALPACK_HOME), work/ (the current folder, with the inputs), web/ (a web
    folder), outside/ (files nothing may touch)."""

    def __init__(self, base: Path, template_home: Path | None) -> None:
        self.root = Path(tempfile.mkdtemp(dir=base, prefix="case-"))
        self.home, self.work, self.web, self.outside = (self.root / n for n in ("home", "work", "web", "outside"))
        for folder in (self.work, self.web, self.outside):
            folder.mkdir()
        if template_home is not None:
            shutil.copytree(template_home, self.home, symlinks=True)
        (self.web / "index.html").write_text("<h1>fuzz</h1>")
        (self.outside / "private.txt").write_text("do not touch")
        (self.outside / "icon.png").write_bytes(tiny_png())

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def watch_memory(proc: subprocess.Popen, stop: threading.Event, peak: list[int]) -> None:
    while not stop.wait(0.2):
        try:
            root = psutil.Process(proc.pid)
            tree = [root, *root.children(recursive=True)]
            rss = sum(p.memory_info().rss for p in tree if p.is_running())
        except psutil.Error:
            continue
        peak[0] = max(peak[0], rss)
        if rss > MEMORY_LIMIT:
            for p in tree:
                try:
                    p.kill()
                except psutil.Error:
                    pass
            return


def run(
    box: Sandbox,
    args: list[str],
    owned: tuple[Path, ...] = (),
    env: dict[str, str] | None = None,
    timeout: float = TIMEOUT,
) -> Outcome:
    """`localpack ARGS` in the sandbox; the problem localpack must not have, if any."""
    skip = (box.home, *owned)
    before = snapshot(box.root, skip)
    full_env = {
        **os.environ,
        "LOCALPACK_HOME": str(box.home),
        "NO_COLOR": "1",
        "LOCALPACK_PROBE_URL": "http://127.0.0.1:9",
        "LOCALPACK_GITHUB_TOKEN": "",
        "GITHUB_TOKEN": "",
        "GH_TOKEN": "",
        **(env or {}),
    }
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "localpack", *args],
        cwd=box.work,
        env=full_env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    stop, peak = threading.Event(), [0]
    watcher = threading.Thread(target=watch_memory, args=(proc, stop, peak), daemon=True)
    watcher.start()
    hang = False
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        hang = True
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
    stop.set()
    seconds = time.monotonic() - started
    text_out, text_err = out.decode("utf-8", "replace"), err.decode("utf-8", "replace")
    code = proc.returncode
    problem = None
    if hang:
        problem = f"hang (over {timeout:.0f} s)"
    elif peak[0] > MEMORY_LIMIT:
        problem = f"memory (over {MEMORY_LIMIT >> 20} MiB resident, killed)"
    elif code is not None and code < 0:
        problem = f"killed by signal {-code}"
    elif "Traceback (most recent call last)" in text_out + text_err:
        problem = "traceback"
    elif code == 1:
        problem = "exit 1 (internal error)"
    elif code not in DOCUMENTED_EXITS:
        problem = f"undocumented exit {code}"
    else:
        after = snapshot(box.root, skip)
        changed = sorted(set(before.items()) ^ set(after.items()))
        if changed:
            problem = "wrote outside what it owns: " + ", ".join(sorted({p for p, _ in changed})[:5])
    return Outcome(code, text_out, text_err, seconds, problem)


# ---------------------------------------------------------------- the kinds
class Fuzzer:
    def __init__(self, base: Path, findings: Path, template_home: Path | None) -> None:
        self.base, self.findings, self.template_home = base, findings, template_home
        self.tried: Counter[str] = Counter()
        self.found: Counter[str] = Counter()
        self.problems: list[tuple[str, int, str, str]] = []
        self.github = HostileGitHub()
        self.ui: UiClient | None = None

    def record(self, kind: str, seed: int, what: str, outcome: Outcome, inputs: dict[str, bytes]) -> None:
        self.tried[kind] += 1
        if outcome.problem is None:
            return
        self.found[kind] += 1
        folder = self.findings / f"{kind}-{seed}-{self.found[kind]}"
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in inputs.items():
            (folder / name).write_bytes(data[: 4 << 20])
        (folder / "result.txt").write_text(
            f"{what}\nproblem: {outcome.problem}\nexit: {outcome.code}\n"
            f"seconds: {outcome.seconds:.1f}\n--- stdout\n{outcome.out[-20000:]}\n"
            f"--- stderr\n{outcome.err[-20000:]}\n",
            encoding="utf-8",
        )
        first = next((line for line in outcome.err.splitlines() if line.startswith("error:")), outcome.err[-300:])
        self.problems.append((kind, seed, outcome.problem, f"{what}: {first[:300]}"))
        print(f"FINDING {kind} seed={seed}: {outcome.problem}: {what}: {first[:200]}", flush=True)

    # config ------------------------------------------------------------------
    def config(self, seed: int) -> None:
        r = random.Random(seed)
        box = Sandbox(self.base, None)
        try:
            data = hostile_config(r, box.web)
            path = box.work / "localpack.toml"
            path.write_bytes(data)
            out = box.root / "out"
            choice = r.random()
            if choice < 0.45:
                args, owned = ["render", str(path)], ()
            elif choice < 0.7:
                args, owned = ["render", str(path), "--out", str(out)], (out,)
            elif choice < 0.85:
                subprocess.run(["git", "init", "-q", str(box.work)], check=True)
                args, owned = ["ci", "init", str(path)], (box.work / ".github", box.work / ".gitlab-ci.yml")
            else:
                args, owned = (
                    ["build", str(path), "--no-preflight", "--runner", str(STANDIN), "--out", str(out)],
                    (out,),
                )
            self.record(
                "config", seed, " ".join(args[: 1 + (args[0] == "ci")]), run(box, args, owned), {"localpack.toml": data}
            )
        finally:
            box.close()

    # ppconfig ----------------------------------------------------------------
    def ppconfig(self, seed: int) -> None:
        r = random.Random(seed)
        box = Sandbox(self.base, None)
        try:
            data = hostile_ppconfig(r, box.web)
            path = box.work / "ppconfig.json"
            path.write_bytes(data)
            target = box.work / "new"
            target.mkdir()
            if r.random() < 0.6:
                args, owned = ["init", "--from-pakeplus", str(path), "--dir", str(target)], (target,)
            else:
                args, owned = ["render", "--from-pakeplus", str(path)], ()
            self.record("ppconfig", seed, " ".join(args[:2]), run(box, args, owned), {"ppconfig.json": data})
        finally:
            box.close()

    # state -------------------------------------------------------------------
    def state(self, seed: int) -> None:
        r = random.Random(seed)
        box = Sandbox(self.base, self.template_home)
        try:
            target = r.choice(
                ["record", "pending", "memo", "out-manifest", "offline-state", "workspace-manifest", "runtime-meta"]
            )
            doc = hostile_state_doc(r, target)
            out = box.root / "out"
            env: dict[str, str] = {}
            owned: tuple[Path, ...] = ()
            if target == "record":
                stem = "fuzz-app-20261201T000000000000"
                planted = box.home / "state" / "builds" / f"{stem}.json"
                args = r.choice(
                    [
                        ["report", "--last", "--dry-run"],
                        ["cache", "info", "--json"],
                        ["report", str(planted), "--dry-run"],
                    ]
                )
            elif target == "pending":
                planted = box.home / "state" / "pending-reports" / "fuzz-app-20261201T000000000000-abcd1234.json"
                args = ["report", "--retry"]
                env = {"LOCALPACK_GITHUB_TOKEN": TOKEN, "LOCALPACK_GITHUB_API": "http://127.0.0.1:9"}
            elif target == "memo":
                planted = box.home / "cache" / "preflight.json"
                args, owned = (
                    [
                        "build",
                        "--url",
                        "https://example.com",
                        "--name",
                        "fuzz-app",
                        "--runner",
                        str(STANDIN),
                        "--out",
                        str(out),
                    ],
                    (out,),
                )
            elif target == "out-manifest":
                planted = out / ".localpack-artifacts.json"
                args, owned = (
                    [
                        "build",
                        "--url",
                        "https://example.com",
                        "--name",
                        "fuzz-app",
                        "--no-preflight",
                        "--runner",
                        str(STANDIN),
                        "--out",
                        str(out),
                    ],
                    (out,),
                )
            elif target == "offline-state":
                planted = box.home / "cache" / "offline" / "state.json"
                args = r.choice([["cache", "info"], ["doctor", "--offline", "--json"]])
            elif target == "runtime-meta":
                metas = sorted((box.home / "cache" / "runtimes").glob("*/runtime.json")) if box.home.exists() else []
                planted = metas[0] if metas else box.home / "cache" / "runtimes" / "x" / "runtime.json"
                args, owned = (
                    [
                        "build",
                        "--url",
                        "https://example.com",
                        "--name",
                        "fuzz-app",
                        "--no-preflight",
                        "--runner",
                        str(STANDIN),
                        "--out",
                        str(out),
                    ],
                    (out,),
                )
            else:
                planted = out / ".localpack-manifest.json"
                (out / "stale.txt").parent.mkdir(parents=True, exist_ok=True)
                args, owned = (
                    ["render", "--url", "https://example.com", "--name", "fuzz-app", "--out", str(out)],
                    (out,),
                )
            planted.parent.mkdir(parents=True, exist_ok=True)
            planted.write_bytes(doc)
            self.record(
                "state", seed, f"{target}: {' '.join(args[:2])}", run(box, args, owned, env), {planted.name: doc}
            )
        finally:
            box.close()

    # archive -----------------------------------------------------------------
    def archive(self, seed: int) -> None:
        r = random.Random(seed)
        box = Sandbox(self.base, None)
        try:
            data = hostile_archive(r)
            path = box.work / "offline.tar.gz"
            path.write_bytes(data)
            self.record(
                "archive", seed, "offline import", run(box, ["offline", "import", str(path)]), {"offline.tar.gz": data}
            )
        finally:
            box.close()

    # github ------------------------------------------------------------------
    def github_reply(self, seed: int) -> None:
        r = random.Random(seed)
        box = Sandbox(self.base, self.template_home)
        try:
            reply = self.github.choose(r)
            # each reply may take GITHUB_DEADLINE s, so a command of a few requests ends well inside TIMEOUT
            env = {
                "LOCALPACK_GITHUB_TOKEN": TOKEN,
                "LOCALPACK_GITHUB_API": self.github.url,
                "LOCALPACK_GITHUB_TIMEOUT": str(GITHUB_DEADLINE),
            }
            if r.random() < 0.5:
                args = ["token", "test", "--repo", "octo/app"]
            else:
                plant_failed_record(box.home)
                args = ["report", "--last", "--yes", "--repo", "octo/app"]
            self.record(
                "github",
                seed,
                f"{' '.join(args[:2])} ← {reply.describe()}",
                run(box, args, env=env),
                {"reply.json": json.dumps(dataclasses.asdict(reply), default=str).encode()[: 1 << 16]},
            )
        finally:
            box.close()

    # ui ----------------------------------------------------------------------
    def ui_request(self, seed: int) -> None:
        if self.ui is None:
            self.ui = UiClient(self.base)
        r = random.Random(seed)
        what, outcome, inputs = self.ui.hostile(r)
        self.record("ui", seed, what, outcome, inputs)
        if not self.ui.alive():
            self.ui.close()
            self.ui = None

    def close(self) -> None:
        self.github.close()
        if self.ui is not None:
            self.ui.close()


def hostile_state_doc(r: random.Random, target: str) -> bytes:
    if target == "record":
        base = {
            "schema": 1,
            "id": "fuzz-app-20261201T000000000000",
            "localpack": "0.1.0",
            "app": "fuzz-app",
            "title": "Fuzz",
            "version": "1.0.0",
            "config": {"app": {"name": "fuzz-app"}},
            "ok": False,
            "error": {"code": "build_failed", "message": "boom", "hint": "", "cause": None},
            "targets": ["deb"],
            "log": "",
            "artifacts": [],
            "phases": {},
            "tools": {},
            "platform": {},
            "started": "2026-12-01T00:00:00Z",
        }
    elif target == "pending":
        base = {
            "schema": 1,
            "api": "http://127.0.0.1:9",
            "repo": "octo/app",
            "title": "t",
            "body": "b",
            "labels": ["bug"],
            "signature": "abcd1234",
            "record": "fuzz-app-20261201T000000000000",
        }
    elif target == "memo":
        base = {"fingerprint": "x", "time": time.time(), "checks": []}
    elif target == "out-manifest":
        base = {"files": {"a.deb": "fuzz-app"}}
    elif target == "offline-state":
        base = {"targets": ["deb"], "apps": ["fuzz-app"]}
    elif target == "runtime-meta":
        base = {
            "schema": 1,
            "id": "x",
            "variant": {"profile": "release", "features": [], "triple": "x", "builder": "y"},
        }
    else:
        base = {"files": ["src-tauri/tauri.conf.json"]}
    text = json.dumps(base)
    key = r.choice(list(base))
    roll = r.random()
    if roll < 0.3:
        text = text.replace(
            json.dumps(key) + ": " + json.dumps(base[key]), json.dumps(key) + ": " + hostile_json_value(r), 1
        )
    elif roll < 0.45:
        text = deep(r)
    elif roll < 0.55:
        text = '{"files": ' + '{"a":' * 3000 + "1" + "}" * 3000 + "}"
    elif roll < 0.65:
        text = text[: r.randint(0, len(text))]
    elif roll < 0.7:
        return b"\xff\xfe\x00"
    elif roll < 0.8:
        text = r.choice(["[]", "null", '"x"', "1" * 5000, "NaN", '{"schema": 1e999}'])
    else:
        text = text.replace(
            json.dumps(base[key]),
            r.choice(
                ['"\\ud800"', "[" * 200 + "]" * 200, "1" * 4400, "{}", "[]", '"../../../../etc/passwd"', "null", "-1"]
            ),
            1,
        )
    return text.encode("utf-8", "surrogatepass")


def plant_failed_record(home: Path) -> None:
    """A failed build's record and log, as the build writes them (`report --last` reads them)."""
    stem = "fuzz-app-20261201T000000000000"
    logs, builds = home / "state" / "logs", home / "state" / "builds"
    logs.mkdir(parents=True, exist_ok=True)
    builds.mkdir(parents=True, exist_ok=True)
    log = logs / f"{stem}.log"
    log.write_text("# localpack build\nerror: failed to build app\n# exit 1 after 1.0s\n")
    record = {
        "schema": 1,
        "id": stem,
        "localpack": "0.1.0",
        "app": "fuzz-app",
        "title": "Fuzz",
        "version": "1.0.0",
        "config": {"app": {"name": "fuzz-app"}, "report": {"repo": "octo/app"}},
        "config_digest": "0" * 64,
        "targets": ["deb"],
        "debug": False,
        "offline": False,
        "platform": {"os": "linux"},
        "tools": {},
        "started": "2026-12-01T00:00:00Z",
        "phases": {},
        "workspace": "/tmp/x",
        "log": str(log),
        "out": "/tmp/o",
        "runtime": None,
        "duration_s": 1.0,
        "ok": False,
        "error": {"code": "build_failed", "message": "the build failed", "hint": "", "cause": None},
        "artifacts": [],
    }
    (builds / f"{stem}.json").write_text(json.dumps(record))


def hostile_archive(r: random.Random) -> bytes:
    from localpack import __version__
    from localpack.core.platform import platform_id
    from localpack.versions import TAURI_CLI

    payload = b"crate data"
    manifest: dict[str, Any] = {
        "format": "localpack-offline",
        "schema": 2,
        "localpack": __version__,
        "tauri_cli": TAURI_CLI,
        "platform": platform_id(),
        "created": "2026-12-01T00:00:00+00:00",
        "targets": ["deb"],
        "apps": ["a"],
        "files": {"vendor/a/lib.rs": {"sha256": hashlib.sha256(payload).hexdigest(), "size": len(payload)}},
    }
    members: list[tuple[tarfile.TarInfo, bytes | None]] = []
    name = "vendor/a/lib.rs"
    roll = r.random()
    manifest_text: str | None = None
    if roll < 0.15:
        manifest_text = '{"format": "localpack-offline", "schema": 2, "files": ' + deep(r) + "}"
    elif roll < 0.25:
        key = r.choice(list(manifest))
        manifest[key] = json.loads(r.choice(["null", "[]", "{}", '"x"', "-1", "1e300", '{"a": {"sha256": 1}}']))
    elif roll < 0.35:
        name = r.choice(
            [
                "../escape",
                "/abs/file",
                "vendor/../../escape",
                "vendor/" + "a" * 300,
                "vendor/a\x00b",
                "vendor/a\nb",
                "vendor/./././a",
                "vendor/",
            ]
        )
        manifest["files"] = {name: manifest["files"]["vendor/a/lib.rs"]}
    elif roll < 0.45:
        manifest["files"]["vendor/a/lib.rs"]["size"] = r.choice([10**30, -5, 0, 2**63, "9" * 5000])
    elif roll < 0.5:
        manifest_text = json.dumps(manifest).replace('"deb"', '"\\ud800"')
    elif roll < 0.55:
        manifest_text = json.dumps(manifest).replace('"schema": 2', '"schema": ' + "2" * 4500)
    text = manifest_text if manifest_text is not None else json.dumps(manifest)
    info = tarfile.TarInfo("manifest.json")
    body = text.encode("utf-8", "surrogatepass")
    info.size = len(body)
    members.append((info, body))
    kind = r.random()
    member = tarfile.TarInfo(name)
    if kind < 0.1:
        member.type, member.linkname = tarfile.SYMTYPE, "/etc/passwd"
        members.append((member, None))
    elif kind < 0.2:
        member.type, member.linkname = tarfile.LNKTYPE, "manifest.json"
        members.append((member, None))
    elif kind < 0.25:
        member.type = tarfile.CHRTYPE
        member.devmajor, member.devminor = 1, 3
        members.append((member, None))
    elif kind < 0.3:
        member.type = tarfile.DIRTYPE
        members.append((member, None))
    else:
        member.size = len(payload)
        members.append((member, payload))
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for info, data in members:
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    tar_bytes = raw.getvalue()
    roll = r.random()
    if roll < 0.1:
        return gzip.compress(tar_bytes + b"\x00" * (20 << 20))  # a bomb past the manifest's total
    if roll < 0.15:
        return gzip.compress(tar_bytes)[: r.randint(10, 200)]
    if roll < 0.2:
        return tar_bytes  # not gzip
    if roll < 0.22:
        return b"\x1f\x8b" + bytes(r.randint(0, 255) for _ in range(100))
    return gzip.compress(tar_bytes)


# ---------------------------------------------------------------- a hostile GitHub
@dataclasses.dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes
    trickle: float = 0.0  # seconds between bytes

    def describe(self) -> str:
        return f"{self.status} {self.headers.get('Content-Type', '')} {len(self.body)} bytes" + (
            f" trickled at {self.trickle}s/byte" if self.trickle else ""
        )


class HostileGitHub:
    def __init__(self) -> None:
        self.reply = Reply(200, {}, b"{}")
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(min(length, 1 << 20))
                reply = outer.reply
                try:
                    self.send_response(reply.status)
                    for k, v in reply.headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    if reply.trickle:
                        for i in range(len(reply.body)):
                            self.wfile.write(reply.body[i : i + 1])
                            self.wfile.flush()
                            time.sleep(reply.trickle)
                    else:
                        self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = do_POST = do_PATCH = _answer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def choose(self, r: random.Random) -> Reply:
        json_type = {"Content-Type": "application/json; charset=utf-8"}
        status = r.choice([200, 200, 201, 401, 403, 404, 410, 422, 429, 500, 502, 301])
        body = r.choice(
            [
                b"<html><body>Unicorn!</body></html>",
                b"[]",
                b'"a string"',
                b"null",
                b"1" * 5000,
                json.dumps({"message": {"nested": ["errors"] * 3}, "errors": [{"code": {"x": 1}}]}).encode(),
                json.dumps({"items": "not a list", "total_count": "x"}).encode(),
                json.dumps({"items": [1, "x", None, {"number": "1"}]}).encode(),
                json.dumps({"login": ["x"], "html_url": 5, "number": None}).encode(),
                b"[" * 100000,
                b'{"message": "\\ud800"}',
                b"{bad json",
                b"",
                json.dumps(
                    {
                        "login": "octo",
                        "permissions": {"push": True},
                        "has_issues": True,
                        "private": False,
                        "html_url": "https://github.com/octo/app/issues/1",
                        "number": 1,
                        "items": [],
                    }
                ).encode(),
            ]
        )
        headers = dict(json_type if r.random() < 0.7 else {"Content-Type": "text/html"})
        if r.random() < 0.3:
            headers.update(
                {
                    "X-RateLimit-Remaining": "0",
                    "X-RateLimit-Reset": r.choice(["9" * 400, "-1", "x", "1e308"]),
                    "Retry-After": r.choice(["9" * 300, "soon", "-5"]),
                }
            )
        if r.random() < 0.2:
            headers["X-OAuth-Scopes"] = r.choice(["", ",,,", "repo" * 10000])
        trickle = 0.0
        if r.random() < 0.03:
            body, trickle = b'{"login": "octo"}' + b" " * 400, 0.25  # about 100 s for the whole body
        elif r.random() < 0.03:
            body = b'{"login": "' + b"x" * (300 << 20) + b'"}'  # 300 MB
        self.reply = Reply(status, headers, body, trickle)
        return self.reply

    def close(self) -> None:
        self.server.shutdown()


# ---------------------------------------------------------------- the ui
class UiClient:
    def __init__(self, base: Path) -> None:
        import requests

        self.box = Sandbox(base, None)
        self.folder = self.box.work
        for name in ("new", "imp"):  # where the pages save: made once, so only their content changes
            (self.folder / name).mkdir()
        env = {**os.environ, "LOCALPACK_HOME": str(self.box.home), "NO_COLOR": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "localpack", "ui", "--no-browser", "--dir", str(self.folder)],
            cwd=self.folder,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        assert self.proc.stdout is not None
        url = self.proc.stdout.readline().strip()  # http://<this run's name>.localhost:PORT/?key=…
        if not url.startswith("http://"):
            self.proc.kill()  # so that its stderr ends
            raise RuntimeError(f"localpack ui did not start: {self.proc.stderr.read() if self.proc.stderr else ''}")
        self.base = url.split("/?")[0].split("?")[0].rstrip("/")
        self.said: list[str] = []  # the server's stderr (a traceback of a 500 is there), read all along
        threading.Thread(target=self._drain, daemon=True).start()
        self.session = requests.Session()
        self.session.headers["Origin"] = self.base
        self.session.get(url, timeout=30)

    def _drain(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.said = [*self.said[-200:], line]

    def alive(self) -> bool:
        return self.proc.poll() is None

    def hostile(self, r: random.Random) -> tuple[str, Outcome, dict[str, bytes]]:
        import requests

        roll = r.random()
        inputs: dict[str, bytes] = {}
        before = snapshot(self.box.root, (self.box.home,))
        started = time.monotonic()
        allowed: tuple[Path, ...] = ()
        try:
            if roll < 0.45:
                form: dict[str, str] = {
                    "source": r.choice(["url", "dist"]),
                    "app.url": "https://example.com",
                    "app.dist": str(self.box.web),
                    "directory": str(self.folder / "new"),
                }
                for _ in range(r.randint(1, 4)):
                    key = r.choice(KEYS)
                    form[key.dotted] = r.choice([hostile_text(r), hostile_int(r), hostile_text(r)])
                if r.random() < 0.2:
                    form["directory"] = str(self.folder / "new") + "/" + hostile_text(r)  # a folder under new/, or none
                form = {
                    k: v.encode("utf-8", "surrogatepass").decode("utf-8", "replace") if r.random() < 0.5 else v
                    for k, v in form.items()
                }
                inputs["form.json"] = json.dumps(form, ensure_ascii=True).encode()
                allowed = (self.folder / "new",)
                files = None
                if r.random() < 0.2:
                    files = {"icon_file": ("icon.png", hostile_upload(r), "image/png")}
                resp = self.session.post(self.base + "/new", data=_encodable(form), files=files, timeout=TIMEOUT)
                what = "POST /new"
            elif roll < 0.6:
                data = hostile_upload(r)
                inputs["upload.bin"] = data[: 1 << 16]
                resp = self.session.post(
                    self.base + "/icon-preview", files={"icon_file": ("x.png", data, "image/png")}, timeout=TIMEOUT
                )
                what = f"POST /icon-preview ({len(data)} bytes)"
            elif roll < 0.8:
                data = hostile_ppconfig(r, self.box.web)
                inputs["ppconfig.json"] = data
                target = self.folder / "imp"
                resp = self.session.post(
                    self.base + "/import",
                    data={"directory": str(target)},
                    files={"ppconfig": ("ppconfig.json", data, "application/json")},
                    timeout=TIMEOUT,
                )
                what = "POST /import"
                # a refused upload must not stay in the folder; a converted one leaves the upload and its config
                allowed = (target,) if resp.status_code == 200 else ()
            else:
                doc = hostile_state_doc(r, "record")
                inputs["record.json"] = doc
                builds = self.box.home / "state" / "builds"
                builds.mkdir(parents=True, exist_ok=True)
                for old in builds.glob("*.json"):
                    old.unlink()
                (builds / "fuzz-app-20261201T000000000000.json").write_bytes(doc)
                path = r.choice(["/history", "/history/fuzz-app-20261201T000000000000"])
                resp = self.session.get(self.base + path, timeout=TIMEOUT)
                what = f"GET {path}"
            code = resp.status_code
            text = resp.text[-3000:]
            problem = None
            if code >= 500:
                problem = f"HTTP {code}"
        except requests.Timeout:
            code, text, problem, what = None, "", f"hang (over {TIMEOUT:.0f} s)", locals().get("what", "request")
        except requests.ConnectionError as e:
            code, text, problem, what = (
                None,
                str(e),
                "the ui died or dropped the connection",
                locals().get("what", "request"),
            )
        if problem is None:
            after = snapshot(self.box.root, (self.box.home, *allowed))
            before = {
                k: v
                for k, v in before.items()
                if not any((self.box.root / k).is_relative_to(a) and (self.box.root / k) != a for a in allowed)
            }
            after = {k: v for k, v in after.items() if (self.box.root / k) not in allowed}
            before = {k: v for k, v in before.items() if (self.box.root / k) not in allowed}
            changed = sorted(set(before.items()) ^ set(after.items()))
            if changed:
                problem = "wrote outside what it owns: " + ", ".join(sorted({p for p, _ in changed})[:5])
        for folder in (self.folder / "new", self.folder / "imp"):
            for path in folder.iterdir():
                shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
        said = "".join(self.said) if problem else ""
        self.said = []
        return what, Outcome(code, text, said, time.monotonic() - started, problem), inputs

    def close(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        self.box.close()


def _encodable(form: dict[str, str]) -> dict[str, bytes]:
    return {k: v.encode("utf-8", "surrogatepass") for k, v in form.items()}


def hostile_upload(r: random.Random) -> bytes:
    roll = r.random()
    if roll < 0.15:
        return os.urandom(1024) * (40 << 10)  # 40 MB
    if roll < 0.3:
        return b"\x89PNG\r\n\x1a\n" + os.urandom(200)
    if roll < 0.45:
        from PIL import Image

        buf = io.BytesIO()
        Image.new("L", (r.choice((100000, 60000)), 1)).save(buf, "PNG")  # a tiny file of a huge side
        return buf.getvalue()
    if roll < 0.6:
        return (
            b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
            + b"<g>" * 20000
            + b"</g>" * 20000
            + b"</svg>"
        )
    if roll < 0.7:
        return b""
    return tiny_png()


# ---------------------------------------------------------------- main
KINDS: dict[str, Callable[[Fuzzer, int], None]] = {
    "config": Fuzzer.config,
    "ppconfig": Fuzzer.ppconfig,
    "state": Fuzzer.state,
    "archive": Fuzzer.archive,
    "github": Fuzzer.github_reply,
    "ui": Fuzzer.ui_request,
}


def template_home(base: Path) -> Path | None:
    """A LOCALPACK_HOME in which one app was built with the stand-in cargo: runtimes, workspace, record, memo."""
    home = base / "template-home"
    box_out = base / "template-out"
    env = {**os.environ, "LOCALPACK_HOME": str(home), "NO_COLOR": "1"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "localpack",
            "build",
            "--url",
            "https://example.com",
            "--name",
            "fuzz-app",
            "--runner",
            str(STANDIN),
            "--no-preflight",
            "--out",
            str(box_out),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        print(f"note: the template build failed ({done.stderr.strip()[-300:]}); state inputs start from an empty home")
        shutil.rmtree(home, ignore_errors=True)
        return None
    shutil.rmtree(home / "cache" / "cargo-target", ignore_errors=True)  # large; a build makes its own
    return home


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="how long to run (default 10)")
    parser.add_argument("--seed", type=int, default=None, help="first seed (default: from the clock)")
    parser.add_argument("--count", type=int, default=0, help="stop after this many inputs (0: only the time)")
    parser.add_argument("--kinds", default=",".join(KINDS), help=f"comma-separated, of {', '.join(KINDS)}")
    parser.add_argument("--findings", type=Path, default=REPO / "fuzz-findings", help="where findings are written")
    args = parser.parse_args()
    kinds = [k for k in args.kinds.split(",") if k]
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        parser.error(f"unknown kinds: {', '.join(unknown)}")
    seed = args.seed if args.seed is not None else int(time.time())
    base = Path(tempfile.mkdtemp(prefix="localpack-fuzz-"))
    print(f"fuzzing {', '.join(kinds)} for {args.minutes:g} min from seed {seed}; sandboxes in {base}", flush=True)
    deadline = time.monotonic() + args.minutes * 60
    fuzzer = Fuzzer(base, args.findings, template_home(base) if {"state", "github"} & set(kinds) else None)
    n = 0
    started = time.monotonic()
    try:
        while time.monotonic() < deadline and (not args.count or n < args.count):
            kind = kinds[n % len(kinds)]
            KINDS[kind](fuzzer, seed + n)
            n += 1
            if n % 50 == 0:
                print(
                    f"{n} inputs, {sum(fuzzer.found.values())} findings, {time.monotonic() - started:.0f} s", flush=True
                )
    except KeyboardInterrupt:
        print("interrupted")
    finally:
        fuzzer.close()
        shutil.rmtree(base, ignore_errors=True)
    elapsed = time.monotonic() - started
    print(f"\n{n} inputs in {elapsed / 60:.1f} min (seeds {seed}..{seed + n - 1})")
    print(f"{'kind':<10} {'tried':>6} {'findings':>9}")
    for kind in kinds:
        print(f"{kind:<10} {fuzzer.tried[kind]:>6} {fuzzer.found[kind]:>9}")
    by_problem = Counter((kind, problem.split(":")[0]) for kind, _seed, problem, _what in fuzzer.problems)
    for (kind, problem), count in sorted(by_problem.items()):
        print(f"  {kind}: {problem} ×{count}")
    if fuzzer.problems:
        print(f"details: {args.findings}")
    return 1 if fuzzer.problems else 0


if __name__ == "__main__":
    sys.exit(main())
