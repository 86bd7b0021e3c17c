//! Tier 1: the report as one document (`domain::report::Document`) for the page, the printout,
//! the plain-text copy and the Word file (`domain::docx`): the text lists headings, paragraphs
//! and tab-separated table rows; the .docx is a zip whose entries docx-rs stores uncompressed,
//! so every text of the document, the repeated header row and the fonts can be found in its
//! bytes. The report built from a ledger with teams and demands has the demand line in
//! 科技特派服务 and the 分特派团情况 table.
#![cfg(not(target_arch = "wasm32"))]

use field_ledger::domain::docx::docx;
use field_ledger::domain::report::{Block, Document, PhotoBytes, PhotoChoice, Table};

fn document() -> Document {
    Document {
        title: "2022年上半年科技特派工作总结".into(),
        subtitle: vec!["统计期间：2022-01-01 至 2022-06-30".into()],
        blocks: vec![
            Block::Heading("一、总体情况".into()),
            Block::Paragraph(
                "2022年上半年，组织农民技术员培训4场、150余人次，完成全年培训目标的40%。".into(),
            ),
            Block::Subheading("（一）分县区情况".into()),
            Block::Table(Table {
                id: "report-counties".into(),
                header: vec!["县区".into(), "培训场次".into(), "培训人次".into()],
                rows: vec![
                    vec!["鲅鱼圈区".into(), "1".into(), "41".into()],
                    vec!["大石桥市".into(), "3".into(), "115".into()],
                ],
                total: Some(vec!["合计".into(), "4".into(), "156".into()]),
            }),
            Block::Closing(vec!["营口市科学技术局".into(), "2022年7月10日".into()]),
        ],
    }
}

#[test]
fn the_text_copy_lists_headings_paragraphs_and_table_rows_by_tabs() {
    assert_eq!(
        document().to_text(),
        "2022年上半年科技特派工作总结\n\
         统计期间：2022-01-01 至 2022-06-30\n\
         \n\
         一、总体情况\n\
         2022年上半年，组织农民技术员培训4场、150余人次，完成全年培训目标的40%。\n\
         \n\
         （一）分县区情况\n\
         县区\t培训场次\t培训人次\n\
         鲅鱼圈区\t1\t41\n\
         大石桥市\t3\t115\n\
         合计\t4\t156\n\
         \n\
         营口市科学技术局\n\
         2022年7月10日\n"
    );
    // A table without a total has no line for it.
    let plain = Document {
        title: "标题".into(),
        subtitle: Vec::new(),
        blocks: vec![Block::Table(Table {
            header: vec!["甲".into(), "乙".into()],
            rows: vec![vec!["1".into(), "2".into()]],
            ..Table::default()
        })],
    };
    assert_eq!(plain.to_text(), "标题\n甲\t乙\n1\t2\n");
}

/// Where `needle` occurs in `haystack`, every time.
fn positions(haystack: &[u8], needle: &str) -> Vec<usize> {
    let needle = needle.as_bytes();
    haystack
        .windows(needle.len())
        .enumerate()
        .filter(|(_, window)| *window == needle)
        .map(|(at, _)| at)
        .collect()
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    !positions(haystack, needle).is_empty()
}

#[test]
fn the_word_file_holds_every_text_the_repeated_header_row_and_the_fonts() {
    let document = document();
    let bytes = docx(&document, &PhotoBytes::new()).expect("a Word file");
    assert_eq!(&bytes[..4], b"PK\x03\x04", "a zip file");
    for part in ["[Content_Types].xml", "word/document.xml"] {
        assert!(contains(&bytes, part), "{part}");
    }
    let mut texts: Vec<String> = vec![document.title.clone()];
    texts.extend(document.subtitle.iter().cloned());
    for block in &document.blocks {
        match block {
            Block::Heading(text) | Block::Subheading(text) | Block::Paragraph(text) => {
                texts.push(text.clone())
            }
            Block::Table(table) => {
                texts.extend(table.header.iter().cloned());
                texts.extend(table.rows.iter().flatten().cloned());
                texts.extend(table.total.iter().flatten().cloned());
            }
            Block::Closing(lines) => texts.extend(lines.iter().cloned()),
            Block::Photo(_) => {}
        }
    }
    for text in &texts {
        assert!(contains(&bytes, text), "{text} is not in the file");
    }
    // The header row, and only it, repeats on every page: marked inside the table, before its
    // first cell.
    let header = positions(&bytes, "w:tblHeader");
    assert_eq!(header.len(), 1, "one table, one header row");
    let table = positions(&bytes, "<w:tbl>")[0];
    let first_cell = positions(&bytes, "培训场次")[0];
    assert!(table < header[0] && header[0] < first_cell);
    for font in ["仿宋", "黑体", "宋体"] {
        assert!(contains(&bytes, font), "{font}");
    }
    // The same document makes the same file.
    assert_eq!(docx(&document, &PhotoBytes::new()).unwrap(), bytes);
}

