//! WKWebView (macOS), as on Linux: a page whose web content process died is replaced by the reload page,
//! where WKWebView would leave a blank view, and `navigator.setAppBadge(n)` (the polyfill, `badge.js`) shows
//! the count on the Dock icon. Not run here (no Mac); type-checked and linted with clippy for
//! `aarch64-apple-darwin` and checked against tauri 2.12.7, objc2 0.6.5 and objc2-web-kit 0.3.2
//! (docs/runtime-api-checks.md).

use super::policy;
use crate::window::Shared;
use objc2::rc::Retained;
use objc2::runtime::{NSObject, ProtocolObject};
use objc2::{define_class, msg_send, DefinedClass, MainThreadMarker, MainThreadOnly};
use objc2_foundation::{ns_string, NSNumber, NSObjectProtocol, NSString};
use objc2_web_kit::{WKScriptMessage, WKScriptMessageHandler, WKUserContentController, WKWebView};
use std::sync::Arc;
use tauri::{Builder, Runtime, WebviewWindow};

/// Tauri's `webViewWebContentProcessDidTerminate:` hook (the app's, one for every web view): load the reload
/// page, with a Reload link to the address the dead page had, into the web view that lost its page.
pub fn crashes<R: Runtime>(builder: Builder<R>, shared: &Arc<Shared>) -> Builder<R> {
    let title = shared.settings.title.clone();
    builder.on_web_content_process_terminate(move |webview| {
        let url = webview.url().map(|u| u.to_string()).unwrap_or_default();
        let html = policy::reload_page(&title, &url, false);
        let _ = webview.with_webview(move |platform| {
            // SAFETY: `inner` is the live WKWebView wry made (tauri `PlatformWebview::inner`), used on the main
            // thread, where with_webview runs its closure on macOS.
            unsafe {
                let view = &*platform.inner().cast::<WKWebView>();
                // A new web content process loads the page; no base URL, so it has no origin of the site.
                let _ = view.loadHTMLString_baseURL(&NSString::from_str(&html), None);
            }
        });
    })
}

define_class!(
    /// Receives the badge polyfill's count: a number from the top frame, nothing else.
    #[unsafe(super(NSObject))]
    #[thread_kind = MainThreadOnly]
    #[name = "LocalpackBadgeHandler"]
    #[ivars = Box<dyn Fn(Option<u32>)>]
    struct BadgeHandler;

    unsafe impl NSObjectProtocol for BadgeHandler {}

    unsafe impl WKScriptMessageHandler for BadgeHandler {
        #[unsafe(method(userContentController:didReceiveScriptMessage:))]
        fn received(&self, _controller: &WKUserContentController, message: &WKScriptMessage) {
            // SAFETY: WebKit's live message, on the main thread.
            let (top, body) = unsafe { (message.frameInfo().isMainFrame(), message.body()) };
            if !top {
                return; // a frame (an ad, an embed) does not set the app's badge
            }
            let Some(number) = body.downcast_ref::<NSNumber>() else {
                return;
            };
            if let Ok(count) = policy::badge_count(number.as_f64()) {
                (self.ivars())(count);
            }
        }
    }
);

impl BadgeHandler {
    fn new(mtm: MainThreadMarker, set: Box<dyn Fn(Option<u32>)>) -> Retained<Self> {
        let this = mtm.alloc::<Self>().set_ivars(set);
        // SAFETY: NSObject's designated initializer, on a freshly allocated object.
        unsafe { msg_send![super(this), init] }
    }
}

/// Register the badge handler on `window`'s web view: the count goes to the Dock icon (`set_badge_count`).
pub fn badge<R: Runtime>(window: &WebviewWindow<R>) {
    let target = window.clone();
    let _ = window.with_webview(move |platform| {
        let Some(mtm) = MainThreadMarker::new() else {
            return;
        };
        let handler = BadgeHandler::new(
            mtm,
            Box::new(move |count| {
                let _ = target.set_badge_count(count.map(i64::from));
            }),
        );
        // SAFETY: `controller` is the live WKUserContentController of the web view wry made (tauri
        // `PlatformWebview::controller`), one per web view, so the name is added once; main thread.
        unsafe {
            let controller = &*platform.controller().cast::<WKUserContentController>();
            controller
                .addScriptMessageHandler_name(ProtocolObject::from_ref(&*handler), ns_string!(policy::BADGE_HANDLER));
        }
    });
}
