//! Person records from CSV files: columns recognised from common header names (English and
//! Swedish: `first_name`/`förnamn`, `birth_date`/`född`, `phone`/`telefon`, …) or named by a
//! mapping; the delimiter guessed from the header; text that is not UTF-8 named by file and
//! line. And records written back as CSV (the synthetic data with its truth).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use crate::record::Record;
use crate::text::fold_name;

/// The fields of a [`Record`] a column can fill.
pub const FIELDS: &[&str] = &[
    "id",
    "first_name",
    "last_name",
    "name",
    "birth_date",
    "personnummer",
    "phone",
    "email",
    "street",
    "postcode",
    "city",
    "handle",
    "account",
    "plate",
];

/// Header names recognised per field, folded (lower case, å/ä/ö as a/a/o, no punctuation).
const HEADERS: &[(&str, &[&str])] = &[
    (
        "id",
        &[
            "id",
            "recordid",
            "uniqueid",
            "personid",
            "lopnr",
            "lopnummer",
            "rowid",
            "key",
        ],
    ),
    (
        "first_name",
        &[
            "firstname",
            "fornamn",
            "givenname",
            "forename",
            "tilltalsnamn",
            "first",
        ],
    ),
    (
        "last_name",
        &["lastname", "efternamn", "surname", "familyname", "last"],
    ),
    (
        "name",
        &["name", "namn", "fullname", "fulltnamn", "personname"],
    ),
    (
        "birth_date",
        &[
            "birthdate",
            "dateofbirth",
            "dob",
            "fodd",
            "fodelsedatum",
            "fodelsedag",
            "born",
            "birthday",
            "fodelsear",
        ],
    ),
    (
        "personnummer",
        &[
            "personnummer",
            "pnr",
            "personalnumber",
            "personalidentitynumber",
            "ssn",
            "samordningsnummer",
            "personnr",
        ],
    ),
    (
        "phone",
        &[
            "phone",
            "telefon",
            "tel",
            "telephone",
            "mobile",
            "mobil",
            "mobilnummer",
            "telefonnummer",
            "phonenumber",
            "mobilnr",
            "telnr",
        ],
    ),
    (
        "email",
        &["email", "epost", "mail", "emailaddress", "epostadress"],
    ),
    (
        "street",
        &[
            "street",
            "address",
            "adress",
            "gatuadress",
            "streetaddress",
            "utdelningsadress",
            "gata",
        ],
    ),
    (
        "postcode",
        &[
            "postcode",
            "postnummer",
            "zip",
            "zipcode",
            "postalcode",
            "postnr",
        ],
    ),
    (
        "city",
        &["city", "ort", "postort", "town", "stad", "kommun"],
    ),
    (
        "handle",
        &["handle", "alias", "username", "anvandarnamn", "nick"],
    ),
    (
        "account",
        &[
            "account",
            "konto",
            "iban",
            "kontonummer",
            "bankaccount",
            "wallet",
            "swish",
            "swishnummer",
        ],
    ),
    (
        "plate",
        &[
            "plate",
            "regnr",
            "registreringsnummer",
            "registrationnumber",
            "licenseplate",
        ],
    ),
];

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CsvError {
    #[error("{file}: {source}")]
    Io {
        file: String,
        source: std::io::Error,
    },
    #[error("{file}: the file is empty (no header line)")]
    Empty { file: String },
    #[error("{file}: the file has a header but no records")]
    NoRecords { file: String },
    #[error(
        "{file} line {line}: not UTF-8 text (byte 0x{byte:02X} in column '{column}'); it looks \
         like Latin-1 or Windows-1252: pass --encoding latin-1 or convert the file to UTF-8"
    )]
    Encoding {
        file: String,
        line: u64,
        column: String,
        byte: u8,
    },
    #[error(
        "{file}: no column gives a name (looked for first_name/förnamn, last_name/efternamn, \
         name/namn); the columns are: {found}; name them with --mapping"
    )]
    NoName { file: String, found: String },
    #[error(
        "{file}: the mapping names column '{column}' for {field}, but the header has no such column; the columns are: {found}"
    )]
    MappingColumn {
        file: String,
        field: String,
        column: String,
        found: String,
    },
    #[error("the mapping has an unknown field '{0}' (known: {known})", known = FIELDS.join(", "))]
    MappingField(String),
    #[error("{file} line {line}: {message}")]
    Csv {
        file: String,
        line: u64,
        message: String,
    },
}

