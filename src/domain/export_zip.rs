//! The export with photos: one `.zip` holding the export's JSON, unchanged, and each photo
//! the records name as `photos/<sha256>.<ext>`. Reading checks every entry before anything
//! is handed on: only those two kinds of name (no folders, no `..`, no name twice), each
//! photo a real image of its type whose SHA-256 is its name, none over
//! [`MAX_PHOTO_BYTES`](super::photo::MAX_PHOTO_BYTES), and exactly one export.

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use super::export::MAX_IMPORT_BYTES;
use super::photo::{MAX_PHOTO_BYTES, PhotoMime, PhotoProblem, check_photo, is_photo_hash};

/// The folder photos are kept under in the zip.
pub const PHOTO_FOLDER: &str = "photos/";

/// A photo's bytes, by the hash that names them.
pub type PhotoFiles = BTreeMap<String, (PhotoMime, Vec<u8>)>;

/// Why a zip is refused whole.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ZipProblem {
    #[error("not a readable zip file: {0}")]
    NotAZip(String),
    #[error("the zip names a file outside itself: {0}")]
    UnsafeName(String),
    #[error("the zip holds {0} twice")]
    DuplicateName(String),
    #[error("the zip holds a file this app does not write: {0}")]
    UnexpectedEntry(String),
    #[error("the zip holds no export file")]
    NoExport,
    #[error("the zip holds more than one export file")]
    SeveralExports,
    #[error("the zip's files are too large")]
    TooLarge,
    #[error("photo {name}: {problem}")]
    Photo { name: String, problem: PhotoProblem },
}

/// What a checked zip holds.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportZip {
    /// The export's JSON text, for [`parse_export`](super::parse_export).
    pub json: String,
    pub photos: PhotoFiles,
}

/// True when `bytes` start like a zip file (rather than an export's JSON).
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

/// The zip of an export: `json` under `json_name`, deflated, and each photo stored as it is
/// (already compressed), in the order given.
pub fn write_export_zip<'a>(
    json_name: &str,
    json: &[u8],
    photos: impl IntoIterator<Item = (&'a str, PhotoMime, &'a [u8])>,
) -> Result<Vec<u8>, ZipProblem> {
    let failed = |e: zip::result::ZipError| ZipProblem::NotAZip(e.to_string());
    let written = |e: std::io::Error| ZipProblem::NotAZip(e.to_string());
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let deflated = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .large_file(json.len() > u32::MAX as usize);
    zip.start_file(json_name, deflated).map_err(failed)?;
    zip.write_all(json).map_err(written)?;
    let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    for (hash, mime, bytes) in photos {
        let name = format!("{PHOTO_FOLDER}{hash}.{}", mime.extension());
        zip.start_file(name, stored).map_err(failed)?;
        zip.write_all(bytes).map_err(written)?;
    }
    Ok(zip.finish().map_err(failed)?.into_inner())
}

