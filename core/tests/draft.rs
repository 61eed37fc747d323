//! Draft rule sets: a rule set that says `"status": "draft"` may leave out citations' quotes and
//! one language of its texts; each omission is a warning (code, JSON pointer, target, message in
//! Chinese and English) and its reports say they come from a draft. A published rule set (or one
//! without `status`) must give them: each omission is an error that says a draft could omit it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod common;

use common::{plan_value, target};
use plan_rules::render::{self, Language};
use plan_rules::{Plan, PlanStatus, SpecError, WarningCode};
use serde_json::{Value, json};

fn count() -> Value {
    json!({"type": "count", "measure": {"from": "series", "series": "bases"}, "target": "100", "unit": "bases"})
}

/// A rule set with one target's quote and its title's English left out, and a dictionary
/// title without Chinese.
fn sketchy(status: Option<&str>) -> Value {
    let mut t = target("T1", count());
    t["citation"].as_object_mut().unwrap().remove("quote");
    t["title"] = json!({"zh": "目标一"});
    let mut p = plan_value(vec![t, target("T2", count())]);
    p["dictionary"]["series"]["bases"]["title"] = json!({"zh": "  ", "en": "bases"});
    if let Some(s) = status {
        p["status"] = s.into();
    }
    p
}

fn load(v: &Value) -> Result<Plan, plan_rules::SpecErrors> {
    Plan::from_json(&v.to_string())
}

#[test]
fn a_published_rule_set_must_give_every_quote_and_both_languages() {
    for status in [None, Some("published")] {
        let e = load(&sketchy(status)).unwrap_err();
        let got: Vec<(&str, Option<&str>, Option<&str>, String)> = e
            .iter()
            .map(|x| (x.code(), x.path(), x.target(), x.to_string()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "missing_translation",
                    Some("/dictionary/series/bases/title/zh"),
                    None,
                    "rule set: the text at `/dictionary/series/bases/title` has no Chinese \
                     (`zh`); only a draft rule set (`\"status\": \"draft\"`) may give one language"
                        .to_string()
                ),
                (
                    "missing_translation",
                    Some("/targets/0/title/en"),
                    Some("T1"),
                    "target `T1`: the text at `/targets/0/title` has no English (`en`); only a \
                     draft rule set (`\"status\": \"draft\"`) may give one language"
                        .to_string()
                ),
                (
                    "missing_quote",
                    Some("/targets/0/citation/quote"),
                    Some("T1"),
                    "target `T1`: the citation at `/targets/0/citation` quotes nothing; only a \
                     draft rule set (`\"status\": \"draft\"`) may leave the quote out"
                        .to_string()
                ),
            ],
            "{status:?}"
        );
        assert!(matches!(
            e.first(),
            SpecError::Omitted {
                code: WarningCode::MissingTranslation,
                ..
            }
        ));
        let detail = e.first().to_detail();
        assert_eq!(detail.code, "missing_translation");
        assert_eq!(
            detail.path.as_deref(),
            Some("/dictionary/series/bases/title/zh")
        );
    }
}

#[test]
fn a_draft_loads_and_lists_each_omission_as_a_warning() {
    let plan = load(&sketchy(Some("draft"))).unwrap();
    assert_eq!(plan.status, PlanStatus::Draft);
    assert!(plan.is_draft());
    let w = plan.warnings();
    let got: Vec<(&str, &str, Option<&str>, &str, &str)> = w
        .iter()
        .map(|x| {
            (
                x.code.as_str(),
                x.path.as_str(),
                x.target.as_deref(),
                x.message_en.as_str(),
                x.message_zh.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "missing_translation",
                "/dictionary/series/bases/title/zh",
                None,
                "rule set: the text at `/dictionary/series/bases/title` has no Chinese (`zh`) (a \
                 draft may leave it out; complete it before publishing)",
                "规则集：`/dictionary/series/bases/title`处的文本缺少中文（`zh`）（草稿规则集可以省略，\
                 正式发布前须补全）",
            ),
            (
                "missing_translation",
                "/targets/0/title/en",
                Some("T1"),
                "target `T1`: the text at `/targets/0/title` has no English (`en`) (a draft may \
                 leave it out; complete it before publishing)",
                "目标`T1`：`/targets/0/title`处的文本缺少英文（`en`）（草稿规则集可以省略，正式发布前须补全）",
            ),
            (
                "missing_quote",
                "/targets/0/citation/quote",
                Some("T1"),
                "target `T1`: the citation at `/targets/0/citation` quotes nothing (a draft may \
                 leave it out; complete it before publishing)",
                "目标`T1`：`/targets/0/citation`处的引文没有引用规划原文（草稿规则集可以省略，正式发布前须补全）",
            ),
        ]
    );
    assert_eq!(
        serde_json::to_value(&w[2]).unwrap(),
        json!({"code": "missing_quote", "path": "/targets/0/citation/quote", "target": "T1",
               "message_zh": w[2].message_zh, "message_en": w[2].message_en})
    );
    // What a draft leaves out reads as empty text; the canonical rule set says it is a draft.
    assert_eq!(plan.targets[0].citation.quote, "");
    assert_eq!(plan.targets[0].title.en, "");
    let canonical: Value = serde_json::from_str(&plan.to_json()).unwrap();
    assert_eq!(canonical["status"], "draft");
    // A published rule set's canonical form (and hash) has no `status`.
    let published = common::plan(vec![target("T2", count())]);
    assert!(!published.to_json().contains("\"status\""));
    assert!(published.warnings().is_empty());
    assert_eq!(published.status, PlanStatus::Published);
}

