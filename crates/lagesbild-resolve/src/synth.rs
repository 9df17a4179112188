//! Seeded synthetic person records with their truth, for tests and benchmarks.
//!
//! People get Swedish and immigrant first names, surnames with a realistic long tail (the
//! common `-sson` names are very common: Andersson, Johansson and Karlsson are each about 2 % of
//! people, as in Sweden; compound names such as Lindqvist or Bergström are many and rare),
//! birth dates, valid personnummer, mobile phones, e-mail addresses and addresses. Some people
//! are household members of another (same surname, address and home phone; twins share the
//! birth year and sometimes the date). Every appearance of a person is written with the errors
//! of real registers: typos and OCR-like substitutions, lost or transliterated å/ä/ö, upper
//! case, first and last name swapped, a space slipped inside the name, a double surname cut to
//! one part, day and month swapped or a digit wrong in the birth date, phones written in
//! different styles, a moved address, and missing fields. No real person's data is used.

use std::collections::HashSet;

use crate::record::Record;
use crate::rng::SplitMix;

const FIRST_MALE: &[&str] = &[
    "Erik",
    "Lars",
    "Karl",
    "Anders",
    "Johan",
    "Per",
    "Nils",
    "Carl",
    "Mikael",
    "Jan",
    "Hans",
    "Lennart",
    "Olof",
    "Peter",
    "Gunnar",
    "Sven",
    "Fredrik",
    "Bengt",
    "Bo",
    "Daniel",
    "Alexander",
    "Gustav",
    "Magnus",
    "Åke",
    "Göran",
    "Stefan",
    "Leif",
    "Mats",
    "Ulf",
    "Björn",
    "Henrik",
    "Oskar",
    "Andreas",
    "Thomas",
    "Martin",
    "Jonas",
    "Axel",
    "Emil",
    "Marcus",
    "David",
    "Viktor",
    "Filip",
    "Simon",
    "Anton",
    "Elias",
    "Hugo",
    "Liam",
    "Lucas",
    "Oliver",
    "Noah",
    "William",
    "Isak",
    "Adam",
    "Leo",
    "Örjan",
    "Roger",
    "Kjell",
    "Rolf",
    "Stig",
    "Tobias",
    "Mohammed",
    "Ali",
    "Ahmed",
    "Hassan",
    "Omar",
    "Yusuf",
    "Ibrahim",
    "Mustafa",
    "Hussein",
    "Abdullahi",
    "Mehmet",
    "Dragan",
    "Nikola",
    "Arash",
    "Reza",
];

const FIRST_FEMALE: &[&str] = &[
    "Anna",
    "Eva",
    "Maria",
    "Karin",
    "Kristina",
    "Lena",
    "Sara",
    "Kerstin",
    "Emma",
    "Ingrid",
    "Marie",
    "Malin",
    "Jenny",
    "Birgitta",
    "Inger",
    "Linnéa",
    "Hanna",
    "Sofia",
    "Elin",
    "Ida",
    "Johanna",
    "Ulla",
    "Camilla",
    "Elsa",
    "Julia",
    "Alice",
    "Maja",
    "Wilma",
    "Ebba",
    "Astrid",
    "Agnes",
    "Frida",
    "Matilda",
    "Ella",
    "Moa",
    "Saga",
    "Selma",
    "Märta",
    "Åsa",
    "Signe",
    "Louise",
    "Therese",
    "Annika",
    "Monica",
    "Helena",
    "Cecilia",
    "Linda",
    "Susanne",
    "Ann-Marie",
    "Anna-Karin",
    "Fatima",
    "Amina",
    "Aisha",
    "Leila",
    "Zeynep",
    "Yasmin",
    "Amira",
    "Nour",
    "Mariam",
    "Ayan",
];

