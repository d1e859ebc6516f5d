//! WKWebView's authentication challenges (macOS), answered as on Linux: a server certificate WebKit refuses is
//! accepted when it is the one `trusted_certificates` names for the host (its SHA-256), and an HTTP Basic or
//! Digest site shows a credentials prompt. wry 0.57.3's navigation delegate (`WryNavigationDelegate`,
//! `src/wkwebview/class/wry_navigation_delegate.rs`) has no `webView:didReceiveAuthenticationChallenge:…`, so
//! WebKit gives such a site no prompt and no way past its certificate error; the runtime adds that one method
//! to the delegate's class and sets the delegate again (WebKit notes which methods a delegate has when it is
//! set). Not run here (no Mac); type-checked and linted with clippy for `aarch64-apple-darwin` and checked
//! against objc2 0.6.5, objc2-foundation, objc2-app-kit, objc2-web-kit and objc2-security 0.3.2
//! (docs/runtime-api-checks.md).

use super::policy;
use crate::window::Shared;
use block2::DynBlock;
use objc2::rc::Retained;
use objc2::runtime::{AnyClass, AnyObject, Imp, Sel};
use objc2::{ffi, msg_send, sel, ClassType, MainThreadMarker, MainThreadOnly};
use objc2_app_kit::{NSAlert, NSAlertFirstButtonReturn, NSSecureTextField, NSTextField, NSView};
use objc2_foundation::{
    ns_string, NSPoint, NSRect, NSSize, NSString, NSURLAuthenticationChallenge, NSURLAuthenticationMethodHTTPBasic,
    NSURLAuthenticationMethodHTTPDigest, NSURLAuthenticationMethodServerTrust, NSURLCredential,
    NSURLCredentialPersistence, NSURLProtectionSpace, NSURLSessionAuthChallengeDisposition,
};
use objc2_security::SecTrust;
use objc2_web_kit::WKWebView;
use sha2::{Digest, Sha256};
use std::sync::{Arc, OnceLock};
use tauri::{Runtime, WebviewWindow};

/// The app's settings, for the challenge method (an Objective-C method has no closure to carry them).
static SHARED: OnceLock<Arc<Shared>> = OnceLock::new();
/// What a prompt shows of the server's realm at most (a hostile server may send a page of text).
const REALM_CHARS: usize = 200;

type CompletionHandler = DynBlock<dyn Fn(NSURLSessionAuthChallengeDisposition, *mut NSURLCredential)>;
type ChallengeMethod =
    unsafe extern "C-unwind" fn(&AnyObject, Sel, &WKWebView, &NSURLAuthenticationChallenge, &CompletionHandler);

/// Give `window`'s web view the challenge answers.
pub fn attach<R: Runtime>(window: &WebviewWindow<R>, shared: &Arc<Shared>) {
    let _ = SHARED.set(shared.clone());
    let _ = window.with_webview(|platform| {
        // SAFETY: `inner` is the live WKWebView wry made, used on the main thread (with_webview runs there on
        // macOS). The method added has the signature WebKit calls (WKNavigationDelegate's
        // `webView:didReceiveAuthenticationChallenge:completionHandler:`, objc2-web-kit
        // `WKNavigationDelegate.rs:331`), with its type encoding: void return, self, _cmd, three objects,
        // the last a block.
        unsafe {
            let view = &*platform.inner().cast::<WKWebView>();
            let Some(delegate) = view.navigationDelegate() else {
                return;
            };
            let object: &AnyObject = &*(Retained::as_ptr(&delegate).cast::<AnyObject>());
            let class: &AnyClass = object.class();
            let selector = sel!(webView:didReceiveAuthenticationChallenge:completionHandler:);
            if class.instance_method(selector).is_none() {
                let method: ChallengeMethod = challenge;
                let imp: Imp = std::mem::transmute::<ChallengeMethod, Imp>(method);
                ffi::class_addMethod(
                    (class as *const AnyClass).cast_mut(),
                    selector,
                    imp,
                    c"v@:@@@?".as_ptr(),
                );
            }
            view.setNavigationDelegate(Some(&delegate));
        }
    });
}

/// The added delegate method: answer the challenge, or leave it to WebKit's default handling.
unsafe extern "C-unwind" fn challenge(
    _this: &AnyObject,
    _cmd: Sel,
    _view: &WKWebView,
    challenge: &NSURLAuthenticationChallenge,
    handler: &CompletionHandler,
) {
    let (disposition, credential) =
        answer(challenge).unwrap_or((NSURLSessionAuthChallengeDisposition::PerformDefaultHandling, None));
    let credential = credential
        .as_ref()
        .map_or(std::ptr::null_mut(), |c| Retained::as_ptr(c).cast_mut());
    handler.call((disposition, credential));
}

