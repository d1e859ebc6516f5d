//! WebKitGTK: the engine's own signals, connected on each window's web view right after it is built.
//! wry connects none of these (it leaves `permission-request` alone when Tauri has no permission handler),
//! so WebKitGTK's defaults apply to what is not handled here: its file chooser (`run-file-chooser`), its
//! credentials prompt (`authenticate`), its print dialog (`print`) and fullscreen (`enter-fullscreen`).

use super::policy::{self, Answers, Decision};
use crate::settings::{Permission, Web, DIR};
use crate::window::Shared;
use gtk::prelude::*;
use javascriptcore::ValueExt as _;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::{Arc, Mutex, OnceLock};
use tauri::{Manager, Runtime, Url, WebviewWindow};
use webkit2gtk::{gio, glib};
use webkit2gtk::{
    GeolocationPermissionRequest, Notification, NotificationExt, NotificationPermissionRequest, PermissionRequest,
    PermissionRequestExt, SecurityOrigin, SettingsExt, UserContentManagerExt, UserMediaPermissionRequest,
    UserMediaPermissionRequestExt, WebContextExt, WebProcessTerminationReason, WebView, WebViewExt,
};

const NOTIFICATIONS: &str = "org.freedesktop.Notifications";
const NOTIFICATIONS_PATH: &str = "/org/freedesktop/Notifications";

/// Connect the engine's signals on `window`'s web view (on the main thread, where WebKitGTK lives).
pub fn attach<R: Runtime>(window: &WebviewWindow<R>, shared: &Arc<Shared>) {
    let (window, shared) = (window.clone(), shared.clone());
    let for_view = window.clone();
    let _ = for_view.with_webview(move |platform| {
        let webview = platform.inner();
        configure(&webview, &shared);
        let answers = super::answers(window.app_handle(), &shared);
        once_per_context(&webview, &shared, answers);
        permissions(&webview, &shared, answers);
        notifications(&webview, &window, &shared);
        badge(&webview, &shared);
        certificates(&webview, &shared);
        crashes(&webview, &shared);
        super::linux_drop::attach(&webview);
    });
}

/// What the page can use at all; whether it gets a device is the permission answer's business.
fn configure(webview: &WebView, shared: &Shared) {
    if let Some(settings) = WebViewExt::settings(webview) {
        // getUserMedia / getDisplayMedia exist (off by default in WebKitGTK), so a page gets an answer.
        settings.set_enable_media_stream(true);
        settings.set_enable_webrtc(true);
        settings.set_enable_webgl(true);
        settings.set_enable_fullscreen(true);
        if shared.settings.web.allow.contains(&Permission::Clipboard) {
            settings.set_javascript_can_access_clipboard(true);
        }
        // `navigator.storage` (estimate, persist): features of status "stable" that the GTK port ships off.
        let wanted = ["StorageAPI", "StorageAPIEstimate"];
        let switched = features::switch(&settings, &wanted, true);
        if switched < wanted.len() {
            eprintln!("localpack: this WebKitGTK has {switched} of the features {wanted:?} (navigator.storage)");
        }
        if let Some(why) = screen_refusal(&shared.settings.web) {
            if features::switch(&settings, &["ScreenCapture"], false) == 0 {
                eprintln!("localpack: this WebKitGTK cannot switch its screen capture off (before 2.42)");
            }
            if shared.settings.web.allow.contains(&Permission::Screen) {
                eprintln!("localpack: screen sharing refused: {why}");
            }
        }
    }
}

/// WebKitGTK's runtime feature switches (`webkit_settings_set_feature_enabled`, WebKitGTK 2.42). The
/// bindings target 2.40, so the five C functions are looked up when the window is built: on an older
/// WebKitGTK they are absent and the page simply lacks the feature, where a direct link would keep the app
/// from starting at all.
mod features {
    use std::ffi::{c_char, c_int, c_void, CStr};
    use webkit2gtk::glib::object::ObjectType;

    extern "C" {
        fn dlsym(handle: *mut c_void, symbol: *const c_char) -> *mut c_void;
    }

    /// glibc's `RTLD_DEFAULT`: the symbols of every library the process has loaded, WebKitGTK among them.
    const RTLD_DEFAULT: *mut c_void = std::ptr::null_mut();

