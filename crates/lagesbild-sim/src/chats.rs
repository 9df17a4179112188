//! Seized phones: for each network, the Telegram Desktop export of one upper-level member's
//! phone, with a personal chat to every member they deal with, written as Telegram writes it
//! (`text` as a string, or as an array with entity objects for phone numbers and bold words).

use serde_json::{Value, json};

use crate::ids;
use crate::rng::Rng;
use crate::texts::{Texts, place as place_of, substance_of};
use crate::world::{District, Network, Person, Role};

const SUBSTANCES: &[(&str, &str)] = &[
    ("grönt", "🍁"),
    ("vitt", "❄️"),
    ("tjack", "⚡"),
    ("knappar", "💊"),
    ("braj", "🍁"),
    ("koks", "❄️"),
];

/// One message of an exchange: from the phone's owner or not, the text as Telegram writes it,
/// and the mentions it holds (kind, value).
type Line<'a> = (bool, Value, Vec<(&'a str, String)>);

/// How contacts are saved in a phone: the first name and the initial of the last.
fn short_name(p: &Person) -> String {
    let initial: String = p.last_name.chars().take(1).collect();
    format!("{} {initial}", p.first_name)
}

/// One month's messages of a chat between `a` (the phone's owner) and `b`.
#[allow(clippy::too_many_arguments)]
fn chat_month(
    rng: &mut Rng,
    a: &Person,
    b: &Person,
    place: &District,
    year: i32,
    month: u32,
    next_id: &mut u64,
    out: &mut Vec<Value>,
    texts: &mut Texts,
    source: &str,
) {
    for _ in 0..rng.poisson(6.0) {
        let day = rng.range(1, 28);
        let mut minute = rng.range(0, 23 * 60);
        // a short exchange: a question and one or two answers
        let (sub, emoji) = *rng.pick(SUBSTANCES);
        let grams = *rng.pick(&[5, 10, 25, 50, 100, 500]);
        let sub_t = substance_of(sub).map(|v| ("substance", v.to_owned()));
        let emoji_t = substance_of(emoji).map(|v| ("substance", v.to_owned()));
        let qty = ("quantity", format!("{grams} g"));
        let place_t = place_of(&place.name);
        let lines: Vec<Line> = match rng.below(6) {
            0 => {
                let price = grams * *rng.pick(&[80, 100, 120, 600, 800]);
                vec![
                    (
                        false,
                        json!(format!("har du {sub}? behöver {grams}g")),
                        sub_t.into_iter().chain([qty.clone()]).collect(),
                    ),
                    (
                        true,
                        json!(format!("ja {emoji} {grams}g/{price}")),
                        emoji_t
                            .into_iter()
                            .chain([qty, ("price", format!("{price} SEK"))])
                            .collect(),
                    ),
                ]
            }
            1 => vec![
                (
                    true,
                    json!(format!("möts vid {} kl {}", place.name, rng.range(18, 23))),
                    place_t.into_iter().collect(),
                ),
                (false, json!("👍"), vec![]),
            ],
            2 => match &b.swish_business {
                Some(s) => vec![
                    (
                        true,
                        json!(["swisha till ", {"type": "phone", "text": s}, " idag"]),
                        vec![("swish", s.clone())],
                    ),
                    (false, json!("klart"), vec![]),
                ],
                None => vec![
                    (false, json!("lugnt idag?"), vec![]),
                    (true, json!("ja"), vec![]),
                ],
            },
            3 => {
                let k = rng.range(5, 40);
                vec![
                    (
                        true,
                        json!(["skicka ", {"type": "bold", "text": format!("{k}k")}, " till ", b.accounts[0]]),
                        vec![
                            ("price", format!("{k}000 SEK")),
                            ("iban", b.accounts[0].clone()),
                        ],
                    ),
                    (false, json!("ok imorgon"), vec![]),
                ]
            }
            4 => {
                let phone = b.phones.last().unwrap_or(&b.phones[0]);
                vec![(
                    false,
                    json!(format!(
                        "ny lur, spara {}",
                        ids::phone_as_written(rng, phone)
                    )),
                    vec![("phone", phone.clone())],
                )]
            }
            _ => vec![
                (
                    false,
                    json!(format!("aina i {} hela dagen, håll låg profil", place.name)),
                    place_t.into_iter().collect(),
                ),
                (true, json!("ok"), vec![]),
            ],
        };
        for (from_owner, text, mentions) in lines {
            let plain = match &text {
                Value::String(t) => t.clone(),
                Value::Array(parts) => parts
                    .iter()
                    .map(|p| p.as_str().or_else(|| p["text"].as_str()).unwrap_or(""))
                    .collect(),
                _ => String::new(),
            };
            texts.add(source, "chat", &plain, &mentions);
            minute = (minute + rng.range(1, 20)).min(24 * 60 - 1);
            let who = if from_owner { a } else { b };
            *next_id += 1;
            let date = format!(
                "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
                minute / 60,
                minute % 60,
                rng.below(60)
            );
            out.push(json!({
                "id": *next_id,
                "type": "message",
                "date": date,
                "from": short_name(who),
                "from_id": format!("user{}", who.telegram_id.unwrap_or(0)),
                "text": text,
            }));
        }
    }
}

