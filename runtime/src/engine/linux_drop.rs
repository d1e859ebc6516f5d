//! WebKitGTK: files dropped from another application reach the page's drag events as Files (`dropped.rs`
//! says why the runtime does this and what a page sees).
//!
//! WebKit's drop target connects its GTK drag signals with `connect_after`; a drag from another program
//! that offers `text/uri-list` is answered here first and, when it names files, never reaches WebKit
//! (`drag-motion` and `drag-drop` return true). Any other drag (text, a link, the page's own) goes on to
//! WebKit as before.

use super::dropped::{self, Dropped, Refused};
use gtk::gdk;
use gtk::prelude::*;
use javascriptcore::ValueExt as _;
use std::cell::RefCell;
use std::rc::Rc;
use webkit2gtk::{gio, glib, WebView, WebViewExt};

const URI_LIST: &str = "text/uri-list";

#[derive(Default)]
enum Phase {
    /// Not one of ours: WebKit's.
    #[default]
    Engine,
    /// The uri-list was asked for; the last position (x, y, time) and a drop that came before it.
    Waiting {
        at: (i32, i32, u32),
        dropped: Option<(i32, i32, u32)>,
    },
    /// Files over the page; `taken`: the page's last `dragover` accepted them; `dropped`: a drop that came
    /// before the page answered its first `dragover`, done when it answers.
    Files {
        files: Vec<Dropped>,
        taken: bool,
        dropped: Option<(i32, i32, u32)>,
    },
    /// Files the runtime will not hand over (too big).
    Refused,
}

#[derive(Default)]
struct Drag {
    context: Option<gdk::DragContext>,
    phase: Phase,
    /// The `dragleave` due unless a drop follows (GTK emits drag-leave just before drag-drop).
    leaving: Option<glib::SourceId>,
}

type State = Rc<RefCell<Drag>>;

/// Connect the drag signals on `webview`.
pub fn attach(webview: &WebView) {
    let state: State = Rc::default();
    let s = state.clone();
    webview.connect_drag_motion(move |webview, context, x, y, time| on_motion(webview, &s, context, (x, y, time)));
    let s = state.clone();
    webview.connect_drag_data_received(move |webview, context, _, _, data, _, _| {
        on_uris(webview, &s, context, data);
    });
    let s = state.clone();
    webview.connect_drag_leave(move |webview, context, _| on_leave(webview, &s, context));
    webview.connect_drag_drop(move |webview, context, x, y, time| on_drop(webview, &state, context, (x, y, time)));
}

/// A drag from another program (not this one: the page's own drag stays WebKit's) that may carry files.
fn from_elsewhere(context: &gdk::DragContext) -> bool {
    context.drag_get_source_widget().is_none() && context.list_targets().iter().any(|a| a.name() == URI_LIST)
}

fn on_motion(webview: &WebView, state: &State, context: &gdk::DragContext, at: (i32, i32, u32)) -> bool {
    let mut drag = state.borrow_mut();
    if drag.context.as_ref() != Some(context) {
        if !from_elsewhere(context) {
            return false;
        }
        if let Some(leaving) = drag.leaving.take() {
            leaving.remove();
        }
        *drag = Drag {
            context: Some(context.clone()),
            phase: Phase::Waiting { at, dropped: None },
            leaving: None,
        };
        webview.drag_get_data(context, &gdk::Atom::intern(URI_LIST), at.2);
        return true;
    }
    if let Some(leaving) = drag.leaving.take() {
        leaving.remove(); // back over the page before the leave was told
    }
    match &mut drag.phase {
        Phase::Engine => false,
        Phase::Waiting { at: last, .. } => {
            *last = at;
            true
        }
        Phase::Refused => {
            context.drag_status(gdk::DragAction::empty(), at.2);
            true
        }
        Phase::Files { files, .. } => {
            let script = dropped::motion(css(webview, at.0), css(webview, at.1), files);
            drop(drag);
            let (state, context, view) = (state.clone(), context.clone(), webview.clone());
            run(webview, &script, move |taken| {
                let pending = match &mut state.borrow_mut().phase {
                    Phase::Files {
                        taken: last, dropped, ..
                    } => {
                        *last = taken;
                        dropped.take()
                    }
                    _ => None,
                };
                match pending {
                    Some(point) => {
                        on_drop(&view, &state, &context, point);
                    }
                    None => {
                        let action = if taken {
                            gdk::DragAction::COPY
                        } else {
                            gdk::DragAction::empty()
                        };
                        context.drag_status(action, at.2);
                    }
                }
            });
            true
        }
    }
}

