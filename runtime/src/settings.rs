//! What one app is: read at start-up from `localpack/app.json` in the bundle's resources.
//!
//! localpack's `project/app_settings.py` (`settings()`) writes that file when it renders the app's
//! project, from the checked config (`localpack.toml`, the command's flags, a PakePlus import): every
//! field below, under the same snake_case name, every time. A compiled runtime is cached under the
//! digest of these sources, so the file and the runtime that reads it always come from the same
//! localpack. The defaults only fill keys a hand-edited file leaves out; an unknown key is refused (a
//! key on one side only is a bug: `tests/test_settings_contract.py` writes app.json from Python for many
//! configs, and `localpack_written_settings_read` below reads each one).

use serde::Deserialize;
use std::path::{Path, PathBuf};
use tauri::utils::config::WindowConfig;

/// Where the app's own files sit inside the resource dir.
pub const DIR: &str = "localpack";

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Reverse-DNS identifier: names the data dirs, the window-state file and the single-instance name.
    pub identifier: String,
    /// The name the bundler gave the app on this OS: Linux the machine name (package, binary and
    /// resource dir); Windows the title (in ASCII when an msi may be built); macOS the title.
    pub product_name: String,
    pub version: String,
    /// What people see (window title, tray tooltip, the retry page).
    pub title: String,
    /// The site; `None` for a local web app (served from `localpack/web`).
    pub url: Option<String>,
    /// Start at the bundled retry page (`index.html`), which goes on to `url` once it answers.
    pub start_page: bool,
    /// The main window as Tauri's config describes it (size, decorations, user agent, proxy, …).
    pub window: WindowConfig,
    /// A factor: `window.zoom` (a percentage) / 100.
    pub zoom: f64,
    pub title_from_page: bool,
    pub new_window: NewWindow,
    pub links: Links,
    pub page: Page,
    /// File names under `localpack/inject/` (`NN-name.js`), each its own initialization script, in order.
    pub scripts: Vec<String>,
    pub single_instance: bool,
    pub remember_window: bool,
    pub tray: Tray,
    pub autostart: bool,
    pub downloads: Downloads,
    pub activation_shortcut: Option<String>,
    /// What the page may ask the app for (notifications, devices, trusted certificates).
    pub web: Web,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            identifier: "dev.localpack.runtime".into(),
            product_name: "localpack-runtime".into(),
            version: "0.0.0".into(),
            title: "localpack".into(),
            url: None,
            start_page: false,
            window: WindowConfig::default(),
            zoom: 1.0,
            title_from_page: true,
            new_window: NewWindow::Same,
            links: Links::default(),
            page: Page::default(),
            scripts: Vec::new(),
            single_instance: true,
            remember_window: true,
            tray: Tray::default(),
            autostart: false,
            downloads: Downloads::default(),
            activation_shortcut: None,
            web: Web::default(),
        }
    }
}

/// What `window.open` / `target=_blank` to the app's own site does.
#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum NewWindow {
    /// Open in the one window.
    Same,
    /// A second window of the app.
    New,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Links {
    /// Links to other sites open in the system browser.
    pub browser: bool,
    /// Host globs (lowercase punycode) that belong to the app: the site's host and its subdomains, the
    /// config's `internal_hosts`, and the local app's own host; `*` matches any run of characters.
    pub internal_hosts: Vec<String>,
    /// Sign-in pages (`host-glob` or `host-glob/path-prefix`, lowercase punycode) that always open in the
    /// app: `window.open` to them gets a child window that keeps `window.opener`.
    pub signin_hosts: Vec<String>,
    /// Schemes the system opener receives beyond http, https, mailto and tel (lowercase).
    pub open_schemes: Vec<String>,
}

/// What the initialization script does in every page (passed to `init.js` as JSON).
#[derive(Debug, Deserialize, serde::Serialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Page {
    /// A url app: its own bundled pages (the retry page) get no injection.
    pub remote: bool,
    pub css: String,
    pub reload_shortcut: bool,
    pub context_menu: bool,
    pub find_in_page: bool,
    pub jquery: bool,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Tray {
    pub enabled: bool,
    pub hide_on_close: bool,
}

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Downloads {
    pub enabled: bool,
    /// Absolute; `None`: the user's Downloads folder.
    pub dir: Option<PathBuf>,
}

impl Default for Downloads {
    fn default() -> Self {
        Self {
            enabled: true,
            dir: None,
        }
    }
}

