//! The report as one self-contained HTML page: inline CSS (with print rules for A4 and a page
//! break before each section) and inline SVG; no script, no font, no image from anywhere, and
//! a Content-Security-Policy that forbids loading any.

use std::fmt::Write as _;

use crate::svg;
use crate::text::{self, Words, words};
use crate::{AreaKind, Figure, Lang, Report, Table};

/// Text for HTML and XML, in content and in attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // control characters are not allowed in XML 1.0
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

const CSS: &str = r#"
:root { --ink: #1d1d1f; --muted: #5f6368; --rule: #d6d6d0; --accent: #0b3d62; --warn: #9b1c1c; }
* { box-sizing: border-box; }
html { font-size: 10.5pt; }
body { margin: 0; color: var(--ink); background: #e9e9e4;
  font-family: "Source Sans 3", "Segoe UI", "Helvetica Neue", Helvetica, Arial, sans-serif;
  line-height: 1.45; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.page { background: #fff; max-width: 210mm; margin: 12px auto; padding: 16mm 16mm 14mm;
  box-shadow: 0 1px 4px rgba(0,0,0,.15); }
h1, h2, h3 { font-family: Georgia, "Times New Roman", serif; font-weight: normal; color: var(--accent); }
h2 { font-size: 1.7rem; margin: 0 0 .6rem; padding-bottom: .25rem; border-bottom: 2px solid var(--accent); }
h2 .num { color: var(--muted); margin-right: .5rem; }
h3 { font-size: 1.2rem; margin: 1.2rem 0 .4rem; }
p { margin: .35rem 0 .6rem; }
.runhead { display: flex; justify-content: space-between; font-size: .78rem; color: var(--muted);
  border-bottom: 1px solid var(--rule); margin-bottom: 1rem; padding-bottom: .2rem; letter-spacing: .02em; }
.runhead .code { color: var(--warn); font-weight: 600; }
.cover { display: flex; flex-direction: column; min-height: 265mm; }
.cover .band { background: var(--accent); color: #fff; margin: -16mm -16mm 0; padding: 26mm 16mm 12mm; }
.cover .band .org { text-transform: uppercase; letter-spacing: .18em; font-size: .8rem; opacity: .85; }
.cover h1 { color: #fff; font-size: 4rem; margin: .3rem 0 .2rem; letter-spacing: .01em; }
.cover .subtitle { font-size: 1.15rem; opacity: .92; margin: 0; }
.cover .area { font-family: Georgia, serif; font-size: 2.2rem; margin: 10mm 0 1mm; color: var(--accent); }
.cover .period { font-size: 1.2rem; color: var(--muted); margin: 0 0 8mm; }
.classbox { border: 2px solid var(--warn); color: var(--warn); padding: .5rem .8rem; font-weight: 600;
  display: inline-block; margin-bottom: 6mm; }
.classbox small { display: block; font-weight: normal; color: var(--ink); }
dl.facts { display: grid; grid-template-columns: 34mm 1fr; gap: .25rem 1rem; margin: 0 0 6mm; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
.version { padding: .6rem .8rem; border-left: 5px solid var(--accent); background: #f1f5f9; margin-bottom: 6mm; }
.version.partner { border-color: #b45309; background: #fff7ed; }
.version strong { display: block; letter-spacing: .08em; }
nav.toc ol { margin: .3rem 0 0; padding-left: 1.4rem; columns: 2; }
nav.toc h3 { margin-top: 0; }
.cover .foot { margin-top: auto; font-size: .8rem; color: var(--muted); border-top: 1px solid var(--rule); padding-top: .4rem; }
.cards { display: grid; grid-template-columns: repeat(3, 1fr); gap: .6rem; margin: .6rem 0 1rem; }
.card { border: 1px solid var(--rule); border-top: 3px solid var(--accent); padding: .5rem .7rem; }
.card .label { font-size: .8rem; color: var(--muted); text-transform: uppercase; letter-spacing: .05em; }
.card .value { font-size: 1.9rem; font-family: Georgia, serif; line-height: 1.2; }
.card .delta { font-size: .85rem; color: var(--muted); }
.up { color: #9b1c1c; } .down { color: #1d6b3a; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 .8rem; font-size: .9rem; }
th, td { padding: .22rem .45rem; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
th { border-bottom: 1.5px solid var(--ink); font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td .id { overflow-wrap: anywhere; font-size: .75rem; }
tr.total td { font-weight: 600; border-top: 1.5px solid var(--ink); }
table.compact { font-size: .8rem; }
.note { color: var(--muted); font-size: .85rem; }
.legend { display: flex; flex-wrap: wrap; gap: .3rem 1.1rem; font-size: .85rem; margin: .3rem 0; }
.legend span { display: inline-flex; align-items: center; gap: .35rem; }
.swatch { display: inline-block; width: 12px; height: 12px; border: 1px solid #999; }
.dot { display: inline-block; width: 9px; height: 9px; border-radius: 50%; }
svg { display: block; max-width: 100%; height: auto; }
svg text { font-family: "Source Sans 3", "Segoe UI", Helvetica, Arial, sans-serif; }
svg .tick { font-size: 10px; fill: #555; }
svg .year { font-weight: 600; }
svg .legend { font-size: 11px; fill: #222; }
svg .district { font-size: 10px; fill: #666; text-anchor: middle; }
svg .scale text, svg .north text { font-size: 11px; fill: #1a1a1a; }
svg .node { font-size: 10px; fill: #fff; font-weight: 700; }
.community { display: grid; grid-template-columns: 340px minmax(0, 1fr); gap: 1rem; margin: .6rem 0 1rem;
  break-inside: avoid; page-break-inside: avoid; }
.figure { break-inside: avoid; page-break-inside: avoid; }
ul.changes li { margin-bottom: .2rem; }
.matrix td, .matrix th { text-align: center; }
@page { size: A4; margin: 12mm 12mm 14mm; }
@media print {
  html { font-size: 9.5pt; }
  body { background: #fff; }
  .page { box-shadow: none; margin: 0; max-width: none; padding: 0; }
  section.page { break-before: page; page-break-before: always; }
  .cover { min-height: 270mm; }
  .cover .band { margin: 0 0 0; padding: 20mm 10mm 10mm; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  tr { break-inside: avoid; }
}
"#;

fn num(n: Option<u64>, lang: Lang) -> String {
    n.map_or_else(|| "·".to_owned(), |n| text::int(n, lang))
}

/// "+12 (+8 %)", or "·" when either side is unknown.
fn delta(f: &Figure, lang: Lang) -> (String, &'static str) {
    match (f.current, f.previous) {
        (Some(c), Some(p)) => {
            let d = c as i64 - p as i64;
            let sign = if d > 0 {
                "+"
            } else if d < 0 {
                "−"
            } else {
                "±"
            };
            let pct = if p > 0 {
                format!(
                    " ({sign}{} %)",
                    text::dec((d.unsigned_abs() as f64) * 100.0 / p as f64, 0, lang)
                )
            } else {
                String::new()
            };
            (
                format!("{sign}{}{pct}", text::int(d.unsigned_abs(), lang)),
                if d > 0 {
                    "up"
                } else if d < 0 {
                    "down"
                } else {
                    ""
                },
            )
        }
        _ => ("·".to_owned(), ""),
    }
}

fn section_head(out: &mut String, r: &Report, n: usize, title: &str, id: &str, lang: Lang) {
    let w = words(lang);
    let _ = write!(
        out,
        r#"<section class="page" id="{id}"><div class="runhead"><span>{} · {} · {} – {}</span><span class="code">{}</span></div><h2><span class="num">{n}</span>{}</h2>"#,
        escape(w.title),
        escape(&r.meta.area),
        escape(&r.meta.from),
        escape(&r.meta.to),
        escape(&classification_short(r, w, lang)),
        escape(title)
    );
}

fn classification_short(r: &Report, w: &Words, lang: Lang) -> String {
    let code = r
        .meta
        .classification
        .map_or_else(|| w.no_material.to_owned(), |h| h.to_string());
    if r.meta.partner {
        format!("{code} · {}", words(lang).partner_version)
    } else {
        code
    }
}

/// The report as HTML in `lang`.
pub fn render_html(r: &Report, lang: Lang) -> String {
    let w = words(lang);
    let mut o = String::with_capacity(256 * 1024);
    let _ = write!(
        o,
        r#"<!DOCTYPE html>
<html lang="{}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Lägesbild">
<title>{} – {} – {} – {}</title>
<style>{CSS}</style>
</head>
<body>
"#,
        if lang == Lang::Sv { "sv" } else { "en" },
        escape(w.title),
        escape(&r.meta.area),
        escape(&r.meta.from),
        escape(&r.meta.to)
    );
    let sections: Vec<(&str, &str)> = vec![
        ("summary", w.s_summary),
        ("map", w.s_map),
        ("trends", w.s_trends),
        ("networks", w.s_networks),
        ("hotspots", w.s_hotspots),
        ("observations", w.s_observations),
        ("estimates", w.s_estimates),
        ("sources", w.s_sources),
    ];
    cover(&mut o, r, &sections, lang);
    for (i, (id, title)) in sections.iter().enumerate() {
        section_head(&mut o, r, i + 1, title, id, lang);
        match *id {
            "summary" => summary(&mut o, r, lang),
            "map" => map(&mut o, r, lang),
            "trends" => trends(&mut o, r, lang),
            "networks" => networks(&mut o, r, lang),
            "hotspots" => hotspots(&mut o, r, lang),
            "observations" => observations(&mut o, r, lang),
            "estimates" => estimates(&mut o, r, lang),
            _ => sources(&mut o, r, lang),
        }
        o.push_str("</section>\n");
    }
    o.push_str("</body>\n</html>\n");
    o
}

fn cover(o: &mut String, r: &Report, sections: &[(&str, &str)], lang: Lang) {
    let w = words(lang);
    let m = &r.meta;
    let code = m
        .classification
        .map_or_else(|| w.no_material.to_owned(), |h| h.to_string());
    let meaning = m
        .classification
        .map_or("", |h| text::handling_meaning(&h.to_string(), lang));
    let _ = write!(
        o,
        r#"<section class="page cover"><div class="band"><div class="org">{}</div><h1>{}</h1><p class="subtitle">{}</p></div>
<div class="area">{}</div><p class="period">{} – {} <span class="note">({} {} – {})</span></p>
<div class="classbox">{}: {}<small>{}</small></div>"#,
        escape(&m.org),
        escape(w.title),
        escape(w.subtitle),
        escape(&m.area),
        escape(&m.from),
        escape(&m.to),
        escape(w.compared_with),
        escape(&m.previous_from),
        escape(&m.previous_to),
        escape(w.classification),
        escape(&code),
        escape(meaning)
    );
    for note in &m.handling_notes {
        let _ = write!(o, r#"<p class="note">H3: {}</p>"#, escape(note));
    }
    let _ = write!(
        o,
        r#"<dl class="facts"><dt>{}</dt><dd>{} – {}</dd><dt>{}</dt><dd>{} ({}, {}: {})</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd></dl>"#,
        escape(w.period),
        escape(&m.from),
        escape(&m.to),
        escape(w.made_by),
        escape(&m.user),
        escape(&m.org),
        escape(w.roles),
        escape(&m.roles.join(", ")),
        escape(w.made_at),
        escape(&m.generated_at),
        escape(w.purpose),
        escape(&m.purpose),
        escape(w.area),
        escape(&format!(
            "{}{}",
            m.area,
            match (m.area_kind, lang) {
                (AreaKind::Polygon, Lang::Sv) => " (polygon i områdesfilen)",
                (AreaKind::Polygon, Lang::En) => " (polygon of the areas file)",
                (AreaKind::Place, Lang::Sv) => " (händelsernas platsangivelse)",
                (AreaKind::Place, Lang::En) => " (the events' place)",
            }
        ))
    );
    if m.partner {
        let _ = write!(
            o,
            r#"<div class="version partner"><strong>{}</strong>{} (k = {})</div>"#,
            escape(w.partner_version),
            escape(w.partner_note),
            m.k
        );
    } else {
        let _ = write!(
            o,
            r#"<div class="version">{}</div>"#,
            escape(w.full_version)
        );
    }
    let _ = write!(o, r#"<nav class="toc"><h3>{}</h3><ol>"#, escape(w.contents));
    for (id, title) in sections {
        let _ = write!(o, r##"<li><a href="#{id}">{}</a></li>"##, escape(title));
    }
    let _ = writeln!(
        o,
        r#"</ol></nav><div class="foot">{}</div></section>"#,
        escape(w.footer)
    );
}

fn card(o: &mut String, label: &str, value: &str, delta: Option<(String, &str)>) {
    let _ = write!(
        o,
        r#"<div class="card"><div class="label">{}</div><div class="value">{}</div>"#,
        escape(label),
        escape(value)
    );
    if let Some((d, class)) = delta {
        let _ = write!(o, r#"<div class="delta {class}">{}</div>"#, escape(&d));
    }
    o.push_str("</div>");
}

fn summary(o: &mut String, r: &Report, lang: Lang) {
    let w = words(lang);
    let s = &r.summary;
    let vs = |f: &Figure| {
        let (d, class) = delta(f, lang);
        (
            format!(
                "{d} {} {} ({})",
                w.compared_with,
                w.previous,
                num(f.previous, lang)
            ),
            class,
        )
    };
    o.push_str(r#"<div class="cards">"#);
    card(
        o,
        w.all_events,
        &num(s.total.current, lang),
        Some(vs(&s.total)),
    );
    for f in &s.by_schema {
        card(
            o,
            text::schema_name(&f.label, lang),
            &num(f.current, lang),
            Some(vs(f)),
        );
    }
    card(o, w.hot_cells, &text::int(s.hot_cells as u64, lang), None);
    card(o, w.alerts, &text::int(s.alerts as u64, lang), None);
    if let Some(c) = s.communities {
        card(o, w.active_networks, &text::int(c as u64, lang), None);
    }
    o.push_str("</div>");
    let _ = write!(
        o,
        "<h3>{}</h3><ul class=\"changes\">",
        escape(w.what_changed)
    );
    for line in changes(r, lang) {
        let _ = write!(o, "<li>{}</li>", escape(&line));
    }
    o.push_str("</ul>");
    let _ = write!(
        o,
        r#"<table><thead><tr><th>{}</th><th class="n">{} ({} – {})</th><th class="n">{} ({} – {})</th><th class="n">{}</th></tr></thead><tbody>"#,
        escape(w.category),
        escape(w.previous),
        escape(&r.meta.previous_from),
        escape(&r.meta.previous_to),
        escape(w.current),
        escape(&r.meta.from),
        escape(&r.meta.to),
        escape(w.change)
    );
    for f in &s.by_category {
        let (d, class) = delta(f, lang);
        let _ = write!(
            o,
            r#"<tr><td>{}</td><td class="n">{}</td><td class="n">{}</td><td class="n {class}">{}</td></tr>"#,
            escape(&f.label),
            num(f.previous, lang),
            num(f.current, lang),
            escape(&d)
        );
    }
    let (d, class) = delta(&s.total, lang);
    let _ = write!(
        o,
        r#"<tr class="total"><td>{}</td><td class="n">{}</td><td class="n">{}</td><td class="n {class}">{}</td></tr></tbody></table>"#,
        escape(w.total),
        num(s.total.previous, lang),
        num(s.total.current, lang),
        escape(&d)
    );
    if r.meta.partner {
        let _ = write!(o, r#"<p class="note">{}</p>"#, escape(w.suppressed));
    }
}

/// Sentences on what changed against the previous period.
fn changes(r: &Report, lang: Lang) -> Vec<String> {
    let sv = lang == Lang::Sv;
    let s = &r.summary;
    let mut out = Vec::new();
    match (s.total.current, s.total.previous) {
        (Some(c), Some(p)) => {
            let (d, _) = delta(&s.total, lang);
            out.push(if c > p {
                if sv {
                    format!(
                        "Antalet händelser ökade från {} till {} ({d}).",
                        text::int(p, lang),
                        text::int(c, lang)
                    )
                } else {
                    format!(
                        "Events rose from {} to {} ({d}).",
                        text::int(p, lang),
                        text::int(c, lang)
                    )
                }
            } else if c < p {
                if sv {
                    format!(
                        "Antalet händelser minskade från {} till {} ({d}).",
                        text::int(p, lang),
                        text::int(c, lang)
                    )
                } else {
                    format!(
                        "Events fell from {} to {} ({d}).",
                        text::int(p, lang),
                        text::int(c, lang)
                    )
                }
            } else if sv {
                format!("Antalet händelser är oförändrat ({}).", text::int(c, lang))
            } else {
                format!(
                    "The number of events is unchanged ({}).",
                    text::int(c, lang)
                )
            });
        }
        _ => out.push(if sv {
            "Det totala antalet är dolt (små tal).".to_owned()
        } else {
            "The total is suppressed (small counts).".to_owned()
        }),
    }
    let mut moves: Vec<(i64, &Figure)> = s
        .by_category
        .iter()
        .filter_map(|f| Some((f.current? as i64 - f.previous? as i64, f)))
        .filter(|(d, _)| *d != 0)
        .collect();
    moves.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.label.cmp(&b.1.label)));
    let ups: Vec<String> = moves
        .iter()
        .filter(|(d, _)| *d > 0)
        .take(3)
        .map(|(_, f)| format!("{} ({})", f.label, delta(f, lang).0))
        .collect();
    let downs: Vec<String> = moves
        .iter()
        .rev()
        .filter(|(d, _)| *d < 0)
        .take(3)
        .map(|(_, f)| format!("{} ({})", f.label, delta(f, lang).0))
        .collect();
    if !ups.is_empty() {
        out.push(format!(
            "{}: {}.",
            if sv {
                "Störst ökning"
            } else {
                "Largest increases"
            },
            ups.join(", ")
        ));
    }
    if !downs.is_empty() {
        out.push(format!(
            "{}: {}.",
            if sv {
                "Störst minskning"
            } else {
                "Largest decreases"
            },
            downs.join(", ")
        ));
    }
    let above: Vec<&crate::AlertRow> = r
        .trends
        .alerts
        .iter()
        .filter(|a| a.month.as_str() >= &r.meta.from[..7])
        .collect();
    if let Some(a) = above.last() {
        let what = if a.category == "*" {
            words(lang).other.to_owned()
        } else {
            a.category.clone()
        };
        out.push(if sv {
            format!(
                "{} larm under perioden; senast {} {} i {} ({} mot förväntat {}).",
                above.len(),
                what,
                if a.above { "över" } else { "under" },
                a.month,
                text::dec(a.count, 0, lang),
                text::dec(a.expected, 1, lang)
            )
        } else {
            format!(
                "{} alerts in the period; the latest {} {} expected in {} ({} against {}).",
                above.len(),
                what,
                if a.above { "above" } else { "below" },
                a.month,
                text::dec(a.count, 0, lang),
                text::dec(a.expected, 1, lang)
            )
        });
    }
    if let Some(top) = r.hotspots.top.first() {
        out.push(if sv {
            format!(
                "{} brännpunktsceller med minst 95 % konfidens; den starkaste ({}) har {} händelser.",
                s.hot_cells, top.cell, top.count
            )
        } else {
            format!(
                "{} hotspot cells at 95 % confidence or more; the strongest ({}) holds {} events.",
                s.hot_cells, top.cell, top.count
            )
        });
    }
    if let Some(n) = &r.networks
        && let Some(c) = n.active.first()
    {
        out.push(if sv {
            format!(
                "{} nätverk har händelser i området; det mest aktiva har {} medlemmar och {} av händelserna.",
                n.active_total, c.size, c.events
            )
        } else {
            format!(
                "{} networks have events in the area; the most active has {} members and {} of the events.",
                n.active_total, c.size, c.events
            )
        });
    }
    out
}

fn map(o: &mut String, r: &Report, lang: Lang) {
    let w = words(lang);
    let m = &r.map;
    o.push_str(r#"<div class="figure">"#);
    o.push_str(&svg::map(m, lang));
    let _ = write!(
        o,
        r#"<div class="legend"><strong>{}:</strong>"#,
        escape(w.legend)
    );
    if !m.outline.is_empty() {
        let _ = write!(
            o,
            r#"<span><span class="swatch" style="border:2px solid #1a1a1a;background:none"></span>{}</span>"#,
            escape(w.outline)
        );
    }
    if !m.districts.is_empty() {
        let _ = write!(
            o,
            r#"<span><span class="swatch" style="background:#ecece6;border-color:#a8a8a0"></span>{}</span>"#,
            escape(w.districts)
        );
    }
    for (bin, colour) in svg::BIN_COLOURS {
        let _ = write!(
            o,
            r#"<span><span class="swatch" style="background:{colour}"></span>{}</span>"#,
            escape(&text::bin_label(bin, lang))
        );
    }
    if !m.points.is_empty() {
        for (k, kind) in m.legend.iter().enumerate() {
            let _ = write!(
                o,
                r#"<span><span class="dot" style="background:{}"></span>{}</span>"#,
                svg::KIND_COLOURS.get(k).unwrap_or(&"#333"),
                escape(text::schema_name(kind, lang))
            );
        }
    }
    o.push_str("</div>");
    let _ = write!(o, r#"<p class="note">{}"#, escape(w.map_caption));
    if r.meta.partner {
        let _ = write!(
            o,
            " {}",
            escape(if lang == Lang::Sv {
                "Partnerversionen visar inga enskilda händelser, och bara celler med minst k händelser."
            } else {
                "The partner version shows no individual events, and only cells with at least k events."
            })
        );
    }
    o.push_str("</p></div>");
    if m.points.is_empty() && m.cells.is_empty() && !r.meta.partner {
        let _ = write!(o, r#"<p>{}</p>"#, escape(w.no_events));
    }
}

fn trends(o: &mut String, r: &Report, lang: Lang) {
    let w = words(lang);
    let t = &r.trends;
    let _ = write!(
        o,
        r#"<p>{}</p>"#,
        escape(&if lang == Lang::Sv {
            format!(
                "Händelser per månad och kategori, {} – {}. Förväntat intervall: medianen av de {} föregående månaderna ± 2 spridningar (MAD, minst Poisson).",
                t.months.first().map_or("", |s| s.as_str()),
                t.months.last().map_or("", |s| s.as_str()),
                t.window
            )
        } else {
            format!(
                "Events per month and category, {} – {}. Expected band: the median of the {} previous months ± 2 spreads (MAD, at least Poisson).",
                t.months.first().map_or("", |s| s.as_str()),
                t.months.last().map_or("", |s| s.as_str()),
                t.window
            )
        })
    );
    if t.charts.is_empty() {
        let _ = write!(o, r#"<p>{}</p>"#, escape(w.no_events));
    }
    for c in &t.charts {
        if !c
            .series
            .iter()
            .any(|s| s.counts.iter().any(|v| v.is_some_and(|v| v > 0)))
        {
            let _ = write!(
                o,
                r#"<h3>{}</h3><p class="note">{}</p>"#,
                escape(text::schema_name(&c.schema, lang)),
                escape(if lang == Lang::Sv {
                    "Inga publicerade månadsantal över noll (alla under k eller noll)."
                } else {
                    "No published monthly count above zero (all below k, or zero)."
                })
            );
            continue;
        }
        let _ = write!(
            o,
            r#"<div class="figure"><h3>{}</h3>{}</div>"#,
            escape(text::schema_name(&c.schema, lang)),
            svg::line_chart(c, t, lang)
        );
    }
    let _ = write!(o, "<h3>{}</h3>", escape(w.alerts_caption));
    if t.alerts.is_empty() {
        let _ = write!(o, "<p>{}</p>", escape(w.no_alerts));
        return;
    }
    let _ = write!(
        o,
        r#"<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th class="n">{}</th><th class="n">{}</th><th class="n">{}</th><th></th></tr></thead><tbody>"#,
        escape(w.month),
        escape(w.kind),
        escape(w.category),
        escape(w.events),
        escape(w.expected),
        escape(w.band)
    );
    for a in &t.alerts {
        let _ = write!(
            o,
            r#"<tr><td>{}</td><td>{}</td><td>{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{} – {}</td><td class="{}">{}</td></tr>"#,
            escape(&a.month),
            escape(text::schema_name(&a.schema, lang)),
            escape(if a.category == "*" {
                w.other
            } else {
                &a.category
            }),
            text::dec(a.count, 0, lang),
            text::dec(a.expected, 1, lang),
            text::dec(a.low, 1, lang),
            text::dec(a.high, 1, lang),
            if a.above { "up" } else { "down" },
            escape(if a.above { w.above } else { w.below })
        );
    }
    o.push_str("</tbody></table>");
}

fn networks(o: &mut String, r: &Report, lang: Lang) {
    let w = words(lang);
    let Some(n) = &r.networks else {
        let _ = write!(
            o,
            "<p>{}</p>",
            escape(if r.meta.partner {
                w.networks_partner
            } else {
                w.no_networks
            })
        );
        return;
    };
    let _ = write!(
        o,
        "<p>{}</p>",
        escape(&if lang == Lang::Sv {
            format!(
                "Nätverket under perioden (betalningar, samtal, meddelanden, beslag med misstänkta och andra länkar): {} noder och {} länkar, {} grupper (Leiden, modularitet {}). {} av grupperna har händelser i området; de {} mest aktiva visas nedan. Nyckelpersoner rangordnas efter betweenness inom gruppen.",
                text::int(n.nodes as u64, lang),
                text::int(n.edges as u64, lang),
                text::int(n.communities as u64, lang),
                text::dec(n.modularity, 3, lang),
                n.active_total,
                n.active.len()
            )
        } else {
            format!(
                "The network of the period (payments, calls, messages, seizures with suspects and other links): {} nodes and {} links, {} communities (Leiden, modularity {}). {} of them have events in the area; the {} most active are shown below. Key members are ranked by betweenness within their community.",
                text::int(n.nodes as u64, lang),
                text::int(n.edges as u64, lang),
                text::int(n.communities as u64, lang),
                text::dec(n.modularity, 3, lang),
                n.active_total,
                n.active.len()
            )
        })
    );
    if n.active.is_empty() {
        let _ = write!(o, "<p>{}</p>", escape(w.no_networks));
        return;
    }
    let _ = write!(
        o,
        r##"<div class="legend"><strong>{}:</strong><span><span class="dot" style="background:#b2182b"></span>{}</span><span><span class="swatch" style="background:{}"></span>{}</span><span><span class="dot" style="background:#8c8c8c"></span>{}</span></div>"##,
        escape(w.legend),
        escape(w.key_node),
        svg::KIND_COLOURS[0],
        escape(w.event_node),
        escape(w.other_node)
    );
    for (i, c) in n.active.iter().enumerate() {
        let _ = write!(
            o,
            r#"<h3>{} {}: {} {}, {} {}, {} {}</h3><div class="community"><div>{}"#,
            escape(w.community),
            i + 1,
            text::int(c.size as u64, lang),
            escape(w.members),
            text::int(c.edges as u64, lang),
            escape(w.links),
            c.events,
            escape(w.events),
            svg::network(&c.drawing, lang)
        );
        if c.drawing.hidden > 0 {
            let _ = write!(
                o,
                r#"<p class="note">{}</p>"#,
                escape(&if lang == Lang::Sv {
                    format!("{} noder visas inte.", c.drawing.hidden)
                } else {
                    format!("{} nodes not drawn.", c.drawing.hidden)
                })
            );
        }
        let _ = write!(
            o,
            r#"</div><div><table class="compact"><caption class="note">{}</caption><thead><tr><th>#</th><th>{}</th><th>{}</th><th class="n">{}</th></tr></thead><tbody>"#,
            escape(w.key_members),
            escape(if lang == Lang::Sv { "Namn" } else { "Name" }),
            escape(w.schema),
            escape(w.betweenness)
        );
        for (k, m) in c.key.iter().enumerate() {
            let _ = write!(
                o,
                r#"<tr><td>{}</td><td>{}<br><span class="note id">{}</span></td><td>{}</td><td class="n">{}</td></tr>"#,
                k + 1,
                escape(&m.name),
                escape(&m.id),
                escape(&m.schema),
                text::dec(m.score, 1, lang)
            );
        }
        o.push_str("</tbody></table></div></div>");
    }
}

fn hotspots(o: &mut String, r: &Report, lang: Lang) {
    let w = words(lang);
    let h = &r.hotspots;
    let counted = match (h.events, h.cells, lang) {
        (Some(e), Some(c), Lang::Sv) => format!(
            " över periodens {} händelser i {} celler",
            text::int(e as u64, lang),
            text::int(c as u64, lang)
        ),
        (Some(e), Some(c), Lang::En) => format!(
            " over the period's {} events in {} cells",
            text::int(e as u64, lang),
            text::int(c as u64, lang)
        ),
        _ => String::new(),
    };
    let _ = write!(
        o,
        "<p>{}</p>",
        escape(&if lang == Lang::Sv {
            format!(
                "Getis-Ord Gi* på H3-celler (upplösning {}, cirka 0,1 km²; grannar: angränsande celler; FDR-korrigerat){counted}: {} brännpunkter med 99 %, {} med 95 % och {} med 90 % konfidens; {} kalla punkter.",
                h.resolution,
                h.bins[0],
                h.bins[1],
                h.bins[2],
                h.bins[3] + h.bins[4] + h.bins[5]
            )
        } else {
            format!(
                "Getis-Ord Gi* on H3 cells (resolution {}, about 0.1 km²; neighbours: adjacent cells; FDR-corrected){counted}: {} hot spots at 99 %, {} at 95 % and {} at 90 % confidence; {} cold spots.",
                h.resolution,
                h.bins[0],
                h.bins[1],
                h.bins[2],
                h.bins[3] + h.bins[4] + h.bins[5]
            )
        })
    );
    if r.meta.partner {
        let _ = write!(
            o,
            r#"<p class="note">{}</p>"#,
            escape(&if lang == Lang::Sv {
                format!(
                    "Partnerversionen: {} celler med färre än {} händelser är utelämnade.",
                    h.withheld, r.meta.k
                )
            } else {
                format!(
                    "Partner version: {} cells with fewer than {} events are left out.",
                    h.withheld, r.meta.k
                )
            })
        );
    }
    if h.top.is_empty() {
        let _ = write!(o, "<p>{}</p>", escape(w.no_hotspots));
    } else {
        let _ = write!(
            o,
            r#"<table><thead><tr><th>{}</th><th class="n">lat</th><th class="n">lon</th><th class="n">{}</th><th class="n">z</th><th class="n">p</th><th>{}</th><th>{}</th></tr></thead><tbody>"#,
            escape(w.cell),
            escape(w.events),
            escape(w.bin),
            escape(w.pattern)
        );
        for c in &h.top {
            let _ = write!(
                o,
                r#"<tr><td><code>{}</code></td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td><span class="swatch" style="background:{}"></span> {}</td><td>{}</td></tr>"#,
                escape(&c.cell),
                text::dec(c.lat, 5, lang),
                text::dec(c.lon, 5, lang),
                text::int(c.count, lang),
                text::dec(c.z, 2, lang),
                escape(&format!("{:.1e}", c.p)),
                svg::bin_colour(c.bin),
                escape(&text::bin_label(c.bin, lang)),
                escape(
                    &c.pattern
                        .as_deref()
                        .map(|p| text::pattern_label(p, lang))
                        .unwrap_or_default()
                )
            );
        }
        o.push_str("</tbody></table>");
    }
    let _ = write!(o, "<h3>{}</h3>", escape(w.emerging));
    match &h.patterns {
        None => {
            let _ = write!(o, "<p>{}</p>", escape(w.too_few_months));
        }
        Some(p) if p.is_empty() => {
            let _ = write!(o, "<p>{}</p>", escape(w.no_patterns));
        }
        Some(p) => {
            let _ = write!(
                o,
                r#"<table><thead><tr><th>{}</th><th class="n">{}</th></tr></thead><tbody>"#,
                escape(w.pattern),
                escape(w.cell)
            );
            for (label, n) in p {
                let _ = write!(
                    o,
                    r#"<tr><td>{}</td><td class="n">{}</td></tr>"#,
                    escape(&text::pattern_label(label, lang)),
                    n
                );
            }
            o.push_str("</tbody></table>");
        }
    }
}

fn table(o: &mut String, t: &Table, first: &str, lang: Lang) {
    let w = words(lang);
    let _ = write!(
        o,
        r#"<table class="compact"><thead><tr><th>{}</th>"#,
        escape(first)
    );
    for m in &t.months {
        let _ = write!(
            o,
            r#"<th class="n">{} {}</th>"#,
            escape(&text::month_short(m, lang)),
            escape(m.get(2..4).unwrap_or(""))
        );
    }
    let _ = write!(
        o,
        r#"<th class="n">{}</th></tr></thead><tbody>"#,
        escape(w.total)
    );
    for (i, row) in t.rows.iter().enumerate() {
        let _ = write!(o, "<tr><td>{}</td>", escape(row));
        for c in &t.cells[i] {
            let _ = write!(o, r#"<td class="n">{}</td>"#, num(*c, lang));
        }
        let _ = write!(
            o,
            r#"<td class="n">{}</td></tr>"#,
            num(t.row_totals.get(i).copied().flatten(), lang)
        );
    }
    let _ = write!(o, r#"<tr class="total"><td>{}</td>"#, escape(w.total));
    for c in &t.col_totals {
        let _ = write!(o, r#"<td class="n">{}</td>"#, num(*c, lang));
    }
    let _ = write!(
        o,
        r#"<td class="n">{}</td></tr></tbody></table>"#,
        num(t.grand_total, lang)
    );
}

fn observations(o: &mut String, r: &Report, lang: Lang) {
    let w = words(lang);
    let t = &r.observations;
    if t.rows.is_empty() {
        let _ = write!(o, "<p>{}</p>", escape(w.no_observations));
        return;
    }
    let _ = write!(
        o,
        "<p>{}</p>",
        escape(if lang == Lang::Sv {
            "Observationer som kommun, skola, fastighetsägare och andra partner rapporterat i området, per kategori och månad."
        } else {
            "Observations reported in the area by the municipality, schools, housing companies and other partners, per category and month."
        })
    );
    table(o, t, w.category, lang);
    if r.meta.partner || t.suppressed > 0 {
        let _ = write!(o, r#"<p class="note">{}</p>"#, escape(w.suppressed));
    }
}

fn estimates(o: &mut String, r: &Report, lang: Lang) {
    let w = words(lang);
    let e = &r.estimates;
    let sv = lang == Lang::Sv;
    if e.items.is_empty() {
        let _ = write!(
            o,
            "<p>{}</p>",
            escape(if sv {
                "Underlaget räcker inte till någon skattning för området och perioden."
            } else {
                "The data allows no estimate for the area and period."
            })
        );
    }
    for item in &e.items {
        let what = match (item.what.as_str(), sv) {
            ("suspects", true) => {
                "Antal personer aktiva som misstänkta vid beslag i området (mörkertal inräknat)"
            }
            ("suspects", false) => {
                "People active as seizure suspects in the area (including those never seized)"
            }
            (other, _) => other,
        };
        let how = if sv {
            "Chapmans fångst–återfångst-skattning: misstänkta i periodens första halva (n1) mot dess andra halva (n2), m = sedda i båda; N = (n1+1)(n2+1)/(m+1) − 1, intervall log-normalt (Chao). Antar en sluten population och lika stor chans att upptäckas – beslag är inte slumpmässiga, så talet är en grov storleksordning."
        } else {
            "Chapman's capture–recapture estimate: suspects of the period's first half (n1) against its second half (n2), m = seen in both; N = (n1+1)(n2+1)/(m+1) − 1, log-normal interval (Chao). Assumes a closed population and equal chances of being caught – seizures are not random, so the figure is a rough order of magnitude."
        };
        let inputs: Vec<String> = item
            .inputs
            .iter()
            .map(|(k, v)| format!("{k} = {v}"))
            .collect();
        let _ = write!(
            o,
            r#"<table><thead><tr><th>{}</th><th class="n">{}</th><th class="n">{}</th><th>{}</th></tr></thead><tbody><tr><td>{}</td><td class="n">{}</td><td class="n">{} – {}</td><td>{}</td></tr></tbody></table><p class="note">{}</p>"#,
            escape(w.estimate),
            escape(if sv { "Värde" } else { "Value" }),
            escape(w.interval),
            escape(w.method),
            escape(what),
            text::dec(item.value, 0, lang),
            text::dec(item.low, 0, lang),
            text::dec(item.high, 0, lang),
            escape(&inputs.join(", ")),
            escape(how)
        );
    }
    if !e.not_made.is_empty() {
        let _ = write!(o, "<h3>{}</h3><ul>", escape(w.not_made));
        for n in &e.not_made {
            let line = match (n, sv) {
                (crate::NoEstimate::Partner, true) => "Skattningar bygger på uppgifter om enskilda och ingår inte i partnerversionen.".to_owned(),
                (crate::NoEstimate::Partner, false) => "Estimates rest on data about individuals and are not part of the partner version.".to_owned(),
                (crate::NoEstimate::TooFewRecaptures { m }, true) => format!("Fångst–återfångst (Chapman) på misstänkta vid beslag: bara {m} personer sedda i båda halvorna av perioden (minst 3 behövs)."),
                (crate::NoEstimate::TooFewRecaptures { m }, false) => format!("Capture–recapture (Chapman) on seizure suspects: only {m} people seen in both halves of the period (at least 3 needed)."),
                (crate::NoEstimate::WastewaterNotPerArea, true) => "Konsumtion från avloppsvatten: proverna gäller hela reningsverkets upptagningsområde, inte området.".to_owned(),
                (crate::NoEstimate::WastewaterNotPerArea, false) => "Consumption from wastewater: samples cover a treatment plant's whole catchment, not the area.".to_owned(),
            };
            let _ = write!(o, "<li>{}</li>", escape(&line));
        }
        o.push_str("</ul>");
    }
}

fn sources(o: &mut String, r: &Report, lang: Lang) {
    let w = words(lang);
    let s = &r.sources;
    let sv = lang == Lang::Sv;
    let _ = write!(
        o,
        "<p>{}</p>",
        escape(if sv {
            "Posterna som rapporten räknar eller namnger, per organisation och datamängd, med Europols 4x4-bedömning (källa A–C/X, information 1–4) och hanteringskod. Rapportens hanteringskod är den högsta bland dem."
        } else {
            "The records the report counts or names, per organisation and dataset, with the Europol 4x4 grading (source A–C/X, information 1–4) and handling code. The report's handling code is the highest among them."
        })
    );
    let _ = write!(
        o,
        r#"<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th class="n">{}</th></tr></thead><tbody>"#,
        escape(w.org),
        escape(w.dataset),
        escape(w.grading),
        escape(w.handling),
        escape(w.records)
    );
    for row in &s.rows {
        let _ = write!(
            o,
            r#"<tr><td>{}</td><td>{}</td><td>{}</td><td>{}{}</td><td class="n">{}</td></tr>"#,
            escape(&row.org),
            escape(&row.dataset),
            escape(&row.grading.to_string()),
            escape(&row.handling.to_string()),
            row.handling_note
                .as_deref()
                .map(|n| format!(" ({})", escape(n)))
                .unwrap_or_default(),
            num(row.records, lang)
        );
    }
    o.push_str("</tbody></table>");
    let _ = write!(
        o,
        r#"<div class="cards" style="grid-template-columns: 3fr 2fr"><div><h3>{}</h3><table class="matrix"><thead><tr><th>{} \ {}</th><th>1</th><th>2</th><th>3</th><th>4</th></tr></thead><tbody>"#,
        escape(w.grading),
        escape(w.source_grade),
        escape(w.info_grade)
    );
    for (i, grade) in ["A", "B", "C", "X"].iter().enumerate() {
        let _ = write!(o, "<tr><th>{grade}</th>");
        for c in &s.grading[i] {
            let _ = write!(o, r#"<td class="n">{}</td>"#, num(*c, lang));
        }
        o.push_str("</tr>");
    }
    let _ = write!(
        o,
        r#"</tbody></table></div><div><h3>{}</h3><table><tbody>"#,
        escape(w.handling)
    );
    for (i, code) in ["H0", "H1", "H2", "H3"].iter().enumerate() {
        let _ = write!(
            o,
            r#"<tr><th>{code}</th><td class="note">{}</td><td class="n">{}</td></tr>"#,
            escape(text::handling_meaning(code, lang)),
            num(s.handling[i], lang)
        );
    }
    o.push_str("</tbody></table></div></div>");
    for note in &r.meta.handling_notes {
        let _ = write!(o, r#"<p class="note">H3: {}</p>"#, escape(note));
    }
    if r.meta.partner {
        let _ = write!(o, r#"<p class="note">{}</p>"#, escape(w.suppressed));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::*;

    const HOSTILE: &str = r#"<script>alert("x")</script> & 'Ö' <img src=x onerror=alert(1)>"#;

    /// A report of every section, with hostile text wherever data puts text.
    fn sample(partner: bool) -> Report {
        let ring = vec![
            (374_000.0, 6_160_000.0),
            (376_000.0, 6_160_000.0),
            (376_000.0, 6_162_000.0),
            (374_000.0, 6_160_000.0),
        ];
        let fig = |label: &str, c, p| Figure {
            label: label.into(),
            current: c,
            previous: p,
        };
        Report {
            meta: Meta {
                area: format!("Östervång {HOSTILE}"),
                area_kind: AreaKind::Polygon,
                from: "2026-07-01".into(),
                to: "2026-12-31".into(),
                previous_from: "2026-01-01".into(),
                previous_to: "2026-06-30".into(),
                generated_at: "2026-12-31T12:00:00Z".into(),
                user: format!("analytiker {HOSTILE}"),
                org: "Polisen".into(),
                roles: vec!["analyst".into()],
                purpose: format!("ärende {HOSTILE}"),
                classification: Some(lagesbild_model::Handling::H3),
                handling_notes: vec![format!("endast {HOSTILE}")],
                partner,
                k: if partner { 5 } else { 1 },
            },
            summary: Summary {
                total: fig("all", Some(120), Some(100)),
                by_schema: vec![fig("Seizure", Some(20), None)],
                by_category: vec![fig(HOSTILE, Some(7), Some(2)), fig("kokain", None, Some(9))],
                hot_cells: 2,
                alerts: 1,
                communities: (!partner).then_some(1),
            },
            map: MapData {
                bounds: [373_000.0, 6_159_000.0, 377_000.0, 6_163_000.0],
                outline: vec![ring.clone()],
                districts: vec![(HOSTILE.into(), vec![ring.clone()])],
                points: if partner {
                    vec![]
                } else {
                    vec![MapPoint {
                        x: 375_000.0,
                        y: 6_161_000.0,
                        kind: 0,
                    }]
                },
                legend: vec!["Seizure".into(), "Incident".into(), "Observation".into()],
                cells: vec![MapCell { ring, bin: 3 }],
            },
            trends: Trends {
                months: vec!["2026-11".into(), "2026-12".into()],
                first_current: 1,
                charts: vec![Chart {
                    schema: "Seizure".into(),
                    series: vec![Series {
                        label: HOSTILE.into(),
                        counts: vec![Some(3), None],
                    }],
                }],
                alerts: vec![AlertRow {
                    schema: "Seizure".into(),
                    category: HOSTILE.into(),
                    month: "2026-11".into(),
                    count: 3.0,
                    expected: 0.5,
                    low: 0.0,
                    high: 1.5,
                    above: true,
                }],
                window: 6,
            },
            networks: (!partner).then(|| Networks {
                nodes: 3,
                edges: 2,
                communities: 1,
                modularity: 0.4,
                active: vec![Community {
                    id: 0,
                    size: 3,
                    edges: 2,
                    events: 1,
                    key: vec![Member {
                        id: format!("id-{HOSTILE}"),
                        name: HOSTILE.into(),
                        schema: "Person".into(),
                        score: 1.0,
                    }],
                    drawing: Drawing {
                        nodes: vec![(0.1, 0.1), (0.5, 0.5), (0.9, 0.9)],
                        key: vec![None, Some(0), None],
                        event: vec![true, false, false],
                        edges: vec![(0, 1), (1, 2)],
                        hidden: 0,
                    },
                }],
                active_total: 1,
            }),
            hotspots: Hotspots {
                events: Some(120),
                cells: Some(30),
                resolution: 9,
                bins: [1, 1, 0, 0, 0, 0],
                top: vec![HotCell {
                    cell: "891f05b800fffff".into(),
                    lat: 55.58,
                    lon: 13.03,
                    count: 9,
                    z: 4.4,
                    p: 1e-5,
                    bin: 3,
                    pattern: Some("persistent hot spot".into()),
                }],
                patterns: Some(vec![("new hot spot".into(), 2)]),
                withheld: 0,
            },
            observations: Table {
                rows: vec![HOSTILE.into()],
                months: vec!["2026-12".into()],
                cells: vec![vec![Some(6)]],
                row_totals: vec![Some(6)],
                col_totals: vec![Some(6)],
                grand_total: Some(6),
                suppressed: 0,
            },
            estimates: Estimates {
                items: vec![],
                not_made: vec![NoEstimate::TooFewRecaptures { m: 1 }],
            },
            sources: Sources {
                rows: vec![SourceCount {
                    org: HOSTILE.into(),
                    dataset: HOSTILE.into(),
                    grading: "B2".parse().unwrap(),
                    handling: lagesbild_model::Handling::H3,
                    handling_note: Some(HOSTILE.into()),
                    records: Some(12),
                }],
                grading: [[Some(0); 4]; 4],
                handling: [Some(0), Some(0), Some(0), Some(12)],
            },
        }
    }

    /// Every `<svg>…</svg>` of the page, parsed as XML: well-formed, tags balanced.
    fn check_svgs(html: &str) -> usize {
        use quick_xml::Reader;
        use quick_xml::events::Event;
        let mut n = 0;
        let mut rest = html;
        while let Some(start) = rest.find("<svg") {
            let end = rest[start..].find("</svg>").expect("an svg is closed") + start + 6;
            let svg = &rest[start..end];
            let mut reader = Reader::from_str(svg);
            let mut stack: Vec<String> = Vec::new();
            loop {
                match reader.read_event() {
                    Ok(Event::Start(e)) => {
                        for a in e.attributes() {
                            a.unwrap_or_else(|err| panic!("bad attribute in {svg}: {err}"));
                        }
                        stack.push(AsRef::<str>::as_ref(&e.name()).to_owned());
                    }
                    Ok(Event::Empty(e)) => {
                        for a in e.attributes() {
                            a.unwrap_or_else(|err| panic!("bad attribute in {svg}: {err}"));
                        }
                    }
                    Ok(Event::End(e)) => {
                        let name = AsRef::<str>::as_ref(&e.name()).to_owned();
                        assert_eq!(stack.pop().as_deref(), Some(name.as_str()), "{svg}");
                    }
                    Ok(Event::Eof) => break,
                    Ok(_) => {}
                    Err(err) => panic!(
                        "not well-formed at {}: {err}\n{svg}",
                        reader.buffer_position()
                    ),
                }
            }
            assert!(stack.is_empty(), "unclosed {stack:?} in {svg}");
            n += 1;
            rest = &rest[end..];
        }
        n
    }

    #[test]
    fn hostile_text_is_escaped_everywhere() {
        for partner in [false, true] {
            for lang in [Lang::Sv, Lang::En] {
                let html = render_html(&sample(partner), lang);
                assert!(!html.to_ascii_lowercase().contains("<script"), "{html}");
                assert!(!html.contains("<img"), "{html}");
                assert!(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"));
                assert!(html.contains("&amp; &#39;Ö&#39;"));
            }
        }
        assert_eq!(
            escape("a<b>&\"'\u{1}"),
            "a&lt;b&gt;&amp;&quot;&#39;\u{fffd}"
        );
    }

    #[test]
    fn every_svg_is_well_formed_xml() {
        let html = render_html(&sample(false), Lang::Sv);
        // the map, one chart, one network
        assert_eq!(check_svgs(&html), 3);
        let html = render_html(&sample(true), Lang::En);
        assert_eq!(check_svgs(&html), 2, "no network in the partner version");
    }

    #[test]
    fn the_page_loads_nothing_from_anywhere() {
        let html = render_html(&sample(false), Lang::Sv);
        for banned in [
            "<script",
            "<link",
            "<img",
            "<iframe",
            "@import",
            "url(http",
            "src=\"http",
            "href=\"http",
        ] {
            assert!(!html.contains(banned), "{banned}");
        }
        assert!(html.contains("Content-Security-Policy"));
        assert!(html.contains("@page { size: A4"));
        assert!(html.contains("break-before: page"));
    }

    #[test]
    fn swedish_by_default_english_on_request() {
        let sv = render_html(&sample(false), Lang::Sv);
        for label in [
            "<html lang=\"sv\"",
            "Lägesbild",
            "Sammanfattning",
            "Karta",
            "Utveckling över tid",
            "Nätverk",
            "Brännpunkter",
            "Partnernas observationer",
            "Skattningar",
            "Källor och bedömning",
            "Hanteringskod: H3",
            "Upprättad av",
            "Ändamål",
            "Teckenförklaring",
            "ihållande brännpunkt",
            "Polisens version",
        ] {
            assert!(sv.contains(label), "{label}");
        }
        let en = render_html(&sample(true), Lang::En);
        for label in [
            "<html lang=\"en\"",
            "Summary",
            "Trends",
            "Sources and grading",
            "Handling code: H3",
            "PARTNER VERSION",
            "Networks are not shown in the partner version.",
        ] {
            assert!(en.contains(label), "{label}");
        }
        assert!(!en.contains("Sammanfattning"));
        // suppressed counts are a dot, never a number
        assert!(sv.contains("<td class=\"n\">·</td>"));
    }
}
