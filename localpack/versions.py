"""Pinned versions: the Tauri CLI localpack drives and the crates the template depends on.

The template's Rust was checked against the source of exactly these versions
(see the README's "Pinned versions" section); change them together.
"""

TAURI_CLI = "2.12.5"  # npm @tauri-apps/cli
TAURI = "2.12.6"
TAURI_BUILD = "2.7.5"
RUST_MIN = "1.90"  # rust-version of tauri 2.11/2.12 (workspace Cargo.toml) and of its plugins

# Official plugins the template adds when an option needs them (docs.rs versions checked: see the README).
PLUGIN_OPENER = "2.7"  # external_links = "browser"
PLUGIN_SINGLE_INSTANCE = "2.5"  # single_instance
PLUGIN_WINDOW_STATE = "2.5"  # remember_window
