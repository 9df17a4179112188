//! The report's words in Swedish and English.

use crate::Lang;

/// Fixed labels of the report.
pub struct Words {
    pub title: &'static str,
    pub subtitle: &'static str,
    pub area: &'static str,
    pub period: &'static str,
    pub compared_with: &'static str,
    pub classification: &'static str,
    pub no_material: &'static str,
    pub made_by: &'static str,
    pub made_at: &'static str,
    pub purpose: &'static str,
    pub partner_version: &'static str,
    pub partner_note: &'static str,
    pub full_version: &'static str,
    pub contents: &'static str,
    pub s_summary: &'static str,
    pub s_map: &'static str,
    pub s_trends: &'static str,
    pub s_networks: &'static str,
    pub s_hotspots: &'static str,
    pub s_observations: &'static str,
    pub s_estimates: &'static str,
    pub s_sources: &'static str,
    pub events: &'static str,
    pub previous: &'static str,
    pub current: &'static str,
    pub change: &'static str,
    pub all_events: &'static str,
    pub kind: &'static str,
    pub category: &'static str,
    pub month: &'static str,
    pub total: &'static str,
    pub hot_cells: &'static str,
    pub alerts: &'static str,
    pub active_networks: &'static str,
    pub what_changed: &'static str,
    pub suppressed: &'static str,
    pub legend: &'static str,
    pub outline: &'static str,
    pub districts: &'static str,
    pub hot: &'static str,
    pub cold: &'static str,
    pub map_caption: &'static str,
    pub no_events: &'static str,
    pub other: &'static str,
    pub alerts_caption: &'static str,
    pub expected: &'static str,
    pub band: &'static str,
    pub above: &'static str,
    pub below: &'static str,
    pub no_alerts: &'static str,
    pub current_period_shaded: &'static str,
    pub no_networks: &'static str,
    pub networks_partner: &'static str,
    pub members: &'static str,
    pub links: &'static str,
    pub key_members: &'static str,
    pub betweenness: &'static str,
    pub community: &'static str,
    pub event_node: &'static str,
    pub key_node: &'static str,
    pub other_node: &'static str,
    pub cell: &'static str,
    pub pattern: &'static str,
    pub bin: &'static str,
    pub no_hotspots: &'static str,
    pub emerging: &'static str,
    pub too_few_months: &'static str,
    pub no_patterns: &'static str,
    pub no_observations: &'static str,
    pub estimate: &'static str,
    pub method: &'static str,
    pub interval: &'static str,
    pub not_made: &'static str,
    pub org: &'static str,
    pub dataset: &'static str,
    pub grading: &'static str,
    pub handling: &'static str,
    pub records: &'static str,
    pub source_grade: &'static str,
    pub info_grade: &'static str,
    pub footer: &'static str,
    pub roles: &'static str,
    pub schema: &'static str,
}