/// The commonest surnames with their share per mille (roughly Sweden's).
const COMMON_LAST: &[(&str, u32)] = &[
    ("Andersson", 23),
    ("Johansson", 23),
    ("Karlsson", 20),
    ("Nilsson", 16),
    ("Eriksson", 14),
    ("Larsson", 12),
    ("Olsson", 11),
    ("Persson", 11),
    ("Svensson", 10),
    ("Gustafsson", 10),
    ("Pettersson", 9),
    ("Jonsson", 7),
    ("Jansson", 5),
    ("Hansson", 5),
    ("Bengtsson", 4),
    ("Jönsson", 4),
    ("Lindberg", 4),
    ("Jakobsson", 4),
    ("Magnusson", 4),
    ("Olofsson", 4),
    ("Lindström", 3),
    ("Lindqvist", 3),
    ("Lindgren", 3),
    ("Berg", 3),
    ("Axelsson", 3),
    ("Bergström", 3),
    ("Lundberg", 3),
    ("Lind", 3),
    ("Lundgren", 3),
    ("Lundqvist", 3),
    ("Mattsson", 3),
    ("Berglund", 3),
    ("Fredriksson", 2),
    ("Sandberg", 2),
    ("Henriksson", 2),
    ("Ali", 2),
    ("Mohammed", 2),
    ("Ahmed", 2),
    ("Hassan", 2),
    ("Yilmaz", 1),
    ("Nguyen", 1),
    ("Hussein", 1),
    ("Abdi", 1),
    ("Ibrahim", 1),
    ("Osman", 1),
    ("Nowak", 1),
    ("Kovačević", 1),
    ("Jovanović", 1),
    ("Öberg", 1),
    ("Åberg", 1),
    ("Ström", 1),
    ("Holm", 1),
    ("Sjöberg", 1),
    ("Wallin", 1),
    ("Engström", 1),
    ("Danielsson", 1),
    ("Håkansson", 1),
    ("Lundin", 1),
    ("Björk", 1),
    ("Bergman", 1),
];

const PREFIX: &[&str] = &[
    "Berg", "Lind", "Sand", "Ek", "Ahl", "Björk", "Holm", "Sjö", "Ny", "Hag", "Dahl", "Strand",
    "Fors", "Lund", "Sten", "Gran", "Ros", "Wall", "Nord", "Öst", "Väst", "Sund", "Hed", "Malm",
    "Ask", "Alm", "Ström", "Kvist", "Fred", "Eng", "Ljung", "Hell", "Ham", "Blom", "Lil", "Rud",
    "Kron", "Lööf", "Rapp", "Wik", "Ågren", "Häll", "Palm", "Mel",
];

const SUFFIX: &[&str] = &[
    "berg", "lund", "qvist", "ström", "gren", "dahl", "holm", "blad", "man", "stedt", "ling", "in",
    "bäck", "mark", "borg", "sjö", "vik", "näs", "feldt", "strand", "ros", "by",
];

const STREETS: &[&str] = &[
    "Storgatan",
    "Drottninggatan",
    "Kungsgatan",
    "Skolgatan",
    "Kyrkogatan",
    "Järnvägsgatan",
    "Parkvägen",
    "Björkvägen",
    "Ringvägen",
    "Industrigatan",
    "Tallvägen",
    "Hamngatan",
    "Nygatan",
    "Östra Långgatan",
    "Västra vägen",
    "Åkervägen",
    "Sjövägen",
    "Ängsvägen",
    "Granvägen",
    "Bergsgatan",
    "Möllevångsgatan",
    "Rosengårdsvägen",
    "Hagagatan",
];

const CITIES: &[(&str, u32)] = &[
    ("Stockholm", 11),
    ("Göteborg", 41),
    ("Malmö", 21),
    ("Uppsala", 75),
    ("Västerås", 72),
    ("Örebro", 70),
    ("Linköping", 58),
    ("Helsingborg", 25),
    ("Jönköping", 55),
    ("Norrköping", 60),
    ("Lund", 22),
    ("Umeå", 90),
    ("Gävle", 80),
    ("Borås", 50),
    ("Södertälje", 15),
    ("Eskilstuna", 63),
    ("Halmstad", 30),
    ("Växjö", 35),
    ("Karlstad", 65),
    ("Sundsvall", 85),
];

const DOMAINS: &[&str] = &[
    "gmail.com",
    "hotmail.com",
    "outlook.com",
    "telia.com",
    "live.se",
    "yahoo.se",
];

