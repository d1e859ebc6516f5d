//! The link policy: which URLs load in the app, which go to the system opener (browser, mail program…),
//! which are refused. Pure functions of the URL (as the webview's parser split it) and what the engine says
//! about it, plain std, so every rule has a test.

use std::time::{Duration, Instant};

/// A URL as the policy reads it: scheme, host (`""` for none) and path, from `tauri::Url` (window.rs).
#[derive(Debug, Clone, Copy)]
pub struct Link<'a> {
    pub scheme: &'a str,
    pub host: &'a str,
    pub path: &'a str,
}

/// The schemes the system opener may receive without any configuration.
const OPEN_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];
/// Never handed to the opener, whatever the config says (localpack's config refuses them too).
const NEVER_OPENED: [&str; 4] = ["file", "javascript", "data", "vbscript"];

/// Where a navigation happens, as far as the engine tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frame {
    /// The window's top-level document.
    Main,
    /// An iframe.
    // Only WebKitGTK's policy says which frame navigates; wry's handler on WebView2 and WKWebView gets a URL
    // alone, which the runtime decides as the top-level document's (docs/defences.md).
    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    Sub,
    /// The engine does not say (WebKitGTK's navigation policy); decided again at the response.
    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    Unknown,
}

/// What becomes of a navigation or a new-window request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Loads where it was asked for (the frame, or the window).
    Load,
    /// Cancelled here and handed to the system opener (subject to the rate limit).
    Open,
    /// A real child window of the app that keeps `window.opener` (sign-in popups).
    Popup,
    /// `window.new_window = "same"`: the main window goes there.
    SameWindow,
    /// Cancelled and logged; the reason names the rule.
    Refuse(&'static str),
}

/// The rules of one app, from its settings.
#[derive(Debug, Default, Clone)]
pub struct Policy {
    /// `external_links = "browser"`: other sites open in the system browser.
    pub browser: bool,
    /// `window.new_window = "new"`: the app's own `window.open` / `target=_blank` get a child window.
    pub new_windows: bool,
    /// Lowercase punycode host globs that belong to the app.
    pub internal_hosts: Vec<String>,
    /// `host-glob` or `host-glob/path-prefix`: sign-in pages that always open in the app, as popups.
    pub signin_hosts: Vec<String>,
    /// Schemes the opener receives beyond http, https, mailto and tel (lowercase).
    pub open_schemes: Vec<String>,
}

impl Policy {
    /// A navigation of an existing window or frame. `popup`: the window is a child window the site
    /// opened (a sign-in flow runs through several hosts in it, as in a browser's popup). `gesture`: the
    /// engine's word on whether the user started it (`None` where it does not say).
    pub fn navigation(&self, url: Link<'_>, frame: Frame, popup: bool, gesture: Option<bool>) -> Decision {
        match url.scheme {
            "http" | "https" => {
                if frame != Frame::Main || popup || !self.browser || self.stays(url) {
                    Decision::Load
                } else {
                    Decision::Open
                }
            }
            "localpack" | "blob" => Decision::Load,
            "about" if matches!(url.path, "blank" | "srcdoc") => Decision::Load,
            // A page of data in the window's address is how phishing pages and local-file tricks start;
            // browsers refuse it at top level too. In a frame it is just content.
            "data" => match frame {
                Frame::Main => Decision::Refuse("a data: URL at top level"),
                Frame::Sub | Frame::Unknown => Decision::Load,
            },
            scheme if self.may_open(scheme) => match (frame, gesture) {
                (Frame::Sub, _) => Decision::Refuse("a frame may not open other programs"),
                (_, Some(false)) => Decision::Refuse("no user gesture"),
                (Frame::Unknown, None) => Decision::Refuse("no user gesture"),
                _ => Decision::Open,
            },
            _ => Decision::Refuse("a scheme the app does not open"),
        }
    }