#[test]
fn text_that_xml_would_read_as_markup_is_written_as_text() {
    let document = Document {
        title: "A & B <c>".into(),
        blocks: vec![Block::Paragraph("x < y & z".into())],
        ..Document::default()
    };
    let bytes = docx(&document, &PhotoBytes::new()).expect("a Word file");
    assert!(contains(&bytes, "A &amp; B &lt;c&gt;"));
    assert!(contains(&bytes, "x &lt; y &amp; z"));
    assert!(!contains(&bytes, "<c>"));
}

#[test]
fn every_table_of_a_document_has_its_own_header_row_marked() {
    let table = |n: usize| {
        Block::Table(Table {
            header: vec![format!("表头{n}")],
            rows: vec![vec![format!("行{n}")]],
            ..Table::default()
        })
    };
    let document = Document {
        title: "三张表".into(),
        blocks: vec![
            table(1),
            Block::Paragraph("中间".into()),
            table(2),
            table(3),
        ],
        ..Document::default()
    };
    let bytes = docx(&document, &PhotoBytes::new()).unwrap();
    assert_eq!(positions(&bytes, "w:tblHeader").len(), 3);
    assert_eq!(positions(&bytes, "<w:tbl>").len(), 3);
    // An empty document is still a Word file.
    assert_eq!(
        &docx(&Document::default(), &PhotoBytes::new()).unwrap()[..2],
        b"PK"
    );
}

// ---------------------------------------------------------------- teams and demands (#21)

use field_ledger_test_support as support;

use field_ledger::components::report_document::{ReportInput, ReportSource, build};
use field_ledger::domain::period::{Period, Preset};
use field_ledger::domain::*;
use field_ledger::i18n::Locale;
use support::{demand, id, ledger_of, team, visit};
use time::macros::date;

/// 2022: team record 1 serving; three demands collected (one open, one matched to the team
/// and being served, one solved by it) and a visit of the team.
fn teams_and_demands() -> Ledger {
    let matched = Demand {
        status: DemandStatus::Serving,
        team_id: Some(id(1)),
        matched_on: Some(date!(2022 - 06 - 25)),
        serving_since: Some(date!(2022 - 07 - 01)),
        ..demand("九寨镇水稻合作社")
    };
    ledger_of([
        team("水稻产业科技特派团").into_body(),
        demand("五美房村").into_body(),
        matched.clone().into_body(),
        Demand {
            status: DemandStatus::Solved,
            ended_on: Some(date!(2022 - 09 - 01)),
            ..matched
        }
        .into_body(),
        Visit {
            team_id: Some(id(1)),
            ..visit(date!(2022 - 07 - 20))
        }
        .into_body(),
    ])
}

fn report_of(ledger: &Ledger, locale: Locale) -> Document {
    let today = date!(2023 - 01 - 15);
    let settings = Settings::new("coordinator".into());
    let period = Period::preset(2022, Preset::Year, today).expect("the year 2022");
    build(
        locale,
        &ReportInput {
            source: ReportSource::Device(ledger),
            settings: &settings,
            period,
            today,
            notes: &settings.notes_for(&period),
            organisation: &settings.organisation,
            photos: &PhotoChoice::new(),
        },
    )
}

fn table_of<'a>(document: &'a Document, id: &str) -> Option<&'a Table> {
    document.blocks.iter().find_map(|block| match block {
        Block::Table(table) if table.id == id => Some(table),
        _ => None,
    })
}

/// The block after the heading that ends with `title`.
fn after_heading<'a>(document: &'a Document, title: &str) -> Option<&'a Block> {
    let at = document
        .blocks
        .iter()
        .position(|b| matches!(b, Block::Heading(h) if h.ends_with(title)))?;
    document.blocks.get(at + 1)
}

