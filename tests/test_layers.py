"""The package's layers stay floors: each module imports only its own floor and the floors below it, no
two modules import each other (directly or round a loop), imports sit at the top of their module, and
`localpack --help` loads no command's module. Imports are read with `ast`, those inside functions too."""

from __future__ import annotations

import ast
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from localpack import cli

PACKAGE = Path(cli.__file__).resolve().parent.parent

# Bottom to top. A module belongs to the longest entry its name starts with; "localpack" is the top-level
# modules (errors, paths, output, versions, fsutil, jsonio); __main__ only starts the CLI, so it is the roof. cli/ and
# ui/ (the local web page) share the top floor, side by side: see test_ui_and_cli_stand_side_by_side.
FLOORS: list[str | tuple[str, ...]] = [
    "localpack",
    "localpack.core",
    "localpack.config",
    "localpack.toolchain",
    "localpack.project",
    "localpack.offline",
    "localpack.build",
    "localpack.report",
    "localpack.ci",
    ("localpack.cli", "localpack.ui"),
    "localpack.__main__",
]
# The one module of cli/ that may import ui/: the thin `localpack ui` command. ui/ never imports cli/.
UI_COMMAND = "localpack.cli.ui"
MAX_TOP_LEVEL_FILES = 9  # errors, paths, output, events, versions, fsutil, jsonio, __init__, __main__
MAX_LAZY_IMPORTS = 10


@dataclass(frozen=True)
class Import:
    source: str  # importing module
    target: str  # imported module
    where: str  # file:line
    lazy: bool  # inside a function
    comment: str  # the source line (and the one above), to find `# lazy: <reason>`


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def all_modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports() -> list[Import]:
    modules = all_modules()
    found = []
    for name, path in modules.items():
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        tree = ast.parse(text, str(path))
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}

        def in_function(node: ast.AST, parents: dict[ast.AST, ast.AST] = parents) -> bool:
            while node in parents:
                node = parents[node]
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                    return True
            return False

        for node in ast.walk(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # relative: from the importing module's package
                    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
                    base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
                # `from pkg import mod` imports the module pkg.mod, not only pkg's __init__
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, (ast.Attribute, ast.Name))
                and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            ):
                targets = ["localpack.<dynamic>"]  # importlib.import_module: counted as a lazy import
            context = "\n".join(lines[max(0, node.lineno - 2) : node.lineno]) if targets else ""
            for target in dict.fromkeys(targets):
                if target == "localpack" or target.startswith("localpack."):
                    found.append(
                        Import(
                            name,
                            target,
                            f"{path.relative_to(PACKAGE.parent)}:{node.lineno}",
                            in_function(node),
                            context,
                        )
                    )
    return found


def prefixes(i: int) -> tuple[str, ...]:
    entry = FLOORS[i]
    return entry if isinstance(entry, tuple) else (entry,)


def under(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def floor(module: str) -> int:
    matches = [(len(p), i) for i in range(len(FLOORS)) for p in prefixes(i) if under(module, p)]
    return max(matches)[1]


def floor_name(module: str) -> str:
    return " / ".join(prefixes(floor(module)))


def test_every_import_points_at_a_module_that_exists() -> None:
    modules = all_modules()
    wrong = [
        f"{i.where}: {i.source} imports {i.target}, which is not a module of localpack"
        for i in imports()
        if i.target not in modules and i.target != "localpack.<dynamic>"
    ]
    assert not wrong, "\n".join(wrong)


def test_each_module_imports_only_its_floor_and_the_floors_below() -> None:
    upward = [
        f"{i.where}: {i.source} (floor {floor_name(i.source)}) imports {i.target} "
        f"(floor {floor_name(i.target)}, above it)"
        for i in imports()
        if i.target in all_modules() and floor(i.target) > floor(i.source)
    ]
    assert not upward, "imports that go up a floor:\n" + "\n".join(upward)


def test_no_import_cycle_between_modules() -> None:
    graph: dict[str, set[str]] = {}
    for i in imports():
        if i.target in all_modules() and i.target != i.source:
            graph.setdefault(i.source, set()).add(i.target)
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> list[str] | None:
        if module in path:
            return path[path.index(module) :] + [module]
        if module in done:
            return None
        for target in sorted(graph.get(module, ())):
            cycle = visit(target, path + [module])
            if cycle:
                return cycle
        done.add(module)
        return None

    for module in sorted(graph):
        cycle = visit(module, [])
        assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_every_module_belongs_to_a_floor_and_every_floor_exists() -> None:
    modules = all_modules()
    for f in (p for i in range(len(FLOORS)) for p in prefixes(i)):
        assert f in modules, f"floor {f} has no package or module"
    top_level = [p.name for p in PACKAGE.glob("*.py")]
    assert len(top_level) <= MAX_TOP_LEVEL_FILES, f"{len(top_level)} modules directly under localpack/: {top_level}"


def test_ui_and_cli_stand_side_by_side() -> None:
    """The web page and the command line are two faces of the same layers: ui/ never imports cli/, and
    cli/ reaches ui/ only through the thin `localpack ui` command."""
    wrong = [
        f"{i.where}: {i.source} imports {i.target}"
        for i in imports()
        if (under(i.source, "localpack.ui") and under(i.target, "localpack.cli"))
        or (under(i.source, "localpack.cli") and under(i.target, "localpack.ui") and i.source != UI_COMMAND)
    ]
    assert not wrong, "\n".join(wrong)


def test_few_lazy_imports_each_with_its_reason() -> None:
    lazy = [i for i in imports() if i.lazy]
    assert len(lazy) <= MAX_LAZY_IMPORTS, "imports of localpack inside functions:\n" + "\n".join(
        f"{i.where}: {i.target}" for i in lazy
    )
    unexplained = [f"{i.where}: {i.target}" for i in lazy if "# lazy: " not in i.comment]
    assert not unexplained, "a lazy import needs a `# lazy: <reason>` comment:\n" + "\n".join(unexplained)


def loaded_modules(*args: str) -> set[str]:
    """The modules a `localpack ARGS` process has imported when it exits."""
    code = (
        "import runpy, sys\nsys.argv = ['localpack', *sys.argv[1:]]\n"
        "try:\n    runpy.run_module('localpack', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write('\\n'.join(sorted(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=60)
    return set(done.stderr.split())


HEAVY = {"jinja2", "requests", "PIL", "psutil", "rich", "yaml", "starlette", "uvicorn"}


def test_help_loads_no_command_and_nothing_heavy() -> None:
    loaded = loaded_modules("--help")
    ours = {m for m in loaded if m.startswith("localpack")}
    assert ours <= {"localpack", "localpack.cli", "localpack.errors", "localpack.output", "localpack.paths"}, ours
    assert not HEAVY & loaded


def test_a_commands_help_loads_only_that_command() -> None:
    loaded = loaded_modules("build", "--help")
    assert "localpack.cli.build" in loaded
    others = {f"localpack.cli.{m}" for m, _help in cli.COMMANDS.values()} - {"localpack.cli.build"}
    assert not others & loaded
    assert not HEAVY & loaded


@pytest.mark.parametrize("name", list(cli.COMMANDS))
def test_the_listed_help_is_the_commands_own(name: str) -> None:
    """`localpack --help` shows COMMANDS' text; each command's --help shows its docstring: the same words."""
    assert cli.load_command(name).help.strip() == cli.COMMANDS[name][1]
