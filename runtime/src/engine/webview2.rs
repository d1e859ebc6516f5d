//! WebView2, as on Linux: a host's certificate trusted by its SHA-256 in the config
//! (`settings.web.trusted_certificates`) loads, any other certificate error keeps WebView2's own error page;
//! a page whose renderer crashed, or hung for `policy::HANG_GRACE`, is replaced by the reload page;
//! `navigator.setAppBadge(n)` shows the count on the window's taskbar button (`overlay.rs`); and a screen share
//! the app refuses never reaches WebView2's screen picker (`ScreenCaptureStarting`). Not run here (no
//! Windows machine); checked by clippy for the Windows target and against webview2-com 0.39.1
//! (docs/runtime-api-checks.md).

use super::{overlay, policy};
use crate::settings::Permission;
use crate::window::Shared;
use base64::Engine as _;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::time::Instant;
use tauri::image::Image;
use tauri::{Runtime, Url, WebviewWindow};
use webview2_com::Microsoft::Web::WebView2::Win32::{
    ICoreWebView2, ICoreWebView2ServerCertificateErrorDetectedEventArgs, ICoreWebView2_14, ICoreWebView2_27,
    COREWEBVIEW2_PROCESS_FAILED_KIND, COREWEBVIEW2_PROCESS_FAILED_KIND_RENDER_PROCESS_EXITED,
    COREWEBVIEW2_PROCESS_FAILED_KIND_RENDER_PROCESS_UNRESPONSIVE,
    COREWEBVIEW2_SERVER_CERTIFICATE_ERROR_ACTION_ALWAYS_ALLOW,
};
use webview2_com::{
    take_pwstr, ProcessFailedEventHandler, ScreenCaptureStartingEventHandler,
    ServerCertificateErrorDetectedEventHandler, WebMessageReceivedEventHandler,
};
use windows::core::{Interface, HSTRING, PWSTR};

/// Connect WebView2's `ProcessFailed`, `ServerCertificateErrorDetected`, `WebMessageReceived` and
/// `ScreenCaptureStarting` on `window`'s web view.
pub fn attach<R: Runtime>(window: &WebviewWindow<R>, shared: &Arc<Shared>) {
    let (shared, target) = (shared.clone(), window.clone());
    let _ = window.with_webview(move |platform| {
        // SAFETY: COM calls on the web view's own thread (with_webview runs there), on the interface the
        // controller hands out; every result is checked.
        unsafe {
            let Ok(webview) = platform.controller().CoreWebView2() else {
                return;
            };
            failures(&webview, &shared);
            certificates(&webview, &shared);
            screen_capture(&webview, &shared);
            badge(&webview, target);
        }
    });
}

/// A page whose main-frame renderer crashed gets the reload page in place of WebView2's error page; one that
/// WebView2 keeps reporting unresponsive for `policy::HANG_GRACE` is navigated away from to it (WebView2's own
/// way out of a hung renderer: a new navigation). A crashed frame, the GPU process and the rest stay WebView2's.
///
/// # Safety
/// On the web view's thread.
unsafe fn failures(webview: &ICoreWebView2, shared: &Arc<Shared>) {
    let title = shared.settings.title.clone();
    let mut hangs = policy::HangWatch::default();
    let handler = ProcessFailedEventHandler::create(Box::new(move |sender, args| {
        let (Some(webview), Some(args)) = (sender, args) else {
            return Ok(());
        };
        let mut kind = COREWEBVIEW2_PROCESS_FAILED_KIND::default();
        args.ProcessFailedKind(&mut kind)?;
        let hung = if kind == COREWEBVIEW2_PROCESS_FAILED_KIND_RENDER_PROCESS_EXITED {
            false
        } else if kind == COREWEBVIEW2_PROCESS_FAILED_KIND_RENDER_PROCESS_UNRESPONSIVE {
            if !hangs.report(Instant::now()) {
                return Ok(());
            }
            true
        } else {
            return Ok(());
        };
        let mut source = PWSTR::null();
        webview.Source(&mut source)?;
        let url = take_pwstr(source);
        webview.NavigateToString(&HSTRING::from(policy::reload_page(&title, &url, hung)))
    }));
    let mut token = 0i64;
    let _ = webview.add_ProcessFailed(&handler, &mut token);
}