pub const SV: Words = Words {
    title: "Lägesbild",
    subtitle: "Narkotikahandeln – gemensam lägesbild för samverkansmöte",
    area: "Område",
    period: "Period",
    compared_with: "jämfört med",
    classification: "Hanteringskod",
    no_material: "inget underlag",
    made_by: "Upprättad av",
    made_at: "Upprättad",
    purpose: "Ändamål",
    partner_version: "PARTNERVERSION",
    partner_note: "Denna version innehåller endast sammanräknade antal för samverkanspartner. Små antal (under k) är dolda, liksom de antal som skulle avslöja dem. Den innehåller inga namn, inga enskilda händelser och inga nätverk.",
    full_version: "Polisens version: innehåller uppgifter om enskilda. Får inte lämnas ut till samverkanspartner – använd partnerversionen.",
    contents: "Innehåll",
    s_summary: "Sammanfattning",
    s_map: "Karta",
    s_trends: "Utveckling över tid",
    s_networks: "Nätverk",
    s_hotspots: "Brännpunkter",
    s_observations: "Partnernas observationer",
    s_estimates: "Skattningar",
    s_sources: "Källor och bedömning",
    events: "händelser",
    previous: "föregående period",
    current: "perioden",
    change: "förändring",
    all_events: "Alla händelser",
    kind: "Slag",
    category: "Kategori",
    month: "Månad",
    total: "Totalt",
    hot_cells: "Brännpunktsceller (95 %+)",
    alerts: "Larm i trenderna",
    active_networks: "Aktiva nätverk",
    what_changed: "Vad har förändrats",
    suppressed: "· = dolt (färre än k eller skulle avslöja ett litet antal)",
    legend: "Teckenförklaring",
    outline: "området",
    districts: "stadsdelar",
    hot: "brännpunkt",
    cold: "kall punkt",
    map_caption: "Händelser under perioden och Getis-Ord Gi*-celler (H3) efter konfidens, SWEREF 99 TM.",
    no_events: "Inga händelser i området under perioden.",
    other: "övrigt",
    alerts_caption: "Månader utanför det förväntade intervallet (minst 3 händelser från det förväntade)",
    expected: "förväntat",
    band: "intervall",
    above: "över",
    below: "under",
    no_alerts: "Inga månader utanför det förväntade intervallet.",
    current_period_shaded: "skuggat: perioden",
    no_networks: "Inga nätverk med händelser i området under perioden.",
    networks_partner: "Nätverk redovisas inte i partnerversionen.",
    members: "medlemmar",
    links: "länkar",
    key_members: "Nyckelpersoner (betweenness inom nätverket)",
    betweenness: "betweenness",
    community: "Nätverk",
    event_node: "händelse i området",
    key_node: "nyckelperson",
    other_node: "övrig",
    cell: "Cell",
    pattern: "Mönster",
    bin: "Konfidens",
    no_hotspots: "Inga statistiskt säkerställda brännpunkter.",
    emerging: "Framväxande brännpunkter (Mann–Kendall per cell, månadssteg)",
    too_few_months: "Perioden har färre än tre månader: ingen analys av framväxande brännpunkter.",
    no_patterns: "Inga celler med mönster.",
    no_observations: "Inga observationer från partner i området under perioden.",
    estimate: "Skattning",
    method: "Metod",
    interval: "95 % intervall",
    not_made: "Inte gjort",
    org: "Organisation",
    dataset: "Datamängd",
    grading: "Bedömning (4x4)",
    handling: "Hanteringskod",
    records: "Poster",
    source_grade: "Källa",
    info_grade: "Information",
    footer: "Alla uppgifter är hämtade genom Lägesbilds loggade åtkomstväg; varje läsning finns i granskningsloggen med vem, när och varför.",
    roles: "roller",
    schema: "Slag",
};

pub const EN: Words = Words {
    title: "Lägesbild",
    subtitle: "Illegal drug trade – joint situation picture for the cooperation meeting",
    area: "Area",
    period: "Period",
    compared_with: "compared with",
    classification: "Handling code",
    no_material: "no material",
    made_by: "Made by",
    made_at: "Made",
    purpose: "Purpose",
    partner_version: "PARTNER VERSION",
    partner_note: "This version holds only aggregated counts for cooperation partners. Small counts (below k) are hidden, as are the counts that would give them away. It holds no names, no individual events and no networks.",
    full_version: "Police version: holds information about individuals. Not to be given to partners – use the partner version.",
    contents: "Contents",
    s_summary: "Summary",
    s_map: "Map",
    s_trends: "Trends",
    s_networks: "Networks",
    s_hotspots: "Hotspots",
    s_observations: "Partner observations",
    s_estimates: "Estimates",
    s_sources: "Sources and grading",
    events: "events",
    previous: "previous period",
    current: "period",
    change: "change",
    all_events: "All events",
    kind: "Kind",
    category: "Category",
    month: "Month",
    total: "Total",
    hot_cells: "Hotspot cells (95 %+)",
    alerts: "Trend alerts",
    active_networks: "Active networks",
    what_changed: "What changed",
    suppressed: "· = suppressed (fewer than k, or would give a small count away)",
    legend: "Legend",
    outline: "the area",
    districts: "districts",
    hot: "hot spot",
    cold: "cold spot",
    map_caption: "Events of the period and Getis-Ord Gi* cells (H3) by confidence, SWEREF 99 TM.",
    no_events: "No events in the area during the period.",
    other: "other",
    alerts_caption: "Months outside the expected band (at least 3 events from the expected)",
    expected: "expected",
    band: "band",
    above: "above",
    below: "below",
    no_alerts: "No month outside the expected band.",
    current_period_shaded: "shaded: the period",
    no_networks: "No networks with events in the area during the period.",
    networks_partner: "Networks are not shown in the partner version.",
    members: "members",
    links: "links",
    key_members: "Key members (betweenness within the network)",
    betweenness: "betweenness",
    community: "Network",
    event_node: "event in the area",
    key_node: "key member",
    other_node: "other",
    cell: "Cell",
    pattern: "Pattern",
    bin: "Confidence",
    no_hotspots: "No significant hotspots.",
    emerging: "Emerging hotspots (Mann–Kendall per cell, monthly steps)",
    too_few_months: "The period has fewer than three months: no emerging-hotspot analysis.",
    no_patterns: "No cells with a pattern.",
    no_observations: "No partner observations in the area during the period.",
    estimate: "Estimate",
    method: "Method",
    interval: "95 % interval",
    not_made: "Not made",
    org: "Organisation",
    dataset: "Dataset",
    grading: "Grading (4x4)",
    handling: "Handling code",
    records: "Records",
    source_grade: "Source",
    info_grade: "Information",
    footer: "All data was read through Lägesbild's logged access path; every read is in the audit log with who, when and why.",
    roles: "roles",
    schema: "Kind",
};

