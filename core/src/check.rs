//! Loading a rule set: reading it ([`crate::wire`]) and its static checks (静态检查), everything
//! that can be wrong before any data is seen. Each problem is a [`SpecError`] naming the target;
//! all are collected, not just the first.

use std::collections::BTreeSet;

use rust_decimal::Decimal;

use crate::bound::Op;
use crate::dictionary::{Dictionary, FieldSpec, ValueType};
use crate::error::{SpecError, SpecErrors};
use crate::limits;
use crate::measure::{AttributeFilter, Measure};
use crate::number::Num;
use crate::plan::{Comparison, Plan, Target};
use crate::rules::{ChangeFrom, ChangeInput, ChangeMethod, Condition, Rule, Tolerance};
use crate::wire::json::Json;
use crate::wire::pointer::Path;
use crate::wire::read::{WireError, read_struct};

struct Checker<'p> {
    plan: &'p Plan,
    errors: Vec<SpecError>,
    /// Whether the rule being checked is the inner rule of an `every_year` rule.
    in_every_year: bool,
}

impl Checker<'_> {
    fn invalid(&mut self, target: Option<&str>, message: String) {
        let context = match target {
            Some(t) => format!("target `{t}`"),
            None => "rule set".to_string(),
        };
        self.errors.push(SpecError::Invalid {
            target: target.map(str::to_string),
            context,
            message,
        });
    }

    fn unknown(&mut self, target: &str, what: &str, name: &str) {
        self.errors.push(SpecError::UnknownReference {
            target: target.into(),
            what: what.into(),
            name: name.into(),
        });
    }

    fn dict(&self) -> &Dictionary {
        &self.plan.dictionary
    }

    /// The spec of a measure, if it resolves.
    fn measure(&mut self, target: &str, m: &Measure) -> Option<&'_ FieldSpec> {
        let plan = self.plan;
        let spec = match m {
            Measure::Series { series, .. } => {
                let s = plan.dictionary.series.get(series);
                if s.is_none() {
                    self.unknown(target, "series", series);
                }
                s
            }
            Measure::EntitySum {
                entity_kind,
                field,
                filter,
                ..
            } => {
                if !self.kind_exists(target, entity_kind) {
                    return None;
                }
                self.filter(target, entity_kind, filter);
                let s = plan.dictionary.field_spec(entity_kind, field);
                if s.is_none() {
                    self.unknown(target, "field", &format!("{entity_kind}.{field}"));
                }
                s
            }
        }?;
        if !spec.value_type.is_numeric() {
            self.invalid(
                Some(target),
                format!(
                    "measure `{}` is not a number and cannot be summed or compared",
                    m.label()
                ),
            );
            return None;
        }
        Some(spec)
    }

    fn kind_exists(&mut self, target: &str, kind: &str) -> bool {
        let ok = self.dict().entity_kinds.contains_key(kind);
        if !ok {
            self.unknown(target, "entity kind", kind);
        }
        ok
    }

    fn filter(&mut self, target: &str, kind: &str, filter: &[AttributeFilter]) {
        for f in filter {
            let attr = self
                .dict()
                .entity_kinds
                .get(kind)
                .and_then(|k| k.attributes.get(&f.attribute))
                .cloned();
            match attr {
                None => self.unknown(target, "attribute", &format!("{kind}.{}", f.attribute)),
                Some(a) => {
                    if f.one_of.is_empty() {
                        self.invalid(
                            Some(target),
                            format!("filter on `{}` keeps no value", f.attribute),
                        );
                    }
                    for v in &f.one_of {
                        if !a.allowed.is_empty() && !a.allowed.contains(v) {
                            self.invalid(
                                Some(target),
                                format!(
                                    "filter value `{v}` is not allowed for attribute `{}`",
                                    f.attribute
                                ),
                            );
                        }
                    }
                }
            }
        }
    }

    fn field(
        &mut self,
        target: &str,
        kind: &str,
        field: &str,
        want: &[ValueType],
    ) -> Option<FieldSpec> {
        let spec = self.dict().field_spec(kind, field).cloned();
        match &spec {
            None => self.unknown(target, "field", &format!("{kind}.{field}")),
            Some(s) if !want.contains(&s.value_type) => self.invalid(
                Some(target),
                format!(
                    "field `{kind}.{field}` is a {:?} but the condition needs {want:?}",
                    s.value_type
                ),
            ),
            Some(_) => {}
        }
        spec
    }

    fn percent(&mut self, target: &str, name: &str, p: Decimal) {
        if p <= Decimal::ZERO || p > Decimal::ONE_HUNDRED {
            self.invalid(
                Some(target),
                format!("`{name}` is {p}, expected more than 0 and at most 100"),
            );
        }
    }

    /// A ratio's parts must share a unit.
    fn same_unit(&mut self, id: &str, n: Option<&FieldSpec>, d: Option<&FieldSpec>) {
        if let (Some(n), Some(d)) = (n, d)
            && n.unit != d.unit
        {
            self.errors.push(SpecError::RateUnitMismatch {
                target: id.into(),
                numerator_unit: Self::unit_of(Some(n)),
                denominator_unit: Self::unit_of(Some(d)),
            });
        }
    }

    fn unit_of(spec: Option<&FieldSpec>) -> String {
        spec.and_then(|s| s.unit.clone()).unwrap_or_default()
    }

    fn rule(&mut self, t: &Target, id: &str, path: &str, rule: &Rule, depth: usize) {
        if depth > limits::MAX_RULE_DEPTH {
            self.invalid(
                Some(id),
                format!("rules nest deeper than {}", limits::MAX_RULE_DEPTH),
            );
            return;
        }
        let in_every_year = std::mem::take(&mut self.in_every_year);
        match rule {
            Rule::Rate(r) => {
                let n = self.measure(id, &r.numerator).cloned();
                let d = self.measure(id, &r.denominator).cloned();
                self.same_unit(id, n.as_ref(), d.as_ref());
                if n.iter().chain(d.iter()).any(|s| s.signed) {
                    self.invalid(
                        Some(id),
                        "a rate's numerator and denominator cannot be signed fields".into(),
                    );
                }
                if r.gross {
                    if r.target_percent.0 <= Decimal::ZERO {
                        self.invalid(
                            Some(id),
                            format!(
                                "`target_percent` is {}, expected more than 0",
                                r.target_percent
                            ),
                        );
                    }
                } else {
                    self.percent(id, "target_percent", r.target_percent.0);
                }
                self.aspiration(id, r.op, r.target_percent, r.aspiration);
            }
            Rule::Count(r) => {
                let spec = self.measure(id, &r.measure).cloned();
                self.unit(id, &r.unit, &r.measure, spec.as_ref());
                if r.target.0 < Decimal::ZERO && !spec.as_ref().is_some_and(|s| s.signed) {
                    self.invalid(Some(id), format!("count target {} is negative", r.target));
                }
                self.aspiration(id, r.op, r.target, r.aspiration);
            }
            Rule::Value(r) => {
                let spec = self.measure(id, &r.measure).cloned();
                self.unit(id, &r.unit, &r.measure, spec.as_ref());
                self.aspiration(id, r.op, r.limit, r.aspiration);
            }
            Rule::Change(r) => {
                self.measure(id, &r.measure);
                if r.method == ChangeMethod::Absolute && r.input == ChangeInput::YearlyRates {
                    self.invalid(
                        Some(id),
                        "an absolute change cannot be computed from yearly rates (use `relative` or `annual_rate`)".into(),
                    );
                }
                if r.from == ChangeFrom::PreviousYear && !in_every_year {
                    self.invalid(
                        Some(id),
                        "a change from the previous year is judged only inside `every_year`".into(),
                    );
                }
                self.aspiration(id, r.op, r.amount, r.aspiration);
            }
            Rule::EveryYear(r) => {
                let allowed = matches!(
                    *r.rule,
                    Rule::Value(_)
                        | Rule::Count(_)
                        | Rule::Rate(_)
                        | Rule::Duration(_)
                        | Rule::Coverage(_)
                        | Rule::Change(_)
                );
                if !allowed {
                    self.invalid(
                        Some(id),
                        format!(
                            "`every_year` holds a `{}` rule; expected value, count, rate, duration, coverage or change",
                            r.rule.kind()
                        ),
                    );
                }
                if let Some(y) = r.from_year
                    && (y < self.plan.period.start.year() || y > t.deadline.year())
                {
                    self.invalid(
                        Some(id),
                        format!(
                            "from_year {y} is outside the period's years {}-{}",
                            self.plan.period.start.year(),
                            t.deadline.year()
                        ),
                    );
                }
                if t.deadline.month() != 12 || t.deadline.day() != 31 {
                    self.invalid(
                        Some(id),
                        format!(
                            "an every_year target must fall due on 31 December (its last year's value describes the year's end), not {}",
                            t.deadline
                        ),
                    );
                }
                let inner_aspiration = match &*r.rule {
                    Rule::Value(x) => x.aspiration.is_some(),
                    Rule::Count(x) => x.aspiration.is_some(),
                    Rule::Rate(x) => x.aspiration.is_some(),
                    Rule::Duration(x) => x.aspiration.is_some(),
                    Rule::Change(x) => x.aspiration.is_some(),
                    _ => false,
                };
                if inner_aspiration {
                    self.invalid(
                        Some(id),
                        "an aspiration inside every_year is not judged year by year; state it on a target of its own".into(),
                    );
                }
                if allowed {
                    self.in_every_year = true;
                    let inner = format!("{path}/rule");
                    self.rule(t, id, &inner, &r.rule, depth + 1);
                    self.in_every_year = false;
                }
            }
            Rule::Qualitative(r) => {
                if r.criterion.zh.trim().is_empty() && r.criterion.en.trim().is_empty() {
                    self.invalid(Some(id), "a qualitative rule states no criterion".into());
                }
                if depth > 0 {
                    self.invalid(
                        Some(id),
                        "a qualitative rule must be a target's own rule (judgements are recorded per target), not a part or an inner rule".into(),
                    );
                }
            }
            Rule::ApproximateCount(r) => {
                let spec = self.measure(id, &r.measure).cloned();
                self.unit(id, &r.unit, &r.measure, spec.as_ref());
                if !(r.lower.0 <= r.nominal.0 && r.nominal.0 <= r.upper.0)
                    || r.lower.0 < Decimal::ZERO
                {
                    self.invalid(
                        Some(id),
                        format!(
                            "band [{}, {}] must hold the nominal {} and start at 0 or more",
                            r.lower, r.upper, r.nominal
                        ),
                    );
                }
            }
            Rule::Duration(r) => {
                let spec = self.measure(id, &r.measure).cloned();
                self.unit(id, "years", &r.measure, spec.as_ref());
                if r.target_years.0 <= Decimal::ZERO {
                    self.invalid(
                        Some(id),
                        format!("duration target {} must be positive", r.target_years),
                    );
                }
            }
            Rule::Coverage(r) => {
                if self.kind_exists(id, &r.entity_kind) {
                    self.filter(id, &r.entity_kind, &r.filter);
                    self.condition(id, &r.entity_kind, &r.condition);
                }
                self.percent(id, "target_percent", r.target_percent.0);
            }
            Rule::GrowthComparison(r) => {
                self.measure(id, &r.subject);
                self.measure(id, &r.benchmark);
                if let Some(tol) = r.tolerance {
                    if r.strict {
                        self.invalid(
                            Some(id),
                            "a tolerance needs `strict: false` (growth in step may fall short by the tolerance)".into(),
                        );
                    }
                    let (Tolerance::Points(v) | Tolerance::RelativePercent(v)) = tol;
                    if v.0 < Decimal::ZERO {
                        self.invalid(Some(id), format!("tolerance {v} is negative"));
                    }
                }
                if let Some(y) = r.from_year
                    && y >= t.deadline.year()
                {
                    self.invalid(
                        Some(id),
                        format!(
                            "from_year {y} is not before the deadline year {}",
                            t.deadline.year()
                        ),
                    );
                }
            }
            Rule::Milestones(r) => {
                if self.kind_exists(id, &r.entity_kind)
                    && let Some(spec) =
                        self.field(id, &r.entity_kind, &r.state_field, &[ValueType::State])
                    && spec.state_rank(&r.required_state).is_none()
                {
                    self.invalid(
                        Some(id),
                        format!(
                            "required state `{}` is not one of {}",
                            r.required_state,
                            spec.states.join(", ")
                        ),
                    );
                }
                if r.items.is_empty() {
                    self.invalid(Some(id), "milestones list no items".into());
                }
                let mut seen = BTreeSet::new();
                for (k, item) in r.items.iter().enumerate() {
                    if !seen.insert(item.id.as_str()) {
                        self.errors.push(SpecError::DuplicateId {
                            target: format!("{id}/{}", item.id),
                            path: format!("{path}/items/{k}/id"),
                        });
                    }
                }
            }
            Rule::AllOf(r) => {
                if r.parts.is_empty() {
                    self.invalid(Some(id), "all_of has no parts".into());
                }
                let mut seen = BTreeSet::new();
                for (k, p) in r.parts.iter().enumerate() {
                    let pid = format!("{id}/{}", p.id);
                    self.ident(&pid);
                    if !seen.insert(p.id.as_str()) {
                        self.errors.push(SpecError::DuplicateId {
                            target: pid.clone(),
                            path: format!("{path}/parts/{k}/id"),
                        });
                    }
                    let part_path = format!("{path}/parts/{k}/rule");
                    self.rule(t, &pid, &part_path, &p.rule, depth + 1);
                }
            }
        }
    }

    /// An aspiration must lie beyond the limit in the bound's direction.
    fn aspiration(&mut self, id: &str, op: Op, limit: Num, aspiration: Option<Num>) {
        if let Some(a) = aspiration {
            let beyond = if op.rising() {
                a.0 > limit.0
            } else {
                a.0 < limit.0
            };
            if !beyond {
                self.invalid(
                    Some(id),
                    format!(
                        "aspiration {a} is not beyond the limit {limit} in the bound's direction ({})",
                        op.as_str()
                    ),
                );
            }
        }
    }

    fn unit(&mut self, id: &str, expected: &str, m: &Measure, spec: Option<&FieldSpec>) {
        if let Some(spec) = spec {
            let found = Self::unit_of(Some(spec));
            if found != expected {
                self.errors.push(SpecError::UnitMismatch {
                    target: id.into(),
                    expected: expected.into(),
                    found,
                    measure: m.label(),
                });
            }
        }
    }

    fn condition(&mut self, id: &str, kind: &str, c: &Condition) {
        let numeric = [ValueType::Count, ValueType::Quantity, ValueType::Percent];
        match c {
            Condition::IsTrue { field } => {
                self.field(id, kind, field, &[ValueType::Flag]);
            }
            Condition::AtLeast { field, .. } => {
                self.field(id, kind, field, &numeric);
            }
            Condition::RatioAtLeast {
                numerator,
                denominator,
                percent,
            } => {
                let n = self.field(id, kind, numerator, &numeric);
                let d = self.field(id, kind, denominator, &numeric);
                self.same_unit(id, n.as_ref(), d.as_ref());
                self.percent(id, "percent", percent.0);
            }
            Condition::StateReached { field, state } => {
                if let Some(spec) = self.field(id, kind, field, &[ValueType::State])
                    && spec.state_rank(state).is_none()
                {
                    self.invalid(
                        Some(id),
                        format!("state `{state}` is not one of {}", spec.states.join(", ")),
                    );
                }
            }
        }
    }

    fn ident(&mut self, id: &str) {
        if id.is_empty()
            || id.chars().count() > limits::MAX_ID_CHARS
            || id.chars().any(char::is_control)
        {
            self.invalid(
                None,
                format!(
                    "id `{}` must be 1 to {} printable characters",
                    id.chars().take(40).collect::<String>(),
                    limits::MAX_ID_CHARS
                ),
            );
        }
    }

    fn dictionary(&mut self) {
        let dict = self.dict().clone();
        let check_field =
            |this: &mut Self,
             scope: &str,
             name: &str,
             spec: &FieldSpec,
             siblings: &std::collections::BTreeMap<String, FieldSpec>| {
                let ctx = format!("dictionary {scope} `{name}`");
                let mut bad = |msg: String| {
                    this.errors.push(SpecError::Invalid {
                        target: None,
                        context: ctx.clone(),
                        message: msg,
                    })
                };
                if spec.value_type.is_numeric() && spec.unit.as_deref().is_none_or(str::is_empty) {
                    bad("a number needs a unit".into());
                }
                if spec.value_type == ValueType::State {
                    let unique: BTreeSet<&String> = spec.states.iter().collect();
                    if spec.states.is_empty() || unique.len() != spec.states.len() {
                        bad("a state field needs a list of distinct states".into());
                    }
                }
                if let Some(total) = &spec.at_most {
                    match siblings.get(total) {
                        None => bad(format!(
                            "`at_most` names `{total}`, which is not defined beside it"
                        )),
                        Some(t) if !t.value_type.is_numeric() || !spec.value_type.is_numeric() => {
                            bad(format!(
                                "`at_most` compares `{name}` with `{total}`, but both must be numbers"
                            ))
                        }
                        Some(t) if t.unit != spec.unit => bad(format!(
                            "`at_most` compares `{name}` with `{total}` in another unit"
                        )),
                        Some(_) => {}
                    }
                }
            };
        for (name, spec) in &dict.series {
            self.ident(name);
            check_field(self, "series", name, spec, &dict.series);
        }
        for (kind, k) in &dict.entity_kinds {
            self.ident(kind);
            for (name, spec) in &k.fields {
                self.ident(name);
                check_field(self, "field", &format!("{kind}.{name}"), spec, &k.fields);
            }
        }
    }
}