/// The export of the seized phone of one member of `network`, or `None` if it has no one to
/// seize it from. Returns the export and the owner's person id.
pub fn seized_phone(
    rng: &mut Rng,
    network: &Network,
    people: &[Person],
    districts: &[District],
    months: &[(i32, u32)],
    texts: &mut Texts,
    source: &str,
) -> Option<(Value, String)> {
    let members: Vec<&Person> = people
        .iter()
        .filter(|p| p.network == Some(network.id))
        .collect();
    let owner = members
        .iter()
        .find(|p| p.role == Some(Role::Wholesaler))
        .or_else(|| members.iter().find(|p| p.role == Some(Role::Importer)))?;
    let place = &districts[network.territory[0]];
    let mut chats = Vec::new();
    for other in members
        .iter()
        .filter(|p| p.id != owner.id && p.telegram_id.is_some())
    {
        let mut messages = Vec::new();
        let mut next_id = 0u64;
        for (m, (year, month)) in months.iter().enumerate() {
            if other.active(m as u32) {
                chat_month(
                    rng,
                    owner,
                    other,
                    place,
                    *year,
                    *month,
                    &mut next_id,
                    &mut messages,
                    texts,
                    source,
                );
            }
        }
        if messages.is_empty() {
            continue;
        }
        // Telegram writes a chat in order, ids rising with time
        messages.sort_by(|a, b| a["date"].as_str().cmp(&b["date"].as_str()));
        for (i, m) in messages.iter_mut().enumerate() {
            m["id"] = json!(i + 1);
        }
        chats.push(json!({
            "name": short_name(other),
            "type": "personal_chat",
            "id": other.telegram_id,
            "messages": messages,
        }));
    }
    if let Some(group) = group_chat(rng, network, owner, &members, place, months, texts, source) {
        chats.push(group);
    }
    let export = json!({
        "about": "Here is the data you requested.",
        "personal_information": {
            "user_id": owner.telegram_id,
            "first_name": owner.first_name,
            "last_name": owner.last_name,
            "phone_number": owner.phones.last(),
            "username": owner.handles.first(),
        },
        "chats": {"about": "This page lists all chats from this export.", "list": chats},
    });
    Some((export, owner.id.clone()))
}

