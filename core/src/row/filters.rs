//! The attribute filters of a batch's targets (A6.1 counts only schools whose `level` is
//! primary, secondary or nine-year), decided a block of rows at a time.
//!
//! A coded column ([`Labels::Codes8`], [`Labels::Codes32`]) is judged once per label, when the
//! call starts: each row is then a table lookup by its code. A column of labels per row
//! ([`Labels::Text`]) compares a row's label with the allowed ones, remembering the answers for
//! the last few string slices seen (a categorical column's rows share a few slices).

use super::{FINE, Labels, MISSING, NOT_APPLICABLE};

/// One attribute of one target's filter: the labels it allows and, for a coded column, the
/// verdict of each code.
struct Judge<'f> {
    /// The attribute.
    attribute: usize,
    /// The labels the filter lets in.
    allowed: &'f [String],
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

/// The filters of every target of a call, ready to be applied a block at a time.
pub(super) struct Filters<'f> {
    /// Per target, per attribute its filter reads.
    targets: Vec<Vec<Judge<'f>>>,
}

/// A label's verdict under a filter that allows `allowed`.
fn verdict(label: Option<&str>, allowed: &[String]) -> u8 {
    match label {
        None => MISSING,
        Some(l) if allowed.iter().any(|x| x == l) => FINE,
        Some(_) => NOT_APPLICABLE,
    }
}

impl<'f> Filters<'f> {
    /// The filters `filters` (one per target: attribute, allowed labels) over the columns
    /// `attrs`.
    pub(super) fn new(
        filters: impl Iterator<Item = &'f [(usize, Vec<String>)]>,
        attrs: &[Labels<'_>],
    ) -> Filters<'f> {
        let judge = |(attribute, allowed): &'f (usize, Vec<String>)| {
            let table = match attrs.get(*attribute) {
                Some(Labels::Codes8 { labels, .. }) => {
                    let mut table = Box::new([MISSING; 256]);
                    for (slot, label) in table.iter_mut().zip(labels.iter().take(128)) {
                        *slot = verdict(*label, allowed);
                    }
                    Table::Codes8(table)
                }
                Some(Labels::Codes32 { labels, .. }) => {
                    Table::Codes32(labels.iter().map(|l| verdict(*l, allowed)).collect())
                }
                Some(Labels::Text(_)) | None => Table::None,
            };
            Judge {
                attribute: *attribute,
                allowed,
                table,
            }
        };
        Filters {
            targets: filters.map(|f| f.iter().map(judge).collect()).collect(),
        }
    }

    /// Whether target `target` has a filter.
    pub(super) fn has(&self, target: usize) -> bool {
        self.targets.get(target).is_some_and(|f| !f.is_empty())
    }

    /// The filter verdicts of target `target` for rows `start..` (as many as `out` holds) of
    /// the columns `attrs` (those given to [`new`](Self::new)): [`FINE`] (the row is in),
    /// [`NOT_APPLICABLE`] when a label is outside its list, else [`MISSING`] when a label is
    /// absent (as [`super::filter_verdict`] decides for one row).
    pub(super) fn block(&self, target: usize, attrs: &[Labels<'_>], start: usize, out: &mut [u8]) {
        out.fill(FINE);
        for (k, judge) in self
            .targets
            .get(target)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .enumerate()
        {
            let column = attrs
                .get(judge.attribute)
                .copied()
                .unwrap_or(Labels::Text(&[]));
            match (&judge.table, column) {
                // The first attribute's verdicts are the filter's so far: written as they are.
                (Table::Codes8(table), Labels::Codes8 { codes, labels }) if k == 0 => {
                    let codes = codes.get(start.min(codes.len())..).unwrap_or(&[]);
                    lookup8(out, codes, table, labels.len());
                }
                (Table::Codes8(table), Labels::Codes8 { codes, .. }) => {
                    let codes = codes.get(start.min(codes.len())..).unwrap_or(&[]);
                    let (head, tail) = out.split_at_mut(codes.len().min(out.len()));
                    for (o, c) in head.iter_mut().zip(codes) {
                        let t = table.get(usize::from(*c as u8)).copied();
                        *o = combine(*o, t.unwrap_or(MISSING));
                    }
                    for o in tail {
                        *o = combine(*o, MISSING);
                    }
                }
                (Table::Codes32(table), Labels::Codes32 { codes, .. }) => {
                    for (i, o) in out.iter_mut().enumerate() {
                        let t = codes
                            .get(start + i)
                            .and_then(|c| usize::try_from(*c).ok())
                            .and_then(|c| table.get(c));
                        *o = combine(*o, t.copied().unwrap_or(MISSING));
                    }
                }
                (_, Labels::Text(labels)) => text_block(judge.allowed, labels, start, out),
                // Columns other than those the tables were made for: label by label.
                _ => {
                    for (i, o) in out.iter_mut().enumerate() {
                        *o = combine(*o, verdict(column.get(start + i), judge.allowed));
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
/// attribute's verdict unless it lets the row in.
#[inline(always)]
fn combine(so_far: u8, attribute: u8) -> u8 {
    if so_far == NOT_APPLICABLE || attribute == FINE {
        so_far
    } else {
        attribute
    }
}

/// One attribute's filter verdicts on a column of labels, combined into `out`.
fn text_block(allowed: &[String], labels: &[Option<&str>], start: usize, out: &mut [u8]) {
    // The answers for the last few slices seen, by address and length, spare comparing the
    // texts again.
    let mut seen = [(0usize, 0usize, false); 8];
    let mut seen_len = 0;
    for (i, o) in out.iter_mut().enumerate() {
        if *o == NOT_APPLICABLE {
            continue;
        }
        match labels.get(start + i).copied().flatten() {
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
                    *o = NOT_APPLICABLE;
                }
            }
        }
    }
}
