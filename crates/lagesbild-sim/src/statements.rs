//! The bank transfers as the banks hand them over on a production order: ISO 20022 camt.053
//! statements of the accounts of the networks' money mules and leaders, one file per bank
//! (`statements-<n>.xml`, banks in the order of their clearing code) with one statement per
//! account over the whole period. A transfer is a debit (`DBIT`) on the payer's statement and a
//! credit (`CRDT`) on the payee's, where the account is one of those; the end-to-end id is the
//! transfer's id in `transfers.csv`. Odd-numbered files are written as camt.053.001.02, even
//! ones as .001.08, so that both shapes are read.
//!
//! No random numbers are drawn here: the statements follow from the transfers alone, so adding
//! them changes nothing else the simulator writes.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs::File;
use std::io::Write as _;
use std::path::Path;

use crate::world::{Person, Role};
use crate::{Config, SimError, date};

/// A transfer between two people's accounts: (person, index of the account).
#[derive(Debug, Clone)]
pub(crate) struct Transfer {
    pub number: u64,
    pub month: u32,
    pub day: u32,
    pub from: (usize, usize),
    pub to: (usize, usize),
    pub amount: f64,
    pub text: &'static str,
}

/// Whether the bank is asked for this person's statements.
pub(crate) fn holds_statement(p: &Person) -> bool {
    matches!(p.role, Some(Role::MoneyMule | Role::Leader))
}

/// The bank of a Swedish IBAN's clearing code: BIC and name.
fn bank(code: &str) -> (&'static str, &'static str) {
    match code {
        "500" => ("ESSESESS", "SEB"),
        "300" => ("NDEASESS", "Nordea"),
        "800" => ("SWEDSESS", "Swedbank"),
        "600" => ("HANDSESS", "Handelsbanken"),
        "120" => ("DABASESX", "Danske Bank"),
        _ => ("NOTPROVIDED", "okänd bank"),
    }
}

/// Text as XML and HTML take it (`&`, `<`, `>`, quotes as entities).
pub(crate) fn escape(s: &str) -> String {
    quick_xml::escape::escape(s).into_owned()
}

/// One entry of a statement: one transaction, a batch of debits booked together, or the
/// reversal of a credit.
struct Booking {
    month: u32,
    day: u32,
    /// (transfer, whether a credit to the statement's account)
    txs: Vec<(usize, bool)>,
    reversal: bool,
}

/// At most this many payments are booked as one batch.
const BATCH: usize = 5;

/// The bookings of an account's entries (sorted by date): the debits of one day are booked as
/// one batch; about one credit in ninety from someone whose bank is not asked (a street dealer)
/// is sent back by the bank a few days later, as a reversal.
fn bookings(entries: &[(usize, bool)], transfers: &[Transfer], people: &[Person]) -> Vec<Booking> {
    let mut out: Vec<Booking> = Vec::new();
    for &(i, credit) in entries {
        let t = &transfers[i];
        if let Some(last) = out.last_mut()
            && !credit
            && !last.reversal
            && !last.txs[0].1
            && (last.month, last.day) == (t.month, t.day)
            && last.txs.len() < BATCH
        {
            last.txs.push((i, credit));
            continue;
        }
        out.push(Booking {
            month: t.month,
            day: t.day,
            txs: vec![(i, credit)],
            reversal: false,
        });
        if credit && !holds_statement(&people[t.from.0]) && t.number.is_multiple_of(89) {
            out.push(Booking {
                month: t.month,
                day: (t.day + 3).min(28),
                txs: vec![(i, credit)],
                reversal: true,
            });
        }
    }
    out
}

/// Account → (its holder, its entries as (transfer, whether a credit)).
type Statements<'a> = BTreeMap<&'a str, (usize, Vec<(usize, bool)>)>;

