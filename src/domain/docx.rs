//! A report [`Document`] as a Word file (.docx) that Word and WPS open as the bureau's own
//! documents look: A4 with the 公文 margins, a 黑体 title and headings, 仿宋 body text with a
//! two-character first-line indent, real Word tables (宋体, the header row repeated on every
//! page, the 合计 row in bold), the typical cases' photos as pictures in the text (their own
//! bytes, in `word/media/`), and the closing lines on the right.

use std::io::{Cursor, Read, Write};

use docx_rs::{
    AlignmentType, BorderType, Docx, LineSpacing, LineSpacingType, PageMargin, Paragraph, Pic, Run,
    RunFonts, SpecialIndentType, Table as WordTable, TableAlignmentType, TableBorder,
    TableBorderPosition, TableBorders, TableCell, TableLayoutType, TableRow, VAlignType, WidthType,
};

use super::photo::{PhotoMime, sniff_image};
use super::report::{Block, Document, PhotoBytes, ReportPhoto, Table};

/// Fonts named as Word and WPS know them on Chinese systems.
const BODY_FONT: &str = "仿宋";
const HEADING_FONT: &str = "黑体";
const TABLE_FONT: &str = "宋体";
/// Sizes in half-points: 二号 for the title, 三号 for text, 五号 in tables.
const TITLE_SIZE: usize = 44;
const TEXT_SIZE: usize = 32;
const TABLE_SIZE: usize = 21;
/// Width of the text on A4 with these margins, in twips.
const TEXT_WIDTH: usize = 11906 - 1587 - 1474;

fn fonts(name: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(name)
        .ascii(name)
        .hi_ansi(name)
        .cs(name)
        .hint("eastAsia")
}

/// Exactly 28 pt between lines, as in the bureau's documents.
fn text_spacing() -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Exact)
        .line(560)
}

fn text_run(text: &str, font: &str, size: usize) -> Run {
    Run::new().add_text(text).fonts(fonts(font)).size(size)
}

fn paragraph(text: &str) -> Paragraph {
    Paragraph::new()
        .align(AlignmentType::Both)
        .line_spacing(text_spacing())
        // Two characters of 三号 (16 pt).
        .indent(None, Some(SpecialIndentType::FirstLine(640)), None, None)
        .add_run(text_run(text, BODY_FONT, TEXT_SIZE))
}

fn heading(text: &str, font: &str) -> Paragraph {
    Paragraph::new()
        .line_spacing(text_spacing())
        .indent(None, Some(SpecialIndentType::FirstLine(640)), None, None)
        .keep_next(true)
        .add_run(text_run(text, font, TEXT_SIZE))
}

fn cell(text: &str, bold: bool, width: usize) -> TableCell {
    let mut run = text_run(text, TABLE_FONT, TABLE_SIZE);
    if bold {
        run = run.bold();
    }
    TableCell::new()
        .vertical_align(VAlignType::Center)
        .width(width, WidthType::Dxa)
        .add_paragraph(Paragraph::new().align(AlignmentType::Center).add_run(run))
}

fn table(table: &Table) -> WordTable {
    let columns = table.header.len().max(1);
    let width = TEXT_WIDTH / columns;
    let row = |cells: &[String], bold: bool| {
        TableRow::new(cells.iter().map(|c| cell(c, bold, width)).collect()).cant_split()
    };
    let mut rows = vec![row(&table.header, true)];
    rows.extend(table.rows.iter().map(|r| row(r, false)));
    if let Some(total) = &table.total {
        rows.push(row(total, true));
    }
    let line = |position| {
        TableBorder::new(position)
            .size(4)
            .border_type(BorderType::Single)
            .color("000000")
    };
    WordTable::new(rows)
        .set_grid(vec![width; columns])
        .width(TEXT_WIDTH, WidthType::Dxa)
        .align(TableAlignmentType::Center)
        .layout(TableLayoutType::Fixed)
        .set_borders(
            TableBorders::new()
                .set(line(TableBorderPosition::Top))
                .set(line(TableBorderPosition::Bottom))
                .set(line(TableBorderPosition::Left))
                .set(line(TableBorderPosition::Right))
                .set(line(TableBorderPosition::InsideH))
                .set(line(TableBorderPosition::InsideV)),
        )
}

