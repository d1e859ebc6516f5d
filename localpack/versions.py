"""Pinned versions: the Tauri CLI localpack drives, the crates of the app runtime, and the npm files apps ship.

The runtime's crates are pinned exactly by `runtime/Cargo.lock`; the values here name them for records,
runtime ids and checks (a test holds them equal to the lock). Change them together, and re-check the
calls listed in docs/runtime-api-checks.md.
"""

TAURI_CLI = "2.12.6"  # npm @tauri-apps/cli
TAURI = "2.12.7"  # crate tauri (runtime/Cargo.lock)
TAURI_BUILD = "2.7.6"  # crate tauri-build
RUST_MIN = "1.90"  # rust-version of tauri 2.12 (workspace Cargo.toml) and of its plugins

# The official plugins the runtime is built with (runtime/Cargo.toml; exact versions in its Cargo.lock).
PLUGINS = {
    "tauri-plugin-autostart": "2.7.0",  # behavior.autostart
    "tauri-plugin-global-shortcut": "2.4.1",  # behavior.activation_shortcut
    "tauri-plugin-opener": "2.7.3",  # external_links = "browser"
    "tauri-plugin-single-instance": "2.5.5",  # single_instance
    "tauri-plugin-window-state": "2.5.0",  # remember_window
}

JQUERY = "3.7.1"  # npm jquery, for behavior.inject_jquery: 3.x, what scripts written for PakePlus expect
