//! Parquet entity tables: the same conventions as CSV (`table`), read column by column with the
//! parquet crate's column readers into the columns the core takes, with no object per row.
//!
//! Each column keeps the type it was written with (as a typed column from Python does):
//!
//! | Parquet | cells |
//! |---|---|
//! | `BOOLEAN` | flags |
//! | `INT32`, `INT64`, signed or unsigned, any width | whole numbers (an unsigned 64-bit value above 2⁶³ − 1 is refused) |
//! | `DECIMAL` (on `INT32`, `INT64`, `BYTE_ARRAY`, `FIXED_LEN_BYTE_ARRAY`) | exact decimals with the column's scale (a value beyond 28 digits is refused) |
//! | `FLOAT`, `DOUBLE` | decimals read from each value's shortest text, as Python reads a float (`3.5`, `900`); NaN is missing, an infinity is refused |
//! | `BYTE_ARRAY` (`STRING`, `ENUM`, `JSON`, or unannotated), dictionary-encoded or not | text (pandas categoricals, polars `Categorical` and `Enum`) |
//! | `DATE` | text, `YYYY-MM-DD` (not a year: `year` wants whole numbers) |
//! | `TIMESTAMP` (milli-, micro- or nanoseconds), legacy `INT96` | text, `YYYY-MM-DDTHH:MM:SS`, a fraction of a second only when there is one (`.5`, `.000123`), and `Z` when the timestamp is adjusted to UTC |
//!
//! A timestamp is text as Python reads the same column (`updated_at` of an export is then an
//! unknown field, warned about once, instead of failing the file). A null is a missing cell.
//! Nested columns (lists, structs, maps), times, `FLOAT16`, `UUID` and `INTERVAL` are refused
//! by name. Pages compressed with snappy (pandas'
//! and pyarrow's default), zstd (polars'), gzip or lz4 are read; brotli and LZO are refused by
//! name. Rows are counted from 0 in messages (`schools.parquet:row 11`), as pandas and polars
//! count them.
//!
//! The parquet crate returns errors for the damaged files it was fuzzed with; a reader panic on
//! some other damage is caught here and reported as a damaged file, never as a crash.

use std::panic::{AssertUnwindSafe, catch_unwind};

use bytes::Bytes;
use parquet::basic::{Compression, ConvertedType, LogicalType, TimeUnit, Type as Physical};
use parquet::column::reader::{ColumnReader, ColumnReaderImpl};
use parquet::data_type::DataType;
use parquet::file::reader::FileReader;
use parquet::file::serialized_reader::SerializedFileReader;
use parquet::schema::types::ColumnDescriptor;
use plan_rules::Date;
use plan_rules::number::{parse_decimal, shortest_text};
use rust_decimal::Decimal;

use crate::table::{Cells, LabelsBuilder, Rows, Table, TableColumn, TableError, error};

/// The values read from a column chunk at a time.
const BATCH: usize = 8192;

/// The rows reserved ahead for a column (a file's own count is not trusted beyond this).
const RESERVE: usize = 1 << 20;

/// How a column's values become cells.
#[derive(Debug, Clone, Copy)]
enum Reading {
    Flags,
    Int32 {
        unsigned: bool,
    },
    Int64 {
        unsigned: bool,
    },
    /// An unscaled whole number (`INT32`, `INT64` or big-endian bytes) and its scale.
    Decimal(u32),
    Date,
    /// Ticks since 1970-01-01T00:00:00 (`per_second` of them a second); `utc`: adjusted to UTC.
    Timestamp {
        per_second: i64,
        utc: bool,
    },
    /// The legacy 12-byte timestamp (nanosecond of the day, Julian day), as Spark writes it.
    Int96,
    Float,
    Double,
    Text,
}

/// The cells of a column as they are read.
enum Builder {
    Ints {
        values: Vec<i64>,
        missing: Vec<bool>,
    },
    Decimals(Vec<Option<Decimal>>),
    Flags(Vec<Option<bool>>),
    Text(LabelsBuilder),
}

impl Builder {
    fn new(reading: Reading, rows: usize) -> Builder {
        let rows = rows.min(RESERVE);
        match reading {
            Reading::Flags => Builder::Flags(Vec::with_capacity(rows)),
            Reading::Int32 { .. } | Reading::Int64 { .. } => Builder::Ints {
                values: Vec::with_capacity(rows),
                missing: Vec::with_capacity(rows),
            },
            Reading::Decimal(_) | Reading::Float | Reading::Double => {
                Builder::Decimals(Vec::with_capacity(rows))
            }
            Reading::Date | Reading::Text | Reading::Timestamp { .. } | Reading::Int96 => {
                Builder::Text(LabelsBuilder::default())
            }
        }
    }

