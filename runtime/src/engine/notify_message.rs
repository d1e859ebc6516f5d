//! The notification polyfill's side of the wire (`notify.js`, macOS): the script with the app's policy written
//! in, the messages a page sends (parsed as hostile text), and what the runtime sends back. Pure logic, so
//! that it is unit-tested on every OS; only macOS uses it.

use crate::settings::NotificationPolicy;
use serde::Deserialize;
use std::collections::BTreeMap;

/// A message longer than this is dropped (a title and body in a notification are a few hundred characters).
pub const MOST_BYTES: usize = 64 * 1024;
/// What a notification shows of a title or body at most.
const MOST_CHARS: usize = 1000;

/// What a page asks, through `notify.js`.
#[derive(Debug, PartialEq, Eq, Deserialize)]
#[serde(tag = "op", rename_all = "lowercase", deny_unknown_fields)]
pub enum PageMessage {
    /// `Notification.requestPermission()`.
    Ask,
    /// `new Notification(title, {body, tag})`; `id` is the page's own number for it.
    Show {
        id: u64,
        title: String,
        body: String,
        tag: String,
    },
    /// `notification.close()`.
    Close { id: u64 },
}

/// The page's message, or None for anything else (too long, not JSON, another shape).
pub fn parse(text: &str) -> Option<PageMessage> {
    if text.len() > MOST_BYTES {
        return None;
    }
    let mut message: PageMessage = serde_json::from_str(text).ok()?;
    if let PageMessage::Show { title, body, .. } = &mut message {
        *title = cut(title);
        *body = cut(body);
    }
    Some(message)
}

fn cut(text: &str) -> String {
    text.chars().take(MOST_CHARS).collect()
}

/// `notify.js` with the policy and the answers kept (origin → allowed) in place of its CONFIG.
pub fn script(source: &str, policy: NotificationPolicy, answers: &BTreeMap<String, bool>) -> String {
    let policy = match policy {
        NotificationPolicy::Allow => "allow",
        NotificationPolicy::Deny => "deny",
        NotificationPolicy::Ask => "ask",
    };
    let config = serde_json::json!({ "policy": policy, "answers": answers });
    source.replace("})(CONFIG);", &format!("}})({config});"))
}

/// An origin as `location.origin` writes it: `scheme://host`, with `:port` unless it is the default (0).
pub fn origin(scheme: &str, host: &str, port: i64) -> String {
    if port > 0 {
        format!("{scheme}://{host}:{port}")
    } else {
        format!("{scheme}://{host}")
    }
}

/// The system notification's identifier: one per window and tag (a new one with the tag replaces the
/// old, as in a browser), else one per notification.
pub fn identifier(window: &str, tag: &str, id: u64) -> String {
    if tag.is_empty() {
        format!("{window}#{id}")
    } else {
        format!("{window}/{tag}")
    }
}

/// The script that tells the page its notification `id` was clicked.
pub fn clicked(id: u64) -> String {
    format!("window.__localpackNotification && window.__localpackNotification({id}, 'click');")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_messages_are_read_and_anything_else_is_not() {
        assert_eq!(parse(r#"{"op":"ask"}"#), Some(PageMessage::Ask));
        assert_eq!(parse(r#"{"op":"close","id":3}"#), Some(PageMessage::Close { id: 3 }));
        let show = r#"{"op":"show","id":1,"title":"Hi","body":"there","tag":"t"}"#;
        assert_eq!(
            parse(show),
            Some(PageMessage::Show {
                id: 1,
                title: "Hi".into(),
                body: "there".into(),
                tag: "t".into()
            })
        );
        for bad in [
            "",
            "null",
            "[]",
            r#"{"op":"open"}"#,
            r#"{"op":"close","id":-1}"#,
            r#"{"op":"close","id":1e400}"#,
            r#"{"op":"show","id":1,"title":"x"}"#,
            r#"{"op":"close","id":1,"extra":1}"#,
            r#"{"op":"ask"} trailing"#,
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
        assert_eq!(
            parse(&format!(r#"{{"op":"ask","pad":"{}"}}"#, "x".repeat(MOST_BYTES))),
            None
        );
    }

    #[test]
    fn a_long_title_or_body_is_cut_and_odd_text_kept_as_text() {
        let long = "é".repeat(5000);
        let text = format!(r#"{{"op":"show","id":1,"title":"{long}","body":"\u2028<b>\u0000","tag":""}}"#);
        let Some(PageMessage::Show { title, body, .. }) = parse(&text) else {
            panic!("not read");
        };
        assert_eq!(title.chars().count(), MOST_CHARS);
        assert_eq!(body, "\u{2028}<b>\u{0}");
        assert_eq!(
            parse(r#"{"op":"show","id":1,"title":"\ud800","body":"","tag":""}"#),
            None
        ); // lone surrogate
    }

    #[test]
    fn the_script_carries_the_policy_and_the_answers_as_json() {
        let mut answers = BTreeMap::new();
        answers.insert("https://a.example".to_string(), true);
        answers.insert("https://x.example'});alert(1);//".to_string(), false);
        let script = script("(function (config) {\n})(CONFIG);\n", NotificationPolicy::Ask, &answers);
        let config = script
            .trim_end()
            .strip_prefix("(function (config) {\n})(")
            .unwrap()
            .strip_suffix(");")
            .unwrap();
        let value: serde_json::Value = serde_json::from_str(config).unwrap();
        assert_eq!(value["policy"], "ask");
        assert_eq!(value["answers"]["https://a.example"], true);
        assert_eq!(value["answers"]["https://x.example'});alert(1);//"], false);
    }

    #[test]
    fn origins_and_identifiers_are_written_as_the_page_and_the_centre_need() {
        assert_eq!(origin("https", "chat.example", 0), "https://chat.example");
        assert_eq!(origin("http", "127.0.0.1", 8080), "http://127.0.0.1:8080");
        assert_eq!(identifier("main", "", 4), "main#4");
        assert_eq!(identifier("main", "inbox", 4), "main/inbox");
        assert_eq!(
            clicked(4),
            "window.__localpackNotification && window.__localpackNotification(4, 'click');"
        );
    }
}
