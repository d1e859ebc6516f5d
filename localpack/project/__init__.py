"""Writes the Tauri project: an `AppConfig` → the files of `src-tauri/…` in the app's workspace, through the
templates, with the icon set. Imports toolchain/ (to find the Tauri CLI for icons), config/, core/ and the top level."""
