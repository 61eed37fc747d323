//! The attribute filters of a batch's targets (A6.1 counts only schools whose `level` is
//! primary, secondary or nine-year), decided a block of rows at a time.
//!
//! A coded column ([`Labels::Codes8`], [`Labels::Codes32`]) is judged once per label, when the
//! call starts: each row is then a table lookup by its code. A column of labels per row
//! ([`Labels::Text`]) compares a row's label with the allowed ones, remembering the answers for
//! the last few string slices seen (a categorical column's rows share a few slices).
//!
//! Beside the filters, the attributes are checked against the values the dictionary allows,
//! once per block for every target: a label outside them makes the row [`INVALID`] (full
//! evaluation counts every value of such an entity as bad data), unless a target's filter has
//! already left the row out or found it missing.

use super::{FINE, INVALID, Labels, MISSING, NOT_APPLICABLE};

/// One attribute of one target's filter: the labels it allows and, for a coded column, the
/// verdict of each code.
struct Judge<'f> {
    /// The attribute.
    attribute: usize,
    /// The labels the filter lets in (or the dictionary allows, for a check).
    allowed: &'f [String],
    /// A check of the dictionary's values rather than a filter: outside is [`INVALID`],
    /// absent is [`FINE`].
    check: bool,
    /// The verdicts by code, when the attribute's column is coded.
    table: Table,
}

/// Verdicts by code: [`FINE`] for a label the filter allows, [`NOT_APPLICABLE`] for another,
/// [`MISSING`] for a missing label or code.
enum Table {
    /// The column is not coded.
    None,
    /// For [`Labels::Codes8`], indexed by the code's byte (a negative code and one beyond the
    /// labels: missing).
    Codes8(Box<[u8; 256]>),
    /// For [`Labels::Codes32`] (a code beyond the table: missing).
    Codes32(Vec<u8>),
}

impl Judge<'_> {
    /// Whether the verdict is [`FINE`] whatever the row holds: a check over a coded column
    /// whose every code (and every code beyond the labels, absent to a check) is fine.
    fn passes_every_row(&self) -> bool {
        self.check
            && match &self.table {
                Table::Codes8(t) => t.iter().all(|v| *v == FINE),
                Table::Codes32(t) => t.iter().all(|v| *v == FINE),
                Table::None => false,
            }
    }
}

/// The filters of every target of a call, ready to be applied a block at a time.
pub(super) struct Filters<'f> {
    /// Per target, per attribute its filter reads.
    targets: Vec<Vec<Judge<'f>>>,
    /// The checks of the attributes the dictionary gives a list of values.
    checks: Vec<Judge<'f>>,
}

/// A label's verdict under a filter that allows `allowed` (or a check, see [`Judge::check`]).
fn verdict(label: Option<&str>, allowed: &[String], check: bool) -> u8 {
    match label {
        None => absent(check),
        Some(l) if allowed.iter().any(|x| x == l) => FINE,
        Some(_) if check => INVALID,
        Some(_) => NOT_APPLICABLE,
    }
}

/// The verdict of an absent label: missing to a filter, fine to a check.
fn absent(check: bool) -> u8 {
    if check { FINE } else { MISSING }
}

