//! Judging AllOfRule (see [`crate::rules`] for the rule itself).

use crate::context::{Ctx, NotAssessable, Outcome, PartResult, ReasonCode, severity};
use crate::report::Status;
use crate::rules::AllOfRule;
use crate::text::Text;

/// The worst of the parts' results, each evaluated by `part`.
pub(crate) fn judge(rule: &AllOfRule, cx: &Ctx<'_, '_>, part: PartResult<'_>) -> Outcome {
    let parts: Vec<_> = rule
        .parts
        .iter()
        .map(|p| part(&p.rule, &format!("{}/{}", cx.target.id, p.id), &p.title))
        .collect();
    let worst = parts.iter().max_by_key(|r| severity(r.status, r.grade));
    let (status, grade) = match worst {
        Some(w) => (w.status, w.grade),
        None => (Status::NotAssessable, None),
    };
    let mut out = Outcome {
        status: Some(status),
        grade,
        ..Outcome::default()
    };
    if status == Status::NotAssessable {
        let mut na = NotAssessable::new(ReasonCode::PartNotAssessable);
        if let Some(w) = worst {
            na.diagnostics = w.diagnostics.clone();
            if let Some(r) = &w.reason {
                na.detail = Some((
                    format!("`{}`：{}", w.id, r.zh),
                    format!("`{}`: {}", w.id, r.en),
                ));
            }
        }
        out.not_assessable = Some(na);
    }
    let met = parts.iter().filter(|p| p.status == Status::Met).count();
    let others: Vec<&crate::report::TargetResult> =
        parts.iter().filter(|p| p.status != Status::Met).collect();
    let label = status.label();
    let list_zh: Vec<String> = others
        .iter()
        .map(|p| format!("{}（{}）", p.id, p.status.label().zh))
        .collect();
    let list_en: Vec<String> = others
        .iter()
        .map(|p| format!("{} ({})", p.id, p.status.label().en))
        .collect();
    out.explanation = Some(if others.is_empty() {
        Text::new(
            format!("{}：全部{}个组成部分达标", label.zh, parts.len()),
            format!("{}: all {} parts are met", label.en, parts.len()),
        )
    } else {
        Text::new(
            format!(
                "{}：{}/{}个组成部分达标；{}",
                label.zh,
                met,
                parts.len(),
                list_zh.join("，")
            ),
            format!(
                "{}: {} of {} parts met; {}",
                label.en,
                met,
                parts.len(),
                list_en.join(", ")
            ),
        )
    });
    out.parts = parts;
    out
}
