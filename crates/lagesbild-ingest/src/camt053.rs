//! ISO 20022 camt.053 bank-to-customer statements (`BkToCstmrStmt`), as banks hand them over:
//! versions .001.02 (`<Sts>BOOK</Sts>`, `<Dbtr><Nm>`) through .001.08 and later
//! (`<Sts><Cd>BOOK</Cd></Sts>`, `<Dbtr><Pty><Nm>`), namespaces with or without a prefix, a UTF-8
//! byte-order mark. Each transaction becomes a record: every `<TxDtls>` of an entry (a batch
//! booking has several), or the `<Ntry>` itself when it has none. Its raw text is the entry's
//! XML with the batch's other `<TxDtls>` left out, so that every record keeps the entry's
//! amount, dates and references beside its own details; its place is the line of the `<Ntry>`
//! and the byte offset of the transaction.
//!
//! A record holds a `Payment` from payer to beneficiary with their `BankAccount`s and, where a
//! name is given, their `LegalEntity`s. The statement's own account (`<Stmt><Acct>`, owner
//! `<Ownr><Nm>`) is the side the entry does not name: it receives a credit (`CRDT`) and pays a
//! debit (`DBIT`). A reversal (`<RvslInd>true`) moves money against its related parties, which
//! are those of the original booking, so the counterparty is read from the other side.
//!
//! Ids: an account is `camt-iban-{IBAN}` or `camt-account-{id}`, an entity of the statements
//! that meets the same account elsewhere (a register's, a chat's mention) through the store's
//! key index on its `iban` or `accountNumber`, as a CSV register's does; a named party
//! (`camt-holder-…`) is keyed by its account, or by the statement's account when it has none; a
//! payment (`camt-payment-…`) by its payer's account and end-to-end id when the payer gave one,
//! so that the same transfer on the payer's and the payee's statement is one payment, else by
//! the statement's account and the bank's reference.
//!
//! The whole file is read before any record is returned: a malformed document (not XML, cut
//! short, another root, an amount that is not a number, an entry without amount or indicator)
//! is an error naming the line and the element, and nothing of the file is ingested.

use std::io::Read;
use std::sync::Arc;

use quick_xml::Reader;
use quick_xml::events::Event;

use lagesbild_model::{Context, Fragment, Policy, PropType, Record, SourceRef};

use crate::error::{IngestError, Lines};

/// How deep elements may nest.
const MAX_DEPTH: usize = 64;

/// An element read whole: local name, attributes, text, children, and its byte range in the
/// document (from its `<` to after its end tag).
#[derive(Debug, Default)]
struct Node {
    name: String,
    attrs: Vec<(String, String)>,
    text: String,
    children: Vec<Node>,
    start: usize,
    end: usize,
}

impl Node {
    fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    fn children<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The element at a path of local names below this one.
    fn at(&self, path: &[&str]) -> Option<&Node> {
        path.iter().try_fold(self, |n, p| n.child(p))
    }

