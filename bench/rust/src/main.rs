//! The Rust door of the benchmarks, and the generator of the shared workload.
//!
//! - `plan-rules-bench gen DIR`: writes the workload every engine reads: `record.json` (the one
//!   district-year and one school-year record of `core/benches/engine.rs`), and one million
//!   school-year rows (seed 20161231, the same generator) as little-endian column files
//!   (`<field>.i32`, flags as `<field>.u8`, `level.u8` codes into `meta.json`'s `levels`).
//!   The second workload goes to `DIR/district20`: one district-year record of 20 integer fields
//!   (`record.json`) and one million district-year rows (seed 20211231), judged against the 13
//!   targets of `bench/plans/district-20.json`.
//! - `plan-rules-bench run DIR/district20 PLAN`: the same figures on the second workload.
//! - `plan-rules-bench run DIR`: times the core's row verdicts (`RowRules`) on them and prints
//!   one JSON object: latency per record (12 targets), batch throughput (7 targets, 1M rows,
//!   from the integer columns, conversion included), peak memory of the batch.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::fs;
use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use plan_rules::Plan;
use plan_rules::row::{Column, Labels, RowRules, RowValue, RowVerdict};

/// xorshift64*, as in core/benches/engine.rs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Flags are 0/1; every other field a whole number.
#[derive(Clone, Copy)]
enum V {
    N(u64),
    F(bool),
}

/// One school-year row, exactly as `school_row` in core/benches/engine.rs draws it.
fn school_row(fields: &[String], rng: &mut Rng) -> Vec<(String, V)> {
    let students = 200 + rng.below(2000);
    let eligible = students - rng.below(20);
    let passed = eligible - rng.below(eligible / 10 + 1) * u64::from(rng.below(3) == 0);
    let teachers = students / 12;
    let pe = 3 + rng.below(8);
    fields
        .iter()
        .map(|f| {
            let v = match f.as_str() {
                "students" => V::N(students),
                "health_test_eligible" => V::N(eligible),
                "health_test_passed" => V::N(passed),
                "pe_teachers" => V::N(pe),
                "pe_teachers_ice_snow_trained" => V::N(pe - rng.below(2)),
                "ice_snow_activity" | "international_exchange" => V::F(rng.below(10) != 0),
                "teachers" => V::N(teachers),
                "teachers_foreign_affairs" => V::N(rng.below(4)),
                "teachers_international_exchange" => V::N(teachers / 2),
                "students_international_exchange" => V::N(students / 5),
                other => panic!("unexpected field {other}"),
            };
            (f.clone(), v)
        })
        .collect()
}

const LEVELS: [&str; 4] = ["primary", "secondary", "nine_year", "special_education"];

const DISTRICT: [(&str, u64); 7] = [
    ("preschool_children_hukou", 10_400),
    ("preschool_enrolled_hukou", 10_398),
    ("free_education_years_disabled", 15),
    ("hs_graduation_cohort", 2500),
    ("hs_graduates", 2499),
    ("lifelong_learning_bases", 103),
    ("certification_points", 480),
];

fn json_value(v: V) -> String {
    match v {
        V::N(n) => n.to_string(),
        V::F(b) => b.to_string(),
    }
}

fn generate(dir: &Path, rows: usize) {
    fs::create_dir_all(dir).unwrap();
    let plan = Plan::xicheng_2016_2020().unwrap();
    let school = RowRules::for_entity_kind(&plan, "school");
    let fields = school.fields().to_vec();
    // The one record: Rng(7), as the criterion bench `one_record`.
    let rec = school_row(&fields, &mut Rng(7));
    let school_json: Vec<String> = rec
        .iter()
        .map(|(f, v)| format!("\"{f}\": {}", json_value(*v)))
        .collect();
    let district_json: Vec<String> = DISTRICT
        .iter()
        .map(|(f, v)| format!("\"{f}\": {v}"))
        .collect();
    fs::write(
        dir.join("record.json"),
        format!(
            "{{\"district\": {{{}}}, \"school\": {{{}}}, \"attributes\": {{\"level\": \"primary\"}}}}\n",
            district_json.join(", "),
            school_json.join(", ")
        ),
    )
    .unwrap();
    // The batch.
    let mut rng = Rng(20161231);
    let mut cols: Vec<Vec<u8>> = vec![Vec::new(); fields.len()];
    let mut level = Vec::with_capacity(rows);
    for _ in 0..rows {
        for (col, (_, v)) in cols.iter_mut().zip(school_row(&fields, &mut rng)) {
            match v {
                V::N(n) => col.extend_from_slice(&(n as i32).to_le_bytes()),
                V::F(b) => col.push(u8::from(b)),
            }
        }
        level.push(rng.below(4) as u8);
    }
    let mut files = Vec::new();
    for ((f, v), col) in rec.iter().zip(&cols) {
        let name = match v {
            V::N(_) => format!("{f}.i32"),
            V::F(_) => format!("{f}.u8"),
        };
        fs::write(dir.join(&name), col).unwrap();
        files.push(format!("\"{f}\": \"{name}\""));
    }
    fs::write(dir.join("level.u8"), &level).unwrap();
    fs::write(
        dir.join("meta.json"),
        format!(
            "{{\"rows\": {rows}, \"seed\": 20161231, \"columns\": {{{}}}, \"levels\": [{}]}}\n",
            files.join(", "),
            LEVELS.map(|l| format!("\"{l}\"")).join(", ")
        ),
    )
    .unwrap();
}

