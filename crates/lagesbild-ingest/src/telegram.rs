//! Telegram Desktop chat exports (`result.json`): a single chat (`{"name", "type", "id",
//! "messages"}`) or a full export (`{"chats": {"list": [...]}}`). Each message becomes a record
//! (its JSON as read, with the chat and message id as the place) with a Message entity linking
//! the sender's account to the recipient's: the other party of a personal chat, or the group.
//! `text` may be a string or an array of strings and entity objects, as Telegram writes it;
//! service messages (joins, title changes, calls) are kept as records without entities.

use std::io::Read;
use std::sync::Arc;

use serde_json::Value;

use lagesbild_model::{Context, Fragment, Policy, PropType, Record, SourceRef};

use crate::error::IngestError;

/// Reads the whole export (Telegram writes one JSON document) and returns its records.
pub fn read(
    file: &str,
    input: impl Read,
    policy: Arc<Policy>,
    ctx: &Context,
) -> Result<Vec<Record>, IngestError> {
    let text = crate::error::read_utf8(file, input)?;
    let text = text.as_str();
    let doc: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| {
        IngestError::new(
            file,
            format!("malformed JSON at column {}: {e}", e.column()),
        )
        .at(e.line() as u64)
    })?;
    let chats: Vec<&Value> =
        if let Some(list) = doc.pointer("/chats/list").and_then(Value::as_array) {
            list.iter().collect()
        } else if doc.get("messages").is_some() {
            vec![&doc]
        } else {
            return Err(IngestError::new(
                file,
                "not a Telegram Desktop export: no \"messages\" and no \"chats\": {\"list\"}",
            ));
        };
    let mut out = Vec::new();
    let mut index = 0u64;
    for chat in chats {
        read_chat(file, chat, &policy, ctx, &mut index, &mut out)?;
    }
    Ok(out)
}

fn read_chat(
    file: &str,
    chat: &Value,
    policy: &Arc<Policy>,
    ctx: &Context,
    index: &mut u64,
    out: &mut Vec<Record>,
) -> Result<(), IngestError> {
    let chat_id = id_text(chat.get("id"))
        .ok_or_else(|| IngestError::new(file, "a chat without an id").field("id"))?;
    let chat_name = chat.get("name").and_then(Value::as_str).unwrap_or_default();
    let chat_type = chat
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("personal_chat");
    let messages = chat
        .get("messages")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            IngestError::new(file, format!("chat {chat_id} has no \"messages\" list"))
                .field("messages")
        })?;
    let personal = chat_type == "personal_chat" || chat_type == "bot_chat";
    // In a personal chat the peer's account id is `user{chat id}`; the owner is whoever else
    // writes.
    let peer = format!("user{chat_id}");
    let owner = messages
        .iter()
        .filter_map(|m| m.get("from_id").and_then(Value::as_str))
        .find(|f| *f != peer)
        .map(str::to_owned);
    let group_account = format!("tg-chat{chat_id}");
    for m in messages {
        *index += 1;
        let msg_id = id_text(m.get("id")).ok_or_else(|| {
            IngestError::new(file, format!("a message of chat {chat_id} without an id"))
                .at(*index)
                .field("id")
        })?;
        let raw = m.to_string();
        let source = SourceRef {
            file: file.to_owned(),
            line: *index,
            offset: msg_id.parse().unwrap_or(0),
        };
        let mut fragments = Vec::new();
        if m.get("type").and_then(Value::as_str) == Some("message") {
            let sender_id = m
                .get("from_id")
                .and_then(Value::as_str)
                .unwrap_or("unknown");
            let sender = format!("tg-{sender_id}");
            let mut acc = Fragment {
                id: sender.clone(),
                schema: "UserAccount",
                values: Vec::new(),
            };
            acc.add_typed("service", PropType::String, "Telegram", ctx);
            if let Some(name) = m.get("from").and_then(Value::as_str) {
                acc.add_typed("name", PropType::Name, name, ctx);
            }
            acc.add_typed("username", PropType::String, sender_id, ctx);
            fragments.push(acc);
            let recipient = if personal {
                let other = if sender_id == peer {
                    owner.clone()
                } else {
                    Some(peer.clone())
                };
                other.map(|o| {
                    let mut f = Fragment {
                        id: format!("tg-{o}"),
                        schema: "UserAccount",
                        values: Vec::new(),
                    };
                    f.add_typed("service", PropType::String, "Telegram", ctx);
                    f.add_typed("username", PropType::String, &o, ctx);
                    if o == peer && !chat_name.is_empty() {
                        f.add_typed("name", PropType::Name, chat_name, ctx);
                    }
                    f
                })
            } else {
                let mut f = Fragment {
                    id: group_account.clone(),
                    schema: "UserAccount",
                    values: Vec::new(),
                };
                f.add_typed("service", PropType::String, "Telegram", ctx);
                f.add_typed("name", PropType::Name, chat_name, ctx);
                Some(f)
            };
            let mut msg = Fragment {
                id: format!("tg-{chat_id}-{msg_id}"),
                schema: "Message",
                values: Vec::new(),
            };
            msg.add_typed("senderAccount", PropType::Entity, &sender, ctx);
            if let Some(r) = &recipient {
                msg.add_typed("recipientAccount", PropType::Entity, &r.id, ctx);
            }
            msg.add_typed(
                "bodyText",
                PropType::Text,
                &flatten_text(m.get("text")),
                ctx,
            );
            if let Some(d) = m.get("date").and_then(Value::as_str) {
                msg.add_typed("date", PropType::Date, d, ctx);
            }
            if let Some(d) = m.get("edited").and_then(Value::as_str) {
                msg.add_typed("modifiedAt", PropType::Date, d, ctx);
            }
            if let Some(f) = m.get("forwarded_from").and_then(Value::as_str) {
                msg.add_typed("namesMentioned", PropType::Name, f, ctx);
            }
            if let Some(r) = id_text(m.get("reply_to_message_id")) {
                msg.add_typed(
                    "inReplyToMessage",
                    PropType::Entity,
                    &format!("tg-{chat_id}-{r}"),
                    ctx,
                );
            }
            if !chat_name.is_empty() {
                msg.add_typed("threadTopic", PropType::String, chat_name, ctx);
            }
            fragments.push(msg);
            fragments.extend(recipient);
        }
        out.push(Record {
            source,
            raw,
            policy: policy.clone(),
            fragments,
        });
    }
    Ok(())
}

/// A numeric or string id as text.
fn id_text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        _ => None,
    }
}

/// The text of a message: a string, or an array of strings and `{"type", "text"}` objects.
pub fn flatten_text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(parts)) => parts
            .iter()
            .map(|p| match p {
                Value::String(s) => s.as_str(),
                Value::Object(o) => o.get("text").and_then(Value::as_str).unwrap_or_default(),
                _ => "",
            })
            .collect(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_in_both_shapes() {
        let v: Value =
            serde_json::from_str(r#"["har ", {"type": "bold", "text": "vitt"}, " idag"]"#).unwrap();
        assert_eq!(flatten_text(Some(&v)), "har vitt idag");
        assert_eq!(flatten_text(Some(&Value::String("hej".into()))), "hej");
        assert_eq!(flatten_text(None), "");
    }
}
