//! Reading edge lists (CSV: `source,target[,weight][,time][,kind]`) and writing graphs for
//! other tools: GEXF 1.3 and GraphML (Gephi, yEd, Cytoscape) and a CSV of links with both ends'
//! attributes, the shape i2 Analyst's Notebook imports through an import specification.

use std::io::{Read, Write};

use crate::graph::{EdgeList, Graph};

#[derive(Debug, thiserror::Error)]
pub enum IoError {
    #[error("{file}, line {line}: {message}")]
    Line {
        file: String,
        line: u64,
        message: String,
    },
    #[error("{file}: {source}")]
    Io {
        file: String,
        source: std::io::Error,
    },
}

/// Seconds since 1970 from an integer or an ISO date (`2026-03-14`, `2026-03-14T21:30:00`,
/// `2026-03-14 21:30`).
pub fn parse_time(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(v) = s.parse::<i64>() {
        return Some(v);
    }
    let (date, time) = match s.split_once(['T', ' ']) {
        Some((d, t)) => (d, t.trim_end_matches('Z')),
        None => (s, ""),
    };
    let mut dp = date.split('-');
    let y: i64 = dp.next()?.parse().ok()?;
    let m: i64 = dp.next()?.parse().ok()?;
    let d: i64 = dp.next()?.parse().ok()?;
    if dp.next().is_some() || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let mut secs = 0;
    if !time.is_empty() {
        let mut tp = time.split(':');
        let h: i64 = tp.next()?.parse().ok()?;
        let mi: i64 = tp.next().unwrap_or("0").parse().ok()?;
        let se: f64 = tp.next().unwrap_or("0").parse().ok()?;
        if !(0..24).contains(&h) || !(0..60).contains(&mi) {
            return None;
        }
        secs = h * 3600 + mi * 60 + se as i64;
    }
    // days from civil (Howard Hinnant)
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some((era * 146_097 + doe - 719_468) * 86_400 + secs)
}

/// Reads an edge list. A header is recognised by its first cell (`source`, `src`, `from`); the
/// columns are then taken by name (`source`, `target`, `weight`, `time`, `kind`), otherwise by
/// position in that order.
pub fn read_edges(file: &str, input: impl Read) -> Result<EdgeList, IoError> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(input);
    let mut list = EdgeList::new();
    let mut cols = (0usize, 1usize, Some(2usize), Some(3usize), Some(4usize));
    let mut record = csv::StringRecord::new();
    let mut first = true;
    loop {
        let more = rdr.read_record(&mut record).map_err(|e| IoError::Line {
            file: file.to_owned(),
            line: e.position().map_or(0, |p| p.line()),
            message: e.to_string(),
        })?;
        if !more {
            break;
        }
        let line = record.position().map_or(0, |p| p.line());
        let err = |message: String| IoError::Line {
            file: file.to_owned(),
            line,
            message,
        };
        if first {
            first = false;
            let head: Vec<String> = record.iter().map(|c| c.to_ascii_lowercase()).collect();
            if matches!(
                head.first().map(String::as_str),
                Some("source" | "src" | "from")
            ) {
                let find = |names: &[&str]| head.iter().position(|h| names.contains(&h.as_str()));
                cols = (
                    0,
                    find(&["target", "dst", "to"]).ok_or_else(|| err("no target column".into()))?,
                    find(&["weight", "w"]),
                    find(&["time", "timestamp", "date"]),
                    find(&["kind", "type", "label"]),
                );
                continue;
            }
        }
        let get = |i: Option<usize>| i.and_then(|i| record.get(i)).filter(|s| !s.is_empty());
        let (Some(src), Some(dst)) = (get(Some(cols.0)), get(Some(cols.1))) else {
            return Err(err("a row needs a source and a target".into()));
        };
        let weight = match get(cols.2) {
            None => 1.0,
            Some(w) => match w.parse::<f64>() {
                Ok(w) if w.is_finite() && w >= 0.0 => w,
                _ => return Err(err(format!("weight {w:?} is not a non-negative number"))),
            },
        };
        let time = match get(cols.3) {
            None => 0,
            Some(t) => parse_time(t)
                .ok_or_else(|| err(format!("time {t:?} is not a number or an ISO date")))?,
        };
        let kind = get(cols.4).unwrap_or("");
        list.add(src, dst, weight, kind, time);
    }
    Ok(list)
}

/// A node attribute column for exports.
#[derive(Debug, Clone)]
pub enum Column {
    Float(Vec<f64>),
    Int(Vec<i64>),
    Text(Vec<String>),
}

impl Column {
    fn value(&self, i: usize) -> String {
        match self {
            Column::Float(v) => format!("{}", v[i]),
            Column::Int(v) => v[i].to_string(),
            Column::Text(v) => v[i].clone(),
        }
    }

    fn gexf_type(&self) -> &'static str {
        match self {
            Column::Float(_) => "double",
            Column::Int(_) => "long",
            Column::Text(_) => "string",
        }
    }
}

fn xml(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => o.push(c),
        }
    }
    o
}