fn rss_kb(key: &str) -> u64 {
    let status = fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Resets the peak resident set size (VmHWM) to the current one.
fn reset_peak() {
    let _ = fs::write("/proc/self/clear_refs", "5");
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn num(n: u64) -> RowValue {
    RowValue::Int(n as i64)
}

/// The one record of the latency figure: the district-year row and the school-year row
/// (`Rng(7)`), as the rules' fields order them.
fn one_record(district: &RowRules, school: &RowRules) -> (Vec<RowValue>, Vec<RowValue>) {
    let srow = school_row(school.fields(), &mut Rng(7))
        .into_iter()
        .map(|(_, v)| match v {
            V::N(n) => num(n),
            V::F(b) => RowValue::Flag(b),
        })
        .collect();
    let drow = district
        .fields()
        .iter()
        .map(|f| {
            DISTRICT
                .iter()
                .find(|(n, _)| n == f)
                .map_or(RowValue::Missing, |(_, v)| num(*v))
        })
        .collect();
    (drow, srow)
}

fn run(dir: &Path) {
    let plan = Plan::xicheng_2016_2020().unwrap();
    let district = RowRules::for_series(&plan);
    let school = RowRules::for_entity_kind(&plan, "school");
    assert_eq!(district.targets().len() + school.targets().len(), 12);

    // --- one record: the 12 targets, statuses only -------------------------------------
    let fields = school.fields().to_vec();
    let (drow, srow) = one_record(&district, &school);
    let attrs = [Some("primary")];
    let mut dout = vec![RowVerdict::Missing; district.targets().len()];
    let mut sout = vec![RowVerdict::Missing; school.targets().len()];
    let iters = 200_000;
    let mut samples = Vec::new();
    for rep in 0..11 {
        let t = Instant::now();
        for _ in 0..iters {
            district.judge(black_box(&drow), &[], &mut dout);
            school.judge(black_box(&srow), black_box(&attrs), &mut sout);
            black_box((&dout, &sout));
        }
        if rep > 0 {
            samples.push(t.elapsed().as_nanos() as f64 / iters as f64);
        }
    }
    let latency_ns = median(samples);
    let verdicts: Vec<&str> = dout.iter().chain(&sout).map(|v| v.as_str()).collect();

    // --- batch: 1M school-year rows, 7 targets, from the integer columns ----------------
    let meta = fs::read_to_string(dir.join("meta.json")).unwrap();
    let rows: usize = meta
        .split("\"rows\": ")
        .nth(1)
        .and_then(|s| s.split(',').next())
        .and_then(|s| s.trim().parse().ok())
        .unwrap();
    enum Col {
        I(Vec<i32>),
        B(Vec<bool>),
    }
    let cols: Vec<Col> = fields
        .iter()
        .map(|f| {
            if let Ok(bytes) = fs::read(dir.join(format!("{f}.i32"))) {
                Col::I(
                    bytes
                        .chunks_exact(4)
                        .map(|c| i32::from_le_bytes(c.try_into().unwrap()))
                        .collect(),
                )
            } else {
                Col::B(
                    fs::read(dir.join(format!("{f}.u8")))
                        .unwrap()
                        .into_iter()
                        .map(|b| b != 0)
                        .collect(),
                )
            }
        })
        .collect();
    let level = fs::read(dir.join("level.u8")).unwrap();
    let input_bytes: usize = cols
        .iter()
        .map(|c| match c {
            Col::I(v) => v.len() * 4,
            Col::B(v) => v.len(),
        })
        .sum::<usize>()
        + level.len();
    // The typed-column path: the integer and flag columns as they are, no conversion first;
    // `level` as a categorical column (its codes and labels, as Arrow and pandas hold it).
    let codes: Vec<i8> = level.iter().map(|&l| l as i8).collect();
    let labels: Vec<Option<&str>> = LEVELS.iter().map(|l| Some(*l)).collect();
    let judge_batch = || {
        let typed: Vec<Column<'_>> = cols
            .iter()
            .map(|c| match c {
                Col::I(v) => Column::Int32(v),
                Col::B(v) => Column::Flags(v),
            })
            .collect();
        let level = Labels::Codes8 {
            codes: &codes,
            labels: &labels,
        };
        let mut out = vec![vec![0u8; rows]; school.targets().len()];
        let mut views: Vec<&mut [u8]> = out.iter_mut().map(Vec::as_mut_slice).collect();
        school.judge_into(&typed, &[level], &mut views);
        out
    };
    let before = rss_kb("VmRSS:");
    reset_peak();
    let out = judge_batch();
    let peak = rss_kb("VmHWM:");
    let counts: Vec<usize> = out
        .iter()
        .map(|c| c.iter().filter(|v| **v == RowVerdict::Met as u8).count())
        .collect();
    drop(out);
    // Runs until a second has passed, at least three runs.
    let mut samples = Vec::new();
    let started = Instant::now();
    while samples.len() < 3 || started.elapsed().as_secs_f64() < 1.0 {
        let t = Instant::now();
        black_box(judge_batch());
        samples.push(rows as f64 / t.elapsed().as_secs_f64());
    }
    println!(
        "{{\"engine\": \"rust\", \"latency_ns\": {latency_ns:.1}, \"batch_rows_per_s\": {:.0}, \"batch_rows\": {rows}, \"peak_mb\": {:.1}, \"batch_extra_mb\": {:.1}, \"input_mb\": {:.1}, \"verdicts\": {:?}, \"batch_met\": {:?}}}",
        median(samples),
        rss_kb("VmHWM:") as f64 / 1024.0,
        peak.saturating_sub(before) as f64 / 1024.0,
        input_bytes as f64 / 1_048_576.0,
        verdicts,
        counts
    );
}

/// Small, fixed amounts of the same work for a profiler (valgrind --tool=callgrind):
/// `record` judges the one record (district-year and school-year rows) 20,000 times, `rows`
/// judges the school row 20,000 times and 50,000 batch rows (`rows64`: as int64 columns); `validate` validates the school
/// form (one school, two years) 300 times through the entry layer, as the wasm `validate` does.
fn profile(what: &str) {
    let plan = Plan::xicheng_2016_2020().unwrap();
    if what == "validate" {
        let form = r#"{"entities": [{"kind": "school", "id": "S001", "attributes": {"level": "primary", "street": "月坛"},
          "records": {"2015": {"students": 2022, "health_test_eligible": 2004, "health_test_passed": 1820, "pe_teachers": 4, "pe_teachers_ice_snow_trained": 4, "ice_snow_activity": true, "teachers": 168, "teachers_foreign_affairs": 0, "international_exchange": false, "teachers_international_exchange": 84, "students_international_exchange": 404},
                      "2018": {"students": 2022, "health_test_eligible": 2004, "health_test_passed": 1830, "pe_teachers": 4, "pe_teachers_ice_snow_trained": 4, "ice_snow_activity": true, "teachers": 168, "teachers_foreign_affairs": 0, "international_exchange": false, "teachers_international_exchange": 84, "students_international_exchange": 404}}}]}"#;
        for _ in 0..300 {
            let data = plan_rules::Dataset::from_json(black_box(form)).unwrap();
            let answer = plan_rules::ffi::validate_dataset(&plan, &data);
            black_box(answer);
        }
        return;
    }
    let school = RowRules::for_entity_kind(&plan, "school");
    if what == "record" {
        let district = RowRules::for_series(&plan);
        let (drow, srow) = one_record(&district, &school);
        let mut dout = vec![RowVerdict::Missing; district.targets().len()];
        let mut sout = vec![RowVerdict::Missing; school.targets().len()];
        for _ in 0..20_000 {
            district.judge(black_box(&drow), &[], &mut dout);
            school.judge(black_box(&srow), black_box(&[Some("primary")]), &mut sout);
            black_box((&dout, &sout));
        }
        return;
    }
    let fields = school.fields().to_vec();
    let srow: Vec<RowValue> = school_row(&fields, &mut Rng(7))
        .into_iter()
        .map(|(_, v)| match v {
            V::N(n) => num(n),
            V::F(b) => RowValue::Flag(b),
        })
        .collect();
    let mut out = vec![RowVerdict::Missing; school.targets().len()];
    for _ in 0..20_000 {
        school.judge(black_box(&srow), &[Some("primary")], &mut out);
    }
    let mut rng = Rng(20161231);
    let rows = 50_000;
    let mut ints: Vec<Vec<i32>> = vec![Vec::new(); fields.len()];
    let mut flags: Vec<Vec<bool>> = vec![Vec::new(); fields.len()];
    for _ in 0..rows {
        for (k, (_, v)) in school_row(&fields, &mut rng).into_iter().enumerate() {
            match v {
                V::N(n) => ints[k].push(n as i32),
                V::F(b) => flags[k].push(b),
            }
        }
    }
    // `rows64`: the columns as int64, as NumPy and pandas hold them.
    let wide: Vec<Vec<i64>> = ints
        .iter()
        .map(|c| c.iter().map(|v| i64::from(*v)).collect())
        .collect();
    let typed: Vec<Column<'_>> = (0..fields.len())
        .map(|k| match (flags[k].is_empty(), what == "rows64") {
            (false, _) => Column::Flags(&flags[k]),
            (true, false) => Column::Int32(&ints[k]),
            (true, true) => Column::Int64(&wide[k]),
        })
        .collect();
    let codes = vec![0i8; rows];
    let level = Labels::Codes8 {
        codes: &codes,
        labels: &[Some("primary")],
    };
    let mut out = vec![vec![0u8; rows]; school.targets().len()];
    let mut views: Vec<&mut [u8]> = out.iter_mut().map(Vec::as_mut_slice).collect();
    school.judge_into(&typed, &[level], &mut views);
    black_box(out);
}

