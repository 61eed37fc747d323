//! Parquet entity tables end to end: the same table as CSV and as Parquet gives the same report
//! byte for byte; the types real writers use read as Python reads them; every bad input is an
//! input error naming the file, the column and the row.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::Arc;

use parquet::basic::{Compression, GzipLevel, ZstdLevel};
use parquet::column::writer::ColumnWriter;
use parquet::data_type::{ByteArray, FixedLenByteArray, Int96};
use parquet::file::properties::{WriterProperties, WriterVersion};
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_plan-rules"))
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "plan-rules-cli-parquet-test-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// The values of one column, `None` for a null.
#[derive(Clone)]
enum Data {
    Bool(Vec<Option<bool>>),
    I32(Vec<Option<i32>>),
    I64(Vec<Option<i64>>),
    F32(Vec<Option<f32>>),
    F64(Vec<Option<f64>>),
    Bytes(Vec<Option<Vec<u8>>>),
    Fixed(Vec<Option<Vec<u8>>>),
    /// INT96 timestamps: (nanosecond of the day, Julian day).
    I96(Vec<Option<(u64, u32)>>),
}

impl Data {
    fn len(&self) -> usize {
        match self {
            Data::Bool(v) => v.len(),
            Data::I32(v) => v.len(),
            Data::I64(v) => v.len(),
            Data::F32(v) => v.len(),
            Data::F64(v) => v.len(),
            Data::Bytes(v) | Data::Fixed(v) => v.len(),
            Data::I96(v) => v.len(),
        }
    }

    fn rows(&self, from: usize, to: usize) -> Data {
        match self {
            Data::Bool(v) => Data::Bool(v[from..to].to_vec()),
            Data::I32(v) => Data::I32(v[from..to].to_vec()),
            Data::I64(v) => Data::I64(v[from..to].to_vec()),
            Data::F32(v) => Data::F32(v[from..to].to_vec()),
            Data::F64(v) => Data::F64(v[from..to].to_vec()),
            Data::Bytes(v) => Data::Bytes(v[from..to].to_vec()),
            Data::Fixed(v) => Data::Fixed(v[from..to].to_vec()),
            Data::I96(v) => Data::I96(v[from..to].to_vec()),
        }
    }
}

fn text(cells: &[Option<&str>]) -> Data {
    Data::Bytes(
        cells
            .iter()
            .map(|c| c.map(|s| s.as_bytes().to_vec()))
            .collect(),
    )
}

/// A flat column: its schema line (`optional int64 students`) and its values.
struct Col {
    decl: String,
    data: Data,
}

fn col(decl: &str, data: Data) -> Col {
    Col {
        decl: decl.to_string(),
        data,
    }
}

/// How a file is written.
#[derive(Clone)]
struct Layout {
    compression: Compression,
    dictionary: bool,
    version: WriterVersion,
    /// Rows per row group (and per data page, with `pages`).
    group: usize,
    pages: Option<usize>,
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            compression: Compression::SNAPPY,
            dictionary: true,
            version: WriterVersion::PARQUET_1_0,
            group: usize::MAX,
            pages: None,
        }
    }
}

/// Writes `values` (present ones only) with definition levels when the column is optional.
fn write_levels<T: Clone>(
    values: &[Option<T>],
    optional: bool,
    write: impl FnOnce(&[T], Option<&[i16]>),
) {
    let present: Vec<T> = values.iter().flatten().cloned().collect();
    let levels: Vec<i16> = values.iter().map(|v| i16::from(v.is_some())).collect();
    write(&present, optional.then_some(levels.as_slice()));
}

