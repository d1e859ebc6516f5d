"""URLs and hosts are read the way the webview reads them (WHATWG, with ada), and one that another parser
would read with a different host is refused: what passes the rules renders, and the host that stays in
the app is the host the webview loads. Plain http:// carries the GitHub token only to this machine."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from github_server import TOKEN, FakeGitHub, github  # noqa: F401  (fixture)

from tests.conftest import no_traceback


def conf_of(tmp_path: Path) -> dict:
    return json.loads((tmp_path / "ws" / "src-tauri" / "tauri.conf.json").read_text(encoding="utf-8"))


def internal_hosts(tmp_path: Path) -> list[str]:
    """The hosts the app keeps inside (what the runtime reads at start-up)."""
    settings = tmp_path / "ws" / "src-tauri" / "localpack" / "app.json"
    return json.loads(settings.read_text(encoding="utf-8"))["links"]["internal_hosts"]


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.com\\@good.com",  # the webview loads evil.com, urllib reads good.com
        "https://evil.com\\\\@good.com/",
        "http://0x7f.1/",  # the webview: 127.0.0.1
        "https://ex%61mple.com/",  # the webview: example.com
        "https:///evil.com",  # no host for urllib
        "https:evil.com",
        "http://[::1",  # urllib raised ValueError (exit 1)
        "http://[::1]:99999/",
        "https://" + "ü" * 70 + ".com/",  # a label of 70 letters: idna refused it at render (exit 1)
        "https://\u202eevil.com/",  # RIGHT-TO-LEFT OVERRIDE
        "https://a..b/",
    ],
)
def test_urls_the_parsers_read_differently_or_not_at_all_are_refused(run, home: Path, url: str) -> None:
    for args in (["render"], ["build", "--targets", "deb", "--no-preflight"], ["init"]):
        r = run(*args, "--url", url, "--name", "site")
        assert r.code == 2 and "app.url" in r.err and "hint:" in r.err and no_traceback(r.err), (args, r.err)
    assert not home.exists()


@pytest.mark.parametrize(
    "proxy", ["http://[::1", "http://evil.com\\@good.com:8080", "socks5://", "ftp://p:1", "http://[::1]:70000"]
)
def test_bad_proxies_are_refused(run, proxy: str) -> None:
    r = run("render", "--url", "https://example.com", "--name", "site", "--proxy", proxy)
    assert r.code == 2 and "window.proxy" in r.err and no_traceback(r.err), r.err


@pytest.mark.parametrize(
    "host",
    [
        "\u202eevil.com",
        "ü" * 70 + ".com",
        "a..b",
        "*ü.example.com",
        "evil.com\\x",
        "exa mple.com",
        "host:80",
        "xn--.com",
    ],
)
def test_internal_hosts_the_webview_could_not_match_are_refused(run, tmp_path: Path, host: str) -> None:
    (tmp_path / "localpack.toml").write_text(
        f'[app]\nname = "site"\nurl = "https://example.com"\n[behavior]\ninternal_hosts = [{json.dumps(host)}]\n'
    )
    r = run("render")
    assert r.code == 2 and "behavior.internal_hosts" in r.err and no_traceback(r.err), r.err


@pytest.mark.parametrize(
    "url,own",
    [
        ("https://münchen.de/karte", "xn--mnchen-3ya.de"),
        ("https://faß.de/", "xn--fa-hia.de"),  # UTS #46 as the webview (IDNA 2003 said fass.de)
        ("https://user:pw@Example.COM:443/", "example.com"),
        ("https://evil.com%5C@good.com/", "good.com"),  # both parsers: good.com (the rest is a user name)
        ("http://[::1]:8080/", "[::1]"),  # IPv6 in brackets, as the runtime's Url::host_str() gives it
    ],
)
def test_accepted_urls_render_with_the_host_the_webview_loads(run, tmp_path: Path, url: str, own: str) -> None:
    (tmp_path / "localpack.toml").write_text(
        '[app]\nname = "site"\nurl = ' + json.dumps(url) + '\n[behavior]\ninternal_hosts = ["*.bücher.example"]\n'
    )
    r = run("render", "--out", "ws")
    assert r.code == 0, r.err
    node = subprocess.run(
        ["node", "-e", "console.log(new URL(process.argv[1]).hostname)", url], capture_output=True, text=True
    )
    if node.returncode == 0:  # Node's own WHATWG parser agrees
        assert node.stdout.strip() == own
    hosts = internal_hosts(tmp_path)
    assert own in hosts and "*.xn--bcher-kva.example" in hosts
    assert conf_of(tmp_path)["app"]["windows"][0]["url"] == url


@pytest.mark.parametrize(
    "api",
    [
        "http://github.example.com/api/v3",
        "http://10.0.0.5/api/v3",
        "ftp://x/",
        "https://evil.com\\@github.example.com/api/v3",
        "http://[::1",
    ],
)
def test_the_token_travels_in_clear_only_to_this_machine(run, github: FakeGitHub, api: str) -> None:
    env = {"LOCALPACK_GITHUB_TOKEN": TOKEN}
    for args, extra in (
        (["token", "test", "--api-url", api], {}),
        (["token", "test"], {"LOCALPACK_GITHUB_API": api}),
        (["report", "--retry", "--api-url", api], {}),
    ):
        r = run(*args, env={**env, **extra})
        assert r.code == 2 and no_traceback(r.err), (args, r.err)
        assert ("--api-url" if "--api-url" in args else "LOCALPACK_GITHUB_API") in r.err
    assert github.requests == []


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]"])
def test_plain_http_to_loopback_is_allowed(run, github: FakeGitHub, host: str) -> None:
    url = github.url.replace("127.0.0.1", host)
    if host == "[::1]":
        url = "http://[::1]:1"  # nothing listens: the address is accepted, the connection fails (exit 5)
    r = run("token", "test", "--api-url", url, env={"LOCALPACK_GITHUB_TOKEN": TOKEN})
    assert r.code in (0, 5) and no_traceback(r.err), r.err
    if host != "[::1]":
        assert r.code == 0 and github.requests


@pytest.mark.parametrize(
    "url,own",
    [
        ("http://[::1]:8080/", "[::1]"),
        ("http://[0:0:0:0:0:0:0:1]/", "[::1]"),
        ("https://[2001:DB8::0:1]/app", "[2001:db8::1]"),
        ("http://[::ffff:127.0.0.1]:3000/", "[::ffff:7f00:1]"),  # as the standard writes it: no dotted form
    ],
)
def test_an_ipv6_site_stays_in_the_app(run, tmp_path: Path, url: str, own: str) -> None:
    """The runtime compares `Url::host_str()`, which gives IPv6 in brackets (runtime/src/links.rs tests the
    same form): app.json must hold that form, or the app's own site opens in the system browser."""
    (tmp_path / "localpack.toml").write_text(
        '[app]\nname = "site"\nurl = ' + json.dumps(url) + '\n[behavior]\ninternal_hosts = ["*.example.org"]\n'
    )
    r = run("render", "--out", "ws")
    assert r.code == 0, r.err
    node = subprocess.run(
        ["node", "-e", "console.log(new URL(process.argv[1]).hostname)", url], capture_output=True, text=True
    )
    if node.returncode == 0:  # Node's WHATWG parser writes the host as the runtime's url crate does
        assert node.stdout.strip() == own
    assert internal_hosts(tmp_path) == ["localpack.localhost", own, "*.example.org"]  # no "*.[::1]"


@pytest.mark.parametrize("host", ["::1", "[::1]", "fe80::1%eth0", "[::1"])
def test_ipv6_internal_hosts_are_refused_clearly(run, tmp_path: Path, host: str) -> None:
    """An IPv6 site is internal through app.url; `internal_hosts` takes host names and globs only."""
    (tmp_path / "localpack.toml").write_text(
        f'[app]\nname = "site"\nurl = "https://example.com"\n[behavior]\ninternal_hosts = [{json.dumps(host)}]\n'
    )
    r = run("render")
    assert r.code == 2 and "behavior.internal_hosts" in r.err and no_traceback(r.err), r.err
