//! The app's windows: built from the window config in the settings, plus what a config cannot say
//! (link rules, injected scripts, zoom, the page's title, downloads, more windows).

use crate::links::{Decision, Frame};
use crate::settings::{NewWindow, Settings, DIR};
use crate::{links, protocol};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tauri::utils::config::{WebviewUrl, WindowConfig};
use tauri::webview::{DownloadEvent, NewWindowFeatures, NewWindowResponse};
use tauri::{AppHandle, Manager, Runtime, Url, Webview, WebviewWindow, WebviewWindowBuilder};
use tauri_plugin_opener::OpenerExt;

pub const MAIN: &str = "main";

/// What every window of the app shares: the settings, the scripts read once at start-up, the link policy
/// and how often the system opener was called.
pub struct Shared {
    pub settings: Settings,
    pub scripts: Vec<String>,
    next_window: AtomicUsize,
    policy: links::Policy,
    limiter: Mutex<links::Limiter>,
}

impl Shared {
    pub fn new(settings: Settings, resources: &Path) -> Result<Self, String> {
        let page = serde_json::to_string(&settings.page).map_err(|e| e.to_string())?;
        let mut scripts = vec![format!("{}({page});", include_str!("init.js").trim_end())];
        let dir = resources.join(DIR);
        if settings.page.jquery {
            scripts.push(read(&dir.join("jquery.min.js"))?);
        }
        for name in &settings.scripts {
            scripts.push(read(&dir.join("inject").join(name))?);
        }
        let policy = links::Policy {
            browser: settings.links.browser,
            new_windows: settings.new_window == NewWindow::New,
            internal_hosts: settings.links.internal_hosts.clone(),
            signin_hosts: settings.links.signin_hosts.clone(),
            open_schemes: settings.links.open_schemes.clone(),
        };
        Ok(Self {
            settings,
            scripts,
            next_window: AtomicUsize::new(2),
            policy,
            limiter: Mutex::new(links::Limiter::new()),
        })
    }
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// The first window: at the retry page for a url app that has one, else at the site or the web app.
pub fn create_main<R: Runtime>(app: &AppHandle<R>, shared: &Arc<Shared>) -> tauri::Result<()> {
    let mut config = shared.settings.window.clone();
    config.label = MAIN.into();
    config.create = false;
    if shared.settings.start_page || shared.settings.url.is_none() {
        config.url = WebviewUrl::CustomProtocol(protocol::url("index.html"));
    }
    build(app, &config, shared, None)?;
    Ok(())
}

/// Bring the main window to the front (second launch, tray menu, activation shortcut).
///
/// Looked up on the main thread: a second launch soon after the first can arrive (on zbus's thread) while
/// the first window is still being built on the main thread, mapped but not yet registered, and a lookup
/// then finds no window: that raise was lost in about one quick relaunch in five, measured. A task on the
/// main thread runs after the build.
pub fn show_main<R: Runtime>(app: &AppHandle<R>) {
    let handle = app.clone();
    let _ = app.run_on_main_thread(move || {
        if let Some(window) = handle.get_webview_window(MAIN) {
            raise(&window);
        }
    });
}

/// Un-minimise, show and focus a window; on the main thread (GTK objects live there).
///
/// Linux: GTK's own calls, as a GTK app answers a second launch (`gtk_window_present`: a map request and
/// an activation request to the window manager). tauri's `set_focus` sends nothing while tao counts the
/// window minimised, so after tauri's `unminimize` the raise rested on the map request alone. Windows and
/// macOS: tauri's calls (`ShowWindow`, `makeKeyAndOrderFront`).
pub fn raise<R: Runtime>(window: &WebviewWindow<R>) {
    #[cfg(target_os = "linux")]
    if let Ok(gtk_window) = window.gtk_window() {
        use gtk::prelude::{GtkWindowExt, WidgetExt};
        if !gtk_window.is_visible() {
            gtk_window.show_all(); // hidden to the tray
        }
        gtk_window.deiconify();
        gtk_window.present();
        return;
    }
    let _ = window.unminimize();
    let _ = window.show();
    let _ = window.set_focus();
}

/// One window of the app; `popup`: the features of the `window.open` it answers (it keeps the opener).
fn build<R: Runtime>(
    app: &AppHandle<R>,
    config: &WindowConfig,
    shared: &Arc<Shared>,
    popup: Option<NewWindowFeatures>,
) -> tauri::Result<WebviewWindow<R>> {
    let settings = &shared.settings;
    let is_popup = popup.is_some();
    let mut builder = WebviewWindowBuilder::from_config(app, config)?;
    if let Some(features) = popup {
        builder = builder.window_features(features);
    }
    for script in &shared.scripts {
        builder = builder.initialization_script(script.as_str());
    }
    // WebView2 asks for the top frame only; WKWebView asks for every frame and says nothing of which here,
    // so there every navigation counts as top-level. WebKitGTK: see `gtk_policy`, connected below.
    #[cfg(not(target_os = "linux"))]
    {
        let (app, shared) = (app.clone(), shared.clone());
        builder = builder.on_navigation(move |url| navigate(&app, &shared, url, Frame::Main, is_popup, None));
    }
    let (handle, for_new) = (app.clone(), shared.clone());
    builder = builder.on_new_window(move |url, features| new_window(&handle, &for_new, url, features));
    if settings.title_from_page {
        let title = settings.title.clone();
        builder = builder.on_document_title_changed(move |window, page_title| {
            let page_title = page_title.trim();
            let _ = window.set_title(if page_title.is_empty() { &title } else { page_title });
        });
    }
    let for_download = shared.clone();
    builder = builder.on_download(move |webview, event| on_download(&webview, &for_download, event));
    builder = crate::engine::attach(app, builder, shared);
    let window = builder.build()?;
    #[cfg(target_os = "linux")]
    crate::gtk_policy::attach(&window, shared.clone(), is_popup)?;
    crate::engine::on_built(&window, shared);
    if (settings.zoom - 1.0).abs() > f64::EPSILON {
        window.set_zoom(settings.zoom)?;
    }
    Ok(window)
}

/// A navigation of a window or frame, decided by the link policy; whether it goes ahead.
pub fn navigate<R: Runtime>(
    app: &AppHandle<R>,
    shared: &Shared,
    url: &Url,
    frame: Frame,
    popup: bool,
    gesture: Option<bool>,
) -> bool {
    match shared.policy.navigation(link(url), frame, popup, gesture) {
        Decision::Load => true,
        Decision::Open => {
            open(app, shared, url, "a navigation");
            false
        }
        Decision::Refuse(why) => {
            refuse(url, "a navigation", why);
            false
        }
        Decision::Popup | Decision::SameWindow => false,
    }
}

/// `window.open` and `target=_blank`: a child window (sign-in popups), the main window, the system opener,
/// or nothing.
fn new_window<R: Runtime>(
    app: &AppHandle<R>,
    shared: &Arc<Shared>,
    url: Url,
    features: NewWindowFeatures,
) -> NewWindowResponse<R> {
    match shared.policy.new_window(link(&url)) {
        Decision::Popup => match popup(app, shared, features) {
            Ok(window) => return NewWindowResponse::Create { window },
            Err(e) => eprintln!("localpack: no window for {}: {e}", links::describe(link(&url))),
        },
        Decision::SameWindow => {
            let app = app.clone();
            let _ = app.clone().run_on_main_thread(move || {
                if let Some(window) = app.get_webview_window(MAIN) {
                    let _ = window.navigate(url);
                }
            });
        }
        Decision::Open => open(app, shared, &url, "a new window"),
        Decision::Refuse(why) => refuse(&url, "a new window", why),
        Decision::Load => {}
    }
    NewWindowResponse::Deny
}

/// A child window for `window.open`: the engine loads the URL into it and keeps `window.opener`
/// (WebKitGTK: a related view; WebView2: the same environment; WKWebView: the configuration it asked for,
/// all set by `window_features`). It has the same link policy, scripts and downloads as the others.
fn popup<R: Runtime>(
    app: &AppHandle<R>,
    shared: &Arc<Shared>,
    features: NewWindowFeatures,
) -> tauri::Result<WebviewWindow<R>> {
    let mut config = shared.settings.window.clone();
    config.label = format!("window-{}", shared.next_window.fetch_add(1, Ordering::Relaxed));
    // about:blank is not loaded (tauri-runtime-wry), so the engine's own load of the URL is the first.
    config.url = WebviewUrl::External(Url::parse("about:blank").expect("a valid URL"));
    config.create = false;
    config.visible = true;
    config.fullscreen = false;
    config.maximized = false;
    build(app, &config, shared, Some(features))
}

/// Hands `url` to the system opener, at most once a second and five times a minute (links::Limiter).
fn open<R: Runtime>(app: &AppHandle<R>, shared: &Shared, url: &Url, what: &str) {
    let allowed = shared
        .limiter
        .lock()
        .map(|mut limiter| limiter.allow(Instant::now()))
        .unwrap_or(false);
    if !allowed {
        refuse(url, what, "more than one open a second or five a minute");
        return;
    }
    let _ = app.opener().open_url(url.as_str(), None::<&str>);
}

/// The URL as the link policy reads it.
fn link(url: &Url) -> links::Link<'_> {
    links::Link {
        scheme: url.scheme(),
        host: url.host_str().unwrap_or(""),
        path: url.path(),
    }
}

