"""localpack: turn a web site or a local web app into a desktop app, built locally with Tauri v2."""

__version__ = "0.1.0"