/// Reads and checks a zip completely; see the module's description.
pub fn read_export_zip(bytes: &[u8]) -> Result<ExportZip, ZipProblem> {
    if bytes.len() > MAX_IMPORT_BYTES.saturating_mul(8) {
        return Err(ZipProblem::TooLarge);
    }
    let stated_entries = central_directory_entries(bytes);
    let mut archive =
        ZipArchive::new(Cursor::new(bytes)).map_err(|e| ZipProblem::NotAZip(e.to_string()))?;
    // The archive keeps the last of two entries of one name: count them as the zip states.
    if stated_entries.is_some_and(|stated| stated != archive.len()) {
        let name = first_duplicate(bytes).unwrap_or_default();
        return Err(ZipProblem::DuplicateName(name));
    }
    let mut json: Option<String> = None;
    let mut photos = PhotoFiles::new();
    let mut total: usize = 0;
    for index in 0..archive.len() {
        let mut entry = archive
            .by_index(index)
            .map_err(|e| ZipProblem::NotAZip(e.to_string()))?;
        let name = entry.name().to_owned();
        if name.contains("..") || name.starts_with('/') || name.contains('\\') || name.contains(':')
        {
            return Err(ZipProblem::UnsafeName(name));
        }
        if entry.is_dir() {
            if name == PHOTO_FOLDER {
                continue;
            }
            return Err(ZipProblem::UnexpectedEntry(name));
        }
        let entry_kind =
            classify(&name).ok_or_else(|| ZipProblem::UnexpectedEntry(name.clone()))?;
        let limit = match entry_kind {
            Entry::Export => MAX_IMPORT_BYTES,
            Entry::Photo { .. } => MAX_PHOTO_BYTES,
        };
        if entry.size() > limit as u64 {
            return Err(match entry_kind {
                Entry::Export => ZipProblem::TooLarge,
                Entry::Photo { .. } => ZipProblem::Photo {
                    name,
                    problem: PhotoProblem::TooLarge(entry.size() as usize),
                },
            });
        }
        // Read at most one byte past the limit: a size the zip under-states is caught too.
        let mut content = Vec::with_capacity(entry.size() as usize);
        (&mut entry)
            .take(limit as u64 + 1)
            .read_to_end(&mut content)
            .map_err(|e| ZipProblem::NotAZip(format!("{name}: {e}")))?;
        total = total.saturating_add(content.len());
        if content.len() > limit || total > MAX_IMPORT_BYTES.saturating_mul(8) {
            return Err(ZipProblem::TooLarge);
        }
        match entry_kind {
            Entry::Export => {
                if json.is_some() {
                    return Err(ZipProblem::SeveralExports);
                }
                let text = String::from_utf8(content)
                    .map_err(|_| ZipProblem::NotAZip(format!("{name} is not text")))?;
                json = Some(text);
            }
            Entry::Photo { hash, mime } => {
                check_photo(&hash, mime, &content)
                    .map_err(|problem| ZipProblem::Photo { name, problem })?;
                photos.insert(hash, (mime, content));
            }
        }
    }
    let json = json.ok_or(ZipProblem::NoExport)?;
    Ok(ExportZip { json, photos })
}

enum Entry {
    Export,
    Photo { hash: String, mime: PhotoMime },
}

/// What an entry's name says it is: `<name>.json` at the top, or `photos/<sha256>.<ext>`.
fn classify(name: &str) -> Option<Entry> {
    if let Some(file) = name.strip_prefix(PHOTO_FOLDER) {
        let (hash, extension) = file.split_once('.')?;
        let mime = PhotoMime::from_extension(extension)?;
        return is_photo_hash(hash).then(|| Entry::Photo {
            hash: hash.to_owned(),
            mime,
        });
    }
    (!name.contains('/') && name.ends_with(".json") && name.len() > ".json".len())
        .then_some(Entry::Export)
}

/// The number of entries the zip's end-of-central-directory record states (its last
/// occurrence), if it can be found.
fn central_directory_entries(bytes: &[u8]) -> Option<usize> {
    let start = bytes.len().checked_sub(22)?;
    let lowest = start.saturating_sub(u16::MAX as usize);
    (lowest..=start)
        .rev()
        .find(|&at| bytes[at..].starts_with(b"PK\x05\x06"))
        .map(|at| usize::from(u16::from_le_bytes([bytes[at + 10], bytes[at + 11]])))
}

/// The first name two central-directory entries share, for the message.
fn first_duplicate(bytes: &[u8]) -> Option<String> {
    let mut seen = std::collections::BTreeSet::new();
    let mut at = 0;
    while let Some(offset) = bytes[at..].windows(4).position(|w| w == b"PK\x01\x02") {
        let header = at + offset;
        let field = |from: usize| -> Option<usize> {
            Some(usize::from(u16::from_le_bytes([
                *bytes.get(header + from)?,
                *bytes.get(header + from + 1)?,
            ])))
        };
        let name_length = field(28)?;
        let name = bytes.get(header + 46..header + 46 + name_length)?;
        let name = String::from_utf8_lossy(name).into_owned();
        if !seen.insert(name.clone()) {
            return Some(name);
        }
        at = header + 4;
    }
    None
}
