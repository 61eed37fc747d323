//! Groups in one call (分组评估): one table of every district's (or street's, or any grouping
//! column's) schools, split by the group of each row, each group evaluated as its own dataset,
//! the groups in parallel, and the results as one tidy table: a row per group and target.
//!
//! ```
//! use plan_rules::batch::{Column, EntityTable, Labels};
//! use plan_rules::groups::{evaluate_groups, split_table, tidy};
//! use plan_rules::{Dataset, EvaluateOptions, Plan, Status};
//!
//! let table = EntityTable {
//!     kind: "school".into(),
//!     ids: Labels::from_texts(["S1", "S2", "S3"].map(Some)),
//!     years: vec![2020; 3],
//!     fields: vec![("ice_snow_activity".into(), Column::Flags(vec![Some(true), Some(false), Some(true)]))],
//!     ..EntityTable::default()
//! };
//! let by = Labels::from_texts(["east", "west", "east"].map(Some));
//! let groups = split_table(table, &by, "district")?;
//! let datasets: Vec<(String, Dataset)> = groups
//!     .into_iter()
//!     .map(|(g, t)| {
//!         let mut data = Dataset::default();
//!         plan_rules::batch::add_entity_table(&mut data, t).map(|_| (g, data))
//!     })
//!     .collect::<Result<_, _>>()?;
//! let plan = Plan::xicheng_2016_2020().unwrap();
//! let reports = evaluate_groups(&plan, &datasets, "2020-12-31".parse().unwrap(), EvaluateOptions::default());
//! let rows = tidy(&reports);
//! let a62: Vec<_> = rows.iter().filter(|r| r.target == "A6.2").collect();
//! assert_eq!((a62[0].group.as_str(), a62[0].status), ("east", Status::Met));
//! assert_eq!((a62[1].group.as_str(), a62[1].status), ("west", Status::NotMet));
//! # Ok::<(), plan_rules::DataError>(())
//! ```

use serde::Serialize;

use crate::batch::EntityTable;
use crate::bound::Op;
use crate::dataset::Dataset;
use crate::date::Date;
use crate::error::DataError;
use crate::eval::{EvaluateOptions, UnhashedReport, evaluate_serial};
use crate::number::Num;
use crate::plan::{Obligation, Plan};
use crate::report::{Grade, Report, Status, TargetResult};
use crate::table::{Column, Labels};

/// Splits a table's rows by the group of each row (`by`, one label per row; `column` names it
/// in errors), in the order the groups first appear. A row without a group is refused.
pub fn split_table(
    table: EntityTable,
    by: &Labels,
    column: &str,
) -> Result<Vec<(String, EntityTable)>, DataError> {
    let rows = table.ids.len();
    if by.len() != rows {
        return Err(DataError::Shape {
            path: format!("/columns/{column}"),
            message: format!(
                "the group column `{column}` has {} rows but the ids have {rows}",
                by.len()
            ),
        });
    }
    let (codes, texts) = by.canonical();
    // The rows of each group, groups in the order they first appear.
    let mut slot_of: Vec<Option<usize>> = vec![None; texts.len()];
    let mut groups: Vec<(String, Vec<u32>)> = Vec::new();
    for (row, code) in by.codes.iter().enumerate() {
        let canonical = code.and_then(|c| codes.get(c as usize).copied());
        let Some(c) = canonical else {
            return Err(DataError::Shape {
                path: format!("/columns/{column}/{row}"),
                message: format!("row {row} has no value in the group column `{column}`"),
            });
        };
        let slot = match slot_of.get(c as usize).copied().flatten() {
            Some(s) => s,
            None => {
                let text = texts.get(c as usize).copied().unwrap_or_default();
                groups.push((text.to_string(), Vec::new()));
                if let Some(s) = slot_of.get_mut(c as usize) {
                    *s = Some(groups.len() - 1);
                }
                groups.len() - 1
            }
        };
        if let Some((_, r)) = groups.get_mut(slot) {
            r.push(u32::try_from(row).unwrap_or(u32::MAX));
        }
    }
    let mut scratch = Vec::new();
    Ok(groups
        .into_iter()
        .map(|(name, rows)| {
            let part = gather_table(&table, &rows, &mut scratch);
            (name, part)
        })
        .collect())
}