impl<'f> Filters<'f> {
    /// The filters `filters` (one per target: its filter's attributes and allowed labels) and
    /// the `checks` (attributes and the dictionary's values) over the columns `attrs`.
    pub(super) fn new(
        filters: impl Iterator<Item = &'f [(usize, Vec<String>)]>,
        checks: &'f [(usize, Vec<String>)],
        attrs: &[Labels<'_>],
    ) -> Filters<'f> {
        let judge = |check: bool| {
            move |(attribute, allowed): &'f (usize, Vec<String>)| {
                let table = match attrs.get(*attribute) {
                    Some(Labels::Codes8 { labels, .. }) => {
                        let mut table = Box::new([absent(check); 256]);
                        for (slot, label) in table.iter_mut().zip(labels.iter().take(128)) {
                            *slot = verdict(*label, allowed, check);
                        }
                        Table::Codes8(table)
                    }
                    Some(Labels::Codes32 { labels, .. }) => {
                        Table::Codes32(labels.iter().map(|l| verdict(*l, allowed, check)).collect())
                    }
                    Some(Labels::Text(_)) | None => Table::None,
                };
                Judge {
                    attribute: *attribute,
                    allowed,
                    check,
                    table,
                }
            }
        };
        Filters {
            targets: filters
                .map(|f| f.iter().map(judge(false)).collect())
                .collect(),
            // A check that passes every code of its coded column (a categorical whose labels
            // the dictionary all allows, the usual case) has nothing to say: left out, so a
            // batch pays for checks only where a label can be wrong.
            checks: checks
                .iter()
                .map(judge(true))
                .filter(|j| !j.passes_every_row())
                .collect(),
        }
    }

    /// Whether any attribute is checked.
    pub(super) fn has_checks(&self) -> bool {
        !self.checks.is_empty()
    }

    /// The checks' verdicts for rows `start..` (as many as `out` holds): [`FINE`], or
    /// [`INVALID`] when a label is outside the dictionary's values. Worked out once per block;
    /// [`with_checks`] merges them into each target's.
    pub(super) fn checks(&self, attrs: &[Labels<'_>], start: usize, out: &mut [u8]) {
        run(&self.checks, attrs, start, out);
    }

    /// Whether target `target` has a filter.
    pub(super) fn has(&self, target: usize) -> bool {
        self.targets.get(target).is_some_and(|f| !f.is_empty())
    }

    /// The filter verdicts of target `target` for rows `start..` (as many as `out` holds) of
    /// the columns `attrs` (those given to [`new`](Self::new)): [`FINE`] (the row is in),
    /// [`NOT_APPLICABLE`] when a label is outside its list, else [`MISSING`] when a label is
    /// absent, else [`INVALID`] when a checked label is outside the dictionary's values (as
    /// [`super::filter_verdict`] decides for one row).
    pub(super) fn block(&self, target: usize, attrs: &[Labels<'_>], start: usize, out: &mut [u8]) {
        run(
            self.targets.get(target).map_or(&[][..], Vec::as_slice),
            attrs,
            start,
            out,
        );
    }
}

/// A target's filter verdicts with the checks': a row the filter lets in takes the checks'.
pub(super) fn with_checks(filter: &mut [u8], checks: &[u8]) {
    for (f, c) in filter.iter_mut().zip(checks) {
        *f = if *f == FINE { *c } else { *f };
    }
}

/// The verdicts of `judges` (a target's filter, or the checks) for rows `start..`.
fn run(judges: &[Judge<'_>], attrs: &[Labels<'_>], start: usize, out: &mut [u8]) {
    {
        out.fill(FINE);
        for (k, judge) in judges.iter().enumerate() {
            let column = attrs
                .get(judge.attribute)
                .copied()
                .unwrap_or(Labels::Text(&[]));
            let (check, missing) = (judge.check, absent(judge.check));
            match (&judge.table, column) {
                // The first attribute's verdicts are the filter's so far: written as they are.
                (Table::Codes8(table), Labels::Codes8 { codes, labels }) if k == 0 && !check => {
                    let codes = codes.get(start.min(codes.len())..).unwrap_or(&[]);
                    lookup8(out, codes, table, labels.len());
                }
                (Table::Codes8(table), Labels::Codes8 { codes, .. }) => {
                    let codes = codes.get(start.min(codes.len())..).unwrap_or(&[]);
                    let (head, tail) = out.split_at_mut(codes.len().min(out.len()));
                    for (o, c) in head.iter_mut().zip(codes) {
                        let t = table.get(usize::from(*c as u8)).copied();
                        *o = combine(*o, t.unwrap_or(missing), check);
                    }
                    for o in tail {
                        *o = combine(*o, missing, check);
                    }
                }
                (Table::Codes32(table), Labels::Codes32 { codes, .. }) => {
                    for (i, o) in out.iter_mut().enumerate() {
                        let t = codes
                            .get(start + i)
                            .and_then(|c| usize::try_from(*c).ok())
                            .and_then(|c| table.get(c));
                        *o = combine(*o, t.copied().unwrap_or(missing), check);
                    }
                }
                (_, Labels::Text(labels)) => text_block(judge.allowed, check, labels, start, out),
                // Columns other than those the tables were made for: label by label.
                _ => {
                    for (i, o) in out.iter_mut().enumerate() {
                        let v = verdict(column.get(start + i), judge.allowed, check);
                        *o = combine(*o, v, check);
                    }
                }
            }
        }
    }
}

/// Each row's verdict by its 8-bit code, from the verdicts of the codes of `labels` labels
/// (rows beyond the codes, negative codes and codes beyond the labels: missing).
fn lookup8(out: &mut [u8], codes: &[i8], table: &[u8; 256], labels: usize) {
    let (head, tail) = out.split_at_mut(codes.len().min(out.len()));
    tail.fill(MISSING);
    if labels > 16 {
        for (o, c) in head.iter_mut().zip(codes) {
            *o = table.get(usize::from(*c as u8)).copied().unwrap_or(MISSING);
        }
        return;
    }
    // A few labels (a categorical column's usual case): one pass per label whose rows are not
    // missing, comparing 16 codes at a time, instead of a lookup per row.
    head.fill(MISSING);
    for (code, verdict) in (0..=i8::MAX).zip(table.iter()).take(labels) {
        if *verdict == MISSING {
            continue;
        }
        for (o, c) in head.iter_mut().zip(codes) {
            *o = if *c == code { *verdict } else { *o };
        }
    }
}

/// A row's filter verdict so far with one more attribute's: left out stays left out, else the
/// attribute's verdict unless it lets the row in. A check only speaks for a row still in.
#[inline(always)]
fn combine(so_far: u8, attribute: u8, check: bool) -> u8 {
    if so_far == NOT_APPLICABLE || attribute == FINE || (check && so_far != FINE) {
        so_far
    } else {
        attribute
    }
}

/// One attribute's filter (or check) verdicts on a column of labels, combined into `out`.
fn text_block(
    allowed: &[String],
    check: bool,
    labels: &[Option<&str>],
    start: usize,
    out: &mut [u8],
) {
    // The answers for the last few slices seen, by address and length, spare comparing the
    // texts again.
    let mut seen = [(0usize, 0usize, false); 8];
    let mut seen_len = 0;
    for (i, o) in out.iter_mut().enumerate() {
        if *o == NOT_APPLICABLE || (check && *o != FINE) {
            continue;
        }
        match labels.get(start + i).copied().flatten() {
            None if check => {}
            None => *o = MISSING,
            Some(v) => {
                let key = (v.as_ptr() as usize, v.len());
                let known = seen.iter().take(seen_len).find(|(p, l, _)| (*p, *l) == key);
                let inside = match known {
                    Some(&(_, _, inside)) => inside,
                    None => {
                        let inside = allowed.iter().any(|x| x == v);
                        if let Some(slot) = seen.get_mut(seen_len) {
                            *slot = (key.0, key.1, inside);
                            seen_len += 1;
                        }
                        inside
                    }
                };
                if !inside {
                    *o = if check { INVALID } else { NOT_APPLICABLE };
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A check of a coded column whose every label the dictionary allows costs nothing per row
    /// (it was a lookup and a merge per row, a quarter of a batch's time from Python); one
    /// label outside the dictionary keeps it.
    #[test]
    fn a_check_every_code_passes_is_left_out() {
        let allowed = vec![(0, vec!["primary".to_string(), "secondary".to_string()])];
        let codes = [0i8, 1, 0, -1];
        let good = [Some("primary"), Some("secondary"), None];
        let attrs = [Labels::Codes8 {
            codes: &codes,
            labels: &good,
        }];
        let filters = Filters::new(std::iter::empty(), &allowed, &attrs);
        assert!(!filters.has_checks());
        let bad = [Some("primary"), Some("college")];
        let attrs = [Labels::Codes8 {
            codes: &codes,
            labels: &bad,
        }];
        let filters = Filters::new(std::iter::empty(), &allowed, &attrs);
        assert!(filters.has_checks());
        let mut out = [0u8; 4];
        filters.checks(&attrs, 0, &mut out);
        assert_eq!(out, [FINE, INVALID, FINE, FINE]);
        // A column of labels per row is checked row by row, as before.
        let text = [Some("primary"), Some("college")];
        let attrs = [Labels::Text(&text)];
        assert!(Filters::new(std::iter::empty(), &allowed, &attrs).has_checks());
    }
}
