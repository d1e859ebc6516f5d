"""Masking of secrets before text reaches a log, a terminal or an issue body."""

from __future__ import annotations

import os
import re
from pathlib import Path

MASK = "[REDACTED]"

_PATTERNS = [
    # GitHub tokens: classic/OAuth/user/server/refresh, and fine-grained PATs.
    re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{20,255}|github_pat_[A-Za-z0-9_]{20,255})\b"),
    # Authorization headers (token, Bearer, Basic …).
    re.compile(r"(?i)(authorization\s*[:=]\s*)(?:[a-z]+\s+)?[^\s'\"]+"),
    # user:password@ in URLs.
    re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://)[^/\s:@]+:[^/\s@]+@"),
]
_SECRET_ENV_NAME = re.compile(r"TOKEN|SECRET|PASSWORD|PASSWD|KEY|CREDENTIAL", re.IGNORECASE)


def _secret_env_values() -> list[str]:
    values = [v for k, v in os.environ.items() if _SECRET_ENV_NAME.search(k) and len(v) >= 6]
    return sorted(set(values), key=len, reverse=True)


def redact(text: str, extra_secrets: list[str] | tuple[str, ...] = (), home: bool = False) -> str:
    """Mask tokens, auth headers, URL passwords and secret-looking env values.

    With `home=True` the user's home path becomes `~` (for text that leaves the machine).
    """
    for secret in sorted({s for s in (*extra_secrets, *_secret_env_values()) if s}, key=len, reverse=True):
        text = text.replace(secret, MASK)
    text = _PATTERNS[0].sub(MASK, text)
    text = _PATTERNS[1].sub(lambda m: m.group(1) + MASK, text)
    text = _PATTERNS[2].sub(lambda m: m.group(1) + MASK + "@", text)
    if home:
        user_home = str(Path.home())
        if len(user_home) > 1:
            text = text.replace(user_home, "~")
    return text
