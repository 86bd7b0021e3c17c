//! Photos as evidence (现场照片): what a record says about each of its photos, and the checks
//! that a file's bytes are the photo they claim to be. The bytes themselves live outside the
//! records (IndexedDB on a tablet, `photos/<sha256>.<ext>` in an export's zip), keyed by the
//! SHA-256 of the stored bytes.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use super::kinds::Stage;

/// Photos a record can carry.
pub const MAX_PHOTOS: usize = 10;

/// The largest photo accepted from a file or a server. The app stores about 200–300 KB a
/// photo; 5 MB leaves room for a photo another program kept larger.
pub const MAX_PHOTO_BYTES: usize = 5 * 1024 * 1024;

/// The longest side a photo is scaled to before it is stored.
pub const MAX_PHOTO_SIDE: u32 = 1600;

/// The longest caption, in characters.
pub const MAX_CAPTION_CHARS: usize = 200;

/// One photo of a record. Fields in alphabetical order: see [`Record`](super::Record).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PhotoRef {
    /// Size of the stored bytes.
    pub bytes: u32,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub caption: String,
    /// SHA-256 of the stored bytes, 64 lower-case hex digits: the photo's name everywhere.
    pub hash: String,
    pub height: u32,
    pub mime: PhotoMime,
    /// On a technology, the stage the photo shows (引进, 示范, 推广).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<Stage>,
    #[serde(with = "crate::domain::datetime_text::rfc3339")]
    pub taken_at: OffsetDateTime,
    pub width: u32,
}

/// The image formats a photo is stored in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum PhotoMime {
    #[serde(rename = "image/jpeg")]
    Jpeg,
    #[serde(rename = "image/webp")]
    Webp,
    #[serde(rename = "image/png")]
    Png,
}

impl PhotoMime {
    pub fn as_str(self) -> &'static str {
        match self {
            PhotoMime::Jpeg => "image/jpeg",
            PhotoMime::Webp => "image/webp",
            PhotoMime::Png => "image/png",
        }
    }

    pub fn from_mime(mime: &str) -> Option<PhotoMime> {
        [PhotoMime::Jpeg, PhotoMime::Webp, PhotoMime::Png]
            .into_iter()
            .find(|m| m.as_str() == mime)
    }

    /// The file name extension of a photo in an export's zip.
    pub fn extension(self) -> &'static str {
        match self {
            PhotoMime::Jpeg => "jpg",
            PhotoMime::Webp => "webp",
            PhotoMime::Png => "png",
        }
    }

    pub fn from_extension(extension: &str) -> Option<PhotoMime> {
        match extension {
            "jpg" | "jpeg" => Some(PhotoMime::Jpeg),
            "webp" => Some(PhotoMime::Webp),
            "png" => Some(PhotoMime::Png),
            _ => None,
        }
    }
}

/// Why some bytes are not a photo this app keeps.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PhotoProblem {
    #[error("the file is empty")]
    Empty,
    #[error("the file is {0} bytes, more than a photo may be")]
    TooLarge(usize),
    #[error("not a JPEG, WebP or PNG image")]
    NotAnImage,
    #[error("the image is cut off")]
    Truncated,
    #[error("the file is a {found}, not the {named} it is named as")]
    WrongType {
        named: &'static str,
        found: &'static str,
    },
    #[error("the photo's bytes do not match its name")]
    HashMismatch,
}

/// SHA-256 of `bytes` as 64 lower-case hex digits.
pub fn photo_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut text = String::with_capacity(64);
    for byte in digest {
        text.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
        text.push(char::from(b"0123456789abcdef"[usize::from(byte & 0xf)]));
    }
    text
}

/// True for 64 lower-case hex digits (a photo's name).
pub fn is_photo_hash(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Which image format `bytes` hold, judged by their magic bytes and their end: a JPEG must
/// end with its end-of-image marker, a PNG with its `IEND` chunk, and a WebP's RIFF size
/// must be the file's. Anything else (text, SVG, a zero-byte file, a cut-off download) is
/// refused, as is a file larger than [`MAX_PHOTO_BYTES`].
pub fn sniff_image(bytes: &[u8]) -> Result<PhotoMime, PhotoProblem> {
    const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    const PNG_END: &[u8] = b"IEND\xae\x42\x60\x82";
    if bytes.is_empty() {
        return Err(PhotoProblem::Empty);
    }
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err(PhotoProblem::TooLarge(bytes.len()));
    }
    if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        // Some cameras pad after the end-of-image marker: look at the last few bytes.
        let tail = &bytes[bytes.len().saturating_sub(32)..];
        return if bytes.len() > 4 && tail.windows(2).any(|w| w == [0xff, 0xd9]) {
            Ok(PhotoMime::Jpeg)
        } else {
            Err(PhotoProblem::Truncated)
        };
    }
    if bytes.starts_with(PNG_SIGNATURE) {
        return if bytes.len() > PNG_SIGNATURE.len() + PNG_END.len() && bytes.ends_with(PNG_END) {
            Ok(PhotoMime::Png)
        } else {
            Err(PhotoProblem::Truncated)
        };
    }
    if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        let stated = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) as usize;
        return if stated.checked_add(8) == Some(bytes.len()) && bytes.len() > 20 {
            Ok(PhotoMime::Webp)
        } else {
            Err(PhotoProblem::Truncated)
        };
    }
    Err(PhotoProblem::NotAnImage)
}

