//! Web Notifications on macOS, where WKWebView has none in an app: the polyfill (`notify.js`, top frame only)
//! asks through the `localpackNotify` script message handler, which replies; the runtime answers by the
//! app's policy and the answers the user gave (the same file and rules as Linux, `policy::Answers`), asks with
//! an alert when the policy is `ask`, and shows each notification through the system's notification centre
//! (UserNotifications: the app's own name and icon). A click raises the window and runs the page's `onclick`.
//! Not run here (no Mac); type-checked and linted with clippy for `aarch64-apple-darwin` and checked against
//! objc2-web-kit and objc2-user-notifications 0.3.2 (docs/runtime-api-checks.md).

use super::notify_message::{self, PageMessage};
use super::policy::{self, Answers, Decision};
use crate::window::Shared;
use block2::{DynBlock, RcBlock};
use objc2::rc::Retained;
use objc2::runtime::{AnyObject, Bool, NSObject, ProtocolObject};
use objc2::{define_class, msg_send, sel, ClassType, DefinedClass, MainThreadMarker, MainThreadOnly};
use objc2_app_kit::{NSAlert, NSAlertFirstButtonReturn};
use objc2_foundation::{ns_string, NSArray, NSBundle, NSError, NSObjectProtocol, NSString};
use objc2_user_notifications::{
    UNAuthorizationOptions, UNAuthorizationStatus, UNMutableNotificationContent, UNNotification,
    UNNotificationPresentationOptions, UNNotificationRequest, UNNotificationResponse, UNNotificationSettings,
    UNUserNotificationCenter, UNUserNotificationCenterDelegate,
};
use objc2_web_kit::{WKContentWorld, WKScriptMessage, WKScriptMessageHandlerWithReply, WKUserContentController};
use std::collections::BTreeMap;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use tauri::{AppHandle, Manager, Runtime, WebviewWindow};

const HANDLER: &str = "localpackNotify";

/// The notifications on screen: the centre's identifier → the window's label and the page's number.
static SHOWN: Mutex<BTreeMap<String, (String, u64)>> = Mutex::new(BTreeMap::new());
/// What a click on a notification does (raise the window, tell the page), set with the centre's delegate.
static ON_CLICK: OnceLock<Box<dyn Fn(String) + Send + Sync>> = OnceLock::new();
/// Whether macOS lets the app show notifications at all (System Settings › Notifications): read when the first
/// window is made and after each authorization answer. `false` until known to be denied, since the centre asks
/// the user itself the first time.
static OS_DENIED: AtomicBool = AtomicBool::new(false);

/// The polyfill for a window's builder, with the policy and the answers kept so far.
pub fn script<R: Runtime>(app: &AppHandle<R>, shared: &Shared) -> String {
    let answers = super::answers(app, shared).lock().unwrap_or_else(|e| e.into_inner());
    notify_message::script(
        include_str!("notify.js"),
        shared.settings.web.notifications,
        answers.all(),
    )
}

/// Register the handler on `window`'s web view and, once, the notification centre's delegate.
pub fn attach<R: Runtime>(window: &WebviewWindow<R>, shared: &Arc<Shared>) {
    let app = window.app_handle().clone();
    if ON_CLICK.get().is_none() && has_bundle() {
        let on_click = app.clone();
        let _ = ON_CLICK.set(Box::new(move |identifier| {
            let app = on_click.clone();
            let _ = on_click.run_on_main_thread(move || clicked(&app, &identifier));
        }));
        let delegate = CentreDelegate::new();
        UNUserNotificationCenter::currentNotificationCenter().setDelegate(Some(ProtocolObject::from_ref(&*delegate)));
        std::mem::forget(delegate); // the centre holds its delegate weakly; it lives as long as the app
        read_os_permission();
    }
    let (label, shared, answers) = (window.label().to_string(), shared.clone(), super::answers(&app, shared));
    let _ = window.with_webview(move |platform| {
        let Some(mtm) = MainThreadMarker::new() else {
            return;
        };
        let handler = MessageHandler::new(
            mtm,
            Box::new(move |origin, message| answer(&shared, answers, &label, &origin, message)),
        );
        // SAFETY: `controller` is the live WKUserContentController of this web view (tauri
        // `PlatformWebview::controller`), one per web view, so the name is added once; main thread. The page
        // world is where `notify.js` defines `Notification` for the page. Replies and content worlds are
        // macOS 11+: on 10.14 and 10.15 there is no handler, so the polyfill stays out and pages see no API.
        unsafe {
            let controller = &*platform.controller().cast::<WKUserContentController>();
            if !controller.respondsToSelector(sel!(addScriptMessageHandlerWithReply:contentWorld:name:)) {
                return;
            }
            controller.addScriptMessageHandlerWithReply_contentWorld_name(
                ProtocolObject::from_ref(&*handler),
                &WKContentWorld::pageWorld(mtm),
                ns_string!(HANDLER),
            );
        }
    });
}

