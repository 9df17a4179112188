//! The world: a fictional region with Swedish structure (municipalities, districts, the police's
//! three categories of vulnerable area), its people, and the criminal networks that run the
//! trade, each member with a role.

use serde::Serialize;

use crate::ids;
use crate::names;
use crate::rng::Rng;

/// The police's categories of vulnerable area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AreaCategory {
    None,
    /// *Utsatt område*.
    Vulnerable,
    /// *Riskområde*.
    Risk,
    /// *Särskilt utsatt område*.
    Particularly,
}

#[derive(Debug, Clone, Serialize)]
pub struct District {
    pub id: usize,
    pub name: String,
    pub municipality: String,
    pub population: u32,
    pub category: AreaCategory,
    /// Centre in WGS84.
    pub lat: f64,
    pub lon: f64,
}

/// Municipalities of the fictional region "Sydkusten": name, population, centre, and districts
/// with their share of the population and category.
/// Name, population, centre (lat, lon), and districts with their category.
type Municipality = (
    &'static str,
    u32,
    f64,
    f64,
    &'static [(&'static str, AreaCategory)],
);

const MUNICIPALITIES: &[Municipality] = &[
    (
        "Havsstad",
        340_000,
        55.60,
        13.00,
        &[
            ("Centrum", AreaCategory::None),
            ("Norra hamnen", AreaCategory::None),
            ("Östervång", AreaCategory::Particularly),
            ("Kvarnby", AreaCategory::Vulnerable),
            ("Lindhöjd", AreaCategory::Risk),
            ("Söderslätt", AreaCategory::None),
            ("Västerport", AreaCategory::Vulnerable),
            ("Möllegården", AreaCategory::Particularly),
        ],
    ),
    (
        "Strandvik",
        48_000,
        56.04,
        12.70,
        &[
            ("Strandvik centrum", AreaCategory::None),
            ("Drottningdal", AreaCategory::Vulnerable),
            ("Fredriksvång", AreaCategory::Risk),
        ],
    ),
    (
        "Åkerby",
        31_000,
        55.70,
        13.19,
        &[
            ("Åkerby centrum", AreaCategory::None),
            ("Norra Åkerby", AreaCategory::Vulnerable),
        ],
    ),
    (
        "Björkeby",
        19_000,
        55.38,
        13.15,
        &[
            ("Björkeby", AreaCategory::None),
            ("Gamla Björkeby", AreaCategory::None),
        ],
    ),
];

pub fn districts(rng: &mut Rng) -> Vec<District> {
    let mut out = Vec::new();
    for (mname, pop, lat, lon, ds) in MUNICIPALITIES {
        for (name, category) in ds.iter() {
            let share = 1.0 / ds.len() as f64 * (0.7 + 0.6 * rng.unit());
            out.push(District {
                id: out.len(),
                name: (*name).to_owned(),
                municipality: (*mname).to_owned(),
                population: (f64::from(*pop) * share) as u32,
                category: *category,
                lat: lat + (rng.unit() - 0.5) * 0.06,
                lon: lon + (rng.unit() - 0.5) * 0.10,
            });
        }
    }
    out
}

/// A role in a network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Leader,
    Importer,
    Wholesaler,
    StreetDealer,
    Courier,
    MoneyMule,
    StashKeeper,
}

/// One person of the world, criminal or not, with every identifier they use.
#[derive(Debug, Clone, Serialize)]
pub struct Person {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub birth_date: String,
    pub personnummer: String,
    pub phones: Vec<String>,
    pub accounts: Vec<String>,
    pub swish_business: Option<String>,
    pub handles: Vec<String>,
    /// The numeric Telegram user id, for those who use Telegram.
    pub telegram_id: Option<u64>,
    pub district: usize,
    pub network: Option<usize>,
    pub role: Option<Role>,
    /// Months (from 0) the person is active in the role; `None` to the end.
    pub from_month: u32,
    pub until_month: Option<u32>,
}

impl Person {
    pub fn name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }

    pub fn active(&self, month: u32) -> bool {
        month >= self.from_month && self.until_month.is_none_or(|u| month < u)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Network {
    pub id: usize,
    pub name: String,
    /// The districts where its street dealers sell.
    pub territory: Vec<usize>,
    pub rival: Option<usize>,
}

/// Makes a person born between the years given.
pub fn person(rng: &mut Rng, id: String, born: (i32, i32), district: usize) -> Person {
    let female = rng.chance(0.3);
    let first = if female {
        rng.pick(names::FIRST_FEMALE)
    } else {
        rng.pick(names::FIRST_MALE)
    };
    let last = rng.pick(names::LAST);
    let year = rng.range(i64::from(born.0), i64::from(born.1)) as i32;
    let (month, day) = (rng.range(1, 12) as u32, rng.range(1, 28) as u32);
    let pnr = ids::personnummer(rng, year, month, day);
    Person {
        id,
        first_name: (*first).to_owned(),
        last_name: (*last).to_owned(),
        birth_date: format!("{year:04}-{month:02}-{day:02}"),
        personnummer: pnr,
        phones: vec![ids::mobile(rng)],
        accounts: vec![ids::iban_se(rng)],
        swish_business: None,
        handles: Vec::new(),
        telegram_id: None,
        district,
        network: None,
        role: None,
        from_month: 0,
        until_month: None,
    }
}

/// Gives a network member what the role needs: burner phones, a handle, a Swish business
/// number for the street.
pub fn equip(rng: &mut Rng, p: &mut Person, role: Role) {
    p.role = Some(role);
    p.telegram_id = Some(1_000_000_000 + rng.below(8_999_999_999));
    match role {
        Role::StreetDealer => {
            p.swish_business = Some(ids::swish_business(rng));
            p.phones.push(ids::mobile(rng));
            let word = rng.pick(names::HANDLE_WORDS);
            p.handles.push(format!(
                "@{}_{}{}",
                p.first_name.to_lowercase(),
                word,
                rng.below(100)
            ));
        }
        Role::Leader | Role::Importer => {
            p.phones.push(ids::mobile(rng));
            p.handles.push(format!(
                "@{}{}",
                rng.pick(names::HANDLE_WORDS),
                rng.below(1000)
            ));
        }
        Role::MoneyMule => p.accounts.push(ids::iban_se(rng)),
        Role::Courier | Role::Wholesaler | Role::StashKeeper => {
            if rng.chance(0.5) {
                p.phones.push(ids::mobile(rng));
            }
        }
    }
}
