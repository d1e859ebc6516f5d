"""Every escaping filter gives back the exact value through the real parser of its language."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib
import yaml

from localpack.core.escape import (
    github_string,
    gitlab_string,
    js_literal,
    json_literal,
    rust_string,
    toml_literal,
    yaml_string,
)

NASTY = [
    'say "hi"',
    "back\\slash\\",
    "{{ title }} and {% raw %} and {#",
    '#{x} "# r#"raw"#',
    "line one\nline two\r\nthree\ttab",
    "中文标题 日本語 한국어",
    "emoji 😀🚀 and ZWJ 👩‍💻",
    "</script><script>alert(1)</script>",
    "\u2028 line sep \u2029 para sep",
    "del \x7f and nul-adjacent \x01",
    "trailing \\",
    "'single' `back` ${tpl}",
    "",
]
IDS = [f"v{i}" for i in range(len(NASTY))]


@pytest.mark.parametrize("value", NASTY, ids=IDS)
def test_json(value: str) -> None:
    assert json.loads(json_literal(value)) == value


@pytest.mark.parametrize("value", NASTY, ids=IDS)
def test_toml(value: str) -> None:
    assert tomllib.loads(f"v = {toml_literal(value)}\n")["v"] == value


@pytest.mark.parametrize(
    "value",
    [
        *NASTY,
        "yes",
        "1.0",
        "null",
        "- item",
        "key: value",
        "# not a comment",
        "*alias",
        "[flow]",
        "\ufeffbom",
        "a" * 300,
    ],
    ids=lambda v: repr(v)[:20],
)
def test_yaml_in_a_mapping_and_a_list(value: str) -> None:
    doc = yaml.safe_load(f"k: {yaml_string(value)}\nl:\n  - {yaml_string(value)} # comment\n")
    assert doc == {"k": value, "l": [value]}
    assert "\n" not in yaml_string(value)  # one line: it can stand where the template puts it


def test_github_refuses_an_expression_and_gitlab_doubles_dollars() -> None:
    assert yaml.safe_load(github_string("a $b ${c} {{d}}")) == "a $b ${c} {{d}}"
    with pytest.raises(ValueError, match="expression"):
        github_string("x ${{ secrets.TOKEN }}")
    assert yaml.safe_load(gitlab_string("dir/$HOME/$$x")) == "dir/$$HOME/$$$$x"  # GitLab reads $$ as $


def test_rust_literals_compile_and_print_the_exact_values(tmp_path: Path) -> None:
    rustc = shutil.which("rustc")
    if rustc is None:
        pytest.skip("rustc not installed")
    items = ",\n".join(f"        {rust_string(v)}" for v in NASTY)
    src = tmp_path / "m.rs"
    src.write_text(
        "fn main() {\n    let values: &[&str] = &[\n" + items + "\n    ];\n"
        '    for v in values { print!("{}\\u{0}", v); }\n}\n',
        encoding="utf-8",
    )
    subprocess.run([rustc, "--edition", "2021", "-o", str(tmp_path / "m"), str(src)], check=True, capture_output=True)
    out = subprocess.run([str(tmp_path / "m")], check=True, capture_output=True).stdout.decode("utf-8")
    assert out.split("\0")[:-1] == NASTY


def test_js_literals_evaluate_to_the_exact_values(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node not installed")
    script = tmp_path / "m.js"
    script.write_text(
        "const values = [" + ",".join(js_literal(v) for v in NASTY) + "];\n"
        "process.stdout.write(JSON.stringify(values));\n",
        encoding="utf-8",
    )
    out = subprocess.run([node, str(script)], check=True, capture_output=True).stdout.decode("utf-8")
    assert json.loads(out) == NASTY


def test_js_literal_cannot_close_a_script_tag() -> None:
    assert "</script" not in js_literal("</script>")