/// Runs every static check on a deserialised plan.
pub(crate) fn check_plan(plan: &Plan) -> Vec<SpecError> {
    let mut c = Checker {
        plan,
        errors: Vec::new(),
        in_every_year: false,
    };
    if plan.period.start > plan.period.end {
        c.invalid(
            None,
            format!(
                "period starts {} after it ends {}",
                plan.period.start, plan.period.end
            ),
        );
    }
    if plan.baseline_year >= plan.period.end.year() {
        c.invalid(
            None,
            format!(
                "baseline year {} must come before the period ends ({})",
                plan.baseline_year,
                plan.period.end.year()
            ),
        );
    }
    if plan.targets.len() > limits::MAX_TARGETS {
        c.invalid(
            None,
            format!(
                "{} targets, more than the limit of {}",
                plan.targets.len(),
                limits::MAX_TARGETS
            ),
        );
    }
    c.dictionary();
    let mut reviews = BTreeSet::new();
    for (i, r) in plan.monitoring.iter().enumerate() {
        if !reviews.insert(r.id.as_str()) {
            c.errors.push(SpecError::DuplicateId {
                target: r.id.clone(),
                path: format!("/monitoring/{i}/id"),
            });
        }
        if !r.id.starts_with(|ch: char| ch.is_ascii_alphabetic()) {
            c.invalid(
                None,
                format!(
                    "review id `{}` must be a name starting with a letter (a date is read as a date)",
                    r.id
                ),
            );
        }
        if r.as_of < plan.period.start {
            c.invalid(
                None,
                format!(
                    "review `{}` stands at {}, before the period starts ({})",
                    r.id, r.as_of, plan.period.start
                ),
            );
        }
    }
    let mut seen = BTreeSet::new();
    for (i, t) in plan.targets.iter().enumerate() {
        c.ident(&t.id);
        if !seen.insert(t.id.as_str()) {
            c.errors.push(SpecError::DuplicateId {
                target: t.id.clone(),
                path: format!("/targets/{i}/id"),
            });
        }
        if !plan.period.contains(t.deadline) {
            c.errors.push(SpecError::DeadlineOutsidePeriod {
                target: t.id.clone(),
                deadline: t.deadline.to_string(),
                start: plan.period.start.to_string(),
                end: plan.period.end.to_string(),
            });
        }
        let baseline = t.baseline_year.unwrap_or(plan.baseline_year);
        if baseline >= t.deadline.year() {
            c.invalid(
                Some(&t.id),
                format!(
                    "baseline year {baseline} is not before the deadline year {}",
                    t.deadline.year()
                ),
            );
        }
        if let Comparison::RoundedValue { decimals } = t.comparison
            && decimals > 10
        {
            c.invalid(
                Some(&t.id),
                format!("rounded-value comparison keeps {decimals} places, at most 10"),
            );
        }
        c.rule(t, &t.id, &format!("/targets/{i}/rule"), &t.rule, 0);
    }
    // Quotes and translations: errors in a published rule set, warnings in a draft.
    c.errors.extend(crate::draft::omission_errors(plan));
    c.errors
}