    type GetAll = unsafe extern "C" fn() -> *mut c_void;
    type Length = unsafe extern "C" fn(*mut c_void) -> usize;
    type Get = unsafe extern "C" fn(*mut c_void, usize) -> *mut c_void;
    type Identifier = unsafe extern "C" fn(*mut c_void) -> *const c_char;
    type SetEnabled = unsafe extern "C" fn(*mut c_void, *mut c_void, c_int);
    type Unref = unsafe extern "C" fn(*mut c_void);

    fn symbol(name: &CStr) -> Option<*mut c_void> {
        // SAFETY: dlsym only reads the NUL-terminated name.
        let found = unsafe { dlsym(RTLD_DEFAULT, name.as_ptr()) };
        (!found.is_null()).then_some(found)
    }

    /// Switch each feature of `wanted` this WebKitGTK knows on (or off); returns how many it switched.
    pub fn switch(settings: &webkit2gtk::Settings, wanted: &[&str], on: bool) -> usize {
        let (Some(get_all), Some(length), Some(get), Some(identifier), Some(set_enabled), Some(unref)) = (
            symbol(c"webkit_settings_get_all_features"),
            symbol(c"webkit_feature_list_get_length"),
            symbol(c"webkit_feature_list_get"),
            symbol(c"webkit_feature_get_identifier"),
            symbol(c"webkit_settings_set_feature_enabled"),
            symbol(c"webkit_feature_list_unref"),
        ) else {
            return 0;
        };
        // SAFETY: each pointer is the exported function of that name, whose C signature (WebKitGTK 2.42's
        // WebKitFeature.h and WebKitSettings.h) the type it is cast to spells out; the list is owned here
        // (transfer full) and released once, its features are borrowed from it (transfer none) and used
        // before the release, and the settings object outlives the call.
        unsafe {
            let get_all = std::mem::transmute::<*mut c_void, GetAll>(get_all);
            let length = std::mem::transmute::<*mut c_void, Length>(length);
            let get = std::mem::transmute::<*mut c_void, Get>(get);
            let identifier = std::mem::transmute::<*mut c_void, Identifier>(identifier);
            let set_enabled = std::mem::transmute::<*mut c_void, SetEnabled>(set_enabled);
            let unref = std::mem::transmute::<*mut c_void, Unref>(unref);
            let list = get_all();
            if list.is_null() {
                return 0;
            }
            let mut switched = 0;
            for index in 0..length(list) {
                let feature = get(list, index);
                let name = identifier(feature);
                if name.is_null() {
                    continue;
                }
                let name = CStr::from_ptr(name).to_string_lossy();
                if wanted.contains(&name.as_ref()) {
                    set_enabled(settings.as_ptr().cast(), feature, c_int::from(on));
                    switched += 1;
                }
            }
            unref(list);
            switched
        }
    }
}

/// The app's own origin: the site's, or the web folder's (`localpack://localhost`).
fn own_origin(shared: &Shared) -> String {
    let url = shared.settings.url.as_deref().unwrap_or("localpack://localhost/");
    SecurityOrigin::for_uri(url).to_str().to_string()
}

/// Notification answers already known (kept from an earlier run, or the policy for the app's own origin)
/// reach WebKit before the page asks, so `Notification.permission` says them.
fn once_per_context(webview: &WebView, shared: &Arc<Shared>, answers: &'static Mutex<Answers>) {
    static DONE: OnceLock<()> = OnceLock::new();
    if DONE.set(()).is_err() {
        return;
    }
    let Some(context) = webview.context() else {
        return;
    };
    let shared = shared.clone();
    let initialize = move |context: &webkit2gtk::WebContext| {
        let own = own_origin(&shared);
        let answers = answers.lock().unwrap_or_else(|e| e.into_inner());
        let mut allowed: Vec<String> = answers.allowed().map(str::to_string).collect();
        let mut denied: Vec<String> = answers.denied().map(str::to_string).collect();
        match policy::decide_notifications(&shared.settings.web, &Answers::default(), &own) {
            Decision::Allow => allowed.push(own),
            Decision::Deny => denied.push(own),
            Decision::Ask => {}
        }
        let allowed: Vec<SecurityOrigin> = allowed.iter().map(|o| SecurityOrigin::for_uri(o)).collect();
        let denied: Vec<SecurityOrigin> = denied.iter().map(|o| SecurityOrigin::for_uri(o)).collect();
        context.initialize_notification_permissions(
            &allowed.iter().collect::<Vec<_>>(),
            &denied.iter().collect::<Vec<_>>(),
        );
    };
    initialize(&context);
    context.connect_initialize_notification_permissions(initialize);
}

