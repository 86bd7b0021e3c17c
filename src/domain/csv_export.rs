//! Tables for Excel and WPS: UTF-8 with a byte-order mark (so that Chinese opens correctly),
//! one header row, and no cell that a spreadsheet would run as a formula.

/// Cells starting with one of these are formulas to a spreadsheet.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A cell as text a spreadsheet shows but never evaluates: a leading apostrophe (hidden by
/// Excel and WPS) neutralises a formula start. Numbers are written by the caller unprefixed,
/// since a negative number never occurs in the ledger.
pub fn neutralise(cell: &str) -> String {
    if cell.starts_with(FORMULA_STARTS) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

/// The CSV file for one table.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> Result<String, csv::Error> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    writer.write_record(headers.iter().map(|h| neutralise(h)))?;
    for row in rows {
        writer.write_record(row.iter().map(|cell| neutralise(cell)))?;
    }
    let bytes = writer.into_inner().map_err(|e| e.into_error())?;
    let mut text = String::from('\u{feff}');
    text.push_str(&String::from_utf8_lossy(&bytes));
    Ok(text)
}