/// The answers to a page's requests (`behavior.notifications`, `.permissions`, `.trusted_certificates`).
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct Web {
    pub notifications: NotificationPolicy,
    /// The kinds a page is given when it asks; every other kind is denied.
    pub allow: Vec<Permission>,
    pub trusted_certificates: Vec<TrustedCertificate>,
}

/// The notification policy: always, never, or ask once per site and remember.
#[derive(Debug, Deserialize, Default, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum NotificationPolicy {
    #[default]
    Ask,
    Allow,
    Deny,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Permission {
    Camera,
    Microphone,
    Screen,
    Geolocation,
    Clipboard,
    Storage,
}

/// A self-signed or private-CA certificate accepted for one host: its SHA-256, `AB:CD:…` (32 pairs).
/// Read by the WebKitGTK engine code only; WebView2 and WKWebView certificate events are not wired yet (docs/engine.md).
#[derive(Debug, Deserialize, Clone)]
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
pub struct TrustedCertificate {
    pub host: String,
    pub sha256: String,
}

impl Settings {
    pub fn load(resources: &Path) -> Result<Self, String> {
        let path = resources.join(DIR).join("app.json");
        let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        serde_json::from_str(&text).map_err(|e| format!("{} is not valid: {e}", path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::{self, Visitor};

    /// The field names serde's derive gave a struct: what localpack's app.json holds, every one of them.
    fn fields<T: for<'de> Deserialize<'de>>() -> &'static [&'static str] {
        let mut names: &'static [&'static str] = &[];
        let _ = T::deserialize(FieldNames(&mut names));
        names
    }

    /// A deserializer that only asks the struct for its field names (then stops with an error).
    struct FieldNames<'a>(&'a mut &'static [&'static str]);

    impl<'de> de::Deserializer<'de> for FieldNames<'_> {
        type Error = de::value::Error;

        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom("not a struct"))
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            names: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            *self.0 = names;
            Err(de::Error::custom("only the field names were wanted"))
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
            unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
        }
    }

    fn assert_same_keys(value: &serde_json::Value, names: &[&str], what: &str) {
        let object = value.as_object().unwrap_or_else(|| panic!("{what} is not an object"));
        let mut written: Vec<&str> = object.keys().map(String::as_str).collect();
        let mut wanted = names.to_vec();
        written.sort_unstable();
        wanted.sort_unstable();
        assert_eq!(
            written, wanted,
            "{what}: the keys localpack writes are not the runtime's fields"
        );
    }

    #[test]
    fn an_unknown_key_is_refused_at_every_level() {
        for text in [
            r#"{"titel": "x"}"#,
            r#"{"tray": {"enabeld": true}}"#,
            r#"{"links": {"browser": true, "hosts": []}}"#,
            r#"{"page": {"zoom": 1}}"#,
            r#"{"downloads": {"folder": "/tmp"}}"#,
            r#"{"window": {"label": "main", "colour": "red"}}"#,
        ] {
            let err = serde_json::from_str::<Settings>(text).unwrap_err();
            assert!(err.to_string().contains("unknown field"), "{text}: {err}");
        }
    }

    /// The app.json files localpack's Python side wrote for many configs (the folder is named by
    /// LOCALPACK_SETTINGS_DIR; `tests/test_settings_contract.py` sets it): each one reads, and holds exactly
    /// the runtime's fields, so a key added on one side only fails.
    #[test]
    fn localpack_written_settings_read() {
        let Some(dir) = std::env::var_os("LOCALPACK_SETTINGS_DIR") else {
            return;
        };
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("LOCALPACK_SETTINGS_DIR is a folder")
            .map(|entry| entry.expect("a readable folder").path())
            .collect();
        paths.sort();
        assert!(!paths.is_empty(), "no app.json in {}", Path::new(&dir).display());
        for path in paths {
            let text = std::fs::read_to_string(&path).expect("readable UTF-8");
            if let Err(e) = serde_json::from_str::<Settings>(&text) {
                panic!("{}: {e}", path.display());
            }
            let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
            let name = path.display();
            assert_same_keys(&value, fields::<Settings>(), &format!("{name}"));
            for (key, names) in [
                ("links", fields::<Links>()),
                ("page", fields::<Page>()),
                ("tray", fields::<Tray>()),
                ("downloads", fields::<Downloads>()),
            ] {
                assert_same_keys(&value[key], names, &format!("{name}: {key}"));
            }
            println!("read {name}");
        }
    }
}
