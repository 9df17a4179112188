//! A seeded simulation of a regional drug market with its ground truth: networks with roles,
//! customers and their purchases, Swish payments and the layering of the money through mules,
//! seizures with lab results, graded intelligence reports and violence between rival networks
//! with near-repeat contagion, written as the CSV files (and FtM mappings) analysts receive, plus
//! `truth.json`: who every name, phone and account really belongs to.
//!
//! The same seed gives byte-identical output. The model and what it simplifies are described in
//! `docs/simulation.md`.

mod cases;
mod chats;
pub mod ids;
pub mod listings;
mod mappings;
pub mod market;
mod names;
mod nation;
pub mod rng;
pub mod scenes;
mod statements;
pub mod texts;
pub mod wastewater;
pub mod world;

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

use rng::Rng;
use world::{District, Network, Person, Role};

/// How large a world to simulate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scale {
    Town,
    City,
    Region,
    Nation,
}

impl std::str::FromStr for Scale {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "town" => Ok(Scale::Town),
            "city" => Ok(Scale::City),
            "region" => Ok(Scale::Region),
            "nation" => Ok(Scale::Nation),
            _ => Err(format!("unknown scale {s:?} (town, city, region, nation)")),
        }
    }
}

impl Scale {
    /// Networks and customers.
    fn size(self) -> (usize, usize) {
        match self {
            Scale::Town => (2, 600),
            Scale::City => (12, 30_000),
            Scale::Region => (24, 60_000),
            // per region: a nation is `NATION_REGIONS` of them
            Scale::Nation => (24, 60_000),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub seed: u64,
    pub scale: Scale,
    pub months: u32,
    /// The first simulated month (year, month).
    pub start: (i32, u32),
}

#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid configuration: {0}")]
    Config(String),
}

/// What a run wrote.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Data rows per file.
    pub files: BTreeMap<String, u64>,
    pub people: usize,
    pub networks: usize,
}

/// The substances sold, with price per gram in SEK (street level), typical purity, and how
/// customers choose them (weights).
const SUBSTANCES: &[market::Substance] = &[
    ("cannabis", 120.0, (8.0, 25.0), 55),
    ("kokain", 900.0, (40.0, 90.0), 18),
    ("amfetamin", 250.0, (10.0, 60.0), 12),
    ("benzodiazepin", 60.0, (90.0, 100.0), 8),
    ("MDMA", 150.0, (50.0, 90.0), 5),
    ("heroin", 1200.0, (20.0, 60.0), 2),
];

fn pick_substance(rng: &mut Rng) -> usize {
    let total: u32 = SUBSTANCES.iter().map(|s| s.3).sum();
    let mut r = rng.below(u64::from(total)) as u32;
    for (i, s) in SUBSTANCES.iter().enumerate() {
        if r < s.3 {
            return i;
        }
        r -= s.3;
    }
    0
}

/// A CSV file written row by row, counting rows.
struct Csv {
    path: PathBuf,
    out: BufWriter<File>,
    delimiter: char,
    rows: u64,
}

impl Csv {
    fn create(dir: &Path, name: &str, delimiter: char, header: &[&str]) -> Result<Csv, SimError> {
        let path = dir.join(name);
        let file = File::create(&path).map_err(|source| SimError::Write {
            path: path.clone(),
            source,
        })?;
        let mut csv = Csv {
            path,
            out: BufWriter::with_capacity(1 << 16, file),
            delimiter,
            rows: 0,
        };
        csv.write(header)?;
        csv.rows = 0;
        Ok(csv)
    }

    fn write<S: AsRef<str>>(&mut self, fields: &[S]) -> Result<(), SimError> {
        self.write_fields(fields)
            .map_err(|source| SimError::Write {
                path: self.path.clone(),
                source,
            })?;
        self.rows += 1;
        Ok(())
    }

    fn write_fields<S: AsRef<str>>(&mut self, fields: &[S]) -> std::io::Result<()> {
        let mut delimiter = [0u8; 4];
        let delimiter = self.delimiter.encode_utf8(&mut delimiter).as_bytes();
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                self.out.write_all(delimiter)?;
            }
            let f = f.as_ref();
            if f.contains([self.delimiter, '"', '\n', '\r']) {
                self.out.write_all(b"\"")?;
                self.out.write_all(f.replace('"', "\"\"").as_bytes())?;
                self.out.write_all(b"\"")?;
            } else {
                self.out.write_all(f.as_bytes())?;
            }
        }
        self.out.write_all(b"\n")
    }

    fn finish(mut self) -> Result<(String, u64), SimError> {
        self.out.flush().map_err(|source| SimError::Write {
            path: self.path.clone(),
            source,
        })?;
        let name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Ok((name, self.rows))
    }
}

/// The calendar date of `day` (1–28) in simulated month `m`.
fn date(cfg: &Config, m: u32, day: u32) -> String {
    let months = cfg.start.1 - 1 + m;
    let year = cfg.start.0 + (months / 12) as i32;
    format!("{year:04}-{:02}-{day:02}", months % 12 + 1)
}

/// One month's truth: the hidden population the analytics try to estimate.
#[derive(Debug, Clone, Serialize)]
struct MonthTruth {
    month: String,
    active_dealers: u32,
    active_customers: u32,
    purchases: u64,
    /// Grams consumed per substance, as sold.
    consumption_grams: BTreeMap<String, f64>,
    /// Pure grams consumed per substance: the grams sold at the month's purity.
    consumption_pure_grams: BTreeMap<String, f64>,
    /// Supply, prices and purity as they really were.
    market: market::MarketTruth,
}