/// The 20 integer fields of the second workload's district-year, in the order of
/// `bench/plans/district-20.json`'s dictionary.
const DISTRICT20_FIELDS: [&str; 20] = [
    "children_3_5",
    "children_3_5_enrolled",
    "compulsory_age_children",
    "compulsory_enrolled",
    "students",
    "hs_cohort",
    "hs_graduates",
    "teachers",
    "teachers_bachelor",
    "schools",
    "schools_standard_playground",
    "disabled_children",
    "disabled_children_enrolled",
    "free_education_years",
    "new_kindergarten_places",
    "community_learning_centres",
    "school_safety_incidents",
    "exchange_programmes",
    "max_class_size",
    "library_books_per_student",
];

/// One district-year of the second workload: every target met on some rows and missed on
/// others, about one row in a hundred with more children enrolled than there are (invalid).
fn district20_row(rng: &mut Rng) -> [u64; 20] {
    let children = 2_000 + rng.below(20_000);
    let enrolled = if rng.below(100) == 0 {
        children + 1 + rng.below(5)
    } else {
        children - rng.below(children / 10 + 1)
    };
    let compulsory = 10_000 + rng.below(50_000);
    let compulsory_enrolled = compulsory - rng.below(3) * u64::from(rng.below(4) == 0);
    let students = 20_000 + rng.below(100_000);
    let cohort = students / 12 + rng.below(500);
    let graduates = cohort - rng.below(cohort / 25 + 1);
    let teachers = students / 13 + rng.below(200);
    let bachelor = teachers - rng.below(teachers / 6 + 1);
    let schools = 20 + rng.below(200);
    let playground = schools - rng.below(3) * u64::from(rng.below(2) == 0);
    let disabled = 50 + rng.below(500);
    let disabled_enrolled = disabled - rng.below(disabled / 20 + 1);
    [
        children,
        enrolled,
        compulsory,
        compulsory_enrolled,
        students,
        cohort,
        graduates,
        teachers,
        bachelor,
        schools,
        playground,
        disabled,
        disabled_enrolled,
        12 + rng.below(5),
        rng.below(6_000),
        30 + rng.below(40),
        rng.below(3) * u64::from(rng.below(4) == 0),
        20 + rng.below(20),
        35 + rng.below(16),
        20 + rng.below(20),
    ]
}

