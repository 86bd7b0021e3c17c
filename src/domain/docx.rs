//! A report [`Document`] as a Word file (.docx) that Word and WPS open as the bureau's own
//! documents look: A4 with the 公文 margins, a 黑体 title and headings, 仿宋 body text with a
//! two-character first-line indent, real Word tables (宋体, the header row repeated on every
//! page, the 合计 row in bold), and the closing lines on the right.

use std::io::Cursor;

use docx_rs::{
    AlignmentType, BorderType, Docx, LineSpacing, LineSpacingType, PageMargin, Paragraph, Run,
    RunFonts, SpecialIndentType, Table as WordTable, TableAlignmentType, TableBorder,
    TableBorderPosition, TableBorders, TableCell, TableLayoutType, TableRow, VAlignType, WidthType,
};

use super::report::{Block, Document, Table};

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

/// The .docx file of a report.
pub fn docx(document: &Document) -> Result<Vec<u8>, String> {
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
    Ok(file.into_inner())
}