#[test]
fn the_report_has_the_demand_line_and_a_row_for_every_team() {
    let ledger = teams_and_demands();
    let zh = report_of(&ledger, Locale::zh);
    let line = "征集农村科技需求3项、已对接2项、已解决1项，尚待解决2项。";
    assert!(
        zh.blocks.contains(&Block::Paragraph(line.into())),
        "the demand line in 科技特派服务: {:#?}",
        zh.blocks
    );
    let service = zh
        .blocks
        .iter()
        .position(|b| matches!(b, Block::Heading(h) if h.ends_with("科技特派服务")))
        .expect("科技特派服务");
    let demands = zh
        .blocks
        .iter()
        .position(|b| *b == Block::Paragraph(line.into()))
        .unwrap();
    assert!(service < demands);

    let teams = table_of(&zh, "report-team-rows").expect("the 分特派团情况 table");
    assert!(matches!(
        after_heading(&zh, "分特派团情况"),
        Some(Block::Table(t)) if t.id == "report-team-rows"
    ));
    assert_eq!(teams.header.len(), 10);
    assert_eq!(teams.header[0], "特派团（组）名称");
    assert_eq!(
        teams.rows,
        [[
            "水稻产业科技特派团",
            "市级",
            "特派团",
            "服务中",
            "1",
            "0",
            "0",
            "2",
            "0",
            "0"
        ]
        .map(String::from)
        .to_vec()]
    );
    let bytes = docx(&zh, &PhotoBytes::new()).expect("a Word file");
    assert!(contains(&bytes, line));
    assert!(contains(&bytes, "水稻产业科技特派团"));
    assert!(zh.to_text().contains("分特派团情况"));

    // English: a sentence of its own.
    let en = report_of(&ledger, Locale::en);
    assert!(en.blocks.iter().any(|b| matches!(
        b,
        Block::Paragraph(p) if p.contains("demands collected in the period: 3") && p.contains("2 still wait")
    )));
    assert!(table_of(&en, "report-team-rows").is_some());
}

#[test]
fn without_teams_or_demands_the_report_has_neither() {
    let ledger = ledger_of([visit(date!(2022 - 07 - 20)).into_body()]);
    let zh = report_of(&ledger, Locale::zh);
    assert!(table_of(&zh, "report-team-rows").is_none());
    assert!(!zh.to_text().contains("分特派团情况"));
    assert!(!zh.to_text().contains("尚待解决"));

    // Demands without visits still open 科技特派服务 for their line.
    let ledger = ledger_of([demand("五美房村").into_body()]);
    let zh = report_of(&ledger, Locale::zh);
    assert!(matches!(
        after_heading(&zh, "科技特派服务"),
        Some(Block::Paragraph(p)) if p == "征集农村科技需求1项、已对接0项、已解决0项，尚待解决1项。"
    ));
}

/// The parts of a zip (a .docx) by name.
fn zip_parts(bytes: &[u8]) -> std::collections::BTreeMap<String, Vec<u8>> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut entry = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            entry.read_to_end(&mut data).unwrap();
            (entry.name().to_owned(), data)
        })
        .collect()
}

