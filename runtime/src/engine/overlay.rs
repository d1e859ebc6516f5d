//! The badge on Windows: WebView2 and the taskbar have no count for a page, so `navigator.setAppBadge(n)`
//! (`badge.js`) posts `{localpackBadge: n}` and the runtime draws the count on a red disc as the window's
//! taskbar overlay icon. Pure logic (the message, the picture), unit-tested on every OS; only Windows uses it.

use super::policy;

/// The overlay icon's size in pixels (Windows scales it to the taskbar's overlay size, 16 px at 100 %).
pub const SIZE: u32 = 32;
/// A message longer than this is not a badge.
const MOST_BYTES: usize = 256;
const RED: [u8; 4] = [0xd9, 0x30, 0x25, 0xff];
const WHITE: [u8; 4] = [0xff, 0xff, 0xff, 0xff];

/// The count in the page's message (WebView2's `WebMessageAsJson`): `Some(None)` clears the badge; None: not
/// a badge message (wry's IPC messages are strings, so they never look like this).
pub fn badge_message(json: &str) -> Option<Option<u32>> {
    if json.len() > MOST_BYTES {
        return None;
    }
    let value: serde_json::Value = serde_json::from_str(json).ok()?;
    let object = value.as_object().filter(|o| o.len() == 1)?;
    policy::badge_count(object.get(policy::BADGE_HANDLER)?.as_f64()?).ok()
}

/// 3 × 5 glyphs, a row per entry, the high bit of three on the left.
fn glyph(c: char) -> [u8; 5] {
    match c {
        '0' => [0b111, 0b101, 0b101, 0b101, 0b111],
        '1' => [0b010, 0b110, 0b010, 0b010, 0b111],
        '2' => [0b111, 0b001, 0b111, 0b100, 0b111],
        '3' => [0b111, 0b001, 0b111, 0b001, 0b111],
        '4' => [0b101, 0b101, 0b111, 0b001, 0b001],
        '5' => [0b111, 0b100, 0b111, 0b001, 0b111],
        '6' => [0b111, 0b100, 0b111, 0b101, 0b111],
        '7' => [0b111, 0b001, 0b010, 0b010, 0b010],
        '8' => [0b111, 0b101, 0b111, 0b101, 0b111],
        '9' => [0b111, 0b101, 0b111, 0b001, 0b111],
        _ => [0b000, 0b010, 0b111, 0b010, 0b000], // '+'
    }
}

/// The overlay picture for `count` (1 and up), `SIZE` × `SIZE` RGBA: a red disc with the count in white, up to
/// 99, then "99+".
pub fn picture(count: u32) -> Vec<u8> {
    let text = if count > 99 {
        "99+".to_string()
    } else {
        count.to_string()
    };
    let scale: u32 = match text.len() {
        1 => 4,
        2 => 3,
        _ => 2,
    };
    let (width, height) = (text.len() as u32 * 4 * scale - scale, 5 * scale);
    let (left, top) = ((SIZE - width) / 2, (SIZE - height) / 2);
    let mut rgba = vec![0u8; (SIZE * SIZE * 4) as usize];
    let centre = SIZE as f32 / 2.0;
    for y in 0..SIZE {
        for x in 0..SIZE {
            let (dx, dy) = (x as f32 + 0.5 - centre, y as f32 + 0.5 - centre);
            if dx * dx + dy * dy <= centre * centre {
                put(&mut rgba, x, y, RED);
            }
        }
    }
    for (i, c) in text.chars().enumerate() {
        let origin = left + i as u32 * 4 * scale;
        for (row, bits) in glyph(c).iter().enumerate() {
            for column in 0..3u32 {
                if bits & (0b100 >> column) == 0 {
                    continue;
                }
                for sy in 0..scale {
                    for sx in 0..scale {
                        put(
                            &mut rgba,
                            origin + column * scale + sx,
                            top + row as u32 * scale + sy,
                            WHITE,
                        );
                    }
                }
            }
        }
    }
    rgba
}

fn put(rgba: &mut [u8], x: u32, y: u32, colour: [u8; 4]) {
    let at = ((y * SIZE + x) * 4) as usize;
    rgba[at..at + 4].copy_from_slice(&colour);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(rgba: &[u8], x: u32, y: u32) -> [u8; 4] {
        let i = ((y * SIZE + x) * 4) as usize;
        [rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]]
    }

    #[test]
    fn only_the_badge_message_is_a_badge() {
        assert_eq!(badge_message(r#"{"localpackBadge":7}"#), Some(Some(7)));
        assert_eq!(badge_message(r#"{"localpackBadge":0}"#), Some(None));
        assert_eq!(badge_message(r#"{"localpackBadge":2.9}"#), Some(Some(2)));
        for other in [
            r#""{\"localpackBadge\":7}""#, // a string: wry's IPC
            r#"{"localpackBadge":-1}"#,
            r#"{"localpackBadge":"7"}"#,
            r#"{"localpackBadge":7,"x":1}"#,
            r#"[7]"#,
            "7",
            "",
        ] {
            assert_eq!(badge_message(other), None, "{other}");
        }
        assert_eq!(
            badge_message(&format!(r#"{{"localpackBadge":{}}}"#, "9".repeat(400))),
            None
        );
    }

    #[test]
    fn the_picture_is_a_red_disc_with_the_count_in_white() {
        let seven = picture(7);
        assert_eq!(seven.len(), (SIZE * SIZE * 4) as usize);
        assert_eq!(at(&seven, 0, 0)[3], 0, "the corners stay clear");
        assert_eq!(at(&seven, 16, 2), RED);
        // the 7's top bar (12 × 4 px, from x 10, y 6) is white; under its left end is red
        assert_eq!(at(&seven, 11, 7), WHITE);
        assert_eq!(at(&seven, 11, 12), RED);
        let whites = |rgba: &[u8]| rgba.chunks(4).filter(|p| *p == WHITE).count();
        assert!(whites(&picture(88)) > whites(&picture(1)));
        assert_eq!(picture(100), picture(5000), "99+ from 100 up");
    }
}
