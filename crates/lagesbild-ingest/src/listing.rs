//! Online drug-listing pages as saved HTML, in three layouts: schema.org `Product`s as microdata
//! (WHATWG HTML, "Microdata") or as JSON-LD (`<script type="application/ld+json">`: a Product,
//! an array, an `@graph`, an `ItemList` or a page's `mainEntity`), and the public web preview of
//! a Telegram channel (`https://t.me/s/CHANNEL`), where each post is a listing.
//!
//! Each listing becomes a record holding a `Listing` and its vendor's `UserAccount`, linked by
//! the listing's `vendor`. A Product gives `title` (and `name`) from `name`, `description`,
//! `substance` from `category` as written, `url` from `url`, `itemid` or `@id`, `recordId` from
//! `sku`/`productID`; each of its offers (an Offer, an array, an AggregateOffer's `lowPrice` and
//! `highPrice` and the offers it holds) gives `priceAmount`, `currency` and the money `price`,
//! `quantity` and `unit` (`eligibleQuantity`; UN/CEFACT codes such as `GRM` as `g`), the
//! `seller` (an account: `service` the market, `username` and `name` the seller's name),
//! `shipsFrom`/`shipsTo` (`shippingDetails`, `availableAtOrFrom`, `eligibleRegion`,
//! `areaServed`: countries; a place that names no country goes to `notes`), `startDate`
//! (`validFrom`) and `endDate` (`priceValidUntil`); `aggregateRating` gives `feedback`
//! (`4.8/5 (212 reviews)`). A Telegram post gives `title` (its first line), `description` (its
//! text, `<br>` as line breaks), `url`, `date`, `feedback` (`1.2K views`), `notes` (forwarded
//! from, in reply to, photos) and the channel's account (`service` `Telegram`, as the Telegram
//! export reader writes it, `username` from `data-post`, `name` the channel's title); prices in
//! its text are left to text extraction.
//!
//! The record's raw text is the listing as read: the product element's outer HTML as the parser
//! serialises it (followed by that of the elements its `itemref` names), the JSON-LD block's text
//! when the block is that one Product (else the Product's JSON, compact), or the post's outer HTML.
//! Its place is the 1-based line and byte offset in the file of the element's start tag (the
//! `<script>` tag for JSON-LD). The parser (html5ever, through scraper) gives no places, so the
//! reader scans the source for start tags the way the HTML tokenizer does (skipping comments and
//! the text of `script`, `style`, `textarea`…) and walks them in step with the parsed elements in
//! the order the parser created them, which is the order of their start tags, matching each by name
//! and attributes.
//!
//! The market is the page's `og:site_name`, else the host of its canonical URL (`<link
//! rel=canonical>`, `og:url`) or `<base href>`, else the file's name without its extension; a
//! Telegram post's market is `t.me`. Ids (see [`account_id`] and [`listing_id`]) are hashes of
//! the market with the vendor's name, and of the market with the listing's URL (else its SKU and
//! vendor, else its title, vendor and position in the file): the same vendor on two pages of a
//! market is one account, and the same name on two markets is two, for entity resolution to
//! judge.
//!
//! The whole page is read before any record is returned. A page that is not UTF-8 is read in
//! the single-byte charset it declares (`<meta charset=windows-1252>`, `iso-8859-1`…), else it
//! is an error naming the byte; malformed JSON-LD is an error naming the line of its block; a
//! page with no listing in any layout is an error. A Product without name or offer is still
//! read, with what it has; a Telegram post with only a photo is a listing without title.

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use scraper::node::Element;
use scraper::{ElementRef, Html, Node, Selector};
use serde_json::{Map, Value};
use sha1::{Digest, Sha1};

use lagesbild_model::types::{country_code, parse_money};
use lagesbild_model::{Context, Fragment, Policy, PropType, Record, SourceRef};

use crate::error::{IngestError, Lines};

/// How deep microdata items may nest in one another.
const MAX_ITEM_DEPTH: usize = 32;

/// How deep offers may nest (an `AggregateOffer` holding offers).
const MAX_OFFER_DEPTH: usize = 4;

/// The error of a page without listings.
pub const NO_LISTING: &str = "no listing found: expected schema.org Product as microdata or \
                              JSON-LD, or a Telegram channel preview";

/// The key of a microdata item's element in its JSON form.
const ELEMENT_KEY: &str = "@element";

/// Reads a listing page (all of it; see the module comment) and returns its records.
pub fn read(
    file: &str,
    mut input: impl Read,
    policy: Arc<Policy>,
    ctx: &Context,
) -> Result<Vec<Record>, IngestError> {
    let mut bytes = Vec::new();
    input
        .read_to_end(&mut bytes)
        .map_err(|e| IngestError::new(file, format!("cannot read: {e}")))?;
    let page_text = decode(file, &bytes)?;
    let text = page_text.text.as_str();
    let lines = Lines::new(text, 0);
    let doc = Html::parse_document(text);
    let tags = start_tags(text);
    let page = Page::of(&doc, file);

    // the elements that hold listings, in the three layouts
    let scripts: Vec<ElementRef> = doc
        .select(&selector("script"))
        .filter(|s| is_json_ld(s.value()))
        .collect();
    let posts: Vec<ElementRef> = doc
        .select(&selector("div.tgme_widget_message[data-post]"))
        .collect();
    let md = Microdata::read(&doc).map_err(|(el, msg)| {
        let at = Placer::new(&tags).place(el.value()).unwrap_or(0);
        IngestError::new(file, msg)
            .at(lines.of(at))
            .field("itemscope")
    })?;
    let none = Graph::default();
    let mut md_products: Vec<&Value> = Vec::new();
    for item in &md.top {
        md_products.extend(products(item, &none));
    }
    let md_element = |p: &Value| {
        p.get(ELEMENT_KEY)
            .and_then(Value::as_u64)
            .and_then(|i| md.elements.get(i as usize))
            .copied()
    };

    // where each of those elements starts in the file
    let mut targets: Vec<ElementRef> = scripts.iter().chain(&posts).copied().collect();
    targets.extend(md_products.iter().filter_map(|p| md_element(p)));
    targets.sort_by_key(|e| e.id());
    targets.dedup_by_key(|e| e.id());
    let mut placer = Placer::new(&tags);
    let mut offsets = HashMap::new();
    let mut last = 0;
    for el in targets {
        // (an element the scan cannot find takes the place of the one before it)
        last = placer.place(el.value()).unwrap_or(last);
        offsets.insert(el.id(), last);
    }
    let offset_of = |el: ElementRef| offsets.get(&el.id()).copied().unwrap_or(0);

    // the JSON-LD blocks, parsed before any is read so that a bad one fails the page
    let mut blocks: Vec<(ElementRef, String, Value)> = Vec::new();
    for s in &scripts {
        let body: String = s.text().collect();
        let json = strip_comment_wrapper(body.trim());
        if json.is_empty() {
            continue;
        }
        let value: Value = serde_json::from_str(json).map_err(|e| {
            IngestError::new(
                file,
                format!(
                    "malformed JSON-LD in this <script type=\"application/ld+json\"> block: {e} \
                     (line {} column {} of the block)",
                    e.line(),
                    e.column()
                ),
            )
            .at(lines.of(offset_of(*s)))
            .field("script")
        })?;
        blocks.push((*s, json.to_owned(), value));
    }
    let graphs: Vec<Graph> = blocks.iter().map(|b| Graph::new(&b.2)).collect();

    let mut found: Vec<Found> = Vec::new();
    for p in &md_products {
        let Some(el) = md_element(p) else { continue };
        let mut raw = el.html();
        for r in md.refs_of(p) {
            raw.push('\n');
            raw.push_str(&r.html());
        }
        found.push(Found {
            offset: offset_of(el),
            raw,
            what: What::Product(p, &none),
        });
    }
    for ((script, json, value), graph) in blocks.iter().zip(&graphs) {
        for p in products(value, graph) {
            let raw = if std::ptr::eq(p, value) {
                json.clone()
            } else {
                p.to_string()
            };
            found.push(Found {
                offset: offset_of(*script),
                raw,
                what: What::Product(p, graph),
            });
        }
    }
    for post in &posts {
        found.push(Found {
            offset: offset_of(*post),
            raw: post.html(),
            what: What::Post(*post),
        });
    }
    if found.is_empty() {
        return Err(IngestError::new(file, NO_LISTING));
    }
    found.sort_by_key(|f| f.offset);

    let mut bytes_at = ByteOffsets::default();
    let mut out = Vec::with_capacity(found.len());
    for (k, f) in found.into_iter().enumerate() {
        let fragments = match f.what {
            What::Product(p, graph) => product(p, graph, &page, k + 1, ctx),
            What::Post(post) => telegram_post(post, &page, ctx),
        };
        out.push(Record {
            source: SourceRef {
                file: file.to_owned(),
                line: lines.of(f.offset),
                offset: bytes_at.file_offset(&page_text, f.offset),
            },
            raw: f.raw,
            policy: policy.clone(),
            fragments,
        });
    }
    Ok(out)
}

