//! localpack's app runtime: one fixed Tauri program. Everything that makes it a particular app
//! (identity, window, site or web files, links, scripts, tray, …) is read at start-up from
//! `localpack/app.json` in the bundle's resources, so one compiled runtime packages every app.

// No console window next to the app on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod engine;
mod fatal;
#[cfg(target_os = "linux")]
mod gtk_policy;
mod identity;
mod links;
mod protocol;
#[cfg(target_os = "linux")]
mod rendering;
mod settings;
#[cfg(feature = "tray")]
mod tray;
mod window;

use settings::{Settings, DIR};
use std::sync::Arc;
use tauri_plugin_autostart::ManagerExt as _;
use window::Shared;

fn main() {
    #[cfg(target_os = "linux")]
    rendering::choose_renderer();
    if let Err(message) = run() {
        fatal::show(&message);
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let mut context = tauri::generate_context!();
    let resources = identity::resource_dir(&context)?;
    let settings = Settings::load(&resources)?;
    identity::apply(&mut context, &settings, &resources);
    let web = Arc::new(protocol::WebRoot::new(&resources.join(DIR).join("web")));
    let shared = Arc::new(Shared::new(settings, &resources)?);
    let settings = &shared.settings;

    let mut builder = tauri::Builder::default().register_asynchronous_uri_scheme_protocol(
        protocol::SCHEME,
        move |_context, request, responder| {
            // Off the main thread: a large file must not stall the window.
            let web = web.clone();
            std::thread::spawn(move || responder.respond(web.respond(&request)));
        },
    );
    if settings.single_instance {
        // First, so that a second launch exits before anything else starts.
        builder = builder.plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            window::show_main(app)
        }));
    }
    if settings.remember_window {
        use tauri_plugin_window_state::StateFlags;
        builder = builder.plugin(
            tauri_plugin_window_state::Builder::default()
                .with_state_flags(StateFlags::all() & !StateFlags::VISIBLE)
                .build(),
        );
    }
    if let Some(shortcut) = &settings.activation_shortcut {
        use tauri_plugin_global_shortcut::{Builder, ShortcutState};
        let plugin = Builder::new()
            .with_shortcut(shortcut.as_str())
            .map_err(|e| format!("activation shortcut {shortcut:?}: {e}"))?
            .with_handler(|app, _shortcut, event| {
                if event.state == ShortcutState::Pressed {
                    window::show_main(app);
                }
            })
            .build();
        builder = builder.plugin(plugin);
    }
    #[cfg(feature = "tray")]
    if settings.tray.enabled && settings.tray.hide_on_close {
        builder = builder.on_window_event(|window, event| {
            if let tauri::WindowEvent::CloseRequested { api, .. } = event {
                if window.label() == window::MAIN {
                    let _ = window.hide();
                    api.prevent_close();
                }
            }
        });
    }
    let autostart = settings.autostart;
    let for_setup = shared.clone();
    engine::app(builder, &shared)
        // No click interception script: links are decided in Rust (on_navigation, on_new_window), and the
        // plugin's script would swallow `target=_blank` clicks on remote pages, which have no IPC.
        .plugin(
            tauri_plugin_opener::Builder::new()
                .open_js_links_on_click(false)
                .build(),
        )
        .plugin(tauri_plugin_autostart::Builder::new().build())
        .setup(move |app| {
            // The login item follows the setting, also when a new version turns it off.
            let launcher = app.autolaunch();
            if autostart {
                let _ = launcher.enable();
            } else if launcher.is_enabled().unwrap_or(false) {
                let _ = launcher.disable();
            }
            window::create_main(app.handle(), &for_setup)?;
            #[cfg(feature = "tray")]
            if for_setup.settings.tray.enabled {
                tray::create(app, &for_setup.settings.title)?;
            }
            Ok(())
        })
        .run(context)
        .map_err(|e| format!("the app stopped: {e}"))
}
