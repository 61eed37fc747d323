//! Criterion benchmarks of the engine (issue: speed and size budgets).
//!
//! - `one_record/*`: the plan's row-judgeable threshold targets on one record, statuses only
//!   (5 district-year targets + 7 school-year targets = 12).
//! - `per_school/1M_rows*`: the 7 per-school targets over one million generated school-year rows
//!   (fixed seed), from columns of values, from typed columns (i32, bool), and from int64
//!   columns with `level` as categorical codes into verdict buffers (`judge_into`).
//! - `evaluate/*`: the full evaluation of the sample (100 schools, 6 years), with and without trails.
//! - `serialise/report_json`: the sample report to JSON.
//! - `audit_log/*`: appending to and verifying a hash-chained log.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use plan_rules::row::{Column, Labels, RowRules, RowValue, RowVerdict};
use plan_rules::{Dataset, EvaluateOptions, Plan, SAMPLE_DATA_JSON, evaluate};

/// A small deterministic generator (xorshift64*), so the rows are the same on every run.
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

fn num(v: u64) -> RowValue {
    RowValue::Int(v as i64)
}

/// One school-year row with every field the per-school targets read.
fn school_row(rules: &RowRules, rng: &mut Rng) -> Vec<RowValue> {
    let mut row = vec![RowValue::Missing; rules.fields().len()];
    let students = 200 + rng.below(2000);
    let eligible = students - rng.below(20);
    let passed = eligible - rng.below(eligible / 10 + 1) * u64::from(rng.below(3) == 0);
    let teachers = students / 12;
    let pe = 3 + rng.below(8);
    for (i, f) in rules.fields().iter().enumerate() {
        row[i] = match f.as_str() {
            "students" => num(students),
            "health_test_eligible" => num(eligible),
            "health_test_passed" => num(passed),
            "pe_teachers" => num(pe),
            "pe_teachers_ice_snow_trained" => num(pe - rng.below(2)),
            "ice_snow_activity" | "international_exchange" => RowValue::Flag(rng.below(10) != 0),
            "teachers" => num(teachers),
            "teachers_foreign_affairs" => num(rng.below(4)),
            "teachers_international_exchange" => num(teachers / 2),
            "students_international_exchange" => num(students / 5),
            _ => RowValue::Missing,
        };
    }
    row
}

fn district_row(rules: &RowRules) -> Vec<RowValue> {
    rules
        .fields()
        .iter()
        .map(|f| match f.as_str() {
            "preschool_children_hukou" => num(10_400),
            "preschool_enrolled_hukou" => num(10_398),
            "free_education_years_disabled" => num(15),
            "hs_graduation_cohort" => num(2500),
            "hs_graduates" => num(2499),
            "lifelong_learning_bases" => num(103),
            "certification_points" => num(480),
            _ => RowValue::Missing,
        })
        .collect()
}

fn one_record(c: &mut Criterion) {
    let plan = Plan::xicheng_2016_2020().unwrap();
    let district = RowRules::for_series(&plan);
    let school = RowRules::for_entity_kind(&plan, "school");
    assert_eq!(district.targets().len() + school.targets().len(), 12);
    let drow = district_row(&district);
    let srow = school_row(&school, &mut Rng(7));
    let attrs = [Some("primary")];
    let mut dout = vec![RowVerdict::Missing; district.targets().len()];
    let mut sout = vec![RowVerdict::Missing; school.targets().len()];
    c.bench_function("one_record/12_targets_statuses_only", |b| {
        b.iter(|| {
            district.judge(black_box(&drow), &[], &mut dout);
            school.judge(black_box(&srow), black_box(&attrs), &mut sout);
            black_box((&dout, &sout));
        })
    });
    c.bench_function("one_record/compile_rules", |b| {
        b.iter(|| {
            (
                RowRules::for_series(black_box(&plan)),
                RowRules::for_entity_kind(black_box(&plan), "school"),
            )
        })
    });
}