    /// The trimmed text at a path, if not empty.
    fn text_at(&self, path: &[&str]) -> Option<&str> {
        self.at(path)
            .map(|n| n.text.trim())
            .filter(|t| !t.is_empty())
    }

    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Reads a camt.053 document (all of it; see the module comment) and returns its records.
pub fn read(
    file: &str,
    input: impl Read,
    policy: Arc<Policy>,
    ctx: &Context,
) -> Result<Vec<Record>, IngestError> {
    let whole = crate::error::read_utf8(file, input)?;
    let (base, text) = match whole.strip_prefix('\u{feff}') {
        Some(rest) => (3, rest),
        None => (0, whole.as_str()),
    };
    let lines = Lines::new(text, base);
    let err = |offset: usize, field: &str, message: String| {
        let e = IngestError::new(file, message).at(lines.of(offset + base));
        if field.is_empty() { e } else { e.field(field) }
    };
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    // the path of open elements, by local name, while no element is being collected
    let mut path: Vec<String> = Vec::new();
    // elements being collected (an account, an entry): the innermost last
    let mut collecting: Vec<Node> = Vec::new();
    let mut statements = 0usize;
    let mut account: Option<Node> = None;
    let mut stmt_id: Option<String> = None;
    let mut out = Vec::new();
    let mut entries = 0usize;
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| {
            let at = reader.error_position() as usize;
            let open = collecting
                .last()
                .map(|n| n.name.clone())
                .or_else(|| path.last().cloned())
                .unwrap_or_default();
            err(at, &open, format!("malformed XML: {e}"))
        })?;
        let after = reader.buffer_position() as usize;
        // a top-level element of a statement read whole: its account, or an entry
        let mut done: Option<Node> = None;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let name = e.local_name().as_ref().to_owned();
                if path.is_empty() && collecting.is_empty() {
                    if name != "Document" {
                        return Err(err(
                            before,
                            &name,
                            format!(
                                "not a camt.053 statement: the root element is <{name}>, not \
                                 <Document>"
                            ),
                        ));
                    }
                } else if path.len() == 1 && collecting.is_empty() && name != "BkToCstmrStmt" {
                    return Err(err(
                        before,
                        &name,
                        format!(
                            "not a camt.053 statement: <Document> holds <{name}>, not \
                             <BkToCstmrStmt>"
                        ),
                    ));
                }
                // camt.053 nests about a dozen deep; a hostile file could nest deep enough to
                // overflow the stack when its elements are dropped
                if path.len() + collecting.len() >= MAX_DEPTH {
                    return Err(err(
                        before,
                        &name,
                        format!("elements nested more than {MAX_DEPTH} deep"),
                    ));
                }
                let mut attrs = Vec::new();
                for a in e.attributes() {
                    let a = a.map_err(|x| err(before, &name, format!("malformed XML: {x}")))?;
                    let v = a
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map_err(|x| err(before, &name, format!("malformed XML: {x}")))?;
                    attrs.push((a.key.local_name().as_ref().to_owned(), v.into_owned()));
                }
                let in_stmt = path.last().is_some_and(|p| p == "Stmt");
                if !collecting.is_empty() || (in_stmt && (name == "Acct" || name == "Ntry")) {
                    let node = Node {
                        name,
                        attrs,
                        start: before,
                        end: after,
                        ..Node::default()
                    };
                    if empty {
                        match collecting.last_mut() {
                            Some(parent) => parent.children.push(node),
                            None => done = Some(node),
                        }
                    } else {
                        collecting.push(node);
                    }
                } else if !empty {
                    if name == "Stmt" {
                        statements += 1;
                        account = None;
                        stmt_id = None;
                    }
                    path.push(name);
                }
            }
            Event::End(_) => {
                if let Some(mut node) = collecting.pop() {
                    node.end = after;
                    match collecting.last_mut() {
                        Some(parent) => parent.children.push(node),
                        None => done = Some(node),
                    }
                } else {
                    path.pop();
                }
            }
            Event::Text(t) => {
                let s = t.xml10_content();
                if let Some(n) = collecting.last_mut() {
                    n.text.push_str(&s);
                } else if in_stmt_id(&path) {
                    stmt_id.get_or_insert_with(String::new).push_str(s.trim());
                } else if path.is_empty() && !s.trim().is_empty() {
                    return Err(err(
                        before,
                        "",
                        "not a camt.053 statement: text outside the root element".into(),
                    ));
                }
            }
            Event::CData(t) => {
                if let Some(n) = collecting.last_mut() {
                    n.text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => quick_xml::escape::resolve_predefined_entity(&r)
                        .map(str::to_owned)
                        .ok_or_else(|| err(before, "", format!("unknown entity &{};", &*r)))?,
                    Err(e) => return Err(err(before, "", format!("malformed XML: {e}"))),
                };
                if let Some(n) = collecting.last_mut() {
                    n.text.push_str(&resolved);
                } else if in_stmt_id(&path) {
                    stmt_id.get_or_insert_with(String::new).push_str(&resolved);
                }
            }
            Event::Eof => {
                if let Some(open) = collecting.last().map(|n| n.name.clone()).or(path.pop()) {
                    return Err(err(
                        text.len(),
                        &open,
                        format!("the document ends before <{open}> is closed (cut short?)"),
                    ));
                }
                break;
            }
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
        }
        if let Some(node) = done {
            if node.name == "Acct" {
                account = Some(node);
            } else {
                entries += 1;
                let Some(acct) = &account else {
                    return Err(err(
                        node.start,
                        "Stmt/Acct",
                        "an entry before the statement's <Acct>: whose account is it?".into(),
                    ));
                };
                entry(
                    file,
                    text,
                    base,
                    &lines,
                    &node,
                    entries,
                    acct,
                    stmt_id.as_deref(),
                    &policy,
                    ctx,
                    &mut out,
                )?;
            }
        }
    }
    if statements == 0 {
        return Err(IngestError::new(
            file,
            "not a camt.053 statement: no <Document><BkToCstmrStmt><Stmt>",
        ));
    }
    Ok(out)
}

/// Whether the innermost open element is the statement's `<Id>`.
fn in_stmt_id(path: &[String]) -> bool {
    matches!(path, [.., stmt, id] if stmt == "Stmt" && id == "Id")
}