/// The uri-list asked for on the drag's first motion: files, or a drag for WebKit after all.
fn on_uris(webview: &WebView, state: &State, context: &gdk::DragContext, data: &gtk::SelectionData) {
    let mut drag = state.borrow_mut();
    let Phase::Waiting { at, dropped } = drag.phase else {
        return;
    };
    if drag.context.as_ref() != Some(context) || data.target().name() != URI_LIST {
        return;
    }
    let uris: Vec<String> = data.uris().iter().map(|u| u.to_string()).collect();
    match dropped::files(&uris) {
        Ok(files) if !files.is_empty() => {
            drag.phase = Phase::Files {
                files,
                taken: false,
                dropped,
            };
            drop(drag);
            on_motion(webview, state, context, at); // a drop that came first follows the page's answer
        }
        outcome => {
            if let Err(Refused::TooBig(bytes)) = outcome {
                eprintln!(
                    "localpack: a drop of {} MiB is refused (at most {} MiB)",
                    bytes >> 20,
                    dropped::MOST_BYTES >> 20
                );
                drag.phase = Phase::Refused;
            } else {
                drag.phase = Phase::Engine; // a link or text: WebKit takes the next motion
            }
            context.drag_status(gdk::DragAction::empty(), at.2);
            if let Some((_, _, time)) = dropped {
                context.drag_finish(false, false, time);
                *drag = Drag::default();
            }
        }
    }
}

fn on_leave(webview: &WebView, state: &State, context: &gdk::DragContext) {
    let mut drag = state.borrow_mut();
    if drag.context.as_ref() != Some(context) || drag.leaving.is_some() {
        return;
    }
    let (state, webview) = (state.clone(), webview.clone());
    drag.leaving = Some(glib::idle_add_local_once(move || {
        let mut drag = state.borrow_mut();
        drag.leaving = None;
        let had_files = matches!(drag.phase, Phase::Files { .. });
        *drag = Drag::default();
        drop(drag);
        if had_files {
            run(&webview, &dropped::leave(), |_| {});
        }
    }));
}

fn on_drop(webview: &WebView, state: &State, context: &gdk::DragContext, at: (i32, i32, u32)) -> bool {
    let mut drag = state.borrow_mut();
    if drag.context.as_ref() != Some(context) {
        return false;
    }
    if let Some(leaving) = drag.leaving.take() {
        leaving.remove();
    }
    match std::mem::take(&mut drag.phase) {
        Phase::Engine => {
            *drag = Drag::default();
            false
        }
        Phase::Waiting { at: last, .. } => {
            drag.phase = Phase::Waiting {
                at: last,
                dropped: Some(at),
            };
            true
        }
        Phase::Refused => {
            *drag = Drag::default();
            context.drag_finish(false, false, at.2);
            true
        }
        Phase::Files { files, taken, .. } => {
            *drag = Drag::default();
            drop(drag);
            context.drag_finish(taken, false, at.2);
            if taken {
                send(
                    webview.clone(),
                    dropped::Reader::new(&files),
                    css(webview, at.0),
                    css(webview, at.1),
                );
            } else {
                run(webview, &dropped::leave(), |_| {}); // not accepted: a browser fires dragleave, no drop
            }
            true
        }
    }
}

/// The files' bytes, one piece per call so that no more than a piece is in flight, then the drop.
fn send(webview: WebView, mut reader: dropped::Reader, x: f64, y: f64) {
    match reader.next_part() {
        Some((index, bytes)) => {
            let script = dropped::part(index, &glib::base64_encode(&bytes));
            let next = webview.clone();
            run(&webview, &script, move |_| send(next, reader, x, y));
        }
        None => run(&webview, &dropped::drop(x, y), |_| {}),
    }
}

/// A widget coordinate in the page's CSS pixels.
fn css(webview: &WebView, widget: i32) -> f64 {
    let zoom = webview.zoom_level();
    f64::from(widget) / if zoom > 0.0 { zoom } else { 1.0 }
}

/// `script` in the drop's own world; `done` gets its value as a boolean (false when it failed).
fn run(webview: &WebView, script: &str, done: impl FnOnce(bool) + 'static) {
    webview.evaluate_javascript(
        script,
        Some(dropped::WORLD),
        None,
        None::<&gio::Cancellable>,
        move |result| {
            done(result.map(|v| v.is_boolean() && v.to_boolean()).unwrap_or(false));
        },
    );
}
