//! Tables for Excel and WPS: UTF-8 with a byte-order mark (so that Chinese opens correctly),
//! one header row, and no cell that a spreadsheet would run as a formula.

/// Cells starting with one of these are formulas to a spreadsheet.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A cell as a spreadsheet should read it: a number stays a number (`-33.5` is a longitude,
/// not a formula); text that a spreadsheet would run as a formula gets a leading apostrophe,
/// which Excel and WPS hide and which makes them show the text as it is.
pub fn neutralise(cell: &str) -> String {
    let is_number = cell.parse::<f64>().is_ok_and(f64::is_finite) && !cell.starts_with('+');
    if cell.starts_with(FORMULA_STARTS) && !is_number {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

/// The CSV file for one table.
pub fn table(headers: &[impl AsRef<str>], rows: &[Vec<String>]) -> Result<String, csv::Error> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    writer.write_record(headers.iter().map(|h| neutralise(h.as_ref())))?;
    for row in rows {
        writer.write_record(row.iter().map(|cell| neutralise(cell)))?;
    }
    let bytes = writer.into_inner().map_err(|e| e.into_error())?;
    let mut text = String::from('\u{feff}');
    text.push_str(&String::from_utf8_lossy(&bytes));
    Ok(text)
}
