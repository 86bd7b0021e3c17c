//! Small but well-formed images (by their magic bytes and their ends) and the photo list
//! entries that name them.

use field_ledger::domain::photo::{PhotoRef, photo_hash, sniff_image};
use time::macros::datetime;

/// A tiny but well-formed JPEG (start and end markers around some bytes), different per seed.
pub fn jpeg(seed: u8) -> Vec<u8> {
    let mut bytes = vec![0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10];
    bytes.extend(b"JFIF\0");
    bytes.extend((0..200u16).map(|i| (i as u8).wrapping_mul(seed)));
    bytes.extend([0xff, 0xd9]);
    bytes
}

pub fn png() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend([0, 0, 0, 13]);
    bytes.extend(b"IHDR");
    bytes.extend([0; 17]);
    bytes.extend([0, 0, 0, 0]);
    bytes.extend(b"IEND\xae\x42\x60\x82");
    bytes
}

pub fn webp() -> Vec<u8> {
    let body = b"WEBPVP8 \x10\x00\x00\x00abcdefghijklmnop";
    let mut bytes = b"RIFF".to_vec();
    bytes.extend((body.len() as u32).to_le_bytes());
    bytes.extend(body);
    bytes
}

pub fn photo_of(bytes: &[u8], caption: &str) -> PhotoRef {
    PhotoRef {
        bytes: bytes.len() as u32,
        caption: caption.to_owned(),
        hash: photo_hash(bytes),
        height: 900,
        mime: sniff_image(bytes).unwrap(),
        stage: None,
        taken_at: datetime!(2022-06-18 09:30 +08:00),
        width: 1600,
    }
}