#[test]
fn a_draft_of_a_complete_rule_set_has_no_warnings_and_another_hash() {
    let mut p = plan_value(vec![target("T", count())]);
    let published = load(&p).unwrap();
    p["status"] = "draft".into();
    let draft = load(&p).unwrap();
    assert!(draft.warnings().is_empty());
    assert_ne!(draft.content_hash(), published.content_hash());
    p["status"] = "published".into();
    assert_eq!(load(&p).unwrap().content_hash(), published.content_hash());
}

#[test]
fn even_a_draft_must_give_one_language_of_a_text() {
    let mut t = target("T", count());
    t["category"] = json!({});
    let mut p = plan_value(vec![t]);
    p["status"] = "draft".into();
    let e = load(&p).unwrap_err();
    assert_eq!(e.len(), 1);
    assert_eq!(e.first().code(), "missing_text");
    assert_eq!(e.first().path(), Some("/targets/0/category"));
    assert_eq!(e.first().target(), Some("T"));
    assert_eq!(
        e.first().to_string(),
        "target `T`: the text at `/targets/0/category` has neither Chinese (`zh`) nor English \
         (`en`); even a draft rule set must give one of them"
    );
}

#[test]
fn every_text_and_citation_of_a_draft_is_looked_at() {
    let mut t = target(
        "B",
        json!({"type": "all_of", "parts": [
            {"id": "p", "title": {"en": "part"}, "rule": count()},
            {"id": "m", "title": {"zh": "项目", "en": "projects"}, "rule": {
                "type": "milestones", "entity_kind": "project", "state_field": "state", "required_state": "in_use",
                "items": [{"id": "P1", "name": {"zh": "一号"}}]}}
        ]}),
    );
    t["related_citations"] = json!([{"source": "law", "location": {"zh": "教育法"}, "quote": " "}]);
    t["notes"] = json!([{"kind": "other", "text": {"en": "a note"}}]);
    t["description"] = json!({"zh": "说明", "en": ""});
    let mut p = plan_value(vec![t]);
    p["status"] = "draft".into();
    p["notes"] = json!([{"kind": "vague", "text": {"zh": "注"}}]);
    p["source"] = json!({"en": "test"});
    p["dictionary"]["entity_kinds"]["school"]["attributes"]["level"]["title"] =
        json!({"zh": "学段"});
    p["dictionary"]["entity_kinds"]["project"]["fields"]["state"]["title"] = json!({"en": "state"});
    let plan = load(&p).unwrap();
    let got: Vec<(String, Option<String>)> = plan
        .warnings()
        .into_iter()
        .map(|w| (format!("{}:{}", w.code.as_str(), w.path), w.target))
        .collect();
    let t = |s: &str| Some(s.to_string());
    assert_eq!(
        got,
        [
            ("missing_translation:/source/zh".into(), None),
            (
                "missing_translation:/dictionary/entity_kinds/project/fields/state/title/zh".into(),
                None
            ),
            (
                "missing_translation:/dictionary/entity_kinds/school/attributes/level/title/en"
                    .into(),
                None
            ),
            (
                "missing_translation:/targets/0/description/en".into(),
                t("B")
            ),
            (
                "missing_translation:/targets/0/related_citations/0/location/en".into(),
                t("B")
            ),
            (
                "missing_quote:/targets/0/related_citations/0/quote".into(),
                t("B")
            ),
            (
                "missing_translation:/targets/0/rule/parts/0/title/zh".into(),
                t("B/p")
            ),
            (
                "missing_translation:/targets/0/rule/parts/1/rule/items/0/name/en".into(),
                t("B/m")
            ),
            (
                "missing_translation:/targets/0/notes/0/text/zh".into(),
                t("B")
            ),
            ("missing_translation:/notes/0/text/en".into(), None),
        ]
    );
}

#[test]
fn a_status_is_published_or_draft() {
    let mut p = plan_value(vec![target("T", count())]);
    p["status"] = "final".into();
    let e = load(&p).unwrap_err();
    assert_eq!(e.first().code(), "invalid_shape");
    assert_eq!(e.first().path(), Some("/status"));
    assert_eq!(
        e.first().to_string(),
        "rule set has the wrong shape at `/status`: unknown rule set status `final`, expected \
         one of published, draft"
    );
}

