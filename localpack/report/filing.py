"""A failed build → a GitHub issue (or a comment on the open issue of the same failure).

Everything that leaves the machine is composed here from the build record and
its log, and passes `redact(..., home=True)` with the token itself as an extra
secret. A signature (cause id + normalised first error line) is hidden in the
body; an open issue carrying it gets a comment instead of a twin. When GitHub
cannot be reached the composed (already redacted) report is kept under
`<state>/pending-reports/` for `localpack report --retry`.

`prepare` composes and checks a report, `preview_text` is what a person reviews, `send` delivers it: asking
first is the caller's (`cli/report.py` asks on the terminal, the ui has its own Preview and Send buttons).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from localpack import jsonio
from localpack.config import rules
from localpack.core import records
from localpack.core.diagnose import diagnose, first_error_line
from localpack.core.redact import redact
from localpack.errors import ConfigError, ReportFailed
from localpack.fsutil import PRIVATE_FILE, private_dir, read_user_file, write_atomic
from localpack.output import Console
from localpack.paths import Paths
from localpack.report.github import GitHub, GitHubError, GitHubUnreachable
from localpack.report.github import api_url as resolve_api
from localpack.report.token import Token, resolve

LABELS = ["localpack", "build-failure"]
TAIL_LINES = 200
MAX_LINE = 500
MAX_BODY = 60_000  # GitHub refuses bodies over 65,536 characters
MAX_LOG_TAIL = 4 << 20  # bytes read from the end of a build log (the report keeps its last 200 lines)
MAX_PENDING = 1 << 20
_SECRET_KEY = re.compile(r"token|secret|password|passwd|credential|key", re.IGNORECASE)


@dataclass(frozen=True)
class Report:
    repo: str
    title: str
    body: str  # the new issue's body
    comment: str  # the body of a comment on an existing issue of the same failure
    labels: list[str]
    signature: str
    record: str  # build id


@dataclass(frozen=True)
class Outgoing:
    """A composed report with everything sending it needs, checked before anyone is asked."""

    report: Report
    api: str  # the GitHub API base URL it goes to
    token: Token | None  # None for a dry run: nothing is sent
    repo_from_config: bool = False  # the repository is the build's config's ([report] repo), not --repo


def _ignore(_text: str) -> None:
    pass


def signature(cause: str, line: str) -> str:
    """16 hex digits that stay the same for the same failure on another machine, path or version."""
    return hashlib.sha256(f"{cause}\n{normalise(line)}".encode()).hexdigest()[:16]


def normalise(line: str) -> str:
    """An error line without what varies between runs: paths, hashes, numbers, quoting, case."""
    line = re.sub(r"\x1b\[[0-9;]*m", "", line)
    line = re.sub(r"(?:[A-Za-z]:)?[\w.~-]*(?:[\\/][^\s`'\"()\[\]]+)+", "<path>", line)
    line = re.sub(r"\b[0-9a-fA-F]{7,}\b", "<hash>", line)
    line = re.sub(r"\d+", "N", line)
    return re.sub(r"\s+", " ", line).strip().lower()


def compose(
    record: dict[str, Any],
    repo: str,
    secrets: list[str],
    logs: Path | None = None,
    warn: Callable[[str], None] = _ignore,
) -> Report:
    """The issue for a failed build record (redacted, ready to send). The log is read only from `logs`
    (localpack's log folder): a record is input, and its "log" could name any file (`warn` hears of one
    that is not read)."""
    lines = _log_lines(record, logs or Paths.from_env().logs, warn)
    found = diagnose(lines)
    error = record.get("error") or {}
    cause = error.get("cause") or (found.id if found else None) or error.get("code") or "unknown"
    summary = found.summary if found else error.get("message", "the build failed")
    hint = found.hint if found else error.get("hint", "")
    first = first_error_line(lines) or (found.line if found else "") or error.get("message", "")

    def clean(text: str) -> str:
        return redact(text, secrets, home=True)

    sig = signature(cause, clean(first))
    plat = record.get("platform", {})
    title = clean(f"build failed: {cause} ({record.get('app', '?')}, {plat.get('os', '?')}/{plat.get('arch', '?')})")
    facts = _facts(record)
    tail = [clean(line[:MAX_LINE]) for line in lines[-TAIL_LINES:]]
    config = clean(json.dumps(_clean_config(record.get("config", {})), ensure_ascii=False, indent=2))
    diagnosis = clean(
        f"**Cause:** `{cause}`: {summary}\n\n**Hint:** {hint}" if hint else f"**Cause:** `{cause}`: {summary}"
    )
    if first:
        diagnosis += "\n\n**First error:**\n" + _fenced(clean(first), "text")

    def body(head: str, tail_lines: list[str]) -> str:
        log = _fenced("\n".join(tail_lines), "text") if tail_lines else "_(the build log is not available)_"
        return "\n\n".join(
            [
                f"<!-- localpack-signature: {sig} -->",
                head,
                diagnosis,
                clean(facts),
                f"<details><summary>Config</summary>\n\n{_fenced(config, 'json')}\n</details>",
                f"<details><summary>Last {len(tail_lines)} lines of the build log</summary>\n\n{log}\n</details>",
                f"<sub>Filed with `localpack report`. Signature: `{sig}`</sub>\n",
            ]
        )

    def fit(head: str) -> str:
        kept = tail
        text = body(head, kept)
        while len(text) > MAX_BODY and kept:
            kept = kept[len(kept) // 4 or 1 :]
            text = body(head, kept)
        return text

    return Report(
        repo=repo,
        title=title,
        labels=list(LABELS),
        signature=sig,
        record=str(record.get("id", "")),
        body=fit(f"## {title}"),
        comment=fit(
            f"Seen again: `{cause}` with localpack {record.get('localpack', '?')} "
            f"on {plat.get('os', '?')}/{plat.get('arch', '?')} ({record.get('started', '?')})."
        ),
    )


def _log_lines(record: dict[str, Any], logs: Path, warn: Callable[[str], None]) -> list[str]:
    """The tail of the record's build log, if it is a regular file inside localpack's log folder."""
    log = record.get("log")
    if not isinstance(log, str) or not log:
        return []
    try:
        path = Path(log).resolve(strict=True)
        if not path.is_relative_to(logs.resolve()) or not path.is_file():
            warn(f"not reading the log {log}: it is not in localpack's log folder {logs}")
            return []
        with open(path, "rb") as f:
            f.seek(max(0, path.stat().st_size - MAX_LOG_TAIL))
            return f.read().decode("utf-8", errors="replace").splitlines()
    except OSError:
        return []


def _facts(record: dict[str, Any]) -> str:
    plat = record.get("platform", {})
    system = " ".join(str(v) for v in (plat.get("os"), plat.get("release")) if v)
    if plat.get("distro"):
        system += f" ({plat['distro']})"
    rows = [("localpack", record.get("localpack", "?"))]
    rows += sorted((name, str(version)) for name, version in (record.get("tools") or {}).items())
    rows += [
        ("OS", f"{system}, {plat.get('arch', '?')}"),
        ("targets", ", ".join(record.get("targets") or []) or "(default)"),
        ("app", f"{record.get('app', '?')} {record.get('version', '')}".strip()),
        (
            "build",
            f"{'debug' if record.get('debug') else 'release'}{', offline' if record.get('offline') else ''}, "
            f"{record.get('duration_s', '?')} s, started {record.get('started', '?')}",
        ),
    ]
    return "| | |\n|---|---|\n" + "\n".join(f"| {k} | {str(v).replace('|', '/')} |" for k, v in rows)


def _clean_config(value: Any, key: str = "") -> Any:
    """The config as sent: secret-named keys dropped, everything else kept (URLs too)."""
    if isinstance(value, dict):
        return {k: _clean_config(v, k) for k, v in value.items() if not _SECRET_KEY.search(str(k))}
    if isinstance(value, list):
        return [_clean_config(v, key) for v in value]
    return value


def _fenced(text: str, lang: str) -> str:
    """A code block whose fence is longer than any backtick run inside (so the log cannot break out)."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{lang}\n{text}\n{fence}"