fn gather<T: Clone + Default>(values: &[T], rows: &[u32]) -> Vec<T> {
    rows.iter()
        .map(|r| values.get(*r as usize).cloned().unwrap_or_default())
        .collect()
}

/// Re-codes the codes of some rows to the values those rows use, in the order they first
/// appear: a group's labels hold its own values only (a table of two million school ids split
/// three hundred ways must not copy every id into every group). `scratch` is one slot per
/// value of the whole column, `u32::MAX` when unused, and is left so.
fn regather<T: Clone>(
    codes: &[Option<u32>],
    values: &[T],
    rows: &[u32],
    scratch: &mut Vec<u32>,
) -> (Vec<Option<u32>>, Vec<T>) {
    if scratch.len() < values.len() {
        scratch.resize(values.len(), u32::MAX);
    }
    let mut kept: Vec<T> = Vec::new();
    let mut touched: Vec<usize> = Vec::new();
    let out = rows
        .iter()
        .map(|r| {
            let c = codes.get(*r as usize).copied().flatten()? as usize;
            let slot = scratch.get_mut(c)?;
            if *slot == u32::MAX {
                *slot = u32::try_from(kept.len()).unwrap_or(u32::MAX);
                kept.push(values.get(c)?.clone());
                touched.push(c);
            }
            Some(*slot)
        })
        .collect();
    for c in touched {
        if let Some(slot) = scratch.get_mut(c) {
            *slot = u32::MAX;
        }
    }
    (out, kept)
}

fn gather_labels(labels: &Labels, rows: &[u32], scratch: &mut Vec<u32>) -> Labels {
    let (codes, values) = regather(&labels.codes, &labels.values, rows, scratch);
    Labels { codes, values }
}

fn gather_column(column: &Column, rows: &[u32], scratch: &mut Vec<u32>) -> Column {
    match column {
        Column::Ints { values, missing } => Column::ints(
            gather(values, rows),
            missing.as_ref().map(|m| gather(m, rows)),
        ),
        Column::Decimals(v) => Column::Decimals(gather(v, rows)),
        Column::Flags(v) => Column::Flags(gather(v, rows)),
        Column::Coded { codes, values } => {
            let (codes, values) = regather(codes, values, rows, scratch);
            Column::Coded { codes, values }
        }
    }
}

/// The rows `rows` of a table.
fn gather_table(table: &EntityTable, rows: &[u32], scratch: &mut Vec<u32>) -> EntityTable {
    EntityTable {
        kind: table.kind.clone(),
        ids: gather_labels(&table.ids, rows, scratch),
        years: gather(&table.years, rows),
        names: table
            .names
            .as_ref()
            .map(|n| gather_labels(n, rows, scratch)),
        active_from: table.active_from.as_ref().map(|v| gather(v, rows)),
        active_until: table.active_until.as_ref().map(|v| gather(v, rows)),
        attributes: table
            .attributes
            .iter()
            .map(|(name, labels)| (name.clone(), gather_labels(labels, rows, scratch)))
            .collect(),
        fields: table
            .fields
            .iter()
            .map(|(name, column)| (name.clone(), gather_column(column, rows, scratch)))
            .collect(),
    }
}

/// Evaluates a plan on each group's dataset at one as-of date, the groups shared among the
/// machine's cores as they come free (on WebAssembly one after another), and returns the
/// reports in the groups' order. Each report is the one [`crate::evaluate`] gives that group's
/// dataset.
pub fn evaluate_groups(
    plan: &Plan,
    groups: &[(String, Dataset)],
    as_of: Date,
    options: EvaluateOptions,
) -> Vec<(String, Report)> {
    evaluate_groups_with(plan, groups, as_of, options, &|_| true).unwrap_or_default()
}