/// Why the page may not share a screen, if it may not. WebKitGTK 2.50 opens the desktop's screen picker (the
/// ScreenCast portal) while it checks the request, before it asks the app (`permission-request`), so a
/// screen the app refuses is still offered to the user first; and, built with GBM as distributions build it,
/// it takes the shared screen only as DMA-BUF frames in the formats its EGL display imports
/// (`buildDMABufCaps`): with no GPU that list is empty, PipeWire never connects the stream and the web
/// process waits for it for ever, the page frozen. Where sharing is refused, the app therefore switches
/// WebKit's screen capture off and `screen.js` answers for it.
pub fn screen_refusal(web: &Web) -> Option<&'static str> {
    if policy::decide(web, Permission::Screen) != Decision::Allow {
        Some("`screen` is not in the app's permissions")
    } else if !crate::rendering::has_render_node() {
        Some("WebKitGTK takes a shared screen only through a GPU (a DRM render node, /dev/dri/renderD*), and this machine has none")
    } else {
        None
    }
}

/// The page's `getDisplayMedia` where WebKit's is switched off: refused at once, as a browser refuses it.
pub fn screen_script() -> &'static str {
    include_str!("screen.js")
}

/// Every request gets an answer: the policy's, or the user's for notifications with `ask`.
fn permissions(webview: &WebView, shared: &Arc<Shared>, answers: &'static Mutex<Answers>) {
    let shared = shared.clone();
    webview.connect_permission_request(move |webview, request| {
        let web = &shared.settings.web;
        if request.is::<NotificationPermissionRequest>() {
            let origin = webview
                .uri()
                .map(|u| SecurityOrigin::for_uri(&u).to_str().to_string())
                .unwrap_or_default();
            let decision = {
                let answers = answers.lock().unwrap_or_else(|e| e.into_inner());
                policy::decide_notifications(web, &answers, &origin)
            };
            match decision {
                Decision::Allow => request.allow(),
                Decision::Deny => request.deny(),
                Decision::Ask => ask(webview, &shared, request, origin, answers),
            }
            return true;
        }
        let kinds = if let Some(media) = request.downcast_ref::<UserMediaPermissionRequest>() {
            let (audio, video) = (media.is_for_audio_device(), media.is_for_video_device());
            let mut kinds = Vec::new();
            if audio {
                kinds.push(Permission::Microphone);
            }
            if video {
                kinds.push(Permission::Camera);
            }
            if kinds.is_empty() {
                kinds.push(Permission::Screen);
            }
            kinds
        } else if request.is::<GeolocationPermissionRequest>() {
            vec![Permission::Geolocation]
        } else {
            // Kinds newer than the bindings, by their GType name.
            match request.type_().name() {
                "WebKitClipboardPermissionRequest" => vec![Permission::Clipboard],
                "WebKitWebsiteDataAccessPermissionRequest" => vec![Permission::Storage],
                _ => Vec::new(),
            }
        };
        let allowed = !kinds.is_empty() && kinds.iter().all(|k| policy::decide(web, *k) == Decision::Allow);
        let screen_off = kinds.contains(&Permission::Screen) && screen_refusal(web).is_some();
        if allowed && !screen_off {
            request.allow();
        } else {
            request.deny();
        }
        true
    });
}

/// The app asks once per site whether it may show notifications, and keeps the answer.
fn ask(
    webview: &WebView,
    shared: &Shared,
    request: &PermissionRequest,
    origin: String,
    answers: &'static Mutex<Answers>,
) {
    let parent = webview.toplevel().and_then(|w| w.downcast::<gtk::Window>().ok());
    let dialog = gtk::MessageDialog::new(
        parent.as_ref(),
        gtk::DialogFlags::MODAL | gtk::DialogFlags::DESTROY_WITH_PARENT,
        gtk::MessageType::Question,
        gtk::ButtonsType::None,
        &policy::notification_question(&origin, &shared.settings.title),
    );
    dialog.set_title(&format!("{} - notifications", shared.settings.title));
    dialog.add_button("Block", gtk::ResponseType::Reject);
    dialog.add_button("Allow", gtk::ResponseType::Accept);
    dialog.set_default_response(gtk::ResponseType::Accept);
    let request = request.clone();
    dialog.connect_response(move |dialog, response| {
        let allowed = response == gtk::ResponseType::Accept;
        if allowed {
            request.allow();
        } else {
            request.deny();
        }
        // Closing the dialog is no answer: the page is denied now and asked again next time.
        if matches!(response, gtk::ResponseType::Accept | gtk::ResponseType::Reject) {
            answers
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .remember(&origin, allowed);
        }
        dialog.close();
    });
    dialog.show_all();
}