#[derive(Serialize)]
struct Truth<'a> {
    seed: u64,
    scale: Scale,
    months: u32,
    districts: &'a [District],
    networks: &'a [Network],
    /// Network members (all roles, over time) and the customers.
    people: &'a [Person],
    files: &'a BTreeMap<String, u64>,
    monthly: &'a [MonthTruth],
    /// Incidents the simulator generated by contagion from an earlier one (incident ids).
    near_repeat_incidents: &'a [String],
    /// The Telegram exports of seized phones, and whose phone each was.
    seized_phones: &'a [SeizedPhone],
    /// The police intervention in the busiest open scene, with its true effect.
    intervention: Option<&'a scenes::InterventionTruth>,
    /// What each treatment plant's catchment really consumed, per month and substance.
    wastewater: &'a [wastewater::PlantTruth],
    /// Lead times of the seizures' cases, SLF and ordinary.
    cases: &'a cases::CaseTruth,
    /// Who stands behind the vendors of the dark-web markets and the Telegram sales channels.
    online: &'a listings::OnlineTruth,
}

#[derive(Serialize)]
struct SeizedPhone {
    file: String,
    owner: String,
}

struct Customer {
    person: usize,
    dealer_slot: usize,
    substance: usize,
    rate: f64,
}

/// A nation is this many regions of `Scale::Region`'s size, each in a directory of its own.
pub const NATION_REGIONS: usize = 48;

/// Runs the simulation and writes its files into `out`.
pub fn simulate(cfg: &Config, out: &Path) -> Result<Summary, SimError> {
    simulate_with_progress(cfg, out, |_, _| {})
}

/// Runs the simulation, telling `progress` how many of how many regions are written (a nation
/// has many, the other scales one).
pub fn simulate_with_progress(
    cfg: &Config,
    out: &Path,
    progress: impl Fn(usize, usize) + Sync,
) -> Result<Summary, SimError> {
    if cfg.months == 0 || cfg.months > 240 {
        return Err(SimError::Config("months must be between 1 and 240".into()));
    }
    create_dir(out)?;
    if cfg.scale == Scale::Nation {
        return nation::simulate(cfg, out, progress);
    }
    let summary = region(cfg, Rng::new(cfg.seed), cfg.scale, (0.0, 0.0), out)?;
    progress(1, 1);
    Ok(summary)
}

fn create_dir(dir: &Path) -> Result<(), SimError> {
    std::fs::create_dir_all(dir).map_err(|source| SimError::Write {
        path: dir.to_path_buf(),
        source,
    })
}

