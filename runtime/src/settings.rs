//! What one app is: read at start-up from `localpack/app.json` in the bundle's resources.
//!
//! localpack's `project/app_settings.py` (`settings()`) writes that file when it renders the app's
//! project, from the checked config (`localpack.toml`, the command's flags, a PakePlus import): every
//! field below, under the same snake_case name, every time. A compiled runtime is cached under the
//! digest of these sources, so the file and the runtime that reads it always come from the same
//! localpack. The defaults only fill keys a hand-edited file leaves out; unknown keys are ignored.

use serde::Deserialize;
use std::path::{Path, PathBuf};
use tauri::utils::config::WindowConfig;

/// Where the app's own files sit inside the resource dir.
pub const DIR: &str = "localpack";

#[derive(Debug, Deserialize)]
#[serde(default)]
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
#[serde(default)]
pub struct Links {
    /// Links to other sites open in the system browser.
    pub browser: bool,
    /// Host globs (lowercase punycode) that belong to the app: the site's host and its subdomains, the
    /// config's `internal_hosts`, and the local app's own host; `*` matches any run of characters.
    pub internal_hosts: Vec<String>,
}

/// What the initialization script does in every page (passed to `init.js` as JSON).
#[derive(Debug, Deserialize, serde::Serialize, Default)]
#[serde(default)]
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
#[serde(default)]
pub struct Tray {
    pub enabled: bool,
    pub hide_on_close: bool,
}

#[derive(Debug, Deserialize)]
#[serde(default)]
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
#[derive(Debug, Deserialize, Clone)]
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