    fn finish(self) -> Cells {
        match self {
            Builder::Ints { values, missing } => Cells::Ints { values, missing },
            Builder::Decimals(v) => Cells::Decimals(v),
            Builder::Flags(v) => Cells::Flags(v),
            Builder::Text(t) => Cells::Text(t.finish()),
        }
    }
}

/// A column being read: its name and type, for messages.
struct Source<'a> {
    file: &'a str,
    name: &'a str,
    type_name: &'a str,
}

impl Source<'_> {
    /// A value that cannot be read exactly, at a row counted from 0.
    fn value(&self, row: usize, text: &str, problem: &str) -> TableError {
        error(
            "invalid_value",
            format!("{}:row {row}", self.file),
            format!(
                "`{text}` in column `{}` ({}) {problem}",
                self.name, self.type_name
            ),
        )
    }

    /// A damaged column chunk.
    fn broken(&self, what: impl std::fmt::Display) -> TableError {
        error(
            "invalid_parquet",
            self.file.to_string(),
            format!(
                "the column `{}` cannot be read: {what} (the file is damaged)",
                self.name
            ),
        )
    }
}

/// Reads a Parquet file's bytes; `source` names it in messages.
pub fn read(bytes: Vec<u8>, source: &str) -> Result<Table, TableError> {
    guarded(source, || read_file(bytes, source))
}

/// `read` with a panic of the reader caught (and not printed) and reported as a damaged file.
fn guarded(
    source: &str,
    read: impl FnOnce() -> Result<Table, TableError>,
) -> Result<Table, TableError> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let outcome = catch_unwind(AssertUnwindSafe(read));
    std::panic::set_hook(hook);
    outcome.unwrap_or_else(|panic| {
        let why = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(error(
            "invalid_parquet",
            source.to_string(),
            format!("the Parquet reader failed on this file ({why}): it is damaged"),
        ))
    })
}

/// Why bytes that are not a Parquet file are not, with a hint at what they are.
fn not_parquet(bytes: &[u8], source: &str) -> Option<TableError> {
    const MAGIC: &[u8] = b"PAR1";
    let refuse = |message: String| Some(error("invalid_parquet", source.to_string(), message));
    if bytes.is_empty() {
        return refuse("the file is empty (0 bytes): not a Parquet file".into());
    }
    if bytes.starts_with(MAGIC) && bytes.ends_with(b"PARE") {
        return refuse("the file is encrypted Parquet, which is not read".into());
    }
    if bytes.starts_with(MAGIC) && bytes.len() >= 12 && bytes.ends_with(MAGIC) {
        return None;
    }
    if bytes.starts_with(MAGIC) {
        return refuse(format!(
            "the file is cut short ({} bytes): it begins as Parquet but does not end with the \
             `PAR1` footer",
            bytes.len()
        ));
    }
    let head = bytes.get(..4096).unwrap_or(bytes);
    let text = std::str::from_utf8(head)
        .ok()
        .or_else(|| std::str::from_utf8(head.get(..head.len().saturating_sub(3))?).ok());
    let hint = match text.map(str::trim_start) {
        Some(t) if t.starts_with('{') => "; it looks like JSON: pass --data-format json",
        Some(t) if t.lines().next().is_some_and(|l| l.contains(',')) => {
            "; it looks like CSV: pass --data-format csv"
        }
        _ => "",
    };
    refuse(format!(
        "not a Parquet file (a Parquet file begins and ends with `PAR1`){hint}"
    ))
}

