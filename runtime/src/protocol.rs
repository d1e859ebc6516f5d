//! `localpack://localhost/…` (Windows: `http://localpack.localhost/…`): the app's own web files,
//! served from the bundle's resources instead of being compiled in, so one compiled runtime serves
//! every app. A path that names no file and has no extension gets `index.html` (client-side routes);
//! nothing outside the folder is ever served: `..`, encoded separators and symlinks out get 403.

use std::path::{Component, Path, PathBuf};
use tauri::http::{header, Request, Response, StatusCode};

pub const SCHEME: &str = "localpack";

/// The URL of `path` in the app's web folder, as this platform's webview spells custom schemes.
pub fn url(path: &str) -> tauri::Url {
    let base = if cfg!(windows) {
        "http://localpack.localhost/"
    } else {
        "localpack://localhost/"
    };
    tauri::Url::parse(base)
        .and_then(|u| u.join(path))
        .expect("a valid app URL")
}

pub struct WebRoot {
    root: Option<PathBuf>,
}

impl WebRoot {
    pub fn new(root: &Path) -> Self {
        // Canonical once, so that every file can be checked to lie inside it.
        Self {
            root: root.canonicalize().ok(),
        }
    }

    pub fn respond(&self, request: &Request<Vec<u8>>) -> Response<Vec<u8>> {
        if request.method() != "GET" && request.method() != "HEAD" {
            return status(StatusCode::METHOD_NOT_ALLOWED);
        }
        let Some(root) = &self.root else {
            return status(StatusCode::NOT_FOUND);
        };
        let raw = request.uri().path();
        let Ok(decoded) = percent_encoding::percent_decode_str(raw).decode_utf8() else {
            return status(StatusCode::BAD_REQUEST);
        };
        let Some(relative) = safe_relative(&decoded) else {
            return status(StatusCode::FORBIDDEN);
        };
        let mut path = root.join(&relative);
        if path.is_dir() {
            path.push("index.html");
        }
        let path = match path.canonicalize() {
            Ok(found) => found,
            // A client-side route (`/deep/link`): the app's own page answers it.
            Err(_) if is_route(&relative) => root.join("index.html"),
            Err(_) => return status(StatusCode::NOT_FOUND),
        };
        if !path.starts_with(root) {
            return status(StatusCode::FORBIDDEN);
        }
        match std::fs::read(&path) {
            Ok(body) => {
                let mime = mime_guess::from_path(&path).first_or_octet_stream();
                let body = if request.method() == "HEAD" { Vec::new() } else { body };
                Response::builder()
                    .header(header::CONTENT_TYPE, mime.as_ref())
                    .header(header::CACHE_CONTROL, "no-cache")
                    .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
                    .header("cross-origin-resource-policy", "same-origin")
                    .body(body)
                    .unwrap_or_else(|_| status(StatusCode::INTERNAL_SERVER_ERROR))
            }
            Err(_) => status(StatusCode::NOT_FOUND),
        }
    }
}

/// An error answer: plain text, never sniffed, never read by another origin.
fn status(code: StatusCode) -> Response<Vec<u8>> {
    let mut response = Response::new(code.canonical_reason().unwrap_or("").as_bytes().to_vec());
    *response.status_mut() = code;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        header::HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        "cross-origin-resource-policy",
        header::HeaderValue::from_static("same-origin"),
    );
    response
}

/// `"/a/b.js"` → `a/b.js` (`"/"` → nothing); `None` for anything that could leave the folder.
fn safe_relative(path: &str) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for part in path.split('/').filter(|p| !p.is_empty()) {
        if part.contains(['\\', ':', '\0']) {
            return None;
        }
        match Path::new(part).components().next() {
            Some(Component::Normal(_)) => out.push(part),
            _ => return None, // `.`, `..`, a root or a drive
        }
    }
    Some(out)
}

