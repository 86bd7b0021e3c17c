//! Photos: what a record says about them (schema version 3), the checks on photo bytes, and
//! the export's zip with its hostile variants.
#![cfg(not(target_arch = "wasm32"))]

use field_ledger::domain::export_zip::{ZipProblem, is_zip, read_export_zip, write_export_zip};
use field_ledger::domain::photo::{
    MAX_PHOTO_BYTES, PhotoMime, PhotoProblem, check_photo, photo_hash, photos_problem, scaled_size,
    sniff_image,
};
use field_ledger::domain::*;
use field_ledger::storage::stored;

use field_ledger_test_support as support;
use support::schema::export_schema_errors;
use support::{NOW, TODAY, file_of, jpeg, officer, photo_of, png, record, training, webp};

fn training_with_photos(n: u128, photos: &[&[u8]]) -> Record {
    let base = record(n, training(TODAY));
    let refs = photos
        .iter()
        .enumerate()
        .map(|(i, bytes)| photo_of(bytes, &format!("现场照片 {i}")))
        .collect();
    base.with_photos(refs, &officer(), NOW)
}

#[test]
fn images_are_known_by_their_bytes_not_their_names() {
    assert_eq!(sniff_image(&jpeg(3)), Ok(PhotoMime::Jpeg));
    assert_eq!(sniff_image(&png()), Ok(PhotoMime::Png));
    assert_eq!(sniff_image(&webp()), Ok(PhotoMime::Webp));
    assert_eq!(sniff_image(b""), Err(PhotoProblem::Empty));
    assert_eq!(
        sniff_image(b"just some notes.txt"),
        Err(PhotoProblem::NotAnImage)
    );
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#;
    assert_eq!(sniff_image(svg), Err(PhotoProblem::NotAnImage));
    // A JPEG cut off half-way (no end-of-image marker), a PNG without IEND, a WebP whose
    // RIFF size says more than there is.
    let cut = jpeg(3);
    assert_eq!(
        sniff_image(&cut[..cut.len() / 2]),
        Err(PhotoProblem::Truncated)
    );
    let cut = png();
    assert_eq!(
        sniff_image(&cut[..cut.len() - 3]),
        Err(PhotoProblem::Truncated)
    );
    let cut = webp();
    assert_eq!(
        sniff_image(&cut[..cut.len() - 1]),
        Err(PhotoProblem::Truncated)
    );
    // A 50 MB panorama.
    let mut panorama = jpeg(1);
    panorama.resize(50 * 1024 * 1024, 0);
    assert_eq!(
        sniff_image(&panorama),
        Err(PhotoProblem::TooLarge(50 * 1024 * 1024))
    );
}

