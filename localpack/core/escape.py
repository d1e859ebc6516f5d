"""One escaping filter per language a value can reach in the templates.

Each returns a complete literal (quotes included), so a template writes
`title = {{ app.title | toml }}`, never `"{{ app.title }}"`.
"""

from __future__ import annotations

import json
from typing import Any


def json_literal(value: Any) -> str:
    """A JSON value. Non-ASCII stays readable; U+2028/2029 are escaped so the text is also valid JS."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def toml_literal(value: Any) -> str:
    """A TOML value, written by tomli-w (which knows every escape TOML requires)."""
    import tomli_w

    return tomli_w.dumps({"v": value}).split("=", 1)[1].strip()


def rust_string(value: str) -> str:
    """A Rust string literal. Everything outside printable ASCII becomes `\\u{…}`, so no
    quote, backslash, `{}` or `#` can end the literal or reach a format macro as syntax."""
    out = []
    for ch in value:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif " " <= ch <= "~":
            out.append(ch)
        else:
            out.append(f"\\u{{{ord(ch):x}}}")
    return '"' + "".join(out) + '"'


def js_literal(value: Any) -> str:
    """A JavaScript value safe inside an inline <script>: JSON plus escaped `<`, `>` and `&`."""
    text = json.dumps(value, ensure_ascii=False)
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def handlebars_text(value: str) -> str:
    """Text for a Handlebars template (Tauri's deb/rpm desktopTemplate, rendered by handlebars-rust).

    Measured with the bundler of Tauri CLI 2.12.5: backslashes are literal except
    right before `{{`; `\\{{` prints a literal `{{`; k ≥ 2 backslashes before `{{` print
    k-1 backslashes and open a tag. So `{{` becomes `\\{{`, and m backslashes before it
    become m+1 backslashes closed by an empty comment tag `{{!}}`, then `\\{{`.
    """
    parts = value.split("{{")
    out = parts[0]
    for part in parts[1:]:
        if out.endswith("\\"):
            out += "\\{{!}}"
        out += "\\{{" + part
    return out


def yaml_string(value: str) -> str:
    """A YAML double-quoted scalar, written by PyYAML's emitter (which knows YAML's printable set and escapes)."""
    import yaml

    text = yaml.safe_dump(value, default_style='"', allow_unicode=True, width=2**31 - 1)
    return text.removesuffix("\n...\n").rstrip("\n")


def github_string(value: str) -> str:
    """A YAML string for a GitHub Actions workflow. GitHub evaluates `${{ ... }}` in every value, quoted or not,
    and YAML has no escape for it, so such a value is refused (callers check user input first)."""
    if "${{" in value:
        raise ValueError(f"{value!r} contains '${{{{', which GitHub Actions would evaluate as an expression")
    return yaml_string(value)


def gitlab_string(value: str) -> str:
    """A YAML string for a GitLab CI variable: GitLab expands `$NAME` in values, and `$$` is a literal `$`."""
    return yaml_string(value.replace("$", "$$"))


def desktop_entry(value: str) -> str:
    """A value of a freedesktop .desktop entry: backslash and control characters as escapes."""
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")


FILTERS = {
    "json": json_literal,
    "toml": toml_literal,
    "rust": rust_string,
    "js": js_literal,
    "handlebars": handlebars_text,
    "desktop_entry": desktop_entry,
    "yaml": yaml_string,
    "github": github_string,
    "gitlab": gitlab_string,
}