/// What one person is.
#[derive(Debug, Clone)]
struct Person {
    first: String,
    last: String,
    dob: (u32, u32, u32),
    pnr: String,
    mobile: Option<String>,
    home_phone: Option<String>,
    email: Option<String>,
    address: (String, String, String),
}

/// How much data to make.
#[derive(Debug, Clone)]
pub struct Config {
    /// Records to write (about; the last person's appearances may go over by a few).
    pub records: usize,
    /// The most appearances of one person (each person appears 1..=this many times, fewer more
    /// often).
    pub max_appearances: usize,
    /// The share of people who are a household member of the person before them.
    pub household: f64,
    pub seed: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            records: 10_000,
            max_appearances: 5,
            household: 0.15,
            seed: 1,
        }
    }
}

/// Synthetic records and, per record, the index of the true person.
#[derive(Debug, Clone, Default)]
pub struct Synthetic {
    pub records: Vec<Record>,
    pub truth: Vec<u64>,
}

fn luhn(nine: &[u8]) -> u8 {
    let sum: u32 = nine
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let v = u32::from(*d) * if i % 2 == 0 { 2 } else { 1 };
            v / 10 + v % 10
        })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

fn pnr(rng: &mut SplitMix, (y, m, d): (u32, u32, u32), used: &mut HashSet<u64>) -> String {
    let mut serial = 1 + rng.below(998) as u32;
    // personnummer are unique: the next free serial of the day
    while !used.insert(u64::from(y * 10_000 + m * 100 + d) * 1000 + u64::from(serial)) {
        serial = serial % 998 + 1;
    }
    let short = format!("{:02}{m:02}{d:02}{serial:03}", y % 100);
    let digits: Vec<u8> = short.bytes().map(|b| b - b'0').collect();
    format!("{y:04}{m:02}{d:02}-{serial:03}{}", luhn(&digits))
}

fn surname(rng: &mut SplitMix) -> String {
    // 45 % from the common list by weight, the rest compound names (uniform over ~1000)
    if rng.chance(0.45) {
        let total: u32 = COMMON_LAST.iter().map(|(_, w)| w).sum();
        let mut r = rng.below(u64::from(total)) as u32;
        for (name, w) in COMMON_LAST {
            if r < *w {
                return (*name).to_owned();
            }
            r -= w;
        }
    }
    let p = rng.pick(PREFIX);
    let s = rng.pick(SUFFIX);
    format!("{p}{s}")
}

fn first_name(rng: &mut SplitMix) -> String {
    let list = if rng.chance(0.5) {
        FIRST_MALE
    } else {
        FIRST_FEMALE
    };
    // the first names in each list are the commonest: a skewed pick
    let i = (rng.unit().powf(1.6) * list.len() as f64) as usize;
    list[i.min(list.len() - 1)].to_owned()
}

fn mobile(rng: &mut SplitMix) -> String {
    let prefix = rng.pick(&["70", "72", "73", "76", "79"]);
    format!("+46{prefix}{:07}", rng.below(10_000_000))
}

fn address(rng: &mut SplitMix) -> (String, String, String) {
    let (city, area) = *rng.pick(CITIES);
    let street = format!("{} {}", rng.pick(STREETS), 1 + rng.below(80));
    let postcode = format!("{area:02}{:03}", rng.below(1000));
    (street, postcode, city.to_owned())
}

fn dob(rng: &mut SplitMix) -> (u32, u32, u32) {
    (
        1940 + rng.below(68) as u32,
        1 + rng.below(12) as u32,
        1 + rng.below(28) as u32,
    )
}

fn ascii(s: &str) -> String {
    s.replace(['å', 'ä'], "a")
        .replace('ö', "o")
        .replace(['Å', 'Ä'], "A")
        .replace('Ö', "O")
}

fn typo(rng: &mut SplitMix, s: &str) -> String {
    let mut c: Vec<char> = s.chars().collect();
    if c.len() < 3 {
        return s.to_owned();
    }
    let i = 1 + rng.below(c.len() as u64 - 2) as usize;
    match rng.below(4) {
        0 => {
            c.remove(i);
        }
        1 => c.swap(i, i + 1),
        2 => c[i] = *rng.pick(&['a', 'e', 'i', 'o', 'n', 's', 'r', 'l']),
        _ => c.insert(i, c[i]),
    }
    c.into_iter().collect()
}

