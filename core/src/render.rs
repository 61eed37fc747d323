//! Renderings of a report for people: a text table (optionally coloured for a terminal),
//! Markdown, and HTML (for Jupyter). All in one place so the CLI, Python and the browser show the
//! same thing. JSON is [`Report::to_json`].

use std::fmt::Write as _;

use unicode_width::UnicodeWidthStr;

use crate::number::{Num, fmt_decimal};
use crate::plan::Plan;
use crate::report::{Basis, Report, Status, TargetResult};
use crate::text::Text;

/// Which language(s) to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    /// Chinese and English side by side.
    #[default]
    Both,
    /// Chinese only.
    Zh,
    /// English only.
    En,
}

impl Language {
    /// The text in this language; a language a draft left out falls back to the other.
    fn pick(self, t: &Text) -> String {
        let (zh, en) = (t.zh.trim(), t.en.trim());
        match self {
            Language::Both if zh.is_empty() || en.is_empty() => format!("{zh}{en}"),
            Language::Both => format!("{} {}", t.zh, t.en),
            Language::Zh if zh.is_empty() => t.en.clone(),
            Language::Zh => t.zh.clone(),
            Language::En if en.is_empty() => t.zh.clone(),
            Language::En => t.en.clone(),
        }
    }

    fn pick2(self, zh: &str, en: &str) -> String {
        self.pick(&Text::new(zh, en))
    }
}

/// The line that says a report comes from a draft rule set.
fn draft_notice(lang: Language) -> String {
    lang.pick2(
        "（草稿规则集：快速检查，并非正式发布的评估）",
        "(draft rule set: a quick check, not the published evaluation)",
    )
}

fn num(v: Option<Num>, unit: Option<&str>) -> String {
    match v {
        None => "—".into(),
        Some(n) => {
            let shown = fmt_decimal(crate::arith::round_half_even(n.0, 2));
            match unit {
                Some("%") => format!("{shown}%"),
                Some(u) if u != "items" => format!("{shown} {u}"),
                _ => shown,
            }
        }
    }
}

fn status_text(r: &TargetResult, lang: Language) -> String {
    let mut s = lang.pick(&r.status.label());
    if let Some(g) = r.grade {
        s.push_str(&format!(" ({})", lang.pick(&g.label())));
    }
    if r.approximate {
        s.push_str(" ≈");
    }
    if r.caveat.is_some() {
        s.push_str(" ※");
    }
    if r.basis == Basis::Recorded {
        s.push_str(&format!(" [{}]", lang.pick2("记录", "recorded")));
    }
    // The years that failed, next to the verdict (every-year bounds, growth comparisons).
    let failed: Vec<String> = r
        .culprits
        .iter()
        .filter(|c| c.problem == "failed_year")
        .map(|c| c.id.replace('-', "→"))
        .collect();
    if !failed.is_empty() {
        s.push_str(&format!(
            " [{} {}]",
            lang.pick2("未满足", "failed"),
            failed.join(", ")
        ));
    }
    if let Some(a) = &r.aspiration
        && let Some(reached) = a.reached
    {
        let word = if reached {
            lang.pick2("力争目标已达到", "aspiration reached")
        } else {
            lang.pick2("力争目标未达到", "aspiration not reached")
        };
        s.push_str(&format!(" [{word}]"));
    }
    s
}

/// The target as the plan writes it: "< 5.5%", "> 46"; a plain "reach N" shows N; an
/// approximate one its band ("≈30 (27–33) persons").
fn target_text(r: &TargetResult) -> String {
    if let Some(b) = &r.band {
        let n = |v: Num| fmt_decimal(v.0);
        let unit = match r.unit.as_deref() {
            Some("%") => "%".to_string(),
            Some(u) if u != "items" => format!(" {u}"),
            _ => String::new(),
        };
        return format!("≈{} ({}–{}){unit}", n(b.nominal), n(b.lower), n(b.upper));
    }
    let shown = num(r.target, r.unit.as_deref());
    match r.op {
        Some(op) if !op.is_default() && r.target.is_some() => format!("{} {shown}", op.symbol()),
        _ => shown,
    }
}