    /// `window.open` or a `target=_blank` link: a new top-level window.
    pub fn new_window(&self, url: Link<'_>) -> Decision {
        match url.scheme {
            "http" | "https" if self.signin(url) => Decision::Popup,
            "http" | "https" if !self.browser || self.stays(url) => self.own_window(),
            "http" | "https" => Decision::Open,
            "localpack" => self.own_window(),
            // `window.open('', name)` then `popup.location = …`: a window the page fills in itself.
            "about" if url.path == "blank" => Decision::Popup,
            "blob" => Decision::Popup,
            "data" => Decision::Refuse("a data: URL at top level"),
            scheme if self.may_open(scheme) => Decision::Open,
            _ => Decision::Refuse("a scheme the app does not open"),
        }
    }

    fn own_window(&self) -> Decision {
        if self.new_windows {
            Decision::Popup
        } else {
            Decision::SameWindow
        }
    }

    /// The app's own hosts and the sign-in pages stay in the app.
    fn stays(&self, url: Link<'_>) -> bool {
        let host = url.host.to_ascii_lowercase();
        self.internal_hosts
            .iter()
            .any(|p| glob_match(p.as_bytes(), host.as_bytes()))
            || self.signin(url)
    }

    fn signin(&self, url: Link<'_>) -> bool {
        let host = url.host.to_ascii_lowercase();
        self.signin_hosts.iter().any(|entry| {
            let (pattern, prefix) = match entry.split_once('/') {
                Some((pattern, path)) => (pattern, Some(path)),
                None => (entry.as_str(), None),
            };
            glob_match(pattern.as_bytes(), host.as_bytes())
                && prefix.is_none_or(|p| path_under(url.path.trim_start_matches('/'), p.trim_matches('/')))
        })
    }

    fn may_open(&self, scheme: &str) -> bool {
        let scheme = scheme.to_ascii_lowercase();
        !NEVER_OPENED.contains(&scheme.as_str())
            && (OPEN_SCHEMES.contains(&scheme.as_str()) || self.open_schemes.contains(&scheme))
    }
}

/// `login/oauth` is under `login`; `loginx` is not.
fn path_under(path: &str, prefix: &str) -> bool {
    prefix.is_empty()
        || path
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// `*` matches any run of characters, everything else itself.
fn glob_match(pattern: &[u8], text: &[u8]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some((b'*', rest)) => (0..=text.len()).any(|i| glob_match(rest, &text[i..])),
        Some((c, rest)) => text
            .split_first()
            .is_some_and(|(t, text)| t == c && glob_match(rest, text)),
    }
}

/// How often the opener may be called: at most one open per `GAP`, at most `PER_MINUTE` in any minute.
/// A page that navigates to other sites in a loop gets one browser tab, not one per turn.
pub struct Limiter {
    recent: Vec<Instant>,
}

pub const GAP: Duration = Duration::from_secs(1);
pub const PER_MINUTE: usize = 5;
const MINUTE: Duration = Duration::from_secs(60);

impl Limiter {
    pub fn new() -> Self {
        Self { recent: Vec::new() }
    }

    /// Whether an open at `now` may go ahead (and counts it if so).
    pub fn allow(&mut self, now: Instant) -> bool {
        self.recent.retain(|t| now.saturating_duration_since(*t) < MINUTE);
        let too_soon = self
            .recent
            .last()
            .is_some_and(|t| now.saturating_duration_since(*t) < GAP);
        if too_soon || self.recent.len() >= PER_MINUTE {
            return false;
        }
        self.recent.push(now);
        true
    }
}