/// The network's group for the logistics: the phone's owner, the wholesalers, couriers and the
/// stash keeper. Deliveries, stock and warnings are posted there. Members are added when they
/// start and removed when they are arrested, as service messages. Now and then a message is
/// edited or forwarded from another chat.
#[allow(clippy::too_many_arguments)]
fn group_chat(
    rng: &mut Rng,
    network: &Network,
    owner: &Person,
    members: &[&Person],
    place: &District,
    months: &[(i32, u32)],
    texts: &mut Texts,
    source: &str,
) -> Option<Value> {
    let crew: Vec<&Person> = members
        .iter()
        .copied()
        .filter(|p| {
            p.telegram_id.is_some()
                && matches!(
                    p.role,
                    Some(Role::Wholesaler | Role::Courier | Role::StashKeeper)
                )
        })
        .collect();
    if crew.len() < 3 {
        return None;
    }
    let group_id = 4_000_000_000 + network.id as u64 * 7919 + rng.below(1_000_000);
    let mut messages: Vec<Value> = Vec::new();
    let stamp = |rng: &mut Rng, year: i32, month: u32, day: i64| {
        format!(
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
            rng.range(7, 23),
            rng.below(60),
            rng.below(60)
        )
    };
    let service = |date: String, actor: &Person, action: &str, who: &Person| {
        json!({
            "id": 0,
            "type": "service",
            "date": date,
            "actor": short_name(actor),
            "actor_id": format!("user{}", actor.telegram_id.unwrap_or(0)),
            "action": action,
            "members": [short_name(who)],
        })
    };
    let title = format!(
        "{} jobb",
        network.name.split('-').next().unwrap_or("Gruppen")
    );
    let (year, month) = months[0];
    messages.push(json!({
        "id": 0,
        "type": "service",
        "date": format!("{year:04}-{month:02}-01T08:00:00"),
        "actor": short_name(owner),
        "actor_id": format!("user{}", owner.telegram_id.unwrap_or(0)),
        "action": "create_group",
        "title": title,
        "members": crew
            .iter()
            .filter(|p| p.id != owner.id && p.active(0))
            .map(|p| short_name(p))
            .collect::<Vec<_>>(),
    }));
    for (m, (year, month)) in months.iter().enumerate() {
        let m = m as u32;
        for p in &crew {
            if p.id == owner.id {
                continue;
            }
            if p.from_month == m && m > 0 {
                let date = stamp(rng, *year, *month, 1);
                messages.push(service(date, owner, "invite_members", p));
            }
            if p.until_month == Some(m) {
                let day = rng.range(1, 5);
                let date = stamp(rng, *year, *month, day);
                messages.push(service(date, owner, "remove_members", p));
            }
        }
        let active: Vec<&Person> = crew.iter().copied().filter(|p| p.active(m)).collect();
        if active.len() < 2 {
            continue;
        }
        for _ in 0..rng.poisson(10.0) {
            let who = *rng.pick(&active);
            let (sub, emoji) = *rng.pick(SUBSTANCES);
            let grams = *rng.pick(&[50, 100, 250, 500, 1000]);
            let mut mentions: Vec<(&str, String)> = Vec::new();
            let text = match rng.below(5) {
                0 => {
                    mentions.extend(place_of(&place.name));
                    format!(
                        "leverans imorgon kl {} vid {}, {} {}g",
                        rng.range(10, 20),
                        place.name,
                        sub,
                        grams
                    )
                }
                1 => format!("påfyllning klar {emoji} {grams}g"),
                2 => format!("{} kvar av {sub}", rng.range(1, 40) * 10),
                3 => {
                    mentions.extend(place_of(&place.name));
                    format!("aina i {}, håll er borta idag", place.name)
                }
                _ => "alla kollar in ikväll 👊".to_owned(),
            };
            if text.contains(sub) {
                mentions.extend(substance_of(sub).map(|v| ("substance", v.to_owned())));
            }
            if text.contains(emoji) {
                mentions.extend(substance_of(emoji).map(|v| ("substance", v.to_owned())));
            }
            if text.contains(&format!("{grams}g")) {
                mentions.push(("quantity", format!("{grams} g")));
            }
            texts.add(source, "chat", &text, &mentions);
            let day = rng.range(1, 28);
            let date = stamp(rng, *year, *month, day);
            let mut message = json!({
                "id": 0,
                "type": "message",
                "date": date,
                "from": short_name(who),
                "from_id": format!("user{}", who.telegram_id.unwrap_or(0)),
                "text": text,
            });
            if rng.chance(0.05) {
                message["edited"] = json!(stamp(rng, *year, *month, day));
            }
            if rng.chance(0.05) {
                let from = *rng.pick(members);
                message["forwarded_from"] = json!(short_name(from));
            }
            messages.push(message);
        }
    }
    messages.sort_by(|a, b| a["date"].as_str().cmp(&b["date"].as_str()));
    for (i, m) in messages.iter_mut().enumerate() {
        m["id"] = json!(i + 1);
    }
    // an edit is never before its message
    for m in &mut messages {
        if let (Some(e), Some(d)) = (m["edited"].as_str(), m["date"].as_str())
            && e < d
        {
            m["edited"] = json!(d.to_owned());
        }
    }
    Some(json!({
        "name": title,
        "type": "private_group",
        "id": group_id,
        "messages": messages,
    }))
}

