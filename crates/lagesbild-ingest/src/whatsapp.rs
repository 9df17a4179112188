//! WhatsApp chat exports (`.txt`), as Android and iPhone write them in Swedish and English:
//! `2026-02-03 21:14 - Namn: text`, `[2026-02-03 21:14:05] Namn: text`,
//! `03/02/2026, 21:14 - Namn: text`, `2/3/26, 9:14 PM - Name: text`. A line without a timestamp
//! continues the message before it; lines without `Name: ` are system notices (encryption,
//! joins) and are kept as records without entities. Day-first or month-first is decided for the
//! whole file (a first number above 12 means day-first; AM/PM without that, month-first).
//! Senders shown as phone numbers become accounts with that number.

use std::io::Read;
use std::sync::Arc;

use lagesbild_model::{Context, Fragment, Policy, PropType, Record, SourceRef, types};

use crate::error::IngestError;

/// The parts of a message header.
#[derive(Debug, Clone, PartialEq)]
struct Header<'a> {
    /// Year, first, second number of the date as written (ISO dates: year, month, day).
    date: (i32, u32, u32),
    iso: bool,
    time: (u32, u32, u32),
    pm: Option<bool>,
    rest: &'a str,
}

fn digits(s: &str, min: usize, max: usize) -> Option<(u32, &str)> {
    let n = s.bytes().take(max).take_while(u8::is_ascii_digit).count();
    (n >= min)
        .then(|| (s[..n].parse().ok(), &s[n..]))
        .and_then(|(v, r)| Some((v?, r)))
}

/// Parses a header line; `None` for a continuation line.
fn header(line: &str) -> Option<Header<'_>> {
    let l = line.trim_start_matches(['\u{200e}', '\u{feff}']);
    let (bracket, l) = match l.strip_prefix('[') {
        Some(r) => (true, r),
        None => (false, l),
    };
    let (a, r) = digits(l, 1, 4)?;
    let sep = r.chars().next()?;
    if !matches!(sep, '-' | '/' | '.') {
        return None;
    }
    let (b, r) = digits(&r[1..], 1, 2)?;
    let r = r.strip_prefix(sep)?;
    let (c, r) = digits(r, 2, 4)?;
    let iso = a > 31;
    let date = if iso {
        (a as i32, b, c)
    } else {
        (if c < 100 { 2000 + c as i32 } else { c as i32 }, a, b)
    };
    let r = r.trim_start_matches([',', ' ']);
    let (h, r) = digits(r, 1, 2)?;
    let r = r.strip_prefix([':', '.'])?;
    let (m, r) = digits(r, 2, 2)?;
    let (s, r) = match r.strip_prefix(':').and_then(|x| digits(x, 2, 2)) {
        Some((s, r)) => (s, r),
        None => (0, r),
    };
    let r = r.trim_start_matches([' ', '\u{202f}']);
    let (pm, r) = if let Some(x) = r.strip_prefix("PM").or_else(|| r.strip_prefix("pm")) {
        (Some(true), x)
    } else if let Some(x) = r.strip_prefix("AM").or_else(|| r.strip_prefix("am")) {
        (Some(false), x)
    } else {
        (None, r)
    };
    let r = if bracket {
        r.trim_start().strip_prefix(']')?
    } else {
        r
    };
    let r = r.trim_start();
    let rest = r.strip_prefix("- ").unwrap_or(r);
    if h > 23 || m > 59 || s > 59 {
        return None;
    }
    Some(Header {
        date,
        iso,
        time: (h, m, s),
        pm,
        rest,
    })
}

struct Message {
    line: u64,
    offset: u64,
    header_date: (i32, u32, u32),
    iso: bool,
    time: (u32, u32, u32),
    pm: Option<bool>,
    sender: Option<String>,
    text: String,
    raw: String,
}