fn read_file(bytes: Vec<u8>, source: &str) -> Result<Table, TableError> {
    if let Some(e) = not_parquet(&bytes, source) {
        return Err(e);
    }
    let whole = |code: &'static str, message: String| error(code, source.to_string(), message);
    let reader = SerializedFileReader::new(Bytes::from(bytes)).map_err(|e| {
        whole(
            "invalid_parquet",
            format!("the file cannot be read as Parquet: {e}"),
        )
    })?;
    let metadata = reader.metadata();
    let schema = metadata.file_metadata().schema_descr();
    for field in schema.root_schema().get_fields() {
        if field.is_group() {
            return Err(whole(
                "invalid_type",
                format!(
                    "the column `{}` is nested (a list, struct or map): expected one value per \
                     row",
                    field.name()
                ),
            ));
        }
    }
    let descriptors = schema.columns();
    let mut readings = Vec::with_capacity(descriptors.len());
    for (i, descr) in descriptors.iter().enumerate() {
        let name = descr.name();
        if descriptors.iter().take(i).any(|d| d.name() == name) {
            return Err(whole(
                "invalid_shape",
                format!("the column `{name}` appears twice in the schema"),
            ));
        }
        let type_name = type_name(descr);
        if descr.max_rep_level() > 0 || descr.path().parts().len() != 1 {
            return Err(whole(
                "invalid_type",
                format!(
                    "the column `{name}` is nested (a list, struct or map): expected one value \
                     per row"
                ),
            ));
        }
        let reading = reading(descr).map_err(|why| {
            whole(
                "invalid_type",
                format!(
                    "the column `{name}` holds {type_name} values, which are not read{why}: \
                     expected whole numbers, decimals, floats, booleans, text or dates (drop \
                     or convert the column)"
                ),
            )
        })?;
        readings.push((reading, type_name));
    }
    // Brotli and LZO are not built in: say so, rather than call the file damaged.
    for group in metadata.row_groups() {
        for chunk in group.columns() {
            let codec = match chunk.compression() {
                Compression::BROTLI(_) => "brotli",
                Compression::LZO => "LZO",
                _ => continue,
            };
            return Err(whole(
                "invalid_parquet",
                format!(
                    "the column `{}` is compressed with {codec}, which is not read (snappy, \
                     zstd, gzip, lz4 and none are): write the file with one of those",
                    chunk.column_descr().name()
                ),
            ));
        }
    }
    let groups: Vec<usize> = metadata
        .row_groups()
        .iter()
        .map(|g| usize::try_from(g.num_rows()))
        .collect::<Result<_, _>>()
        .map_err(|_| {
            whole(
                "invalid_parquet",
                "a row group has a negative number of rows (the file is damaged)".into(),
            )
        })?;
    let rows = groups
        .iter()
        .try_fold(0usize, |all, g| all.checked_add(*g))
        .ok_or_else(|| {
            whole(
                "invalid_parquet",
                "the row groups claim more rows than can be counted (the file is damaged)".into(),
            )
        })?;
    let mut columns = Vec::with_capacity(readings.len());
    for (i, (descr, (reading, type_name))) in descriptors.iter().zip(readings).enumerate() {
        let column = Source {
            file: source,
            name: descr.name(),
            type_name: &type_name,
        };
        let mut builder = Builder::new(reading, rows);
        let mut start = 0;
        for (g, count) in groups.iter().enumerate() {
            let chunk = reader
                .get_row_group(g)
                .and_then(|group| group.get_column_reader(i))
                .map_err(|e| column.broken(e))?;
            let max_def = descr.max_def_level();
            read_chunk(
                chunk,
                reading,
                &mut builder,
                &column,
                Span {
                    start,
                    rows: *count,
                    max_def,
                },
            )?;
            start += count;
        }
        columns.push(TableColumn {
            name: descr.name().to_string(),
            type_name: type_name.clone(),
            cells: builder.finish(),
        });
    }
    Ok(Table::new(source, columns, rows, Rows::Counted))
}

/// The type of a column as Parquet names it: `INT64`, `INT32 (UINT32)`, `BYTE_ARRAY (STRING)`,
/// `FIXED_LEN_BYTE_ARRAY (DECIMAL(38,2))`.
fn type_name(descr: &ColumnDescriptor) -> String {
    let physical = descr.physical_type();
    let logical = match descr.logical_type_ref() {
        None => match descr.converted_type() {
            ConvertedType::NONE => None,
            ConvertedType::DECIMAL => Some(format!(
                "DECIMAL({},{})",
                descr.type_precision(),
                descr.type_scale()
            )),
            other => Some(other.to_string()),
        },
        Some(LogicalType::String) => Some("STRING".into()),
        Some(LogicalType::Enum) => Some("ENUM".into()),
        Some(LogicalType::Json) => Some("JSON".into()),
        Some(LogicalType::Bson) => Some("BSON".into()),
        Some(LogicalType::Uuid) => Some("UUID".into()),
        Some(LogicalType::Float16) => Some("FLOAT16".into()),
        Some(LogicalType::Date) => Some("DATE".into()),
        Some(LogicalType::Time(_)) => Some("TIME".into()),
        Some(LogicalType::Timestamp(_)) => Some("TIMESTAMP".into()),
        Some(LogicalType::Integer(t)) => Some(format!(
            "{}INT{}",
            if t.is_signed { "" } else { "U" },
            t.bit_width
        )),
        Some(LogicalType::Decimal(d)) => Some(format!("DECIMAL({},{})", d.precision, d.scale)),
        Some(other) => Some(format!("{other:?}").to_uppercase()),
    };
    match logical {
        Some(l) => format!("{physical} ({l})"),
        None => physical.to_string(),
    }
}