/// A notification on screen, by the notification server's id: the page's notification and how to raise
/// its window.
type Shown = HashMap<u32, (Notification, Rc<dyn Fn()>)>;

thread_local! {
    static SHOWN: RefCell<Shown> = RefCell::new(HashMap::new());
    static BUS: RefCell<Option<gio::DBusConnection>> = const { RefCell::new(None) };
}

fn session_bus() -> Option<gio::DBusConnection> {
    BUS.with(|bus| {
        let mut bus = bus.borrow_mut();
        if bus.is_none() {
            *bus = gio::bus_get_sync(gio::BusType::Session, gio::Cancellable::NONE).ok();
            if let Some(connection) = bus.as_ref() {
                listen(connection);
            }
        }
        bus.clone()
    })
}

/// A click on a notification (its default action) raises the app's window and tells the page; a
/// notification the server closed is closed for the page too.
fn listen(connection: &gio::DBusConnection) {
    connection.signal_subscribe(
        None,
        Some(NOTIFICATIONS),
        None,
        Some(NOTIFICATIONS_PATH),
        None,
        gio::DBusSignalFlags::NONE,
        |_, _, _, _, signal, params| match signal {
            "ActionInvoked" => {
                if let Some((id, action)) = params.get::<(u32, String)>() {
                    if action == "default" {
                        if let Some((notification, raise)) = SHOWN.with(|s| s.borrow_mut().remove(&id)) {
                            raise();
                            notification.clicked();
                        }
                    }
                }
            }
            "NotificationClosed" => {
                if let Some((id, _reason)) = params.get::<(u32, u32)>() {
                    if let Some((notification, _)) = SHOWN.with(|s| s.borrow_mut().remove(&id)) {
                        notification.close();
                    }
                }
            }
            _ => {}
        },
    );
}

/// Each page notification becomes a desktop notification with the app's name and icon (WebKitGTK's own
/// carries the program's name and no icon, and a click does not raise the window).
fn notifications<R: Runtime>(webview: &WebView, window: &WebviewWindow<R>, shared: &Arc<Shared>) {
    let icon = window
        .app_handle()
        .path()
        .resource_dir()
        .ok()
        .map(|dir| dir.join(DIR).join("icon.png"))
        .filter(|path| path.is_file())
        .and_then(|path| Url::from_file_path(path).ok())
        .map(|url| url.to_string())
        .unwrap_or_default();
    let (window, shared) = (window.clone(), shared.clone());
    webview.connect_show_notification(move |_, notification| {
        let Some(bus) = session_bus() else {
            return false; // no session bus: WebKitGTK's own attempt
        };
        let mut hints: HashMap<String, glib::Variant> = HashMap::new();
        hints.insert("desktop-entry".into(), shared.settings.product_name.to_variant());
        let params = (
            shared.settings.title.clone(),
            0u32,
            icon.clone(),
            notification.title().map(|t| t.to_string()).unwrap_or_default(),
            notification.body().map(|t| t.to_string()).unwrap_or_default(),
            vec!["default".to_string(), "Open".to_string()],
            hints,
            -1i32,
        )
            .to_variant();
        let window = window.clone();
        let raise: Rc<dyn Fn()> = Rc::new(move || crate::window::raise(&window));
        let shown = notification.clone();
        bus.call(
            Some(NOTIFICATIONS),
            NOTIFICATIONS_PATH,
            NOTIFICATIONS,
            "Notify",
            Some(&params),
            glib::VariantTy::new("(u)").ok(),
            gio::DBusCallFlags::NONE,
            -1,
            gio::Cancellable::NONE,
            move |reply| {
                let Some((id,)) = reply.ok().and_then(|v| v.get::<(u32,)>()) else {
                    return;
                };
                SHOWN.with(|s| s.borrow_mut().insert(id, (shown.clone(), raise)));
                // The page closed it (or a newer one with its tag replaced it).
                shown.connect_closed(move |_| {
                    if SHOWN.with(|s| s.borrow_mut().remove(&id)).is_some() {
                        if let Some(bus) = session_bus() {
                            bus.call(
                                Some(NOTIFICATIONS),
                                NOTIFICATIONS_PATH,
                                NOTIFICATIONS,
                                "CloseNotification",
                                Some(&(id,).to_variant()),
                                None,
                                gio::DBusCallFlags::NONE,
                                -1,
                                gio::Cancellable::NONE,
                                |_| {},
                            );
                        }
                    }
                });
            },
        );
        true
    });
}

