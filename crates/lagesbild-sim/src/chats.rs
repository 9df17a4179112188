//! Seized phones: for each network, the Telegram Desktop export of one upper-level member's
//! phone, with a personal chat to every member they deal with, written as Telegram writes it
//! (`text` as a string, or as an array with entity objects for phone numbers and bold words).

use serde_json::{Value, json};

use crate::rng::Rng;
use crate::world::{District, Network, Person, Role};

const SUBSTANCES: &[(&str, &str)] = &[
    ("grönt", "🍁"),
    ("vitt", "❄️"),
    ("tjack", "⚡"),
    ("knappar", "💊"),
    ("braj", "🍁"),
    ("koks", "❄️"),
];

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
) {
    for _ in 0..rng.poisson(6.0) {
        let day = rng.range(1, 28);
        let mut minute = rng.range(0, 23 * 60);
        // a short exchange: a question and one or two answers
        let (sub, emoji) = *rng.pick(SUBSTANCES);
        let grams = *rng.pick(&[5, 10, 25, 50, 100, 500]);
        let lines: Vec<(bool, Value)> = match rng.below(5) {
            0 => vec![
                (false, json!(format!("har du {sub}? behöver {grams}g"))),
                (
                    true,
                    json!(format!(
                        "ja {emoji} {grams}g/{}",
                        grams * *rng.pick(&[80, 100, 120, 600, 800])
                    )),
                ),
            ],
            1 => vec![
                (
                    true,
                    json!(format!("möts vid {} kl {}", place.name, rng.range(18, 23))),
                ),
                (false, json!("👍")),
            ],
            2 => match &b.swish_business {
                Some(s) => vec![
                    (
                        true,
                        json!(["swisha till ", {"type": "phone", "text": s}, " idag"]),
                    ),
                    (false, json!("klart")),
                ],
                None => vec![(false, json!("lugnt idag?")), (true, json!("ja"))],
            },
            3 => vec![
                (
                    true,
                    json!(["skicka ", {"type": "bold", "text": format!("{}k", rng.range(5, 40))}, " till ", b.accounts[0]]),
                ),
                (false, json!("ok imorgon")),
            ],
            _ => vec![
                (
                    false,
                    json!(format!("aina i {} hela dagen, håll låg profil", place.name)),
                ),
                (true, json!("ok")),
            ],
        };
        for (from_owner, text) in lines {
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

/// The WhatsApp chats on a seized street dealer's phone: one export per customer, in the
/// Swedish Android layout (`2026-02-03 21:14 - Namn: text`, continuation lines, media notices).
/// Returns (chat name, export text, messages) per customer.
pub fn dealer_whatsapp(
    rng: &mut Rng,
    dealer: &Person,
    customers: &[&Person],
    place: &District,
    months: &[(i32, u32)],
) -> Vec<(String, String, u64)> {
    let mut out = Vec::new();
    for c in customers {
        // the customer as saved in the dealer's phone: a first name, or just the number
        let shown = if rng.chance(0.5) {
            c.first_name.clone()
        } else {
            let n = &c.phones[0];
            format!("+46 {} {} {} {}", &n[3..5], &n[5..8], &n[8..10], &n[10..])
        };
        let me = dealer.first_name.clone();
        let mut lines: Vec<(String, String)> = Vec::new(); // (timestamp, line)
        for (m, (year, month)) in months.iter().enumerate() {
            if !dealer.active(m as u32) {
                continue;
            }
            for _ in 0..rng.poisson(2.0) {
                let day = rng.range(1, 28);
                let mut minute = rng.range(10 * 60, 23 * 60);
                let (sub, emoji) = *rng.pick(SUBSTANCES);
                let grams = *rng.pick(&[1, 2, 3, 5]);
                let mut say = |who: &str, text: String, minute: &mut i64, rng: &mut Rng| {
                    *minute = (*minute + rng.range(1, 9)).min(24 * 60 - 1);
                    let ts = format!(
                        "{year:04}-{month:02}-{day:02} {:02}:{:02}",
                        *minute / 60,
                        *minute % 60
                    );
                    lines.push((ts.clone(), format!("{ts} - {who}: {text}")));
                };
                say(&shown, format!("har du {sub}? {grams}g"), &mut minute, rng);
                let answer = match &dealer.swish_business {
                    Some(s) if rng.chance(0.6) => {
                        format!("ja {emoji} {grams}g {}kr\nswisha {s}", grams * 150)
                    }
                    _ => format!("ja, möts vid {} om 20 min", place.name),
                };
                say(&me, answer, &mut minute, rng);
                if rng.chance(0.2) {
                    say(&shown, "<Media utelämnad>".to_owned(), &mut minute, rng);
                }
                say(
                    &shown,
                    (*rng.pick(&["👍", "ok", "tack bror", "kommer"])).to_owned(),
                    &mut minute,
                    rng,
                );
            }
        }
        if lines.is_empty() {
            continue;
        }
        lines.sort_by(|a, b| a.0.cmp(&b.0));
        let first = lines[0].0.clone();
        let mut text = format!(
            "{first} - Meddelanden och samtal är totalsträckskrypterade. Ingen utanför den här chatten, inte ens WhatsApp, kan läsa eller lyssna på dem.\n"
        );
        for (_, l) in &lines {
            text.push_str(l);
            text.push('\n');
        }
        // one record per message, plus the notice
        out.push((c.id.clone(), text, lines.len() as u64 + 1));
    }
    out
}