/// A picture at most 12 cm wide and 9 cm high on the page (in EMU, 360 000 to the cm).
const PHOTO_WIDTH: u64 = 12 * 360_000;
const PHOTO_HEIGHT: u64 = 9 * 360_000;
/// Captions in 四号 (14 pt).
const CAPTION_SIZE: usize = 28;

/// A photo centred on its own line, its caption under it; nothing when its bytes are not
/// here (a photo this tablet never received).
fn photo(photo: &ReportPhoto, bytes: Option<&Vec<u8>>) -> Vec<Paragraph> {
    let Some(bytes) = bytes else {
        return Vec::new();
    };
    let (w, h) = (
        u64::from(photo.width.max(1)),
        u64::from(photo.height.max(1)),
    );
    let width = PHOTO_WIDTH.min(PHOTO_HEIGHT * w / h);
    let height = width * h / w;
    let pic = Pic::new_with_dimensions(bytes.clone(), photo.width, photo.height).size(
        u32::try_from(width).unwrap_or(u32::MAX),
        u32::try_from(height).unwrap_or(u32::MAX),
    );
    let mut paragraphs = vec![
        Paragraph::new()
            .align(AlignmentType::Center)
            .keep_next(!photo.caption.is_empty())
            .add_run(Run::new().add_image(pic)),
    ];
    if !photo.caption.is_empty() {
        paragraphs.push(
            Paragraph::new()
                .align(AlignmentType::Center)
                .add_run(text_run(&photo.caption, BODY_FONT, CAPTION_SIZE)),
        );
    }
    paragraphs
}

/// docx-rs names every picture `word/media/<id>.png` ("for now only PNG"). A photo goes in
/// as the bytes it is given (a JPEG, or a WebP where the browser could not turn it into
/// one), so its part is renamed by what the bytes are, the document's relationships follow,
/// and the package declares the types.
fn media_by_type(packed: Vec<u8>) -> Result<Vec<u8>, String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(packed)).map_err(|e| e.to_string())?;
    let mut renamed: Vec<(String, String)> = Vec::new();
    let mut types = std::collections::BTreeSet::new();
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).map_err(|e| e.to_string())?;
        let Some(stem) = entry
            .name()
            .strip_prefix("word/media/")
            .and_then(|n| n.strip_suffix(".png"))
            .map(str::to_owned)
        else {
            continue;
        };
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).map_err(|e| e.to_string())?;
        let mime = match sniff_image(&bytes) {
            Ok(PhotoMime::Png) | Err(_) => continue,
            Ok(mime) => mime,
        };
        let extension = mime.extension();
        renamed.push((format!("{stem}.png"), format!("{stem}.{extension}")));
        types.insert(mime);
    }
    if renamed.is_empty() {
        return Ok(archive.into_inner().into_inner());
    }
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for index in 0..archive.len() {
        let name = archive
            .by_index(index)
            .map_err(|e| e.to_string())?
            .name()
            .to_owned();
        let text_part = name == "word/_rels/document.xml.rels" || name == "[Content_Types].xml";
        if text_part {
            let mut text = String::new();
            archive
                .by_index(index)
                .and_then(|mut e| e.read_to_string(&mut text).map_err(Into::into))
                .map_err(|e| e.to_string())?;
            for (from, to) in &renamed {
                text = text.replace(&format!("media/{from}\""), &format!("media/{to}\""));
            }
            if name.starts_with('[') {
                let defaults: String = types
                    .iter()
                    .map(|mime: &PhotoMime| {
                        format!(
                            "<Default Extension=\"{}\" ContentType=\"{}\" />",
                            mime.extension(),
                            mime.as_str()
                        )
                    })
                    .collect();
                text = text.replace("</Types>", &format!("{defaults}</Types>"));
            }
            out.start_file(name, options).map_err(|e| e.to_string())?;
            out.write_all(text.as_bytes()).map_err(|e| e.to_string())?;
            continue;
        }
        let entry = archive.by_index_raw(index).map_err(|e| e.to_string())?;
        let new_name = renamed
            .iter()
            .find(|(from, _)| name.strip_prefix("word/media/") == Some(from.as_str()))
            .map(|(_, to)| format!("word/media/{to}"));
        match new_name {
            Some(new_name) => out.raw_copy_file_rename(entry, new_name),
            None => out.raw_copy_file(entry),
        }
        .map_err(|e| e.to_string())?;
    }
    out.finish()
        .map(Cursor::into_inner)
        .map_err(|e| e.to_string())
}

