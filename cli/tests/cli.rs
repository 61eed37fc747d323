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
    assert_eq!(v["targets"].as_array().unwrap().len(), 17);
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
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("[invalid_shape]"));

    let not_json = scratch("not.json");
    std::fs::write(&not_json, "{").unwrap();
    let out = bin().arg("check").arg(&not_json).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
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
    assert_eq!(out.status.code(), Some(2));
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
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 2: Altered"));
    // Appending to a damaged log is refused.
    let out = bin()
        .args(["report", "--format", "json", "--audit-log"])
        .arg(&log)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_committed_schemas_match_the_types() {
    let dir = scratch("schema");
    let out = bin().args(["schema", "--out"]).arg(&dir).output().unwrap();
    assert!(out.status.success());
    for name in ["plan.schema.json", "dataset.schema.json"] {
        let generated = std::fs::read_to_string(dir.join(name)).unwrap();
        let committed = std::fs::read_to_string(repo(&format!("spec/schema/{name}"))).unwrap();
        assert!(
            generated == committed,
            "spec/schema/{name} is stale: run `cargo run -p plan-rules-cli -- schema --out spec/schema`"
        );
    }
}