/// OCR confusions of scanned forms.
fn ocr(rng: &mut SplitMix, s: &str) -> String {
    let pairs = [
        ("m", "rn"),
        ("rn", "m"),
        ("d", "cl"),
        ("h", "li"),
        ("ö", "ô"),
        ("å", "ä"),
    ];
    let (a, b) = *rng.pick(&pairs);
    match s.find(a) {
        Some(i) if i > 0 => format!("{}{b}{}", &s[..i], &s[i + a.len()..]),
        _ => typo(rng, s),
    }
}

fn write_phone(rng: &mut SplitMix, e164: &str) -> String {
    let national = format!("0{}", &e164[3..]);
    match rng.below(5) {
        0 => format!(
            "{}-{} {} {}",
            &national[..3],
            &national[3..6],
            &national[6..8],
            &national[8..]
        ),
        1 => national,
        2 => format!(
            "+46 {} {} {} {}",
            &e164[3..5],
            &e164[5..8],
            &e164[8..10],
            &e164[10..]
        ),
        3 => format!("0046{}", &e164[3..]),
        _ => e164.to_owned(),
    }
}

fn write_date(rng: &mut SplitMix, (y, m, d): (u32, u32, u32)) -> String {
    match rng.below(4) {
        0 | 1 => format!("{y:04}-{m:02}-{d:02}"),
        2 => format!("{y:04}{m:02}{d:02}"),
        _ => format!("{d:02}.{m:02}.{y:04}"),
    }
}

fn new_person(rng: &mut SplitMix, before: Option<&Person>, used: &mut HashSet<u64>) -> Person {
    let household = before.cloned();
    let first = first_name(rng);
    let (last, dob, addr, home) = match household {
        Some(h) => {
            let twin = rng.chance(0.3);
            let dob = if twin {
                if rng.chance(0.5) {
                    h.dob
                } else {
                    (h.dob.0, 1 + rng.below(12) as u32, 1 + rng.below(28) as u32)
                }
            } else {
                dob(rng)
            };
            let home = h.home_phone.clone().or_else(|| Some(mobile(rng)));
            (h.last.clone(), dob, h.address.clone(), home)
        }
        None => {
            let mut last = surname(rng);
            if rng.chance(0.04) {
                let other = surname(rng);
                last = if rng.chance(0.5) {
                    format!("{last}-{other}")
                } else {
                    format!("{last} {other}")
                };
            }
            let home = rng.chance(0.2).then(|| mobile(rng));
            (last, dob(rng), address(rng), home)
        }
    };
    let pnr = pnr(rng, dob, used);
    let email = rng.chance(0.6).then(|| {
        format!(
            "{}.{}{}@{}",
            ascii(&first).to_lowercase(),
            ascii(&last).to_lowercase().replace([' ', '-'], ""),
            if rng.chance(0.5) {
                (rng.below(100)).to_string()
            } else {
                String::new()
            },
            rng.pick(DOMAINS)
        )
    });
    Person {
        first,
        last,
        dob,
        pnr,
        mobile: rng.chance(0.85).then(|| mobile(rng)),
        home_phone: home,
        email,
        address: addr,
    }
}