/// A Parquet file of flat columns written by the parquet crate.
fn parquet(cols: &[Col], layout: &Layout) -> Vec<u8> {
    let fields: Vec<String> = cols.iter().map(|c| format!("{};", c.decl)).collect();
    let schema = parse_message_type(&format!("message schema {{ {} }}", fields.join(" "))).unwrap();
    let mut props = WriterProperties::builder()
        .set_compression(layout.compression)
        .set_dictionary_enabled(layout.dictionary)
        .set_writer_version(layout.version);
    if let Some(rows) = layout.pages {
        props = props
            .set_data_page_row_count_limit(rows)
            .set_write_batch_size(rows);
    }
    let mut out = Vec::new();
    let mut writer =
        SerializedFileWriter::new(&mut out, Arc::new(schema), Arc::new(props.build())).unwrap();
    let rows = cols.first().map_or(0, |c| c.data.len());
    let mut from: usize = 0;
    loop {
        let to = rows.min(from.saturating_add(layout.group));
        let mut group = writer.next_row_group().unwrap();
        for c in cols {
            let mut column = group.next_column().unwrap().unwrap();
            let optional = c.decl.to_ascii_lowercase().starts_with("optional");
            match (column.untyped(), c.data.rows(from, to)) {
                (ColumnWriter::BoolColumnWriter(w), Data::Bool(v)) => {
                    write_levels(&v, optional, |p, d| {
                        w.write_batch(p, d, None).unwrap();
                    })
                }
                (ColumnWriter::Int32ColumnWriter(w), Data::I32(v)) => {
                    write_levels(&v, optional, |p, d| {
                        w.write_batch(p, d, None).unwrap();
                    })
                }
                (ColumnWriter::Int64ColumnWriter(w), Data::I64(v)) => {
                    write_levels(&v, optional, |p, d| {
                        w.write_batch(p, d, None).unwrap();
                    })
                }
                (ColumnWriter::FloatColumnWriter(w), Data::F32(v)) => {
                    write_levels(&v, optional, |p, d| {
                        w.write_batch(p, d, None).unwrap();
                    })
                }
                (ColumnWriter::DoubleColumnWriter(w), Data::F64(v)) => {
                    write_levels(&v, optional, |p, d| {
                        w.write_batch(p, d, None).unwrap();
                    })
                }
                (ColumnWriter::ByteArrayColumnWriter(w), Data::Bytes(v)) => {
                    let v: Vec<Option<ByteArray>> =
                        v.into_iter().map(|b| b.map(ByteArray::from)).collect();
                    write_levels(&v, optional, |p, d| {
                        w.write_batch(p, d, None).unwrap();
                    })
                }
                (ColumnWriter::FixedLenByteArrayColumnWriter(w), Data::Fixed(v)) => {
                    let v: Vec<Option<FixedLenByteArray>> = v
                        .into_iter()
                        .map(|b| b.map(|b| FixedLenByteArray::from(ByteArray::from(b))))
                        .collect();
                    write_levels(&v, optional, |p, d| {
                        w.write_batch(p, d, None).unwrap();
                    })
                }
                (ColumnWriter::Int96ColumnWriter(w), Data::I96(v)) => {
                    let v: Vec<Option<Int96>> = v
                        .into_iter()
                        .map(|t| {
                            t.map(|(nanos, day)| {
                                let mut x = Int96::new();
                                x.set_data(nanos as u32, (nanos >> 32) as u32, day);
                                x
                            })
                        })
                        .collect();
                    write_levels(&v, optional, |p, d| {
                        w.write_batch(p, d, None).unwrap();
                    })
                }
                _ => panic!("column `{}`: the data is not of the declared type", c.decl),
            }
            column.close().unwrap();
        }
        group.close().unwrap();
        from = to;
        if from >= rows {
            break;
        }
    }
    writer.close().unwrap();
    out
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

/// The standard output of a run that must succeed.
fn ok(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn write(name: &str, bytes: &[u8]) -> String {
    let path = scratch(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_string()
}

const SCHOOLS_CSV: &str = "id,year,district,level,ice_snow_activity,teachers_foreign_affairs,students\n\
S1,2020,east,primary,true,1,900\n\
S2,2020,east,primary,false,2,800\n\
S3,2020,west,secondary,true,0,700\n\
S4,2020,west,secondary,true,1,\n\
S1,2019,east,primary,false,1,880\n\
S2,2019,east,primary,false,,790\n";

/// SCHOOLS_CSV's columns, as a writer of typed tables would write them.
fn schools() -> Vec<Col> {
    let s = |v: &[&str]| text(&v.iter().map(|s| Some(*s)).collect::<Vec<_>>());
    vec![
        col(
            "required binary id (STRING)",
            s(&["S1", "S2", "S3", "S4", "S1", "S2"]),
        ),
        col(
            "required int32 year",
            Data::I32(
                vec![Some(2020); 4]
                    .into_iter()
                    .chain(vec![Some(2019); 2])
                    .collect(),
            ),
        ),
        col(
            "optional binary district (STRING)",
            s(&["east", "east", "west", "west", "east", "east"]),
        ),
        col(
            "optional binary level (STRING)",
            s(&[
                "primary",
                "primary",
                "secondary",
                "secondary",
                "primary",
                "primary",
            ]),
        ),
        col(
            "optional boolean ice_snow_activity",
            Data::Bool(vec![
                Some(true),
                Some(false),
                Some(true),
                Some(true),
                Some(false),
                Some(false),
            ]),
        ),
        col(
            "optional int64 teachers_foreign_affairs",
            Data::I64(vec![Some(1), Some(2), Some(0), Some(1), Some(1), None]),
        ),
        col(
            "optional int64 students",
            Data::I64(vec![
                Some(900),
                Some(800),
                Some(700),
                None,
                Some(880),
                Some(790),
            ]),
        ),
    ]
}

fn report(data: &str, extra: &[&str]) -> String {
    let mut args = vec!["report", "--format", "json", "--data", data];
    args.extend_from_slice(extra);
    ok(&args)
}

#[test]
fn a_parquet_table_reports_as_its_csv_table_byte_for_byte() {
    let csv = write("schools.csv", SCHOOLS_CSV.as_bytes());
    let school = ["--kind", "school"];
    let grouped = ["--kind", "school", "--group-by", "district"];
    let want = report(&csv, &school);
    let want_grouped = report(&csv, &grouped);
    let want_text = ok(&["report", "--lang", "en", "--data", &csv, "--kind", "school"]);
    let layouts = [
        Layout::default(),
        Layout {
            compression: Compression::UNCOMPRESSED,
            dictionary: false,
            ..Layout::default()
        },
        Layout {
            compression: Compression::ZSTD(ZstdLevel::default()),
            version: WriterVersion::PARQUET_2_0,
            dictionary: false,
            ..Layout::default()
        },
        Layout {
            compression: Compression::GZIP(GzipLevel::default()),
            group: 4,
            ..Layout::default()
        },
        Layout {
            compression: Compression::LZ4_RAW,
            group: 3,
            pages: Some(1),
            ..Layout::default()
        },
        Layout {
            compression: Compression::LZ4,
            version: WriterVersion::PARQUET_2_0,
            group: 1,
            ..Layout::default()
        },
    ];
    for (i, layout) in layouts.iter().enumerate() {
        let file = write(
            &format!("schools-{i}.parquet"),
            &parquet(&schools(), layout),
        );
        assert!(report(&file, &school) == want, "layout {i}");
        assert!(report(&file, &grouped) == want_grouped, "layout {i}");
        let text = ok(&[
            "report", "--lang", "en", "--data", &file, "--kind", "school",
        ]);
        assert!(text == want_text, "layout {i}");
    }
    // By --data-format, whatever the name.
    let named = write("schools.bin", &parquet(&schools(), &Layout::default()));
    assert!(report(&named, &["--data-format", "parquet", "--kind", "school"]) == want);
}

#[test]
fn a_long_parquet_table_reports_as_its_long_csv_table() {
    let csv = write(
        "long.csv",
        b"kind,id,year,district,field,value\n\
          school,S1,2020,east,students,900\nschool,S1,2020,east,teachers_foreign_affairs,1\n\
          school,S2,2020,east,students,800\nschool,S2,2020,east,teachers_foreign_affairs,2\n\
          school,S3,2020,west,students,700\nschool,S3,2020,west,teachers_foreign_affairs,\n\
          school,S1,2019,east,students,880\n",
    );
    let strings = |v: &[&str]| text(&v.iter().map(|s| Some(*s)).collect::<Vec<_>>());
    let file = parquet(
        &[
            col("required binary kind (STRING)", strings(&["school"; 7])),
            col(
                "required binary id (STRING)",
                strings(&["S1", "S1", "S2", "S2", "S3", "S3", "S1"]),
            ),
            col(
                "required int64 year",
                Data::I64(vec![
                    Some(2020),
                    Some(2020),
                    Some(2020),
                    Some(2020),
                    Some(2020),
                    Some(2020),
                    Some(2019),
                ]),
            ),
            col(
                "required binary district (STRING)",
                strings(&["east", "east", "east", "east", "west", "west", "east"]),
            ),
            col(
                "required binary field (STRING)",
                strings(&[
                    "students",
                    "teachers_foreign_affairs",
                    "students",
                    "teachers_foreign_affairs",
                    "students",
                    "teachers_foreign_affairs",
                    "students",
                ]),
            ),
            col(
                "optional int64 value",
                Data::I64(vec![
                    Some(900),
                    Some(1),
                    Some(800),
                    Some(2),
                    Some(700),
                    None,
                    Some(880),
                ]),
            ),
        ],
        &Layout::default(),
    );
    let file = write("long.parquet", &file);
    assert!(report(&file, &[]) == report(&csv, &[]));
    let grouped = ["--group-by", "district"];
    assert!(report(&file, &grouped) == report(&csv, &grouped));
}

/// The types writers use, read as a JSON document with the same values: the same report, to
/// the content hash.
#[test]
fn parquet_types_read_as_their_json_values() {
    let n = |v: i64| Some(v);
    let file = parquet(
        &[
            col(
                "required binary id (STRING)",
                text(&[Some("S1"), Some("S2"), Some("S3")]),
            ),
            col(
                "required int32 year (INTEGER(16,true))",
                Data::I32(vec![Some(2020); 3]),
            ),
            col(
                "optional binary level (ENUM)",
                text(&[Some("primary"), None, Some("secondary")]),
            ),
            col(
                "optional int32 students (INTEGER(32,false))",
                Data::I32(vec![Some(-294_967_296), Some(5), None]),
            ),
            col(
                "optional int64 teachers (INTEGER(64,false))",
                Data::I64(vec![n(i64::MAX), n(3), n(0)]),
            ),
            col(
                "optional int32 pe_teachers (INTEGER(8,true))",
                Data::I32(vec![Some(-3), Some(4), Some(127)]),
            ),
            col(
                "optional double health_test_eligible",
                Data::F64(vec![Some(900.0), Some(f64::NAN), Some(3.5)]),
            ),
            col(
                "optional float health_test_passed",
                Data::F32(vec![Some(0.1), None, Some(800.0)]),
            ),
            col(
                "optional int32 dec_a (DECIMAL(5,2))",
                Data::I32(vec![Some(250), Some(-1), None]),
            ),
            col(
                "optional int64 dec_b (DECIMAL(18,3))",
                Data::I64(vec![Some(1_000), Some(123_456_789_012_345_678), None]),
            ),
            col(
                "optional fixed_len_byte_array(16) dec_c (DECIMAL(38,4))",
                Data::Fixed(vec![
                    Some((12_345_i128).to_be_bytes().to_vec()),
                    Some((-7_i128).to_be_bytes().to_vec()),
                    None,
                ]),
            ),
            col(
                "optional binary dec_d (DECIMAL(30,0))",
                Data::Bytes(vec![Some(vec![0x01, 0x00]), Some(vec![0xff]), None]),
            ),
            col(
                "optional int32 opened (DATE)",
                Data::I32(vec![Some(18_262), Some(-1), None]),
            ),
            col(
                "optional boolean ice_snow_activity",
                Data::Bool(vec![Some(true), None, Some(false)]),
            ),
            col(
                "optional binary note (JSON)",
                text(&[Some("{\"a\": 1}"), Some(""), None]),
            ),
            col("optional binary raw", text(&[Some("x"), None, Some("5")])),
            // 2020-01-01T00:00:00.5 and 1969-12-31T23:59:59.999, adjusted to UTC.
            col(
                "optional int64 updated (TIMESTAMP(MILLIS,true))",
                Data::I64(vec![n(1_577_836_800_500), n(-1), None]),
            ),
            col(
                "optional int64 seen (TIMESTAMP(NANOS,false))",
                Data::I64(vec![n(1_577_836_800_000_000_123), n(0), None]),
            ),
            // Spark's legacy timestamps: noon of 2020-01-01 (Julian day 2458850), midnight.
            col(
                "optional int96 loaded",
                Data::I96(vec![
                    Some((43_200_000_000_000, 2_458_850)),
                    None,
                    Some((0, 2_440_588)),
                ]),
            ),
        ],
        &Layout::default(),
    );
    let file = write("types.parquet", &file);
    let json = write(
        "types.json",
        br#"{"entities": [
  {"kind": "school", "id": "S1", "attributes": {"level": "primary"}, "records": {"2020": {
    "students": 4000000000, "teachers": 9223372036854775807, "pe_teachers": -3,
    "health_test_eligible": 900, "health_test_passed": 0.1, "dec_a": 2.50, "dec_b": 1.000,
    "dec_c": 1.2345, "dec_d": 256, "opened": "2020-01-01", "ice_snow_activity": true,
    "note": "{\"a\": 1}", "raw": "x", "updated": "2020-01-01T00:00:00.5Z",
    "seen": "2020-01-01T00:00:00.000000123", "loaded": "2020-01-01T12:00:00"}}},
  {"kind": "school", "id": "S2", "records": {"2020": {
    "students": 5, "teachers": 3, "pe_teachers": 4, "dec_a": -0.01,
    "dec_b": 123456789012345.678, "dec_c": -0.0007, "dec_d": -1, "opened": "1969-12-31",
    "note": "", "updated": "1969-12-31T23:59:59.999Z", "seen": "1970-01-01T00:00:00"}}},
  {"kind": "school", "id": "S3", "attributes": {"level": "secondary"}, "records": {"2020": {
    "teachers": 0, "pe_teachers": 127, "health_test_eligible": 3.5, "health_test_passed": 800,
    "ice_snow_activity": false, "raw": "5", "loaded": "1970-01-01T00:00:00"}}}
]}"#,
    );
    let from_parquet: serde_json::Value =
        serde_json::from_str(&report(&file, &["--kind", "school"])).unwrap();
    let from_json: serde_json::Value = serde_json::from_str(&report(&json, &[])).unwrap();
    // The same dataset, to its content hash.
    assert_eq!(from_parquet["data"], from_json["data"]);
    assert!(
        from_parquet["data"]["content_hash"]
            .as_str()
            .unwrap()
            .starts_with("sha256:")
    );
    // The same diagnostics, but for the columns the dictionary does not know: a table names
    // each once (at its first row, with no entity), a document each time it appears.
    let diagnostics = |report: &serde_json::Value, unknown: bool| {
        let mut found: Vec<String> = report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| (d["code"] == "unknown_field") == unknown)
            .map(|d| format!("{} {} {}", d["code"], d["path"], d["message_en"]))
            .collect();
        found.sort();
        found
    };
    assert_eq!(
        diagnostics(&from_parquet, false),
        diagnostics(&from_json, false)
    );
    let codes = diagnostics(&from_parquet, false).join("\n");
    for wanted in [
        "\"negative_value\" \"/entities/0/records/2020/pe_teachers\"",
        "\"fractional_count\" \"/entities/0/records/2020/health_test_passed\"",
        "\"fractional_count\" \"/entities/2/records/2020/health_test_eligible\"",
    ] {
        assert!(codes.contains(wanted), "{wanted} not in {codes}");
    }
    let unknown: Vec<String> = diagnostics(&from_parquet, true)
        .iter()
        .map(|d| d.split(' ').nth(1).unwrap().to_string())
        .collect();
    assert_eq!(
        unknown,
        [
            "dec_a", "dec_b", "dec_c", "dec_d", "loaded", "note", "opened", "raw", "seen",
            "updated"
        ]
        .map(|c| format!("\"/entities/0/records/2020/{c}\""))
    );
}