/// How a phone writes its WhatsApp export: the layouts of Android and iPhone in Swedish and
/// (US) English.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// `2026-02-03 21:14 - Namn: text`
    AndroidSv,
    /// `[2026-02-03 21:14:05] Namn: text`
    IphoneSv,
    /// `2/3/26, 9:14 PM - Name: text`
    AndroidEn,
    /// `[2/3/26, 9:14:05 PM] Name: text`
    IphoneEn,
}

impl Layout {
    /// The header of a line at this time.
    fn stamp(self, (year, month, day): (i32, u32, i64), minute: i64, second: u64) -> String {
        let (h, m) = (minute / 60, minute % 60);
        let (h12, ampm) = match h {
            0 => (12, "AM"),
            1..=11 => (h, "AM"),
            12 => (12, "PM"),
            _ => (h - 12, "PM"),
        };
        let yy = year % 100;
        match self {
            Layout::AndroidSv => format!("{year:04}-{month:02}-{day:02} {h:02}:{m:02} -"),
            Layout::IphoneSv => {
                format!("[{year:04}-{month:02}-{day:02} {h:02}:{m:02}:{second:02}]")
            }
            Layout::AndroidEn => format!("{month}/{day}/{yy:02}, {h12}:{m:02} {ampm} -"),
            Layout::IphoneEn => format!("[{month}/{day}/{yy:02}, {h12}:{m:02}:{second:02} {ampm}]"),
        }
    }

    fn media(self) -> &'static str {
        match self {
            Layout::AndroidSv => "<Media utelämnad>",
            Layout::IphoneSv => "\u{200e}bild utelämnad",
            Layout::AndroidEn => "<Media omitted>",
            Layout::IphoneEn => "\u{200e}image omitted",
        }
    }

    fn notice(self) -> &'static str {
        match self {
            Layout::AndroidSv | Layout::IphoneSv => {
                "Meddelanden och samtal är totalsträckskrypterade. Ingen utanför den här chatten, inte ens WhatsApp, kan läsa eller lyssna på dem."
            }
            Layout::AndroidEn | Layout::IphoneEn => {
                "Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them."
            }
        }
    }
}