fn obligation_text(r: &TargetResult, lang: Language) -> String {
    r.obligation
        .map(|o| lang.pick(&o.label()))
        .unwrap_or_else(|| "—".into())
}

fn r_text(r: &TargetResult) -> String {
    r.trajectory
        .and_then(|t| t.r)
        .map(|r| fmt_decimal(crate::arith::round_half_even(r.0, 2)))
        .unwrap_or_else(|| "—".into())
}

fn colour(status: Status) -> &'static str {
    match status {
        Status::Met => "\x1b[32m",
        Status::NotMet => "\x1b[31m",
        Status::OnTrack => "\x1b[36m",
        Status::OffTrack => "\x1b[33m",
        Status::NotAssessable => "\x1b[90m",
    }
}

fn rows(report: &Report, lang: Language) -> Vec<(Status, [String; 7])> {
    let mut out = Vec::new();
    for r in &report.results {
        out.push((r.status, row(r, lang, "")));
        for p in &r.parts {
            out.push((p.status, row(p, lang, "  └ ")));
        }
    }
    out
}

fn row(r: &TargetResult, lang: Language, indent: &str) -> [String; 7] {
    let unit = r.unit.as_deref();
    let year = r
        .observed_year
        .map(|y| format!(" ({y})"))
        .unwrap_or_default();
    [
        format!("{indent}{}", r.id),
        status_text(r, lang),
        format!("{}{year}", num(r.observed, unit)),
        target_text(r),
        r_text(r),
        lang.pick2(&r.title.zh, &r.title.en),
        obligation_text(r, lang),
    ]
}

/// What a table cannot show in its cells: each caveat (※) and each milestone set's items not
/// there yet, under the table.
fn notes(report: &Report, lang: Language) -> Vec<String> {
    let mut out = Vec::new();
    let all = report
        .results
        .iter()
        .flat_map(|r| std::iter::once(r).chain(r.parts.iter()));
    for r in all {
        if let Some(c) = &r.caveat {
            out.push(format!("※ {}: {}", r.id, lang.pick(c)));
        }
        if r.kind == "milestones" && !r.culprits.is_empty() {
            let items: Vec<String> = r
                .culprits
                .iter()
                .map(|c| lang.pick2(&c.zh(), &c.en()))
                .collect();
            out.push(format!(
                "{} {}: {}",
                r.id,
                lang.pick2("未达到", "not yet"),
                items.join("; ")
            ));
        }
    }
    out
}

/// Whether any result says binding or indicative (then renderings add the column).
fn has_obligations(report: &Report) -> bool {
    report.results.iter().any(|r| r.obligation.is_some())
}

/// The line of counts by obligation, when the plan marks any.
fn obligation_counts(report: &Report, lang: Language) -> Vec<String> {
    report
        .summary
        .by_obligation
        .iter()
        .map(|o| {
            format!(
                "{}: {} · {} {} · {} {} · {} {} · {} {} · {} {}",
                lang.pick(&o.obligation.label()),
                o.total,
                lang.pick(&Status::Met.label()),
                o.met,
                lang.pick(&Status::NotMet.label()),
                o.not_met,
                lang.pick(&Status::OnTrack.label()),
                o.on_track,
                lang.pick(&Status::OffTrack.label()),
                o.off_track,
                lang.pick(&Status::NotAssessable.label()),
                o.not_assessable
            )
        })
        .collect()
}