/// The credential for a trusted certificate or for what the user typed; None: WebKit's default (its own
/// certificate evaluation and error page; a 401 page with no credential).
fn answer(
    challenge: &NSURLAuthenticationChallenge,
) -> Option<(NSURLSessionAuthChallengeDisposition, Option<Retained<NSURLCredential>>)> {
    let shared = SHARED.get()?;
    let space = challenge.protectionSpace();
    let method = space.authenticationMethod();
    // SAFETY: the extern statics are NSString constants of Foundation.
    let (server_trust, basic, digest) = unsafe {
        (
            NSURLAuthenticationMethodServerTrust,
            NSURLAuthenticationMethodHTTPBasic,
            NSURLAuthenticationMethodHTTPDigest,
        )
    };
    if &*method == server_trust {
        let credential = trusted_certificate(shared, &space)?;
        return Some((NSURLSessionAuthChallengeDisposition::UseCredential, Some(credential)));
    }
    if &*method == basic || &*method == digest {
        let mtm = MainThreadMarker::new()?;
        let (user, password) = prompt(mtm, &space, challenge.previousFailureCount() > 0)?;
        let credential = NSURLCredential::credentialWithUser_password_persistence(
            &user,
            &password,
            NSURLCredentialPersistence::ForSession,
        );
        return Some((NSURLSessionAuthChallengeDisposition::UseCredential, Some(credential)));
    }
    None
}

/// A credential for the server's trust when its leaf certificate is the one the config names for the host.
fn trusted_certificate(shared: &Shared, space: &NSURLProtectionSpace) -> Option<Retained<NSURLCredential>> {
    let host = space.host().to_string();
    // SAFETY: `serverTrust` is NSURLProtectionSpace's (a SecTrustRef, nil unless the method is server trust),
    // which objc2-foundation 0.3.2 does not bind; the reference lives as long as `space`.
    let trust: *mut SecTrust = unsafe { msg_send![space, serverTrust] };
    // SAFETY: non-null checked by `as_ref`. SecTrustGetCertificateAtIndex (macOS 10.7+; deprecated in 12
    // for SecTrustCopyCertificateChain, which an app for macOS 10.14 cannot link) gives the leaf at 0.
    #[allow(deprecated)]
    let der = unsafe { trust.as_ref()?.certificate_at_index(0)?.data().to_vec() };
    if !policy::trusted(&shared.settings.web, &host, &policy::fingerprint(&Sha256::digest(&der))) {
        return None;
    }
    // SAFETY: `credentialForTrust:` takes the SecTrustRef the challenge carries and returns a new credential.
    let credential: Option<Retained<NSURLCredential>> =
        unsafe { msg_send![NSURLCredential::class(), credentialForTrust: trust] };
    credential
}

/// The credentials prompt: host and realm, a user name and a password field; None when cancelled.
fn prompt(
    mtm: MainThreadMarker,
    space: &NSURLProtectionSpace,
    failed_before: bool,
) -> Option<(Retained<NSString>, Retained<NSString>)> {
    let realm: String = space.realm().map(|r| r.to_string()).unwrap_or_default();
    let mut detail: Vec<String> = Vec::new();
    if !realm.trim().is_empty() {
        detail.push(format!(
            "The site says: {}",
            realm.chars().take(REALM_CHARS).collect::<String>()
        ));
    }
    if failed_before {
        detail.push("The user name or password was not accepted.".into());
    }
    let alert = NSAlert::new(mtm);
    alert.setMessageText(&NSString::from_str(&format!("Sign in to {}", space.host())));
    alert.setInformativeText(&NSString::from_str(&detail.join("\n\n")));
    alert.addButtonWithTitle(ns_string!("Sign In"));
    alert.addButtonWithTitle(ns_string!("Cancel"));
    let frame = |y: f64, height: f64| NSRect::new(NSPoint::new(0.0, y), NSSize::new(260.0, height));
    let user = NSTextField::initWithFrame(NSTextField::alloc(mtm), frame(30.0, 24.0));
    user.setPlaceholderString(Some(ns_string!("User name")));
    let password = NSSecureTextField::initWithFrame(NSSecureTextField::alloc(mtm), frame(0.0, 24.0));
    password.setPlaceholderString(Some(ns_string!("Password")));
    let fields = NSView::initWithFrame(NSView::alloc(mtm), frame(0.0, 54.0));
    fields.addSubview(&user);
    fields.addSubview(&password);
    alert.setAccessoryView(Some(&fields));
    alert.window().setInitialFirstResponder(Some(&user));
    (alert.runModal() == NSAlertFirstButtonReturn).then(|| (user.stringValue(), password.stringValue()))
}