/// How a column is read, or why it is not (`""`, or a reason in brackets after a space).
fn reading(descr: &ColumnDescriptor) -> Result<Reading, String> {
    let decimal = |scale: i32| match u32::try_from(scale) {
        Ok(s) if s <= 28 => Ok(Reading::Decimal(s)),
        _ => Err(format!(
            " (a scale of {scale} digits; the engine's decimals hold at most 28)"
        )),
    };
    let logical = descr.logical_type_ref();
    let converted = descr.converted_type();
    match (descr.physical_type(), logical) {
        (_, Some(LogicalType::Decimal(d))) => decimal(d.scale),
        (_, None) if converted == ConvertedType::DECIMAL => decimal(descr.type_scale()),
        (Physical::BOOLEAN, None) => Ok(Reading::Flags),
        (Physical::INT32, Some(LogicalType::Integer(t))) => Ok(Reading::Int32 {
            unsigned: !t.is_signed,
        }),
        (Physical::INT64, Some(LogicalType::Integer(t))) => Ok(Reading::Int64 {
            unsigned: !t.is_signed,
        }),
        (Physical::INT32, Some(LogicalType::Date)) => Ok(Reading::Date),
        (Physical::INT32, None) => match converted {
            ConvertedType::NONE
            | ConvertedType::INT_8
            | ConvertedType::INT_16
            | ConvertedType::INT_32 => Ok(Reading::Int32 { unsigned: false }),
            ConvertedType::UINT_8 | ConvertedType::UINT_16 | ConvertedType::UINT_32 => {
                Ok(Reading::Int32 { unsigned: true })
            }
            ConvertedType::DATE => Ok(Reading::Date),
            _ => Err(String::new()),
        },
        (Physical::INT64, Some(LogicalType::Timestamp(t))) => Ok(Reading::Timestamp {
            per_second: match t.unit {
                TimeUnit::MILLIS => 1_000,
                TimeUnit::MICROS => 1_000_000,
                TimeUnit::NANOS => 1_000_000_000,
            },
            utc: t.is_adjusted_to_u_t_c,
        }),
        (Physical::INT64, None) => match converted {
            ConvertedType::NONE | ConvertedType::INT_64 => Ok(Reading::Int64 { unsigned: false }),
            ConvertedType::UINT_64 => Ok(Reading::Int64 { unsigned: true }),
            // The legacy annotations are adjusted to UTC.
            ConvertedType::TIMESTAMP_MILLIS => Ok(Reading::Timestamp {
                per_second: 1_000,
                utc: true,
            }),
            ConvertedType::TIMESTAMP_MICROS => Ok(Reading::Timestamp {
                per_second: 1_000_000,
                utc: true,
            }),
            _ => Err(String::new()),
        },
        (Physical::INT96, None) => Ok(Reading::Int96),
        (Physical::FLOAT, None) => Ok(Reading::Float),
        (Physical::DOUBLE, None) => Ok(Reading::Double),
        (
            Physical::BYTE_ARRAY,
            None | Some(LogicalType::String | LogicalType::Enum | LogicalType::Json),
        ) => match converted {
            ConvertedType::NONE
            | ConvertedType::UTF8
            | ConvertedType::ENUM
            | ConvertedType::JSON => Ok(Reading::Text),
            _ => Err(String::new()),
        },
        _ => Err(String::new()),
    }
}

/// Where a column chunk's rows are: the table row of its first, how many, and the definition
/// level of a present value.
#[derive(Clone, Copy)]
struct Span {
    start: usize,
    rows: usize,
    max_def: i16,
}