fn pad(s: &str, width: usize) -> String {
    let w = UnicodeWidthStr::width(s);
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

/// A text table, one row per target (and part), with ANSI colours when `colour` is set.
///
/// ```
/// use plan_rules::render::{table, Language};
/// let plan = plan_rules::Plan::xicheng_2016_2020().unwrap();
/// let report = plan_rules::evaluate(&plan, &plan_rules::Dataset::default(), "2018-12-31".parse().unwrap(), Default::default());
/// let text = table(&report, Language::En, false);
/// assert!(text.contains("not assessable"));
/// ```
pub fn table(report: &Report, lang: Language, colour_on: bool) -> String {
    let with_obligation = has_obligations(report);
    let pick = |cells: [String; 7]| -> Vec<String> {
        let [id, status, obs, target, r, title, obligation] = cells;
        if with_obligation {
            vec![id, obligation, status, obs, target, r, title]
        } else {
            vec![id, status, obs, target, r, title]
        }
    };
    let header = pick([
        lang.pick2("编号", "ID"),
        lang.pick2("状态", "Status"),
        lang.pick2("观测值", "Observed"),
        lang.pick2("目标", "Target"),
        "R".to_string(),
        lang.pick2("指标", "Title"),
        lang.pick2("属性", "Attribute"),
    ]);
    let body: Vec<(Status, Vec<String>)> = rows(report, lang)
        .into_iter()
        .map(|(s, cells)| (s, pick(cells)))
        .collect();
    let last = header.len() - 1;
    let mut widths: Vec<usize> = header
        .iter()
        .map(|h| UnicodeWidthStr::width(h.as_str()))
        .collect();
    for (_, cells) in &body {
        for (w, c) in widths.iter_mut().zip(cells.iter()) {
            *w = (*w).max(UnicodeWidthStr::width(c.as_str()));
        }
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} · {} {} · {} {} · {} {}",
        report.plan.id,
        lang.pick2("版本", "version"),
        report.plan.version,
        lang.pick2("评估基准日", "as of"),
        report.as_of,
        lang.pick2("数据", "data"),
        report.data.id.as_deref().unwrap_or("-"),
    );
    if !report.plan.status.is_published() {
        let _ = writeln!(out, "{}", draft_notice(lang));
    }
    if report.data.synthetic {
        let _ = writeln!(
            out,
            "{}",
            lang.pick2(
                "（虚构数据，仅供演示）",
                "(synthetic data, for demonstration only)"
            )
        );
    }
    if let Some(r) = &report.review {
        let _ = writeln!(out, "{}", lang.pick(&r.title));
    }
    if let Some(o) = report.obligation {
        let _ = writeln!(
            out,
            "{} {}",
            lang.pick2("仅评估", "only the targets that are"),
            lang.pick(&o.label())
        );
    }
    let line = |cells: &[String]| -> String {
        cells
            .iter()
            .zip(widths.iter())
            .enumerate()
            .map(|(i, (c, w))| if i == last { c.clone() } else { pad(c, *w) })
            .collect::<Vec<_>>()
            .join("  ")
    };
    let _ = writeln!(out, "{}", line(&header));
    let _ = writeln!(
        out,
        "{}",
        widths
            .iter()
            .map(|w| "─".repeat(*w))
            .collect::<Vec<_>>()
            .join("  ")
    );
    for (status, cells) in &body {
        let text = line(cells);
        if colour_on {
            let _ = writeln!(out, "{}{text}\x1b[0m", colour(*status));
        } else {
            let _ = writeln!(out, "{text}");
        }
    }
    let s = &report.summary;
    let _ = writeln!(
        out,
        "{}: {} · {} {} · {} {} · {} {} · {} {} · {} {}",
        lang.pick2("合计", "Total"),
        s.total,
        lang.pick(&Status::Met.label()),
        s.met,
        lang.pick(&Status::NotMet.label()),
        s.not_met,
        lang.pick(&Status::OnTrack.label()),
        s.on_track,
        lang.pick(&Status::OffTrack.label()),
        s.off_track,
        lang.pick(&Status::NotAssessable.label()),
        s.not_assessable
    );
    for line in obligation_counts(report, lang) {
        let _ = writeln!(out, "  {line}");
    }
    for line in notes(report, lang) {
        let _ = writeln!(out, "{line}");
    }
    let errors = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == crate::Severity::Error)
        .count();
    if !report.diagnostics.is_empty() {
        let _ = writeln!(
            out,
            "{}: {} ({} {})",
            lang.pick2("数据诊断", "Data diagnostics"),
            report.diagnostics.len(),
            lang.pick2("错误", "errors"),
            errors
        );
    }
    let _ = writeln!(
        out,
        "{} {} · {} {}",
        lang.pick2("规则集哈希", "plan hash"),
        report.plan.content_hash,
        lang.pick2("数据哈希", "data hash"),
        report.data.content_hash
    );
    out
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// A Markdown report: a summary, a table, and each result's explanation.
pub fn markdown(report: &Report, lang: Language) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {} {}\n",
        lang.pick2("评估报告", "Evaluation report"),
        md_escape(&report.plan.id)
    );
    let _ = writeln!(
        out,
        "- {}: {}\n- {}: {} ({})\n- {}: {}{}\n- {}: {} {}\n",
        lang.pick2("评估基准日", "As of"),
        report.as_of,
        lang.pick2("规则集", "Rule set"),
        report.plan.version,
        report.plan.content_hash,
        lang.pick2("数据", "Data"),
        report.data.id.as_deref().unwrap_or("-"),
        if report.data.synthetic {
            lang.pick2("（虚构）", " (synthetic)")
        } else {
            String::new()
        },
        lang.pick2("引擎", "Engine"),
        report.engine.name,
        report.engine.version
    );
    if !report.plan.status.is_published() {
        let _ = writeln!(out, "> **{}**\n", md_escape(&draft_notice(lang)));
    }
    if let Some(r) = &report.review {
        let _ = writeln!(out, "**{}**\n", md_escape(&lang.pick(&r.title)));
    }
    if let Some(o) = report.obligation {
        let _ = writeln!(
            out,
            "{} {}\n",
            lang.pick2("仅评估", "Only the targets that are"),
            lang.pick(&o.label())
        );
    }
    let with_obligation = has_obligations(report);
    let mut header = vec![
        lang.pick2("编号", "ID"),
        lang.pick2("指标", "Title"),
        lang.pick2("状态", "Status"),
        lang.pick2("观测值", "Observed"),
        lang.pick2("目标", "Target"),
        "R".to_string(),
    ];
    if with_obligation {
        header.insert(2, lang.pick2("属性", "Attribute"));
    }
    let _ = writeln!(out, "| {} |", header.join(" | "));
    let _ = writeln!(out, "|{}|", vec!["---"; header.len()].join("|"));
    for (_, cells) in rows(report, lang) {
        let [id, status, obs, target, r, title, obligation] = cells;
        let mut shown = vec![id, title, status, obs, target, r];
        if with_obligation {
            shown.insert(2, obligation);
        }
        let shown: Vec<String> = shown.iter().map(|c| md_escape(c)).collect();
        let _ = writeln!(out, "| {} |", shown.join(" | "));
    }
    let _ = writeln!(out);
    for line in obligation_counts(report, lang) {
        let _ = writeln!(out, "- {}", md_escape(&line));
    }
    for r in &report.results {
        let _ = writeln!(
            out,
            "- **{}**: {}",
            md_escape(&r.id),
            md_escape(&lang.pick2(&r.explanation.zh, &r.explanation.en))
        );
        if let Some(c) = &r.caveat {
            let _ = writeln!(out, "  - ※ {}", md_escape(&lang.pick(c)));
        }
    }
    out
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// An HTML table with status colours (for Jupyter's `_repr_html_` and the demo form).
pub fn html(report: &Report) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<div class=\"plan-rules-report\"><p><b>{}</b> · 评估基准日 as of {} · {}{}</p>",
        html_escape(&report.plan.id),
        report.as_of,
        html_escape(report.data.id.as_deref().unwrap_or("-")),
        if report.data.synthetic {
            " (虚构 synthetic)"
        } else {
            ""
        }
    );
    if !report.plan.status.is_published() {
        let _ = write!(
            out,
            "<p class=\"draft\"><b>{}</b></p>",
            html_escape(&draft_notice(Language::Both))
        );
    }
    let with_obligation = has_obligations(report);
    out.push_str("<table><thead><tr><th>编号 ID</th><th>指标 Title</th>");
    if with_obligation {
        out.push_str("<th>属性 Attribute</th>");
    }
    out.push_str("<th>状态 Status</th><th>观测值 Observed</th><th>目标 Target</th><th>R</th></tr></thead><tbody>");
    for r in &report.results {
        html_row(&mut out, r, false, with_obligation);
        for p in &r.parts {
            html_row(&mut out, p, true, with_obligation);
        }
    }
    out.push_str("</tbody></table></div>");
    out
}

