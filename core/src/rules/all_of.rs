//! All-of: a target made of parts, reached when every part is (学分认证 for community education
//! and for in-service continuing education).

use serde::Serialize;

use crate::eval::{Ctx, EvaluateOptions, Outcome, evaluate_rule, severity};
use crate::report::Status;
use crate::text::Text;

use super::Rule;

/// Every part must be reached. The combined status is the worst part's: not met, then off track
/// (regressing, insufficient, accelerate), then not assessable, then on track; met only when
/// every part is met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AllOfRule {
    /// The parts.
    pub parts: Vec<Part>,
}

/// One part of an all-of target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Part {
    /// Id, unique within the target (shown as `TARGET/PART`).
    pub id: String,
    /// Title.
    pub title: Text,
    /// The part's rule.
    pub rule: Rule,
}

impl AllOfRule {
    pub(crate) fn judge(&self, cx: &Ctx<'_, '_>, options: EvaluateOptions) -> Outcome {
        let diagnostics = &cx.data.diagnostics;
        let parts: Vec<_> = self
            .parts
            .iter()
            .map(|p| {
                evaluate_rule(
                    cx,
                    &p.rule,
                    &format!("{}/{}", cx.target.id, p.id),
                    &p.title,
                    options,
                    diagnostics,
                )
            })
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
            let mut na =
                crate::eval::NotAssessable::new(crate::eval::ReasonCode::PartNotAssessable);
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
}