def check_repo(repo: str) -> str:
    """`repo` when it is a repository name by the config's rule (`[report] repo`), else a usage error."""
    if not repo or rules.repo(repo) is not None:
        raise ConfigError(f"{repo!r} is not a GitHub repository name", "use OWNER/NAME, e.g. --repo octo/app")
    return repo


# Sending ---------------------------------------------------------------------------------------


def deliver(client: Any, report: Report, say: Callable[[str], None]) -> str:
    """Comment on the open issue carrying this signature, or create one (`say` hears which). Returns the issue URL."""
    info = client.repo(report.repo)
    if info.get("has_issues") is False:
        raise GitHubError(f"issues are disabled in {report.repo}", "choose a repository with issues enabled (--repo)")
    query = f'repo:{report.repo} is:issue is:open "{report.signature}" in:body'
    for item in client.search_issues(query):
        if item.get("state") == "open" and "pull_request" not in item and report.signature in (item.get("body") or ""):
            client.comment(report.repo, int(item["number"]), report.comment)
            say(f"an open issue already has this failure; added a comment to #{item['number']}")
            return str(item.get("html_url", ""))
    try:
        issue = client.create_issue(report.repo, report.title, report.body, report.labels)
    except GitHubError as e:
        # Without push access GitHub may refuse labels that do not exist yet instead of dropping them.
        if type(e) is not GitHubError or e.status not in (403, 422):
            raise
        issue = client.create_issue(report.repo, report.title, report.body, [])
    say(f"created issue #{issue.get('number', '?')}")
    return str(issue.get("html_url", ""))