fn html_row(out: &mut String, r: &TargetResult, part: bool, with_obligation: bool) {
    let bg = match r.status {
        Status::Met => "#d4edda",
        Status::NotMet => "#f8d7da",
        Status::OnTrack => "#d1ecf1",
        Status::OffTrack => "#fff3cd",
        Status::NotAssessable => "#e2e3e5",
    };
    let unit = r.unit.as_deref();
    let _ = write!(
        out,
        "<tr><td>{}{}</td><td>{}<br><small>{}</small>{}</td>{}<td style=\"background:{bg}\" title=\"{}\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        if part { "&nbsp;&nbsp;└ " } else { "" },
        html_escape(&r.id),
        html_escape(&r.title.zh),
        html_escape(&r.title.en),
        r.caveat.as_ref().map_or_else(String::new, |c| format!(
            "<br><small class=\"caveat\">※ {} / {}</small>",
            html_escape(&c.zh),
            html_escape(&c.en)
        )),
        if with_obligation {
            format!(
                "<td>{}</td>",
                html_escape(&obligation_text(r, Language::Both))
            )
        } else {
            String::new()
        },
        html_escape(&format!("{} / {}", r.explanation.zh, r.explanation.en)),
        html_escape(&status_text(r, Language::Both)),
        html_escape(&num(r.observed, unit)),
        html_escape(&target_text(r)),
        html_escape(&r_text(r)),
    );
}