/// The id of a vendor's account: `listing-account-` and the SHA-1 (hex) of the market and the
/// vendor's name, each trimmed, whitespace collapsed and lower-cased, joined by a NUL byte. So
/// names that differ only in case or spacing are one account on one market, and a name on two
/// markets is two.
pub fn account_id(market: &str, vendor: &str) -> String {
    format!("listing-account-{}", hash(&[&key(market), &key(vendor)]))
}

/// What identifies a listing on its market.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListingKey<'a> {
    /// Its URL, as given (resolved against the page's URL when relative).
    Url(&'a str),
    /// Its SKU or product id with the vendor's name.
    Sku { sku: &'a str, vendor: &'a str },
    /// Its title and vendor's name and its 1-based position among the file's listings.
    Position {
        title: &'a str,
        vendor: &'a str,
        index: usize,
    },
}

/// The id of a listing: `listing-` and the SHA-1 (hex) of the market (as in [`account_id`]) and
/// the key: `url` and the URL; `sku`, the vendor (as in [`account_id`]) and the SKU; or
/// `title`, the title, the vendor and the position in decimal; all joined by NUL bytes.
pub fn listing_id(market: &str, k: ListingKey) -> String {
    let market = key(market);
    let h = match k {
        ListingKey::Url(u) => hash(&[&market, "url", u.trim()]),
        ListingKey::Sku { sku, vendor } => hash(&[&market, "sku", &key(vendor), sku.trim()]),
        ListingKey::Position {
            title,
            vendor,
            index,
        } => hash(&[
            &market,
            "title",
            title.trim(),
            &key(vendor),
            &index.to_string(),
        ]),
    };
    format!("listing-{h}")
}

/// The items of a page's microdata (top-level items: `itemscope` elements that are not a
/// property), as JSON in the shape of JSON-LD: `@type` (the `itemtype` tokens), `@id` (the
/// `itemid`) and every property as an array of its values, text or nested items, in tree
/// order. Property names given as URLs are shortened to their last segment. None when items
/// nest more than 32 deep (the reader refuses such a page, naming the line).
pub fn microdata(html: &str) -> Vec<Value> {
    let doc = Html::parse_document(html);
    match Microdata::read(&doc) {
        Ok(md) => md
            .top
            .into_iter()
            .map(|mut v| {
                strip_element_keys(&mut v);
                v
            })
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// Whether a file's first bytes are an HTML document: `<!DOCTYPE html` or `<html`, after a
/// byte-order mark, white space and comments.
pub(crate) fn looks_like_html(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head);
    let mut rest = text.trim_start_matches('\u{feff}');
    loop {
        rest = rest.trim_start();
        match rest.strip_prefix("<!--") {
            Some(r) => match r.find("-->") {
                Some(end) => rest = &r[end + 3..],
                None => return false,
            },
            None => break,
        }
    }
    let lower = rest
        .get(..rest.len().min(14))
        .unwrap_or_default()
        .to_ascii_lowercase();
    lower.starts_with("<!doctype html")
        || (lower.starts_with("<html")
            && lower[5..]
                .chars()
                .next()
                .is_none_or(|c| c.is_ascii_whitespace() || c == '>'))
}

/// A listing found: where its element starts (in the decoded text), its raw text, and what to
/// read it from.
struct Found<'a> {
    offset: usize,
    raw: String,
    what: What<'a>,
}

enum What<'a> {
    Product(&'a Value, &'a Graph<'a>),
    Post(ElementRef<'a>),
}

fn selector(s: &str) -> Selector {
    Selector::parse(s).expect("the reader's selectors are valid")
}

// ---------------------------------------------------------------------------------------------
// Decoding

/// The page's text and how to map its offsets back to the file's bytes.
#[derive(Debug)]
struct Decoded {
    text: String,
    /// Bytes before the text (a UTF-8 byte-order mark).
    bom: usize,
    /// Read in a single-byte charset: a character of the text is a byte of the file.
    single_byte: bool,
}

/// Maps offsets of the decoded text to offsets of the file, for increasing offsets.
#[derive(Default)]
struct ByteOffsets {
    at: usize,
    chars: usize,
}

impl ByteOffsets {
    fn file_offset(&mut self, d: &Decoded, offset: usize) -> u64 {
        if !d.single_byte {
            return (offset + d.bom) as u64;
        }
        if offset < self.at {
            self.at = 0;
            self.chars = 0;
        }
        self.chars += d.text.get(self.at..offset).map_or(0, |s| s.chars().count());
        self.at = offset;
        self.chars as u64
    }
}

/// UTF-8, or when the bytes are not UTF-8 (and begin with no UTF-8 byte-order mark) the
/// single-byte charset the page declares.
fn decode(file: &str, bytes: &[u8]) -> Result<Decoded, IngestError> {
    let (bom, body) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (3, rest),
        None => (0, bytes),
    };
    let err = match std::str::from_utf8(body) {
        Ok(s) => {
            return Ok(Decoded {
                text: s.to_owned(),
                bom,
                single_byte: false,
            });
        }
        Err(e) => e,
    };
    // (a byte-order mark says UTF-8 whatever the page declares, as in browsers)
    let declared = (bom == 0)
        .then(|| declared_charset(&body[..body.len().min(4096)]))
        .flatten();
    if let Some(label) = &declared
        && let Some(enc) = encoding_rs::Encoding::for_label(label.as_bytes())
        && enc != encoding_rs::UTF_8
    {
        if !enc.is_single_byte() {
            return Err(IngestError::new(
                file,
                format!(
                    "the page declares charset {label:?}, which this reader does not read (it \
                     reads UTF-8 and single-byte charsets such as windows-1252 or iso-8859-1): \
                     convert the page to UTF-8"
                ),
            ));
        }
        let (text, _) = enc.decode_without_bom_handling(body);
        return Ok(Decoded {
            text: text.into_owned(),
            bom: 0,
            single_byte: true,
        });
    }
    let valid = err.valid_up_to();
    let line = body[..valid].iter().filter(|b| **b == b'\n').count() as u64 + 1;
    Err(IngestError::new(
        file,
        format!(
            "invalid UTF-8 at byte offset {} and no single-byte charset declared (<meta \
             charset=windows-1252>); convert the page to UTF-8",
            valid + bom
        ),
    )
    .at(line))
}

