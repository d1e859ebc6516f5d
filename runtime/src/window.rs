//! The app's windows: built from the window config in the settings, plus what a config cannot say
//! (link rules, injected scripts, zoom, the page's title, downloads, more windows).

use crate::settings::{NewWindow, Settings, DIR};
use crate::{links, protocol};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tauri::utils::config::{WebviewUrl, WindowConfig};
use tauri::webview::{DownloadEvent, NewWindowResponse};
use tauri::{AppHandle, Manager, Runtime, Url, Webview, WebviewWindow, WebviewWindowBuilder};
use tauri_plugin_opener::OpenerExt;

pub const MAIN: &str = "main";

/// What every window of the app shares: the settings and the scripts read once at start-up.
pub struct Shared {
    pub settings: Settings,
    pub scripts: Vec<String>,
    next_window: AtomicUsize,
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
        Ok(Self {
            settings,
            scripts,
            next_window: AtomicUsize::new(2),
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
    build(app, &config, shared)?;
    Ok(())
}

/// Bring the main window to the front (second launch, tray menu, activation shortcut).
pub fn show_main<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window(MAIN) {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

fn build<R: Runtime>(
    app: &AppHandle<R>,
    config: &WindowConfig,
    shared: &Arc<Shared>,
) -> tauri::Result<WebviewWindow<R>> {
    let settings = &shared.settings;
    let mut builder = WebviewWindowBuilder::from_config(app, config)?;
    for script in &shared.scripts {
        builder = builder.initialization_script(script.as_str());
    }
    if settings.links.browser {
        let (app, shared) = (app.clone(), shared.clone());
        builder = builder.on_navigation(move |url| !open_outside(&app, &shared, url));
    }
    let (handle, for_new) = (app.clone(), shared.clone());
    builder = builder.on_new_window(move |url, _features| {
        if for_new.settings.links.browser && open_outside(&handle, &for_new, &url) {
            return NewWindowResponse::Deny;
        }
        let (app, shared) = (handle.clone(), for_new.clone());
        let _ = handle.run_on_main_thread(move || match shared.settings.new_window {
            // Links meant for a new window open in the app's one window…
            NewWindow::Same => {
                if let Some(window) = app.get_webview_window(MAIN) {
                    let _ = window.navigate(url);
                }
            }
            // …or in another window of the app.
            NewWindow::New => {
                let mut config = shared.settings.window.clone();
                config.label = format!("window-{}", shared.next_window.fetch_add(1, Ordering::Relaxed));
                config.url = WebviewUrl::External(url);
                config.create = false;
                let _ = build(&app, &config, &shared);
            }
        });
        NewWindowResponse::Deny
    });
    if settings.title_from_page {
        let title = settings.title.clone();
        builder = builder.on_document_title_changed(move |window, page_title| {
            let page_title = page_title.trim();
            let _ = window.set_title(if page_title.is_empty() { &title } else { page_title });
        });
    }
    let for_download = shared.clone();
    builder = builder.on_download(move |webview, event| on_download(&webview, &for_download, event));
    builder = crate::engine::attach(builder, shared);
    let window = builder.build()?;
    crate::engine::on_built(&window, shared);
    if (settings.zoom - 1.0).abs() > f64::EPSILON {
        window.set_zoom(settings.zoom)?;
    }
    Ok(window)
}

/// Other sites open in the system browser; returns whether `url` went there.
fn open_outside<R: Runtime>(app: &AppHandle<R>, shared: &Shared, url: &Url) -> bool {
    if links::is_internal(
        &shared.settings.links.internal_hosts,
        url.scheme(),
        url.host_str().unwrap_or(""),
    ) {
        return false;
    }
    let _ = app.opener().open_url(url.as_str(), None::<&str>);
    true
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
                (true, Some(path)) => format!("Downloaded {}", path.display()),
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
