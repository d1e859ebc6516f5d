//! The app's identity, set before the builder runs, so that everything Tauri and its plugins derive
//! from the config at run time (data dirs, the webview's data dir, the window-state file, the
//! single-instance D-Bus name, the autostart entry) is this app's own and not the runtime's.

use crate::settings::{Settings, DIR};
use std::path::PathBuf;
use tauri::image::Image;
use tauri::utils::{platform, Env};
use tauri::Context;

/// The bundle's resource dir. On Linux it is `/usr/lib/<productName>`; the bundler names the binary
/// after the same machine name, so the executable's own name finds it before the settings are read.
pub fn resource_dir(context: &Context) -> Result<PathBuf, String> {
    let mut info = context.package_info().clone();
    if let Some(stem) = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.file_stem().map(|s| s.to_string_lossy().into_owned()))
    {
        info.name = stem;
    }
    platform::resource_dir(&info, &Env::default()).map_err(|e| format!("cannot find the app's resources: {e}"))
}

/// Replace the runtime's embedded identity and icons with the app's.
pub fn apply(context: &mut Context, settings: &Settings, resources: &std::path::Path) {
    let config = context.config_mut();
    config.identifier = settings.identifier.clone();
    config.product_name = Some(settings.product_name.clone());
    config.version = Some(settings.version.clone());
    config.app.windows = vec![settings.window.clone()];

    let info = context.package_info_mut();
    info.name = settings.product_name.clone();
    if let Ok(version) = semver::Version::parse(&settings.version) {
        info.version = version;
    }

    // The window and tray icon: the app's own picture, not the one compiled into the runtime.
    if let Ok(icon) = Image::from_path(resources.join(DIR).join("icon.png")) {
        #[cfg(feature = "tray")]
        context.set_tray_icon(Some(icon.clone()));
        context.set_default_window_icon(Some(icon));
    }
}
