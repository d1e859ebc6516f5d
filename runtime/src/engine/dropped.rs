//! Files dropped from another application (pure logic, no engine calls): which of a drag's URIs are the
//! user's files, and the calls that hand them to the page's drag events (`drop.js`).
//!
//! WebKitGTK gives a page no File from a drop since CVE-2025-13947 (a page could write `file:///etc/passwd`
//! into its own drag's uri-list and read it back). The runtime does it instead, for drags that come from
//! another program only (a file manager, a desktop): a page's own drag never becomes a file, and until the
//! drop the page sees each file's name and type, not its bytes, as in a browser.

use serde_json::json;
use std::fs::File;
use std::io::Read;
use std::path::PathBuf;
use tauri::Url;

/// A drop carrying more than this is refused (the pointer shows "no drop"): the bytes reach the page in
/// memory, not from disk as a browser's File does.
pub const MOST_BYTES: u64 = 256 << 20;
/// The bytes sent to the page in one call.
pub const CHUNK: usize = 4 << 20;
/// The script world the drop's scripts run in: the page cannot see or change what runs there.
pub const WORLD: &str = "localpack-drops";

/// One dropped file, as the page's File will describe it.
#[derive(Debug, Clone, PartialEq)]
pub struct Dropped {
    pub path: PathBuf,
    pub name: String,
    pub mime: String,
    pub size: u64,
    /// Milliseconds since the Unix epoch (File.lastModified).
    pub modified: f64,
}

/// Why a drag carrying files is not given to the page.
#[derive(Debug, PartialEq)]
pub enum Refused {
    /// Together more than `MOST_BYTES`.
    TooBig(u64),
}

/// The regular files named by a drag's `text/uri-list` (`file://` URIs of this machine). Folders, other
/// schemes and missing files are left out; a symbolic link counts as what it points to, as in a browser.
pub fn files(uris: &[String]) -> Result<Vec<Dropped>, Refused> {
    let mut found = Vec::new();
    let mut total = 0u64;
    for uri in uris {
        let Some(path) = Url::parse(uri.trim())
            .ok()
            .filter(|u| u.scheme() == "file")
            .and_then(|u| u.to_file_path().ok())
        else {
            continue;
        };
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        if !meta.is_file() {
            continue;
        }
        total = total.saturating_add(meta.len());
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0.0, |d| d.as_millis() as f64);
        found.push(Dropped {
            name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            mime: mime_guess::from_path(&path).first_raw().unwrap_or("").to_string(),
            size: meta.len(),
            modified,
            path,
        });
    }
    if total > MOST_BYTES {
        return Err(Refused::TooBig(total));
    }
    Ok(found)
}

/// The helper (`drop.js`) and one call on it, as a script for the drop's world. Arguments are JSON, so
/// a file name reaches the script as a string whatever it holds.
fn call(method: &str, args: &[serde_json::Value]) -> String {
    let args: Vec<String> = args.iter().map(serde_json::Value::to_string).collect();
    format!(
        "{}\nlocalpackDrop.{method}({});",
        include_str!("drop.js"),
        args.join(", ")
    )
}

/// The pointer moved to (`x`, `y`) in CSS pixels with `files` over the page: `dragenter`/`dragleave` as the
/// element under it changes, then `dragover`. The script's value is whether the page takes the drop.
pub fn motion(x: f64, y: f64, files: &[Dropped]) -> String {
    let listed: Vec<serde_json::Value> = files
        .iter()
        .map(|f| json!({"name": f.name, "type": f.mime, "modified": f.modified}))
        .collect();
    call("motion", &[json!(x), json!(y), json!(listed)])
}

/// The drag left the page without a drop.
pub fn leave() -> String {
    call("leave", &[])
}

/// The next piece of file number `index`, as base64.
pub fn part(index: usize, base64: &str) -> String {
    call("part", &[json!(index), json!(base64)])
}

/// The drop at (`x`, `y`): the page's `drop` event with the files read so far.
pub fn drop(x: f64, y: f64) -> String {
    call("drop", &[json!(x), json!(y)])
}

/// Reads the dropped files in order, `CHUNK` bytes at a time, so a big drop is never held whole here.
pub struct Reader {
    files: Vec<PathBuf>,
    index: usize,
    open: Option<File>,
}

impl Reader {
    pub fn new(files: &[Dropped]) -> Self {
        Self {
            files: files.iter().map(|f| f.path.clone()).collect(),
            index: 0,
            open: None,
        }
    }

