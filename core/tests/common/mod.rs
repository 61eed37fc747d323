//! Helpers for the integration tests: small plans and datasets written inline.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use plan_rules::{Dataset, EvaluateOptions, Plan, Report, Status, TargetResult, evaluate};

pub mod alone;
use serde_json::{Value, json};

/// A dictionary with a few series of each type and a school kind.
pub fn dictionary() -> Value {
    json!({
        "series": {
            "num": {"title": {"zh": "分子", "en": "numerator"}, "type": "count", "unit": "persons"},
            "den": {"title": {"zh": "分母", "en": "denominator"}, "type": "count", "unit": "persons"},
            "bases": {"title": {"zh": "基地", "en": "bases"}, "type": "count", "unit": "bases"},
            "flow": {"title": {"zh": "当年人数", "en": "yearly number"}, "type": "count", "unit": "persons"},
            "years": {"title": {"zh": "年限", "en": "years"}, "type": "quantity", "unit": "years"},
            "money_a": {"title": {"zh": "拨款", "en": "appropriation"}, "type": "quantity", "unit": "10k CNY"},
            "money_b": {"title": {"zh": "收入", "en": "revenue"}, "type": "quantity", "unit": "10k CNY"},
            "share": {"title": {"zh": "比例", "en": "share"}, "type": "percent", "unit": "%"}
        },
        "entity_kinds": {
            "school": {
                "title": {"zh": "学校", "en": "school"},
                "attributes": {"level": {"title": {"zh": "学段", "en": "level"}, "allowed": ["primary", "secondary", "special"]}},
                "fields": {
                    "eligible": {"title": {"zh": "应测", "en": "eligible"}, "type": "count", "unit": "persons", "required": true},
                    "passed": {"title": {"zh": "合格", "en": "passed"}, "type": "count", "unit": "persons", "at_most": "eligible"},
                    "active": {"title": {"zh": "参与", "en": "takes part"}, "type": "flag"},
                    "teachers": {"title": {"zh": "教师", "en": "teachers"}, "type": "count", "unit": "persons"}
                }
            },
            "project": {
                "title": {"zh": "项目", "en": "project"},
                "fields": {"state": {"title": {"zh": "状态", "en": "state"}, "type": "state", "states": ["planned", "building", "in_use"]}}
            }
        }
    })
}

/// A target with a rule, due at the plan's end unless `deadline` says otherwise.
pub fn target(id: &str, rule: Value) -> Value {
    json!({
        "id": id,
        "title": {"zh": format!("目标{id}"), "en": format!("target {id}")},
        "description": {"zh": "测试", "en": "test"},
        "category": {"zh": "测试", "en": "test"},
        "importance": "key",
        "deadline": "2020-12-31",
        "deadline_basis": "plan_end",
        "citation": {"source": "annex1", "location": {"zh": "附件1", "en": "annex 1"}, "quote": "达到100%。"},
        "rule": rule
    })
}

/// A plan around some targets.
pub fn plan_value(targets: Vec<Value>) -> Value {
    json!({
        "id": "test-plan",
        "version": "1",
        "title": {"zh": "测试规划", "en": "test plan"},
        "source": {"zh": "测试", "en": "test"},
        "period": {"start": "2016-01-01", "end": "2020-12-31"},
        "baseline_year": 2015,
        "dictionary": dictionary(),
        "targets": targets
    })
}

pub fn plan(targets: Vec<Value>) -> Plan {
    match Plan::from_json(&plan_value(targets).to_string()) {
        Ok(p) => p,
        Err(e) => panic!(
            "test plan rejected: {:?}",
            e.iter().map(|x| x.to_string()).collect::<Vec<_>>()
        ),
    }
}

pub fn data(v: Value) -> Dataset {
    Dataset::from_json(&v.to_string()).expect("test data has the right shape")
}

pub fn run(plan: &Plan, data: &Dataset, as_of: &str) -> Report {
    evaluate(
        plan,
        data,
        as_of.parse().expect("date"),
        EvaluateOptions::default(),
    )
}

/// Evaluates one target and returns its result.
pub fn one(rule: Value, data_value: Value, as_of: &str) -> TargetResult {
    one_with(target("T", rule), data_value, as_of)
}

pub fn one_with(target_value: Value, data_value: Value, as_of: &str) -> TargetResult {
    let p = plan(vec![target_value]);
    let report = run(&p, &data(data_value), as_of);
    report.results.into_iter().next().expect("one result")
}

/// A series dataset from (name, [(year, value)]) pairs.
pub fn series(items: &[(&str, &[(i32, &str)])]) -> Value {
    let mut s = serde_json::Map::new();
    for (name, values) in items {
        let mut vals = serde_json::Map::new();
        for (y, v) in *values {
            vals.insert(y.to_string(), Value::String((*v).to_string()));
        }
        s.insert((*name).to_string(), json!({"values": vals}));
    }
    json!({"series": s})
}

pub fn rate_rule(target_percent: &str) -> Value {
    json!({"type": "rate", "numerator": {"from": "series", "series": "num"}, "denominator": {"from": "series", "series": "den"}, "target_percent": target_percent})
}

pub fn status(r: &TargetResult) -> (Status, Option<plan_rules::Grade>) {
    (r.status, r.grade)
}

pub fn reason(r: &TargetResult) -> &str {
    r.reason.as_ref().map(|x| x.code).unwrap_or("")
}

pub fn num(r: Option<plan_rules::Num>) -> String {
    r.map(|n| n.to_string()).unwrap_or_default()
}
