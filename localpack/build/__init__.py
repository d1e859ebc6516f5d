"""The build: a plan decides how the app's binary is obtained (`plan.py`), then the pipeline runs straight steps:
lock → preflight → render → the runtime binary (cached, or compiled once) or the app compiled on its own →
`tauri bundle`/`tauri build` → installers with SHA256SUMS in --out → build record; and what the cache holds.
The top of the library: it may import every layer below it (offline/, project/, toolchain/, …)."""