/// The reply to one page message ("granted"/"denied"/"default" to an ask, "shown"/"denied"/"failed" to a show).
fn answer(
    shared: &Shared,
    answers: &'static Mutex<Answers>,
    window: &str,
    origin: &str,
    message: PageMessage,
) -> &'static str {
    let decision = {
        let answers = answers.lock().unwrap_or_else(|e| e.into_inner());
        policy::decide_notifications(&shared.settings.web, &answers, origin)
    };
    match message {
        PageMessage::Ask => match decision {
            Decision::Allow => "granted",
            Decision::Deny => "denied",
            Decision::Ask => match ask(shared, origin) {
                Some(allowed) => {
                    answers
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .remember(origin, allowed);
                    if allowed {
                        "granted"
                    } else {
                        "denied"
                    }
                }
                None => "default",
            },
        },
        PageMessage::Show { id, title, body, tag } => {
            if decision != Decision::Allow {
                return "denied"; // the page's own idea of its permission is not trusted
            }
            if !has_bundle() {
                return "failed";
            }
            if OS_DENIED.load(Ordering::Relaxed) {
                read_os_permission(); // turned on again in System Settings: the next one shows
                return "denied"; // off for the app in System Settings: the page's `error`, not a `show` nobody sees
            }
            let identifier = notify_message::identifier(window, &tag, id);
            shown().insert(identifier.clone(), (window.to_string(), id));
            show(&identifier, &shared.settings.title, &title, &body);
            "shown"
        }
        PageMessage::Close { id } => {
            let mut shown = shown();
            let gone: Vec<String> = shown
                .iter()
                .filter(|(_, (w, n))| w == window && *n == id)
                .map(|(k, _)| k.clone())
                .collect();
            for identifier in &gone {
                shown.remove(identifier);
            }
            drop(shown);
            if !gone.is_empty() {
                let ids: Vec<Retained<NSString>> = gone.iter().map(|i| NSString::from_str(i)).collect();
                let ids = NSArray::from_retained_slice(&ids);
                let centre = UNUserNotificationCenter::currentNotificationCenter();
                centre.removeDeliveredNotificationsWithIdentifiers(&ids);
                centre.removePendingNotificationRequestsWithIdentifiers(&ids);
            }
            "closed"
        }
    }
}

fn shown() -> std::sync::MutexGuard<'static, BTreeMap<String, (String, u64)>> {
    SHOWN.lock().unwrap_or_else(|e| e.into_inner())
}

/// The app's question, once per site: Allow or Block (None: no main thread to ask on).
fn ask(shared: &Shared, origin: &str) -> Option<bool> {
    let mtm = MainThreadMarker::new()?;
    let alert = NSAlert::new(mtm);
    alert.setMessageText(&NSString::from_str(&policy::notification_question(
        origin,
        &shared.settings.title,
    )));
    alert.setInformativeText(&NSString::from_str(&shared.settings.title));
    alert.addButtonWithTitle(ns_string!("Allow"));
    alert.addButtonWithTitle(ns_string!("Block"));
    Some(alert.runModal() == NSAlertFirstButtonReturn)
}

/// The system notification; the centre asks the user the first time (and remembers), and shows nothing when
/// notifications are off for the app in System Settings.
fn show(identifier: &str, app_title: &str, title: &str, body: &str) {
    let content = UNMutableNotificationContent::new();
    content.setTitle(&NSString::from_str(if title.is_empty() { app_title } else { title }));
    content.setBody(&NSString::from_str(body));
    let request =
        UNNotificationRequest::requestWithIdentifier_content_trigger(&NSString::from_str(identifier), &content, None);
    let centre = UNUserNotificationCenter::currentNotificationCenter();
    let options = UNAuthorizationOptions::Alert | UNAuthorizationOptions::Sound;
    let request = Mutex::new(Some(request));
    let asked = RcBlock::new(move |granted: Bool, _error: *mut NSError| {
        // On a queue of the centre's; the centre may be used from any thread.
        let Some(request) = request.lock().unwrap_or_else(|e| e.into_inner()).take() else {
            return;
        };
        OS_DENIED.store(!granted.as_bool(), Ordering::Relaxed);
        if granted.as_bool() {
            UNUserNotificationCenter::currentNotificationCenter()
                .addNotificationRequest_withCompletionHandler(&request, None);
        }
    });
    centre.requestAuthorizationWithOptions_completionHandler(options, &asked);
}

/// Read whether macOS lets the app show notifications (no question to the user), into `OS_DENIED`.
fn read_os_permission() {
    let read = RcBlock::new(|settings: NonNull<UNNotificationSettings>| {
        // SAFETY: the centre passes a live settings object for the duration of the call.
        let status = unsafe { settings.as_ref() }.authorizationStatus();
        OS_DENIED.store(status == UNAuthorizationStatus::Denied, Ordering::Relaxed);
    });
    UNUserNotificationCenter::currentNotificationCenter().getNotificationSettingsWithCompletionHandler(&read);
}

