"""Masking of secrets before text reaches a log, a terminal or an issue body.

What is masked: GitHub token patterns (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_),
`Authorization:` header values, `user:password@` in URLs, token-like URL query
parameters, `NAME=value` assignments whose NAME says secret, the values of this
process's environment variables whose names contain TOKEN/SECRET/PASSWORD/KEY,
and any `extra_secrets`. With `home=True` the user's home folder becomes `~`.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

MASK = "[REDACTED]"

_SECRET_NAME = r"TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|KEY"
_SECRET_ENV_NAME = re.compile(_SECRET_NAME, re.IGNORECASE)

_TOKENS = re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{20,255}|github_pat_[A-Za-z0-9_]{20,255})\b")
# Authorization headers (token, Bearer, Basic …), in HTTP dumps, curl -H, or Python reprs.
_AUTH_HEADER = re.compile(r"(?i)(\bauthorization['\"]?\s*[:=]\s*['\"]?)(?:(?:bearer|token|basic)\s+)?[^\s'\",}]+")
_URL_PASSWORD = re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://)[^/\s:@]+:[^/\s@]+@")
_URL_QUERY = re.compile(r"(?i)([?&](?:access_token|token|client_secret|api_key|apikey|password|sig)=)[^&#\s]+")
# FOO_TOKEN=value, GH_TOKEN: value, export API_KEY="value" (upper-case names only: prose stays readable).
_ASSIGNMENT = re.compile(rf"\b([A-Z][A-Z0-9_]*(?:{_SECRET_NAME})[A-Z0-9_]*\s*[=:]\s*)(\"[^\"]*\"|'[^']*'|[^\s\"']+)")


def is_secret_name(name: str) -> bool:
    """A variable or key name that says it holds a secret (TOKEN, SECRET, PASSWORD, KEY…)."""
    return bool(_SECRET_ENV_NAME.search(name))


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
    text = _URL_PASSWORD.sub(lambda m: m.group(1) + MASK + "@", text)
    text = _URL_QUERY.sub(lambda m: m.group(1) + MASK, text)
    text = _ASSIGNMENT.sub(lambda m: m.group(1) + MASK, text)
    if home:
        text = _home_to_tilde(text)
    return text


def _home_to_tilde(text: str) -> str:
    user_home = str(Path.home()).rstrip("/\\")
    if len(user_home) <= 1:
        return text
    # Only whole path components: /home/ann must not turn /home/anna into ~a.
    return re.sub(re.escape(user_home) + r"(?=[/\\]|$|[^\w.-])", "~", text)