/// Writes GEXF 1.3 with the node attributes.
pub fn write_gexf(
    g: &Graph,
    attrs: &[(String, Column)],
    out: &mut impl Write,
) -> std::io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<gexf xmlns="http://gexf.net/1.3" version="1.3"><meta><creator>Lägesbild</creator></meta>"#
    )?;
    writeln!(
        out,
        r#"<graph defaultedgetype="{}" mode="static"><attributes class="node">"#,
        if g.directed { "directed" } else { "undirected" }
    )?;
    for (i, (name, col)) in attrs.iter().enumerate() {
        writeln!(
            out,
            r#"<attribute id="{i}" title="{}" type="{}"/>"#,
            xml(name),
            col.gexf_type()
        )?;
    }
    writeln!(out, "</attributes><nodes>")?;
    for v in 0..g.n() {
        write!(
            out,
            r#"<node id="{v}" label="{}"><attvalues>"#,
            xml(&g.names[v])
        )?;
        for (i, (_, col)) in attrs.iter().enumerate() {
            write!(
                out,
                r#"<attvalue for="{i}" value="{}"/>"#,
                xml(&col.value(v))
            )?;
        }
        writeln!(out, "</attvalues></node>")?;
    }
    writeln!(out, "</nodes><edges>")?;
    let mut id = 0;
    for v in 0..g.n() as u32 {
        let ws = g.out.weights(v);
        for (k, &u) in g.out.neighbours(v).iter().enumerate() {
            if !g.directed && u < v {
                continue;
            }
            writeln!(
                out,
                r#"<edge id="{id}" source="{v}" target="{u}" weight="{}"/>"#,
                ws.map_or(1.0, |w| w[k])
            )?;
            id += 1;
        }
    }
    writeln!(out, "</edges></graph></gexf>")
}

/// Writes GraphML with the node attributes.
pub fn write_graphml(
    g: &Graph,
    attrs: &[(String, Column)],
    out: &mut impl Write,
) -> std::io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns">"#
    )?;
    writeln!(
        out,
        r#"<key id="label" for="node" attr.name="label" attr.type="string"/>"#
    )?;
    writeln!(
        out,
        r#"<key id="weight" for="edge" attr.name="weight" attr.type="double"/>"#
    )?;
    for (i, (name, col)) in attrs.iter().enumerate() {
        // GraphML and GEXF name the value types alike
        writeln!(
            out,
            r#"<key id="a{i}" for="node" attr.name="{}" attr.type="{}"/>"#,
            xml(name),
            col.gexf_type()
        )?;
    }
    writeln!(
        out,
        r#"<graph id="G" edgedefault="{}">"#,
        if g.directed { "directed" } else { "undirected" }
    )?;
    for v in 0..g.n() {
        write!(
            out,
            r#"<node id="n{v}"><data key="label">{}</data>"#,
            xml(&g.names[v])
        )?;
        for (i, (_, col)) in attrs.iter().enumerate() {
            write!(out, r#"<data key="a{i}">{}</data>"#, xml(&col.value(v)))?;
        }
        writeln!(out, "</node>")?;
    }
    for v in 0..g.n() as u32 {
        let ws = g.out.weights(v);
        for (k, &u) in g.out.neighbours(v).iter().enumerate() {
            if !g.directed && u < v {
                continue;
            }
            writeln!(
                out,
                r#"<edge source="n{v}" target="n{u}"><data key="weight">{}</data></edge>"#,
                ws.map_or(1.0, |w| w[k])
            )?;
        }
    }
    writeln!(out, "</graph></graphml>")
}

/// Writes one CSV row per link with the attributes of both ends: the layout an i2 Analyst's
/// Notebook import specification maps to two entities and a link.
pub fn write_i2_csv(
    g: &Graph,
    attrs: &[(String, Column)],
    out: &mut impl Write,
) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let mut head = vec!["Entity1 ID".to_owned(), "Entity1 Label".to_owned()];
    head.extend(attrs.iter().map(|(n, _)| format!("Entity1 {n}")));
    head.extend(["Entity2 ID".to_owned(), "Entity2 Label".to_owned()]);
    head.extend(attrs.iter().map(|(n, _)| format!("Entity2 {n}")));
    head.extend(["Link Direction".to_owned(), "Link Weight".to_owned()]);
    w.write_record(&head)?;
    for v in 0..g.n() as u32 {
        let ws = g.out.weights(v);
        for (k, &u) in g.out.neighbours(v).iter().enumerate() {
            if !g.directed && u < v {
                continue;
            }
            let mut row = vec![v.to_string(), g.names[v as usize].clone()];
            row.extend(attrs.iter().map(|(_, c)| c.value(v as usize)));
            row.extend([u.to_string(), g.names[u as usize].clone()]);
            row.extend(attrs.iter().map(|(_, c)| c.value(u as usize)));
            row.push(if g.directed { "Forward" } else { "None" }.to_owned());
            row.push(ws.map_or(1.0, |x| x[k]).to_string());
            w.write_record(&row)?;
        }
    }
    w.flush()?;
    Ok(())
}
