"""Web addresses and host names as the webview reads them.

The webview (and the Rust `url` crate of the Tauri runtime) parses URLs by the WHATWG URL standard;
Python's `urllib.parse` does not, and the two can disagree about the host: `https://evil.com\\@good.com`
loads evil.com in the webview, while urllib reads good.com. So every URL a config or a flag gives is
parsed with ada (the WHATWG parser Node.js uses), and a URL that urllib reads with another host or port
is refused: the host localpack treats as the site's own is the host the webview loads.

Hosts are compared as the webview reports them (the `url` crate's `Url::host_str()`, which follows the same
standard): lowercase ASCII, international names as punycode (UTS #46, the WHATWG "domain to ASCII"), IP
addresses as the standard writes them, an IPv6 address in brackets (`[::1]`, `[2001:db8::1]`);
`ascii_host` is that one conversion, used by the config rules and by render alike, so a host the rules
accept always converts. URLs in messages are masked (`core.redact`): a password in one is never printed.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from localpack.core.redact import redact

DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443, "ftp": 21}
MAX_LABEL = 63  # DNS: bytes per label, punycode included
MAX_HOST = 253
_ASCII_LABEL = re.compile(r"^[a-z0-9_*-]+$")
LOOPBACK_NAMES = ("localhost",)


@dataclass(frozen=True)
class WebURL:
    href: str  # normalised by the WHATWG parser
    scheme: str
    host: str  # as the webview reports it: lowercase ASCII; an IPv6 address in brackets
    port: int | None  # None: the scheme's default
    userinfo: bool = False  # it carries a user name or password

    @property
    def is_loopback(self) -> bool:
        return is_loopback(self.host)

    @property
    def is_ip(self) -> bool:
        return _is_ip(self.host)


class URLProblem(ValueError):
    """The rule a URL breaks, as text that follows the key's name ("must be …")."""


def parse(value: str, schemes: tuple[str, ...], example: str = "https://example.com") -> WebURL:
    """`value` as the webview reads it; `URLProblem` when it is not a URL of `schemes` with a host, or when
    urllib would read another host or port from it."""
    from ada_url import URL  # third-party, C extension: loaded only when a URL is checked

    if not value.isprintable() or any(ch.isspace() for ch in value):
        raise URLProblem("must be a URL without spaces or control characters")
    wanted = f"must be a valid {' or '.join(s + '://' for s in schemes)} URL with a host, e.g. {example!r}"
    shown = redact(value, env=False)
    try:
        url = URL(value)
    except ValueError:
        raise URLProblem(f"{wanted} ({shown!r} is not one)") from None
    scheme = url.protocol.rstrip(":")
    if scheme not in schemes or not url.hostname:
        raise URLProblem(wanted)
    host = url.hostname.lower()  # the WHATWG form already: punycode, IPv6 in brackets
    port = int(url.port) if url.port else None
    if port == DEFAULT_PORTS.get(scheme):
        port = None
    if not _is_ip(host):
        try:
            ascii_host(host, glob=False)
        except ValueError as e:
            raise URLProblem(f"has an invalid host ({host!r} {e})") from None
    if _urllib_reading(value, scheme) != (host, port):
        raise URLProblem(
            f"is read with different hosts by different URL parsers (the webview loads {host} from "
            f"{shown!r}); write it plainly, e.g. 'https://host/path', without backslashes or odd escapes"
        )
    return WebURL(url.href, scheme, host, port, bool(url.username or url.password))


def _is_ip(host: str) -> bool:
    """An IP address, IPv6 with or without brackets."""
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _ip_host(address: str) -> str:
    """An IP address as the webview writes it (`127.0.0.1`, `[::1]`); ValueError if the webview cannot read it
    (an IPv6 zone such as `fe80::1%eth0`)."""
    from ada_url import URL  # see parse()

    bare = address[1:-1] if address.startswith("[") and address.endswith("]") else address
    try:
        return URL(f"http://[{bare}]/" if ":" in bare else f"http://{bare}/").hostname.lower()
    except ValueError:
        raise ValueError(f"is an IP address the webview cannot read ({address!r})") from None


def _urllib_reading(value: str, scheme: str) -> tuple[str, int | None] | None:
    """(host, port) as urllib reads `value`, the host converted as the webview would; None if it cannot."""
    try:
        parts = urlsplit(value)
        host, port = parts.hostname, parts.port
    except ValueError:
        return None
    if not host:
        return None
    if port == DEFAULT_PORTS.get(scheme):
        port = None
    if _is_ip(host):
        try:
            return _ip_host(host), port
        except ValueError:
            return None
    try:
        return ascii_host(host, glob=False), port
    except ValueError:
        return None


def ascii_host(value: str, *, glob: bool = True) -> str:
    """A host (or, with `glob`, a host glob with `*`) as the webview reports hosts: lowercase ASCII,
    international labels as punycode, no trailing dot, an IPv6 address in brackets (`::1` and `[::1]` both
    give `[::1]`). `ValueError` (with the rule as text) if it cannot be one."""
    from ada_url import idna  # see parse()

    if _is_ip(value):
        return _ip_host(value)
    labels = []
    for label in value.lower().rstrip(".").split("."):
        if not label:
            raise ValueError("has an empty part (two dots in a row, or a leading dot)")
        if not label.isascii():
            if "*" in label:
                raise ValueError(f"mixes '*' with non-ASCII letters in {label!r}; write that part in punycode")
            label = idna.encode(label).decode("ascii")  # UTS #46; b"" when it cannot be converted
            if not label:
                raise ValueError(f"has a part that is not a valid international name ({value!r})")
        if not _ASCII_LABEL.match(label.lower()) or (not glob and "*" in label):
            raise ValueError(
                "may hold only letters, digits, '-' and '_'" + (" (and '*' as a wildcard)" if glob else "")
            )
        if label.lower().startswith("xn--") and not _valid_punycode(label.lower()):
            raise ValueError(f"has a part {label!r} that is not valid punycode")
        labels.append(label.lower())
    problem = _host_problem(".".join(labels))
    if problem:
        raise ValueError(f"has {problem}")
    return ".".join(labels)


def _valid_punycode(label: str) -> bool:
    """An `xn--` label decodes to an international name that encodes back to it (as the WHATWG host parser checks)."""
    from ada_url import idna

    try:
        decoded = label[4:].encode("ascii").decode("punycode")
    except (UnicodeError, ValueError):
        return False
    return bool(decoded) and idna.encode(decoded).decode("ascii") == label


def _host_problem(host: str) -> str | None:
    longest = max(host.split("."), key=len)
    if len(longest) > MAX_LABEL:
        return f"a part of {len(longest)} characters (as punycode); DNS allows at most {MAX_LABEL}"
    if len(host) > MAX_HOST:
        return f"{len(host)} characters (as punycode); DNS allows at most {MAX_HOST}"
    return None


def is_loopback(host: str) -> bool:
    """localhost, 127.0.0.0/8 or ::1: traffic that never leaves this machine."""
    host = host.lower().strip("[]").rstrip(".")
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
