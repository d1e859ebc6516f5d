//! What the app answers when a page asks for something (pure logic, no engine calls): the per-app policy
//! from the settings, the notification answers a user gave once (kept in the app's data dir), a trusted
//! certificate's fingerprint, a badge count, and the page shown when the page's web process is gone.
//!
//! Off Linux: `decide`, the certificate checks (`fingerprint`, `trusted`; Windows also `pem_body`) and the
//! reload page, with `HangWatch` on Windows and `badge_count` on macOS. WebView2 and WKWebView keep
//! notification answers to themselves (docs/engine.md), so those are WebKitGTK's alone.
#![cfg_attr(not(target_os = "linux"), allow(dead_code))]

use crate::settings::{NotificationPolicy, Permission, Web};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;
#[cfg(any(windows, test))]
use std::time::Instant;

/// A page whose web process stays unresponsive this long after the engine noticed is stopped and replaced by
/// the reload page.
pub const HANG_GRACE: Duration = Duration::from_secs(8);
/// WebView2 reports an unresponsive page again every few seconds and never says that it recovered: a gap this
/// long between two reports means the page answered in between.
#[cfg(any(windows, test))]
const HANG_REPORT_GAP: Duration = Duration::from_secs(15);

/// The answer to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    Deny,
    /// Ask the user (notifications only, with `notifications = "ask"` and no answer kept for the origin).
    Ask,
}

/// A device or API a page asked for, when it is not a notification.
pub fn decide(web: &Web, kind: Permission) -> Decision {
    if web.allow.contains(&kind) {
        Decision::Allow
    } else {
        Decision::Deny
    }
}

/// Notifications for `origin`: the policy, or the answer the user gave before.
pub fn decide_notifications(web: &Web, answers: &Answers, origin: &str) -> Decision {
    match web.notifications {
        NotificationPolicy::Allow => Decision::Allow,
        NotificationPolicy::Deny => Decision::Deny,
        NotificationPolicy::Ask => match answers.get(origin) {
            Some(true) => Decision::Allow,
            Some(false) => Decision::Deny,
            None => Decision::Ask,
        },
    }
}

/// The notification answers the user gave, by origin (`scheme://host[:port]`); a JSON file in the app's
/// data dir, or nothing on disk for an incognito app.
#[derive(Debug, Default)]
pub struct Answers {
    file: Option<PathBuf>,
    by_origin: BTreeMap<String, bool>,
}

impl Answers {
    /// The answers kept in `file` (none when it is missing or not a JSON object of booleans).
    pub fn load(file: Option<PathBuf>) -> Self {
        let by_origin = file
            .as_deref()
            .and_then(|f| std::fs::read(f).ok())
            .and_then(|bytes| serde_json::from_slice::<BTreeMap<String, bool>>(&bytes).ok())
            .unwrap_or_default();
        Self { file, by_origin }
    }

    pub fn get(&self, origin: &str) -> Option<bool> {
        self.by_origin.get(origin).copied()
    }

    /// Every answer, by origin (macOS writes them into the notification polyfill).
    #[cfg(target_os = "macos")]
    pub fn all(&self) -> &BTreeMap<String, bool> {
        &self.by_origin
    }

    pub fn allowed(&self) -> impl Iterator<Item = &str> {
        self.by_origin.iter().filter(|(_, v)| **v).map(|(k, _)| k.as_str())
    }

    pub fn denied(&self) -> impl Iterator<Item = &str> {
        self.by_origin.iter().filter(|(_, v)| !**v).map(|(k, _)| k.as_str())
    }

    /// Keep the user's answer (written through a temporary file, so a crash leaves the old one).
    pub fn remember(&mut self, origin: &str, allowed: bool) {
        self.by_origin.insert(origin.to_string(), allowed);
        if let Some(file) = &self.file {
            if let Ok(text) = serde_json::to_vec_pretty(&self.by_origin) {
                let _ = write_atomic(file, &text);
            }
        }
    }
}

fn write_atomic(file: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = file.with_extension("tmp");
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, file)
}

/// A certificate's SHA-256 fingerprint as the config writes it: 32 upper-case hex pairs joined by `:`.
pub fn fingerprint(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(":")
}

/// The base64 of the first certificate in PEM text (WebView2 hands the certificate over as PEM), with the
/// line breaks taken out; `None` without a complete `CERTIFICATE` block.
#[cfg(any(windows, test))]
pub fn pem_body(pem: &str) -> Option<String> {
    let (_, rest) = pem.split_once("-----BEGIN CERTIFICATE-----")?;
    let (body, _) = rest.split_once("-----END CERTIFICATE-----")?;
    Some(body.chars().filter(|c| !c.is_ascii_whitespace()).collect())
}