/// The WhatsApp chats on a seized street dealer's phone: one export per customer, in the
/// Swedish Android layout (`2026-02-03 21:14 - Namn: text`, continuation lines, media notices).
/// Returns (chat name, export text, messages) per customer.
pub fn dealer_whatsapp(
    rng: &mut Rng,
    dealer: &Person,
    customers: &[&Person],
    place: &District,
    months: &[(i32, u32)],
    texts: &mut Texts,
    source_prefix: &str,
) -> Vec<(String, String, u64)> {
    let mut out = Vec::new();
    // one phone, one layout: most in Swedish, some set to English
    let layout = *rng.pick(&[
        Layout::AndroidSv,
        Layout::AndroidSv,
        Layout::IphoneSv,
        Layout::AndroidEn,
        Layout::IphoneEn,
    ]);
    for c in customers {
        // the customer as saved in the dealer's phone: a first name, or just the number
        let shown = if rng.chance(0.5) {
            c.first_name.clone()
        } else {
            let n = &c.phones[0];
            format!("+46 {} {} {} {}", &n[3..5], &n[5..8], &n[8..10], &n[10..])
        };
        let me = dealer.first_name.clone();
        let mut lines: Vec<(String, String, String)> = Vec::new(); // (sort key, stamp, line)
        for (m, (year, month)) in months.iter().enumerate() {
            if !dealer.active(m as u32) {
                continue;
            }
            for _ in 0..rng.poisson(2.0) {
                let day = rng.range(1, 28);
                let mut minute = rng.range(10 * 60, 23 * 60);
                let (sub, emoji) = *rng.pick(SUBSTANCES);
                let grams = *rng.pick(&[1, 2, 3, 5]);
                let source = format!("{source_prefix}-{}.txt", c.id.to_lowercase());
                let mut say = |who: &str,
                               text: String,
                               mentions: Vec<(&str, String)>,
                               minute: &mut i64,
                               rng: &mut Rng| {
                    texts.add(&source, "chat", &text, &mentions);
                    *minute = (*minute + rng.range(1, 9)).min(24 * 60 - 1);
                    let second = rng.below(60);
                    // sorted by the time; written in the phone's layout
                    let key = format!("{year:04}-{month:02}-{day:02} {minute:04} {second:02}");
                    let stamp = layout.stamp((*year, *month, day), *minute, second);
                    lines.push((key, stamp, format!("{who}: {text}")));
                };
                let qty = ("quantity", format!("{grams} g"));
                say(
                    &shown,
                    format!("har du {sub}? {grams}g"),
                    substance_of(sub)
                        .map(|v| ("substance", v.to_owned()))
                        .into_iter()
                        .chain([qty.clone()])
                        .collect(),
                    &mut minute,
                    rng,
                );
                let (answer, mentions) = match &dealer.swish_business {
                    Some(s) if rng.chance(0.6) => (
                        format!("ja {emoji} {grams}g {}kr\nswisha {s}", grams * 150),
                        substance_of(emoji)
                            .map(|v| ("substance", v.to_owned()))
                            .into_iter()
                            .chain([
                                qty,
                                ("price", format!("{} SEK", grams * 150)),
                                ("swish", s.clone()),
                            ])
                            .collect(),
                    ),
                    _ => (
                        format!("ja, möts vid {} om 20 min", place.name),
                        place_of(&place.name).into_iter().collect(),
                    ),
                };
                say(&me, answer, mentions, &mut minute, rng);
                if rng.chance(0.2) {
                    say(&shown, layout.media().to_owned(), vec![], &mut minute, rng);
                }
                say(
                    &shown,
                    (*rng.pick(&["👍", "ok", "tack bror", "kommer"])).to_owned(),
                    vec![],
                    &mut minute,
                    rng,
                );
            }
        }
        if lines.is_empty() {
            continue;
        }
        lines.sort_by(|a, b| a.0.cmp(&b.0));
        // the notice comes first, at the first message's time; an iPhone writes it as from
        // the chat
        let first = &lines[0].1;
        let mut text = match layout {
            Layout::AndroidSv | Layout::AndroidEn => format!("{first} {}\n", layout.notice()),
            Layout::IphoneSv | Layout::IphoneEn => {
                format!("{first} {shown}: \u{200e}{}\n", layout.notice())
            }
        };
        for (_, stamp, l) in &lines {
            text.push_str(stamp);
            text.push(' ');
            text.push_str(l);
            text.push('\n');
        }
        // one record per message, plus the notice
        out.push((c.id.clone(), text, lines.len() as u64 + 1));
    }
    out
}