/// A text column where the dictionary wants a count, a float with a fraction in a count: the
/// same diagnostics as the same cells in CSV (the engine judges values; the reader reads them).
#[test]
fn wrong_values_are_the_engine_s_diagnostics_as_from_csv() {
    let csv = write(
        "wrong.csv",
        b"id,year,students,teachers,colour\nS1,2020,abc,3.5,red\nS2,2020,12,4,\n",
    );
    let file = parquet(
        &[
            col(
                "required binary id (STRING)",
                text(&[Some("S1"), Some("S2")]),
            ),
            col("required int64 year", Data::I64(vec![Some(2020); 2])),
            col(
                "optional binary students (STRING)",
                text(&[Some("abc"), Some("12")]),
            ),
            col(
                "optional double teachers",
                Data::F64(vec![Some(3.5), Some(4.0)]),
            ),
            col(
                "optional binary colour (STRING)",
                text(&[Some("red"), None]),
            ),
        ],
        &Layout::default(),
    );
    let file = write("wrong.parquet", &file);
    let school = ["--kind", "school"];
    let from_parquet = report(&file, &school);
    assert!(from_parquet == report(&csv, &school));
    let v: serde_json::Value = serde_json::from_str(&from_parquet).unwrap();
    let codes: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"invalid_number") && codes.contains(&"fractional_count"));
    // A column the dictionary does not know: the same warning as from CSV.
    assert!(codes.contains(&"unknown_field"), "{codes:?}");
}