    /// The next piece: (file number, bytes). A file that cannot be read (gone since the drag began)
    /// ends early, so the page gets it with what was read.
    pub fn next_part(&mut self) -> Option<(usize, Vec<u8>)> {
        while self.index < self.files.len() {
            if self.open.is_none() {
                self.open = File::open(&self.files[self.index]).ok();
            }
            let mut buf = Vec::new();
            let read = match self.open.as_mut() {
                Some(file) => file.take(CHUNK as u64).read_to_end(&mut buf).unwrap_or(0),
                None => 0,
            };
            if read > 0 {
                return Some((self.index, buf));
            }
            self.open = None;
            self.index += 1;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(path: &std::path::Path) -> String {
        Url::from_file_path(path).unwrap().to_string()
    }

    #[test]
    fn only_regular_files_of_this_machine_are_taken() {
        let dir = std::env::temp_dir().join(format!("localpack-dropped-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("folder")).unwrap();
        std::fs::write(dir.join("notes.txt"), "hello").unwrap();
        std::fs::write(dir.join("a \"quoted\" <script>\u{2028}.png"), "x").unwrap();
        let uris = vec![
            uri(&dir.join("notes.txt")),
            uri(&dir.join("folder")),
            uri(&dir.join("gone.txt")),
            "https://example.com/file.txt".into(),
            "file://elsewhere/etc/hostname".into(),
            "not a uri".into(),
            uri(&dir.join("a \"quoted\" <script>\u{2028}.png")),
        ];
        let found = files(&uris).unwrap();
        let names: Vec<&str> = found.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["notes.txt", "a \"quoted\" <script>\u{2028}.png"]);
        assert_eq!((found[0].mime.as_str(), found[0].size), ("text/plain", 5));
        assert_eq!(found[1].mime, "image/png");
        assert!(found[0].modified > 1.0e12, "{}", found[0].modified);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_name_reaches_the_script_as_one_json_string() {
        let hostile = Dropped {
            path: "/x".into(),
            name: "\"); alert(1); (\"\u{2028}</script>\\".into(),
            mime: String::new(),
            size: 0,
            modified: 0.0,
        };
        let script = motion(1.5, 2.0, std::slice::from_ref(&hostile));
        let call = script.rsplit('\n').next().unwrap();
        let args = call
            .strip_prefix("localpackDrop.motion(")
            .and_then(|c| c.strip_suffix(");"))
            .unwrap();
        let parsed: serde_json::Value = serde_json::from_str(&format!("[{args}]")).unwrap();
        assert_eq!(parsed[2][0]["name"], hostile.name.as_str());
        assert_eq!((parsed[0].as_f64(), parsed[1].as_f64()), (Some(1.5), Some(2.0)));
    }

    #[test]
    fn the_reader_gives_every_byte_in_order_and_skips_a_vanished_file() {
        let dir = std::env::temp_dir().join(format!("localpack-reader-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let big: Vec<u8> = (0..CHUNK + 10).map(|i| (i % 251) as u8).collect();
        std::fs::write(dir.join("big.bin"), &big).unwrap();
        std::fs::write(dir.join("small.txt"), "tail").unwrap();
        std::fs::write(dir.join("gone.txt"), "soon gone").unwrap();
        let listed = files(&[
            uri(&dir.join("big.bin")),
            uri(&dir.join("gone.txt")),
            uri(&dir.join("small.txt")),
        ])
        .unwrap();
        std::fs::remove_file(dir.join("gone.txt")).unwrap();
        let mut reader = Reader::new(&listed);
        let mut got: Vec<(usize, Vec<u8>)> = Vec::new();
        while let Some(part) = reader.next_part() {
            got.push(part);
        }
        assert_eq!(
            got.iter().map(|(i, b)| (*i, b.len())).collect::<Vec<_>>(),
            [(0, CHUNK), (0, 10), (2, 4)]
        );
        assert_eq!([got[0].1.clone(), got[1].1.clone()].concat(), big);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_drop_over_the_limit_is_refused() {
        let dir = std::env::temp_dir().join(format!("localpack-toobig-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = File::create(dir.join("huge.bin")).unwrap();
        file.set_len(MOST_BYTES + 1).unwrap(); // sparse: no disk used
        assert_eq!(
            files(&[uri(&dir.join("huge.bin"))]),
            Err(Refused::TooBig(MOST_BYTES + 1))
        );
        std::fs::remove_dir_all(dir).unwrap();
    }
}
