//! Inline SVG: the map (SWEREF 99 TM metres to the page, north up), line charts of monthly
//! counts, and small network drawings. Every text that comes from data is escaped.

use std::fmt::Write as _;

use crate::render::escape;
use crate::text::{self, words};
use crate::{Chart, Drawing, Lang, MapData, Trends};

/// Colours of the Gi* bins: hot 99, 95, 90, cold 90, 95, 99 (ColorBrewer RdBu).
pub const BIN_COLOURS: [(i8, &str); 6] = [
    (3, "#b2182b"),
    (2, "#ef8a62"),
    (1, "#fddbc7"),
    (-1, "#d1e5f0"),
    (-2, "#67a9cf"),
    (-3, "#2166ac"),
];

/// Colours of the kinds of event on the map (seizures, incidents, observations).
pub const KIND_COLOURS: [&str; 3] = ["#1b7f5f", "#6a51a3", "#c51b7d"];

/// Colours of chart series (Okabe–Ito, colour-blind safe).
pub const SERIES_COLOURS: [&str; 8] = [
    "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#7f7f7f",
];

pub fn bin_colour(bin: i8) -> &'static str {
    BIN_COLOURS
        .iter()
        .find(|(b, _)| *b == bin)
        .map_or("#ffffff", |(_, c)| c)
}

fn f(x: f64) -> String {
    format!("{x:.1}")
}

fn path_of(points: impl Iterator<Item = (f64, f64)>, close: bool) -> String {
    let mut d = String::new();
    for (i, (x, y)) in points.enumerate() {
        let _ = write!(d, "{}{} {}", if i == 0 { "M" } else { "L" }, f(x), f(y));
    }
    if close && !d.is_empty() {
        d.push('Z');
    }
    d
}

/// A length for the scale bar: 1, 2 or 5 times a power of ten, about a fifth of `span`.
fn nice_length(span: f64) -> f64 {
    let target = span / 5.0;
    let p = 10f64.powf(target.log10().floor());
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|m| m * p)
        .find(|l| *l <= target)
        .unwrap_or(p)
}