/// The charset a page's `<meta charset=…>` or `<meta http-equiv=content-type
/// content="…; charset=…">` declares, in its first bytes.
fn declared_charset(head: &[u8]) -> Option<String> {
    let lower = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(k) = find(&lower, from, b"<meta") {
        let end = lower[k..]
            .iter()
            .position(|b| *b == b'>')
            .map_or(lower.len(), |e| k + e);
        let tag = &lower[k..end];
        if let Some(c) = find(tag, 0, b"charset") {
            let rest = &tag[c + 7..];
            let rest = rest.trim_ascii_start();
            if let Some(rest) = rest.strip_prefix(b"=") {
                let rest = rest.trim_ascii_start();
                let rest = rest.strip_prefix(b"\"").unwrap_or(rest);
                let rest = rest.strip_prefix(b"'").unwrap_or(rest);
                let label: Vec<u8> = rest
                    .iter()
                    .copied()
                    .take_while(|b| !matches!(b, b'"' | b'\'' | b';' | b'/' | b'>') && !is_ws(*b))
                    .collect();
                if !label.is_empty() {
                    return Some(String::from_utf8_lossy(&label).into_owned());
                }
            }
        }
        from = end;
    }
    None
}

// ---------------------------------------------------------------------------------------------
// Places: start tags in the source

/// A start tag of the source: where its `<` is, its lower-case name and its attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Tag {
    start: usize,
    name: String,
    attrs: Vec<(String, String)>,
}

/// Elements whose content the tokenizer reads as text up to their end tag (`noscript` too: the
/// parser runs with scripting on, as browsers do).
const RAW_TEXT: &[&str] = &[
    "script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "textarea", "title",
];

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// The start tags of an HTML text in order, as the HTML tokenizer sees them: not those in
/// comments, doctypes or processing instructions, nor in the text of raw-text elements; a tag
/// cut short by the end of the text is none.
fn start_tags(text: &str) -> Vec<Tag> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(k) = b.get(i..).and_then(|r| r.iter().position(|c| *c == b'<')) {
        let at = i + k;
        let next = b.get(at + 1).copied();
        if b[at + 1..].starts_with(b"!--") {
            let body = at + 4;
            i = if b[body..].starts_with(b">") {
                body + 1
            } else if b[body..].starts_with(b"->") {
                body + 2
            } else {
                let close = find(b, body, b"-->").map(|e| e + 3);
                let bang = find(b, body, b"--!>").map(|e| e + 4);
                match (close, bang) {
                    (Some(c), Some(x)) => c.min(x),
                    (c, x) => c.or(x).unwrap_or(b.len()),
                }
            };
        } else if matches!(next, Some(b'!' | b'?'))
            || (next == Some(b'/') && !b.get(at + 2).is_some_and(u8::is_ascii_alphabetic))
        {
            // a doctype, bogus comment or `</` + non-letter: up to the next `>`
            i = b[at + 1..]
                .iter()
                .position(|c| *c == b'>')
                .map_or(b.len(), |e| at + 1 + e + 1);
        } else if next == Some(b'/') {
            match scan_tag(text, at + 2) {
                Some((_, end)) => i = end,
                None => break,
            }
        } else if next.is_some_and(|c| c.is_ascii_alphabetic()) {
            let Some((tag, end)) = scan_tag(text, at + 1) else {
                break;
            };
            i = end;
            let stop = tag.name == "plaintext";
            if RAW_TEXT.contains(&tag.name.as_str()) {
                i = end_tag(b, i, tag.name.as_bytes()).unwrap_or(b.len());
            }
            out.push(tag);
            if stop {
                break;
            }
        } else {
            i = at + 1;
        }
    }
    out
}

/// Reads a tag from its name at `p` (its `<` at `p - 1`, or `p - 2` for an end tag): the tag and
/// the offset after its `>`, `None` when the text ends first.
fn scan_tag(text: &str, mut p: usize) -> Option<(Tag, usize)> {
    let start = p.saturating_sub(1);
    let b = text.as_bytes();
    let n = b.len();
    let s = p;
    while p < n && !is_ws(b[p]) && b[p] != b'/' && b[p] != b'>' {
        p += 1;
    }
    let name = text[s..p].to_ascii_lowercase();
    let mut attrs: Vec<(String, String)> = Vec::new();
    loop {
        while p < n && (is_ws(b[p]) || b[p] == b'/') {
            p += 1;
        }
        if p >= n {
            return None;
        }
        if b[p] == b'>' {
            return Some((Tag { start, name, attrs }, p + 1));
        }
        let s = p;
        p += 1; // a name may start with `=`
        while p < n && !is_ws(b[p]) && !matches!(b[p], b'/' | b'>' | b'=') {
            p += 1;
        }
        let attr = text[s..p].to_ascii_lowercase();
        while p < n && is_ws(b[p]) {
            p += 1;
        }
        let mut value = "";
        if p < n && b[p] == b'=' {
            p += 1;
            while p < n && is_ws(b[p]) {
                p += 1;
            }
            if p >= n {
                return None;
            }
            match b[p] {
                q @ (b'"' | b'\'') => {
                    let e = b[p + 1..].iter().position(|c| *c == q)? + p + 1;
                    value = &text[p + 1..e];
                    p = e + 1;
                }
                b'>' => {}
                _ => {
                    let s = p;
                    while p < n && !is_ws(b[p]) && b[p] != b'>' {
                        p += 1;
                    }
                    value = &text[s..p];
                }
            }
        }
        if !attrs.iter().any(|(a, _)| *a == attr) {
            attrs.push((attr, value.to_owned()));
        }
    }
}

/// The offset of the end tag `</name` (any case, then white space, `/` or `>`) from `from`.
fn end_tag(b: &[u8], mut from: usize, name: &[u8]) -> Option<usize> {
    loop {
        let k = find(b, from, b"</")?;
        let after = k + 2 + name.len();
        if b.get(k + 2..after)
            .is_some_and(|n| n.eq_ignore_ascii_case(name))
            && b.get(after)
                .is_none_or(|c| is_ws(*c) || matches!(c, b'/' | b'>'))
        {
            return Some(k);
        }
        from = k + 2;
    }
}

/// Finds the start tags of parsed elements, given in the order the parser created them.
struct Placer<'t> {
    tags: &'t [Tag],
    next: usize,
}

impl<'t> Placer<'t> {
    fn new(tags: &'t [Tag]) -> Self {
        Placer { tags, next: 0 }
    }

    /// The offset of the element's start tag: the next one with its name and attributes.
    fn place(&mut self, el: &Element) -> Option<usize> {
        let i = (self.next..self.tags.len()).find(|&i| same(&self.tags[i], el))?;
        self.next = i + 1;
        Some(self.tags[i].start)
    }
}

/// Whether a source tag is the start tag of an element: the same name and attributes (a value
/// with a character reference, a carriage return or a NUL is not compared: the parser changed
/// it).
fn same(tag: &Tag, el: &Element) -> bool {
    tag.name == el.name()
        && tag.attrs.len() == el.attrs().count()
        && el.attrs().all(|(name, value)| {
            tag.attrs
                .iter()
                .any(|(a, v)| a == name && (v == value || v.contains(['&', '\r', '\0'])))
        })
}

// ---------------------------------------------------------------------------------------------
// Microdata

/// The microdata of a document: its top-level items as JSON (each item carries the index of
/// its element under [`ELEMENT_KEY`]), the elements, and the elements each item's `itemref`
/// names.
struct Microdata<'a> {
    top: Vec<Value>,
    elements: Vec<ElementRef<'a>>,
    refs: Vec<Vec<ElementRef<'a>>>,
}

