//! CSV entity tables: a header row, then one row per entity and year. Each column is read as
//! text (each distinct cell kept once); an empty cell is a missing one. The table's conventions
//! and typing are `table`'s.

use crate::table::{Cells, LabelsBuilder, Rows, Table, TableColumn, TableError, error};

/// Reads CSV text; `source` names it in messages (`schools.csv:12`, by line).
pub fn read(text: &str, source: &str) -> Result<Table, TableError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| error("invalid_csv", format!("{source}:1"), e.to_string()))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    for (i, h) in headers.iter().enumerate() {
        if headers.iter().take(i).any(|x| x == h) {
            return Err(error(
                "invalid_shape",
                format!("{source}:1"),
                format!("the column `{h}` appears twice in the header"),
            ));
        }
    }
    let mut columns: Vec<LabelsBuilder> =
        headers.iter().map(|_| LabelsBuilder::default()).collect();
    let mut lines = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            error("invalid_csv", format!("{source}:{line}"), e.to_string())
        })?;
        let line = record.position().map_or(0, |p| p.line());
        if record.len() != headers.len() {
            return Err(error(
                "invalid_shape",
                format!("{source}:{line}"),
                format!(
                    "the row has {} cells but the header {}",
                    record.len(),
                    headers.len()
                ),
            ));
        }
        for (column, cell) in columns.iter_mut().zip(record.iter()) {
            let cell = cell.trim();
            column.push((!cell.is_empty()).then_some(cell));
        }
        lines.push(line);
    }
    let columns = headers
        .into_iter()
        .zip(columns)
        .map(|(name, cells)| TableColumn {
            name,
            type_name: "text".into(),
            cells: Cells::Untyped(cells.finish()),
        })
        .collect();
    let len = lines.len();
    Ok(Table::new(source, columns, len, Rows::Lines(lines)))
}