/// The map as SVG.
pub fn map(m: &MapData, lang: Lang) -> String {
    let w = words(lang);
    let [x0, y0, x1, y1] = m.bounds;
    let (width, max_h) = (720.0, 620.0);
    let scale = (width / (x1 - x0)).min(max_h / (y1 - y0));
    let height = (y1 - y0) * scale;
    let width = (x1 - x0) * scale;
    let px = |x: f64, y: f64| ((x - x0) * scale, (y1 - y) * scale);
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="map" viewBox="0 0 {} {}" width="{}" height="{}" role="img" aria-label="{}"><defs><clipPath id="mapclip"><rect x="0" y="0" width="{}" height="{}"/></clipPath></defs><rect x="0" y="0" width="{}" height="{}" fill="#f7f7f4" stroke="#888" stroke-width="0.8"/><g clip-path="url(#mapclip)">"##,
        f(width),
        f(height),
        f(width),
        f(height),
        escape(w.s_map),
        f(width),
        f(height),
        f(width),
        f(height)
    );
    for (_, rings) in &m.districts {
        let d: String = rings
            .iter()
            .map(|r| path_of(r.iter().map(|&(x, y)| px(x, y)), true))
            .collect();
        let _ = write!(
            s,
            r##"<path d="{d}" fill="#ecece6" stroke="#a8a8a0" stroke-width="0.8" fill-rule="evenodd"/>"##
        );
    }
    for c in &m.cells {
        let d = path_of(c.ring.iter().map(|&(x, y)| px(x, y)), true);
        let _ = write!(
            s,
            r##"<path d="{d}" fill="{}" fill-opacity="0.85" stroke="#ffffff" stroke-width="0.4"/>"##,
            bin_colour(c.bin)
        );
    }
    if !m.outline.is_empty() {
        let d: String = m
            .outline
            .iter()
            .map(|r| path_of(r.iter().map(|&(x, y)| px(x, y)), true))
            .collect();
        let _ = write!(
            s,
            r##"<path d="{d}" fill="none" stroke="#1a1a1a" stroke-width="2" fill-rule="evenodd"/>"##
        );
    }
    for p in &m.points {
        let (x, y) = px(p.x, p.y);
        let _ = write!(
            s,
            r##"<circle class="event" cx="{}" cy="{}" r="2.4" fill="{}" fill-opacity="0.8" stroke="#fff" stroke-width="0.4"/>"##,
            f(x),
            f(y),
            KIND_COLOURS.get(p.kind).unwrap_or(&"#333")
        );
    }
    // district names at the middle of their first ring, when inside the frame
    for (name, rings) in &m.districts {
        let Some(r) = rings.first().filter(|r| !r.is_empty()) else {
            continue;
        };
        let (sx, sy) = r.iter().fold((0.0, 0.0), |(a, b), &(x, y)| (a + x, b + y));
        let (cx, cy) = px(sx / r.len() as f64, sy / r.len() as f64);
        if cx > 20.0 && cx < width - 20.0 && cy > 12.0 && cy < height - 12.0 {
            let _ = write!(
                s,
                r##"<text x="{}" y="{}" class="district">{}</text>"##,
                f(cx),
                f(cy),
                escape(name)
            );
        }
    }
    s.push_str("</g>");
    // scale bar and north arrow
    let len = nice_length(x1 - x0);
    let bar = len * scale;
    let (bx, by) = (14.0, height - 16.0);
    let _ = write!(
        s,
        r##"<g class="scale"><rect x="{}" y="{}" width="{}" height="5" fill="#1a1a1a"/><rect x="{}" y="{}" width="{}" height="5" fill="#fff" stroke="#1a1a1a" stroke-width="0.6"/><text x="{}" y="{}">{}</text></g>"##,
        f(bx),
        f(by),
        f(bar / 2.0),
        f(bx + bar / 2.0),
        f(by),
        f(bar / 2.0),
        f(bx),
        f(by - 4.0),
        if len >= 1000.0 {
            format!(
                "{} km",
                text::dec(len / 1000.0, if len % 1000.0 == 0.0 { 0 } else { 1 }, lang)
            )
        } else {
            format!("{len} m")
        }
    );
    let _ = write!(
        s,
        r##"<g class="north"><path d="M{} 12 L{} 34 L{} 28 L{} 34 Z" fill="#1a1a1a"/><text x="{}" y="46" text-anchor="middle">N</text></g>"##,
        f(width - 22.0),
        f(width - 29.0),
        f(width - 22.0),
        f(width - 15.0),
        f(width - 22.0)
    );
    s.push_str("</svg>");
    s
}