impl<'a> Microdata<'a> {
    fn read(doc: &'a Html) -> Result<Self, (ElementRef<'a>, String)> {
        let mut by_id: HashMap<&str, ElementRef> = HashMap::new();
        for el in doc.select(&selector("[id]")) {
            if let Some(id) = el.value().id() {
                by_id.entry(id).or_insert(el);
            }
        }
        let mut md = Microdata {
            top: Vec::new(),
            elements: Vec::new(),
            refs: Vec::new(),
        };
        let mut stack = Vec::new();
        for el in doc.select(&selector("[itemscope]")) {
            if el.value().attr("itemprop").is_none() {
                let item = md.item(el, &by_id, &mut stack)?;
                md.top.push(item);
            }
        }
        Ok(md)
    }

    /// An item as JSON (the "properties of an item" algorithm of the standard).
    fn item(
        &mut self,
        el: ElementRef<'a>,
        by_id: &HashMap<&str, ElementRef<'a>>,
        stack: &mut Vec<ElementRef<'a>>,
    ) -> Result<Value, (ElementRef<'a>, String)> {
        if stack.len() >= MAX_ITEM_DEPTH {
            return Err((
                el,
                format!("microdata items nested more than {MAX_ITEM_DEPTH} deep"),
            ));
        }
        let index = self.elements.len();
        self.elements.push(el);
        let mut obj = Map::new();
        obj.insert(ELEMENT_KEY.into(), Value::from(index));
        if let Some(t) = el.value().attr("itemtype") {
            let types: Vec<Value> = t.split_ascii_whitespace().map(Value::from).collect();
            if !types.is_empty() {
                obj.insert("@type".into(), Value::Array(types));
            }
        }
        if let Some(id) = el.value().attr("itemid").map(str::trim)
            && !id.is_empty()
        {
            obj.insert("@id".into(), Value::from(id));
        }
        let referenced: Vec<ElementRef> = el
            .value()
            .attr("itemref")
            .unwrap_or_default()
            .split_ascii_whitespace()
            .filter_map(|id| by_id.get(id).copied())
            .collect();
        let mut pending: Vec<ElementRef> = el.child_elements().collect();
        pending.extend(referenced.iter().copied());
        self.refs.push(referenced);
        let mut seen = HashSet::new();
        let mut props = Vec::new();
        while let Some(p) = pending.pop() {
            if p.id() == el.id() || !seen.insert(p.id()) {
                continue; // a microdata error: an element reached twice, or the item itself
            }
            if p.value().attr("itemprop").is_some() {
                props.push(p);
            }
            if p.value().attr("itemscope").is_none() {
                pending.extend(p.child_elements());
            }
        }
        props.sort_by_key(|p| p.id());
        stack.push(el);
        for p in props {
            let value = if p.value().attr("itemscope").is_some() {
                if stack.iter().any(|s| s.id() == p.id()) {
                    continue; // an item that is its own property, through itemref
                }
                self.item(p, by_id, stack)?
            } else {
                Value::from(property_value(p))
            };
            for name in p
                .value()
                .attr("itemprop")
                .unwrap_or_default()
                .split_ascii_whitespace()
            {
                let name = short_name(name);
                match obj.entry(name).or_insert_with(|| Value::Array(Vec::new())) {
                    Value::Array(a) => a.push(value.clone()),
                    other => *other = Value::Array(vec![value.clone()]),
                }
            }
        }
        stack.pop();
        Ok(Value::Object(obj))
    }

    /// The elements a product's `itemref` names, for its raw text.
    fn refs_of(&self, item: &Value) -> &[ElementRef<'a>] {
        item.get(ELEMENT_KEY)
            .and_then(Value::as_u64)
            .and_then(|i| self.refs.get(i as usize))
            .map_or(&[], Vec::as_slice)
    }
}

/// A property's value (not an item), as the standard reads it from the element.
fn property_value(el: ElementRef) -> String {
    let e = el.value();
    if let Some(c) = e.attr("content") {
        return c.to_owned();
    }
    let attr = |name: &str| e.attr(name).unwrap_or_default().to_owned();
    match e.name() {
        "meta" => String::new(),
        "audio" | "embed" | "iframe" | "img" | "source" | "track" | "video" => attr("src"),
        "a" | "area" | "link" => attr("href"),
        "object" => attr("data"),
        "data" | "meter" => attr("value"),
        "time" if e.attr("datetime").is_some() => attr("datetime"),
        _ => text_of(el),
    }
}

/// The last segment of a property name given as a URL (`https://schema.org/price` → `price`).
fn short_name(name: &str) -> String {
    if name.contains(':') {
        name.rsplit(['/', '#']).next().unwrap_or(name).to_owned()
    } else {
        name.to_owned()
    }
}

fn strip_element_keys(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.remove(ELEMENT_KEY);
            m.values_mut().for_each(strip_element_keys);
        }
        Value::Array(a) => a.iter_mut().for_each(strip_element_keys),
        _ => {}
    }
}

/// Elements that begin a line when a page is read as text.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "dd",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "td",
    "th",
    "tr",
    "ul",
];

/// The text of an element as a reader sees it: `<br>` and block elements begin lines; scripts
/// and styles are not text.
fn text_of(el: ElementRef) -> String {
    let mut s = String::new();
    for n in el.descendants() {
        match n.value() {
            Node::Text(t) => {
                let hidden = n
                    .parent()
                    .and_then(|p| p.value().as_element())
                    .is_some_and(|p| matches!(p.name(), "script" | "style" | "template"));
                if !hidden {
                    s.push_str(t);
                }
            }
            Node::Element(e) if e.name() == "br" => s.push('\n'),
            Node::Element(e) if BLOCKS.contains(&e.name()) && !s.is_empty() => s.push('\n'),
            _ => {}
        }
    }
    s
}

// ---------------------------------------------------------------------------------------------
// JSON-LD and the products of an item tree

fn is_json_ld(script: &Element) -> bool {
    script.attr("type").is_some_and(|t| {
        t.split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .eq_ignore_ascii_case("application/ld+json")
    })
}

/// A block's text without the `<!-- … -->` some pages wrap it in.
fn strip_comment_wrapper(s: &str) -> &str {
    match s.strip_prefix("<!--").and_then(|r| r.strip_suffix("-->")) {
        Some(inner) => inner.trim(),
        None => s,
    }
}

/// The nodes of a JSON-LD block by `@id`, so that a reference (`{"@id": …}` alone) reads as the
/// node it names.
#[derive(Default)]
struct Graph<'a> {
    ids: HashMap<&'a str, &'a Value>,
}

impl<'a> Graph<'a> {
    fn new(root: &'a Value) -> Self {
        let mut g = Graph::default();
        g.collect(root);
        g
    }

    fn collect(&mut self, v: &'a Value) {
        match v {
            Value::Object(m) => {
                if m.len() > 1
                    && let Some(Value::String(id)) = m.get("@id")
                {
                    self.ids.entry(id.as_str()).or_insert(v);
                }
                m.values().for_each(|x| self.collect(x));
            }
            Value::Array(a) => a.iter().for_each(|x| self.collect(x)),
            _ => {}
        }
    }

    fn deref(&self, v: &'a Value) -> &'a Value {
        if let Value::Object(m) = v
            && m.len() == 1
            && let Some(Value::String(id)) = m.get("@id")
            && let Some(node) = self.ids.get(id.as_str())
        {
            return node;
        }
        v
    }

    /// The values of a property: an array's elements or the one value, references followed.
    fn all(&self, v: &'a Value, key: &str) -> Vec<&'a Value> {
        match v.get(key) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(a)) => a
                .iter()
                .filter(|x| !x.is_null())
                .map(|x| self.deref(x))
                .collect(),
            Some(x) => vec![self.deref(x)],
        }
    }

    /// The values of a property as text.
    fn texts(&self, v: &'a Value, key: &str) -> Vec<String> {
        self.all(v, key).into_iter().filter_map(scalar).collect()
    }

    fn text(&self, v: &'a Value, key: &str) -> Option<String> {
        self.texts(v, key).into_iter().next()
    }
}