fn appearance(rng: &mut SplitMix, p: &Person, id: String) -> Record {
    let mut first = p.first.clone();
    let mut last = p.last.clone();
    if last.contains([' ', '-']) && rng.chance(0.3) {
        let parts: Vec<&str> = last.split([' ', '-']).collect();
        last = (*rng.pick(&parts)).to_owned();
    }
    if rng.chance(0.06) {
        first = typo(rng, &first);
    }
    if rng.chance(0.08) {
        last = typo(rng, &last);
    }
    if rng.chance(0.02) {
        last = ocr(rng, &last);
    }
    if rng.chance(0.10) {
        first = ascii(&first);
        last = ascii(&last);
    } else if rng.chance(0.03) {
        first = first
            .replace('ö', "oe")
            .replace('ä', "ae")
            .replace('å', "aa");
        last = last
            .replace('ö', "oe")
            .replace('ä', "ae")
            .replace('å', "aa");
    }
    if rng.chance(0.10) {
        first = first.to_uppercase();
        last = last.to_uppercase();
    }
    if rng.chance(0.01) && first.chars().count() > 2 {
        // a space slipped one letter to the left: "Mohamme dPersson"
        let mut f: Vec<char> = first.chars().collect();
        let moved = f.pop().unwrap_or(' ');
        first = f.into_iter().collect();
        last = format!("{moved}{last}");
    }
    if rng.chance(0.05) {
        std::mem::swap(&mut first, &mut last);
    }
    let mut dob = p.dob;
    if rng.chance(0.02) && dob.2 <= 12 {
        dob = (dob.0, dob.2, dob.1);
    } else if rng.chance(0.02) {
        dob.2 = if dob.2 % 10 == 1 {
            dob.2 + 1
        } else {
            dob.2 - 1
        };
    }
    let birth_date = if rng.chance(0.1) {
        String::new()
    } else {
        write_date(rng, dob)
    };
    let personnummer = if rng.chance(0.5) {
        String::new()
    } else if rng.chance(0.5) {
        p.pnr.clone()
    } else {
        p.pnr[2..].to_owned()
    };
    let mut phones = Vec::new();
    for ph in [&p.mobile, &p.home_phone].into_iter().flatten() {
        if rng.chance(0.6) {
            let mut written = write_phone(rng, ph);
            if rng.chance(0.03) {
                written = typo(rng, &written);
            }
            phones.push(written);
        }
    }
    let emails = match &p.email {
        Some(e) if rng.chance(0.5) => vec![e.clone()],
        _ => Vec::new(),
    };
    let (mut street, mut postcode, mut city) = p.address.clone();
    if rng.chance(0.10) {
        (street, postcode, city) = address(rng);
    }
    if rng.chance(0.2) {
        street.clear();
    }
    if rng.chance(0.15) {
        postcode.clear();
    }
    if rng.chance(0.15) {
        city.clear();
    }
    Record {
        id,
        first_name: first,
        last_name: last,
        birth_date,
        personnummer,
        phones,
        emails,
        street,
        postcode,
        city,
        ..Record::default()
    }
}

/// Records for deduplication: people appear 1..=`max_appearances` times.
pub fn dedupe(cfg: &Config) -> Synthetic {
    let mut rng = SplitMix::new(cfg.seed);
    let mut out = Synthetic::default();
    let mut prev: Option<Person> = None;
    let mut person = 0u64;
    let mut used = HashSet::new();
    while out.records.len() < cfg.records {
        let household = rng.chance(cfg.household);
        let p = new_person(&mut rng, prev.as_ref().filter(|_| household), &mut used);
        // 1 with probability 1/2, then halving
        let mut times = 1;
        while times < cfg.max_appearances && rng.chance(0.5) {
            times += 1;
        }
        for _ in 0..times {
            let id = format!("r{}", out.records.len() + 1);
            out.records.push(appearance(&mut rng, &p, id));
            out.truth.push(person);
        }
        prev = Some(p);
        person += 1;
    }
    out
}

/// Two files for linkage, each with about `n` records and no duplicates within a file; three
/// people in four are in both.
pub fn linkage(n: usize, seed: u64) -> (Synthetic, Synthetic) {
    let mut rng = SplitMix::new(seed);
    let (mut left, mut right) = (Synthetic::default(), Synthetic::default());
    let mut prev: Option<Person> = None;
    let mut person = 0u64;
    let mut used = HashSet::new();
    while left.records.len() < n || right.records.len() < n {
        let household = rng.chance(0.15);
        let p = new_person(&mut rng, prev.as_ref().filter(|_| household), &mut used);
        let (in_left, in_right) = match rng.below(4) {
            0 => (true, false),
            1 => (false, true),
            _ => (true, true),
        };
        if in_left && left.records.len() < n {
            let id = format!("l{}", left.records.len() + 1);
            left.records.push(appearance(&mut rng, &p, id));
            left.truth.push(person);
        }
        if in_right && right.records.len() < n {
            let id = format!("r{}", right.records.len() + 1);
            right.records.push(appearance(&mut rng, &p, id));
            right.truth.push(person);
        }
        prev = Some(p);
        person += 1;
    }
    (left, right)
}