#[test]
fn a_draft_s_report_says_it_comes_from_a_draft() {
    let plan = load(&sketchy(Some("draft"))).unwrap();
    let data = common::data(common::series(&[("bases", &[(2020, "100")])]));
    let report = common::run(&plan, &data, "2020-12-31");
    assert_eq!(report.plan.status, PlanStatus::Draft);
    let v: Value = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(v["plan"]["status"], "draft");
    assert_eq!(v["results"][0]["status"], "met");
    // A published rule set's report has no status in its plan information.
    let published = common::plan(vec![target("T", count())]);
    let r = common::run(&published, &data, "2020-12-31");
    let v: Value = serde_json::from_str(&r.to_json()).unwrap();
    assert!(v["plan"].get("status").is_none());

    let table = render::table(&report, Language::En, false);
    assert!(
        table.contains("(draft rule set: a quick check, not the published evaluation)"),
        "{table}"
    );
    // A language the draft left out shows the other one.
    assert!(table.contains("目标一"), "{table}");
    let zh = render::table(&report, Language::Zh, false);
    assert!(zh.contains("（草稿规则集：快速检查，并非正式发布的评估）"));
    let md = render::markdown(&report, Language::Both);
    assert!(md.contains("> **（草稿规则集：快速检查，并非正式发布的评估） (draft rule set: a quick check, not the published evaluation)**"));
    assert!(render::html(&report).contains("<p class=\"draft\">"));
    assert!(!render::table(&r, Language::En, false).contains("draft"));
}

#[test]
fn check_answers_carry_the_status_and_the_warnings() {
    let request = json!({"plan": sketchy(Some("draft"))}).to_string();
    let answer: Value =
        serde_json::from_str(&plan_rules::ffi::check_json(&request).unwrap()).unwrap();
    assert_eq!(answer["ok"], true);
    assert_eq!(answer["status"], "draft");
    let codes: Vec<&str> = answer["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "missing_translation",
            "missing_translation",
            "missing_quote"
        ]
    );
    let answer: Value = serde_json::from_str(&plan_rules::ffi::check_json("{}").unwrap()).unwrap();
    assert_eq!(answer["status"], "published");
    assert_eq!(answer["warnings"], json!([]));
    // A published rule set with omissions is refused, every omission listed.
    let request = json!({"plan": sketchy(None)}).to_string();
    let e = plan_rules::ffi::check_json(&request).unwrap_err();
    assert_eq!((e.kind, e.code.as_str()), ("spec", "missing_translation"));
    assert_eq!(e.errors.len(), 3);
    assert_eq!(e.errors[2].code, "missing_quote");
    assert_eq!(
        e.errors[2].path.as_deref(),
        Some("/targets/0/citation/quote")
    );
    assert_eq!(e.errors[2].target.as_deref(), Some("T1"));
}

/// The worked example of `spec/README.md` (*Draft rule sets*) says what the engine does.
#[test]
fn the_worked_example_of_the_spec_holds() {
    let spec = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/README.md"),
    )
    .unwrap();
    let section = &spec[spec.find("### Draft rule sets").unwrap()..];
    let start = section.find("```json\n").unwrap() + 8;
    let end = start + section[start..].find("```").unwrap();
    let plan = Plan::from_json(&section[start..end]).unwrap();
    assert!(plan.is_draft());
    assert!(
        plan.content_hash()
            .to_string()
            .starts_with("sha256:b2a432b2")
    );
    let got: Vec<(&str, String)> = plan
        .warnings()
        .iter()
        .map(|w| (w.code.as_str(), w.path.clone()))
        .collect();
    assert_eq!(
        got,
        [
            ("missing_translation", "/title/en".to_string()),
            ("missing_translation", "/source/en".to_string()),
            ("missing_translation", "/targets/0/title/en".to_string()),
            (
                "missing_translation",
                "/targets/0/description/en".to_string()
            ),
            ("missing_quote", "/targets/0/citation/quote".to_string()),
        ]
    );
    let data = common::data(json!({"series": {
        "preschool_enrolled": {"values": {"2030": 9600}},
        "preschool_children": {"values": {"2030": 10000}}}}));
    let report = common::run(&plan, &data, "2030-12-31");
    assert_eq!(report.results[0].status, plan_rules::Status::Met);
    let table = render::table(&report, Language::En, false);
    assert!(table.starts_with(
        "district-plan-2026-2030-draft · version 0.1 · as of 2030-12-31 · data -\n(draft rule \
         set: a quick check, not the published evaluation)\n"
    ));
    let published = section[start..end].replace(r#""status": "draft","#, "");
    let e = Plan::from_json(&published).unwrap_err();
    assert_eq!(e.len(), 5);
    assert_eq!(
        e.iter().last().unwrap().to_string(),
        "target `P1`: the citation at `/targets/0/citation` quotes nothing; only a draft rule \
         set (`\"status\": \"draft\"`) may leave the quote out"
    );
}