fn refuse(url: &Url, what: &str, why: &str) {
    eprintln!("localpack: refused {what} to {}: {why}", links::describe(link(url)));
}

/// Downloads go to the Downloads folder (or the configured one) under the name the site suggests,
/// never over an existing file; the page shows a note when one is done.
fn on_download<R: Runtime>(webview: &Webview<R>, shared: &Shared, event: DownloadEvent<'_>) -> bool {
    let downloads = &shared.settings.downloads;
    match event {
        DownloadEvent::Requested { destination, .. } => {
            if !downloads.enabled {
                return false;
            }
            let dir = downloads
                .dir
                .clone()
                .or_else(|| webview.app_handle().path().download_dir().ok())
                .or_else(|| {
                    webview
                        .app_handle()
                        .path()
                        .home_dir()
                        .ok()
                        .map(|home| home.join("Downloads"))
                });
            if let Some(dir) = dir {
                if destination.parent() != Some(dir.as_path()) {
                    let name = destination
                        .file_name()
                        .map(PathBuf::from)
                        .unwrap_or_else(|| "download".into());
                    *destination = unique_path(&dir, &name.to_string_lossy());
                }
                let _ = std::fs::create_dir_all(&dir);
            }
            true
        }
        DownloadEvent::Finished { path, success, .. } => {
            let text = match (success, path) {
                // The name only: the page can read the note, and the full path names the user and folders.
                (true, Some(path)) => match path.file_name() {
                    Some(name) => format!("Downloaded {}", name.to_string_lossy()),
                    None => "Download finished".to_string(),
                },
                (true, None) => "Download finished".to_string(),
                (false, _) => "Download failed".to_string(),
            };
            if let Ok(text) = serde_json::to_string(&text) {
                let _ = webview.eval(format!("window.__localpackToast && window.__localpackToast({text})"));
            }
            true
        }
        _ => true,
    }
}

/// `dir/name`, or `dir/name (1).ext`, `dir/name (2).ext`… when that file exists.
fn unique_path(dir: &Path, name: &str) -> PathBuf {
    let (stem, ext) = match name.split_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem.to_string(), format!(".{ext}")),
        _ => (name.to_string(), String::new()),
    };
    let mut path = dir.join(name);
    let mut n = 1;
    while path.exists() {
        path = dir.join(format!("{stem} ({n}){ext}"));
        n += 1;
    }
    path
}

#[cfg(test)]
mod tests {
    use super::unique_path;

    #[test]
    fn names_never_clash() {
        let dir = std::env::temp_dir().join(format!("localpack-unique-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        assert_eq!(unique_path(&dir, "report.tar.gz"), dir.join("report.tar.gz"));
        std::fs::write(dir.join("report.tar.gz"), b"x").unwrap();
        assert_eq!(unique_path(&dir, "report.tar.gz"), dir.join("report (1).tar.gz"));
        std::fs::write(dir.join("report (1).tar.gz"), b"x").unwrap();
        assert_eq!(unique_path(&dir, "report.tar.gz"), dir.join("report (2).tar.gz"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