pub fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Sv => &SV,
        Lang::En => &EN,
    }
}

/// The name of a kind of event, in the plural.
pub fn schema_name(schema: &str, lang: Lang) -> &str {
    match (schema, lang) {
        ("Seizure", Lang::Sv) => "Beslag",
        ("Incident", Lang::Sv) => "Våldshändelser",
        ("Observation", Lang::Sv) => "Observationer",
        ("Other", Lang::Sv) => "Övriga",
        ("Seizure", Lang::En) => "Seizures",
        ("Incident", Lang::En) => "Incidents",
        ("Observation", Lang::En) => "Observations",
        ("Other", Lang::En) => "Other",
        (s, _) => s,
    }
}

/// A Gi* bin in words.
pub fn bin_label(bin: i8, lang: Lang) -> String {
    let w = words(lang);
    let (what, pct) = match bin {
        3 => (w.hot, 99),
        2 => (w.hot, 95),
        1 => (w.hot, 90),
        -1 => (w.cold, 90),
        -2 => (w.cold, 95),
        -3 => (w.cold, 99),
        _ => return String::new(),
    };
    format!("{what} {pct} %")
}

/// An emerging-hotspot pattern (`Category::label`) in words.
pub fn pattern_label(label: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return label.to_owned();
    }
    let (kind, rest) = if let Some(k) = label.strip_suffix(" hot spot") {
        ("brännpunkt", k)
    } else if let Some(k) = label.strip_suffix(" cold spot") {
        ("kall punkt", k)
    } else {
        return match label {
            "no pattern" => "inget mönster".to_owned(),
            other => other.to_owned(),
        };
    };
    let adj = match rest {
        "new" => "ny",
        "consecutive" => "sammanhängande",
        "intensifying" => "tilltagande",
        "persistent" => "ihållande",
        "diminishing" => "avtagande",
        "sporadic" => "sporadisk",
        "oscillating" => "växlande",
        "historical" => "historisk",
        other => other,
    };
    format!("{adj} {kind}")
}

/// What a handling code means.
pub fn handling_meaning(code: &str, lang: Lang) -> &'static str {
    match (code, lang) {
        ("H0", Lang::Sv) => "får användas för att förebygga och bekämpa brott",
        ("H1", Lang::Sv) => "får inte användas i domstol utan uppgiftslämnarens tillstånd",
        ("H2", Lang::Sv) => "får inte lämnas vidare utan uppgiftslämnarens tillstånd",
        ("H3", Lang::Sv) => "andra begränsningar (se nedan)",
        ("H0", _) => "use only to prevent and combat crime",
        ("H1", _) => "not to be used in court without the provider's permission",
        ("H2", _) => "not to be passed on without the provider's permission",
        ("H3", _) => "other restrictions (see below)",
        _ => "",
    }
}

/// The months' names for chart axes.
pub fn month_short(month: &str, lang: Lang) -> String {
    let m: usize = month.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
    let names_sv = [
        "jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
    ];
    let names_en = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let names = if lang == Lang::Sv { names_sv } else { names_en };
    names[(m.clamp(1, 12)) - 1].to_owned()
}

/// A number with a thin space between thousands (Swedish) or a comma (English).
pub fn int(n: u64, lang: Lang) -> String {
    let s = n.to_string();
    let sep = if lang == Lang::Sv { "\u{202f}" } else { "," };
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

/// A decimal with the language's decimal sign.
pub fn dec(x: f64, places: usize, lang: Lang) -> String {
    let s = format!("{x:.places$}");
    if lang == Lang::Sv {
        s.replace('.', ",").replace('-', "−")
    } else {
        s.replace('-', "−")
    }
}
