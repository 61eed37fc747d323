//! The `plan-rules` binary end to end.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
use std::path::PathBuf;
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_plan-rules"))
}

fn repo(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(path)
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("plan-rules-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn report_json_is_the_golden_report() {
    let out = bin()
        .args(["report", "--format", "json", "--as-of", "2020-12-31"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let golden = std::fs::read(repo("tests/golden/xicheng-sample-2020-12-31.json")).unwrap();
    assert!(
        out.stdout == golden,
        "CLI JSON differs from tests/golden/xicheng-sample-2020-12-31.json"
    );
}

#[test]
fn progress_goes_to_standard_error_and_never_changes_the_report() {
    let run = |progress: &str| {
        bin()
            .args(["report", "--format", "json", "--as-of", "2020-12-31"])
            .args(["--progress", progress])
            .output()
            .unwrap()
    };
    let golden = std::fs::read(repo("tests/golden/xicheng-sample-2020-12-31.json")).unwrap();
    // `always`: a line per step where standard error is not a terminal; a step's new count at
    // most once a second, so the 70 targets of a quick report show only the first.
    let always = run("always");
    assert!(always.status.success());
    assert!(always.stdout == golden);
    assert_eq!(
        String::from_utf8(always.stderr).unwrap(),
        "reading the sample dataset\nevaluating 0/70 targets\nwriting the report\n"
    );
    // `auto` (the default) shows nothing when standard error is not a terminal, nor `never`.
    for progress in ["auto", "never"] {
        let out = run(progress);
        assert!(out.stdout == golden);
        assert!(out.stderr.is_empty(), "{progress}: {:?}", out.stderr);
    }
    let groups = bin()
        .args([
            "report",
            "--data",
            "-",
            "--data-format",
            "csv",
            "--kind",
            "school",
        ])
        .args([
            "--group-by",
            "district",
            "--progress",
            "always",
            "--format",
            "json",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(b"id,year,district,students\nS1,2020,a,900\nS2,2020,b,800\n")?;
            child.wait_with_output()
        })
        .unwrap();
    assert!(groups.status.success(), "{:?}", groups);
    assert_eq!(
        String::from_utf8(groups.stderr).unwrap(),
        "reading standard input\nevaluating 0/2 groups\nwriting the table\n"
    );
}

#[test]
fn report_table_is_bilingual_and_plain_when_piped() {
    let out = bin()
        .args(["report", "--as-of", "2018-12-31"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("进展顺利 on track"));
    assert!(text.contains("A1"));
    assert!(
        !text.contains('\x1b'),
        "no colour codes when not a terminal"
    );
    let en = String::from_utf8(
        bin()
            .args(["report", "--lang", "en"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(en.contains("not met") && !en.contains("未达标"));
    let md = String::from_utf8(
        bin()
            .args(["report", "--format", "markdown", "--lang", "zh"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(md.starts_with("# 评估报告"));
    assert!(md.contains("| A1 |"));
}

#[test]
fn rules_lists_citations() {
    let out = String::from_utf8(bin().arg("rules").output().unwrap().stdout).unwrap();
    assert!(out.contains("「西城区户籍适龄儿童接受学前教育率达到100%。」"));
    assert!(out.contains("A4.2  [approximate_count]"));
    let json = bin().args(["rules", "--format", "json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["targets"].as_array().unwrap().len(), 70);
}

#[test]
fn check_accepts_the_spec_and_sample_and_rejects_bad_files() {
    let ok = bin()
        .arg("check")
        .arg(repo("spec/plans/xicheng-education-2016-2020.json"))
        .output()
        .unwrap();
    assert!(ok.status.success());
    assert!(String::from_utf8_lossy(&ok.stdout).starts_with("ok: rule set"));
    let ok = bin()
        .arg("check")
        .arg(repo("spec/samples/xicheng-sample-2015-2020.json"))
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );

    let bad_data = scratch("bad-data.json");
    std::fs::write(
        &bad_data,
        r#"{"series": {"lifelong_learning_bases": {"values": {"2016": -2}}}}"#,
    )
    .unwrap();
    let out = bin().arg("check").arg(&bad_data).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("error[negative_value] /series/lifelong_learning_bases/values/2016")
    );

    let bad_plan = scratch("bad-plan.json");
    std::fs::write(&bad_plan, r#"{"id": "x", "targets": []}"#).unwrap();
    let out = bin().arg("check").arg(&bad_plan).output().unwrap();
    assert_eq!(out.status.code(), Some(3), "an input error");
    assert!(String::from_utf8_lossy(&out.stderr).contains("[invalid_shape]"));

    let not_json = scratch("not.json");
    std::fs::write(&not_json, "{").unwrap();
    let out = bin().arg("check").arg(&not_json).output().unwrap();
    assert_eq!(out.status.code(), Some(3), "an input error");
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error:"));
}

#[test]
fn bad_arguments_fail_with_a_message() {
    let out = bin()
        .args(["report", "--as-of", "2020-02-30"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a valid date"));
    // The error names its stable code, as every other error does.
    let out = bin()
        .args(["report", "--as-of", "2018-13-01"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("error: --as-of: [invalid_as_of] as-of date `2018-13-01`"),
        "{stderr}"
    );
    let out = bin()
        .args(["report", "--data", "/no/such/file.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "an input error");
    let out = bin().args(["report", "--format", "yaml"]).output().unwrap();
    assert!(!out.status.success());
}

#[test]
fn audit_log_round_trip_and_tamper_detection() {
    let log = scratch("audit.jsonl");
    let _ = std::fs::remove_file(&log);
    for as_of in ["2018-12-31", "2020-12-31"] {
        let out = bin()
            .args([
                "report",
                "--no-trail",
                "--format",
                "json",
                "--as-of",
                as_of,
                "--audit-log",
            ])
            .arg(&log)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = bin().arg("verify-log").arg(&log).output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("ok: 2 entries verify"));
    let text = std::fs::read_to_string(&log).unwrap();
    std::fs::write(
        &log,
        text.replacen("\"as_of\":\"2020-12-31\"", "\"as_of\":\"2021-12-31\"", 1),
    )
    .unwrap();
    let out = bin().arg("verify-log").arg(&log).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 2: altered"));
    // Appending to a damaged log is refused.
    let out = bin()
        .args(["report", "--format", "json", "--audit-log"])
        .arg(&log)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "an input error");
}

#[test]
fn the_committed_schemas_match_the_types() {
    let dir = scratch("schema");
    let out = bin().args(["schema", "--out"]).arg(&dir).output().unwrap();
    assert!(out.status.success());
    for name in [
        "plan.schema.json",
        "dataset.schema.json",
        "plan.canonical.schema.json",
        "report.schema.json",
    ] {
        let generated = std::fs::read_to_string(dir.join(name)).unwrap();
        let committed = std::fs::read_to_string(repo(&format!("spec/schema/{name}"))).unwrap();
        assert!(
            generated == committed,
            "spec/schema/{name} is stale: run `cargo run -p plan-rules-cli -- schema --out spec/schema`"
        );
    }
}

/// The embedded plan with A1's quote and A2's English title left out, as a draft or not.
fn sketchy_plan(name: &str, draft: bool) -> PathBuf {
    let mut v: serde_json::Value =
        serde_json::from_str(plan_rules::plan::XICHENG_2016_2020_JSON).unwrap();
    v["targets"][0]["citation"]
        .as_object_mut()
        .unwrap()
        .remove("quote");
    v["targets"][1]["title"]["en"] = "".into();
    if draft {
        v["status"] = "draft".into();
    }
    let path = scratch(name);
    std::fs::write(&path, v.to_string()).unwrap();
    path
}

#[test]
fn check_lists_a_draft_s_warnings_and_refuses_the_same_omissions_when_published() {
    let draft = sketchy_plan("draft-plan.json", true);
    let out = bin().arg("check").arg(&draft).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "warning[missing_quote] /targets/0/citation/quote: target `A1`: the citation at \
         `/targets/0/citation` quotes nothing (a draft may leave it out; complete it before \
         publishing) / 目标`A1`：`/targets/0/citation`处的引文没有引用规划原文（草稿规则集可以省略，\
         正式发布前须补全）"
    );
    assert_eq!(
        lines[1],
        "warning[missing_translation] /targets/1/title/en: target `A2`: the text at \
         `/targets/1/title` has no English (`en`) (a draft may leave it out; complete it before \
         publishing) / 目标`A2`：`/targets/1/title`处的文本缺少英文（`en`）（草稿规则集可以省略，\
         正式发布前须补全）"
    );
    assert!(
        lines[2].starts_with("ok: draft rule set `xicheng-education-2016-2020` 1.1.0 passes"),
        "{text}"
    );
    assert_eq!(
        lines[3],
        "2 warning(s): a draft is for quick checks; give every quote and both languages, and \
         drop `\"status\": \"draft\"`, before publishing"
    );

    let out = bin()
        .arg("check")
        .arg(&draft)
        .arg("--json")
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["status"], "draft");
    assert_eq!(v["warnings"][0]["code"], "missing_quote");
    assert_eq!(v["warnings"][0]["target"], "A1");
    assert_eq!(v["warnings"][1]["path"], "/targets/1/title/en");
    assert_eq!(v["warnings"].as_array().unwrap().len(), 2);

    let out = bin()
        .args(["report", "--lang", "en", "--plan"])
        .arg(&draft)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("(draft rule set: a quick check, not the published evaluation)")
    );
    assert!(String::from_utf8_lossy(&out.stderr).starts_with(
        "note: rule set `xicheng-education-2016-2020` is a draft (2 warning(s), listed by \
         `plan-rules check`)"
    ));

    let published = sketchy_plan("published-plan.json", false);
    let out = bin().arg("check").arg(&published).output().unwrap();
    assert_eq!(out.status.code(), Some(3), "an input error");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(
        "[missing_quote] target `A1`: the citation at `/targets/0/citation` quotes nothing; only \
         a draft rule set (`\"status\": \"draft\"`) may leave the quote out"
    ), "{err}");
    assert!(
        err.contains(
            "[missing_translation] target `A2`: the text at `/targets/1/title` has no English \
         (`en`); only a draft rule set (`\"status\": \"draft\"`) may give one language"
        ),
        "{err}"
    );

    // A published rule set answers with its status and no warnings.
    let out = bin()
        .arg("check")
        .arg(repo("spec/plans/xicheng-education-2016-2020.json"))
        .arg("--json")
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["status"], "published");
    assert_eq!(v["warnings"], serde_json::json!([]));
}

#[test]
fn a_review_of_the_calendar_can_be_asked_for_by_name() {
    let run = |as_of: &str| {
        let out = bin()
            .args(["report", "--format", "json", "--no-trail", "--as-of", as_of])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let (by_name, by_date) = (run("mid_term"), run("2018-06-30"));
    assert_eq!(by_name["as_of"], "2018-06-30");
    assert_eq!(by_name["review"]["id"], "mid_term");
    assert!(by_date.get("review").is_none());
    assert_eq!(by_name["results"], by_date["results"]);
    let text = bin()
        .args(["report", "--as-of", "mid_term", "--lang", "en"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&text.stdout).contains("mid-term review"));
    let bad = bin()
        .args(["report", "--as-of", "midterm"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(
        stderr.contains("[invalid_as_of]") && stderr.contains("mid_term"),
        "{stderr}"
    );
}

/// Runs the binary with `stdin` as its standard input.
fn with_stdin(args: &[&str], stdin: &[u8]) -> std::process::Output {
    use std::io::Write as _;
    let mut child = bin()
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn a_dash_reads_standard_input_wherever_a_file_is_read() {
    let sample = std::fs::read(repo("spec/samples/xicheng-sample-2015-2020.json")).unwrap();
    let piped = with_stdin(&["report", "--format", "json", "--data", "-"], &sample);
    assert!(
        piped.status.success(),
        "{}",
        String::from_utf8_lossy(&piped.stderr)
    );
    let golden = std::fs::read(repo("tests/golden/xicheng-sample-2020-12-31.json")).unwrap();
    assert!(
        piped.stdout == golden,
        "report from standard input differs from the golden"
    );
    let plan = std::fs::read(repo("spec/plans/xicheng-education-2016-2020.json")).unwrap();
    let checked = with_stdin(&["check", "-"], &plan);
    assert!(checked.status.success());
    assert!(String::from_utf8_lossy(&checked.stdout).starts_with("ok: rule set"));
    let rules = with_stdin(&["rules", "--plan", "-", "--lang", "en"], &plan);
    assert!(String::from_utf8_lossy(&rules.stdout).contains("Monitoring calendar"));
}

#[test]
fn exit_codes_are_distinct_and_errors_follow_the_format() {
    // Usage: an unknown flag, a bad value.
    let out = bin().args(["report", "--no-such-flag"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = bin()
        .args(["report", "--fail-on", "maybe"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    // Input: a file that is not there, as a JSON error object with --format json.
    let out = bin()
        .args(["report", "--format", "json", "--data", "/no/such.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let error: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(error["error"]["code"], "cannot_read");
    assert_eq!(error["error"]["location"], "/no/such.json");
    assert!(out.stdout.is_empty());
    // A bad as-of is a usage error with its stable code, in JSON too.
    let out = bin()
        .args(["report", "--format", "json", "--as-of", "2018-13-01"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let error: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(error["error"]["code"], "invalid_as_of");
    // verify-log answers in JSON with --format json.
    let log = scratch("empty.jsonl");
    std::fs::write(&log, "").unwrap();
    let out = bin()
        .args(["verify-log", "--format", "json"])
        .arg(&log)
        .output()
        .unwrap();
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answer["ok"], true);
}

#[test]
fn fail_on_gates_a_pipeline() {
    // The sample at the deadline has not_met targets and no off_track ones.
    let out = bin()
        .args(["report", "--format", "json", "--fail-on", "not_met"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(report["summary"]["not_met"].as_u64().unwrap() > 0);
    assert!(String::from_utf8_lossy(&out.stderr).contains("target(s) not_met (--fail-on)"));
    let out = bin()
        .args(["report", "--fail-on", "off_track"])
        .output()
        .unwrap();
    assert_eq!(report["summary"]["off_track"], 0);
    assert_eq!(out.status.code(), Some(0));
    // Comma-separated as well as repeated.
    let out = bin()
        .args(["report", "--fail-on", "off_track,not_met"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_closed_pipe_ends_quietly() {
    use std::io::Read as _;
    let mut child = bin()
        .args(["report", "--format", "json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Read one byte, then close the pipe, as `head -c 1` does.
    let mut stdout = child.stdout.take().unwrap();
    let mut byte = [0u8; 1];
    stdout.read_exact(&mut byte).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("Broken pipe"), "{stderr}");
    assert!(!stderr.contains("error"), "{stderr}");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn colour_and_completions() {
    let coloured = bin()
        .args(["report", "--color", "always"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&coloured.stdout).contains('\x1b'));
    let plain = bin().args(["report", "--color", "never"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&plain.stdout).contains('\x1b'));
    for shell in ["bash", "zsh", "fish"] {
        let out = bin().args(["completions", shell]).output().unwrap();
        assert!(out.status.success());
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("verify-log"),
            "{shell}"
        );
    }
}

const SCHOOLS_CSV: &str = "id,year,district,level,ice_snow_activity,teachers_foreign_affairs,students\n\
S1,2020,east,primary,true,1,900\n\
S2,2020,east,primary,false,2,800\n\
S3,2020,west,secondary,true,0,700\n\
S4,2020,west,secondary,true,1,\n";

/// A CSV table is the dataset its JSON would be: the same content hash, the same report.
#[test]
fn a_csv_table_reads_as_its_json_document() {
    let csv = scratch("schools.csv");
    std::fs::write(
        &csv,
        SCHOOLS_CSV
            .replace(",district", "")
            .replace(",east", "")
            .replace(",west", ""),
    )
    .unwrap();
    let json = scratch("schools.json");
    std::fs::write(
        &json,
        r#"{"entities": [
  {"kind": "school", "id": "S1", "attributes": {"level": "primary"}, "records": {"2020": {"ice_snow_activity": true, "students": 900, "teachers_foreign_affairs": 1}}},
  {"kind": "school", "id": "S2", "attributes": {"level": "primary"}, "records": {"2020": {"ice_snow_activity": false, "students": 800, "teachers_foreign_affairs": 2}}},
  {"kind": "school", "id": "S3", "attributes": {"level": "secondary"}, "records": {"2020": {"ice_snow_activity": true, "students": 700, "teachers_foreign_affairs": 0}}},
  {"kind": "school", "id": "S4", "attributes": {"level": "secondary"}, "records": {"2020": {"ice_snow_activity": true, "teachers_foreign_affairs": 1}}}
]}"#,
    )
    .unwrap();
    let run = |args: &[&str]| {
        let out = bin().args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let from_csv = run(&[
        "report",
        "--format",
        "json",
        "--data",
        csv.to_str().unwrap(),
        "--kind",
        "school",
    ]);
    let from_json = run(&[
        "report",
        "--format",
        "json",
        "--data",
        json.to_str().unwrap(),
    ]);
    assert_eq!(from_csv, from_json);
    // Long form: one row per entity, year and field.
    let long = scratch("schools-long.csv");
    std::fs::write(
        &long,
        "kind,id,year,level,field,value\n\
         school,S1,2020,primary,ice_snow_activity,true\nschool,S1,2020,primary,students,900\n\
         school,S1,2020,primary,teachers_foreign_affairs,1\n\
         school,S2,2020,primary,ice_snow_activity,false\nschool,S2,2020,primary,students,800\n\
         school,S2,2020,primary,teachers_foreign_affairs,2\n\
         school,S3,2020,secondary,ice_snow_activity,true\nschool,S3,2020,secondary,students,700\n\
         school,S3,2020,secondary,teachers_foreign_affairs,0\n\
         school,S4,2020,secondary,ice_snow_activity,true\nschool,S4,2020,secondary,teachers_foreign_affairs,1\n",
    )
    .unwrap();
    let from_long = run(&[
        "report",
        "--format",
        "json",
        "--data",
        long.to_str().unwrap(),
    ]);
    assert_eq!(from_long, from_json);
}

#[test]
fn group_by_writes_one_tidy_table() {
    let csv = scratch("grouped.csv");
    std::fs::write(&csv, SCHOOLS_CSV).unwrap();
    let out = bin()
        .args([
            "report",
            "--format",
            "json",
            "--data",
            csv.to_str().unwrap(),
            "--kind",
            "school",
            "--group-by",
            "district",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let row = |g: &str, t: &str| {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["group"] == g && r["target"] == t)
            .cloned()
            .unwrap()
    };
    assert_eq!(row("east", "A6.2")["status"], "not_met");
    assert_eq!(row("east", "A6.2")["unmet"], 1);
    assert_eq!(row("west", "A6.2")["status"], "met");
    assert_eq!(row("west", "A7")["status"], "not_met");
    assert_eq!(row("west", "A7")["observed"], "50");
    assert_eq!(row("east", "A1")["reason"], "no_data");
    // Text for people; --fail-on gates on any group's result.
    let out = bin()
        .args([
            "report",
            "--lang",
            "en",
            "--data",
            csv.to_str().unwrap(),
            "--kind",
            "school",
            "--group-by",
            "district",
            "--fail-on",
            "not_met",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("district  target"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.starts_with("west") && l.contains("A7") && l.contains("not met")),
        "{text}"
    );
}

#[test]
fn bad_tables_are_input_errors_naming_the_line() {
    let cases: [(&str, &[&str], &str, i32); 5] = [
        (
            "id,year,students\nS1,2020,5\nS2,20x0,6\n",
            &["--kind", "school"],
            "bad.csv:3: `20x0` in column `year` is not a year",
            3,
        ),
        (
            "id,year,students\nS1,2020,5\nS2,2020\n",
            &["--kind", "school"],
            "bad.csv:3",
            3,
        ),
        (
            "id,year,students\nS1,2020,5\n",
            &[],
            "no `kind` column: pass --kind",
            3,
        ),
        (
            "id,year,students\n,2020,5\n",
            &["--kind", "school"],
            "bad.csv:2: the `id` cell is empty",
            3,
        ),
        (
            "id,year,students\nS1,2020,5\n",
            &["--kind", "school", "--group-by", "district"],
            "no column `district` to group by",
            3,
        ),
    ];
    for (text, extra, message, code) in cases {
        let path = scratch("bad.csv");
        std::fs::write(&path, text).unwrap();
        let out = bin()
            .args(["report", "--data", path.to_str().unwrap()])
            .args(extra)
            .output()
            .unwrap();
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(code), "{err}");
        assert!(err.contains(message), "{message:?} not in {err}");
    }
    // A Parquet table is read like a CSV one (tests/parquet.rs): a missing file is an input
    // error.
    let out = bin()
        .args(["report", "--data", "/no/such/x.parquet", "--kind", "school"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read `/no/such/x.parquet`"));
    let out = bin()
        .args(["report", "--group-by", "district"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("read an entity table"));
}