def _save_pending(paths: Paths, report: Report, api: str) -> Path:
    stem = report.record if records.ID_RE.match(report.record) else "report"
    path = private_dir(paths.pending_reports) / f"{stem}-{re.sub(r'[^0-9a-f]', '', report.signature)[:8]}.json"
    data = {
        "schema": 1,
        "api": api,
        "saved": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        **asdict(report),
    }
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=2), mode=PRIVATE_FILE)
    return path


def _load_pending(path: Path) -> tuple[Report, str]:
    """A kept report, checked like any input (it is a file anyone with access to the state dir could edit)."""
    data = jsonio.loads(read_user_file(path, "pending report", "", limit=MAX_PENDING), limit=MAX_PENDING)
    fields = {k: data[k] for k in Report.__dataclass_fields__}
    if not all(isinstance(v, str) for k, v in fields.items() if k != "labels") or not (
        isinstance(fields["labels"], list) and all(isinstance(x, str) for x in fields["labels"])
    ):
        raise ValueError("fields of the wrong type")
    check_repo(fields["repo"])
    api = data.get("api") or ""
    if not isinstance(api, str):
        raise ValueError("api is not text")
    return Report(**fields), api


def _token(paths: Paths):  # noqa: ANN202
    token = resolve(paths)
    if token is None:
        raise ConfigError(
            "no GitHub token: a report is filed with your own token",
            "run `localpack token set` (or set GITHUB_TOKEN), or look first with --dry-run",
        )
    return token


def preview(
    record_path: Path | None = None,
    *,
    paths: Paths | None = None,
    repo: str | None = None,
    need_repo: bool = False,
    warn: Callable[[str], None],
) -> Report:
    """The report a failed build (`record_path`, default: the newest failed one) would send, redacted with the
    token in effect (if any) as a secret; nothing is sent. `need_repo`: refuse when no repository is known."""
    paths = paths or Paths.from_env()
    if record_path is None:
        record_path = records.latest(paths, failed=True)
        if record_path is None:
            raise ConfigError("there is no failed build to report", "pass a record file: localpack report FILE")
    record = records.load(Path(record_path))
    if record.get("ok"):
        raise ConfigError(
            f"build {record.get('id')} succeeded: there is nothing to report",
            "pass the record of a failed build, or use --last",
        )
    repo = repo or ((record.get("config") or {}).get("report") or {}).get("repo") or ""
    if not repo and need_repo:
        raise ConfigError(
            "no repository to file the report in",
            'pass --repo OWNER/NAME, or set [report] repo = "OWNER/NAME" in localpack.toml',
        )
    if repo:
        check_repo(repo)
    token = _token(paths) if need_repo else resolve(paths)
    return compose(record, repo, [token.value] if token else [], paths.logs, warn)