/// Reads one column chunk into the column's cells.
fn read_chunk(
    chunk: ColumnReader,
    reading: Reading,
    builder: &mut Builder,
    column: &Source<'_>,
    span: Span,
) -> Result<(), TableError> {
    let ints = |values: &mut Vec<i64>, missing: &mut Vec<bool>, v: Option<i64>| {
        values.push(v.unwrap_or(0));
        missing.push(v.is_none());
    };
    match (chunk, reading, builder) {
        (ColumnReader::BoolColumnReader(r), Reading::Flags, Builder::Flags(out)) => {
            each(r, column, span, |_, v| {
                out.push(v.copied());
                Ok(())
            })
        }
        (
            ColumnReader::Int32ColumnReader(r),
            Reading::Int32 { unsigned },
            Builder::Ints { values, missing },
        ) => each(r, column, span, |_, v| {
            let v = v.map(|v| {
                if unsigned {
                    i64::from(*v as u32)
                } else {
                    i64::from(*v)
                }
            });
            ints(values, missing, v);
            Ok(())
        }),
        (
            ColumnReader::Int64ColumnReader(r),
            Reading::Int64 { unsigned },
            Builder::Ints { values, missing },
        ) => each(r, column, span, |row, v| {
            if let Some(v) = v
                && unsigned
                && *v < 0
            {
                return Err(column.value(
                    row,
                    &(*v as u64).to_string(),
                    &format!(
                        "is beyond the largest whole number the engine reads exactly ({})",
                        i64::MAX
                    ),
                ));
            }
            ints(values, missing, v.copied());
            Ok(())
        }),
        (ColumnReader::Int32ColumnReader(r), Reading::Date, Builder::Text(out)) => {
            each(r, column, span, |row, v| {
                let Some(days) = v else {
                    out.push(None);
                    return Ok(());
                };
                let date = Date::from_unix_days(i64::from(*days)).ok_or_else(|| {
                    column.value(row, &days.to_string(), "is not a date the engine reads")
                })?;
                out.push(Some(&date.to_string()));
                Ok(())
            })
        }
        (
            ColumnReader::Int64ColumnReader(r),
            Reading::Timestamp { per_second, utc },
            Builder::Text(out),
        ) => each(r, column, span, |row, v| {
            let Some(&ticks) = v else {
                out.push(None);
                return Ok(());
            };
            let seconds = ticks.div_euclid(per_second);
            let nanos = ticks.rem_euclid(per_second) * (1_000_000_000 / per_second);
            let text = timestamp_text(
                seconds.div_euclid(SECONDS_A_DAY),
                seconds.rem_euclid(SECONDS_A_DAY) * 1_000_000_000 + nanos,
                utc,
            )
            .ok_or_else(|| {
                column.value(row, &ticks.to_string(), "is not a time the engine reads")
            })?;
            out.push(Some(&text));
            Ok(())
        }),
        (ColumnReader::Int96ColumnReader(r), Reading::Int96, Builder::Text(out)) => {
            each(r, column, span, |row, v| {
                let Some(v) = v else {
                    out.push(None);
                    return Ok(());
                };
                let [low, high, julian_day] = *v.data() else {
                    return Err(column.broken("an INT96 value is not 12 bytes"));
                };
                let nanos = (i64::from(high) << 32) | i64::from(low);
                let text = timestamp_text(i64::from(julian_day) - JULIAN_DAY_OF_1970, nanos, false)
                    .ok_or_else(|| {
                        column.value(
                            row,
                            &format!("day {julian_day}, nanosecond {nanos}"),
                            "is not a time the engine reads",
                        )
                    })?;
                out.push(Some(&text));
                Ok(())
            })
        }
        (ColumnReader::Int32ColumnReader(r), Reading::Decimal(scale), Builder::Decimals(out)) => {
            each(r, column, span, |row, v| {
                out.push(
                    v.map(|v| decimal(i128::from(*v), scale, row, column))
                        .transpose()?,
                );
                Ok(())
            })
        }
        (ColumnReader::Int64ColumnReader(r), Reading::Decimal(scale), Builder::Decimals(out)) => {
            each(r, column, span, |row, v| {
                out.push(
                    v.map(|v| decimal(i128::from(*v), scale, row, column))
                        .transpose()?,
                );
                Ok(())
            })
        }
        (
            ColumnReader::ByteArrayColumnReader(r),
            Reading::Decimal(scale),
            Builder::Decimals(out),
        ) => each(r, column, span, |row, v| {
            out.push(
                v.map(|v| big_endian_decimal(v.as_ref(), scale, row, column))
                    .transpose()?,
            );
            Ok(())
        }),
        (
            ColumnReader::FixedLenByteArrayColumnReader(r),
            Reading::Decimal(scale),
            Builder::Decimals(out),
        ) => each(r, column, span, |row, v| {
            out.push(
                v.map(|v| big_endian_decimal(v.as_ref(), scale, row, column))
                    .transpose()?,
            );
            Ok(())
        }),
        (ColumnReader::FloatColumnReader(r), Reading::Float, Builder::Decimals(out)) => {
            each(r, column, span, |row, v| {
                let v = v.filter(|v| !v.is_nan());
                out.push(
                    v.map(|v| float_decimal(shortest_text(*v), v, row, column))
                        .transpose()?,
                );
                Ok(())
            })
        }
        (ColumnReader::DoubleColumnReader(r), Reading::Double, Builder::Decimals(out)) => {
            each(r, column, span, |row, v| {
                let v = v.filter(|v| !v.is_nan());
                out.push(
                    v.map(|v| float_decimal(shortest_text(*v), v, row, column))
                        .transpose()?,
                );
                Ok(())
            })
        }
        (ColumnReader::ByteArrayColumnReader(r), Reading::Text, Builder::Text(out)) => {
            each(r, column, span, |row, v| {
                let text = v
                    .map(|v| {
                        v.as_utf8().map_err(|_| {
                            column.value(
                                row,
                                &hex(v.as_ref()),
                                "is not UTF-8 text (binary data is not read)",
                            )
                        })
                    })
                    .transpose()?;
                out.push(text);
                Ok(())
            })
        }
        _ => Err(column.broken("its pages are not of the column's type")),
    }
}