impl Plan {
    /// Reads a rule set from JSON and runs every static check; all problems found are returned
    /// together.
    ///
    /// ```
    /// use plan_rules::Plan;
    /// let plan = Plan::from_json(plan_rules::plan::XICHENG_2016_2020_JSON).unwrap();
    /// assert_eq!(plan.id, "xicheng-education-2016-2020");
    /// let err = Plan::from_json("{\"id\": 1}").unwrap_err();
    /// assert_eq!(err.first().code(), "invalid_shape");
    /// assert_eq!(err.first().path(), Some("/id"));
    /// ```
    pub fn from_json(text: &str) -> Result<Plan, SpecErrors> {
        if text.len() > limits::MAX_DOCUMENT_BYTES {
            return Err(SpecErrors::one(SpecError::TooLarge {
                bytes: text.len(),
                limit: limits::MAX_DOCUMENT_BYTES,
            }));
        }
        let value = Json::parse(text).map_err(|e| SpecErrors::one(e.into()))?;
        Plan::from_wire(value)
    }

    /// Reads a rule set from a parsed JSON document and runs every static check.
    pub fn from_wire(value: Json) -> Result<Plan, SpecErrors> {
        let plan = read_plan(value)?;
        let problems = check_plan(&plan);
        if problems.is_empty() {
            Ok(plan)
        } else {
            Err(SpecErrors::new(problems))
        }
    }

