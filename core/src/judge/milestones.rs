//! Judging MilestonesRule (see [`crate::rules`] for the rule itself).

use crate::context::{Ctx, Level, NotAssessable, ReasonCode};
use crate::lookup::{self, read_entity_cell};
use crate::plan::MissingData;
use crate::prepare::CellValue;
use crate::report::{Counts, Culprit, CulpritDetail};
use crate::rules::MilestonesRule;
use crate::threshold::Threshold;
use crate::trail::Recorder;
use rust_decimal::Decimal;
use std::collections::BTreeSet;
use std::sync::Arc;

impl Threshold for MilestonesRule {
    fn years(&self, cx: &Ctx<'_, '_>) -> BTreeSet<i32> {
        lookup::entity_field_years(cx, &self.entity_kind, &[&self.state_field], &[])
    }

    fn level(
        &self,
        cx: &Ctx<'_, '_>,
        year: i32,
        rec: &mut Recorder,
    ) -> Result<Level, NotAssessable> {
        let kind = self.entity_kind.as_str();
        let entities: Vec<_> = cx
            .data
            .kinds
            .get(kind)
            .into_iter()
            .flat_map(|k| k.iter())
            .collect();
        if let Some(d) = entities.iter().find_map(|e| e.taint) {
            return Err(NotAssessable::bad_data(d));
        }
        let spec = cx.plan.dictionary.field_spec(kind, &self.state_field);
        let need = spec.and_then(|s| s.state_rank(&self.required_state));
        let state = lookup::kind_field(cx, kind, &self.state_field);
        let mut counts = Counts {
            population: self.items.len(),
            ..Counts::default()
        };
        let mut culprits = Vec::new();
        for item in &self.items {
            // Each message names the item, so a list of them reads on its own.
            let culprit = |problem, zh: String, en: String| Culprit {
                id: Arc::from(item.id.as_str()),
                name: Some(item.name.zh.clone()),
                problem,
                detail: CulpritDetail::Text {
                    zh: format!("{}（{}）：{zh}", item.name.zh, item.id),
                    en: format!("{} ({}): {en}", item.name.en, item.id),
                },
            };
            let cell = match entities.iter().find(|e| e.id == item.id) {
                Some(e) => read_entity_cell(cx, rec, kind, &state, *e, year),
                None => CellValue::Missing,
            };
            match cell {
                CellValue::State(rank) if need.is_some_and(|n| rank >= n) => counts.met += 1,
                CellValue::State(rank) => {
                    counts.unmet += 1;
                    let now = spec
                        .and_then(|s| s.states.get(rank).cloned())
                        .unwrap_or_default();
                    culprits.push(culprit(
                        "unmet",
                        format!("{year}年状态为 `{now}`，未达到 `{}`", self.required_state),
                        format!("state `{now}` in {year}, not yet `{}`", self.required_state),
                    ));
                }
                CellValue::Bad(d) => return Err(NotAssessable::bad_data(d)),
                _ => {
                    counts.missing += 1;
                    culprits.push(culprit(
                        "missing",
                        format!("{year}年没有状态记录"),
                        format!("no state recorded for {year}"),
                    ));
                }
            }
        }
        rec.step("count", || {
            (
                format!(
                    "{year}: {} items, `{}` reached `{}`: {}, not yet: {}, no record: {}",
                    counts.population,
                    self.state_field,
                    self.required_state,
                    counts.met,
                    counts.unmet,
                    counts.missing
                ),
                counts.met.to_string(),
            )
        });
        let stop = |na: NotAssessable, counts: Counts, culprits: Vec<Culprit>| NotAssessable {
            counts: Some(counts),
            culprits,
            ..na
        };
        if counts.missing > 0 {
            let all = counts.missing == counts.population;
            if cx.target.missing_data == MissingData::SkipIfAny || all {
                let na = NotAssessable::new(ReasonCode::MissingValue).with_detail(
                    format!("{year}年有{}个项目没有状态记录", counts.missing),
                    format!("{} items have no state for {year}", counts.missing),
                );
                return Err(stop(na, counts, culprits));
            }
            // skip_if_all and never_skip: an item without a record has not reached the state.
            rec.step("missing", || {
                (
                    format!(
                        "{} items without a record count as not reached",
                        counts.missing
                    ),
                    "0".into(),
                )
            });
        }
        let met = counts.met == counts.population && counts.population > 0;
        rec.step("compare", || {
            (
                format!("{} of {} items reached", counts.met, counts.population),
                met.to_string(),
            )
        });
        Ok(Level {
            value: Decimal::from(counts.met),
            met,
            culprits,
            counts: Some(counts),
            ..Level::default()
        })
    }

    fn goal(&self) -> Decimal {
        Decimal::from(self.items.len())
    }

    fn unit(&self, _: &Ctx<'_, '_>) -> Option<String> {
        Some("items".into())
    }
}