/// [`evaluate_groups`], calling `on_done` with the number of groups evaluated so far after
/// each one (from whichever thread evaluated it): a progress bar's hook. When it returns
/// `false` no further group is started and the answer is `None` (cancelled: nothing is
/// returned half done).
pub fn evaluate_groups_with(
    plan: &Plan,
    groups: &[(String, Dataset)],
    as_of: Date,
    options: EvaluateOptions,
    on_done: &(dyn Fn(usize) -> bool + Sync),
) -> Option<Vec<(String, Report)>> {
    let finish = |(name, data): &(String, Dataset)| {
        (
            name.clone(),
            evaluate_serial(plan, data, as_of, options).finish(data),
        )
    };
    in_parallel(groups, &finish, on_done)
}

/// [`evaluate_groups_with`] without the datasets' content hashes (see [`UnhashedReport`]):
/// for a tidy table ([`tidy_results`]), which has no column for them. A million school-years
/// are 317 MB of canonical JSON to hash.
pub fn evaluate_groups_unhashed_with(
    plan: &Plan,
    groups: &[(String, Dataset)],
    as_of: Date,
    options: EvaluateOptions,
    on_done: &(dyn Fn(usize) -> bool + Sync),
) -> Option<Vec<(String, UnhashedReport)>> {
    let judge = |(name, data): &(String, Dataset)| {
        (name.clone(), evaluate_serial(plan, data, as_of, options))
    };
    in_parallel(groups, &judge, on_done)
}

/// `evaluate_one` of each group, the groups shared among the cores, in the groups' order.
fn in_parallel<R: Send>(
    groups: &[(String, Dataset)],
    evaluate_one: &(dyn Fn(&(String, Dataset)) -> R + Sync),
    on_done: &(dyn Fn(usize) -> bool + Sync),
) -> Option<Vec<R>> {
    let order: Vec<usize> = (0..groups.len()).collect();
    let workers = crate::parallel::workers(groups.len());
    let done = crate::parallel::map_in_order(groups, &order, workers, evaluate_one, on_done)?;
    // A group a failed thread left out (an engine defect) is evaluated here instead.
    Some(
        groups
            .iter()
            .zip(done)
            .map(|(g, r)| r.unwrap_or_else(|| evaluate_one(g)))
            .collect(),
    )
}

/// One row of the tidy table of groups: a target's result in one group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupRow {
    /// The group (the value of the grouping column).
    pub group: String,
    /// The target's id (a part's id for the parts of an all-of target: `A8.2/community`).
    pub target: String,
    /// The rule kind.
    pub kind: &'static str,
    /// Binding (约束性) or indicative (预期性), when the rule set says.
    pub obligation: Option<Obligation>,
    /// The verdict.
    pub status: Status,
    /// How far off track, for targets not yet due.
    pub grade: Option<Grade>,
    /// The unit of `observed`, `goal` and `gap`.
    pub unit: Option<String>,
    /// The value judged.
    pub observed: Option<Num>,
    /// The year of `observed`.
    pub observed_year: Option<i32>,
    /// The comparison (`>=`, `<` ...).
    pub op: Option<Op>,
    /// The target value (named `goal` here: `target` is the target's id).
    pub goal: Option<Num>,
    /// How far `observed` is from the target, in the target's direction.
    pub gap: Option<Num>,
    /// Entities in the population, when the target counts entities.
    pub population: Option<usize>,
    /// Entities meeting the condition.
    pub met: Option<usize>,
    /// Entities not meeting it.
    pub unmet: Option<usize>,
    /// Entities without data.
    pub missing: Option<usize>,
    /// Why the target could not be assessed (`missing_value` ...).
    pub reason: Option<&'static str>,
}