/// `navigator.setAppBadge(n)` (polyfilled by `badge.js`, which posts only a number) → the launcher
/// entry's count, over the Unity LauncherEntry D-Bus API that docks and panels on Linux read.
fn badge(webview: &WebView, shared: &Arc<Shared>) {
    let Some(manager) = webview.user_content_manager() else {
        return;
    };
    if !manager.register_script_message_handler(policy::BADGE_HANDLER) {
        return;
    }
    let app_uri = format!("application://{}.desktop", shared.settings.product_name);
    let path = format!(
        "/com/canonical/unity/launcherentry/{}",
        shared
            .settings
            .identifier
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect::<String>()
    );
    manager.connect_script_message_received(Some(policy::BADGE_HANDLER), move |_, result| {
        let Some(value) = result.js_value() else {
            return;
        };
        if !value.is_number() {
            return;
        }
        let Ok(count) = policy::badge_count(value.to_double()) else {
            return;
        };
        let mut properties: HashMap<String, glib::Variant> = HashMap::new();
        properties.insert("count".into(), i64::from(count.unwrap_or(0)).to_variant());
        properties.insert("count-visible".into(), count.is_some().to_variant());
        if let Some(bus) = session_bus() {
            let _ = bus.emit_signal(
                None,
                &path,
                "com.canonical.Unity.LauncherEntry",
                "Update",
                Some(&(app_uri.clone(), properties).to_variant()),
            );
        }
    });
}

/// A certificate WebKit refuses loads anyway when its SHA-256 was trusted for that host in the config.
fn certificates(webview: &WebView, shared: &Arc<Shared>) {
    if shared.settings.web.trusted_certificates.is_empty() {
        return;
    }
    let shared = shared.clone();
    webview.connect_load_failed_with_tls_errors(move |webview, uri, certificate, _errors| {
        let Some(host) = Url::parse(uri).ok().and_then(|u| u.host_str().map(str::to_string)) else {
            return false;
        };
        let Some(der) = certificate.certificate() else {
            return false;
        };
        let Some(mut sum) = glib::Checksum::new(glib::ChecksumType::Sha256) else {
            return false;
        };
        sum.update(&der);
        let fingerprint = policy::fingerprint(&sum.digest());
        if !policy::trusted(&shared.settings.web, &host, &fingerprint) {
            return false; // WebKitGTK's error page
        }
        let Some(context) = webview.context() else {
            return false;
        };
        context.allow_tls_certificate_for_host(certificate, &host);
        webview.load_uri(uri);
        true
    });
}

/// A page whose web process died, or hung and was stopped, is replaced by a page with a Reload button.
fn crashes(webview: &WebView, shared: &Arc<Shared>) {
    let title = shared.settings.title.clone();
    webview.connect_web_process_terminated(move |webview, reason| {
        let url = webview.uri().map(|u| u.to_string()).unwrap_or_default();
        let hung = matches!(reason, WebProcessTerminationReason::TerminatedByApi);
        webview.load_alternate_html(&policy::reload_page(&title, &url, hung), &url, None);
    });
    webview.connect_is_web_process_responsive_notify(|webview| {
        if webview.is_web_process_responsive() {
            return;
        }
        let weak = webview.downgrade();
        glib::timeout_add_local_once(policy::HANG_GRACE, move || {
            if let Some(webview) = weak.upgrade() {
                if !webview.is_web_process_responsive() {
                    webview.terminate_web_process();
                }
            }
        });
    });
}