/// A line chart of monthly counts; missing (suppressed) months break the line; months with an
/// alert on a series are ringed.
pub fn line_chart(chart: &Chart, trends: &Trends, lang: Lang) -> String {
    let months = &trends.months;
    let (width, height) = (720.0, 250.0);
    let (left, right, top, bottom) = (44.0, 170.0, 14.0, 36.0);
    let plot_w = width - left - right;
    let plot_h = height - top - bottom;
    let max = chart
        .series
        .iter()
        .flat_map(|s| s.counts.iter().flatten())
        .copied()
        .max()
        .unwrap_or(0)
        .max(1);
    // a round top for the axis
    let step = {
        let raw = max as f64 / 4.0;
        let p = 10f64.powf(raw.log10().floor()).max(1.0);
        [1.0, 2.0, 5.0, 10.0]
            .into_iter()
            .map(|m| m * p)
            .find(|s| *s >= raw)
            .unwrap_or(10.0 * p)
    };
    let top_value = (max as f64 / step).ceil() * step;
    let n = months.len().max(1);
    let x_of = |i: usize| {
        if n == 1 {
            left + plot_w / 2.0
        } else {
            left + plot_w * i as f64 / (n - 1) as f64
        }
    };
    let y_of = |v: f64| top + plot_h * (1.0 - v / top_value);
    let w = words(lang);
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="{}">"##,
        escape(text::schema_name(&chart.schema, lang))
    );
    // the current period, shaded
    if trends.first_current < n {
        let xa = if trends.first_current == 0 {
            left
        } else {
            (x_of(trends.first_current - 1) + x_of(trends.first_current)) / 2.0
        };
        let _ = write!(
            s,
            r##"<rect x="{}" y="{top}" width="{}" height="{plot_h}" fill="#eef3f8"/>"##,
            f(xa),
            f(left + plot_w - xa)
        );
    }
    let mut v = 0.0;
    while v <= top_value + 1e-9 {
        let y = y_of(v);
        let _ = write!(
            s,
            r##"<line x1="{left}" y1="{}" x2="{}" y2="{}" stroke="#d9d9d9" stroke-width="0.7"/><text x="{}" y="{}" class="tick" text-anchor="end">{}</text>"##,
            f(y),
            f(left + plot_w),
            f(y),
            f(left - 6.0),
            f(y + 3.5),
            text::int(v as u64, lang)
        );
        v += step;
    }
    for (i, m) in months.iter().enumerate() {
        let x = x_of(i);
        let label = text::month_short(m, lang);
        let _ = write!(
            s,
            r##"<text x="{}" y="{}" class="tick" text-anchor="middle">{}</text>"##,
            f(x),
            f(top + plot_h + 14.0),
            escape(&label)
        );
        if i == 0 || m.ends_with("-01") {
            let _ = write!(
                s,
                r##"<text x="{}" y="{}" class="tick year" text-anchor="middle">{}</text>"##,
                f(x),
                f(top + plot_h + 27.0),
                escape(m.get(..4).unwrap_or(""))
            );
        }
    }
    let _ = write!(
        s,
        r##"<line x1="{left}" y1="{}" x2="{}" y2="{}" stroke="#666" stroke-width="0.8"/>"##,
        f(top + plot_h),
        f(left + plot_w),
        f(top + plot_h)
    );
    for (k, series) in chart.series.iter().enumerate() {
        let colour = SERIES_COLOURS[k % SERIES_COLOURS.len()];
        let mut d = String::new();
        let mut pen = false;
        for (i, c) in series.counts.iter().enumerate() {
            match c {
                Some(c) => {
                    let _ = write!(
                        d,
                        "{}{} {}",
                        if pen { "L" } else { "M" },
                        f(x_of(i)),
                        f(y_of(*c as f64))
                    );
                    pen = true;
                }
                None => pen = false,
            }
        }
        let _ = write!(
            s,
            r##"<path d="{d}" fill="none" stroke="{colour}" stroke-width="2" stroke-linejoin="round"/>"##
        );
        for (i, c) in series.counts.iter().enumerate() {
            if let Some(c) = c {
                let _ = write!(
                    s,
                    r##"<circle cx="{}" cy="{}" r="2.2" fill="{colour}"/>"##,
                    f(x_of(i)),
                    f(y_of(*c as f64))
                );
            }
        }
        for a in trends
            .alerts
            .iter()
            .filter(|a| a.schema == chart.schema && a.category == series.label)
        {
            if let Some(i) = months.iter().position(|m| *m == a.month) {
                let _ = write!(
                    s,
                    r##"<circle cx="{}" cy="{}" r="6" fill="none" stroke="#c00000" stroke-width="1.6"/>"##,
                    f(x_of(i)),
                    f(y_of(a.count))
                );
            }
        }
    }
    // the legend, right of the plot
    let lx = width - right + 16.0;
    let mut ly = top + 8.0;
    for (k, series) in chart.series.iter().enumerate() {
        let colour = SERIES_COLOURS[k % SERIES_COLOURS.len()];
        let label = if series.label == "*" {
            w.other.to_owned()
        } else {
            series.label.clone()
        };
        let _ = write!(
            s,
            r##"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{colour}" stroke-width="2.5"/><text x="{}" y="{}" class="legend">{}</text>"##,
            f(lx),
            f(ly),
            f(lx + 18.0),
            f(ly),
            f(lx + 24.0),
            f(ly + 3.5),
            escape(&truncate(&label, 22))
        );
        ly += 17.0;
    }
    ly += 4.0;
    let _ = write!(
        s,
        r##"<circle cx="{}" cy="{}" r="6" fill="none" stroke="#c00000" stroke-width="1.6"/><text x="{}" y="{}" class="legend">{}</text>"##,
        f(lx + 9.0),
        f(ly),
        f(lx + 24.0),
        f(ly + 3.5),
        escape(w.alerts)
    );
    ly += 17.0;
    let _ = write!(
        s,
        r##"<rect x="{}" y="{}" width="18" height="10" fill="#eef3f8" stroke="#c8d3e0" stroke-width="0.5"/><text x="{}" y="{}" class="legend">{}</text>"##,
        f(lx),
        f(ly - 5.0),
        f(lx + 24.0),
        f(ly + 3.5),
        escape(w.current_period_shaded)
    );
    s.push_str("</svg>");
    s
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