/// The rule set as a text listing: each target with its rule kind, deadline and citation.
pub fn rules_listing(plan: &Plan, lang: Language) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} · {} {}",
        lang.pick(&plan.title),
        lang.pick2("版本", "version"),
        plan.version
    );
    let _ = writeln!(
        out,
        "{} {} – {} · {} {}\n",
        lang.pick2("实施期", "period"),
        plan.period.start,
        plan.period.end,
        lang.pick2("基期", "baseline"),
        plan.baseline_year
    );
    for t in &plan.targets {
        let _ = writeln!(out, "{}  [{}] {}", t.id, t.rule.kind(), lang.pick(&t.title));
        let _ = writeln!(
            out,
            "    {}: {} · {}: {}",
            lang.pick2("期限", "deadline"),
            t.deadline,
            lang.pick2("类别", "category"),
            lang.pick(&t.category)
        );
        if let Some(o) = t.obligation {
            let _ = writeln!(
                out,
                "    {}: {}",
                lang.pick2("属性", "attribute"),
                lang.pick(&o.label())
            );
        }
        let _ = writeln!(
            out,
            "    {}: {}",
            lang.pick2("出处", "source"),
            lang.pick(&t.citation.location)
        );
        let _ = writeln!(out, "    「{}」", t.citation.quote);
        if let Some(d) = &t.citation.document {
            let _ = writeln!(
                out,
                "    {}: {}",
                lang.pick2("文献", "document"),
                lang.pick(d)
            );
        }
        if let Some(u) = &t.citation.url {
            let _ = writeln!(out, "    {u}");
        }
        if let Some(c) = &t.caveat {
            let _ = writeln!(out, "    ※ {}", lang.pick(c));
        }
        for n in &t.notes {
            let _ = writeln!(out, "    * {}", lang.pick(&n.text));
        }
        let _ = writeln!(out);
    }
    if !plan.monitoring.is_empty() {
        let _ = writeln!(
            out,
            "{} (`--as-of <id>`)",
            lang.pick2("监测日程", "Monitoring calendar")
        );
        for r in &plan.monitoring {
            let _ = writeln!(out, "  {}  {}  {}", r.id, r.as_of, lang.pick(&r.title));
            for n in &r.notes {
                let _ = writeln!(out, "    * {}", lang.pick(&n.text));
            }
        }
    }
    out
}