/// Writes the statements; returns each file's name and number of transactions.
pub(crate) fn write(
    out: &Path,
    cfg: &Config,
    people: &[Person],
    transfers: &[Transfer],
) -> Result<Vec<(String, u64)>, SimError> {
    let account = |(p, a): (usize, usize)| people[p].accounts[a].as_str();
    let mut statements: Statements = BTreeMap::new();
    for (i, t) in transfers.iter().enumerate() {
        for (side, credit) in [(t.from, false), (t.to, true)] {
            if holds_statement(&people[side.0]) {
                statements
                    .entry(account(side))
                    .or_insert_with(|| (side.0, Vec::new()))
                    .1
                    .push((i, credit));
            }
        }
    }
    // bank → accounts
    let mut banks: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for iban in statements.keys() {
        banks
            .entry(iban.get(4..7).unwrap_or(""))
            .or_default()
            .push(iban);
    }
    let from = date(cfg, 0, 1);
    let to = date(cfg, cfg.months.saturating_sub(1), 28);
    let mut written = Vec::new();
    for (n, (code, ibans)) in banks.iter().enumerate() {
        let n = n + 1;
        let v08 = n % 2 == 0;
        let (bic, bank_name) = bank(code);
        let version = if v08 { "08" } else { "02" };
        let name = format!("statements-{n}.xml");
        let path = out.join(&name);
        let io = |source| SimError::Write {
            path: path.clone(),
            source,
        };
        let mut file = std::io::BufWriter::with_capacity(1 << 16, File::create(&path).map_err(io)?);
        // each statement is written out once it is whole
        let mut x = String::new();
        let mut count = 0u64;
        let _ = write!(
            x,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.{version}\">\n\
             \x20 <BkToCstmrStmt>\n\
             \x20   <GrpHdr>\n\
             \x20     <MsgId>{bic}-{seed}-{n}</MsgId>\n\
             \x20     <CreDtTm>{to}T23:59:59</CreDtTm>\n\
             \x20   </GrpHdr>\n",
            seed = cfg.seed
        );
        for iban in ibans {
            let (holder, entries) = &statements[iban];
            let mut entries = entries.clone();
            entries.sort_by_key(|(i, credit)| {
                let t = &transfers[*i];
                (t.month, t.day, t.number, *credit)
            });
            let booked = bookings(&entries, transfers, people);
            let balance: f64 = booked
                .iter()
                .flat_map(|b| b.txs.iter().map(move |tx| (b.reversal, tx)))
                .map(|(reversal, (i, c))| {
                    if *c != reversal {
                        transfers[*i].amount
                    } else {
                        -transfers[*i].amount
                    }
                })
                .sum();
            let balance_ind = if balance < 0.0 { "DBIT" } else { "CRDT" };
            let bic_tag = if v08 { "BICFI" } else { "BIC" };
            let _ = write!(
                x,
                "    <Stmt>\n\
                 \x20     <Id>{iban}-{from}</Id>\n\
                 \x20     <CreDtTm>{to}T23:59:59</CreDtTm>\n\
                 \x20     <FrToDt><FrDtTm>{from}T00:00:00</FrDtTm><ToDtTm>{to}T23:59:59</ToDtTm></FrToDt>\n\
                 \x20     <Acct>\n\
                 \x20       <Id><IBAN>{iban}</IBAN></Id>\n\
                 \x20       <Ccy>SEK</Ccy>\n\
                 \x20       <Ownr><Nm>{owner}</Nm></Ownr>\n\
                 \x20       <Svcr><FinInstnId><{bic_tag}>{bic}</{bic_tag}><Nm>{bank_name}</Nm></FinInstnId></Svcr>\n\
                 \x20     </Acct>\n\
                 \x20     <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"SEK\">0.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>{from}</Dt></Dt></Bal>\n\
                 \x20     <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"SEK\">{abs:.2}</Amt><CdtDbtInd>{balance_ind}</CdtDbtInd><Dt><Dt>{to}</Dt></Dt></Bal>\n",
                owner = escape(&people[*holder].name()),
                abs = balance.abs(),
            );
            for (k, booking) in booked.iter().enumerate() {
                let (i, credit) = booking.txs[0];
                let t = &transfers[i];
                let when = date(cfg, booking.month, booking.day);
                // a reversal books against the original: a credit comes back as a debit
                let ind = if credit != booking.reversal {
                    "CRDT"
                } else {
                    "DBIT"
                };
                let sts = if v08 {
                    "<Sts><Cd>BOOK</Cd></Sts>"
                } else {
                    "<Sts>BOOK</Sts>"
                };
                let (family, sub_family) = match (credit, booking.reversal) {
                    (_, true) => ("RCDT", "RRTN"),
                    (true, false) => ("RCDT", "DMCT"),
                    (false, false) => ("ICDT", "DMCT"),
                };
                let total: u64 = booking
                    .txs
                    .iter()
                    .map(|(i, _)| transfers[*i].amount as u64)
                    .sum();
                let entry_ref = format!(
                    "{bic}-TR{:09}-{}{}",
                    t.number,
                    &ind[..1],
                    match (booking.reversal, booking.txs.len()) {
                        (true, _) => "R",
                        (false, 1) => "",
                        _ => "B",
                    }
                );
                let reversal = if booking.reversal {
                    "\n        <RvslInd>true</RvslInd>"
                } else {
                    ""
                };
                let batch = if booking.txs.len() > 1 {
                    format!(
                        "          <Btch><NbOfTxs>{}</NbOfTxs></Btch>\n",
                        booking.txs.len()
                    )
                } else {
                    String::new()
                };
                let _ = write!(
                    x,
                    "      <Ntry>\n\
                     \x20       <NtryRef>{k1}</NtryRef>\n\
                     \x20       <Amt Ccy=\"SEK\">{total}.00</Amt>\n\
                     \x20       <CdtDbtInd>{ind}</CdtDbtInd>{reversal}\n\
                     \x20       {sts}\n\
                     \x20       <BookgDt><Dt>{when}</Dt></BookgDt>\n\
                     \x20       <ValDt><Dt>{when}</Dt></ValDt>\n\
                     \x20       <AcctSvcrRef>{entry_ref}</AcctSvcrRef>\n\
                     \x20       <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>{family}</Cd><SubFmlyCd>{sub_family}</SubFmlyCd></Fmly></Domn></BkTxCd>\n\
                     \x20       <NtryDtls>\n\
                     {batch}",
                    k1 = k + 1,
                );
                for (i, credit) in &booking.txs {
                    let t = &transfers[*i];
                    let id = format!("TR{:09}", t.number);
                    let svcr_ref = format!("{bic}-{id}-{}", &ind[..1]);
                    // whole kronor: the transfers are rounded
                    let amount = format!("{}.00", t.amount as u64);
                    let tx_amount = if v08 {
                        format!(
                            "<Amt Ccy=\"SEK\">{amount}</Amt>\n\
                             \x20           <CdtDbtInd>{ind}</CdtDbtInd>"
                        )
                    } else {
                        format!("<AmtDtls><TxAmt><Amt Ccy=\"SEK\">{amount}</Amt></TxAmt></AmtDtls>")
                    };
                    // the other side: who paid a credit, who received a debit (a reversal keeps
                    // the parties of the original booking)
                    let (party, other) = if *credit {
                        ("Dbtr", t.from)
                    } else {
                        ("Cdtr", t.to)
                    };
                    let name = escape(&people[other.0].name());
                    let name = if v08 {
                        format!("<Pty><Nm>{name}</Nm></Pty>")
                    } else {
                        format!("<Nm>{name}</Nm>")
                    };
                    let other_iban = account(other);
                    let remittance = if t.text.is_empty() {
                        String::new()
                    } else {
                        format!(
                            "            <RmtInf><Ustrd>{}</Ustrd></RmtInf>\n",
                            escape(t.text)
                        )
                    };
                    let _ = write!(
                        x,
                        "          <TxDtls>\n\
                         \x20           <Refs><AcctSvcrRef>{svcr_ref}</AcctSvcrRef><EndToEndId>{id}</EndToEndId></Refs>\n\
                         \x20           {tx_amount}\n\
                         \x20           <RltdPties>\n\
                         \x20             <{party}>{name}</{party}>\n\
                         \x20             <{party}Acct><Id><IBAN>{other_iban}</IBAN></Id></{party}Acct>\n\
                         \x20           </RltdPties>\n\
                         {remittance}\
                         \x20         </TxDtls>\n"
                    );
                    count += 1;
                }
                x.push_str("        </NtryDtls>\n      </Ntry>\n");
            }
            x.push_str("    </Stmt>\n");
            file.write_all(x.as_bytes()).map_err(io)?;
            x.clear();
        }
        x.push_str("  </BkToCstmrStmt>\n</Document>\n");
        file.write_all(x.as_bytes()).map_err(io)?;
        file.flush().map_err(io)?;
        written.push((name, count));
    }
    Ok(written)
}