/// Checks photo bytes that arrive under a name (a zip entry, a server's attachment): a real
/// image of the named type, not too large, whose SHA-256 is the name.
pub fn check_photo(hash: &str, mime: PhotoMime, bytes: &[u8]) -> Result<(), PhotoProblem> {
    let found = sniff_image(bytes)?;
    if found != mime {
        return Err(PhotoProblem::WrongType {
            named: mime.as_str(),
            found: found.as_str(),
        });
    }
    if photo_hash(bytes) != hash {
        return Err(PhotoProblem::HashMismatch);
    }
    Ok(())
}

/// What is wrong with a record's photo list, if anything: too many, or one whose name,
/// size or measures cannot be a stored photo's, or one named twice.
pub fn photos_problem(photos: &[PhotoRef]) -> Option<String> {
    if photos.len() > MAX_PHOTOS {
        return Some(format!("{} photos, at most {MAX_PHOTOS}", photos.len()));
    }
    for (index, photo) in photos.iter().enumerate() {
        if !is_photo_hash(&photo.hash) {
            return Some(format!("photo {index}: the name is not a SHA-256"));
        }
        if photo.bytes == 0 || photo.bytes as usize > MAX_PHOTO_BYTES {
            return Some(format!("photo {index}: {} bytes", photo.bytes));
        }
        if photo.width == 0 || photo.height == 0 || photo.width > 20_000 || photo.height > 20_000 {
            return Some(format!("photo {index}: {} × {}", photo.width, photo.height));
        }
        if photo.caption.chars().count() > MAX_CAPTION_CHARS {
            return Some(format!("photo {index}: the caption is too long"));
        }
        if photos[..index].iter().any(|p| p.hash == photo.hash) {
            return Some(format!("photo {index}: the same photo twice"));
        }
    }
    None
}

/// The measures a photo of `width` × `height` is scaled to: the long side at most
/// [`MAX_PHOTO_SIDE`], never enlarged, the ratio kept.
pub fn scaled_size(width: u32, height: u32) -> (u32, u32) {
    let long = width.max(height);
    if long <= MAX_PHOTO_SIDE || long == 0 {
        return (width.max(1), height.max(1));
    }
    let scale = |side: u32| {
        ((u64::from(side) * u64::from(MAX_PHOTO_SIDE) + u64::from(long) / 2) / u64::from(long))
            .max(1) as u32
    };
    (scale(width), scale(height))
}

/// How many photos the records name, each once (their histories' too), and their bytes
/// together: what the photos take of the tablet, as Settings shows it.
pub fn photo_usage<'a>(records: impl IntoIterator<Item = &'a super::Record>) -> (usize, u64) {
    let mut seen = std::collections::BTreeSet::new();
    let mut bytes = 0u64;
    for record in records {
        for photo in std::iter::once(record)
            .chain(&record.history)
            .flat_map(|version| &version.photos)
        {
            if seen.insert(photo.hash.as_str()) {
                bytes += u64::from(photo.bytes);
            }
        }
    }
    (seen.len(), bytes)
}

/// Of the `stored` photos, those no record needs any more: named by no version of any record,
/// or only by deleted records whose deletion went out in the full export made at
/// `exported_at` (it carried them, and their photos, to the bureau).
pub fn unneeded_photos<'a>(
    records: impl IntoIterator<Item = &'a super::Record>,
    stored: &[String],
    exported_at: OffsetDateTime,
) -> Vec<String> {
    let mut needed = std::collections::BTreeSet::new();
    for record in records {
        if record.deleted && record.updated_at <= exported_at {
            continue;
        }
        for photo in std::iter::once(record)
            .chain(&record.history)
            .flat_map(|version| &version.photos)
        {
            needed.insert(photo.hash.as_str());
        }
    }
    stored
        .iter()
        .filter(|hash| !needed.contains(hash.as_str()))
        .cloned()
        .collect()
}

/// The photos an export takes of those its records name: all of them, or for the changes
/// since the last export those no export has carried yet (`exported`).
pub fn photos_to_carry<T>(
    photos: Vec<(String, T)>,
    exported: &std::collections::BTreeSet<String>,
    changes_only: bool,
) -> Vec<(String, T)> {
    if !changes_only {
        return photos;
    }
    photos
        .into_iter()
        .filter(|(hash, _)| !exported.contains(hash))
        .collect()
}