/// docx-rs cannot mark a table's header row to repeat on every page: the first row of each
/// table is marked in the document's XML.
fn repeat_header_rows(document: &str) -> String {
    let mut out = String::with_capacity(document.len() + 64);
    let mut rest = document;
    while let Some(at) = rest.find("<w:tbl>") {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(row) = rest.find("<w:tr>") else {
            break;
        };
        let after = row + "<w:tr>".len();
        out.push_str(&rest[..after]);
        rest = &rest[after..];
        if let Some(tail) = rest.strip_prefix("<w:trPr />") {
            out.push_str("<w:trPr><w:tblHeader /></w:trPr>");
            rest = tail;
        } else if let Some(tail) = rest.strip_prefix("<w:trPr>") {
            out.push_str("<w:trPr><w:tblHeader />");
            rest = tail;
        }
    }
    out.push_str(rest);
    out
}

/// The .docx file of a report, its photos' bytes from `photos`.
pub fn docx(document: &Document, photos: &PhotoBytes) -> Result<Vec<u8>, String> {
    let mut docx = Docx::new()
        .page_size(11906, 16838)
        .page_margin(
            PageMargin::new()
                .top(2098)
                .bottom(1984)
                .left(1587)
                .right(1474)
                .header(851)
                .footer(992)
                .gutter(0),
        )
        .default_fonts(fonts(BODY_FONT))
        .default_size(TEXT_SIZE)
        .add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .line_spacing(
                    LineSpacing::new()
                        .line_rule(LineSpacingType::Exact)
                        .line(700),
                )
                .add_run(text_run(&document.title, HEADING_FONT, TITLE_SIZE)),
        );
    for line in &document.subtitle {
        docx = docx.add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .line_spacing(text_spacing())
                .add_run(text_run(line, BODY_FONT, TEXT_SIZE)),
        );
    }
    for block in &document.blocks {
        docx = match block {
            Block::Heading(text) => docx.add_paragraph(heading(text, HEADING_FONT)),
            Block::Subheading(text) => docx.add_paragraph(heading(text, BODY_FONT)),
            Block::Paragraph(text) => docx.add_paragraph(paragraph(text)),
            Block::Table(t) => docx.add_table(table(t)),
            Block::Photo(p) => photo(p, photos.get(&p.hash))
                .into_iter()
                .fold(docx, Docx::add_paragraph),
            Block::Closing(lines) => lines.iter().fold(docx, |docx, line| {
                docx.add_paragraph(
                    Paragraph::new()
                        .align(AlignmentType::Right)
                        .line_spacing(text_spacing())
                        .add_run(text_run(line, BODY_FONT, TEXT_SIZE)),
                )
            }),
        };
    }
    let mut xml = docx.build();
    let body = String::from_utf8(xml.document).map_err(|e| e.to_string())?;
    xml.document = repeat_header_rows(&body).into_bytes();
    let mut file = Cursor::new(Vec::new());
    xml.pack(&mut file).map_err(|e| e.to_string())?;
    media_by_type(file.into_inner())
}