const SECONDS_A_DAY: i64 = 86_400;

/// The Julian day number of 1970-01-01 (INT96 timestamps count days from the Julian epoch).
const JULIAN_DAY_OF_1970: i64 = 2_440_588;

/// A timestamp as text: `YYYY-MM-DDTHH:MM:SS`, then `.` and the fraction of a second without
/// its trailing zeros when there is one, then `Z` when `utc`; `None` for a day the engine's
/// dates do not reach (years 1 to 9999) or a time of day out of range.
fn timestamp_text(days: i64, nanos_of_day: i64, utc: bool) -> Option<String> {
    if !(0..SECONDS_A_DAY * 1_000_000_000).contains(&nanos_of_day) {
        return None;
    }
    let date = Date::from_unix_days(days)?;
    let seconds = nanos_of_day / 1_000_000_000;
    let mut text = format!(
        "{date}T{:02}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    );
    let fraction = nanos_of_day % 1_000_000_000;
    if fraction != 0 {
        let digits = format!("{fraction:09}");
        text.push('.');
        text.push_str(digits.trim_end_matches('0'));
    }
    if utc {
        text.push('Z');
    }
    Some(text)
}

/// Reads every row of a column chunk: `cell` gets each row (of the table) and its value, or
/// `None` for a null.
fn each<T: DataType>(
    mut reader: ColumnReaderImpl<T>,
    column: &Source<'_>,
    span: Span,
    mut cell: impl FnMut(usize, Option<&T::T>) -> Result<(), TableError>,
) -> Result<(), TableError> {
    let mut values: Vec<T::T> = Vec::with_capacity(BATCH.min(span.rows));
    let mut levels: Vec<i16> = Vec::with_capacity(BATCH.min(span.rows));
    let mut done = 0;
    while done < span.rows {
        values.clear();
        levels.clear();
        let want = (span.rows - done).min(BATCH);
        let (records, read, _) = reader
            .read_records(want, Some(&mut levels), None, &mut values)
            .map_err(|e| column.broken(e))?;
        if records == 0 || records > want {
            return Err(column.broken(format_args!(
                "it ends after {done} of its {} rows",
                span.rows
            )));
        }
        if span.max_def > 0 {
            if levels.len() != records || values.len() != read {
                return Err(column.broken("its levels and values disagree"));
            }
            let mut next = values.iter();
            for level in &levels {
                let value = if *level == span.max_def {
                    Some(
                        next.next()
                            .ok_or_else(|| column.broken("it has fewer values than rows"))?,
                    )
                } else {
                    None
                };
                cell(span.start + done, value)?;
                done += 1;
            }
        } else {
            if values.len() != records {
                return Err(column.broken("it has fewer values than rows"));
            }
            for value in &values {
                cell(span.start + done, Some(value))?;
                done += 1;
            }
        }
    }
    Ok(())
}

/// An unscaled whole number with a scale as a decimal, refusing one beyond the engine's 28
/// digits.
fn decimal(
    unscaled: i128,
    scale: u32,
    row: usize,
    column: &Source<'_>,
) -> Result<Decimal, TableError> {
    Decimal::try_from_i128_with_scale(unscaled, scale).map_err(|_| {
        column.value(
            row,
            &scaled_text(unscaled, scale),
            "has more digits than the engine's exact decimals hold (28)",
        )
    })
}

/// The text of an unscaled whole number with a scale (`12345`, 2: `123.45`).
fn scaled_text(unscaled: i128, scale: u32) -> String {
    scaled(&unscaled.to_string(), scale)
}

/// A decimal written as big-endian two's complement bytes (`BYTE_ARRAY`,
/// `FIXED_LEN_BYTE_ARRAY`).
fn big_endian_decimal(
    bytes: &[u8],
    scale: u32,
    row: usize,
    column: &Source<'_>,
) -> Result<Decimal, TableError> {
    let negative = bytes.first().is_some_and(|b| b & 0x80 != 0);
    let fill = if negative { 0xff } else { 0x00 };
    let (high, low) = bytes.split_at(bytes.len().saturating_sub(16));
    // Bytes beyond 16 must only repeat the sign, and the 16 kept must have the same sign.
    let low_negative = low.first().is_some_and(|b| b & 0x80 != 0);
    if high.iter().any(|b| *b != fill) || (!high.is_empty() && low_negative != negative) {
        let text = scaled(&big_endian_text(bytes), scale);
        return Err(column.value(
            row,
            &text,
            "has more digits than the engine's exact decimals hold (28)",
        ));
    }
    let mut word = [fill; 16];
    if let Some(tail) = word.get_mut(16 - low.len()..) {
        tail.copy_from_slice(low);
    }
    decimal(i128::from_be_bytes(word), scale, row, column)
}

/// The decimal digits (and sign) of a big-endian two's complement whole number of any width.
fn big_endian_text(bytes: &[u8]) -> String {
    let negative = bytes.first().is_some_and(|b| b & 0x80 != 0);
    let mut magnitude: Vec<u8> = bytes.to_vec();
    if negative {
        // Two's complement: invert, then add one.
        let mut carry = true;
        for b in magnitude.iter_mut().rev() {
            *b = !*b;
            if carry {
                let (sum, over) = b.overflowing_add(1);
                *b = sum;
                carry = over;
            }
        }
    }
    let mut digits = Vec::new();
    while magnitude.iter().any(|b| *b != 0) {
        let mut remainder = 0u32;
        for b in magnitude.iter_mut() {
            let value = (remainder << 8) | u32::from(*b);
            *b = u8::try_from(value / 10).unwrap_or(0);
            remainder = value % 10;
        }
        digits.push(char::from(b'0' + u8::try_from(remainder).unwrap_or(0)));
    }
    if digits.is_empty() {
        digits.push('0');
    }
    let digits: String = digits.iter().rev().collect();
    if negative {
        format!("-{digits}")
    } else {
        digits
    }
}

/// Whole-number text (`-12345`) with the point placed `scale` digits from the right.
fn scaled(whole: &str, scale: u32) -> String {
    let (sign, digits) = match whole.strip_prefix('-') {
        Some(d) => ("-", d),
        None => ("", whole),
    };
    let scale = scale as usize;
    if scale == 0 {
        return format!("{sign}{digits}");
    }
    let padded = format!("{digits:0>width$}", width = scale + 1);
    let (int, fraction) = padded.split_at(padded.len() - scale);
    format!("{sign}{int}.{fraction}")
}

/// Bytes as hexadecimal, the first 16 of them: `0xfffe`.
fn hex(bytes: &[u8]) -> String {
    let shown: String = bytes.iter().take(16).map(|b| format!("{b:02x}")).collect();
    let more = if bytes.len() > 16 { "…" } else { "" };
    format!("0x{shown}{more}")
}

/// A float (`finite`, its shortest text) as the decimal that text reads as, as Python reads a
/// float: `3.5`, `900`.
/// A float's decimal: its shortest text (`shortest`, `None` when it is not finite) read
/// exactly.
fn float_decimal(
    shortest: Option<String>,
    value: impl std::fmt::Display,
    row: usize,
    column: &Source<'_>,
) -> Result<Decimal, TableError> {
    let Some(text) = shortest else {
        return Err(column.value(row, &value.to_string(), "is not a finite number"));
    };
    parse_decimal(&text)
        .map_err(|e| column.value(row, &text, &format!("cannot be read exactly: {e}")))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    const COLUMN: Source<'static> = Source {
        file: "t.parquet",
        name: "x",
        type_name: "T",
    };

    #[test]
    fn decimals_from_big_endian_bytes() {
        let d = |bytes: &[u8], scale| big_endian_decimal(bytes, scale, 0, &COLUMN);
        assert_eq!(d(&[0x04, 0xd2], 2).unwrap().to_string(), "12.34");
        assert_eq!(d(&[0xfb, 0x2e], 2).unwrap().to_string(), "-12.34");
        assert_eq!(d(&[], 0).unwrap().to_string(), "0");
        let mut wide = [0u8; 32];
        wide[31] = 7;
        assert_eq!(d(&wide, 1).unwrap().to_string(), "0.7");
        let mut negative = [0xffu8; 32];
        negative[31] = 0xf9;
        assert_eq!(d(&negative, 1).unwrap().to_string(), "-0.7");
        wide[0] = 1;
        let e = d(&wide, 0).unwrap_err();
        assert_eq!(e.code, "invalid_value");
        assert!(
            e.message.starts_with(
                "`452312848583266388373324160190187140051835877600158453279131187530910662663` in"
            ),
            "{}",
            e.message
        );
        assert_eq!(big_endian_text(&[0xff; 20]), "-1");
        assert_eq!(big_endian_text(&[0x80, 0, 0]), "-8388608");
        assert_eq!(big_endian_text(&[]), "0");
        // 2^96 does not fit the engine's decimals.
        let mut big = [0u8; 16];
        big[3] = 1;
        let e = d(&big, 0).unwrap_err();
        assert!(
            e.message
                .starts_with("`79228162514264337593543950336` in column `x`"),
            "{}",
            e.message
        );
    }

    #[test]
    fn scaled_text_places_the_point() {
        assert_eq!(scaled_text(12345, 2), "123.45");
        assert_eq!(scaled_text(-5, 3), "-0.005");
        assert_eq!(scaled_text(7, 0), "7");
    }

    #[test]
    fn floats_read_as_their_shortest_text() {
        let f = |v: f64| float_decimal(shortest_text(v), v, 0, &COLUMN);
        assert_eq!(f(900.0).unwrap().to_string(), "900");
        // -134310626912275.625 exactly, a tie between two shortest texts: the even digit, as
        // pandas and polars show it.
        assert_eq!(
            f(f64::from_bits(0xc2de_89e8_4d3a_04e8))
                .unwrap()
                .to_string(),
            "-134310626912275.62"
        );
        assert_eq!(
            float_decimal(shortest_text(0.1f32), 0.1f32, 0, &COLUMN)
                .unwrap()
                .to_string(),
            "0.1"
        );
        assert_eq!(f(3.5).unwrap().to_string(), "3.5");
        assert_eq!(f(0.1).unwrap().to_string(), "0.1");
        assert_eq!(f(f64::INFINITY).unwrap_err().code, "invalid_value");
        assert_eq!(f(1e30).unwrap_err().code, "invalid_value");
    }

    #[test]
    fn a_reader_panic_is_a_damaged_file() {
        #[allow(clippy::panic)]
        let e = guarded("t.parquet", || panic!("no dictionary")).unwrap_err();
        assert_eq!(e.code, "invalid_parquet");
        assert_eq!(e.location, "t.parquet");
        assert_eq!(
            e.message,
            "the Parquet reader failed on this file (no dictionary): it is damaged"
        );
    }

    /// Every byte of the real writers' fixtures damaged in turn, and every length cut short:
    /// each read ends in a table or an error, never a panic. (The parquet crate 60.1 panics on
    /// some of them: `guarded` turns those into `invalid_parquet`.)
    #[test]
    fn damaged_fixtures_are_errors_not_panics() {
        let mut caught = 0;
        for name in [
            "schools-pyarrow.parquet",
            "schools-polars.parquet",
            "schools-long-pyarrow.parquet",
        ] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures")
                .join(name);
            let good = std::fs::read(path).unwrap();
            for at in 0..good.len() {
                let mut damaged = Vec::new();
                for x in [0x01u8, 0xff] {
                    let mut bytes = good.clone();
                    bytes[at] ^= x;
                    damaged.push(bytes);
                }
                damaged.push(good[..at].to_vec());
                for bytes in damaged {
                    if let Err(e) = read(bytes, "t.parquet") {
                        caught += usize::from(e.message.contains("the Parquet reader failed"));
                    }
                }
            }
        }
        eprintln!("{caught} reader panics caught");
    }

    #[test]
    fn what_is_not_parquet_is_named() {
        let e = |b: &[u8]| not_parquet(b, "t.parquet").unwrap().message;
        assert!(e(b"").contains("empty"));
        assert!(e(b"id,year\nS1,2020\n").ends_with("pass --data-format csv"));
        assert!(e(b"{\"series\": {}}").ends_with("pass --data-format json"));
        assert!(e(b"PAR1\x00\x00\x00").contains("cut short"));
        assert!(not_parquet(b"PAR1\0\0\0\0\0\0\0\0PAR1", "t").is_none());
    }
}