fn row(group: &str, r: &TargetResult) -> GroupRow {
    GroupRow {
        group: group.to_string(),
        target: r.id.clone(),
        kind: r.kind,
        obligation: r.obligation,
        status: r.status,
        grade: r.grade,
        unit: r.unit.clone(),
        observed: r.observed,
        observed_year: r.observed_year,
        op: r.op,
        goal: r.target,
        gap: r.gap,
        population: r.counts.map(|c| c.population),
        met: r.counts.map(|c| c.met),
        unmet: r.counts.map(|c| c.unmet),
        missing: r.counts.map(|c| c.missing),
        reason: r.reason.as_ref().map(|x| x.code),
    }
}

/// The tidy table of grouped reports: for each group in order, a row per target in the plan's
/// order (an all-of target's parts right after it).
pub fn tidy<'r>(reports: impl IntoIterator<Item = &'r (String, Report)>) -> Vec<GroupRow> {
    tidy_refs(reports.into_iter().map(|(g, r)| (g.as_str(), r)))
}

/// [`tidy`] of reports held elsewhere.
pub fn tidy_refs<'r>(reports: impl IntoIterator<Item = (&'r str, &'r Report)>) -> Vec<GroupRow> {
    tidy_results(reports.into_iter().map(|(g, r)| (g, r.results.as_slice())))
}