/// An account's key and how to write it: (`iban-SE…` or `account-…`, property, value).
fn account_key(acct: &Node) -> Option<(String, &'static str, String)> {
    if let Some(iban) = acct.text_at(&["Id", "IBAN"]) {
        let iban: String = iban
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        return Some((format!("iban-{iban}"), "iban", iban));
    }
    let other = acct.text_at(&["Id", "Othr", "Id"])?;
    let id: String = other.chars().filter(|c| !c.is_whitespace()).collect();
    Some((format!("account-{id}"), "accountNumber", id))
}

/// A party's name: `<Nm>` (.001.02) or `<Pty><Nm>` (.001.08 and later).
fn party_name(party: Option<&Node>) -> Option<&str> {
    let p = party?;
    p.text_at(&["Nm"]).or_else(|| p.text_at(&["Pty", "Nm"]))
}

/// A name as part of an id.
fn slug(s: &str) -> String {
    s.to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("-")
}

/// One side of a payment: its account (fragment) and its named holder (fragment).
struct Side {
    /// The account's key (`iban-SE…`, `account-…`).
    key: Option<String>,
    account: Option<Fragment>,
    holder: Option<Fragment>,
}

fn side(
    acct: Option<&Node>,
    name: Option<&str>,
    bic: Option<&str>,
    bank: Option<&str>,
    scope: &str,
    ctx: &Context,
) -> Side {
    let key = acct.and_then(account_key);
    let account = key.as_ref().map(|(id, prop, value)| {
        let mut f = Fragment {
            id: format!("camt-{id}"),
            schema: "BankAccount",
            values: Vec::new(),
        };
        let kind = if *prop == "iban" {
            PropType::Iban
        } else {
            PropType::Identifier
        };
        f.add_typed(prop, kind, value, ctx);
        if let Some(c) = acct.and_then(|a| a.text_at(&["Ccy"])) {
            f.add_typed("currency", PropType::String, c, ctx);
        }
        if let Some(b) = bic {
            f.add_typed("bic", PropType::Identifier, b, ctx);
        }
        if let Some(b) = bank {
            f.add_typed("bankName", PropType::String, b, ctx);
        }
        f
    });
    let holder = name.map(|n| {
        let within = key.as_ref().map_or(scope, |k| k.0.as_str());
        let mut f = Fragment {
            id: format!("camt-holder-{within}-{}", slug(n)),
            schema: "LegalEntity",
            values: Vec::new(),
        };
        f.add_typed("name", PropType::Name, n, ctx);
        f
    });
    Side {
        key: key.map(|k| k.0),
        account,
        holder,
    }
}

/// A bank's BIC as either version writes it.
fn bic_of(agent: Option<&Node>) -> Option<&str> {
    let a = agent?;
    a.text_at(&["FinInstnId", "BIC"])
        .or_else(|| a.text_at(&["FinInstnId", "BICFI"]))
}

/// Checks an amount as ISO 20022 writes it: digits with at most one decimal point.
fn amount_ok(s: &str) -> bool {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
        && !(s.contains('.') && frac.is_empty())
}