/// A network drawing: key members numbered, the area's events as squares.
pub fn network(d: &Drawing, lang: Lang) -> String {
    let (width, height, pad) = (340.0, 260.0, 16.0);
    let at = |p: (f64, f64)| {
        (
            pad + p.0 * (width - 2.0 * pad),
            pad + p.1 * (height - 2.0 * pad),
        )
    };
    let w = words(lang);
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="network" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="{}"><rect x="0" y="0" width="{width}" height="{height}" fill="#fbfbf9" stroke="#ccc" stroke-width="0.6"/>"##,
        escape(w.community)
    );
    for &(a, b) in &d.edges {
        let (Some(&pa), Some(&pb)) = (d.nodes.get(a as usize), d.nodes.get(b as usize)) else {
            continue;
        };
        let ((xa, ya), (xb, yb)) = (at(pa), at(pb));
        let _ = write!(
            s,
            r##"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#9a9a9a" stroke-width="0.8"/>"##,
            f(xa),
            f(ya),
            f(xb),
            f(yb)
        );
    }
    for (i, &p) in d.nodes.iter().enumerate() {
        let (x, y) = at(p);
        if d.event.get(i).copied().unwrap_or(false) {
            let _ = write!(
                s,
                r##"<rect x="{}" y="{}" width="7" height="7" fill="{}" stroke="#fff" stroke-width="0.6"/>"##,
                f(x - 3.5),
                f(y - 3.5),
                KIND_COLOURS[0]
            );
        } else if d.key.get(i).copied().flatten().is_none() {
            let _ = write!(
                s,
                r##"<circle cx="{}" cy="{}" r="3.5" fill="#8c8c8c" stroke="#fff" stroke-width="0.6"/>"##,
                f(x),
                f(y)
            );
        }
    }
    // key members last, on top
    for (i, &p) in d.nodes.iter().enumerate() {
        if let Some(k) = d.key.get(i).copied().flatten() {
            let (x, y) = at(p);
            let _ = write!(
                s,
                r##"<circle cx="{}" cy="{}" r="8" fill="#b2182b" stroke="#fff" stroke-width="1"/><text x="{}" y="{}" class="node" text-anchor="middle">{}</text>"##,
                f(x),
                f(y),
                f(x),
                f(y + 3.5),
                k + 1
            );
        }
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_bars_are_round() {
        assert_eq!(nice_length(5_300.0), 1000.0);
        assert_eq!(nice_length(12_000.0), 2000.0);
        assert_eq!(nice_length(900.0), 100.0);
    }
}