/// The text encoding of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    #[default]
    Utf8,
    /// ISO 8859-1 (each byte one character).
    Latin1,
}

/// Which columns fill which field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Columns {
    /// Field name → column indices.
    pub fields: BTreeMap<String, Vec<usize>>,
    pub header: Vec<String>,
}

impl Columns {
    /// The columns as `field: header, header` lines.
    pub fn describe(&self) -> String {
        self.fields
            .iter()
            .map(|(f, cols)| {
                let names: Vec<&str> = cols.iter().map(|c| self.header[*c].as_str()).collect();
                format!("{f}: {}", names.join(", "))
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

fn header_key(h: &str) -> String {
    fold_name(h)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

/// Recognises the columns of `header`; `mapping` (field → column names) overrides.
pub fn recognise(
    file: &str,
    header: &[String],
    mapping: &BTreeMap<String, Vec<String>>,
) -> Result<Columns, CsvError> {
    let mut fields: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (field, cols) in mapping {
        if !FIELDS.contains(&field.as_str()) {
            return Err(CsvError::MappingField(field.clone()));
        }
        for c in cols {
            let idx = header
                .iter()
                .position(|h| h == c)
                .or_else(|| header.iter().position(|h| h.eq_ignore_ascii_case(c)))
                .ok_or_else(|| CsvError::MappingColumn {
                    file: file.into(),
                    field: field.clone(),
                    column: c.clone(),
                    found: header.join(", "),
                })?;
            fields.entry(field.clone()).or_default().push(idx);
        }
    }
    for (i, h) in header.iter().enumerate() {
        if mapping
            .values()
            .flatten()
            .any(|c| c.eq_ignore_ascii_case(h))
        {
            continue;
        }
        let key = header_key(h);
        // `phone2`, `telefon_3`: a list field's extra columns
        let base = key.trim_end_matches(|c: char| c.is_ascii_digit());
        let found = HEADERS.iter().find(|(_, names)| {
            names.contains(&key.as_str())
                || names.iter().any(|n| {
                    key.len() > n.len() + 1 && key.ends_with(n) && n.len() >= 4 && key != *n
                })
                || names.contains(&base)
        });
        if let Some((field, _)) = found
            && !mapping.contains_key(*field)
        {
            fields.entry((*field).to_owned()).or_default().push(i);
        }
    }
    // `seizure_id`, `report_id`: the first column named like an id, when none is plainly one
    if !fields.contains_key("id")
        && let Some(i) = header.iter().position(|h| {
            let k = header_key(h);
            k.len() > 2 && k.ends_with("id") && h.to_lowercase().ends_with("id")
        })
    {
        fields.insert("id".into(), vec![i]);
    }
    // a single-valued field keeps its first column
    for f in [
        "id",
        "first_name",
        "last_name",
        "name",
        "birth_date",
        "personnummer",
        "street",
        "postcode",
        "city",
    ] {
        if let Some(v) = fields.get_mut(f) {
            v.truncate(1);
        }
    }
    if !["first_name", "last_name", "name"]
        .iter()
        .any(|f| fields.contains_key(*f))
    {
        return Err(CsvError::NoName {
            file: file.into(),
            found: header.join(", "),
        });
    }
    Ok(Columns {
        fields,
        header: header.to_vec(),
    })
}

fn guess_delimiter(first_line: &[u8]) -> u8 {
    let count = |d: u8| first_line.iter().filter(|b| **b == d).count();
    [b',', b';', b'\t', b'|']
        .into_iter()
        .max_by_key(|d| count(*d))
        .unwrap_or(b',')
}

fn decode(
    bytes: &[u8],
    encoding: Encoding,
    file: &str,
    line: u64,
    column: &str,
) -> Result<String, CsvError> {
    match encoding {
        Encoding::Latin1 => Ok(bytes.iter().map(|b| char::from(*b)).collect()),
        Encoding::Utf8 => match std::str::from_utf8(bytes) {
            Ok(s) => Ok(s.to_owned()),
            Err(e) => Err(CsvError::Encoding {
                file: file.into(),
                line,
                column: column.into(),
                byte: bytes[e.valid_up_to()],
            }),
        },
    }
}

/// Reads the person records of a CSV file. Records without an id column get their line number
/// as id.
pub fn read(
    path: &Path,
    mapping: &BTreeMap<String, Vec<String>>,
    encoding: Encoding,
) -> Result<(Vec<Record>, Columns), CsvError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| CsvError::Io {
        file: file.clone(),
        source,
    })?;
    read_bytes(&file, &bytes, mapping, encoding)
}

/// As [`read`], from the bytes of the file named `file` (for messages).
pub fn read_bytes(
    file: &str,
    bytes: &[u8],
    mapping: &BTreeMap<String, Vec<String>>,
    encoding: Encoding,
) -> Result<(Vec<Record>, Columns), CsvError> {
    let file = file.to_owned();
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first_line = bytes.split(|b| *b == b'\n').next().unwrap_or(&[]);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(CsvError::Empty { file });
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(guess_delimiter(first_line))
        .has_headers(false)
        .flexible(false)
        .from_reader(bytes);
    let mut rows = reader.byte_records();
    let csv_err = |e: csv::Error, file: &str| {
        let line = e.position().map_or(0, |p| p.line());
        CsvError::Csv {
            file: file.into(),
            line,
            message: match e.kind() {
                csv::ErrorKind::UnequalLengths {
                    expected_len, len, ..
                } => format!("{len} fields where the header has {expected_len}"),
                _ => e.to_string(),
            },
        }
    };
    let head = match rows.next() {
        None => return Err(CsvError::Empty { file }),
        Some(r) => r.map_err(|e| csv_err(e, &file))?,
    };
    let header: Vec<String> = head
        .iter()
        .enumerate()
        .map(|(i, h)| decode(h, encoding, &file, 1, &format!("#{}", i + 1)))
        .collect::<Result<_, _>>()?;
    let header: Vec<String> = header.into_iter().map(|h| h.trim().to_owned()).collect();
    let cols = recognise(&file, &header, mapping)?;
    let mut out = Vec::new();
    for row in rows {
        let row = row.map_err(|e| csv_err(e, &file))?;
        let line = row.position().map_or(0, |p| p.line());
        if row.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        let mut r = Record::default();
        for (field, idx) in &cols.fields {
            for &c in idx {
                let raw = row.get(c).unwrap_or(&[]);
                let v = decode(raw, encoding, &file, line, &header[c])?;
                let v = v.trim();
                if v.is_empty() {
                    continue;
                }
                let list = |target: &mut Vec<String>| {
                    target.extend(
                        v.split(['|', ';'])
                            .map(str::trim)
                            .filter(|s| !s.is_empty())
                            .map(str::to_owned),
                    );
                };
                match field.as_str() {
                    "id" => r.id = v.to_owned(),
                    "first_name" => r.first_name = v.to_owned(),
                    "last_name" => r.last_name = v.to_owned(),
                    "name" => r.full_name = v.to_owned(),
                    "birth_date" => r.birth_date = v.to_owned(),
                    "personnummer" => r.personnummer = v.to_owned(),
                    "phone" => list(&mut r.phones),
                    "email" => list(&mut r.emails),
                    "street" => r.street = v.to_owned(),
                    "postcode" => r.postcode = v.to_owned(),
                    "city" => r.city = v.to_owned(),
                    "handle" => list(&mut r.handles),
                    "account" => list(&mut r.accounts),
                    "plate" => list(&mut r.plates),
                    _ => {}
                }
            }
        }
        if r.id.is_empty() {
            r.id = line.to_string();
        }
        out.push(r);
    }
    if out.is_empty() {
        return Err(CsvError::NoRecords { file });
    }
    Ok((out, cols))
}

/// Writes records as CSV with the columns the synthetic data uses (and a `cluster` column of
/// the truth when given).
pub fn write(path: &Path, records: &[Record], truth: Option<&[u64]>) -> std::io::Result<()> {
    let f = std::fs::File::create(path)?;
    let mut w = csv::Writer::from_writer(std::io::BufWriter::new(f));
    let mut header = vec![
        "id",
        "first_name",
        "last_name",
        "birth_date",
        "personnummer",
        "phone",
        "email",
        "street",
        "postcode",
        "city",
    ];
    if truth.is_some() {
        header.push("cluster");
    }
    w.write_record(&header)?;
    for (i, r) in records.iter().enumerate() {
        let mut row = vec![
            r.id.clone(),
            r.first_name.clone(),
            r.last_name.clone(),
            r.birth_date.clone(),
            r.personnummer.clone(),
            r.phones.join("|"),
            r.emails.join("|"),
            r.street.clone(),
            r.postcode.clone(),
            r.city.clone(),
        ];
        if let Some(t) = truth {
            row.push(t[i].to_string());
        }
        w.write_record(&row)?;
    }
    w.flush()?;
    let mut inner = w.into_inner().map_err(|e| e.into_error())?;
    inner.flush()
}