/// One region's market from its own random stream, of the size of `size`, moved on the map by
/// `offset` (degrees of latitude and longitude), written into `out`.
fn region(
    cfg: &Config,
    mut root: Rng,
    size: Scale,
    offset: (f64, f64),
    out: &Path,
) -> Result<Summary, SimError> {
    let mut texts = texts::Texts::default();
    let mut geo_rng = root.fork("geography");
    let mut districts = world::districts(&mut geo_rng);
    for d in &mut districts {
        d.lat += offset.0;
        d.lon += offset.1;
    }
    let (n_networks, n_customers) = size.size();

    // Networks and their members.
    let mut net_rng = root.fork("networks");
    let mut people: Vec<Person> = Vec::new();
    let hot: Vec<usize> = districts
        .iter()
        .filter(|d| d.category != world::AreaCategory::None)
        .map(|d| d.id)
        .collect();
    let mut networks = Vec::new();
    for n in 0..n_networks {
        let home = hot[n % hot.len()];
        let mut territory = vec![home];
        if net_rng.chance(0.4) {
            let other = net_rng.pick(&districts).id;
            if other != home {
                territory.push(other);
            }
        }
        let rival = if n_networks > 1 {
            Some(n ^ 1).filter(|r| *r < n_networks)
        } else {
            None
        };
        networks.push(Network {
            id: n,
            name: format!("{}-nätverket", districts[home].name),
            territory,
            rival,
        });
        let dealers = 4 + net_rng.below(8) as usize;
        let roles: Vec<(Role, usize, (i32, i32))> = vec![
            (Role::Leader, 1, (1978, 1995)),
            (Role::Importer, 1 + net_rng.below(2) as usize, (1975, 1995)),
            (
                Role::Wholesaler,
                2 + net_rng.below(2) as usize,
                (1985, 2000),
            ),
            (Role::StreetDealer, dealers, (1998, 2010)),
            (Role::Courier, 2, (2000, 2010)),
            (Role::MoneyMule, 3, (1995, 2007)),
            (Role::StashKeeper, 1, (1990, 2008)),
        ];
        for (role, count, born) in roles {
            for _ in 0..count {
                let id = format!("P{:06}", people.len() + 1);
                let d = *net_rng.pick(&networks[n].territory);
                let mut p = world::person(&mut net_rng, id, born, d);
                p.network = Some(n);
                world::equip(&mut net_rng, &mut p, role);
                people.push(p);
            }
        }
    }
    let dealer_slots: Vec<usize> = (0..people.len())
        .filter(|i| people[*i].role == Some(Role::StreetDealer))
        .collect();

    // Customers.
    let mut cust_rng = root.fork("customers");
    let mut customers = Vec::with_capacity(n_customers);
    for _ in 0..n_customers {
        let d = cust_rng.below(districts.len() as u64) as usize;
        let id = format!("P{:06}", people.len() + 1);
        let p = world::person(&mut cust_rng, id, (1960, 2008), d);
        // a dealer of a network selling in the customer's district, else any
        let local: Vec<usize> = (0..dealer_slots.len())
            .filter(|s| {
                let n = people[dealer_slots[*s]].network.unwrap_or(0);
                networks[n].territory.contains(&d)
            })
            .collect();
        let dealer_slot = if local.is_empty() {
            cust_rng.below(dealer_slots.len() as u64) as usize
        } else {
            *cust_rng.pick(&local)
        };
        customers.push(Customer {
            person: people.len(),
            dealer_slot,
            substance: pick_substance(&mut cust_rng),
            rate: 0.5 + cust_rng.unit() * 4.0,
        });
        people.push(p);
    }

    let mut swish = Csv::create(
        out,
        "swish.csv",
        ';',
        &[
            "Transaktionsdatum",
            "Betalarens namn",
            "Betalarens nummer",
            "Mottagarens nummer",
            "Mottagarens namn",
            "Belopp",
            "Meddelande",
            "Referens",
        ],
    )?;
    let mut transfers = Csv::create(
        out,
        "transfers.csv",
        ',',
        &[
            "transfer_id",
            "date",
            "from_iban",
            "from_name",
            "to_iban",
            "to_name",
            "amount",
            "currency",
            "text",
        ],
    )?;
    let mut seizures = Csv::create(
        out,
        "seizures.csv",
        ',',
        &[
            "seizure_id",
            "case_number",
            "seized_at",
            "place",
            "lat",
            "lon",
            "substance",
            "grams",
            "pieces",
            "purity_percent",
            "slf",
            "lab_reference",
            "lab_reported_at",
            "decided_at",
            "suspect_name",
            "born",
            "personnummer",
            "phone",
        ],
    )?;
    let mut reports = Csv::create(
        out,
        "reports.csv",
        ',',
        &[
            "report_id",
            "date",
            "grading",
            "handling",
            "category",
            "subject_name",
            "subject_phone",
            "subject_alias",
            "narrative",
        ],
    )?;
    let mut incidents = Csv::create(
        out,
        "incidents.csv",
        ',',
        &[
            "incident_id",
            "case_number",
            "occurred_at",
            "category",
            "title",
            "lat",
            "lon",
            "district",
            "municipality",
            "victims",
        ],
    )?;

    let mut month_rng = root.fork("months");
    let mut call_rng = root.fork("calls");
    let mut calls = Csv::create(
        out,
        "calls.csv",
        ',',
        &[
            "call_id",
            "start",
            "caller_number",
            "receiver_number",
            "duration_s",
        ],
    )?;
    let mut n_call = 0u64;
    let mut market = market::Market::new(SUBSTANCES);
    let mut market_rng = root.fork("market");
    let mut case_rng = root.fork("cases");
    let mut cases = cases::Cases::new(&date(cfg, cfg.months - 1, 28));
    // the bank transfers the statements show (see `statements`)
    let mut bank_transfers: Vec<statements::Transfer> = Vec::new();
    let mut monthly = Vec::new();
    let mut near_repeats = Vec::new();
    let (mut n_pay, mut n_transfer, mut n_seizure, mut n_report, mut n_incident) =
        (0u64, 0u64, 0u64, 0u64, 0u64);
    // incidents set off by contagion that fall into the next month: (day, lat, lon, pair)
    let mut pending: Vec<(u32, f64, f64, usize)> = Vec::new();
    // the first leader of each network (leaders are not arrested)
    let leaders: Vec<Option<usize>> = networks
        .iter()
        .map(|n| {
            (0..people.len())
                .find(|i| people[*i].network == Some(n.id) && people[*i].role == Some(Role::Leader))
        })
        .collect();
    for m in 0..cfg.months {
        // each network's members active this month, in the order of `people`
        let mut active_by_net: Vec<Vec<usize>> = vec![Vec::new(); networks.len()];
        for (i, p) in people.iter().enumerate() {
            if let Some(n) = p.network
                && p.active(m)
            {
                active_by_net[n].push(i);
            }
        }
        let year_month = &date(cfg, m, 1)[..7];
        // what customers buy at this month's prices
        let demand: Vec<f64> = (0..SUBSTANCES.len()).map(|s| market.demand(s)).collect();
        let prices: Vec<f64> = (0..SUBSTANCES.len()).map(|s| market.price(s)).collect();
        let purities: Vec<f64> = (0..SUBSTANCES.len()).map(|s| market.purity(s)).collect();
        // grams sold and pure grams, per substance
        let mut consumed = vec![0.0; SUBSTANCES.len()];
        let mut consumed_pure = vec![0.0; SUBSTANCES.len()];
        let mut income: Vec<f64> = vec![0.0; dealer_slots.len()];
        let mut truth = MonthTruth {
            month: date(cfg, m, 1)[..7].to_owned(),
            active_dealers: dealer_slots
                .iter()
                .filter(|i| people[**i].active(m))
                .count() as u32,
            active_customers: 0,
            purchases: 0,
            consumption_grams: BTreeMap::new(),
            consumption_pure_grams: BTreeMap::new(),
            market: market::MarketTruth::default(),
        };
        // purchases and Swish payments
        for c in &customers {
            let k = month_rng.poisson(c.rate * demand[c.substance]);
            if k > 0 {
                truth.active_customers += 1;
            }
            for _ in 0..k {
                let dealer = &people[dealer_slots[c.dealer_slot]];
                if !dealer.active(m) {
                    continue;
                }
                let grams = [0.5, 1.0, 1.0, 2.0, 3.0, 5.0][month_rng.below(6) as usize];
                let amount = (grams * prices[c.substance] / 50.0).round() * 50.0;
                truth.purchases += 1;
                consumed[c.substance] += grams;
                consumed_pure[c.substance] += grams * purities[c.substance] / 100.0;
                income[c.dealer_slot] += amount;
                if !month_rng.chance(0.7) {
                    continue; // cash
                }
                let buyer = &people[c.person];
                let day = month_rng.range(1, 28) as u32;
                let (hour, minute) = (month_rng.range(8, 23), month_rng.below(60));
                let when = format!("{year_month}-{day:02} {hour:02}:{minute:02}");
                let payee_number = match &dealer.swish_business {
                    Some(s) if month_rng.chance(0.7) => s.as_str(),
                    _ => dealer.phones.last().map_or("", String::as_str),
                };
                n_pay += 1;
                let payer_number = ids::phone_as_written(&mut month_rng, &buyer.phones[0]);
                let message = *month_rng.pick(names::SWISH_MESSAGES);
                swish.write(&[
                    when.as_str(),
                    &buyer.name(),
                    &payer_number,
                    payee_number,
                    &dealer.name(),
                    &format!("{},00", amount as u64),
                    message,
                    &format!("SW{n_pay:010}"),
                ])?;
            }
        }
        for (s, sub) in SUBSTANCES.iter().enumerate() {
            if consumed[s] > 0.0 {
                truth
                    .consumption_grams
                    .insert(sub.0.to_owned(), consumed[s]);
                truth
                    .consumption_pure_grams
                    .insert(sub.0.to_owned(), consumed_pure[s]);
            }
        }
        // layering: dealers → mules → the leader, each month
        for (slot, inc) in income.iter().enumerate() {
            if *inc < 1.0 {
                continue;
            }
            let dealer_at = dealer_slots[slot];
            let dealer = &people[dealer_at];
            let net = dealer.network.unwrap_or(0);
            let mules: Vec<usize> = active_by_net[net]
                .iter()
                .copied()
                .filter(|i| people[*i].role == Some(Role::MoneyMule))
                .collect();
            let leader = leaders[net];
            let (Some(mule), Some(leader)) =
                (mules.first().map(|_| *month_rng.pick(&mules)), leader)
            else {
                continue;
            };
            let mut left = inc * 0.8;
            while left > 100.0 {
                // kept under the amounts that banks look at
                let chunk = left.min(4_000.0 + month_rng.unit() * 5_000.0).round();
                left -= chunk;
                let day = month_rng.range(1, 28) as u32;
                for (from, to) in [(dealer_at, mule), (mule, leader)] {
                    n_transfer += 1;
                    let text = *month_rng.pick(&["lån", "återbetalning", "hyra", "bil", ""]);
                    // from the payer's last account to the payee's first
                    let transfer = statements::Transfer {
                        number: n_transfer,
                        month: m,
                        day,
                        from: (from, people[from].accounts.len().saturating_sub(1)),
                        to: (to, 0),
                        amount: chunk,
                        text,
                    };
                    let (from, to) = (&people[from], &people[to]);
                    transfers.write(&[
                        format!("TR{:09}", n_transfer),
                        date(cfg, m, day),
                        from.accounts.last().cloned().unwrap_or_default(),
                        from.name(),
                        to.accounts[0].clone(),
                        to.name(),
                        format!("{}.00", chunk as u64),
                        "SEK".to_owned(),
                        text.to_owned(),
                    ])?;
                    if [from, to].iter().any(|p| statements::holds_statement(p)) {
                        bank_transfers.push(transfer);
                    }
                }
            }
        }
        // call records (teledata) of the numbers under surveillance: the ordinary phones of
        // wholesalers and below call each other; importers and leaders use encrypted phones
        // and show up only by mistake; everyone also calls family and friends, and a few
        // customers call their dealer
        {
            let mut pairs: Vec<(usize, usize, f64)> = Vec::new();
            for net in &networks {
                let active = &active_by_net[net.id];
                let with = |r: Role| -> Vec<usize> {
                    active
                        .iter()
                        .copied()
                        .filter(|i| people[*i].role == Some(r))
                        .collect()
                };
                let street: Vec<usize> = active
                    .iter()
                    .copied()
                    .filter(|i| {
                        matches!(
                            people[*i].role,
                            Some(Role::StreetDealer | Role::Courier | Role::StashKeeper)
                        )
                    })
                    .collect();
                for w in with(Role::Wholesaler) {
                    for o in &street {
                        pairs.push((w, *o, 4.0));
                    }
                    for i in with(Role::Importer) {
                        pairs.push((i, w, 0.5));
                    }
                }
                for l in with(Role::Leader) {
                    for i in with(Role::Importer) {
                        pairs.push((l, i, 0.2));
                    }
                }
                for p in active {
                    for _ in 0..call_rng.poisson(2.0) {
                        pairs.push((*p, call_rng.below(people.len() as u64) as usize, 1.0));
                    }
                }
            }
            for c in &customers {
                let dealer = dealer_slots[c.dealer_slot];
                if people[dealer].active(m) && call_rng.chance(0.02) {
                    pairs.push((c.person, dealer, 1.0));
                }
            }
            for (a, b, rate) in pairs {
                if a == b {
                    continue;
                }
                for _ in 0..call_rng.poisson(rate) {
                    let (from, to) = if call_rng.chance(0.5) { (a, b) } else { (b, a) };
                    let minute = call_rng.range(7 * 60, 24 * 60 - 1);
                    n_call += 1;
                    calls.write(&[
                        format!("C{:09}", n_call),
                        format!(
                            "{}T{:02}:{:02}:{:02}",
                            date(cfg, m, call_rng.range(1, 28) as u32),
                            minute / 60,
                            minute % 60,
                            call_rng.below(60)
                        ),
                        people[from].phones.last().cloned().unwrap_or_default(),
                        people[to].phones.last().cloned().unwrap_or_default(),
                        call_rng.range(5, 600).to_string(),
                    ])?;
                }
            }
        }
        // police: seizures, with arrests and replacement
        let mut recruits: Vec<(usize, Role)> = Vec::new();
        for net in &networks {
            let members: Vec<usize> = active_by_net[net.id]
                .iter()
                .copied()
                .filter(|i| {
                    matches!(
                        people[*i].role,
                        Some(Role::StreetDealer | Role::Courier | Role::StashKeeper)
                    )
                })
                .collect();
            if members.is_empty() {
                continue;
            }
            for _ in 0..month_rng.poisson(0.25 * members.len() as f64) {
                let who = *month_rng.pick(&members);
                let role = people[who].role.unwrap_or(Role::StreetDealer);
                let s = pick_substance(&mut month_rng);
                let sname = SUBSTANCES[s].0;
                let grams: f64 = match role {
                    Role::StreetDealer => 1.0 + month_rng.unit() * 40.0,
                    Role::Courier => 100.0 + month_rng.unit() * 1_500.0,
                    _ => 500.0 + month_rng.unit() * 5_000.0,
                };
                let grams = (grams * 10.0).round() / 10.0;
                let wholesale = role != Role::StreetDealer;
                if wholesale {
                    market.seized(s, grams);
                }
                let purity = market.sample_purity(&mut month_rng, s, wholesale);
                let pieces =
                    matches!(sname, "MDMA" | "benzodiazepin").then(|| (grams * 3.0).round() as u64);
                let d = &districts[people[who].district];
                let p = &people[who];
                let day = month_rng.range(1, 28) as u32;
                let seized_on = date(cfg, m, day);
                // SLF: a small quantity (at most three years' prison) and an adult suspect
                let adult = seized_on[..4].parse::<i32>().unwrap_or(0)
                    - p.birth_date[..4].parse::<i32>().unwrap_or(0)
                    >= 18;
                let slf = grams < 50.0 && adult;
                let flow = cases.open(&mut case_rng, &seized_on, slf);
                n_seizure += 1;
                let written_date = if month_rng.chance(0.2) {
                    let iso = date(cfg, m, day);
                    format!("{}.{}.{}", &iso[8..10], &iso[5..7], &iso[..4])
                } else {
                    date(cfg, m, day)
                };
                seizures.write(&[
                    format!("BS{:07}", n_seizure),
                    format!(
                        "5000-K{}-{:02}",
                        1000 + n_seizure,
                        (cfg.start.0 % 100) as u64 + u64::from(m / 12)
                    ),
                    written_date,
                    format!("{}, {}", d.name, d.municipality),
                    format!("{:.5}", d.lat + (month_rng.unit() - 0.5) * 0.01),
                    format!("{:.5}", d.lon + (month_rng.unit() - 0.5) * 0.02),
                    sname.to_owned(),
                    format!("{grams}"),
                    pieces.map(|n| n.to_string()).unwrap_or_default(),
                    format!("{purity:.0}"),
                    if slf { "ja" } else { "nej" }.to_owned(),
                    flow.lab_reference,
                    flow.lab_reported_at,
                    flow.decided_at,
                    ids::noisy_name(&mut month_rng, &p.first_name, &p.last_name),
                    if month_rng.chance(0.85) {
                        p.birth_date.clone()
                    } else {
                        String::new()
                    },
                    if month_rng.chance(0.6) {
                        p.personnummer.clone()
                    } else {
                        String::new()
                    },
                    if month_rng.chance(0.5) {
                        ids::phone_as_written(
                            &mut month_rng,
                            p.phones.last().unwrap_or(&p.phones[0]),
                        )
                    } else {
                        String::new()
                    },
                ])?;
                if grams >= 50.0 || month_rng.chance(0.3) {
                    // arrested: out of the network from next month, replaced later
                    people[who].until_month = Some(m + 1);
                    recruits.push((people[who].network.unwrap_or(0), role));
                }
            }
        }
        for (net, role) in recruits {
            let id = format!("P{:06}", people.len() + 1);
            let d = *month_rng.pick(&networks[net].territory);
            let mut p = world::person(&mut month_rng, id, (2004, 2011), d);
            p.network = Some(net);
            p.from_month = m + 1 + month_rng.below(2) as u32;
            world::equip(&mut month_rng, &mut p, role);
            if role == Role::StreetDealer {
                // the recruit takes over the customers of the arrested dealer
                if let Some(slot) = dealer_slots.iter().position(|i| {
                    people[*i].network == Some(net)
                        && people[*i].until_month.is_some_and(|u| u <= m + 1)
                }) {
                    let old = dealer_slots[slot];
                    people.push(p);
                    let new = people.len() - 1;
                    people.swap(old, new);
                    // keep ids stable: the arrested dealer moves to the end with its own id
                    continue;
                }
            }
            people.push(p);
        }
        // intelligence reports
        let criminals: Vec<usize> = (0..people.len())
            .filter(|i| people[*i].network.is_some() && people[*i].active(m))
            .collect();
        for _ in 0..month_rng.poisson(2.0 * networks.len() as f64) {
            let about_criminal = month_rng.chance(0.75) && !criminals.is_empty();
            let who = if about_criminal {
                *month_rng.pick(&criminals)
            } else {
                customers[month_rng.below(customers.len() as u64) as usize].person
            };
            let p = &people[who];
            let d = &districts[p.district];
            let alias = p
                .handles
                .first()
                .filter(|_| month_rng.chance(0.6))
                .cloned()
                .unwrap_or_default();
            let sname = SUBSTANCES[pick_substance(&mut month_rng)].0;
            let sub_t: Vec<(&str, String)> = texts::substance_of(sname)
                .map(|v| ("substance", v.to_owned()))
                .into_iter()
                .collect();
            let place_t: Vec<(&str, String)> = texts::place(&d.name).into_iter().collect();
            let (narrative, mentions): (String, Vec<(&str, String)>) = match month_rng.below(4) {
                0 => (
                    format!(
                        "Uppgiftslämnaren uppger att {} säljer {sname} vid {} på kvällarna. Betalning via swish.",
                        p.first_name, d.name
                    ),
                    [sub_t, place_t].concat(),
                ),
                1 => (
                    format!(
                        "Känd person ses ofta i {} tillsammans med yngre personer. Misstänks sköta leveranser av {sname}.",
                        d.name
                    ),
                    [place_t, sub_t].concat(),
                ),
                2 => (
                    format!(
                        "Tips: {} har {sname} hemma, hämtning sker via {}.",
                        p.first_name,
                        if alias.is_empty() {
                            "telefon"
                        } else {
                            alias.as_str()
                        }
                    ),
                    sub_t
                        .into_iter()
                        .chain((!alias.is_empty()).then(|| ("handle", alias.to_lowercase())))
                        .collect(),
                ),
                _ => (
                    format!(
                        "Observation av överlämning nära {} ({}).",
                        d.name, d.municipality
                    ),
                    place_t
                        .into_iter()
                        .chain(texts::place(&d.municipality))
                        .collect(),
                ),
            };
            texts.add("reports.csv", "tip", &narrative, &mentions);
            let grading = [
                ("B2", 30),
                ("B3", 20),
                ("C3", 15),
                ("A2", 5),
                ("X4", 15),
                ("C4", 15),
            ];
            let mut r = month_rng.below(100) as u32;
            let mut grade = "X4";
            for (g, w) in grading {
                if r < w {
                    grade = g;
                    break;
                }
                r -= w;
            }
            n_report += 1;
            reports.write(&[
                format!("UR-{:06}", n_report),
                date(cfg, m, month_rng.range(1, 28) as u32),
                grade.to_owned(),
                (*month_rng.pick(&["H0", "H0", "H1", "H2"])).to_owned(),
                if about_criminal {
                    "suspect"
                } else {
                    "not_suspected"
                }
                .to_owned(),
                ids::noisy_name(&mut month_rng, &p.first_name, &p.last_name),
                if month_rng.chance(0.6) {
                    ids::phone_as_written(&mut month_rng, p.phones.last().unwrap_or(&p.phones[0]))
                } else {
                    String::new()
                },
                alias,
                narrative,
            ])?;
        }
        // violence between rival networks, with near-repeat contagion
        let mut events: Vec<(u32, f64, f64, usize, bool)> = pending
            .drain(..)
            .map(|(day, lat, lon, pair)| (day, lat, lon, pair, true))
            .collect();
        for net in &networks {
            let Some(rival) = net.rival.filter(|r| *r > net.id) else {
                continue;
            };
            for _ in 0..month_rng.poisson(0.4) {
                let d = &districts[*month_rng.pick(&net.territory)];
                events.push((
                    month_rng.range(1, 28) as u32,
                    d.lat + (month_rng.unit() - 0.5) * 0.01,
                    d.lon + (month_rng.unit() - 0.5) * 0.02,
                    net.id.min(rival),
                    false,
                ));
            }
        }
        // An incident raises the chance of another within two weeks and 200 metres: once per
        // incident; one that falls in this month joins this month's incidents (and may spread
        // in turn), one past the month's 28 days opens the next month
        let mut i = 0;
        while i < events.len() {
            let (day, lat, lon, pair, _) = events[i];
            if month_rng.chance(0.35) {
                let next = day + 1 + month_rng.below(13) as u32;
                let lat = lat + (month_rng.unit() - 0.5) * 0.003;
                let lon = lon + (month_rng.unit() - 0.5) * 0.005;
                if next <= 28 {
                    events.push((next, lat, lon, pair, true));
                } else {
                    pending.push((next - 28, lat, lon, pair));
                }
            }
            i += 1;
        }
        for (day, lat, lon, _, contagion) in events {
            n_incident += 1;
            let id = format!("IN{:06}", n_incident);
            if contagion {
                near_repeats.push(id.clone());
            }
            let nearest = districts
                .iter()
                .min_by(|a, b| {
                    let da = (a.lat - lat).powi(2) + (a.lon - lon).powi(2);
                    let db = (b.lat - lat).powi(2) + (b.lon - lon).powi(2);
                    da.total_cmp(&db)
                })
                .expect("districts exist");
            let category = *month_rng.pick(&["skjutning", "skjutning", "sprängning", "misshandel"]);
            incidents.write(&[
                id,
                format!("5000-K{}-{:02}", 90_000 + n_incident, cfg.start.0 % 100),
                format!(
                    "{}T{:02}:{:02}:00",
                    date(cfg, m, day),
                    month_rng.range(0, 23),
                    month_rng.below(60)
                ),
                category.to_owned(),
                format!("{category} i {}", nearest.name),
                format!("{lat:.5}"),
                format!("{lon:.5}"),
                nearest.name.clone(),
                nearest.municipality.clone(),
                month_rng.below(3).to_string(),
            ])?;
        }
        truth.market = market.close_month(&mut market_rng, &truth.consumption_grams);
        monthly.push(truth);
    }
    let case_truth = cases.finish();

    // seized phones: one Telegram export per network
    let mut chat_rng = root.fork("chats");
    let calendar: Vec<(i32, u32)> = (0..cfg.months)
        .map(|m| {
            let months = cfg.start.1 - 1 + m;
            (cfg.start.0 + (months / 12) as i32, months % 12 + 1)
        })
        .collect();
    let mut seized = Vec::new();
    let mut files = BTreeMap::new();
    for net in &networks {
        let name = format!("telegram-{}.json", net.id);
        let Some((export, owner)) = chats::seized_phone(
            &mut chat_rng,
            net,
            &people,
            &districts,
            &calendar,
            &mut texts,
            &name,
        ) else {
            continue;
        };
        let path = out.join(&name);
        let text = serde_json::to_string_pretty(&export).expect("JSON values serialise");
        std::fs::write(&path, text).map_err(|source| SimError::Write { path, source })?;
        let messages: u64 = export["chats"]["list"].as_array().map_or(0, |l| {
            l.iter()
                .map(|c| c["messages"].as_array().map_or(0, |m| m.len() as u64))
                .sum()
        });
        files.insert(name.clone(), messages);
        seized.push(SeizedPhone { file: name, owner });
        // and one street dealer's phone, with WhatsApp chats to some of the dealer's customers
        let Some(slot) =
            (0..dealer_slots.len()).find(|s| people[dealer_slots[*s]].network == Some(net.id))
        else {
            continue;
        };
        let dealer = &people[dealer_slots[slot]];
        let buyers: Vec<&Person> = customers
            .iter()
            .filter(|c| c.dealer_slot == slot)
            .take(5)
            .map(|c| &people[c.person])
            .collect();
        let place = &districts[net.territory[0]];
        let prefix = format!("whatsapp-{}", net.id);
        for (customer, text, records) in chats::dealer_whatsapp(
            &mut chat_rng,
            dealer,
            &buyers,
            place,
            &calendar,
            &mut texts,
            &prefix,
        ) {
            let name = format!("whatsapp-{}-{}.txt", net.id, customer.to_lowercase());
            let path = out.join(&name);
            std::fs::write(&path, text).map_err(|source| SimError::Write { path, source })?;
            files.insert(name.clone(), records);
            seized.push(SeizedPhone {
                file: name,
                owner: dealer.id.clone(),
            });
        }
    }
    // the markets' and the sales channels' pages, at each month's prices
    let prices: Vec<BTreeMap<String, f64>> = monthly
        .iter()
        .map(|t| t.market.price_sek_per_gram.clone())
        .collect();
    let world = listings::World {
        networks: &networks,
        people: &people,
        districts: &districts,
        calendar: &calendar,
        prices: &prices,
    };
    let (pages, online) = listings::write(out, &mut root.fork("online"), &world, &mut texts)?;
    files.extend(pages);
    // what partners see of the open scenes, and the intervention that moves one
    let mut scene_rng = root.fork("scenes");
    let (mut seen, intervention) =
        scenes::simulate(&mut scene_rng, &districts, cfg.months, |m| date(cfg, m, 1));
    seen.sort_by_key(|o| (o.0, o.1, o.2));
    let mut observations = Csv::create(
        out,
        "observations.csv",
        ',',
        &[
            "observation_id",
            "observed_at",
            "observer",
            "category",
            "place",
            "lat",
            "lon",
        ],
    )?;
    for (k, (m, day, hour, lat, lon, d, what, who)) in seen.into_iter().enumerate() {
        observations.write(&[
            format!("OB{:06}", k + 1),
            format!("{}T{hour:02}:00:00", date(cfg, m, day)),
            who.to_owned(),
            what.to_owned(),
            districts[d].name.clone(),
            format!("{lat:.5}"),
            format!("{lon:.5}"),
        ])?;
    }
    // the treatment plants' weekly samples, from what was really consumed
    let mut water_rng = root.fork("wastewater");
    let consumption: Vec<BTreeMap<String, f64>> = monthly
        .iter()
        .map(|t| t.consumption_pure_grams.clone())
        .collect();
    let (plants, water, water_truth) =
        wastewater::simulate(&mut water_rng, &districts, &consumption);
    let mut wastewater_csv = Csv::create(
        out,
        "wastewater.csv",
        ',',
        &[
            "sample_id",
            "plant",
            "municipality",
            "sampled_at",
            "substance",
            "residue",
            "concentration_ng_l",
            "flow_l_day",
            "population",
        ],
    )?;
    for (k, (m, day, pi, ri, conc, flow)) in water.iter().enumerate() {
        let (substance, residue, _) = wastewater::RESIDUES[*ri];
        wastewater_csv.write(&[
            format!("WW{:06}", k + 1),
            plants[*pi].name.clone(),
            plants[*pi].municipality.clone(),
            date(cfg, *m, *day),
            substance.to_owned(),
            residue.to_owned(),
            format!("{conc:.1}"),
            format!("{flow:.0}"),
            plants[*pi].population.to_string(),
        ])?;
    }
    let path = out.join("districts.geojson");
    std::fs::write(&path, scenes::districts_geojson(&districts))
        .map_err(|source| SimError::Write { path, source })?;
    for csv in [
        swish,
        transfers,
        seizures,
        reports,
        incidents,
        calls,
        observations,
        wastewater_csv,
    ] {
        let (name, rows) = csv.finish()?;
        files.insert(name, rows);
    }
    for (name, rows) in statements::write(out, cfg, &people, &bank_transfers)? {
        files.insert(name, rows);
    }
    let path = out.join("texts.jsonl");
    std::fs::write(&path, texts.to_jsonl()).map_err(|source| SimError::Write { path, source })?;
    for (_, name, text) in mappings::ALL {
        let path = out.join(name);
        std::fs::write(&path, text).map_err(|source| SimError::Write { path, source })?;
    }
    let truth = Truth {
        seed: cfg.seed,
        scale: size,
        months: cfg.months,
        districts: &districts,
        networks: &networks,
        people: &people,
        files: &files,
        monthly: &monthly,
        near_repeat_incidents: &near_repeats,
        seized_phones: &seized,
        intervention: intervention.as_ref(),
        wastewater: &water_truth,
        cases: &case_truth,
        online: &online,
    };
    let path = out.join("truth.json");
    let file = File::create(&path).map_err(|source| SimError::Write {
        path: path.clone(),
        source,
    })?;
    let mut w = BufWriter::new(file);
    serde_json::to_writer(&mut w, &truth).map_err(|e| SimError::Write {
        path: path.clone(),
        source: e.into(),
    })?;
    w.flush()
        .map_err(|source| SimError::Write { path, source })?;
    Ok(Summary {
        files,
        people: people.len(),
        networks: networks.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(seed: u64, dir: &Path) -> Summary {
        simulate(
            &Config {
                seed,
                scale: Scale::Town,
                months: 3,
                start: (2026, 1),
            },
            dir,
        )
        .unwrap()
    }

    fn bytes(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        files.sort();
        files
    }

    #[test]
    fn same_seed_same_bytes_other_seed_other_world() {
        let (a, b, c) = (
            tempfile::tempdir().unwrap(),
            tempfile::tempdir().unwrap(),
            tempfile::tempdir().unwrap(),
        );
        let sa = run(42, a.path());
        run(42, b.path());
        run(43, c.path());
        assert_eq!(bytes(a.path()), bytes(b.path()));
        assert_ne!(bytes(a.path()), bytes(c.path()));
        assert!(sa.files["swish.csv"] > 100, "{sa:?}");
        assert!(
            sa.files["seizures.csv"] > 0 && sa.files["reports.csv"] > 0,
            "{sa:?}"
        );
    }

    #[test]
    fn wastewater_back_calculates_to_the_true_consumption() {
        let dir = tempfile::tempdir().unwrap();
        run(7, dir.path());
        let truth: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.path().join("truth.json")).unwrap()).unwrap();
        let text = std::fs::read_to_string(dir.path().join("wastewater.csv")).unwrap();
        // consumption = concentration (ng/L) × flow (L/day) × 1e-6 × correction factor
        let mut estimates: BTreeMap<(String, u32, String), Vec<f64>> = BTreeMap::new();
        for line in text.lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            let month = f[3][5..7].parse::<u32>().unwrap() - 1;
            let cf = wastewater::RESIDUES.iter().find(|r| r.0 == f[4]).unwrap().2;
            let mg = f[6].parse::<f64>().unwrap() * f[7].parse::<f64>().unwrap() * 1e-6 * cf;
            estimates
                .entry((f[1].to_owned(), month, f[4].to_owned()))
                .or_default()
                .push(mg);
        }
        let mut errors: Vec<f64> = Vec::new();
        for t in truth["wastewater"].as_array().unwrap() {
            let key = (
                t["plant"].as_str().unwrap().to_owned(),
                t["month"].as_u64().unwrap() as u32,
                t["substance"].as_str().unwrap().to_owned(),
            );
            let real = t["consumed_mg_per_day"].as_f64().unwrap();
            let est = &estimates[&key];
            if real > 0.0 {
                errors.push((est.iter().sum::<f64>() / est.len() as f64 - real).abs() / real);
            }
        }
        errors.sort_by(f64::total_cmp);
        assert!(!errors.is_empty());
        let median = errors[errors.len() / 2];
        assert!(median < 0.15, "median relative error {median}");
    }

    #[test]
    fn truth_names_everyone_and_counts_every_file() {
        let dir = tempfile::tempdir().unwrap();
        let s = run(7, dir.path());
        let truth: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.path().join("truth.json")).unwrap()).unwrap();
        assert_eq!(truth["people"].as_array().unwrap().len(), s.people);
        for (name, rows) in &s.files {
            assert_eq!(truth["files"][name].as_u64(), Some(*rows));
            let text = std::fs::read_to_string(dir.path().join(name)).unwrap();
            if name.ends_with(".csv") {
                // header + rows; no field in these files holds a line break
                assert_eq!(text.lines().count() as u64, rows + 1, "{name}");
            } else if name.ends_with(".txt") {
                // one line per message and notice, but for the answers written on two lines: a
                // header in one of the four layouts
                let headed = text
                    .lines()
                    .filter(|l| {
                        l.starts_with("20")
                            || l.starts_with('[')
                            || l.split_once(", ").is_some_and(|(d, _)| {
                                d.split('/').count() == 3
                                    && d.chars().all(|c| c.is_ascii_digit() || c == '/')
                            })
                    })
                    .count() as u64;
                assert_eq!(headed, *rows, "{name}");
            } else if name.ends_with(".xml") {
                // camt.053 statements: one transaction (a TxDtls) per transfer and side whose
                // account is asked for, and per reversal; a day's debits are one entry
                assert!(name.starts_with("statements-"), "{name}");
                let entries = text.matches("<Ntry>").count() as u64;
                assert!(entries <= *rows, "{name}");
                assert_eq!(text.matches("<TxDtls>").count() as u64, *rows, "{name}");
            } else if name.starts_with("market-") {
                // one schema.org Product per listing, as microdata or JSON-LD
                let products = text
                    .matches("itemtype=\"https://schema.org/Product\"")
                    .count()
                    + text.matches("\"@type\": \"Product\"").count();
                assert_eq!(products as u64, *rows, "{name}");
            } else if name.starts_with("tme-") {
                let posts = text.matches("class=\"tgme_widget_message ").count() as u64;
                assert_eq!(posts, *rows, "{name}");
            } else {
                let export: serde_json::Value = serde_json::from_str(&text).unwrap();
                let messages: usize = export["chats"]["list"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c["messages"].as_array().unwrap().len())
                    .sum();
                assert_eq!(messages as u64, *rows, "{name}");
            }
        }
        // every vendor name and channel belongs to someone of the truth's networks
        let ids: Vec<&str> = truth["people"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p["id"].as_str())
            .collect();
        let vendors = truth["online"]["vendors"].as_array().unwrap();
        for v in vendors {
            // or from outside the region, with no one in the truth behind it
            if let Some(person) = v["person"].as_str() {
                assert!(ids.contains(&person), "{v}");
            }
        }
        assert!(vendors.iter().any(|v| v["person"].is_null()));
        assert_eq!(
            truth["online"]["channels"].as_array().unwrap().len(),
            s.networks
        );
        // every dealer's Swish number in the payments belongs to a dealer in the truth
        let swish = std::fs::read_to_string(dir.path().join("swish.csv")).unwrap();
        let numbers: Vec<&str> = truth["people"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p["swish_business"].as_str())
            .collect();
        assert!(
            swish
                .lines()
                .skip(1)
                .any(|l| numbers.iter().any(|n| l.contains(n)))
        );
    }

    #[test]
    fn months_are_checked() {
        let dir = tempfile::tempdir().unwrap();
        let bad = Config {
            seed: 1,
            scale: Scale::Town,
            months: 0,
            start: (2026, 1),
        };
        assert!(matches!(
            simulate(&bad, dir.path()),
            Err(SimError::Config(_))
        ));
    }
}