/// The badge polyfill's `{localpackBadge: n}` (an object: wry's own handler reads strings only, so it lets it
/// pass) → the count on the window's taskbar button; 0 takes it off. WebView2 raises this event for the top
/// document only (a frame's messages go to its own `ICoreWebView2Frame`).
///
/// # Safety
/// On the web view's thread.
unsafe fn badge<R: Runtime>(webview: &ICoreWebView2, window: WebviewWindow<R>) {
    let handler = WebMessageReceivedEventHandler::create(Box::new(move |_, args| {
        let Some(args) = args else {
            return Ok(());
        };
        let mut json = PWSTR::null();
        args.WebMessageAsJson(&mut json)?;
        if let Some(count) = overlay::badge_message(&take_pwstr(json)) {
            let picture = count.map(|n| Image::new_owned(overlay::picture(n), overlay::SIZE, overlay::SIZE));
            let _ = window.set_overlay_icon(picture);
        }
        Ok(())
    }));
    let mut token = 0i64;
    let _ = webview.add_WebMessageReceived(&handler, &mut token);
}

/// Connect `ServerCertificateErrorDetected` when the config trusts a certificate (WebView2 Runtime 1.0.1245+;
/// an older one has no `ICoreWebView2_14` and shows its error page for every such host).
///
/// # Safety
/// On the web view's thread.
unsafe fn certificates(webview: &ICoreWebView2, shared: &Arc<Shared>) {
    if shared.settings.web.trusted_certificates.is_empty() {
        return;
    }
    let Ok(webview) = webview.cast::<ICoreWebView2_14>() else {
        return;
    };
    let shared = shared.clone();
    let handler = ServerCertificateErrorDetectedEventHandler::create(Box::new(move |_, args| {
        if let Some(args) = args {
            if trusted(&shared, &args) {
                args.SetAction(COREWEBVIEW2_SERVER_CERTIFICATE_ERROR_ACTION_ALWAYS_ALLOW)?;
            }
        }
        Ok(()) // otherwise the default action: WebView2's error page
    }));
    let mut token = 0i64;
    let _ = webview.add_ServerCertificateErrorDetected(&handler, &mut token);
}

/// WebView2 asks no permission for `getDisplayMedia` (wry maps no `PermissionRequested` kind to display
/// capture): it shows its own screen picker. Where `screen` is not in `permissions`, `ScreenCaptureStarting`
/// is cancelled, so no picker shows and the page gets `NotAllowedError`. The web view's event fires for every
/// frame (a frame's own handlers, of which there are none, come first). WebView2 Runtimes older than the
/// event's (SDK 1.0.2903.40) have no `ICoreWebView2_27`; there WebView2's picker still decides.
///
/// # Safety
/// On the web view's thread.
unsafe fn screen_capture(webview: &ICoreWebView2, shared: &Arc<Shared>) {
    if policy::decide(&shared.settings.web, Permission::Screen) == policy::Decision::Allow {
        return;
    }
    let Ok(webview) = webview.cast::<ICoreWebView2_27>() else {
        return;
    };
    let handler = ScreenCaptureStartingEventHandler::create(Box::new(|_, args| {
        if let Some(args) = args {
            args.SetCancel(true)?;
        }
        Ok(())
    }));
    let mut token = 0i64;
    let _ = webview.add_ScreenCaptureStarting(&handler, &mut token);
}

/// Whether the refused certificate is the one the config trusts for the request's host.
///
/// # Safety
/// `args` is the live event argument of the handler calling this.
unsafe fn trusted(shared: &Shared, args: &ICoreWebView2ServerCertificateErrorDetectedEventArgs) -> bool {
    let mut uri = PWSTR::null();
    if args.RequestUri(&mut uri).is_err() {
        return false;
    }
    let Some(host) = Url::parse(&take_pwstr(uri))
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
    else {
        return false;
    };
    let Ok(certificate) = args.ServerCertificate() else {
        return false;
    };
    let mut pem = PWSTR::null();
    if certificate.ToPemEncoding(&mut pem).is_err() {
        return false;
    }
    let Some(der) =
        policy::pem_body(&take_pwstr(pem)).and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
    else {
        return false;
    };
    policy::trusted(&shared.settings.web, &host, &policy::fingerprint(&Sha256::digest(&der)))
}