/// No extension in the last segment: a route of a single-page app, not a missing file.
fn is_route(relative: &Path) -> bool {
    relative.extension().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(root: &WebRoot, path: &str) -> (u16, String) {
        let response = answer(root, path);
        (
            response.status().as_u16(),
            String::from_utf8_lossy(response.body()).into_owned(),
        )
    }

    fn answer(root: &WebRoot, path: &str) -> Response<Vec<u8>> {
        let request = Request::builder()
            .uri(format!("localpack://localhost{path}"))
            .body(Vec::new())
            .unwrap();
        root.respond(&request)
    }

    fn header<'a>(response: &'a Response<Vec<u8>>, name: &str) -> &'a str {
        response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    #[test]
    fn every_answer_is_never_sniffed_or_read_by_other_origins() {
        let web = std::env::temp_dir().join(format!("localpack-headers-{}", std::process::id()));
        std::fs::create_dir_all(&web).unwrap();
        std::fs::write(web.join("index.html"), "INDEX").unwrap();
        std::fs::write(web.join("app.wasm"), b"\0asm").unwrap();
        let root = WebRoot::new(&web);
        for path in ["/", "/app.wasm", "/missing.js", "/../x", "/%ff"] {
            let response = answer(&root, path);
            assert_eq!(header(&response, "x-content-type-options"), "nosniff", "{path}");
            assert_eq!(
                header(&response, "cross-origin-resource-policy"),
                "same-origin",
                "{path}"
            );
        }
        assert_eq!(header(&answer(&root, "/app.wasm"), "content-type"), "application/wasm");
        assert_eq!(header(&answer(&root, "/"), "content-type"), "text/html");
        std::fs::remove_dir_all(&web).unwrap();
    }

    #[test]
    fn odd_paths_never_leave_the_folder() {
        let base = std::env::temp_dir().join(format!("localpack-odd-{}", std::process::id()));
        let web = base.join("web");
        std::fs::create_dir_all(&web).unwrap();
        std::fs::write(web.join("index.html"), "INDEX").unwrap();
        std::fs::write(base.join("secret.txt"), "SECRET").unwrap();
        let root = WebRoot::new(&web);
        // A NUL byte, overlong UTF-8 for '.' (%c0%ae: not UTF-8 at all), a drive, a UNC share.
        assert_eq!(get(&root, "/index.html%00.js").0, 403);
        assert_eq!(get(&root, "/%00").0, 403);
        assert_eq!(get(&root, "/%c0%ae%c0%ae/secret.txt").0, 400);
        assert_eq!(get(&root, "/%c0%ae%c0%ae%c0%afsecret.txt").0, 400);
        assert_eq!(get(&root, "/C:/Windows/win.ini").0, 403);
        assert_eq!(get(&root, "/c:%5cWindows%5cwin.ini").0, 403);
        // `//server/share` is a path here (empty segments are skipped), never a network share: a route.
        assert_eq!(get(&root, "//server/share"), (200, "INDEX".into()));
        assert_eq!(get(&root, "/%5c%5cserver%5cshare").0, 403);
        for path in [
            "/index.html%00.js",
            "/%c0%ae%c0%ae/secret.txt",
            "/C:/Windows/win.ini",
            "//server/share",
        ] {
            assert!(!get(&root, path).1.contains("SECRET"), "{path}");
        }
        std::fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn serves_files_routes_and_nothing_outside() {
        let base = std::env::temp_dir().join(format!("localpack-web-{}", std::process::id()));
        let web = base.join("web");
        std::fs::create_dir_all(web.join("assets")).unwrap();
        std::fs::write(web.join("index.html"), "INDEX").unwrap();
        std::fs::write(web.join("assets/app.js"), "JS").unwrap();
        std::fs::write(base.join("secret.txt"), "SECRET").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(base.join("secret.txt"), web.join("link.txt")).unwrap();
        let root = WebRoot::new(&web);

        assert_eq!(get(&root, "/"), (200, "INDEX".into()));
        assert_eq!(get(&root, "/assets/app.js"), (200, "JS".into()));
        assert_eq!(get(&root, "/deep/link"), (200, "INDEX".into()));
        assert_eq!(get(&root, "/missing.js").0, 404);
        for bad in [
            "/../secret.txt",
            "/..%2fsecret.txt",
            "/%2e%2e/secret.txt",
            "/assets/..%5c..%5csecret.txt",
        ] {
            assert_eq!(get(&root, bad).0, 403, "{bad}");
        }
        #[cfg(unix)]
        assert_eq!(get(&root, "/link.txt").0, 403);
        std::fs::remove_dir_all(&base).unwrap();
    }
}