/// What the log may say about a URL: its scheme and host, never its path or query (tokens travel there).
pub fn describe(url: Link<'_>) -> String {
    if url.host.is_empty() {
        format!("{}:", url.scheme)
    } else {
        format!("{}://{}", url.scheme, url.host)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tauri::Url;

    /// Parsed by the webview's parser, as window.rs hands URLs to the policy.
    fn url(text: &str) -> Link<'static> {
        let url: &'static Url = Box::leak(Box::new(Url::parse(text).unwrap()));
        Link {
            scheme: url.scheme(),
            host: url.host_str().unwrap_or(""),
            path: url.path(),
        }
    }

    fn policy() -> Policy {
        Policy {
            browser: true,
            new_windows: false,
            internal_hosts: vec![
                "example.com".into(),
                "*.example.com".into(),
                "localpack.localhost".into(),
            ],
            signin_hosts: vec!["accounts.google.com".into(), "github.com/login".into()],
            open_schemes: vec!["zoommtg".into()],
        }
    }

    fn top(p: &Policy, u: &str) -> Decision {
        p.navigation(url(u), Frame::Main, false, None)
    }

    #[test]
    fn own_hosts_stay_other_sites_go_to_the_browser() {
        let p = policy();
        assert_eq!(top(&p, "https://example.com/a"), Decision::Load);
        assert_eq!(top(&p, "https://WWW.Example.com/"), Decision::Load);
        assert_eq!(top(&p, "http://localpack.localhost/index.html"), Decision::Load);
        assert_eq!(top(&p, "localpack://localhost/index.html"), Decision::Load);
        assert_eq!(top(&p, "https://example.com.evil.org/"), Decision::Open);
        assert_eq!(top(&p, "https://notexample.com/"), Decision::Open);
        // Sign-in pages stay, by host and, where given, by path.
        assert_eq!(top(&p, "https://accounts.google.com/o/oauth2"), Decision::Load);
        assert_eq!(top(&p, "https://github.com/login/oauth/authorize"), Decision::Load);
        assert_eq!(top(&p, "https://github.com/login"), Decision::Load);
        assert_eq!(top(&p, "https://github.com/loginx"), Decision::Open);
        assert_eq!(top(&p, "https://github.com/someone"), Decision::Open);
    }

    #[test]
    fn only_safe_schemes_reach_the_opener() {
        let p = policy();
        for u in [
            "mailto:a@example.com",
            "tel:+100",
            "zoommtg://zoom.us/join",
            "MAILTO:a@b.c",
        ] {
            assert_eq!(top(&p, u), Decision::Open, "{u}");
        }
        for u in [
            "smb://host/share",
            "search-ms:query=x",
            "vscode://file/etc/passwd",
            "ms-settings:",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "vbscript:x",
            "about:config",
            "msteams:/l/chat",
        ] {
            assert!(matches!(top(&p, u), Decision::Refuse(_)), "{u}");
            assert!(matches!(p.new_window(url(u)), Decision::Refuse(_)), "{u}");
        }
        // The config cannot let in what is never opened.
        let mut risky = policy();
        risky.open_schemes = vec!["file".into(), "javascript".into(), "data".into(), "vbscript".into()];
        for u in ["file:///etc/passwd", "javascript:alert(1)", "vbscript:x"] {
            assert!(matches!(top(&risky, u), Decision::Refuse(_)), "{u}");
        }
        assert!(matches!(top(&risky, "data:text/html,x"), Decision::Refuse(_)));
    }

    #[test]
    fn frames_load_in_place_and_never_reach_the_opener() {
        let p = policy();
        for frame in [Frame::Sub, Frame::Unknown] {
            assert_eq!(
                p.navigation(url("https://video.other.org/embed"), frame, false, None),
                Decision::Load
            );
            assert_eq!(
                p.navigation(url("data:text/html,x"), frame, false, None),
                Decision::Load
            );
        }
        assert!(matches!(
            p.navigation(url("mailto:a@b.c"), Frame::Sub, false, Some(true)),
            Decision::Refuse(_)
        ));
        assert!(matches!(
            p.navigation(url("smb://host/share"), Frame::Sub, false, Some(true)),
            Decision::Refuse(_)
        ));
        // Where the engine cannot say which frame, only the user's click opens another program.
        assert!(matches!(
            p.navigation(url("mailto:a@b.c"), Frame::Unknown, false, None),
            Decision::Refuse(_)
        ));
        assert!(matches!(
            p.navigation(url("mailto:a@b.c"), Frame::Unknown, false, Some(false)),
            Decision::Refuse(_)
        ));
        assert_eq!(
            p.navigation(url("mailto:a@b.c"), Frame::Unknown, false, Some(true)),
            Decision::Open
        );
        assert_eq!(
            p.navigation(url("mailto:a@b.c"), Frame::Main, false, Some(true)),
            Decision::Open
        );
        assert!(matches!(
            p.navigation(url("mailto:a@b.c"), Frame::Main, false, Some(false)),
            Decision::Refuse(_)
        ));
    }

    #[test]
    fn app_mode_keeps_sites_but_never_shows_local_files_or_data() {
        let p = Policy {
            browser: false,
            ..policy()
        };
        assert_eq!(top(&p, "https://anywhere.org/"), Decision::Load);
        assert_eq!(p.new_window(url("https://anywhere.org/")), Decision::SameWindow);
        for u in ["file:///etc/passwd", "data:text/html,<h1>x", "smb://host/share"] {
            assert!(matches!(top(&p, u), Decision::Refuse(_)), "{u}");
            assert!(matches!(p.new_window(url(u)), Decision::Refuse(_)), "{u}");
        }
        assert_eq!(top(&p, "mailto:a@b.c"), Decision::Open);
    }

    #[test]
    fn new_windows_popups_and_the_browser() {
        let p = policy();
        assert_eq!(
            p.new_window(url("https://accounts.google.com/o/oauth2")),
            Decision::Popup
        );
        assert_eq!(p.new_window(url("https://github.com/login/oauth")), Decision::Popup);
        assert_eq!(p.new_window(url("about:blank")), Decision::Popup);
        assert_eq!(p.new_window(url("https://example.com/help")), Decision::SameWindow);
        assert_eq!(p.new_window(url("https://other.org/")), Decision::Open);
        assert_eq!(p.new_window(url("https://github.com/someone")), Decision::Open);
        assert_eq!(p.new_window(url("mailto:a@b.c")), Decision::Open);
        let p = Policy {
            new_windows: true,
            ..policy()
        };
        assert_eq!(p.new_window(url("https://example.com/help")), Decision::Popup);
        // Inside a popup a sign-in flow may pass through any site.
        assert_eq!(
            p.navigation(url("https://idp.other.org/"), Frame::Main, true, None),
            Decision::Load
        );
        assert!(matches!(
            p.navigation(url("smb://x/y"), Frame::Main, true, Some(true)),
            Decision::Refuse(_)
        ));
    }

    #[test]
    fn at_most_one_open_a_second_and_five_a_minute() {
        let mut limiter = Limiter::new();
        let start = Instant::now();
        assert!(limiter.allow(start));
        for ms in [1, 10, 500, 999] {
            assert!(!limiter.allow(start + Duration::from_millis(ms)), "{ms}");
        }
        let mut allowed = 1;
        for tenth in 10..600 {
            if limiter.allow(start + Duration::from_millis(tenth * 100)) {
                allowed += 1;
            }
        }
        assert_eq!(allowed, PER_MINUTE);
        assert!(limiter.allow(start + Duration::from_secs(61)));
    }

    #[test]
    fn logs_name_no_path_or_query() {
        assert_eq!(describe(url("https://evil.org/cb?token=secret")), "https://evil.org");
        assert_eq!(describe(url("smb://host/share")), "smb://host");
        assert_eq!(describe(url("mailto:a@b.c")), "mailto:");
    }

    #[test]
    fn ipv6_hosts_in_the_form_url_host_str_gives() {
        // localpack writes an IPv6 site's host in brackets (project/app_settings.py), as host_str() returns it.
        let p = Policy {
            internal_hosts: vec!["[::1]".to_string(), "localpack.localhost".to_string()],
            ..policy()
        };
        assert_eq!(url("http://[0:0::1]:8080/app").host, "[::1]");
        assert_eq!(top(&p, "http://[0:0::1]:8080/app"), Decision::Load);
        assert_eq!(top(&p, "http://[::2]/"), Decision::Open);
    }
}
