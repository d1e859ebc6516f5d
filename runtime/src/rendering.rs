//! WebKitGTK's DMA-BUF renderer (the default since 2.42) is known to paint nothing, a white window, with
//! NVIDIA's proprietary driver and on machines with no DRM render node (VMs and containers rendering in
//! software). There the app asks for WebKit's older renderer, which paints on both.

const VAR: &str = "WEBKIT_DISABLE_DMABUF_RENDERER";

/// Call first in `main`, before any thread starts (nothing may read the environment while it is set).
/// A value the user set, `0` included, is left alone.
pub fn choose_renderer() {
    if std::env::var_os(VAR).is_none() && needs_fallback() {
        std::env::set_var(VAR, "1");
    }
}

fn needs_fallback() -> bool {
    !has_render_node() || std::path::Path::new("/proc/driver/nvidia").exists()
}

/// A DRM render node (`/dev/dri/renderD*`): a GPU WebKit can import DMA-BUF frames through.
pub fn has_render_node() -> bool {
    std::fs::read_dir("/dev/dri")
        .map(|entries| {
            entries
                .flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
        })
        .unwrap_or(false)
}
