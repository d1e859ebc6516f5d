//! WebKitGTK (Linux): the link policy connected to the engine itself, because the navigation handler wry
//! offers cannot tell frames apart. WebKitGTK asks `decide-policy` (NAVIGATION_ACTION) for the main frame
//! and for every iframe alike, and its API says nothing of which frame is navigating; it does say whether
//! the user started it (`webkit_navigation_action_is_user_gesture`). The response it asks about next
//! (RESPONSE) does say whether it is the main frame's document
//! (`webkit_response_policy_decision_is_main_frame_main_resource`, WebKitGTK 2.40). So:
//!
//! - at the navigation: web pages load (the frame is unknown: decided at the response); a scheme for
//!   another program reaches the opener only after a user gesture; the rest is refused;
//! - at the response: the main frame's document from another site goes to the browser instead (a redirect
//!   included), a `data:` document in the main frame is refused; a frame's document loads in place;
//! - when the main frame's load fails before any response (another site that does not answer), it goes to
//!   the browser too.
//!
//! wry's own `decide-policy` handler is disconnected first: it would answer every navigation before ours.
//!
//! Also here: a popup's `window.close()`. wry destroys the web view on WebKit's `close` signal and leaves
//! its window open and empty, so when the web view is destroyed the app destroys the window too.

use crate::links::Frame;
use crate::window::{navigate, Shared};
use std::sync::Arc;
use tauri::{AppHandle, Manager, Runtime, Url, WebviewWindow};
use webkit2gtk::glib;
use webkit2gtk::glib::prelude::*;
use webkit2gtk::{
    NavigationPolicyDecision, NavigationPolicyDecisionExt, PolicyDecision, PolicyDecisionExt, PolicyDecisionType,
    ResponsePolicyDecision, ResponsePolicyDecisionExt, URIRequestExt, URIResponseExt, WebViewExt,
};

/// Connects the policy to `window`'s web view (on the main thread, before the first navigation is asked).
pub fn attach<R: Runtime>(window: &WebviewWindow<R>, shared: Arc<Shared>, popup: bool) -> tauri::Result<()> {
    let app = window.app_handle().clone();
    let for_close = window.clone();
    window.with_webview(move |platform| {
        let view = platform.inner();
        drop_wry_navigation_handler(&view);
        let (for_failed, shared_failed) = (app.clone(), shared.clone());
        view.connect_decide_policy(move |_, decision, kind| decide(&app, &shared, decision, kind, popup));
        view.connect_load_failed(move |_, _, uri, error| failed(&for_failed, &shared_failed, uri, error, popup));
        if popup {
            // wry destroys the web view on WebKit's `close` (which also disconnects every other `close`
            // handler); GtkWidget's `destroy` still runs, and then the window goes too.
            view.connect_local("destroy", false, move |_| {
                let window = for_close.clone();
                webkit2gtk::glib::idle_add_local_once(move || {
                    let _ = window.destroy();
                });
                None
            });
        }
    })
}

/// Tauri always gives wry a navigation handler (tauri `src/manager/webview.rs:604`, for plugins' `on_navigation`
/// hooks, which none of the runtime's plugins has), and wry answers NAVIGATION_ACTION in it and stops the
/// signal there (`src/webkitgtk/mod.rs:562-588`), so a handler connected later never sees a navigation. The
/// runtime decides every navigation itself: the handlers connected before its own (wry's) go.
fn drop_wry_navigation_handler(view: &webkit2gtk::WebView) {
    use webkit2gtk::glib::gobject_ffi;
    use webkit2gtk::glib::translate::IntoGlib;
    // SAFETY: `view` is a live WebKitWebView on the main thread; the calls only look up and disconnect
    // handlers of its `decide-policy` signal, which exists on every WebKitWebView.
    unsafe {
        let instance = view.as_ptr() as *mut gobject_ffi::GObject;
        let signal = gobject_ffi::g_signal_lookup(
            c"decide-policy".as_ptr(),
            webkit2gtk::WebView::static_type().into_glib(),
        );
        if signal == 0 {
            return;
        }
        loop {
            let id = gobject_ffi::g_signal_handler_find(
                instance,
                gobject_ffi::G_SIGNAL_MATCH_ID,
                signal,
                0,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
            );
            if id == 0 {
                break;
            }
            gobject_ffi::g_signal_handler_disconnect(instance, id);
        }
    }
}

/// `decide-policy`: `true` when the app decided (ignored), `false` to leave it to WebKit (it goes ahead).
fn decide<R: Runtime>(
    app: &AppHandle<R>,
    shared: &Shared,
    decision: &PolicyDecision,
    kind: PolicyDecisionType,
    popup: bool,
) -> bool {
    let (uri, frame, gesture) = match kind {
        PolicyDecisionType::NavigationAction => {
            let Some(action) = decision
                .downcast_ref::<NavigationPolicyDecision>()
                .and_then(|d| d.navigation_action())
            else {
                return false;
            };
            let uri = action.request().and_then(|r| r.uri());
            (uri, Frame::Unknown, Some(action.is_user_gesture()))
        }
        PolicyDecisionType::Response => {
            let Some(response) = decision.downcast_ref::<ResponsePolicyDecision>() else {
                return false;
            };
            let frame = if response.is_main_frame_main_resource() {
                Frame::Main
            } else {
                Frame::Sub // an iframe's document, or a subresource of any frame: loads in place
            };
            (response.response().and_then(|r| r.uri()), frame, None)
        }
        // NEW_WINDOW_ACTION: wry's `create` handler asks the policy (window.rs, `new_window`).
        _ => return false,
    };
    let Some(uri) = uri else {
        return false;
    };
    let goes_ahead = match Url::parse(&uri) {
        Ok(url) => navigate(app, shared, &url, frame, popup, gesture),
        Err(_) => false,
    };
    if goes_ahead {
        return false;
    }
    decision.ignore();
    true
}

/// `load-failed` (the main frame's loads): another site that could not be reached (no answer, so no
/// response to decide at) still goes to the browser, as a click on it would in a browser's tab. `true`: no
/// error page. Loads the policy or a newer navigation cancelled are not failures.
fn failed<R: Runtime>(app: &AppHandle<R>, shared: &Shared, uri: &str, error: &glib::Error, popup: bool) -> bool {
    if error.kind::<webkit2gtk::PolicyError>().is_some() || error.matches(webkit2gtk::NetworkError::Cancelled) {
        return false;
    }
    match Url::parse(uri) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => !navigate(app, shared, &url, Frame::Main, popup, None),
        _ => false,
    }
}