#[test]
fn a_photo_under_a_name_must_be_what_the_name_says() {
    let bytes = jpeg(5);
    let hash = photo_hash(&bytes);
    assert_eq!(hash.len(), 64);
    assert_eq!(check_photo(&hash, PhotoMime::Jpeg, &bytes), Ok(()));
    assert_eq!(
        check_photo(&hash, PhotoMime::Png, &bytes),
        Err(PhotoProblem::WrongType {
            named: "image/png",
            found: "image/jpeg"
        })
    );
    assert_eq!(
        check_photo(&photo_hash(&jpeg(6)), PhotoMime::Jpeg, &bytes),
        Err(PhotoProblem::HashMismatch)
    );
    // The known SHA-256 of "abc", so the name is the standard digest.
    assert_eq!(
        photo_hash(b"abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

#[test]
fn photos_are_scaled_to_1600_on_the_long_side_and_never_enlarged() {
    assert_eq!(scaled_size(4000, 3000), (1600, 1200));
    assert_eq!(scaled_size(3000, 4000), (1200, 1600));
    assert_eq!(scaled_size(1200, 800), (1200, 800));
    assert_eq!(scaled_size(16000, 10), (1600, 1));
    assert_eq!(scaled_size(0, 0), (1, 1));
}

#[test]
fn a_record_keeps_its_photos_through_storage_export_and_import() {
    let with_photos = training_with_photos(1, &[&jpeg(1), &webp()]);
    assert_eq!(with_photos.revision, 2);
    assert_eq!(with_photos.schema_version, SCHEMA_VERSION);
    // Stored compactly and read back the same.
    let mut devices = stored::Devices::default();
    devices.push(officer().device_id);
    let text = stored::encode(&with_photos, &devices).unwrap();
    assert!(text.contains(r#""p":[{"bytes":"#), "{text}");
    assert_eq!(
        stored::decode(with_photos.id, &text, &devices),
        Ok(with_photos.clone())
    );
    // An edit of the text keeps the photos.
    let edited = with_photos.edited(with_photos.body.clone(), &officer(), NOW);
    assert_eq!(edited.photos, with_photos.photos);
    // Exported by the schema of version 3 and imported whole.
    let records = vec![with_photos, record(2, training(TODAY))];
    let json = file_of("device-a", records.clone()).to_json().unwrap();
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["schema_version"], 3);
    assert_eq!(export_schema_errors(&value), Vec::<String>::new());
    assert_eq!(value["records"][0]["photos"][0]["mime"], "image/jpeg");
    let imported = parse_export(&json, TODAY).unwrap();
    assert_eq!(imported.records.len(), 2);
    assert!(imported.records.iter().any(|r| r.photos.len() == 2));
}

#[test]
fn a_photo_list_that_cannot_be_is_refused_with_the_file() {
    let good = training_with_photos(1, &[&jpeg(1)]);
    let file_with = |change: &dyn Fn(&mut serde_json::Value)| {
        let json = file_of("device-a", vec![good.clone()]).to_json().unwrap();
        let mut value: serde_json::Value = serde_json::from_str(&json).unwrap();
        change(&mut value);
        // Re-checksummed, so only the change is wrong.
        let records: Vec<Record> = serde_json::from_value(value["records"].clone()).unwrap();
        let mut file: serde_json::Value =
            serde_json::from_str(&file_of("device-a", records).to_json().unwrap()).unwrap();
        file["schema_version"] = value["schema_version"].clone();
        file.to_string()
    };
    let problems = |text: &str| parse_export(text, TODAY).unwrap_err();
    // Photos in a file that says it is of version 2.
    let old = file_with(&|v| v["schema_version"] = 2.into());
    assert!(
        matches!(&problems(&old)[0], ImportProblem::BadRecord { message, .. } if message.contains("schema version 3")),
        "{:?}",
        problems(&old)
    );
    // A name that is not a SHA-256, eleven photos, the same photo twice.
    let bad_name = file_with(&|v| v["records"][0]["photos"][0]["hash"] = "../../x".into());
    assert!(matches!(
        &problems(&bad_name)[0],
        ImportProblem::BadRecord { .. }
    ));
    let many: Vec<Vec<u8>> = (1..=11).map(jpeg).collect();
    let eleven = training_with_photos(3, &many.iter().map(Vec::as_slice).collect::<Vec<_>>());
    assert!(
        photos_problem(&eleven.photos)
            .unwrap()
            .contains("at most 10")
    );
    let json = file_of("device-a", vec![eleven]).to_json().unwrap();
    assert!(matches!(
        &problems(&json)[0],
        ImportProblem::BadRecord { .. }
    ));
    let twice = training_with_photos(4, &[&jpeg(1), &jpeg(1)]);
    assert!(photos_problem(&twice.photos).unwrap().contains("twice"));
    // Files of versions 1 and 2 without photos still import.
    let v2 = file_with(&|v| {
        v["schema_version"] = 2.into();
        v["records"][0].as_object_mut().unwrap().remove("photos");
    });
    assert_eq!(parse_export(&v2, TODAY).unwrap().records[0].photos, vec![]);
}

fn export_zip_of(records: Vec<Record>, photos: &[Vec<u8>]) -> Vec<u8> {
    let json = file_of("device-a", records).to_json().unwrap();
    let hashes: Vec<(String, PhotoMime)> = photos
        .iter()
        .map(|p| (photo_hash(p), sniff_image(p).unwrap()))
        .collect();
    write_export_zip(
        "field-ledger-device-a-2022-06-20.json",
        json.as_bytes(),
        hashes
            .iter()
            .zip(photos)
            .map(|((hash, mime), bytes)| (hash.as_str(), *mime, bytes.as_slice())),
    )
    .unwrap()
}

#[test]
fn the_export_zip_holds_the_same_json_and_each_photo_by_its_hash() {
    let photos = vec![jpeg(1), webp(), png()];
    let record = training_with_photos(1, &[&photos[0], &photos[1], &photos[2]]);
    let zip = export_zip_of(vec![record.clone()], &photos);
    assert!(is_zip(&zip));
    assert!(!is_zip(b"{\"format\":"));
    let read = read_export_zip(&zip).unwrap();
    assert_eq!(
        read.json,
        file_of("device-a", vec![record.clone()]).to_json().unwrap()
    );
    assert_eq!(read.photos.len(), 3);
    for bytes in &photos {
        let (mime, stored) = &read.photos[&photo_hash(bytes)];
        assert_eq!(stored, bytes);
        assert_eq!(Some(*mime), sniff_image(bytes).ok());
    }
    let envelope = parse_export(&read.json, TODAY).unwrap();
    assert_eq!(envelope.records, vec![record]);
}

/// A zip written entry by entry, names as given (the writer of the app never writes these).
fn raw_zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in entries {
        if name.ends_with('/') {
            zip.add_directory(*name, stored).unwrap();
        } else {
            zip.start_file(*name, stored).unwrap();
            zip.write_all(bytes).unwrap();
        }
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn a_hostile_zip_is_refused_whole_with_the_reason() {
    let json = file_of("device-a", vec![record(1, training(TODAY))])
        .to_json()
        .unwrap();
    let photo = jpeg(7);
    let name = |bytes: &[u8], ext: &str| format!("photos/{}.{ext}", photo_hash(bytes));
    let good_photo = name(&photo, "jpg");
    let refused = |entries: &[(&str, &[u8])]| read_export_zip(&raw_zip(entries)).unwrap_err();

    assert!(matches!(
        read_export_zip(b"PK\x03\x04 not really"),
        Err(ZipProblem::NotAZip(_))
    ));
    assert!(matches!(read_export_zip(b""), Err(ZipProblem::NotAZip(_))));
    assert_eq!(
        refused(&[("e.json", json.as_bytes()), ("../../x", b"x")]),
        ZipProblem::UnsafeName("../../x".into())
    );
    assert_eq!(
        refused(&[("e.json", json.as_bytes()), ("photos/../../e.json", b"x")]),
        ZipProblem::UnsafeName("photos/../../e.json".into())
    );
    assert!(matches!(
        refused(&[("e.json", json.as_bytes()), ("/etc/passwd", b"x")]),
        ZipProblem::UnsafeName(_)
    ));
    assert_eq!(
        refused(&[("e.json", json.as_bytes()), ("readme.txt", b"hello")]),
        ZipProblem::UnexpectedEntry("readme.txt".into())
    );
    assert_eq!(
        refused(&[("e.json", json.as_bytes()), ("other/", b"")]),
        ZipProblem::UnexpectedEntry("other/".into())
    );
    assert_eq!(refused(&[(&good_photo, &photo)]), ZipProblem::NoExport);
    assert_eq!(
        refused(&[("a.json", json.as_bytes()), ("b.json", json.as_bytes())]),
        ZipProblem::SeveralExports
    );
    // A photo whose bytes are not its name, a text file named as a photo, a photo over 5 MB.
    let other = jpeg(8);
    assert_eq!(
        refused(&[("e.json", json.as_bytes()), (&good_photo, &other)]),
        ZipProblem::Photo {
            name: good_photo.clone(),
            problem: PhotoProblem::HashMismatch
        }
    );
    let text = b"not a photo at all";
    assert_eq!(
        refused(&[("e.json", json.as_bytes()), (&name(text, "jpg"), text)]),
        ZipProblem::Photo {
            name: name(text, "jpg"),
            problem: PhotoProblem::NotAnImage
        }
    );
    let mut large = jpeg(9);
    large.resize(MAX_PHOTO_BYTES + 1, 0);
    assert!(matches!(
        refused(&[("e.json", json.as_bytes()), (&name(&large, "jpg"), &large)]),
        ZipProblem::Photo {
            problem: PhotoProblem::TooLarge(_),
            ..
        }
    ));
    // A photo whose extension lies about its type.
    assert!(matches!(
        refused(&[("e.json", json.as_bytes()), (&name(&photo, "png"), &photo)]),
        ZipProblem::Photo {
            problem: PhotoProblem::WrongType { .. },
            ..
        }
    ));
    // The same name twice (the second written under another name of the same length, then
    // renamed in place).
    let second = photo_hash(&other);
    let mut doubled = raw_zip(&[
        ("e.json", json.as_bytes()),
        (&good_photo, &photo),
        (&name(&other, "jpg"), &other),
    ]);
    let (from, to) = (second.as_bytes(), photo_hash(&photo));
    let mut at = 0;
    while let Some(offset) = doubled[at..].windows(from.len()).position(|w| w == from) {
        doubled[at + offset..at + offset + from.len()].copy_from_slice(to.as_bytes());
        at += offset + from.len();
    }
    assert_eq!(
        read_export_zip(&doubled).unwrap_err(),
        ZipProblem::DuplicateName(good_photo.clone())
    );
    // A good zip by the same writer reads.
    let read = read_export_zip(&raw_zip(&[
        ("e.json", json.as_bytes()),
        ("photos/", b""),
        (&good_photo, &photo),
    ]))
    .unwrap();
    assert_eq!(read.photos.len(), 1);
}

#[test]
fn the_photos_take_what_their_distinct_bytes_take() {
    let first = training_with_photos(1, &[&jpeg(1), &webp()]);
    // The same photo on another record, and one only in a history, count once each.
    let second = training_with_photos(2, &[&jpeg(1)]);
    let mut third = training_with_photos(3, &[&png()]);
    third.history = vec![third.without_history()];
    third.photos = Vec::new();
    let expected = (jpeg(1).len() + webp().len() + png().len()) as u64;
    assert_eq!(
        field_ledger::domain::photo::photo_usage([&first, &second, &third]),
        (3, expected)
    );
    assert_eq!(field_ledger::domain::photo::photo_usage([]), (0, 0));
}

#[test]
fn a_photo_is_kept_while_a_record_names_it_and_until_its_deletion_is_exported() {
    use field_ledger::domain::photo::unneeded_photos;
    let live = training_with_photos(1, &[&jpeg(1)]);
    let deleted = training_with_photos(2, &[&jpeg(2)]).tombstone(&officer(), NOW);
    let mut merged = training_with_photos(3, &[&png()]);
    // A version in the history still names a photo the current one dropped.
    merged.history = vec![merged.without_history()];
    merged.photos = Vec::new();
    let stored: Vec<String> = [jpeg(1), jpeg(2), png(), webp()]
        .iter()
        .map(|p| photo_hash(p))
        .collect();
    let records = [&live, &deleted, &merged];
    // Exported before the deletion: the deleted record's photo stays; the unnamed one goes.
    let before = NOW - time::Duration::hours(1);
    assert_eq!(
        unneeded_photos(records, &stored, before),
        vec![photo_hash(&webp())]
    );
    // Exported after it: the deleted record's photo went with that export.
    let after = NOW + time::Duration::hours(1);
    assert_eq!(
        unneeded_photos(records, &stored, after),
        vec![photo_hash(&jpeg(2)), photo_hash(&webp())]
    );
}

#[test]
fn the_changes_since_an_export_carry_only_the_photos_no_export_carried() {
    use field_ledger::domain::photo::photos_to_carry;
    use std::collections::BTreeSet;
    let (a, b, c) = (
        photo_hash(&jpeg(1)),
        photo_hash(&jpeg(2)),
        photo_hash(&png()),
    );
    let named = |hashes: &[&String]| -> Vec<(String, PhotoMime)> {
        hashes
            .iter()
            .map(|h| ((*h).clone(), PhotoMime::Jpeg))
            .collect()
    };
    // No export carried any: the changes carry all.
    let none = BTreeSet::new();
    assert_eq!(
        photos_to_carry(named(&[&a, &b]), &none, true),
        named(&[&a, &b])
    );
    // A zip carried a: the next changes carry b and c only, everything carries all three.
    let carried = BTreeSet::from([a.clone()]);
    assert_eq!(
        photos_to_carry(named(&[&a, &b, &c]), &carried, true),
        named(&[&b, &c])
    );
    assert_eq!(
        photos_to_carry(named(&[&a, &b, &c]), &carried, false).len(),
        3
    );
}