/// Reads a WhatsApp export; `file` names it in errors and gives the chat its id.
pub fn read(
    file: &str,
    input: impl Read,
    policy: Arc<Policy>,
    ctx: &Context,
) -> Result<Vec<Record>, IngestError> {
    let text = crate::error::read_utf8(file, input)?;
    let text = text.as_str();
    let mut messages: Vec<Message> = Vec::new();
    let mut offset = 0u64;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += line.len() as u64;
        let body = line.trim_end_matches(['\n', '\r']);
        match header(body) {
            Some(h) => {
                let (sender, text) = match h.rest.split_once(": ") {
                    Some((s, t)) if !s.is_empty() && s.len() <= 80 => {
                        (Some(s.trim().to_owned()), t.to_owned())
                    }
                    _ => (None, h.rest.to_owned()),
                };
                messages.push(Message {
                    line: i as u64 + 1,
                    offset: start,
                    header_date: h.date,
                    iso: h.iso,
                    time: h.time,
                    pm: h.pm,
                    sender,
                    text,
                    raw: body.to_owned(),
                });
            }
            None => match messages.last_mut() {
                Some(m) => {
                    m.text.push('\n');
                    m.text.push_str(body);
                    m.raw.push('\n');
                    m.raw.push_str(body);
                }
                None if body.trim().is_empty() => {}
                None => {
                    return Err(IngestError::new(
                        file,
                        "not a WhatsApp export: the first line has no date and time",
                    )
                    .at(i as u64 + 1));
                }
            },
        }
    }
    if messages.is_empty() {
        return Err(IngestError::new(file, "not a WhatsApp export: no messages"));
    }
    // day-first unless the file shows otherwise
    let day_first = messages.iter().any(|m| !m.iso && m.header_date.1 > 12)
        || !messages
            .iter()
            .any(|m| !m.iso && (m.header_date.2 > 12 || m.pm.is_some()));
    let chat = chat_key(file);
    let mut senders: Vec<&str> = Vec::new();
    for m in &messages {
        if let Some(s) = m.sender.as_deref()
            && !senders.contains(&s)
        {
            senders.push(s);
        }
    }
    let group = senders.len() > 2;
    let mut out = Vec::with_capacity(messages.len());
    for m in &messages {
        let (y, mo, d) = if m.iso {
            m.header_date
        } else if day_first {
            (m.header_date.0, m.header_date.2, m.header_date.1)
        } else {
            m.header_date
        };
        let mut hour = m.time.0;
        match m.pm {
            Some(true) if hour < 12 => hour += 12,
            Some(false) if hour == 12 => hour = 0,
            _ => {}
        }
        let when = format!(
            "{y:04}-{mo:02}-{d:02}T{hour:02}:{:02}:{:02}",
            m.time.1, m.time.2
        );
        let Some(date) = types::parse_date(&when) else {
            return Err(IngestError::new(file, format!("{when:?} is not a date")).at(m.line));
        };
        let mut fragments = Vec::new();
        if let Some(sender) = &m.sender {
            let account = |who: &str| {
                let mut f = Fragment {
                    id: account_id(&chat, who),
                    schema: "UserAccount",
                    values: Vec::new(),
                };
                f.add_typed("service", PropType::String, "WhatsApp", ctx);
                if looks_like_phone(who) {
                    f.add_typed("number", PropType::Phone, who, ctx);
                } else {
                    f.add_typed("name", PropType::Name, who, ctx);
                }
                f
            };
            let from = account(sender);
            let to = if group {
                let mut f = Fragment {
                    id: format!("wa-chat-{chat}"),
                    schema: "UserAccount",
                    values: Vec::new(),
                };
                f.add_typed("service", PropType::String, "WhatsApp", ctx);
                f.add_typed("name", PropType::Name, &chat, ctx);
                Some(f)
            } else {
                senders.iter().find(|s| *s != sender).map(|s| account(s))
            };
            let mut msg = Fragment {
                id: format!("wa-{chat}-{}", m.line),
                schema: "Message",
                values: Vec::new(),
            };
            msg.add_typed("senderAccount", PropType::Entity, &from.id, ctx);
            if let Some(t) = &to {
                msg.add_typed("recipientAccount", PropType::Entity, &t.id, ctx);
            }
            msg.add_typed("date", PropType::Date, &date.to_string(), ctx);
            msg.add_typed("bodyText", PropType::Text, &m.text, ctx);
            fragments.push(from);
            fragments.push(msg);
            fragments.extend(to);
        }
        out.push(Record {
            source: SourceRef {
                file: file.to_owned(),
                line: m.line,
                offset: m.offset,
            },
            raw: m.raw.clone(),
            policy: policy.clone(),
            fragments,
        });
    }
    Ok(out)
}

fn looks_like_phone(s: &str) -> bool {
    let digits = s.chars().filter(char::is_ascii_digit).count();
    digits >= 7
        && s.chars()
            .all(|c| c.is_ascii_digit() || " +-()\u{a0}".contains(c))
}

/// The id of an account: a phone number identifies it everywhere (`wa-46701234567`); a name
/// shown in one chat only within that chat (`wa-{chat}-{name}`), since two chats' "Omar" need
/// not be one person: that is for entity resolution to judge.
fn account_id(chat: &str, who: &str) -> String {
    if looks_like_phone(who) {
        format!(
            "wa-{}",
            who.chars().filter(char::is_ascii_digit).collect::<String>()
        )
    } else {
        let name = who
            .to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join("-");
        format!("wa-{chat}-{name}")
    }
}

/// The chat's key from its file name (`WhatsApp Chat with Kusin.txt` → `kusin`).
fn chat_key(file: &str) -> String {
    let stem = std::path::Path::new(file)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or(file);
    let name = [
        "WhatsApp Chat with ",
        "WhatsApp-chatt med ",
        "WhatsApp Chat - ",
    ]
    .iter()
    .find_map(|p| stem.strip_prefix(p))
    .unwrap_or(stem);
    name.to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_in_every_style() {
        let h = header("2026-02-03 21:14 - Kusin: har du grönt?").unwrap();
        assert_eq!(
            (h.date, h.iso, h.time, h.rest),
            ((2026, 2, 3), true, (21, 14, 0), "Kusin: har du grönt?")
        );
        let h = header("[2026-02-03 21:14:05] Kusin: hej").unwrap();
        assert_eq!((h.time, h.rest), ((21, 14, 5), "Kusin: hej"));
        let h = header("03/02/2026, 21:14 - Kusin: hej").unwrap();
        assert_eq!((h.date, h.iso), ((2026, 3, 2), false));
        let h = header("2/3/26, 9:14\u{202f}PM - Kusin: hej").unwrap();
        assert_eq!(
            (h.date, h.pm, h.rest),
            ((2026, 2, 3), Some(true), "Kusin: hej")
        );
        let h = header("\u{200e}[03.02.26 21:14:05] Kusin: \u{200e}bild utelämnad").unwrap();
        assert_eq!(h.date, (2026, 3, 2));
        assert_eq!(header("och sen kommer jag"), None);
        assert_eq!(header("12 gram - inte mer"), None);
    }
}
