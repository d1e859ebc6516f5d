//! The web engine's part of making a site work as it does in a browser: permission answers (the per-app
//! policy in `settings.web`), notifications, the badge, trusted certificates, a crashed page's reload page
//! and files dropped from another program. Platform code is per engine: WebKitGTK (`linux.rs`, `screen.js`,
//! `linux_drop.rs`), WebView2 (`webview2.rs`: certificates, a crashed or hung page, the badge, `overlay.rs`),
//! WKWebView (`wkwebview.rs`: a crashed page, the badge; `wkwebview_auth.rs`: credentials and certificates;
//! `wkwebview_notify.rs`, `notify_message.rs`: notifications); WebView2 and WKWebView get the permission policy
//! through Tauri's handler and their engines' own behaviour for the rest (docs/engine.md).

#[cfg(target_os = "linux")]
mod dropped;
#[cfg(target_os = "linux")]
mod linux;
#[cfg(target_os = "linux")]
mod linux_drop;
#[cfg(any(target_os = "macos", test))]
mod notify_message;
#[cfg(any(windows, test))]
mod overlay;
pub mod policy;
#[cfg(windows)]
mod webview2;
#[cfg(target_os = "macos")]
mod wkwebview;
#[cfg(target_os = "macos")]
mod wkwebview_auth;
#[cfg(target_os = "macos")]
mod wkwebview_notify;

use crate::window::Shared;
use std::sync::Arc;
use tauri::{AppHandle, Builder, Manager, Runtime, WebviewWindow, WebviewWindowBuilder};
#[cfg(any(target_os = "linux", target_os = "macos"))]
use {policy::Answers, std::sync::Mutex, std::sync::OnceLock};

/// The user's notification answers, shared by every window (read once, on first use).
#[cfg(any(target_os = "linux", target_os = "macos"))]
static ANSWERS: OnceLock<Mutex<Answers>> = OnceLock::new();

/// The answers kept in the app's data dir (`localpack-permissions.json`; nothing on disk when incognito).
#[cfg(any(target_os = "linux", target_os = "macos"))]
fn answers<R: Runtime>(app: &AppHandle<R>, shared: &Shared) -> &'static Mutex<Answers> {
    ANSWERS.get_or_init(|| {
        let file = (!shared.settings.window.incognito)
            .then(|| app.path().app_local_data_dir().ok())
            .flatten()
            .map(|dir| dir.join("localpack-permissions.json"));
        Mutex::new(Answers::load(file))
    })
}

/// What the app's builder needs (macOS: a crashed page's reload page, through the one hook Tauri has for it).
pub fn app<R: Runtime>(builder: Builder<R>, shared: &Arc<Shared>) -> Builder<R> {
    #[cfg(target_os = "macos")]
    let builder = wkwebview::crashes(builder, shared);
    #[cfg(not(target_os = "macos"))]
    let _ = shared;
    builder
}

/// What a window's builder needs before it is built: the badge polyfill (macOS: the notification one too)
/// and, off Linux, the permission policy (on Linux it is the engine's own `permission-request` signal,
/// connected by `on_built`).
pub fn attach<'a, R: Runtime, M: Manager<R>>(
    app: &AppHandle<R>,
    builder: WebviewWindowBuilder<'a, R, M>,
    shared: &Arc<Shared>,
) -> WebviewWindowBuilder<'a, R, M> {
    let builder = builder.initialization_script(include_str!("badge.js"));
    #[cfg(target_os = "linux")]
    let builder = match linux::screen_refusal(&shared.settings.web) {
        Some(_) => builder.initialization_script_for_all_frames(linux::screen_script()),
        None => builder,
    };
    #[cfg(target_os = "macos")]
    let builder = builder.initialization_script(wkwebview_notify::script(app, shared));
    #[cfg(not(target_os = "macos"))]
    let _ = app;
    #[cfg(not(target_os = "linux"))]
    let builder = {
        use crate::settings::{NotificationPolicy, Permission};
        use policy::Decision;
        use tauri::webview::{PermissionKind, PermissionResponse};
        let shared = shared.clone();
        builder.on_permission_request(move |_webview, kind| {
            let web = &shared.settings.web;
            let kind = match kind {
                // WebView2 shows its own prompt for `ask` and keeps the answer in the app's profile.
                PermissionKind::Notifications => {
                    return match web.notifications {
                        NotificationPolicy::Allow => PermissionResponse::Allow,
                        NotificationPolicy::Deny => PermissionResponse::Deny,
                        NotificationPolicy::Ask => PermissionResponse::Default,
                    }
                }
                PermissionKind::Camera => Permission::Camera,
                PermissionKind::Microphone => Permission::Microphone,
                PermissionKind::DisplayCapture => Permission::Screen,
                PermissionKind::Geolocation => Permission::Geolocation,
                PermissionKind::ClipboardRead => Permission::Clipboard,
                _ => return PermissionResponse::Deny,
            };
            match policy::decide(web, kind) {
                Decision::Allow => PermissionResponse::Allow,
                _ => PermissionResponse::Deny,
            }
        })
    };
    #[cfg(target_os = "linux")]
    let _ = shared;
    builder
}

/// What needs the built window's web view (Linux: the engine's signals; Windows: certificates and a failed
/// page; macOS: the badge, the authentication challenges and notifications).
pub fn on_built<R: Runtime>(window: &WebviewWindow<R>, shared: &Arc<Shared>) {
    #[cfg(target_os = "linux")]
    linux::attach(window, shared);
    #[cfg(windows)]
    webview2::attach(window, shared);
    #[cfg(target_os = "macos")]
    {
        wkwebview::badge(window);
        wkwebview_auth::attach(window, shared);
        wkwebview_notify::attach(window, shared);
    }
    #[cfg(not(any(target_os = "linux", windows, target_os = "macos")))]
    let _ = (window, shared);
}
