//! Judging QualitativeRule (see [`crate::rules`] for the rule itself): only a recorded
//! judgement decides it, the latest one dated on or before the as-of date.

use crate::context::{Ctx, NotAssessable, Outcome, ReasonCode};
use crate::report::Status;
use crate::rules::QualitativeRule;
use crate::text::Text;
use crate::trail::Recorder;

impl QualitativeRule {
    pub(crate) fn judge(&self, cx: &Ctx<'_, '_>, rec: &mut Recorder) -> Outcome {
        let out = Outcome::default();
        let recorded = cx
            .data
            .judgements
            .get(cx.target.id.as_str())
            .map(Vec::as_slice)
            .unwrap_or_default();
        for j in recorded.iter().filter(|j| j.on > cx.as_of) {
            rec.step("judgement", || {
                (
                    format!(
                        "judgement by {} on {} is after the as-of date {}: not yet visible",
                        j.by, j.on, cx.as_of
                    ),
                    "ignored".into(),
                )
            });
        }
        // The latest visible one; of two on the same day, the later in the data.
        let latest = recorded
            .iter()
            .enumerate()
            .filter(|(_, j)| j.on <= cx.as_of)
            .max_by_key(|(i, j)| (j.on, *i))
            .map(|(_, j)| *j);
        let Some(j) = latest else {
            let na = NotAssessable::new(ReasonCode::Qualitative).with_detail(
                format!("需要记录的评估结论：{}", self.criterion.zh),
                format!("needs a recorded judgement: {}", self.criterion.en),
            );
            return out.stop(na);
        };
        let status = Status::from(j.verdict);
        if cx.deadline_reached() && matches!(status, Status::OnTrack | Status::OffTrack) {
            rec.step("judgement", || {
                (
                    format!(
                        "the latest judgement ({} by {} on {}) is a progress verdict; the deadline {} has come and needs met or not_met",
                        status.as_str(),
                        j.by,
                        j.on,
                        cx.target.deadline
                    ),
                    "not final".into(),
                )
            });
            let na = NotAssessable::new(ReasonCode::Qualitative).with_detail(
                format!(
                    "期限{}已到，最新的评估结论（{}，{}，{}）不是最终结论，需要记录达标或未达标",
                    cx.target.deadline,
                    status.label().zh,
                    j.by,
                    j.on
                ),
                format!(
                    "the deadline {} has come and the latest judgement ({}, {}, {}) is not final: a met or not_met judgement is needed",
                    cx.target.deadline,
                    status.label().en,
                    j.by,
                    j.on
                ),
            );
            return out.stop(na);
        }
        rec.step("judgement", || {
            (
                format!(
                    "recorded judgement by {} on {} (criterion: {}); evidence: {}",
                    j.by, j.on, self.criterion.en, j.evidence
                ),
                status.as_str().into(),
            )
        });
        let label = status.label();
        Outcome {
            status: Some(status),
            explanation: Some(Text::new(
                format!(
                    "记录的评估结论：{}（{}，{}）；依据：{}",
                    label.zh, j.by, j.on, j.evidence
                ),
                format!(
                    "recorded judgement: {} ({}, {}); evidence: {}",
                    label.en, j.by, j.on, j.evidence
                ),
            )),
            judgement: Some(j.clone()),
            ..out
        }
    }
}