    /// The embedded Xicheng 2016-2020 education plan, checked like any other rule set (the
    /// test suite guarantees it passes).
    ///
    /// ```
    /// let plan = plan_rules::Plan::xicheng_2016_2020().unwrap();
    /// assert!(plan.targets.iter().any(|t| t.id == "A1"));
    /// ```
    pub fn xicheng_2016_2020() -> Result<Plan, SpecErrors> {
        Plan::from_json(crate::plan::XICHENG_2016_2020_JSON)
    }
}

/// The plan's shape; a problem inside a target names the target.
pub(crate) fn read_plan(value: Json) -> Result<Plan, SpecErrors> {
    let root = Path::Root;
    // The targets' ids, for naming the target a problem is in.
    let ids: Vec<Option<String>> = match value.get("targets") {
        Some(Json::Array(targets)) => targets
            .iter()
            .map(|t| t.get("id").and_then(Json::as_str).map(str::to_string))
            .collect(),
        _ => Vec::new(),
    };
    let read = || -> Result<Plan, WireError> {
        read_struct!(
            value,
            &root,
            "a rule set",
            Plan {
                id: req,
                version: req,
                status: def,
                title: req,
                source: req,
                period: req,
                baseline_year: req,
                dictionary: req,
                targets: req,
                notes: def,
                monitoring: def,
            }
        )
    };
    read().map_err(|e| {
        let target = e
            .path
            .strip_prefix("/targets/")
            .and_then(|rest| rest.split('/').next())
            .and_then(|i| i.parse::<usize>().ok())
            .and_then(|i| ids.get(i).cloned().flatten());
        SpecErrors::one(match e.unknown_tag {
            Some(kind) if e.path.ends_with("/rule/type") => SpecError::UnknownKind {
                target: target.unwrap_or_default(),
                kind,
                path: e.path,
            },
            _ => SpecError::Shape {
                path: e.path,
                message: e.message,
                target,
            },
        })
    })
}