fn per_school(c: &mut Criterion) {
    let plan = Plan::xicheng_2016_2020().unwrap();
    let rules = RowRules::for_entity_kind(&plan, "school");
    const ROWS: usize = 1_000_000;
    let mut rng = Rng(20161231);
    let mut columns: Vec<Vec<RowValue>> = vec![Vec::with_capacity(ROWS); rules.fields().len()];
    let mut levels: Vec<Option<&str>> = Vec::with_capacity(ROWS);
    for _ in 0..ROWS {
        for (col, v) in columns.iter_mut().zip(school_row(&rules, &mut rng)) {
            col.push(v);
        }
        levels.push(Some(
            ["primary", "secondary", "nine_year", "special_education"][rng.below(4) as usize],
        ));
    }
    let views: Vec<&[RowValue]> = columns.iter().map(Vec::as_slice).collect();
    let attrs: Vec<&[Option<&str>]> = vec![levels.as_slice()];
    let mut group = c.benchmark_group("per_school");
    group.sample_size(10);
    group.throughput(Throughput::Elements(ROWS as u64));
    group.bench_function("1M_rows_7_targets", |b| {
        b.iter(|| black_box(rules.judge_columns(black_box(&views), black_box(&attrs))))
    });
    // The same rows as typed columns (whole numbers as i32, flags as bool), the block path.
    let ints: Vec<Vec<i32>> = columns
        .iter()
        .map(|col| {
            col.iter()
                .map(|v| match v {
                    RowValue::Int(n) => i32::try_from(*n).unwrap(),
                    _ => 0,
                })
                .collect()
        })
        .collect();
    let flags: Vec<Vec<bool>> = columns
        .iter()
        .map(|col| col.iter().map(|v| *v == RowValue::Flag(true)).collect())
        .collect();
    let typed: Vec<Column<'_>> = columns
        .iter()
        .zip(ints.iter().zip(&flags))
        .map(|(col, (i, f))| match col.first() {
            Some(RowValue::Flag(_)) => Column::Flags(f),
            _ => Column::Int32(i),
        })
        .collect();
    assert_eq!(
        rules.judge_typed_columns(&typed, &attrs),
        rules.judge_columns(&views, &attrs)
    );
    group.bench_function("1M_rows_7_targets_typed_columns", |b| {
        b.iter(|| black_box(rules.judge_typed_columns(black_box(&typed), black_box(&attrs))))
    });
    // As a table holds them (pandas, Arrow): whole numbers as i64, `level` as categorical codes,
    // verdict codes written into buffers (`judge_into`, what the Python binding calls).
    let wide: Vec<Vec<i64>> = ints
        .iter()
        .map(|c| c.iter().map(|v| i64::from(*v)).collect())
        .collect();
    let table: Vec<Column<'_>> = typed
        .iter()
        .zip(&wide)
        .map(|(c, w)| match c {
            Column::Int32(_) => Column::Int64(w),
            other => *other,
        })
        .collect();
    let labels = [
        Some("primary"),
        Some("secondary"),
        Some("nine_year"),
        Some("special_education"),
    ];
    let codes: Vec<i8> = levels
        .iter()
        .map(|l| labels.iter().position(|x| x == l).map_or(-1, |p| p as i8))
        .collect();
    let coded = [Labels::Codes8 {
        codes: &codes,
        labels: &labels,
    }];
    let mut out = vec![vec![0u8; ROWS]; rules.targets().len()];
    let expected = rules.judge_typed_columns(&typed, &attrs);
    {
        let mut views: Vec<&mut [u8]> = out.iter_mut().map(Vec::as_mut_slice).collect();
        rules.judge_into(&table, &coded, &mut views);
    }
    for (got, want) in out.iter().zip(&expected) {
        assert!(got.iter().zip(want).all(|(g, w)| *g == *w as u8));
    }
    group.bench_function("1M_rows_7_targets_int64_coded_into", |b| {
        b.iter(|| {
            let mut views: Vec<&mut [u8]> = out.iter_mut().map(Vec::as_mut_slice).collect();
            rules.judge_into(black_box(&table), black_box(&coded), &mut views);
            black_box(&out);
        })
    });
    group.finish();
}

fn full_evaluation(c: &mut Criterion) {
    let plan = Plan::xicheng_2016_2020().unwrap();
    let data = Dataset::from_json(SAMPLE_DATA_JSON).unwrap();
    let as_of = "2018-12-31".parse().unwrap();
    let mut group = c.benchmark_group("evaluate");
    group.sample_size(20);
    group.bench_function("sample_statuses_only", |b| {
        b.iter(|| {
            evaluate(
                black_box(&plan),
                black_box(&data),
                as_of,
                EvaluateOptions::default().with_trail(false),
            )
        })
    });
    group.bench_function("sample_with_trails", |b| {
        b.iter(|| {
            evaluate(
                black_box(&plan),
                black_box(&data),
                as_of,
                EvaluateOptions::default().with_trail(true),
            )
        })
    });
    group.bench_function("load_sample_json", |b| {
        b.iter(|| Dataset::from_json(black_box(SAMPLE_DATA_JSON)).unwrap())
    });
    let report = evaluate(
        &plan,
        &data,
        as_of,
        EvaluateOptions::default().with_trail(true),
    );
    group.bench_function("serialise_report_json", |b| {
        b.iter(|| black_box(&report).to_json())
    });
    group.finish();
}

fn audit_log(c: &mut Criterion) {
    let plan = Plan::xicheng_2016_2020().unwrap();
    let report = evaluate(
        &plan,
        &Dataset::default(),
        "2018-12-31".parse().unwrap(),
        EvaluateOptions::default().with_trail(false),
    );
    const ENTRIES: usize = 1000;
    let mut log = String::new();
    for i in 0..ENTRIES {
        log.push_str(&plan_rules::audit_log::append(&log, &report, &format!("t{i}")).unwrap());
    }
    let mut group = c.benchmark_group("audit_log");
    group.sample_size(10);
    group.throughput(Throughput::Elements(ENTRIES as u64));
    group.bench_function("verify_1000_entries", |b| {
        b.iter(|| assert!(plan_rules::audit_log::verify(black_box(&log)).ok))
    });
    group.finish();
}

criterion_group!(benches, one_record, per_school, full_evaluation, audit_log);
criterion_main!(benches);
