"""Config loading and validation: every bad input names the file, the key and the rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from localpack.config import model as config
from localpack.errors import ConfigError
from tests.conftest import write_config


def load_text(tmp_path: Path, text: str, **overrides):
    return config.load(write_config(tmp_path, text), overrides, require_file=True)


def test_defaults_from_name_and_url(tmp_path: Path) -> None:
    cfg = load_text(tmp_path, '[app]\nname = "example"\nurl = "https://example.com"\n')
    assert cfg.app.title == "example"
    assert cfg.app.identifier == "com.localpack.example"
    assert cfg.app.version == "1.0.0"
    assert (cfg.window.width, cfg.window.height) == (1200, 780)
    assert cfg.behavior.external_links == "browser"
    assert cfg.source == (tmp_path / "localpack.toml").resolve()


def test_flags_alone_are_enough(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    cfg = config.load(tmp_path / "missing.toml", {"app.url": "https://example.com", "app.name": "ex"})
    assert cfg.source is None and cfg.name == "ex" and cfg.app.url == "https://example.com"


def test_flags_override_file_and_replace_the_other_source(tmp_path: Path) -> None:
    web = tmp_path / "web"
    web.mkdir()
    (web / "index.html").write_text("<h1>hi</h1>")
    cfg = load_text(
        tmp_path,
        '[app]\nname = "a"\ndist = "web"\n[window]\nwidth = 900\n',
        **{"app.url": "https://x.org", "window.width": 1000},
    )
    assert cfg.app.url == "https://x.org" and cfg.app.dist is None and cfg.window.width == 1000


def test_relative_paths_are_relative_to_the_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    proj = tmp_path / "proj"
    (proj / "web").mkdir(parents=True)
    (proj / "web" / "index.html").write_text("x")
    (proj / "extra.css").write_text("body{}")
    monkeypatch.chdir(tmp_path)
    cfg = load_text(proj, '[app]\nname = "a"\ndist = "web"\n[behavior]\ninject = ["extra.css"]\n')
    assert cfg.app.dist == (proj / "web").resolve()
    assert cfg.behavior.inject == ((proj / "extra.css").resolve(),)


BAD = [
    ('[app]\nname = "My App"\nurl = "https://e.com"', "app.name", "lowercase"),
    ('[app]\nname = "9lives"\nurl = "https://e.com"', "app.name", "start with a letter"),
    ('[app]\nurl = "https://e.com"', "app.name", "required"),
    ('[app]\nname = "a"\nurl = "ftp://e.com"', "app.url", "http:// or https://"),
    ('[app]\nname = "a"\nurl = "https://"', "app.url", "with a host"),
    ('[app]\nname = "a"\nurl = "https://e.com/a b"', "app.url", "without spaces"),
    ('[app]\nname = "a"', "app.url", "exactly one"),
    ('[app]\nname = "a"\nurl = "https://e.com"\nidentifier = "example"', "app.identifier", "reverse-DNS"),
    ('[app]\nname = "a"\nurl = "https://e.com"\nidentifier = "com.tauri.dev"', "app.identifier", "placeholder"),
    ('[app]\nname = "a"\nurl = "https://e.com"\nidentifier = "com.ex_ample.x"', "app.identifier", "reverse-DNS"),
    ('[app]\nname = "a"\nurl = "https://e.com"\nversion = "1.0"', "app.version", "major.minor.patch"),
    ('[app]\nname = "a"\nurl = "https://e.com"\ntitle = "a\\nb"', "app.title", "printable"),
    ('[app]\nname = "a"\nurl = "https://e.com"\ntitle = "  "', "app.title", "not be empty"),
    ('[app]\nname = "a"\nurl = "https://e.com"\nicon = "nope.png"', "app.icon", "existing image"),
    ('[app]\nname = "a"\ndist = "nowhere"', "app.dist", "existing folder"),
    ('[app]\nname = "a"\nurl = "https://e.com"\nnmae = "b"', "app.nmae", "did you mean 'name'"),
    ('[ap]\nname = "a"', "[ap]", "did you mean 'app'"),
    ('[app]\nname = "a"\nurl = "https://e.com"\n[window]\nwidth = 0', "window.width", "positive"),
    ('[app]\nname = "a"\nurl = "https://e.com"\n[window]\nwidth = "wide"', "window.width", "whole number"),
    (
        '[app]\nname = "a"\nurl = "https://e.com"\n[window]\nwidth = 800\nmin_width = 900',
        "window.min_width",
        "must not exceed",
    ),
    (
        '[app]\nname = "a"\nurl = "https://e.com"\n[window]\nheight = 800\nmax_height = 700',
        "window.max_height",
        "below",
    ),
    ('[app]\nname = "a"\nurl = "https://e.com"\n[window]\nresizable = "yes"', "window.resizable", "true or false"),
    ('[app]\nname = "a"\nurl = "https://e.com"\n[window]\nzoom = 5', "window.zoom", "20 to 500"),
    ('[app]\nname = "a"\nurl = "https://e.com"\n[window]\nproxy = "ftp://p"', "window.proxy", "proxy URL"),
    (
        '[app]\nname = "a"\nurl = "https://e.com"\n[behavior]\nexternal_links = "browsr"',
        "behavior.external_links",
        "did you mean 'browser'",
    ),
    (
        '[app]\nname = "a"\nurl = "https://e.com"\n[behavior]\ninternal_hosts = ["https://x.com"]',
        "behavior.internal_hosts",
        "no scheme",
    ),
    ('[app]\nname = "a"\nurl = "https://e.com"\n[behavior]\ninject = ["x.txt"]', "behavior.inject", ".js or .css"),
    ('[app]\nname = "a"\nurl = "https://e.com"\n[behavior]\ninject = ["gone.js"]', "behavior.inject", "does not exist"),
    (
        '[app]\nname = "a"\nurl = "https://e.com"\n[behavior]\nhide_selectors = ".ad"',
        "behavior.hide_selectors",
        "list of strings",
    ),
    ('[app]\nname = "a"\nurl = "https://e.com"\n[bundle]\ntargets = ["dep"]', "bundle.targets", "did you mean 'deb'"),
    ('[app]\nname = "a"\nurl = "https://e.com"\n[report]\nrepo = "nope"', "report.repo", "owner/name"),
    ('[app]\nname = "a"\nurl = "https://e.com"\n[window]\nwidth = 1\n[window]', "not valid TOML", "line"),
    ("app = 3", "app", "must be a table"),
    ('[app]\nname = "a"\nurl = "https://e.com"\n[window]\ntheme = "drak"', "window.theme", "did you mean 'dark'"),
    (
        '[app]\nname = "a"\nurl = "https://e.com"\n[bundle]\ncategory = "Utilty"',
        "bundle.category",
        "did you mean 'Utility'",
    ),
    (
        '[app]\nname = "a"\nurl = "https://e.com"\n[behavior]\nhide_selectors = ["a{}b"]',
        "behavior.hide_selectors",
        "without '{'",
    ),
    (
        '[app]\nname = "a"\nurl = "https://e.com"\n[behavior]\nstart_hidden = true',
        "behavior.start_hidden",
        "needs behavior.tray",
    ),
    ('[app]\nname = "a"\nurl = "https://e.com"\n[bundle]\nkeywords = ["a;b"]', "bundle.keywords", "without ';'"),
    (
        '[app]\nname = "a"\nurl = "https://e.com"\n[window]\nzoom_hotkey = false',
        "window.zoom_hotkey",
        "did you mean 'zoom_hotkeys'",
    ),
    (
        '[app]\nname = "a"\nurl = "https://e.com"\n[window]\nnew_window = "tab"',
        "window.new_window",
        "one of 'same', 'new'",
    ),
    (
        '[app]\nname = "a"\nurl = "https://e.com"\n[window]\ntitle_from_page = 1',
        "window.title_from_page",
        "true or false",
    ),
    (
        '[app]\nname = "a"\nurl = "https://e.com"\n[behavior]\nactivation_shortcut = "K"',
        "behavior.activation_shortcut",
        "needs a modifier",
    ),
    (
        '[app]\nname = "a"\nurl = "https://e.com"\n[behavior]\nactivation_shortcut = "Ctrl+Spce"',
        "behavior.activation_shortcut",
        "did you mean 'Space'",
    ),
    (
        '[app]\nname = "a"\nurl = "https://e.com"\n[behavior]\ndownload_dir = "localpack.toml"',
        "behavior.download_dir",
        "is a file",
    ),
    (
        '[app]\nname = "a"\nurl = "https://e.com"\n[behavior]\ndownload_dir = "localpack.toml/sub"',
        "behavior.download_dir",
        "is a file",
    ),
    (
        '[app]\nname = "a"\nurl = "https://e.com"\n[behavior]\ndownload_dir = "~no-such-user-xyz/d"',
        "behavior.download_dir",
        "cannot be expanded",
    ),
    ('[app]\nname = "a"\nurl = "https://e.com"\n[behavior]\ndownloads = "yes"', "behavior.downloads", "true or false"),
]


@pytest.mark.parametrize("text,key,rule", BAD, ids=[b[1] + ":" + b[2] for b in BAD])
def test_bad_input_names_file_key_and_rule(tmp_path: Path, text: str, key: str, rule: str) -> None:
    with pytest.raises(ConfigError) as e:
        load_text(tmp_path, text + "\n")
    assert str(tmp_path / "localpack.toml") in e.value.message
    assert key in e.value.message
    assert rule in e.value.message
    assert e.value.exit_code == 2 and e.value.hint


def test_all_problems_are_counted_in_one_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as e:
        load_text(tmp_path, '[app]\nname = "A"\nurl = "x"\nversion = "1"\n')
    assert "and 2 more: app.url, app.version" in e.value.message
    assert "\n" not in e.value.message


def test_dist_needs_index_html(tmp_path: Path) -> None:
    (tmp_path / "web").mkdir()
    with pytest.raises(ConfigError, match="must contain index.html"):
        load_text(tmp_path, '[app]\nname = "a"\ndist = "web"\n')


def test_config_is_immutable(tmp_path: Path) -> None:
    cfg = load_text(tmp_path, '[app]\nname = "a"\nurl = "https://e.com"\n')
    with pytest.raises(AttributeError):
        cfg.app.name = "b"  # type: ignore[misc]


def test_new_option_defaults_and_category_spellings(tmp_path: Path) -> None:
    cfg = load_text(tmp_path, '[app]\nname = "a"\nurl = "https://e.com"\n[bundle]\ncategory = "social networking"\n')
    assert cfg.bundle.category == "SocialNetworking"  # spelled as the bundler accepts it, stored as Tauri's name
    assert (cfg.window.theme, cfg.window.zoom_hotkeys, cfg.behavior.reload_shortcut, cfg.behavior.retry_page) == (
        "system",
        True,
        True,
        True,
    )
    assert (cfg.behavior.tray, cfg.behavior.hide_on_close, cfg.app.icon_round) == (False, False, False)


def test_inject_files_must_be_utf8(tmp_path: Path) -> None:
    (tmp_path / "latin1.js").write_bytes("var s = 'caf\xe9';".encode("latin-1"))
    with pytest.raises(ConfigError, match="must be UTF-8"):
        load_text(tmp_path, '[app]\nname = "a"\nurl = "https://e.com"\n[behavior]\ninject = ["latin1.js"]\n')


def test_parity_options_defaults(tmp_path: Path) -> None:
    cfg = load_text(tmp_path, '[app]\nname = "a"\nurl = "https://e.com"\n')
    assert (cfg.window.title_from_page, cfg.window.new_window) == (True, "same")
    b = cfg.behavior
    assert (
        b.autostart,
        b.context_menu,
        b.inject_jquery,
        b.downloads,
        b.download_dir,
        b.find_in_page,
        b.activation_shortcut,
    ) == (False, True, False, True, None, True, "")


def test_download_dir_resolves_like_other_paths_and_need_not_exist(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    cfg = load_text(tmp_path, '[app]\nname = "a"\nurl = "https://e.com"\n[behavior]\ndownload_dir = "got/here"\n')
    assert cfg.behavior.download_dir == (tmp_path / "got" / "here").resolve()
    assert not cfg.behavior.download_dir.exists()  # the app creates it
    cfg = load_text(tmp_path, '[app]\nname = "a"\nurl = "https://e.com"\n[behavior]\ndownload_dir = "~/Saved"\n')
    assert cfg.behavior.download_dir == tmp_path / "home" / "Saved"
    cfg = load_text(tmp_path, '[app]\nname = "a"\nurl = "https://e.com"\n[behavior]\ndownload_dir = ""\n')
    assert cfg.behavior.download_dir is None  # empty: the Downloads folder


def test_new_window_and_shortcut_accept_good_values(tmp_path: Path) -> None:
    cfg = load_text(
        tmp_path,
        '[app]\nname = "a"\nurl = "https://e.com"\n[window]\nnew_window = "new"\n'
        '[behavior]\nactivation_shortcut = "CmdOrCtrl+Shift+K"\n',
    )
    assert (cfg.window.new_window, cfg.behavior.activation_shortcut) == ("new", "CmdOrCtrl+Shift+K")


def test_each_problem_is_kept_with_its_key_for_a_form(tmp_path: Path) -> None:
    """`localpack ui` puts each error next to its field: the error carries (key, rule) pairs, not just a line."""
    cfg = write_config(tmp_path, '[app]\nname = "My App"\nurl = "https://e.com"\n[window]\nzoom = 900\ntheme = "drak"')
    with pytest.raises(config.InvalidConfig) as e:
        config.load(cfg)
    problems = dict(e.value.problems)
    assert set(problems) == {"app.name", "window.zoom", "window.theme"}
    assert problems["window.zoom"] == "must be a percentage from 20 to 500"
    assert e.value.message.endswith("(and 2 more: window.zoom, window.theme)")  # the CLI's one line is unchanged


def test_a_rule_can_be_said_in_another_language(tmp_path: Path) -> None:
    cfg = write_config(tmp_path, '[app]\nname = "a"\nurl = "https://e.com"\n[window]\ntheme = "drak"')
    with pytest.raises(config.InvalidConfig) as e:
        config.load(cfg)
    [(key, text)] = e.value.problems
    assert text == "must be one of 'system', 'light', 'dark' (did you mean 'dark'?)"  # the CLI's English
    catalogue = {
        "must be one of {choices}{suggestion}": "必须是 {choices} 之一{suggestion}",
        " (did you mean '{word}'?)": "（是不是 '{word}'？）",
    }
    assert text.say(catalogue) == "必须是 'system', 'light', 'dark' 之一（是不是 'dark'？）"
    assert text.say({}) == text  # no entry: the English