/// Reads one entry into its records.
#[allow(clippy::too_many_arguments)]
fn entry(
    file: &str,
    text: &str,
    base: usize,
    lines: &Lines,
    ntry: &Node,
    index: usize,
    stmt_acct: &Node,
    stmt_id: Option<&str>,
    policy: &Arc<Policy>,
    ctx: &Context,
    out: &mut Vec<Record>,
) -> Result<(), IngestError> {
    let line = lines.of(ntry.start + base);
    let err = |node: &Node, field: &str, message: String| {
        IngestError::new(file, message)
            .at(lines.of(node.start + base))
            .field(field)
    };
    let amount = |node: &Node, field: &str| -> Result<(String, Option<String>), IngestError> {
        let value = node.text.trim();
        if !amount_ok(value) {
            return Err(err(
                node,
                field,
                format!("{value:?} is not an amount (digits, a decimal point)"),
            ));
        }
        Ok((value.to_owned(), node.attr("Ccy").map(str::to_owned)))
    };
    let Some(amt) = ntry.child("Amt") else {
        return Err(err(ntry, "Ntry/Amt", "an entry without <Amt>".into()));
    };
    let (entry_amount, entry_ccy) = amount(amt, "Ntry/Amt")?;
    let indicator = |node: &Node, field: &str| -> Result<Option<bool>, IngestError> {
        match node.child("CdtDbtInd") {
            None => Ok(None),
            Some(i) => match i.text.trim() {
                "CRDT" => Ok(Some(true)),
                "DBIT" => Ok(Some(false)),
                other => Err(err(i, field, format!("{other:?} is neither CRDT nor DBIT"))),
            },
        }
    };
    let Some(entry_credit) = indicator(ntry, "Ntry/CdtDbtInd")? else {
        return Err(err(
            ntry,
            "Ntry/CdtDbtInd",
            "an entry without <CdtDbtInd> (CRDT or DBIT)".into(),
        ));
    };
    let reversal = ntry
        .text_at(&["RvslInd"])
        .is_some_and(|v| v == "true" || v == "1");
    let status = ntry
        .text_at(&["Sts", "Cd"])
        .or_else(|| ntry.text_at(&["Sts"]));
    let date = ntry
        .text_at(&["BookgDt", "Dt"])
        .or_else(|| ntry.text_at(&["BookgDt", "DtTm"]))
        .or_else(|| ntry.text_at(&["ValDt", "Dt"]))
        .or_else(|| ntry.text_at(&["ValDt", "DtTm"]));
    let stmt_key = account_key(stmt_acct)
        .map(|k| k.0)
        .unwrap_or_else(|| format!("stmt-{}", stmt_id.unwrap_or("unknown")));
    let owner_name = stmt_acct.text_at(&["Ownr", "Nm"]);
    let stmt_bic = bic_of(stmt_acct.child("Svcr"));
    let stmt_bank = stmt_acct.text_at(&["Svcr", "FinInstnId", "Nm"]);

    let txs: Vec<&Node> = ntry
        .children("NtryDtls")
        .flat_map(|d| d.children("TxDtls"))
        .collect();
    let single = txs.len() <= 1;
    // (the transaction's element, or None for the entry itself)
    let items: Vec<Option<&Node>> = if txs.is_empty() {
        vec![None]
    } else {
        txs.iter().copied().map(Some).collect()
    };
    for (k, tx) in items.iter().enumerate() {
        let here = tx.unwrap_or(ntry);
        // the amount: the transaction's own, or the entry's when it is the entry's only one
        let own = match tx {
            Some(t) => {
                let path: Option<(&Node, &str)> = t
                    .child("Amt")
                    .map(|a| (a, "TxDtls/Amt"))
                    .or_else(|| {
                        t.at(&["AmtDtls", "TxAmt", "Amt"])
                            .map(|a| (a, "TxDtls/AmtDtls/TxAmt/Amt"))
                    })
                    .or_else(|| {
                        t.at(&["AmtDtls", "InstdAmt", "Amt"])
                            .map(|a| (a, "TxDtls/AmtDtls/InstdAmt/Amt"))
                    });
                match path {
                    Some((a, f)) => Some(amount(a, f)?),
                    None => None,
                }
            }
            None => None,
        };
        let (value, ccy) = match own {
            Some(v) => (Some(v.0), v.1),
            None if single => (Some(entry_amount.clone()), entry_ccy.clone()),
            None => (None, None),
        };
        let ccy = ccy
            .or_else(|| entry_ccy.clone())
            .or_else(|| stmt_acct.text_at(&["Ccy"]).map(str::to_owned));
        let credit = match tx {
            Some(t) => indicator(t, "TxDtls/CdtDbtInd")?.unwrap_or(entry_credit),
            None => entry_credit,
        };
        let parties = tx.and_then(|t| t.child("RltdPties"));
        let agents = tx.and_then(|t| t.child("RltdAgts"));
        // the related parties are those of the original booking; a reversal runs against them
        let counter_is_debtor = credit != reversal;
        let (party, party_acct, agent) = if counter_is_debtor {
            ("Dbtr", "DbtrAcct", "DbtrAgt")
        } else {
            ("Cdtr", "CdtrAcct", "CdtrAgt")
        };
        let counter = side(
            parties.and_then(|p| p.child(party_acct)),
            party_name(parties.and_then(|p| p.child(party))),
            bic_of(agents.and_then(|a| a.child(agent))),
            agents.and_then(|a| a.text_at(&[agent, "FinInstnId", "Nm"])),
            &stmt_key,
            ctx,
        );
        let own_side = side(
            Some(stmt_acct),
            owner_name,
            stmt_bic,
            stmt_bank,
            &stmt_key,
            ctx,
        );
        let (payer, beneficiary) = if credit {
            (counter, own_side)
        } else {
            (own_side, counter)
        };

        let refs = tx.and_then(|t| t.child("Refs"));
        let e2e = refs
            .and_then(|r| r.text_at(&["EndToEndId"]))
            .filter(|e| !e.eq_ignore_ascii_case("NOTPROVIDED"));
        let svcr_ref = refs.and_then(|r| r.text_at(&["AcctSvcrRef"])).or_else(|| {
            if single {
                ntry.text_at(&["AcctSvcrRef"])
            } else {
                None
            }
        });
        let id = match (e2e, payer.key.as_ref()) {
            (Some(e), Some(k)) => format!("camt-payment-{k}-{e}"),
            _ => match svcr_ref.or(refs.and_then(|r| r.text_at(&["TxId"]))) {
                Some(r) => format!("camt-payment-{stmt_key}-{r}"),
                None => format!(
                    "camt-payment-{stmt_key}-{}-{index}-{}",
                    stmt_id.unwrap_or("stmt"),
                    k + 1
                ),
            },
        };
        let mut pay = Fragment {
            id,
            schema: "Payment",
            values: Vec::new(),
        };
        if let Some(v) = &value {
            pay.add_typed("amount", PropType::Number, v, ctx);
        }
        if let Some(c) = &ccy {
            pay.add_typed("currency", PropType::String, c, ctx);
        }
        if let Some(d) = date {
            pay.add_typed("date", PropType::Date, d, ctx);
        }
        for (prop, account, side) in [
            ("payer", "payerAccount", &payer),
            ("beneficiary", "beneficiaryAccount", &beneficiary),
        ] {
            if let Some(h) = &side.holder {
                pay.add_typed(prop, PropType::Entity, &h.id, ctx);
            }
            if let Some(a) = &side.account {
                pay.add_typed(account, PropType::Entity, &a.id, ctx);
            }
        }
        // what the payer wrote: unstructured lines, structured references, further text
        let mut purpose: Vec<String> = Vec::new();
        if let Some(rmt) = tx.and_then(|t| t.child("RmtInf")) {
            purpose.extend(
                rmt.children("Ustrd")
                    .map(|u| u.text.trim().to_owned())
                    .filter(|u| !u.is_empty()),
            );
            for s in rmt.children("Strd") {
                for p in [
                    &["CdtrRefInf", "Ref"][..],
                    &["RfrdDocInf", "Nb"],
                    &["AddtlRmtInf"],
                ] {
                    if let Some(v) = s.text_at(p) {
                        purpose.push(v.to_owned());
                    }
                }
            }
        }
        if let Some(a) = tx.and_then(|t| t.text_at(&["AddtlTxInf"])) {
            purpose.push(a.to_owned());
        }
        if !purpose.is_empty() {
            pay.add_typed("purpose", PropType::Text, &purpose.join("\n"), ctx);
        }
        if let Some(a) = ntry.text_at(&["AddtlNtryInf"]) {
            pay.add_typed("summary", PropType::Text, a, ctx);
        }
        for r in [e2e, svcr_ref]
            .into_iter()
            .chain(
                ["TxId", "InstrId", "PmtInfId", "MsgId"]
                    .map(|f| refs.and_then(|r| r.text_at(&[f]))),
            )
            .flatten()
        {
            pay.add_typed("transactionNumber", PropType::Identifier, r, ctx);
        }
        if let Some(r) = ntry.text_at(&["NtryRef"]) {
            pay.add_typed("sequenceNumber", PropType::String, r, ctx);
        }
        // (without the account: text extraction would take its number for a mention)
        let mut notes = vec![format!(
            "{} {} on the statement",
            if credit { "CRDT" } else { "DBIT" },
            status.unwrap_or("(no status)")
        )];
        if reversal {
            notes.push("a reversal (RvslInd)".into());
        }
        pay.add_typed("description", PropType::Text, &notes.join("; "), ctx);

        let mut fragments = vec![pay];
        for s in [payer, beneficiary] {
            fragments.extend(s.account);
            fragments.extend(s.holder);
        }
        // the entry as read, without the batch's other transactions
        let mut raw = String::with_capacity(ntry.end - ntry.start);
        let mut from = ntry.start;
        for other in txs.iter().filter(|o| o.start != here.start) {
            raw.push_str(&text[from..other.start]);
            from = other.end;
        }
        raw.push_str(&text[from..ntry.end]);
        out.push(Record {
            source: SourceRef {
                file: file.to_owned(),
                line,
                offset: (here.start + base) as u64,
            },
            raw,
            policy: policy.clone(),
            fragments,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_as_iso_20022_writes_them() {
        for ok in ["0", "12", "1250.50", "0.5"] {
            assert!(amount_ok(ok), "{ok}");
        }
        for bad in ["", "-5", "1,50", "12.", ".5", "1e3", "tolv"] {
            assert!(!amount_ok(bad), "{bad}");
        }
    }
}