/// The second workload: `record.json` (one district-year, `Rng(7)`) and one million
/// district-year rows (seed 20211231) as `<field>.i32` columns.
fn generate_district20(dir: &Path, rows: usize) {
    fs::create_dir_all(dir).unwrap();
    let rec = district20_row(&mut Rng(7));
    let fields: Vec<String> = DISTRICT20_FIELDS
        .iter()
        .zip(rec)
        .map(|(f, v)| format!("\"{f}\": {v}"))
        .collect();
    fs::write(
        dir.join("record.json"),
        format!("{{\"district\": {{{}}}}}\n", fields.join(", ")),
    )
    .unwrap();
    let mut rng = Rng(20211231);
    let mut cols: Vec<Vec<u8>> = vec![Vec::with_capacity(rows * 4); 20];
    for _ in 0..rows {
        for (col, v) in cols.iter_mut().zip(district20_row(&mut rng)) {
            col.extend_from_slice(&(v as i32).to_le_bytes());
        }
    }
    let mut files = Vec::new();
    for (f, col) in DISTRICT20_FIELDS.iter().zip(&cols) {
        fs::write(dir.join(format!("{f}.i32")), col).unwrap();
        files.push(format!("\"{f}\": \"{f}.i32\""));
    }
    fs::write(
        dir.join("meta.json"),
        format!(
            "{{\"rows\": {rows}, \"seed\": 20211231, \"columns\": {{{}}}, \"levels\": []}}\n",
            files.join(", ")
        ),
    )
    .unwrap();
}

