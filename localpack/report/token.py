"""The optional GitHub token: where it comes from, how it is stored, what it looks like.

Precedence: LOCALPACK_GITHUB_TOKEN, GITHUB_TOKEN, GH_TOKEN, then the stored
token. Stored in the OS keyring when the `keyring` package is installed and has
a working backend, else in `<config>/github-token` with 0600 permissions. With
LOCALPACK_HOME set (tests, portable setups) the keyring is never used: all
state then lives under that folder.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from dataclasses import dataclass

from localpack.errors import ConfigError
from localpack.fsutil import read_user_file, write_atomic
from localpack.paths import Paths
from localpack.report.github import ISSUES_SCOPE_HINT, GitHub, GitHubError

ENV_VARS = ("LOCALPACK_GITHUB_TOKEN", "GITHUB_TOKEN", "GH_TOKEN")
KEYRING_SERVICE = "localpack"
KEYRING_USER = "github-token"

_CLASSIC = re.compile(r"gh[pousr]_[A-Za-z0-9]{36,251}")
_FINE_GRAINED = re.compile(r"github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}|github_pat_[A-Za-z0-9_]{40,251}")
_LEGACY = re.compile(r"[0-9a-f]{40}")


@dataclass(frozen=True)
class Token:
    value: str
    source: str  # "LOCALPACK_GITHUB_TOKEN", "GITHUB_TOKEN", "GH_TOKEN", "file" or "keyring"
    where: str  # human description of the source (never the value)

    @property
    def kind(self) -> str:
        return kind(self.value)

    def __repr__(self) -> str:  # a token never shows up in a traceback or a log by accident
        return f"Token(source={self.source!r})"


def kind(value: str) -> str:
    """'classic', 'fine-grained', 'oauth' (gho_/ghu_/ghs_/ghr_) or 'legacy' (40 hex)."""
    if value.startswith("github_pat_"):
        return "fine-grained"
    if value.startswith("ghp_"):
        return "classic"
    if _CLASSIC.fullmatch(value):
        return "oauth"
    return "legacy"


def looks_like_token(value: str) -> bool:
    return bool(_CLASSIC.fullmatch(value) or _FINE_GRAINED.fullmatch(value) or _LEGACY.fullmatch(value))


def _keyring():  # noqa: ANN202 - the keyring module, or None
    """The keyring module if it is installed and has a real backend (not the fail/null one)."""
    if os.environ.get("LOCALPACK_HOME"):
        return None
    try:
        import keyring
        from keyring.backends import chainer, fail
    except Exception:  # noqa: BLE001 - an absent or broken keyring just means "use the file"
        return None
    try:
        backend = keyring.get_keyring()
        if isinstance(backend, fail.Keyring) or "null" in type(backend).__module__:
            return None
        if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
            return None
        if getattr(backend, "priority", 1) <= 0:
            return None
    except Exception:  # noqa: BLE001
        return None
    return keyring


def storage(paths: Paths) -> str:
    """Where `token set` would store a token (for `status`)."""
    kr = _keyring()
    if kr is not None:
        return f"the OS keyring ({type(kr.get_keyring()).__name__})"
    return f"{paths.token_file} (permissions 0600)"


def stored(paths: Paths) -> Token | None:
    kr = _keyring()
    if kr is not None:
        try:
            value = kr.get_password(KEYRING_SERVICE, KEYRING_USER)
        except Exception:  # noqa: BLE001 - a locked or broken keyring: fall back to the file
            value = None
        if value:
            return Token(value, "keyring", "the OS keyring")
    if not (paths.token_file.exists() or paths.token_file.is_symlink()):
        return None
    value = (
        read_user_file(
            paths.token_file, "token file", "check its permissions, or `localpack token clear`", limit=64 << 10
        )
        .decode("utf-8", errors="replace")
        .strip()
    )
    return Token(value, "file", str(paths.token_file)) if value else None


def resolve(paths: Paths) -> Token | None:
    """The token in effect: the first of the environment variables, then the stored one."""
    for name in ENV_VARS:
        value = os.environ.get(name, "").strip()
        if value:
            return Token(value, name, f"the environment variable {name}")
    return stored(paths)


def save(paths: Paths, value: str) -> str:
    """Store a token (after checking its shape); returns where it went."""
    value = value.strip()
    if not looks_like_token(value):
        raise ConfigError(
            "that does not look like a GitHub token",
            "paste a personal access token (ghp_…, github_pat_…); create one at https://github.com/settings/tokens",
        )
    kr = _keyring()
    if kr is not None:
        try:
            kr.set_password(KEYRING_SERVICE, KEYRING_USER, value)
            paths.token_file.unlink(missing_ok=True)
            return storage(paths)
        except Exception:  # noqa: BLE001 - keyring refused: the file is the documented fallback
            pass
    write_atomic(paths.token_file, value + "\n", mode=0o600)
    return f"{paths.token_file} (permissions 0600)"


def clear(paths: Paths) -> list[str]:
    """Remove the stored token; returns what was removed."""
    removed = []
    kr = _keyring()
    if kr is not None:
        try:
            if kr.get_password(KEYRING_SERVICE, KEYRING_USER):
                kr.delete_password(KEYRING_SERVICE, KEYRING_USER)
                removed.append("the OS keyring entry")
        except Exception:  # noqa: BLE001
            pass
    if paths.token_file.exists():
        paths.token_file.unlink()
        removed.append(str(paths.token_file))
    return removed


def file_mode_problem(paths: Paths) -> str | None:
    """A warning when the token file can be read by others (POSIX only)."""
    if sys.platform == "win32" or not paths.token_file.exists():
        return None
    mode = stat.S_IMODE(paths.token_file.stat().st_mode)
    if mode & 0o077:
        return f"{paths.token_file} has permissions {mode:04o}; run `chmod 600 {paths.token_file}`"
    return None


def check(paths: Paths, *, repo: str | None = None, api: str | None = None) -> list[str]:
    """`token test`: who the token belongs to, its scopes, and whether it can file issues in `repo`.

    Returns the lines to show; raises `ConfigError` without a token and `GitHubError` when GitHub says no.
    """
    token = resolve(paths)
    if token is None:
        raise ConfigError("no GitHub token", "run `localpack token set` (or set GITHUB_TOKEN)")
    lines = [f"token from {token.where} ({token.kind})"]
    with GitHub(token.value, api) as client:
        user = client.user()
        lines.append(f"GitHub user: {user.login} ({client.api})")
        if user.scopes is not None:
            lines.append(f"scopes: {', '.join(user.scopes) or '(none)'}")
        else:
            lines.append("fine-grained token: permissions are set per repository (check one with --repo OWNER/NAME)")
        if not repo:
            return lines
        info = client.repo(repo)
    perms = info.get("permissions") or {}
    private = bool(info.get("private"))
    if info.get("has_issues") is False:
        raise GitHubError(f"issues are disabled in {repo}", "choose a repository with issues enabled")
    if perms and not perms.get("pull", True):
        raise GitHubError(f"{user.login} has no access to {repo}", ISSUES_SCOPE_HINT)
    if user.scopes is not None:
        needed = {"repo"} if private else {"repo", "public_repo"}
        if not needed & set(user.scopes):
            raise GitHubError(
                f"the token cannot create issues in {repo}: it lacks the "
                f"{'`repo`' if private else '`repo` or `public_repo`'} scope",
                "create a token with that scope, then `localpack token set`",
            )
        lines.append(f"{repo}: issues enabled; this token can create issues there")
    else:
        lines.append(
            f'{repo}: issues enabled and readable; the token also needs "Issues: Read and write" on it '
            "(GitHub only tells when the first issue is filed)"
        )
    if perms.get("push"):
        lines.append("labels: you have push access, so missing labels are created with the issue")
    return lines
