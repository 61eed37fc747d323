//! The embedded Xicheng rule set against the plan's own text (`spec/plans/
//! xicheng-education-2016-2020.txt`): every quote is copied verbatim, and every location names
//! the text line that holds its quote, in the body or in the annexes as its source says; so does
//! every review of the monitoring calendar.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
use std::path::PathBuf;

use plan_rules::Plan;
use plan_rules::plan::{Citation, CitationSource};

/// The line where the annexes begin (附件：…); the body and its review come before it.
const ANNEXES_FROM: usize = 213;

fn text() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../spec/plans/xicheng-education-2016-2020.txt");
    std::fs::read_to_string(path).unwrap()
}

/// The number after `marker` in `s`, if any.
fn number_after(s: &str, marker: &str) -> Option<usize> {
    let at = s.find(marker)? + marker.len();
    let digits: String = s[at..].chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

fn check(id: &str, c: &Citation, lines: &[&str]) {
    assert!(!c.quote.is_empty(), "{id}: empty quote");
    let line = number_after(&c.location.en, "text line ")
        .or_else(|| number_after(&c.location.en, "on line "))
        .unwrap_or_else(|| panic!("{id}: the location names no text line: {}", c.location.en));
    assert!(
        c.location.zh.contains(&format!("第{line}行")),
        "{id}: the Chinese location names another line: {}",
        c.location.zh
    );
    let held = lines.get(line - 1).copied().unwrap_or("");
    assert!(
        held.contains(c.quote.as_str()),
        "{id}: text line {line} does not hold the quote verbatim: {}",
        c.quote
    );
    match c.source {
        CitationSource::Annex1 | CitationSource::Annex2 if line < ANNEXES_FROM => {
            // Annex 2's title is split over two lines of its table; it is quoted as listed among
            // the annexes (line 215), and the location says where the table is.
            assert!(
                c.location.en.contains("lines 272-364"),
                "{id}: an annex citation on body line {line}"
            );
        }
        CitationSource::Body | CitationSource::Review => {
            assert!(
                line < ANNEXES_FROM,
                "{id}: a body citation on annex line {line}"
            );
        }
        _ => {}
    }
}

#[test]
fn every_quote_is_verbatim_on_the_line_its_location_names() {
    let text = text();
    let lines: Vec<&str> = text.split('\n').collect();
    let plan = Plan::xicheng_2016_2020().unwrap();
    let mut checked = 0;
    for t in &plan.targets {
        for c in std::iter::once(&t.citation).chain(&t.related_citations) {
            if c.source == CitationSource::Law {
                continue; // the Education Law is not part of the plan's text
            }
            check(&t.id, c, &lines);
            checked += 1;
        }
    }
    // The monitoring calendar cites the plan too (年度监测, 中期评估).
    assert!(!plan.monitoring.is_empty());
    for r in &plan.monitoring {
        check(&r.id, &r.citation, &lines);
        checked += 1;
    }
    assert!(checked > plan.targets.len());
}

#[test]
fn the_text_is_the_plan_as_the_rule_set_cites_it() {
    let text = text();
    let lines: Vec<&str> = text.split('\n').collect();
    assert_eq!(lines[0].trim(), "序  言");
    assert!(lines[4].contains("实施时间为2016年1月1日到2020年12月31日"));
    assert!(lines[ANNEXES_FROM - 1].starts_with("附件："));
}

/// English labels (titles, categories, part titles, item names, the dictionary's titles) are
/// English only: plots draw them with fonts that have no Chinese, and the Chinese is in `zh`.
/// Descriptions, notes and criteria may keep a Chinese term beside its English.
#[test]
fn english_labels_hold_no_chinese() {
    let plan: serde_json::Value =
        serde_json::from_str(plan_rules::plan::XICHENG_2016_2020_JSON).unwrap();
    let mut labels: Vec<(String, String)> = Vec::new();
    fn walk(v: &serde_json::Value, path: &str, out: &mut Vec<(String, String)>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, x) in m {
                    walk(x, &format!("{path}/{k}"), out);
                }
            }
            serde_json::Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    walk(x, &format!("{path}/{i}"), out);
                }
            }
            serde_json::Value::String(s) => out.push((path.to_owned(), s.clone())),
            _ => {}
        }
    }
    walk(&plan, "", &mut labels);
    let checked: Vec<_> = labels
        .iter()
        .filter(|(p, _)| {
            ["/title/en", "/category/en", "/name/en"]
                .iter()
                .any(|end| p.ends_with(end))
        })
        .collect();
    assert!(checked.len() > 150);
    for (path, text) in checked {
        assert!(
            !text.chars().any(|c| ('\u{3000}'..='\u{9fff}').contains(&c)
                || ('\u{ff00}'..='\u{ffef}').contains(&c)),
            "{path}: {text}"
        );
    }
}