/// The Rust door on the second workload: the rule set of `plan` (district series), one record
/// (13 targets) and the million district-year rows from their `i32` columns.
fn run_district20(dir: &Path, plan: &Path) {
    let plan = Plan::from_json(&fs::read_to_string(plan).unwrap()).unwrap();
    let rules = RowRules::for_series(&plan);
    assert_eq!(rules.targets().len(), 13);
    let rec = district20_row(&mut Rng(7));
    let row: Vec<RowValue> = rules
        .fields()
        .iter()
        .map(|f| {
            let k = DISTRICT20_FIELDS.iter().position(|x| x == f).unwrap();
            num(rec[k])
        })
        .collect();
    let mut out = vec![RowVerdict::Missing; rules.targets().len()];
    let iters = 200_000;
    let mut samples = Vec::new();
    for rep in 0..11 {
        let t = Instant::now();
        for _ in 0..iters {
            rules.judge(black_box(&row), &[], &mut out);
            black_box(&out);
        }
        if rep > 0 {
            samples.push(t.elapsed().as_nanos() as f64 / iters as f64);
        }
    }
    let latency_ns = median(samples);
    let verdicts: Vec<&str> = out.iter().map(|v| v.as_str()).collect();

    let cols: Vec<Vec<i32>> = rules
        .fields()
        .iter()
        .map(|f| {
            fs::read(dir.join(format!("{f}.i32")))
                .unwrap()
                .chunks_exact(4)
                .map(|c| i32::from_le_bytes(c.try_into().unwrap()))
                .collect()
        })
        .collect();
    let rows = cols[0].len();
    let input_bytes = cols.len() * rows * 4;
    let judge_batch = || {
        let typed: Vec<Column<'_>> = cols.iter().map(|c| Column::Int32(c)).collect();
        let mut out = vec![vec![0u8; rows]; rules.targets().len()];
        let mut views: Vec<&mut [u8]> = out.iter_mut().map(Vec::as_mut_slice).collect();
        rules.judge_into(&typed, &[], &mut views);
        out
    };
    let before = rss_kb("VmRSS:");
    reset_peak();
    let out = judge_batch();
    let peak = rss_kb("VmHWM:");
    let counts: Vec<usize> = out
        .iter()
        .map(|c| c.iter().filter(|v| **v == RowVerdict::Met as u8).count())
        .collect();
    drop(out);
    let mut samples = Vec::new();
    let started = Instant::now();
    while samples.len() < 3 || started.elapsed().as_secs_f64() < 1.0 {
        let t = Instant::now();
        black_box(judge_batch());
        samples.push(rows as f64 / t.elapsed().as_secs_f64());
    }
    println!(
        "{{\"engine\": \"rust\", \"latency_ns\": {latency_ns:.1}, \"batch_rows_per_s\": {:.0}, \"batch_rows\": {rows}, \"peak_mb\": {:.1}, \"batch_extra_mb\": {:.1}, \"input_mb\": {:.1}, \"verdicts\": {:?}, \"batch_met\": {:?}}}",
        median(samples),
        rss_kb("VmHWM:") as f64 / 1024.0,
        peak.saturating_sub(before) as f64 / 1024.0,
        input_bytes as f64 / 1_048_576.0,
        verdicts,
        counts
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match (args.get(1).map(String::as_str), args.get(2)) {
        (Some("gen"), Some(dir)) => {
            generate(Path::new(dir), 1_000_000);
            generate_district20(&Path::new(dir).join("district20"), 1_000_000);
        }
        (Some("run"), Some(dir)) => match args.get(3) {
            Some(plan) => run_district20(Path::new(dir), Path::new(plan)),
            None => run(Path::new(dir)),
        },
        (Some("profile"), Some(what)) => profile(what),
        _ => {
            eprintln!(
                "usage: plan-rules-bench gen DIR | run DIR [PLAN] | profile record|rows|rows64|validate"
            );
            std::process::exit(2);
        }
    }
}