/// Runs a report on `bytes` as `name` (extra flags after) and returns the exit code and the
/// error line.
fn refused(name: &str, bytes: &[u8], extra: &[&str]) -> (i32, String, serde_json::Value) {
    let path = write(name, bytes);
    let mut args = vec!["report", "--data", &path];
    args.extend_from_slice(extra);
    let out = run(&args);
    let text = String::from_utf8(out.stderr).unwrap();
    let mut json_args = args.clone();
    json_args.extend_from_slice(&["--format", "json"]);
    let json = run(&json_args);
    let error: serde_json::Value = serde_json::from_slice(&json.stderr).unwrap();
    assert_eq!(json.status.code(), out.status.code());
    let dir = scratch("");
    let text = text.replace(dir.to_str().unwrap(), "");
    (out.status.code().unwrap(), text, error["error"].clone())
}

#[test]
fn bad_parquet_files_are_input_errors_naming_file_column_and_row() {
    let id = || {
        col(
            "required binary id (STRING)",
            text(&[Some("S1"), Some("S2")]),
        )
    };
    let year = || col("required int64 year", Data::I64(vec![Some(2020); 2]));
    let with = |c: Col| parquet(&[id(), year(), c], &Layout::default());
    let good = with(col(
        "optional int64 students",
        Data::I64(vec![Some(1), Some(2)]),
    ));
    let cases: Vec<(&str, Vec<u8>, &str, &str)> = vec![
        (
            "empty",
            Vec::new(),
            "invalid_parquet",
            "t.parquet: the file is empty (0 bytes): not a Parquet file",
        ),
        (
            "CSV named .parquet",
            b"id,year,students\nS1,2020,5\n".to_vec(),
            "invalid_parquet",
            "t.parquet: not a Parquet file (a Parquet file begins and ends with `PAR1`); it looks \
             like CSV: pass --data-format csv",
        ),
        (
            "cut short",
            good[..good.len() - 9].to_vec(),
            "invalid_parquet",
            "t.parquet: the file is cut short",
        ),
        (
            "a footer that claims more bytes than the file has",
            {
                let mut bytes = good.clone();
                let at = bytes.len() - 8;
                bytes[at..at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
                bytes
            },
            "invalid_parquet",
            "t.parquet: the file cannot be read as Parquet: ",
        ),
        (
            "UINT64 beyond i64",
            with(col(
                "optional int64 students (INTEGER(64,false))",
                Data::I64(vec![Some(7), Some(-1)]),
            )),
            "invalid_value",
            "t.parquet:row 1: `18446744073709551615` in column `students` (INT64 (UINT64)) is \
             beyond the largest whole number the engine reads exactly (9223372036854775807)",
        ),
        (
            "DECIMAL beyond 28 digits",
            with(col(
                "optional fixed_len_byte_array(16) students (DECIMAL(38,2))",
                Data::Fixed(vec![
                    None,
                    Some((10_i128.pow(35) + 1).to_be_bytes().to_vec()),
                ]),
            )),
            "invalid_value",
            "t.parquet:row 1: `1000000000000000000000000000000000.01` in column `students` \
             (FIXED_LEN_BYTE_ARRAY (DECIMAL(38,2))) has more digits than the engine's exact \
             decimals hold (28)",
        ),
        (
            "DECIMAL scale beyond 28",
            with(col(
                "optional fixed_len_byte_array(16) students (DECIMAL(38,30))",
                Data::Fixed(vec![None, None]),
            )),
            "invalid_type",
            "t.parquet: the column `students` holds FIXED_LEN_BYTE_ARRAY (DECIMAL(38,30)) values, \
             which are not read (a scale of 30 digits; the engine's decimals hold at most 28)",
        ),
        (
            "infinite double",
            with(col(
                "optional double students",
                Data::F64(vec![Some(f64::INFINITY), None]),
            )),
            "invalid_value",
            "t.parquet:row 0: `inf` in column `students` (DOUBLE) is not a finite number",
        ),
        (
            "double beyond 28 digits",
            with(col(
                "optional double students",
                Data::F64(vec![None, Some(1e30)]),
            )),
            "invalid_value",
            "t.parquet:row 1: `1000000000000000000000000000000` in column `students` (DOUBLE) \
             cannot be read exactly",
        ),
        (
            "time of day",
            with(col(
                "optional int64 opens (TIME(MICROS,true))",
                Data::I64(vec![Some(0), None]),
            )),
            "invalid_type",
            "t.parquet: the column `opens` holds INT64 (TIME) values, which are not read: \
             expected whole numbers, decimals, floats, booleans, text or dates (drop or convert \
             the column)",
        ),
        (
            "timestamp beyond the year 9999",
            with(col(
                "optional int64 updated (TIMESTAMP(MILLIS,true))",
                Data::I64(vec![None, Some(i64::MAX)]),
            )),
            "invalid_value",
            "t.parquet:row 1: `9223372036854775807` in column `updated` (INT64 (TIMESTAMP)) is not \
             a time the engine reads",
        ),
        (
            "binary that is not UTF-8",
            with(col(
                "optional binary note",
                Data::Bytes(vec![Some(b"ok".to_vec()), Some(vec![0xff, 0xfe])]),
            )),
            "invalid_value",
            "t.parquet:row 1: `0xfffe` in column `note` (BYTE_ARRAY) is not UTF-8 text (binary data is \
             not read)",
        ),
        (
            "a float id",
            parquet(
                &[
                    col("required double id", Data::F64(vec![Some(1.5)])),
                    col("required int64 year", Data::I64(vec![Some(2020)])),
                ],
                &Layout::default(),
            ),
            "invalid_type",
            "t.parquet: the column `id` holds DOUBLE values: expected text or whole numbers",
        ),
        (
            "a null id",
            parquet(
                &[
                    col("optional binary id (STRING)", text(&[Some("S1"), None])),
                    year(),
                ],
                &Layout::default(),
            ),
            "invalid_shape",
            "t.parquet:row 1: the `id` cell is empty",
        ),
        (
            "a null year",
            parquet(
                &[
                    id(),
                    col("optional int64 year", Data::I64(vec![Some(2020), None])),
                ],
                &Layout::default(),
            ),
            "invalid_shape",
            "t.parquet:row 1: the `year` cell is empty",
        ),
        (
            "a year beyond i32",
            parquet(
                &[
                    id(),
                    col(
                        "optional int64 year",
                        Data::I64(vec![Some(2020), Some(1 << 40)]),
                    ),
                ],
                &Layout::default(),
            ),
            "invalid_shape",
            "t.parquet:row 1: `1099511627776` in column `year` is not a year",
        ),
        (
            "a fractional year",
            parquet(
                &[
                    id(),
                    col(
                        "optional double year",
                        Data::F64(vec![Some(2020.0), Some(2020.5)]),
                    ),
                ],
                &Layout::default(),
            ),
            "invalid_shape",
            "t.parquet:row 1: `2020.5` in column `year` is not a year",
        ),
        (
            "a date as the year",
            parquet(
                &[
                    id(),
                    col(
                        "optional int32 year (DATE)",
                        Data::I32(vec![Some(18_262); 2]),
                    ),
                ],
                &Layout::default(),
            ),
            "invalid_type",
            "t.parquet: the column `year` holds dates (INT32 (DATE)): expected whole-number \
             years, such as `2020`",
        ),
        (
            "no id column",
            parquet(&[year()], &Layout::default()),
            "invalid_shape",
            "t.parquet: the table has no `id` column",
        ),
        (
            "no year column",
            parquet(&[id()], &Layout::default()),
            "invalid_shape",
            "t.parquet: the table has no `year` column",
        ),
        (
            "a column twice",
            parquet(&[id(), year(), year()], &Layout::default()),
            "invalid_shape",
            "t.parquet: the column `year` appears twice in the schema",
        ),
    ];
    for (what, bytes, code, message) in cases {
        let (exit, stderr, error) = refused("t.parquet", &bytes, &["--kind", "school"]);
        assert_eq!(exit, 3, "{what}: {stderr}");
        assert!(
            stderr.starts_with(&format!("error: {message}")),
            "{what}:\n  {stderr}  wanted: {message}"
        );
        assert_eq!(error["code"], code, "{what}");
    }
}

/// A codec that is not built in (brotli, which pyarrow writes when asked) is named.
#[test]
fn brotli_is_named_not_called_damage() {
    let bytes = std::fs::read(fixture("schools-brotli-pyarrow.parquet")).unwrap();
    let (exit, stderr, error) = refused("t.parquet", &bytes, &["--kind", "school"]);
    assert_eq!(exit, 3);
    assert_eq!(error["code"], "invalid_parquet");
    assert_eq!(
        stderr,
        "error: t.parquet: the column `id` is compressed with brotli, which is not read \
         (snappy, zstd, gzip, lz4 and none are): write the file with one of those\n"
    );
}

#[test]
fn nested_columns_are_refused_by_name() {
    for (decl, what) in [
        (
            "optional group tags (LIST) { repeated group list { optional binary element (STRING); } }",
            "tags",
        ),
        (
            "optional group address { optional binary street (STRING); optional int32 zip; }",
            "address",
        ),
        ("repeated int32 scores;", "scores"),
    ] {
        let schema = parse_message_type(&format!(
            "message schema {{ required binary id (STRING); required int64 year; {decl} }}"
        ))
        .unwrap();
        let mut out = Vec::new();
        let writer = SerializedFileWriter::new(
            &mut out,
            Arc::new(schema),
            Arc::new(WriterProperties::builder().build()),
        )
        .unwrap();
        writer.close().unwrap();
        let (exit, stderr, error) = refused("nested.parquet", &out, &["--kind", "school"]);
        assert_eq!(exit, 3);
        assert_eq!(error["code"], "invalid_type");
        assert_eq!(
            stderr,
            format!(
                "error: nested.parquet: the column `{what}` is nested (a list, struct or map): \
                 expected one value per row\n"
            )
        );
    }
}

/// Damage anywhere in a file is an input error or, where it happens to leave a readable file, a
/// report: never a crash.
#[test]
fn damaged_files_never_crash_the_command() {
    let good = parquet(&schools(), &Layout::default());
    let path = scratch("damaged.parquet");
    let mut outcomes = std::collections::BTreeMap::new();
    let step = (good.len() / 60).max(1);
    for at in (0..good.len()).step_by(step) {
        for damage in 0..2 {
            let mut bytes = good.clone();
            if damage == 0 {
                bytes[at] ^= 0x5a;
            } else {
                bytes.truncate(at);
            }
            std::fs::write(&path, &bytes).unwrap();
            let out = bin()
                .args(["report", "--format", "json", "--kind", "school", "--data"])
                .arg(&path)
                .output()
                .unwrap();
            let code = out.status.code();
            assert!(
                code == Some(0) || code == Some(3),
                "byte {at}, damage {damage}: {code:?} {}",
                String::from_utf8_lossy(&out.stderr)
            );
            if code == Some(3) {
                let error: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
                *outcomes
                    .entry(error["error"]["code"].as_str().unwrap().to_string())
                    .or_insert(0) += 1;
            }
        }
    }
    assert!(outcomes.contains_key("invalid_parquet"), "{outcomes:?}");
}

/// `-` reads standard input: JSON by default, a table when --data-format says so.
#[test]
fn standard_input_in_each_format() {
    use std::io::Write as _;
    let with_stdin = |args: &[&str], stdin: &[u8]| {
        let mut child = bin()
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(stdin).unwrap();
        child.wait_with_output().unwrap()
    };
    let csv = write("stdin.csv", SCHOOLS_CSV.as_bytes());
    let want = report(&csv, &["--kind", "school"]);
    let table = parquet(&schools(), &Layout::default());
    for (format, bytes) in [
        ("parquet", table.as_slice()),
        ("csv", SCHOOLS_CSV.as_bytes()),
    ] {
        for data in [&["--data", "-"][..], &[]] {
            let mut args = vec!["report", "--format", "json", "--kind", "school"];
            args.extend_from_slice(data);
            args.extend_from_slice(&["--data-format", format]);
            let out = with_stdin(&args, bytes);
            assert!(
                out.status.success(),
                "{format}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(out.stdout == want.as_bytes(), "{format} {data:?}");
        }
    }
    // JSON by default.
    let json = std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../spec/samples/xicheng-sample-2015-2020.json"),
    )
    .unwrap();
    let out = with_stdin(&["report", "--format", "json", "--data", "-"], &json);
    assert!(out.status.success());
    assert!(out.stdout == ok(&["report", "--format", "json"]).as_bytes());
    // Parquet bytes without --data-format are read as JSON, and refused as such.
    let out = with_stdin(&["report", "--data", "-"], &table);
    assert_eq!(out.status.code(), Some(3));
    let out = with_stdin(
        &[
            "report",
            "--data",
            "-",
            "--data-format",
            "parquet",
            "--kind",
            "school",
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: -: the file is empty (0 bytes): not a Parquet file\n"
    );
}

/// Files written by pyarrow (pandas: snappy, dictionary-encoded categoricals, a float column
/// with NaN) and polars (zstd, Categorical and Enum), made by `tests/fixtures/make_parquet.py`:
/// each reports as the CSV table of the same values.
#[test]
fn files_from_pandas_and_polars_report_as_their_csv() {
    for (name, long) in [
        ("schools-pyarrow.parquet", false),
        ("schools-polars.parquet", false),
        ("schools-long-pyarrow.parquet", true),
    ] {
        let table = fixture(name);
        let csv = fixture(if long {
            "schools-long.csv"
        } else {
            "schools.csv"
        });
        let (table, csv) = (table.to_str().unwrap(), csv.to_str().unwrap());
        let school: &[&str] = if long { &[] } else { &["--kind", "school"] };
        assert!(report(table, school) == report(csv, school), "{name}");
        let mut grouped = school.to_vec();
        grouped.extend_from_slice(&["--group-by", "district"]);
        assert!(report(table, &grouped) == report(csv, &grouped), "{name}");
    }
}