/// Whether the certificate with this fingerprint was trusted for `host` in the config.
pub fn trusted(web: &Web, host: &str, fingerprint: &str) -> bool {
    web.trusted_certificates
        .iter()
        .any(|t| t.host.eq_ignore_ascii_case(host) && t.sha256.eq_ignore_ascii_case(fingerprint))
}

/// Where the badge polyfill (`badge.js`) posts the count: WebKit's script message handler (Linux, macOS) and
/// the key of WebView2's message object (Windows).
pub const BADGE_HANDLER: &str = "localpackBadge";

/// The app's question before a site shows notifications, naming the site by its host (the app's title for
/// an origin with none, such as a web-folder app's).
pub fn notification_question(origin: &str, title: &str) -> String {
    let site = tauri::Url::parse(origin)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| title.to_string());
    format!("Allow {site} to show notifications?")
}

/// The count `navigator.setAppBadge(n)` asks for: `None` clears the badge (0, no number, `clearAppBadge`);
/// anything that is not a finite number ≥ 0 is refused, as the Badging API rejects it.
pub fn badge_count(value: f64) -> Result<Option<u32>, ()> {
    if !value.is_finite() || value < 0.0 {
        return Err(());
    }
    let n = value.floor().min(f64::from(u32::MAX)) as u32;
    Ok((n > 0).then_some(n))
}

/// The page shown in place of a page whose web process crashed or was stopped because it hung.
pub fn reload_page(title: &str, url: &str, hung: bool) -> String {
    let what = if hung {
        "This page stopped responding, so it was stopped."
    } else {
        "This page crashed."
    };
    let (title, url) = (html_escape(title), html_escape(url));
    format!(
        "<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head>\
         <body style='font:16px system-ui,sans-serif;margin:15vh auto;max-width:32em;text-align:center'>\
         <h1 style='font-size:1.3em'>{what}</h1><p>{title}</p>\
         <p><a id='__localpack_reload' href='{url}' style='display:inline-block;padding:8px 18px;border-radius:6px;\
         background:#2563eb;color:#fff;text-decoration:none'>Reload</a></p></body></html>"
    )
}

/// WebView2's "unresponsive" reports of one page, turned into the moment to stop it: the page has been
/// unresponsive for `HANG_GRACE` without a gap of `HANG_REPORT_GAP` between two reports.
#[cfg(any(windows, test))]
#[derive(Debug, Default)]
pub struct HangWatch {
    /// The first and the latest report of the current run.
    run: Option<(Instant, Instant)>,
}

#[cfg(any(windows, test))]
impl HangWatch {
    /// One report at `now`; true when the page is to be replaced (the watch then starts over).
    pub fn report(&mut self, now: Instant) -> bool {
        let first = match self.run {
            Some((first, latest)) if now.saturating_duration_since(latest) < HANG_REPORT_GAP => first,
            _ => now,
        };
        if now.saturating_duration_since(first) >= HANG_GRACE {
            self.run = None;
            return true;
        }
        self.run = Some((first, now));
        false
    }
}

fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::TrustedCertificate;

    #[test]
    fn the_notification_question_names_the_site_by_its_host() {
        let ask = |origin| notification_question(origin, "Mail");
        assert_eq!(
            ask("https://mail.example.com"),
            "Allow mail.example.com to show notifications?"
        );
        assert_eq!(ask("https://[::1]:8443"), "Allow [::1] to show notifications?");
        // no origin, or one with no host: the app's title
        assert_eq!(ask(""), "Allow Mail to show notifications?");
        assert_eq!(ask("data:text/html,x"), "Allow Mail to show notifications?");
    }

    fn web(notifications: NotificationPolicy, allow: Vec<Permission>) -> Web {
        Web {
            notifications,
            allow,
            trusted_certificates: vec![TrustedCertificate {
                host: "intranet.example".into(),
                sha256: "AB:".repeat(31) + "CD",
            }],
        }
    }

    #[test]
    fn devices_are_denied_unless_allowed() {
        let w = web(NotificationPolicy::Ask, vec![Permission::Microphone]);
        assert_eq!(decide(&w, Permission::Microphone), Decision::Allow);
        assert_eq!(decide(&w, Permission::Camera), Decision::Deny);
        assert_eq!(decide(&Web::default(), Permission::Geolocation), Decision::Deny);
    }

    #[test]
    fn notifications_ask_once_then_remember() {
        let dir = std::env::temp_dir().join(format!("localpack-answers-{}", std::process::id()));
        let file = dir.join("permissions.json");
        let w = web(NotificationPolicy::Ask, vec![]);
        let mut answers = Answers::load(Some(file.clone()));
        assert_eq!(decide_notifications(&w, &answers, "https://a.example"), Decision::Ask);
        answers.remember("https://a.example", true);
        answers.remember("https://b.example", false);
        let again = Answers::load(Some(file));
        assert_eq!(decide_notifications(&w, &again, "https://a.example"), Decision::Allow);
        assert_eq!(decide_notifications(&w, &again, "https://b.example"), Decision::Deny);
        assert_eq!(again.allowed().collect::<Vec<_>>(), ["https://a.example"]);
        assert_eq!(again.denied().collect::<Vec<_>>(), ["https://b.example"]);
        // The policy wins over a kept answer.
        assert_eq!(
            decide_notifications(&web(NotificationPolicy::Deny, vec![]), &again, "https://a.example"),
            Decision::Deny
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_damaged_answers_file_is_no_answer() {
        let file = std::env::temp_dir().join(format!("localpack-bad-answers-{}.json", std::process::id()));
        std::fs::write(&file, b"[1, 2").unwrap();
        assert_eq!(Answers::load(Some(file.clone())).get("x"), None);
        std::fs::remove_file(&file).unwrap();
    }

    #[test]
    fn certificates_match_host_and_fingerprint() {
        let w = web(NotificationPolicy::Ask, vec![]);
        let digest: Vec<u8> = std::iter::repeat_n(0xAB, 31).chain([0xCD]).collect();
        let fp = fingerprint(&digest);
        assert!(trusted(&w, "Intranet.Example", &fp));
        assert!(!trusted(&w, "other.example", &fp));
        assert!(!trusted(&w, "intranet.example", &fingerprint(&[0u8; 32])));
    }

    #[test]
    fn badge_counts() {
        assert_eq!(badge_count(3.0), Ok(Some(3)));
        assert_eq!(badge_count(2.7), Ok(Some(2)));
        assert_eq!(badge_count(0.0), Ok(None));
        assert_eq!(badge_count(-1.0), Err(()));
        assert_eq!(badge_count(f64::NAN), Err(()));
        assert_eq!(badge_count(1e30), Ok(Some(u32::MAX)));
    }

    #[test]
    fn a_page_is_stopped_after_reports_spanning_the_grace_and_not_before() {
        let start = Instant::now();
        let at = |s: u64| start + Duration::from_secs(s);
        let mut watch = HangWatch::default();
        assert!(!watch.report(at(0)) && !watch.report(at(4)) && !watch.report(at(7)));
        assert!(watch.report(at(9))); // unresponsive for 9 s: replaced
        assert!(!watch.report(at(10))); // a new page's run starts over
    }

    #[test]
    fn a_gap_between_reports_means_the_page_answered_in_between() {
        let start = Instant::now();
        let at = |s: u64| start + Duration::from_secs(s);
        let mut watch = HangWatch::default();
        assert!(!watch.report(at(0)) && !watch.report(at(5)));
        assert!(!watch.report(at(30))); // 25 s without a report: a new run, not 30 s of hanging
        assert!(!watch.report(at(35)));
        assert!(watch.report(at(38)));
    }

    #[test]
    fn the_reload_page_escapes_what_it_shows() {
        let page = reload_page("<b>App</b>", "https://x.example/?a='1'&b=2", false);
        assert!(page.contains("&lt;b&gt;App&lt;/b&gt;"));
        assert!(page.contains("href='https://x.example/?a=&#39;1&#39;&amp;b=2'"));
        assert!(reload_page("A", "u", true).contains("stopped responding"));
    }

    #[test]
    fn the_pem_body_is_the_first_certificate_without_line_breaks() {
        let pem = "-----BEGIN CERTIFICATE-----\r\nTUlJ\r\nQg==\r\n-----END CERTIFICATE-----\r\n\
                   -----BEGIN CERTIFICATE-----\nOTHER\n-----END CERTIFICATE-----\n";
        assert_eq!(pem_body(pem).as_deref(), Some("TUlJQg=="));
        assert_eq!(pem_body("-----BEGIN CERTIFICATE-----\nTUlJ"), None);
        assert_eq!(pem_body(""), None);
    }
}
