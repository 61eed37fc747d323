//! Trajectories: is a target that is not yet reached progressing fast enough to be reached by
//! its deadline? The Eurostat / Open SDG method: R = observed compound annual growth from the
//! baseline / compound annual growth required to reach the target by the deadline.
//! R >= 0.95 is on track; 0.60 <= R < 0.95 must accelerate; 0 <= R < 0.60 is insufficient;
//! R < 0 is regressing. Where the baseline is zero (or negative) growth rates do not exist and
//! the straight-line version compares yearly changes instead.

use rust_decimal::Decimal;

use crate::arith::{self, nth_root};
use crate::context::{NotAssessable, ReasonCode};
use crate::number::{Num, fmt_decimal};
use crate::report::{Grade, Trajectory, TrajectoryMethod};
use crate::trail::Recorder;

/// Decimal places growth rates are rounded to (half-to-even).
pub const GROWTH_DP: u32 = 16;
/// Decimal places R is rounded to (half-to-even) before it is classified.
pub const R_DP: u32 = 6;

/// R at or above this is on track.
pub fn on_track_threshold() -> Decimal {
    Decimal::new(95, 2)
}

/// R at or above this (and below on track) must accelerate; below it, insufficient.
pub fn accelerate_threshold() -> Decimal {
    Decimal::new(60, 2)
}

/// Classifies R: `None` is on track, otherwise the off-track grade.
///
/// ```
/// use rust_decimal::Decimal;
/// use plan_rules::trajectory::classify;
/// use plan_rules::Grade;
/// assert_eq!(classify(Decimal::new(95, 2)), None);
/// assert_eq!(classify(Decimal::new(949999, 6)), Some(Grade::Accelerate));
/// assert_eq!(classify(Decimal::new(60, 2)), Some(Grade::Accelerate));
/// assert_eq!(classify(Decimal::ZERO), Some(Grade::Insufficient));
/// assert_eq!(classify(Decimal::new(-1, 6)), Some(Grade::Regressing));
/// ```
pub fn classify(r: Decimal) -> Option<Grade> {
    if r >= on_track_threshold() {
        None
    } else if r >= accelerate_threshold() {
        Some(Grade::Accelerate)
    } else if r >= Decimal::ZERO {
        Some(Grade::Insufficient)
    } else {
        Some(Grade::Regressing)
    }
}

/// Where a value stood and where it must go.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Path {
    pub baseline_year: i32,
    pub baseline: Decimal,
    pub year: i32,
    pub value: Decimal,
    pub deadline_year: i32,
    pub target: Decimal,
    /// Whether higher is better (`>=`, `>`); a falling target (`<=`, `<`) mirrors every test.
    pub rising: bool,
    /// Whether the bound excludes its limit (`>`, `<`).
    pub strict: bool,
}

fn overflow(_: arith::Overflow) -> NotAssessable {
    NotAssessable::new(ReasonCode::ArithmeticOverflow)
}

/// Projects a path; returns the trajectory and the grade (`None` = on track).
pub(crate) fn project(
    p: Path,
    rec: &mut Recorder,
) -> Result<(Trajectory, Option<Grade>), NotAssessable> {
    let elapsed = Decimal::from(p.year - p.baseline_year);
    let span = Decimal::from(p.deadline_year - p.baseline_year);
    if p.year <= p.baseline_year || p.deadline_year <= p.baseline_year {
        return Err(NotAssessable::new(ReasonCode::InsufficientDataPoints));
    }
    // The baseline already satisfied the bound (a strict bound is not satisfied at its limit).
    let at_target = match (p.rising, p.strict) {
        (true, false) => p.baseline >= p.target,
        (true, true) => p.baseline > p.target,
        (false, false) => p.baseline <= p.target,
        (false, true) => p.baseline < p.target,
    };
    if at_target {
        rec.step("classify", || {
            (
                format!(
                    "baseline {} ({}) already reached target {}, now {} ({}): falling back",
                    fmt_decimal(p.baseline),
                    p.baseline_year,
                    fmt_decimal(p.target),
                    fmt_decimal(p.value),
                    p.year
                ),
                "regressing".into(),
            )
        });
        let t = Trajectory {
            method: TrajectoryMethod::BaselineAtTarget,
            observed_growth: None,
            required_growth: None,
            r: None,
        };
        return Ok((t, Some(Grade::Regressing)));
    }
    // Growth rates need positive levels all along; otherwise yearly changes are compared.
    let linear = p.baseline <= Decimal::ZERO
        || p.value.is_sign_negative() && !p.value.is_zero()
        || p.target.is_sign_negative() && !p.target.is_zero();
    let (method, observed, required) = if linear {
        let (rise, x1) = arith::sub(p.value, p.baseline).map_err(overflow)?;
        let (obs, e1) = arith::div(rise, elapsed).map_err(overflow)?;
        let (need, x2) = arith::sub(p.target, p.baseline).map_err(overflow)?;
        let (req, e2) = arith::div(need, span).map_err(overflow)?;
        let (e1, e2) = (e1 && x1, e2 && x2);
        rec.step_inexact("growth", e1, || {
            (
                format!(
                    "observed change per year = ({} - {}) ÷ ({} - {})",
                    fmt_decimal(p.value),
                    fmt_decimal(p.baseline),
                    p.year,
                    p.baseline_year
                ),
                fmt_decimal(obs),
            )
        });
        rec.step_inexact("growth", e2, || {
            (
                format!(
                    "required change per year = ({} - {}) ÷ ({} - {})",
                    fmt_decimal(p.target),
                    fmt_decimal(p.baseline),
                    p.deadline_year,
                    p.baseline_year
                ),
                fmt_decimal(req),
            )
        });
        (TrajectoryMethod::Linear, obs, req)
    } else {
        let obs = cagr(
            p.value,
            p.baseline,
            p.year - p.baseline_year,
            "observed",
            rec,
        )?;
        let req = cagr(
            p.target,
            p.baseline,
            p.deadline_year - p.baseline_year,
            "required",
            rec,
        )?;
        (TrajectoryMethod::Cagr, obs, req)
    };
    if required.is_zero() || (required > Decimal::ZERO) != p.rising {
        // Only reachable when rounding leaves nothing (a required rate below 16 places, a required
        // change per year below 28): any move the wrong way is a regression, anything else fine.
        let wrong_way = if p.rising {
            observed < Decimal::ZERO
        } else {
            observed > Decimal::ZERO
        };
        let grade = wrong_way.then_some(Grade::Regressing);
        let t = Trajectory {
            method,
            observed_growth: Some(Num(observed)),
            required_growth: Some(Num(required)),
            r: None,
        };
        return Ok((t, grade));
    }
    let (r, exact) = arith::div_dp(observed, required, R_DP).map_err(overflow)?;
    rec.step_inexact("r", exact, || {
        (
            format!(
                "R = {} ÷ {}, rounded half-even to {R_DP} places",
                fmt_decimal(observed),
                fmt_decimal(required)
            ),
            r.to_string(),
        )
    });
    let grade = classify(r);
    rec.step("classify", || {
        (
            format!("R = {r} against 0.95 (on track), 0.60 (accelerate), 0 (insufficient)"),
            grade_name(grade).into(),
        )
    });
    Ok((
        Trajectory {
            method,
            observed_growth: Some(Num(observed)),
            required_growth: Some(Num(required)),
            r: Some(Num(r)),
        },
        grade,
    ))
}