/// A click: the window to the front and the page's `onclick`.
fn clicked<R: Runtime>(app: &AppHandle<R>, identifier: &str) {
    let Some((label, id)) = shown().remove(identifier) else {
        return;
    };
    if let Some(window) = app.get_webview_window(&label) {
        crate::window::raise(&window);
        let _ = window.eval(notify_message::clicked(id));
    }
}

/// UserNotifications needs an app bundle (it throws for a bare executable, as `cargo run` makes).
fn has_bundle() -> bool {
    NSBundle::mainBundle().bundleIdentifier().is_some()
}

type OnMessage = Box<dyn Fn(String, PageMessage) -> &'static str>;

define_class!(
    /// The polyfill's messages: JSON text from the top frame, answered through WebKit's reply block.
    #[unsafe(super(NSObject))]
    #[thread_kind = MainThreadOnly]
    #[name = "LocalpackNotifyHandler"]
    #[ivars = OnMessage]
    struct MessageHandler;

    unsafe impl NSObjectProtocol for MessageHandler {}

    unsafe impl WKScriptMessageHandlerWithReply for MessageHandler {
        #[unsafe(method(userContentController:didReceiveScriptMessage:replyHandler:))]
        fn received(
            &self,
            _controller: &WKUserContentController,
            message: &WKScriptMessage,
            reply: &DynBlock<dyn Fn(*mut AnyObject, *mut NSString)>,
        ) {
            let answer = self.read(message).map(|(origin, m)| (self.ivars())(origin, m));
            match answer {
                Some(text) => {
                    let text = NSString::from_str(text);
                    reply.call((Retained::as_ptr(&text).cast_mut().cast(), std::ptr::null_mut()));
                }
                None => {
                    let error = ns_string!("not a notification message");
                    reply.call((std::ptr::null_mut(), (error as *const NSString).cast_mut()));
                }
            }
        }
    }
);

impl MessageHandler {
    fn new(mtm: MainThreadMarker, on_message: OnMessage) -> Retained<Self> {
        let this = mtm.alloc::<Self>().set_ivars(on_message);
        // SAFETY: NSObject's designated initializer, on a freshly allocated object.
        unsafe { msg_send![super(this), init] }
    }

    /// The sending frame's origin and its message, from the top frame only.
    fn read(&self, message: &WKScriptMessage) -> Option<(String, PageMessage)> {
        // SAFETY: WebKit's live message, on the main thread.
        let (frame, body) = unsafe { (message.frameInfo(), message.body()) };
        // SAFETY: as above.
        if !unsafe { frame.isMainFrame() } {
            return None;
        }
        let text = body.downcast_ref::<NSString>()?.to_string();
        let parsed = notify_message::parse(&text)?;
        // SAFETY: as above.
        let origin = unsafe {
            let o = frame.securityOrigin();
            notify_message::origin(&o.protocol().to_string(), &o.host().to_string(), o.port() as i64)
        };
        Some((origin, parsed))
    }
}

define_class!(
    /// The notification centre's delegate: banners while the app is in front, and clicks.
    #[unsafe(super(NSObject))]
    #[name = "LocalpackNotificationCentreDelegate"]
    struct CentreDelegate;

    unsafe impl NSObjectProtocol for CentreDelegate {}

    unsafe impl UNUserNotificationCenterDelegate for CentreDelegate {
        #[unsafe(method(userNotificationCenter:willPresentNotification:withCompletionHandler:))]
        fn will_present(
            &self,
            _centre: &UNUserNotificationCenter,
            _notification: &UNNotification,
            done: &DynBlock<dyn Fn(UNNotificationPresentationOptions)>,
        ) {
            // Shown while the app is in front too, as a browser shows a site's.
            done.call((UNNotificationPresentationOptions::Banner
                | UNNotificationPresentationOptions::List
                | UNNotificationPresentationOptions::Sound,));
        }

        #[unsafe(method(userNotificationCenter:didReceiveNotificationResponse:withCompletionHandler:))]
        fn did_receive(
            &self,
            _centre: &UNUserNotificationCenter,
            response: &UNNotificationResponse,
            done: &DynBlock<dyn Fn()>,
        ) {
            let identifier = response.notification().request().identifier().to_string();
            if let Some(on_click) = ON_CLICK.get() {
                on_click(identifier);
            }
            done.call(());
        }
    }
);

impl CentreDelegate {
    fn new() -> Retained<Self> {
        // SAFETY: NSObject's `new` on a class with no instance variables.
        unsafe { msg_send![Self::class(), new] }
    }
}