def prepare(
    record_path: Path | None = None,
    *,
    paths: Paths | None = None,
    repo: str | None = None,
    api_url: str | None = None,
    dry_run: bool = False,
    warn: Callable[[str], None],
) -> Outgoing:
    """A failed build's report (`record_path`, default: the newest failed one), composed and checked: the API
    URL first, then the record and the repository, then the token (a `dry_run` needs no repository nor
    token). Nothing is sent; the caller shows `preview_text` and asks before it calls `send`."""
    paths = paths or Paths.from_env()
    api = resolve_api(api_url)  # checked before anything is composed or asked
    report = preview(record_path, paths=paths, repo=repo, need_repo=not dry_run, warn=warn)
    return Outgoing(
        report=report,
        api=api,
        token=None if dry_run else _token(paths),
        repo_from_config=not repo and bool(report.repo),
    )


def send(outgoing: Outgoing, *, paths: Paths | None = None, say: Callable[[str], None]) -> str:
    """Deliver a prepared report (not a dry run's). Returns the issue URL. Network down, 5xx or rate limit:
    the report is kept for `report --retry` (ReportFailed, exit 5)."""
    if outgoing.token is None:
        raise ValueError("a dry run's report is not sent")
    paths = paths or Paths.from_env()
    try:
        with GitHub(outgoing.token.value, outgoing.api) as client:
            return deliver(client, outgoing.report, say)
    except GitHubUnreachable as e:
        kept = _save_pending(paths, outgoing.report, outgoing.api)
        raise ReportFailed(
            f"{e.message}; the report is kept in {kept}",
            f"{e.hint + '; ' if e.hint else ''}`localpack report --retry` will send it",
        ) from None


def retry_pending(console: Console, paths: Paths | None = None, *, api_url: str | None = None) -> list[str]:
    """Send every kept report once (checking for duplicates again); delete each one delivered.

    The token goes only to the API this run names (`--api-url`, else `LOCALPACK_GITHUB_API`, else GitHub's):
    the `api` a pending file holds is never a target (the file is state anyone with access to it could edit).
    A report kept for another API stays kept, and the message says which flag sends it there."""
    paths = paths or Paths.from_env()
    api = resolve_api(api_url)  # a bad --api-url is refused even with nothing to send
    pending = sorted(paths.pending_reports.glob("*.json")) if paths.pending_reports.is_dir() else []
    if not pending:
        console.info("no pending reports")
        return []
    token = _token(paths)
    urls: list[str] = []
    failed: list[str] = []
    for path in pending:
        try:
            report, saved_api = _load_pending(path)
        except (OSError, ValueError, KeyError, TypeError, ConfigError):
            failed.append(f"{path.name}: unreadable")
            continue
        if saved_api and _same_api(saved_api) != api:
            failed.append(
                f"{path.name}: it was kept for {redact(saved_api)} and this run names {api}, so it "
                "was not sent (to send it there, name that API yourself: --api-url)"
            )
            continue
        console.info(f"sending {report.title!r} to {report.repo} at {api}")
        try:
            with GitHub(token.value, api) as client:
                url = deliver(client, report, console.info)
        except GitHubUnreachable as e:
            left = len(pending) - len(urls) - len(failed)
            raise ReportFailed(
                f"{e.message}; {left} report(s) still pending in {paths.pending_reports}",
                f"{e.hint + '; ' if e.hint else ''}run `localpack report --retry` again later",
            ) from None
        except GitHubError as e:
            failed.append(f"{path.name}: {e.message}")
            continue
        path.unlink(missing_ok=True)
        console.success(f"sent {report.title}: {url}")
        urls.append(url)
    if failed:
        raise ReportFailed(
            f"{len(failed)} report(s) could not be sent and are kept: " + "; ".join(failed),
            "fix the cause (token, repository), then run `localpack report --retry` again",
        )
    return urls


def _same_api(saved: str) -> str:
    """A kept report's API in the form `github.api_url` gives, for comparing only (never sent to)."""
    try:
        return resolve_api(saved)
    except ConfigError:
        return saved


def preview_text(report: Report) -> str:
    """What a person reviews before a report goes out: where, title, labels and the whole body."""
    return "".join(
        [
            f"repo: {report.repo or '(not set: pass --repo OWNER/NAME)'}\n",
            f"title: {report.title}\n",
            f"labels: {', '.join(report.labels)}\n",
            "body:\n",
            report.body,
        ]
    )
