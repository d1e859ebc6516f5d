"""Masking of secrets before text reaches a log, a terminal or an issue body.

What is masked: token patterns (GitHub ghp_, gho_, ghu_, ghs_, ghr_, github_pat_; GitLab glpat- and its
siblings; npm_; JSON Web Tokens), `Authorization:` header values, the userinfo of URLs (`user:password`, or
a token alone as the user: everything between `://` and the authority's last `@`, so a password may hold `@`), URL query and fragment parameters
whose name says secret (`?private_token=`, `#access_token=`, `&sig=` …), `NAME=value` assignments whose
NAME says secret (and npm's `_authToken=`), the values of this process's environment variables whose
names say secret, and any `extra_secrets`. With `home=True` the user's home folder becomes `~`.

Masking is linear in the length of the text. Python's `re` backtracks, so every pattern here is written
so that no stretch of text is read more than a bounded number of times: a pattern starts only at a
literal anchor (`://`, `?`, `gh…_`) or at the start of a run of its own characters (a negative
lookbehind), its repetitions are either bounded or end where the run ends, and names are matched by
shape and judged secret afterwards (`is_secret_name`) instead of by a regex that would try every split
of a long word. `scripts/bench_redact.py` prints the time against the input's size.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

MASK = "[REDACTED]"

# A name says secret when it contains one of these words (any case), or has one of the short parts as a
# whole part (GITLAB_PAT, CI_JOB_JWT, NPM_CONFIG__AUTH, DB_PASS), so that PATH and AUTHOR stay readable.
_SECRET_WORDS = r"TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|CREDENTIAL|KEY|SIGNATURE"
_SECRET_PARTS = r"PAT|JWT|AUTH|PASS|SIG"
_SECRET_NAME = re.compile(rf"{_SECRET_WORDS}|(?:^|[_.-])(?:{_SECRET_PARTS})(?:[_.-]|$)", re.IGNORECASE)
MAX_NAME = 128  # longer names are not read as names (they would be prose or noise)

_TOKENS = re.compile(
    r"(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|npm_[A-Za-z0-9]{36,})"
    r"|(?<![A-Za-z0-9_-])gl(?:pat|oas|dt|rt|rtr|cbt|ptt|ft|imt|agent|soat|ffct|wt)-[A-Za-z0-9_-]{20,}"
    # a JWT: three base64url parts, the first two JSON objects (`{"` encodes as eyJ)
    r"|(?<![A-Za-z0-9_.-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*"
)
# Authorization headers (token, Bearer, Basic …), in HTTP dumps, curl -H, or Python reprs.
_AUTH_HEADER = re.compile(
    r"(?i)(\bauthorization['\"]?[ \t]*[:=][ \t]*['\"]?)(?:(?:bearer|token|basic)[ \t]+)?"
    r"[^\s'\",}]+"
)
# The authority after `://` (up to `/`, `?`, `#` or a space); its userinfo runs to the last `@` in it.
_URL_AUTHORITY = re.compile(r"://[^\s/?#]*@")
# A query or fragment parameter's name; its value runs to the next `&`, `#` or space.
_PARAM_NAME = re.compile(rf"[?&#;]([A-Za-z0-9_.%\[\]-]{{1,{MAX_NAME}}})=")
_PARAM_VALUE = re.compile(r"[^&#\s]+")
# FOO_TOKEN=value, GH_TOKEN: value, export API_KEY="value", 'NPM_TOKEN': 'x' (upper-case names only, so
# prose stays readable), npm's own `npm_config_*` variables (any case) and the `_authToken=` / `_auth=` /
# `_password=` lines of an .npmrc.
_ASSIGN_NAME = re.compile(
    rf"(?<!\w)([A-Z][A-Z0-9_]{{0,{MAX_NAME - 1}}}|npm_config_\w{{1,{MAX_NAME}}}|_auth(?:Token)?|_password)"
    r"['\"]?[ \t]{0,16}[=:][ \t]{0,16}"
)
_ASSIGN_VALUE = re.compile(r"\"[^\"\n]*\"?|'[^'\n]*'?|[^\s\"']+")  # a quote runs to its end or the line's


def is_secret_name(name: str) -> bool:
    """A variable, key or parameter name that says it holds a secret (TOKEN, SECRET, PASSWORD, KEY, _PAT …)."""
    return bool(_SECRET_NAME.search(name))


def _secret_env_values() -> list[str]:
    return [v for k, v in os.environ.items() if is_secret_name(k) and len(v) >= 6]


def redact_data(value: object, extra_secrets: list[str] | tuple[str, ...] = ()) -> object:
    """`redact` applied to every string inside JSON-like data (dicts, lists), for what is kept on disk."""
    secrets = (*extra_secrets, *_secret_env_values())

    def walk(v: object) -> object:
        if isinstance(v, str):
            return redact(v, secrets, env=False)
        if isinstance(v, dict):
            return {k: walk(x) for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            return [walk(x) for x in v]
        return v

    return walk(value)


def redact(text: str, extra_secrets: list[str] | tuple[str, ...] = (), home: bool = False, env: bool = True) -> str:
    """Mask tokens, auth headers, URL passwords and secret-looking values.

    With `home=True` the user's home path becomes `~` (for text that leaves the machine); `env=False` skips
    the values of secret-named environment variables (a caller that passed them in `extra_secrets`).
    """
    env_values = _secret_env_values() if env else ()
    for secret in sorted({s for s in (*extra_secrets, *env_values) if s}, key=len, reverse=True):
        text = text.replace(secret, MASK)
    text = _TOKENS.sub(MASK, text)
    text = _AUTH_HEADER.sub(lambda m: m.group(1) + MASK, text)
    text = _URL_AUTHORITY.sub(f"://{MASK}@", text)
    text = _mask_values(text, _PARAM_NAME, _PARAM_VALUE)
    text = _mask_values(text, _ASSIGN_NAME, _ASSIGN_VALUE)
    if home:
        text = _home_to_tilde(text)
    return text


def _mask_values(
    text: str, name: re.Pattern[str], value: re.Pattern[str], secret: Callable[[str], bool] = is_secret_name
) -> str:
    """Mask the value after every `name` match whose name (group 1) is secret.

    One forward pass: a name that is not secret is stepped over, so its value is still searched (the value
    of `?next=/x?token=t` holds a secret parameter), and a masked value is skipped whole."""
    out: list[str] = []
    pos = 0
    while (m := name.search(text, pos)) is not None:
        end = m.end()
        v = value.match(text, end) if secret(m.group(1)) else None
        if v is None or v.end() == end:
            out.append(text[pos:end])
            pos = end
            continue
        out.append(text[pos:end] + MASK)
        pos = v.end()
    out.append(text[pos:])
    return "".join(out)


def _home_to_tilde(text: str) -> str:
    user_home = str(Path.home()).rstrip("/\\")
    if len(user_home) <= 1:
        return text
    # Only whole path components: /home/ann must not turn /home/anna into ~a.
    return re.sub(re.escape(user_home) + r"(?=[/\\]|$|[^\w.-])", "~", text)
