"""The build: lock → preflight → render → Tauri CLI → installers with SHA256SUMS in --out → build record; and what
the cache holds. The top of the library: it may import every layer below it (offline/, project/, toolchain/, …)."""