/// [`tidy`] of each group's results (a report's, or an [`UnhashedReport`]'s).
pub fn tidy_results<'r>(
    groups: impl IntoIterator<Item = (&'r str, &'r [TargetResult])>,
) -> Vec<GroupRow> {
    let mut out = Vec::new();
    for (group, results) in groups {
        for r in results {
            out.push(row(group, r));
            out.extend(r.parts.iter().map(|p| row(group, p)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::add_entity_table;
    use crate::eval::evaluate;

    fn table(n: usize) -> (EntityTable, Labels) {
        let ids: Vec<Option<String>> = (0..n).map(|i| Some(format!("S{i}"))).collect();
        let districts: Vec<Option<String>> = (0..n)
            .map(|i| Some(["d1", "d2", "d3"][i % 3].to_string()))
            .collect();
        let t = EntityTable {
            kind: "school".into(),
            ids: Labels::from_texts(ids),
            years: vec![2020; n],
            attributes: vec![("level".into(), Labels::from_texts(vec![Some("primary"); n]))],
            fields: vec![
                (
                    "ice_snow_activity".into(),
                    Column::Flags((0..n).map(|i| Some(i % 7 != 1)).collect()),
                ),
                (
                    "students".into(),
                    Column::ints(
                        (0..n as i64).collect(),
                        Some((0..n).map(|i| i % 11 == 0).collect()),
                    ),
                ),
            ],
            ..EntityTable::default()
        };
        (t, Labels::from_texts(districts))
    }

    /// Each group's rows as its own dataset.
    fn datasets(groups: Vec<(String, EntityTable)>) -> Vec<(String, Dataset)> {
        groups
            .into_iter()
            .map(|(g, t)| {
                let mut d = Dataset::default();
                add_entity_table(&mut d, t).unwrap();
                (g, d)
            })
            .collect()
    }

    /// Each group's report is the report of its rows alone, whichever thread made it.
    #[test]
    fn each_group_is_its_own_evaluation() {
        let (t, by) = table(300);
        let groups = split_table(t.clone(), &by, "district").unwrap();
        assert_eq!(
            groups
                .iter()
                .map(|(g, t)| (g.as_str(), t.ids.len()))
                .collect::<Vec<_>>(),
            vec![("d1", 100), ("d2", 100), ("d3", 100)]
        );
        let datasets = datasets(groups);
        let plan = Plan::xicheng_2016_2020().unwrap();
        let as_of = "2020-12-31".parse().unwrap();
        let reports = evaluate_groups(&plan, &datasets, as_of, EvaluateOptions::default());
        for ((g, data), (rg, report)) in datasets.iter().zip(&reports) {
            assert_eq!(g, rg);
            let alone = evaluate(&plan, data, as_of, EvaluateOptions::default());
            assert_eq!(alone.to_json(), report.to_json());
        }
        // Each group's ids are its own only.
        let again = split_table(table(300).0, &table(300).1, "district").unwrap();
        assert!(again.iter().all(|(_, t)| t.ids.values.len() == 100));
        let rows = tidy(&reports);
        let a62: Vec<&GroupRow> = rows.iter().filter(|r| r.target == "A6.2").collect();
        assert_eq!(a62.len(), 3);
        // i % 7 == 1 is unmet: d1 holds i = 0, 3, 6 ...; 15 of its 100 are 1 mod 7.
        let unmet: Vec<usize> = a62.iter().map(|r| r.unmet.unwrap()).collect();
        let expected: Vec<usize> = (0..3)
            .map(|d| (0..300).filter(|i| i % 3 == d && i % 7 == 1).count())
            .collect();
        assert_eq!(unmet, expected);
        assert!(
            a62.iter()
                .all(|r| r.status == Status::NotMet && r.population == Some(100))
        );
        assert_eq!(
            rows.len(),
            3 * rows.iter().filter(|r| r.group == "d1").count()
        );
    }

    /// Groups judged without their hashes give the tidy table the hashed reports give, and
    /// each finishes into the same report.
    #[test]
    fn unhashed_groups_give_the_same_table_and_reports() {
        let (t, by) = table(300);
        let datasets = datasets(split_table(t, &by, "district").unwrap());
        let plan = Plan::xicheng_2016_2020().unwrap();
        let as_of = "2020-12-31".parse().unwrap();
        let options = EvaluateOptions::default();
        let hashed = evaluate_groups(&plan, &datasets, as_of, options);
        let unhashed =
            evaluate_groups_unhashed_with(&plan, &datasets, as_of, options, &|_| true).unwrap();
        let table = tidy_results(unhashed.iter().map(|(g, r)| (g.as_str(), r.results())));
        assert_eq!(table, tidy(&hashed));
        assert_eq!(table.len(), 3 * 75);
        for (((g, u), (h, report)), (_, data)) in unhashed.into_iter().zip(&hashed).zip(&datasets) {
            assert_eq!(&g, h);
            let finished = u.finish(data);
            assert_eq!(finished.data.content_hash, data.content_hash());
            assert_eq!(finished.to_json(), report.to_json());
        }
    }

    #[test]
    fn progress_is_reported_and_a_refusal_cancels() {
        let (t, by) = table(60);
        let datasets = datasets(split_table(t, &by, "district").unwrap());
        let plan = Plan::xicheng_2016_2020().unwrap();
        let as_of = "2020-12-31".parse().unwrap();
        let seen = std::sync::Mutex::new(Vec::new());
        let all = evaluate_groups_with(&plan, &datasets, as_of, EvaluateOptions::default(), &|n| {
            seen.lock().unwrap().push(n);
            true
        });
        assert_eq!(all.map(|r| r.len()), Some(3));
        let mut seen = seen.into_inner().unwrap();
        seen.sort_unstable();
        assert_eq!(seen, vec![1, 2, 3]);
        let cancelled =
            evaluate_groups_with(&plan, &datasets, as_of, EvaluateOptions::default(), &|_| {
                false
            });
        assert!(cancelled.is_none());
    }

    #[test]
    fn a_row_without_a_group_is_refused() {
        let (t, mut by) = table(4);
        by.codes[2] = None;
        let err = split_table(t.clone(), &by, "district").unwrap_err();
        assert_eq!(err.path(), Some("/columns/district/2"));
        assert!(
            err.to_string()
                .contains("row 2 has no value in the group column `district`")
        );
        let short = Labels::from_texts([Some("d1")]);
        let err = split_table(t, &short, "district").unwrap_err();
        assert!(
            err.to_string().contains("has 1 rows but the ids have 4"),
            "{err}"
        );
    }
}