/// The trajectory of an average annual rate (年均增长7%): R = the average rate so far ÷ the
/// rate required, both as given (no compounding again). A falling target (`<=`) mirrors it.
pub(crate) fn project_rate(
    p: Path,
    rec: &mut Recorder,
) -> Result<(Trajectory, Option<Grade>), NotAssessable> {
    if p.year <= p.baseline_year {
        return Err(NotAssessable::new(ReasonCode::InsufficientDataPoints));
    }
    let (observed, required) = (p.value, p.target);
    let t = |r: Option<Decimal>| Trajectory {
        method: TrajectoryMethod::AverageRate,
        observed_growth: Some(Num(observed)),
        required_growth: Some(Num(required)),
        r: r.map(Num),
    };
    if required.is_zero() || (required > Decimal::ZERO) != p.rising {
        // A required rate of zero, or one on the other side of zero from the bound's direction
        // (年均增长不低于 -1%): R has no meaning; the rate so far against the bound decides.
        let holds = if p.rising {
            observed >= required
        } else {
            observed <= required
        };
        rec.step("classify", || {
            (
                format!(
                    "average rate so far {} against required {}: R undefined",
                    fmt_decimal(observed),
                    fmt_decimal(required)
                ),
                if holds { "on_track" } else { "regressing" }.into(),
            )
        });
        return Ok((t(None), (!holds).then_some(Grade::Regressing)));
    }
    let (r, exact) = arith::div_dp(observed, required, R_DP).map_err(overflow)?;
    rec.step_inexact("r", exact, || {
        (
            format!(
                "R = average rate so far {} ÷ required rate {}, rounded half-even to {R_DP} places",
                fmt_decimal(observed),
                fmt_decimal(required)
            ),
            r.to_string(),
        )
    });
    let grade = classify(r);
    rec.step("classify", || {
        (
            format!("R = {r} against 0.95 (on track), 0.60 (accelerate), 0 (insufficient)"),
            grade_name(grade).into(),
        )
    });
    Ok((t(Some(r)), grade))
}

fn grade_name(grade: Option<Grade>) -> &'static str {
    grade.map_or("on_track", |g| match g {
        Grade::Accelerate => "accelerate",
        Grade::Insufficient => "insufficient",
        Grade::Regressing => "regressing",
    })
}

/// Compound annual growth rate from `from` to `to` over `years` years, rounded to 16 places.
pub(crate) fn cagr(
    to: Decimal,
    from: Decimal,
    years: i32,
    label: &str,
    rec: &mut Recorder,
) -> Result<Decimal, NotAssessable> {
    let (ratio, exact) = arith::div(to, from).map_err(overflow)?;
    let n =
        u32::try_from(years).map_err(|_| NotAssessable::new(ReasonCode::InsufficientDataPoints))?;
    let root = nth_root(ratio, n, GROWTH_DP)
        .ok_or_else(|| NotAssessable::new(ReasonCode::ArithmeticOverflow))?;
    let (rate, rate_exact) = arith::sub(root, Decimal::ONE).map_err(overflow)?;
    rec.step_inexact("ratio", exact, || {
        (
            format!(
                "{label} growth factor = {} ÷ {}",
                fmt_decimal(to),
                fmt_decimal(from)
            ),
            fmt_decimal(ratio),
        )
    });
    rec.step_inexact("root", false, || {
        (
            format!(
                "{label} yearly factor = ({})^(1/{n}), rounded half-even to {GROWTH_DP} places",
                fmt_decimal(ratio)
            ),
            root.to_string(),
        )
    });
    rec.step_inexact("cagr", rate_exact, || {
        (format!("{label} CAGR = {root} - 1"), rate.to_string())
    });
    Ok(rate)
}