/// A value as text: a string, number or boolean, a value object's `@value` or a thing's
/// `name`.
fn scalar(v: &Value) -> Option<String> {
    let s = match v {
        Value::String(s) => s.trim().to_owned(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Object(m) => {
            return m
                .get("@value")
                .or_else(|| m.get("name"))
                .filter(|x| !x.is_object() && !x.is_array())
                .and_then(scalar);
        }
        _ => return None,
    };
    (!s.is_empty()).then_some(s)
}

/// The names of a node's types, without their vocabulary (`https://schema.org/Product`,
/// `schema:Product` → `Product`).
fn types(v: &Value) -> Vec<&str> {
    let names: Vec<&str> = match v.get("@type") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    names
        .into_iter()
        .map(|t| t.trim().rsplit(['/', '#', ':']).next().unwrap_or(t))
        .collect()
}

fn is_a(v: &Value, names: &[&str]) -> bool {
    types(v).iter().any(|t| names.contains(t))
}

/// schema.org's Product and its subtypes.
const PRODUCT: &[&str] = &[
    "Product",
    "IndividualProduct",
    "ProductModel",
    "SomeProducts",
];

/// The Products of an item tree: the node itself, an array's, a `@graph`'s, an `ItemList`'s
/// elements (directly or as `ListItem.item`), a page's `mainEntity`; not the products a
/// product names (related or similar products).
fn products<'a>(v: &'a Value, g: &Graph<'a>) -> Vec<&'a Value> {
    let mut out: Vec<&Value> = Vec::new();
    collect_products(v, g, 0, &mut out);
    // (a node of a graph is also reached through the references to it)
    let mut unique: Vec<&Value> = Vec::with_capacity(out.len());
    for p in out {
        if !unique.iter().any(|u| std::ptr::eq(*u, p)) {
            unique.push(p);
        }
    }
    unique
}

fn collect_products<'a>(v: &'a Value, g: &Graph<'a>, depth: usize, out: &mut Vec<&'a Value>) {
    if depth > 16 {
        return;
    }
    match v {
        Value::Array(a) => a
            .iter()
            .for_each(|x| collect_products(x, g, depth + 1, out)),
        Value::Object(_) if is_a(v, PRODUCT) => {
            out.push(v);
        }
        Value::Object(_) => {
            for key in ["@graph", "itemListElement", "item", "mainEntity"] {
                for x in g.all(v, key) {
                    collect_products(x, g, depth + 1, out);
                }
            }
        }
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------------
// The page

/// What the page says about itself.
struct Page {
    market: String,
    /// The URL relative URLs are read against: `<base href>`, else the canonical URL.
    base: Option<String>,
    /// The page's own URL: canonical link or `og:url`.
    url: Option<String>,
}

impl Page {
    fn of(doc: &Html, file: &str) -> Page {
        let first_attr = |sel: &str, attr: &str| {
            doc.select(&selector(sel))
                .filter_map(|e| e.value().attr(attr))
                .map(str::trim)
                .find(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let site = first_attr("meta[property=\"og:site_name\"]", "content");
        let canonical = first_attr("link[rel~=\"canonical\"]", "href")
            .filter(|u| has_scheme(u))
            .or_else(|| {
                first_attr("meta[property=\"og:url\"]", "content").filter(|u| has_scheme(u))
            });
        let base = first_attr("base[href]", "href").filter(|u| has_scheme(u));
        let market = site
            .or_else(|| canonical.as_deref().and_then(host))
            .or_else(|| base.as_deref().and_then(host))
            .unwrap_or_else(|| {
                Path::new(file)
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or(file)
                    .to_owned()
            });
        Page {
            market,
            base: base.or_else(|| canonical.clone()),
            url: canonical,
        }
    }

    fn resolve(&self, u: &str) -> String {
        resolve(u, self.base.as_deref())
    }
}

fn has_scheme(u: &str) -> bool {
    match u.split_once(':') {
        Some((s, _)) => {
            s.starts_with(|c: char| c.is_ascii_alphabetic())
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// The host of an absolute URL, lower-case, without user or port.
fn host(u: &str) -> Option<String> {
    let rest = u.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    let host = match host.rsplit_once(':') {
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => host,
    };
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// A URL read against a base (no dot segments removed): absolute URLs as they are, relative
/// ones without a base as they are.
fn resolve(u: &str, base: Option<&str>) -> String {
    let u = u.trim();
    let Some(base) = base.filter(|_| !u.is_empty() && !has_scheme(u)) else {
        return u.to_owned();
    };
    let Some((scheme, rest)) = base.split_once("://") else {
        return u.to_owned();
    };
    if let Some(r) = u.strip_prefix("//") {
        return format!("{scheme}://{r}");
    }
    let origin_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let origin = &rest[..origin_end];
    let path = &rest[origin_end..];
    if u.starts_with('/') {
        return format!("{scheme}://{origin}{u}");
    }
    let no_fragment = path.split('#').next().unwrap_or_default();
    if u.starts_with('#') {
        return format!("{scheme}://{origin}{no_fragment}{u}");
    }
    let no_query = no_fragment.split('?').next().unwrap_or_default();
    if u.starts_with('?') {
        return format!("{scheme}://{origin}{no_query}{u}");
    }
    let dir = match no_query.rfind('/') {
        Some(k) => &no_query[..=k],
        None => "/",
    };
    format!("{scheme}://{origin}{dir}{u}")
}

// ---------------------------------------------------------------------------------------------
// Listings

/// A name or market as part of an id: trimmed, white space collapsed, lower-case.
fn key(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn hash(parts: &[&str]) -> String {
    let mut h = Sha1::new();
    for (k, p) in parts.iter().enumerate() {
        if k > 0 {
            h.update([0u8]);
        }
        h.update(p.as_bytes());
    }
    hex::encode(h.finalize())
}

fn fragment(id: String, schema: &'static str) -> Fragment {
    Fragment {
        id,
        schema,
        values: Vec::new(),
    }
}

/// A vendor's account on a market.
fn account(market: &str, service: &str, username: &str, name: &str, ctx: &Context) -> Fragment {
    let mut f = fragment(account_id(market, username), "UserAccount");
    f.add_typed("service", PropType::String, service, ctx);
    f.add_typed("username", PropType::String, username, ctx);
    f.add_typed("name", PropType::Name, name, ctx);
    f
}

/// The units of UN/CEFACT codes a shop may give as `unitCode`.
fn unit_of_code(code: &str) -> Option<&'static str> {
    Some(match code.trim().to_ascii_uppercase().as_str() {
        "GRM" => "g",
        "KGM" => "kg",
        "MGM" => "mg",
        "MC" => "µg",
        "LTR" => "l",
        "MLT" => "ml",
        "C62" | "H87" | "EA" => "pcs",
        _ => return None,
    })
}

/// A quantity and its unit: a QuantitativeValue, or text like `5 g` or `3,5g`.
fn quantity(v: &Value, g: &Graph) -> Option<(String, Option<String>)> {
    if v.is_object() && v.get("@value").is_none() {
        let amount = g.text(v, "value").or_else(|| g.text(v, "minValue"))?;
        let unit = g.text(v, "unitText").or_else(|| {
            g.text(v, "unitCode")
                .map(|c| unit_of_code(&c).map_or(c, str::to_owned))
        });
        return Some((amount, unit));
    }
    let s = scalar(v)?;
    let end = s
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | ',' | ' ')))
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(end);
    let unit = unit.trim();
    if num.trim().is_empty() {
        return Some((s.clone(), None));
    }
    Some((
        num.trim().to_owned(),
        (!unit.is_empty()).then(|| unit.to_owned()),
    ))
}

/// Adds a price in the offer's currency: the amount, the currency and the money value. A price
/// that is no number but reads as money (`450 kr`) gives its own amount and currency.
fn add_price(f: &mut Fragment, price: &str, currency: Option<&str>, ctx: &Context) {
    let is_number =
        lagesbild_model::types::normalise(PropType::Number, price, ctx).is_some_and(|n| n.valid);
    if !is_number && let Some((amount, cur)) = parse_money(price) {
        let currency = currency.map_or(cur, str::to_owned);
        f.add_typed("priceAmount", PropType::Number, &amount, ctx);
        f.add_typed("currency", PropType::String, &currency, ctx);
        f.add_typed(
            "price",
            PropType::Money,
            &format!("{amount} {currency}"),
            ctx,
        );
        return;
    }
    f.add_typed("priceAmount", PropType::Number, price, ctx);
    if let Some(c) = currency {
        f.add_typed("currency", PropType::String, c, ctx);
        f.add_typed("price", PropType::Money, &format!("{price} {c}"), ctx);
    }
}

/// The offers of a product: each Offer, and an AggregateOffer with the offers it holds.
fn offers<'a>(v: &'a Value, g: &Graph<'a>, depth: usize, out: &mut Vec<&'a Value>) {
    for o in g.all(v, "offers") {
        if out.iter().any(|x| std::ptr::eq(*x, o)) {
            continue;
        }
        out.push(o);
        if depth < MAX_OFFER_DEPTH && is_a(o, &["AggregateOffer"]) {
            offers(o, g, depth + 1, out);
        }
    }
}

/// The countries of places (DefinedRegion, Country, Place, PostalAddress or text): their
/// `addressCountry` or `address.addressCountry`, else their name. Returns (countries, places
/// that name no country).
fn places(values: Vec<&Value>, g: &Graph) -> (Vec<String>, Vec<String>) {
    let mut countries = Vec::new();
    let mut other = Vec::new();
    for v in values {
        let mut named: Vec<String> = g.texts(v, "addressCountry");
        for a in g.all(v, "address") {
            named.extend(g.texts(a, "addressCountry"));
        }
        if !named.is_empty() {
            countries.extend(named);
            continue;
        }
        let Some(name) = scalar(v).or_else(|| g.text(v, "name")) else {
            continue;
        };
        if country_code(&name).is_some() {
            countries.push(name);
        } else {
            other.push(name);
        }
    }
    (countries, other)
}

/// A product's aggregate rating as text: `4.8/5 (212 reviews)`.
fn feedback(p: &Value, g: &Graph) -> Option<String> {
    let r = g.all(p, "aggregateRating").into_iter().next()?;
    if !r.is_object() {
        return scalar(r);
    }
    let value = g.text(r, "ratingValue");
    let best = g.text(r, "bestRating").unwrap_or_else(|| "5".into());
    let count = g
        .text(r, "reviewCount")
        .map(|c| format!("{c} reviews"))
        .or_else(|| g.text(r, "ratingCount").map(|c| format!("{c} ratings")));
    match (value, count) {
        (Some(v), Some(c)) => Some(format!("{v}/{best} ({c})")),
        (Some(v), None) => Some(format!("{v}/{best}")),
        (None, Some(c)) => Some(format!("({c})")),
        (None, None) => None,
    }
}

/// A Product as a Listing with its vendors' accounts.
fn product(p: &Value, g: &Graph, page: &Page, index: usize, ctx: &Context) -> Vec<Fragment> {
    let market = page.market.as_str();
    let title = g.text(p, "name");
    let url = g
        .text(p, "url")
        .or_else(|| {
            p.get("@id")
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|i| !i.is_empty() && !i.starts_with("_:"))
                .map(str::to_owned)
        })
        .map(|u| page.resolve(&u));
    let sku = ["sku", "productID", "mpn"]
        .iter()
        .find_map(|k| g.text(p, k));

    let mut all_offers = Vec::new();
    offers(p, g, 0, &mut all_offers);
    // sellers: (name, url)
    let mut sellers: Vec<(String, Option<String>)> = Vec::new();
    for o in &all_offers {
        for s in g.all(o, "seller").into_iter().chain(g.all(o, "offeredBy")) {
            let name = if s.is_object() {
                g.text(s, "name").or_else(|| g.text(s, "alternateName"))
            } else {
                scalar(s)
            };
            if let Some(name) = name
                && !sellers.iter().any(|(n, _)| key(n) == key(&name))
            {
                let url = s.is_object().then(|| g.text(s, "url")).flatten();
                sellers.push((name, url.map(|u| page.resolve(&u))));
            }
        }
    }
    let vendor_key = sellers.first().map_or("", |s| s.0.as_str());
    let id = match (&url, &sku, &title) {
        (Some(u), _, _) => listing_id(market, ListingKey::Url(u)),
        (None, Some(s), _) => listing_id(
            market,
            ListingKey::Sku {
                sku: s,
                vendor: vendor_key,
            },
        ),
        (None, None, t) => listing_id(
            market,
            ListingKey::Position {
                title: t.as_deref().unwrap_or_default(),
                vendor: vendor_key,
                index,
            },
        ),
    };

    let mut l = fragment(id, "Listing");
    l.add_typed("market", PropType::String, market, ctx);
    if let Some(t) = &title {
        l.add_typed("title", PropType::String, t, ctx);
        l.add_typed("name", PropType::Name, t, ctx);
    }
    for d in g.texts(p, "description") {
        l.add_typed("description", PropType::Text, &d, ctx);
    }
    for c in g.texts(p, "category") {
        l.add_typed("substance", PropType::String, &c, ctx);
    }
    if let Some(u) = &url {
        l.add_typed("url", PropType::Url, u, ctx);
    }
    if let Some(s) = &sku {
        l.add_typed("recordId", PropType::Identifier, s, ctx);
    }
    if let Some(u) = &page.url {
        l.add_typed("sourceUrl", PropType::Url, u, ctx);
    }
    let mut notes: Vec<String> = Vec::new();
    let mut quantities: Vec<&Value> = Vec::new();
    for o in &all_offers {
        let currency = g
            .text(o, "priceCurrency")
            .or_else(|| {
                g.all(o, "priceSpecification")
                    .into_iter()
                    .find_map(|s| g.text(s, "priceCurrency"))
            })
            .map(|c| c.to_uppercase());
        let mut prices = g.texts(o, "price");
        if prices.is_empty() {
            prices.extend(g.texts(o, "lowPrice"));
            prices.extend(g.texts(o, "highPrice"));
        }
        if prices.is_empty() {
            for s in g.all(o, "priceSpecification") {
                prices.extend(g.texts(s, "price"));
            }
        }
        for price in &prices {
            add_price(&mut l, price, currency.as_deref(), ctx);
        }
        if prices.is_empty()
            && let Some(c) = &currency
        {
            l.add_typed("currency", PropType::String, c, ctx);
        }
        quantities.extend(g.all(o, "eligibleQuantity"));
        for sd in g.all(o, "shippingDetails") {
            let (from, _) = places(g.all(sd, "shippingOrigin"), g);
            let (to, _) = places(g.all(sd, "shippingDestination"), g);
            for c in from {
                l.add_typed("shipsFrom", PropType::Country, &c, ctx);
            }
            for c in to {
                l.add_typed("shipsTo", PropType::Country, &c, ctx);
            }
        }
        for key in ["eligibleRegion", "areaServed"] {
            let (to, other) = places(g.all(o, key), g);
            for c in to {
                l.add_typed("shipsTo", PropType::Country, &c, ctx);
            }
            notes.extend(other.into_iter().map(|o| format!("{key}: {o}")));
        }
        let (from, other) = places(g.all(o, "availableAtOrFrom"), g);
        for c in from {
            l.add_typed("shipsFrom", PropType::Country, &c, ctx);
        }
        notes.extend(other.into_iter().map(|o| format!("availableAtOrFrom: {o}")));
        if let Some(d) = g.text(o, "validFrom") {
            l.add_typed("startDate", PropType::Date, &d, ctx);
        }
        if let Some(d) = g
            .text(o, "priceValidUntil")
            .or_else(|| g.text(o, "validThrough"))
        {
            l.add_typed("endDate", PropType::Date, &d, ctx);
        }
    }
    if quantities.is_empty() {
        quantities.extend(g.all(p, "weight"));
    }
    for q in quantities {
        if let Some((amount, unit)) = quantity(q, g) {
            l.add_typed("quantity", PropType::Number, &amount, ctx);
            if let Some(u) = unit {
                l.add_typed("unit", PropType::String, &u, ctx);
            }
        }
    }
    if let Some(f) = feedback(p, g) {
        l.add_typed("feedback", PropType::String, &f, ctx);
    }
    if !notes.is_empty() {
        l.add_typed("notes", PropType::Text, &notes.join("\n"), ctx);
    }
    let mut accounts = Vec::new();
    for (name, url) in &sellers {
        let mut a = account(market, market, name, name, ctx);
        if let Some(u) = url {
            a.add_typed("sourceUrl", PropType::Url, u, ctx);
        }
        l.add_typed("vendor", PropType::Entity, &a.id, ctx);
        l.add_typed("vendorName", PropType::Name, name, ctx);
        accounts.push(a);
    }
    let mut out = vec![l];
    out.extend(accounts);
    out
}

/// The first element below `el` that matches and is not inside a quoted reply.
fn first_own<'a>(el: ElementRef<'a>, sel: &str) -> Option<ElementRef<'a>> {
    el.select(&selector(sel)).find(|e| {
        !e.ancestors()
            .take_while(|a| a.id() != el.id())
            .filter_map(ElementRef::wrap)
            .any(|a| {
                a.value()
                    .classes()
                    .any(|c| c == "tgme_widget_message_reply")
            })
    })
}

/// Text on one line: white space collapsed.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A post of a Telegram channel's web preview as a Listing of the channel's account.
fn telegram_post(post: ElementRef, page: &Page, ctx: &Context) -> Vec<Fragment> {
    let data = post.value().attr("data-post").unwrap_or_default().trim();
    let channel = data.split_once('/').map_or(data, |(c, _)| c);
    let url = format!("https://t.me/{data}");
    let owner = first_own(post, ".tgme_widget_message_owner_name")
        .map(|e| one_line(&text_of(e)))
        .filter(|n| !n.is_empty());
    let text = first_own(post, ".tgme_widget_message_text").map(text_of);
    let mut l = fragment(listing_id("t.me", ListingKey::Url(&url)), "Listing");
    l.add_typed("market", PropType::String, "t.me", ctx);
    if let Some(text) = &text {
        if let Some(first) = text.lines().map(str::trim).find(|s| !s.is_empty()) {
            l.add_typed("title", PropType::String, first, ctx);
            l.add_typed("name", PropType::Name, first, ctx);
        }
        l.add_typed("description", PropType::Text, text, ctx);
    }
    l.add_typed("url", PropType::Url, &url, ctx);
    if let Some(u) = &page.url {
        l.add_typed("sourceUrl", PropType::Url, u, ctx);
    }
    if let Some(d) = first_own(post, ".tgme_widget_message_date time[datetime]")
        .and_then(|t| t.value().attr("datetime"))
    {
        l.add_typed("date", PropType::Date, d, ctx);
    }
    if let Some(v) = first_own(post, ".tgme_widget_message_views") {
        let views = one_line(&text_of(v));
        if !views.is_empty() {
            l.add_typed("feedback", PropType::String, &format!("{views} views"), ctx);
        }
    }
    let mut notes = Vec::new();
    if let Some(f) = first_own(post, ".tgme_widget_message_forwarded_from_name") {
        let name = one_line(&text_of(f));
        match f.value().attr("href") {
            Some(h) => notes.push(format!("forwarded from {name} ({h})")),
            None => notes.push(format!("forwarded from {name}")),
        }
    }
    if let Some(h) = post
        .select(&selector("a.tgme_widget_message_reply"))
        .find_map(|r| r.value().attr("href"))
    {
        notes.push(format!("in reply to {h}"));
    }
    for photo in post.select(&selector(".tgme_widget_message_photo_wrap")) {
        let style = photo.value().attr("style").unwrap_or_default();
        let image = style
            .split_once("url(")
            .and_then(|(_, r)| r.split_once(')'))
            .map(|(u, _)| u.trim_matches(['\'', '"', ' ']));
        notes.push(match image {
            Some(u) => format!("photo: {u}"),
            None => "photo".into(),
        });
    }
    if !notes.is_empty() {
        l.add_typed("notes", PropType::Text, &notes.join("\n"), ctx);
    }
    let mut out = Vec::new();
    if !channel.is_empty() {
        let name = owner.as_deref().unwrap_or(channel);
        let mut a = account("t.me", "Telegram", channel, name, ctx);
        a.add_typed(
            "sourceUrl",
            PropType::Url,
            &format!("https://t.me/{channel}"),
            ctx,
        );
        l.add_typed("vendor", PropType::Entity, &a.id, ctx);
        l.add_typed("vendorName", PropType::Name, name, ctx);
        out.push(a);
    }
    out.insert(0, l);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(tags: &[Tag]) -> Vec<(&str, usize)> {
        tags.iter().map(|t| (t.name.as_str(), t.start)).collect()
    }

    #[test]
    fn start_tags_as_the_tokenizer_sees_them() {
        let html = "<!DOCTYPE html><P class=a>x<!-- <div> --><script>'<div>'</SCRIPT ><div\n  id='q' data-x=1 hidden>\
                    <?pi <b>?></p><textarea><i></textarea><!--><em>";
        let tags = start_tags(html);
        let p = html.find("<P").unwrap();
        let div = html.find("<div\n").unwrap();
        let em = html.find("<em>").unwrap();
        assert_eq!(
            names(&tags),
            [
                ("p", p),
                ("script", html.find("<script>").unwrap()),
                ("div", div),
                ("textarea", html.find("<textarea>").unwrap()),
                ("em", em),
            ]
        );
        assert_eq!(
            tags[2].attrs,
            [
                ("id".to_owned(), "q".to_owned()),
                ("data-x".to_owned(), "1".to_owned()),
                ("hidden".to_owned(), String::new())
            ]
        );
        // a tag cut short by the end is none; a lone `<` is text
        assert_eq!(names(&start_tags("a < b <div class=\"x")), []);
        assert_eq!(names(&start_tags("<b>x</b")), [("b", 0)]);
    }

    #[test]
    fn elements_are_placed_at_their_own_start_tag() {
        let html = "<html><body>\n<!-- <div itemscope itemtype=\"https://schema.org/Product\"> -->\n\
                    <script>x = '<div itemscope itemtype=\"https://schema.org/Product\">'</script>\n\
                    <div itemscope itemtype=\"https://schema.org/Product\"><span itemprop=name>A</span></div>\n\
                    <table><div itemscope itemtype=\"https://schema.org/Product\"><b>B &amp; C</b></div></table>\n\
                    <DIV ITEMSCOPE\n ITEMTYPE=\"https://schema.org/Product\">D</DIV>";
        let doc = Html::parse_document(html);
        let tags = start_tags(html);
        let lines = Lines::new(html, 0);
        let mut els: Vec<ElementRef> = doc.select(&selector("[itemscope]")).collect();
        els.sort_by_key(|e| e.id());
        let mut placer = Placer::new(&tags);
        let got: Vec<u64> = els
            .iter()
            .map(|e| lines.of(placer.place(e.value()).unwrap()))
            .collect();
        // the second is foster-parented before the table, still created in source order
        assert_eq!(got, [4, 5, 6]);
    }

    #[test]
    fn microdata_items_by_the_standard() {
        let html = r##"<html><body>
            <div itemscope itemtype="https://schema.org/Product" itemid="urn:x:1" itemref="r1 r2">
              <span itemprop="name https://schema.org/alternateName">Haze</span>
              <meta itemprop="sku" content="H-5">
              <a itemprop="url" href="/l/1"><img itemprop="image" src="/i.png"></a>
              <time itemprop="releaseDate" datetime="2026-01-02">2 jan</time>
              <data itemprop="weight" value="5">fem</data>
              <span itemprop="price" content="600">sexhundra</span>
              <div itemprop="offers" itemscope itemtype="https://schema.org/Offer">
                <span itemprop="price">600</span>
              </div>
            </div>
            <p id="r1" itemprop="category">Cannabis</p>
            <div id="r2"><b itemprop="color">grön</b></div>
            <div itemscope itemref="loop"><div id="loop" itemprop="self" itemscope itemref="loop">x</div></div>
        </body></html>"##;
        let items = microdata(html);
        assert_eq!(items.len(), 2, "{items:?}");
        let p = &items[0];
        assert_eq!(
            p["@type"],
            serde_json::json!(["https://schema.org/Product"])
        );
        assert_eq!(p["@id"], "urn:x:1");
        assert_eq!(p["name"], serde_json::json!(["Haze"]));
        assert_eq!(p["alternateName"], serde_json::json!(["Haze"]));
        assert_eq!(p["sku"], serde_json::json!(["H-5"]));
        assert_eq!(p["url"], serde_json::json!(["/l/1"]));
        assert_eq!(p["image"], serde_json::json!(["/i.png"]));
        assert_eq!(p["releaseDate"], serde_json::json!(["2026-01-02"]));
        assert_eq!(p["weight"], serde_json::json!(["5"]));
        assert_eq!(p["price"], serde_json::json!(["600"]));
        assert_eq!(p["category"], serde_json::json!(["Cannabis"]));
        assert_eq!(p["color"], serde_json::json!(["grön"]));
        assert_eq!(
            p["offers"],
            serde_json::json!([{"@type": ["https://schema.org/Offer"], "price": ["600"]}])
        );
        // an item that is its own property through itemref is read once, without looping
        assert!(items[1].get("self").is_some());
    }

    #[test]
    fn json_ld_products_in_every_shape() {
        let count = |json: &str| {
            let v: Value = serde_json::from_str(json).unwrap();
            let g = Graph::new(&v);
            products(&v, &g)
                .iter()
                .map(|p| g.text(p, "name").unwrap_or_default())
                .collect::<Vec<_>>()
        };
        assert_eq!(count(r#"{"@type": "Product", "name": "a"}"#), ["a"]);
        assert_eq!(
            count(
                r#"[{"@type": "schema:Product", "name": "a"}, {"@type": ["Thing", "https://schema.org/IndividualProduct"], "name": "b"}]"#
            ),
            ["a", "b"]
        );
        assert_eq!(
            count(
                r##"{"@graph": [{"@id": "#p", "@type": "Product", "name": "a"},
                {"@type": "ItemList", "itemListElement": [{"@id": "#p"},
                    {"@type": "ListItem", "item": {"@type": "Product", "name": "b"}}]}]}"##
            ),
            ["a", "b"]
        );
        assert_eq!(
            count(
                r#"{"@type": "WebPage", "mainEntity": {"@type": "Product", "name": "a", "isSimilarTo": {"@type": "Product", "name": "x"}}}"#
            ),
            ["a"]
        );
        assert_eq!(
            count(r#"{"@type": "Organization", "name": "a"}"#),
            Vec::<String>::new()
        );
    }

    #[test]
    fn urls_against_the_base() {
        let b = Some("http://abc.onion/kategori/cannabis?sida=2#top");
        for (u, want) in [
            ("/listing/1", "http://abc.onion/listing/1"),
            ("listing/1", "http://abc.onion/kategori/listing/1"),
            ("?sida=3", "http://abc.onion/kategori/cannabis?sida=3"),
            ("#p1", "http://abc.onion/kategori/cannabis?sida=2#p1"),
            ("//cdn.example.org/x", "http://cdn.example.org/x"),
            ("https://t.me/x/1", "https://t.me/x/1"),
        ] {
            assert_eq!(resolve(u, b), want, "{u}");
        }
        assert_eq!(resolve("/l/1", None), "/l/1");
        assert_eq!(resolve("l", Some("http://h.se")), "http://h.se/l");
        assert_eq!(
            host("http://user@ABC.onion:8080/x?y").as_deref(),
            Some("abc.onion")
        );
        assert_eq!(host("abc"), None);
    }

    #[test]
    fn ids_by_market_and_name() {
        assert_eq!(
            account_id("Nordmarknaden", "NordicBlooms"),
            account_id(" nordmarknaden ", "nordicblooms")
        );
        assert_ne!(
            account_id("Nordmarknaden", "NordicBlooms"),
            account_id("Nordmarknaden", "Nordic_Blooms")
        );
        assert_ne!(
            account_id("Nordmarknaden", "NordicBlooms"),
            account_id("Baltic Bazaar", "NordicBlooms")
        );
        // the parts cannot run into each other
        assert_ne!(account_id("a b", "c"), account_id("a", "b c"));
        assert!(account_id("m", "v").starts_with("listing-account-"));
        assert_eq!(account_id("m", "v").len(), "listing-account-".len() + 40);
        let u = listing_id("m", ListingKey::Url("http://h/1"));
        assert_eq!(u, listing_id("M", ListingKey::Url(" http://h/1 ")));
        assert_ne!(u, listing_id("n", ListingKey::Url("http://h/1")));
        assert_ne!(
            listing_id(
                "m",
                ListingKey::Position {
                    title: "t",
                    vendor: "v",
                    index: 1
                }
            ),
            listing_id(
                "m",
                ListingKey::Position {
                    title: "t",
                    vendor: "v",
                    index: 2
                }
            )
        );
    }

    #[test]
    fn declared_single_byte_charsets_are_read() {
        let mut page = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\">\
                         </head><body>\n<div itemscope itemtype=\"https://schema.org/Product\"><span itemprop=name>Sm\xF6rg\xE5s</span></div>"
            .to_vec();
        let d = decode("p.html", &page).unwrap();
        assert!(d.text.contains("Smörgås"));
        assert!(d.single_byte);
        let at = d.text.find("<div").unwrap();
        assert_eq!(
            ByteOffsets::default().file_offset(&d, at),
            page.windows(4).position(|w| w == b"<div").unwrap() as u64
        );
        assert_eq!(
            declared_charset(b"<META CHARSET='windows-1252'>").as_deref(),
            Some("windows-1252")
        );
        // undeclared: an error naming the byte and its line
        page = b"<html>\n<p>ok</p>\n<p>\xF6</p>".to_vec();
        let e = decode("p.html", &page).unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("byte offset 20"), "{e}");
        // a multi-byte legacy charset is refused by name
        let e = decode("p.html", b"<meta charset=shift_jis>\x82\xa0\xff").unwrap_err();
        assert!(e.message.contains("shift_jis"), "{e}");
    }

    #[test]
    fn html_is_recognised_by_its_start() {
        assert!(looks_like_html(b"\xEF\xBB\xBF  <!DOCTYPE html>\n<html>"));
        assert!(looks_like_html(
            b"<!-- saved from url=(0014)about:internet -->\n<HTML lang=sv>"
        ));
        assert!(looks_like_html(b"<html>"));
        assert!(!looks_like_html(b"<htmlx>"));
        assert!(!looks_like_html(b"<?xml version=\"1.0\"?><Document>"));
        assert!(!looks_like_html(b"{\"schema\": \"Person\"}"));
    }
}