#[test]
fn a_typical_case_shows_its_chosen_photos_and_the_word_file_holds_their_own_bytes() {
    use field_ledger::domain::photo::photo_hash;
    use support::{jpeg, photo_of, png};
    let mut case = support::record(1, visit(date!(2022 - 05 - 10)));
    case.typical = true;
    let case = case.with_photos(
        vec![
            photo_of(&jpeg(1), "田间指导"),
            photo_of(&jpeg(2), ""),
            photo_of(&png(), "合影"),
        ],
        &support::officer(),
        support::NOW,
    );
    let ledger = Ledger::from_records(vec![case.clone()]);
    let photos_in = |document: &Document| -> Vec<String> {
        document
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Photo(p) => Some(p.hash.clone()),
                _ => None,
            })
            .collect()
    };
    let today = date!(2023 - 01 - 15);
    let settings = Settings::new("coordinator".into());
    let period = Period::preset(2022, Preset::Year, today).unwrap();
    let report = |choice: &PhotoChoice| {
        build(
            Locale::zh,
            &ReportInput {
                source: ReportSource::Device(&ledger),
                settings: &settings,
                period,
                today,
                notes: &settings.notes_for(&period),
                organisation: "",
                photos: choice,
            },
        )
    };
    // None chosen: its first photo. Two chosen: those two, in the record's order; a third
    // chosen is one too many.
    assert_eq!(
        photos_in(&report(&PhotoChoice::new())),
        vec![photo_hash(&jpeg(1))]
    );
    let chosen = PhotoChoice::from([(
        case.id,
        vec![
            photo_hash(&png()),
            photo_hash(&jpeg(2)),
            photo_hash(&jpeg(1)),
        ],
    )]);
    let document = report(&chosen);
    assert_eq!(
        photos_in(&document),
        vec![photo_hash(&jpeg(1)), photo_hash(&jpeg(2))]
    );
    let chosen = PhotoChoice::from([(case.id, vec![photo_hash(&png())])]);
    let document = report(&chosen);
    assert_eq!(photos_in(&document), vec![photo_hash(&png())]);

    // In the Word file: each photo's own bytes in word/media/, under the name its type
    // gives, declared, and placed in the text with its caption.
    let chosen = PhotoChoice::from([(case.id, vec![photo_hash(&jpeg(1)), photo_hash(&png())])]);
    let document = report(&chosen);
    let bytes: PhotoBytes = [jpeg(1), png()]
        .into_iter()
        .map(|b| (photo_hash(&b), b))
        .collect();
    let parts = zip_parts(&docx(&document, &bytes).unwrap());
    let media: Vec<(&String, &Vec<u8>)> = parts
        .iter()
        .filter(|(name, _)| name.starts_with("word/media/") && !name.ends_with('/'))
        .collect();
    assert_eq!(media.len(), 2, "{:?}", parts.keys());
    let by_hash: std::collections::BTreeMap<String, &String> = media
        .iter()
        .map(|(name, data)| (photo_hash(data), *name))
        .collect();
    let jpeg_part = by_hash[&photo_hash(&jpeg(1))];
    assert!(jpeg_part.ends_with(".jpg"), "{jpeg_part}");
    assert!(by_hash[&photo_hash(&png())].ends_with(".png"));
    let text = |name: &str| String::from_utf8(parts[name].clone()).unwrap();
    let relationships = text("word/_rels/document.xml.rels");
    let jpeg_target = jpeg_part.strip_prefix("word/").unwrap();
    assert!(
        relationships.contains(&format!("\"{jpeg_target}\"")),
        "{relationships}"
    );
    assert!(!relationships.contains(&jpeg_target.replace(".jpg", ".png")));
    assert!(text("[Content_Types].xml").contains(r#"Extension="jpg" ContentType="image/jpeg""#));
    let body = text("word/document.xml");
    assert_eq!(
        body.matches("<pic:pic").count(),
        2,
        "two pictures in the text"
    );
    assert!(body.contains("田间指导") && body.contains("合影"));
    // A photo this tablet does not have leaves no picture and no broken part.
    let parts = zip_parts(&docx(&document, &PhotoBytes::new()).unwrap());
    assert!(
        !parts
            .keys()
            .any(|name| name.starts_with("word/media/") && !name.ends_with('/'))
    );
}

#[test]
fn the_photos_chosen_are_kept_as_text_and_a_line_that_does_not_read_is_left_out() {
    use field_ledger::domain::photo::photo_hash;
    use field_ledger::domain::report::{photo_choice_from_text, photo_choice_text};
    use support::{jpeg, png};
    let choice = PhotoChoice::from([
        (id(1), vec![photo_hash(&jpeg(1)), photo_hash(&png())]),
        // Every photo left out: kept as such, not as "none chosen" (which shows the first).
        (id(2), vec![]),
    ]);
    let text = photo_choice_text(&choice);
    assert_eq!(text.lines().count(), 2, "{text}");
    assert_eq!(photo_choice_from_text(&text), choice);
    assert_eq!(photo_choice_from_text(""), PhotoChoice::new());
    // Hostile or damaged lines: an id that is not one, a hash that is not one, markup.
    let damaged = format!(
        "{text}not-an-id {h}\n{} {h} ../../etc\n<script>alert(1)</script>\n\n",
        id(3),
        h = photo_hash(&jpeg(2))
    );
    assert_eq!(photo_choice_from_text(&damaged), choice);
}
