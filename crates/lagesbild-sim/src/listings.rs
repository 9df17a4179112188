//! Online trade: dark-web markets and Telegram sales channels, written as the pages an analyst
//! saves.
//!
//! - Two fictional dark-web markets, crawled once a month. Each crawl is one category page
//!   (`market-<market>-<yyyy-mm>.html`). Nordhavet marks its listings up as schema.org microdata;
//!   Midnattsol puts JSON-LD in the page and prices in US dollars.
//! - Some importers and wholesalers sell there as vendors. A vendor on both markets uses related
//!   names ("SnowKing" and "Snow_King", "snowking2", "SnowK1ng"), as vendors do to carry their
//!   reputation across. Their listings are the same products month after month, at the month's
//!   price, and vanish once the vendor is arrested.
//! - Each network runs a Telegram sales channel. Its public preview page
//!   (`tme-<channel>.html`, the `t.me/s/<channel>` layout, saved after scrolling through the
//!   period) shows the menus the street dealers post: substances with emoji, prices such as
//!   `5g 600kr`, the delivery area, a Swish number, or a handle to write to.
//!
//! `truth.json` (`online`) names the person behind every vendor name and the network and admins
//! behind every channel.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use crate::SimError;
use crate::rng::Rng;
use crate::statements::escape;
use crate::texts::{Texts, place as place_of, substance_of};
use crate::world::{District, Network, Person, Role};

/// US dollars to Swedish kronor, for the market that prices in dollars.
const SEK_PER_USD: f64 = 10.5;

/// A product as vendors list it: the simulator's substance, the title's words, the emoji, and
/// whether it is sold by the piece.
const PRODUCTS: &[(&str, &str, &str, bool)] = &[
    ("cannabis", "Amnesia Haze", "🍁", false),
    ("cannabis", "OG Kush", "🍁", false),
    ("cannabis", "Hasch Marocko", "🍫", false),
    ("kokain", "Kokain colombiansk", "❄️", false),
    ("kokain", "Koks flake", "❄️", false),
    ("amfetamin", "Amfetamin pasta", "⚡", false),
    ("amfetamin", "Tjack", "⚡", false),
    ("MDMA", "Ecstasy Tesla 200mg", "💊", true),
    ("benzodiazepin", "Xanor 2mg", "💊", true),
    ("heroin", "Heroin brown", "🐎", false),
];

/// A market: its name, its address, whether it writes JSON-LD (else microdata), and its
/// currency.
struct MarketSite {
    slug: &'static str,
    name: &'static str,
    host: &'static str,
    json_ld: bool,
    currency: &'static str,
}

const MARKETS: &[MarketSite] = &[
    MarketSite {
        slug: "nordhavet",
        name: "Nordhavet",
        host: "nordhav4kq7vtx2lqm3e5bz6ofy2jlwzd4rpa7hcmnxuse3gk5vjd2ad.onion",
        json_ld: false,
        currency: "SEK",
    },
    MarketSite {
        slug: "midnattsol",
        name: "Midnattsol Market",
        host: "midnatt6v3pbqk4xg7aj2lrw5ysd3hz6cmu4fetn7bkqo2xle5wvd4id.onion",
        json_ld: true,
        currency: "USD",
    },
];

/// Who really stands behind a name online.
#[derive(Debug, Clone, Serialize)]
pub struct VendorTruth {
    pub market: String,
    pub vendor: String,
    /// The person and network behind the name; none for vendors from outside the region.
    pub person: Option<String>,
    pub network: Option<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChannelTruth {
    /// The channel's username (`t.me/<channel>`).
    pub channel: String,
    pub title: String,
    pub network: usize,
    /// The street dealers who post in it.
    pub admins: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct OnlineTruth {
    pub vendors: Vec<VendorTruth>,
    pub channels: Vec<ChannelTruth>,
}

/// A vendor's product: listed on each market the vendor sells on, month after month.
struct Listing {
    id: u64,
    product: usize,
    quantity: u32,
    /// The vendor's price relative to the month's street price.
    markup: f64,
}

struct Vendor {
    /// The person behind it, if of the region's networks.
    person: Option<usize>,
    /// The name on each market (by index), if the vendor sells there.
    names: Vec<Option<String>>,
    listings: Vec<Listing>,
    rating: f64,
    reviews: u64,
    ships_from: &'static str,
    ships_to: &'static [&'static str],
}

impl Vendor {
    fn active(&self, world: &World, m: u32) -> bool {
        self.person.is_none_or(|p| world.people[p].active(m))
    }
}

/// The months' calendar, people and prices the pages are written from.
pub struct World<'a> {
    pub networks: &'a [Network],
    pub people: &'a [Person],
    pub districts: &'a [District],
    pub calendar: &'a [(i32, u32)],
    /// Street price per gram (SEK) per substance, per month.
    pub prices: &'a [BTreeMap<String, f64>],
}

/// Writes the markets' monthly pages and the channels' pages into `out`; returns the files with
/// their number of listings or posts, and the truth.
pub fn write(
    out: &Path,
    rng: &mut Rng,
    world: &World,
    texts: &mut Texts,
) -> Result<(Vec<(String, u64)>, OnlineTruth), SimError> {
    let mut truth = OnlineTruth::default();
    let mut files = Vec::new();
    let mut vendors = vendors(rng, world, &mut truth);
    for (m, (year, month)) in world.calendar.iter().enumerate() {
        let m = m as u32;
        for v in &mut vendors {
            if v.active(world, m) {
                v.reviews += rng.poisson(3.0 * v.listings.len() as f64);
                v.rating = (v.rating + 0.05 * rng.normal()).clamp(3.8, 5.0);
            }
        }
        for (mi, site) in MARKETS.iter().enumerate() {
            let name = format!("market-{}-{year:04}-{month:02}.html", site.slug);
            let (page, count) = market_page(rng, world, site, mi, m, &vendors);
            write_file(out, &name, &page)?;
            files.push((name, count));
        }
    }
    for net in world.networks {
        let (name, page, count, channel) = channel_page(rng, world, net, texts);
        write_file(out, &name, &page)?;
        files.push((name, count));
        truth.channels.push(channel);
    }
    Ok((files, truth))
}

fn write_file(out: &Path, name: &str, text: &str) -> Result<(), SimError> {
    let path = out.join(name);
    std::fs::write(&path, text).map_err(|source| SimError::Write { path, source })
}

/// The vendors: an importer or wholesaler of some networks, each with a name per market.
fn vendors(rng: &mut Rng, world: &World, truth: &mut OnlineTruth) -> Vec<Vendor> {
    let mut vendors = Vec::new();
    let mut next_listing = 0u64;
    for net in world.networks {
        let candidates: Vec<usize> = (0..world.people.len())
            .filter(|i| {
                let p = &world.people[*i];
                p.network == Some(net.id)
                    && p.from_month == 0
                    && matches!(p.role, Some(Role::Importer | Role::Wholesaler))
            })
            .collect();
        let count = if candidates.is_empty() || rng.chance(0.25) {
            0
        } else {
            1 + usize::from(candidates.len() > 1 && rng.chance(0.4))
        };
        for &person in candidates.iter().take(count) {
            let both = rng.chance(0.6);
            let v = vendor(
                rng,
                world,
                truth,
                &mut next_listing,
                Some((person, net.id)),
                [true, both],
            );
            vendors.push(v);
        }
    }
    // vendors from elsewhere, who ship into the region: most of any market
    for mi in 0..MARKETS.len() {
        for _ in 0..rng.range(3, 5) {
            let mut on = [false; MARKETS.len()];
            on[mi] = true;
            let v = vendor(rng, world, truth, &mut next_listing, None, on);
            vendors.push(v);
        }
    }
    vendors
}

/// A vendor on the markets of `on`: one of the region's network members (`owner`: person and
/// network) or someone from elsewhere.
fn vendor(
    rng: &mut Rng,
    world: &World,
    truth: &mut OnlineTruth,
    next_listing: &mut u64,
    owner: Option<(usize, usize)>,
    on: [bool; MARKETS.len()],
) -> Vendor {
    // a vendor name is unique on a market
    let base = loop {
        let first = *rng.pick(crate::names::HANDLE_WORDS);
        let second = *rng.pick(&["Blooms", "King", "Nord", "Supply", "Express", "Labs"]);
        let name = format!("{}{}", capitalise(first), capitalise(second));
        if !truth.vendors.iter().any(|v| v.vendor == name) {
            break name;
        }
    };
    // the first market it sells on gets the name, the other a related one
    let mut names = vec![None; MARKETS.len()];
    let mut named = false;
    for (mi, sells) in on.iter().enumerate() {
        if *sells {
            names[mi] = Some(if named {
                related_name(rng, &base)
            } else {
                base.clone()
            });
            named = true;
        }
    }
    for (mi, name) in names.iter().enumerate() {
        if let Some(name) = name {
            truth.vendors.push(VendorTruth {
                market: MARKETS[mi].name.to_owned(),
                vendor: name.clone(),
                person: owner.map(|(p, _)| world.people[p].id.clone()),
                network: owner.map(|(_, n)| n),
            });
        }
    }
    let listings = (0..rng.range(2, 5))
        .map(|_| {
            *next_listing += 1;
            let product = rng.below(PRODUCTS.len() as u64) as usize;
            let quantity = if PRODUCTS[product].3 {
                *rng.pick(&[10, 25, 50, 100])
            } else {
                *rng.pick(&[1, 5, 10, 25, 50, 100])
            };
            Listing {
                id: 10_000 + *next_listing * 37,
                product,
                quantity,
                markup: 0.85 + rng.unit() * 0.3,
            }
        })
        .collect();
    let (ships_from, ships_to) = match owner {
        Some(_) => (
            "SE",
            *rng.pick(&[&["SE"][..], &["SE", "NO", "DK"], &["SE", "FI"]]),
        ),
        None => (
            *rng.pick(&["NL", "DE", "ES", "PL"]),
            *rng.pick(&[&["SE", "NO", "DK", "FI"][..], &["EU"], &["SE", "DE", "NL"]]),
        ),
    };
    Vendor {
        person: owner.map(|(p, _)| p),
        names,
        listings,
        rating: 4.4 + rng.unit() * 0.6,
        reviews: rng.below(40),
        ships_from,
        ships_to,
    }
}

fn capitalise(w: &str) -> String {
    let mut c = w.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// A name a vendor would use on another market: the same with an underscore, a number, a
/// look-alike letter or in lower case.
fn related_name(rng: &mut Rng, base: &str) -> String {
    match rng.below(4) {
        0 => {
            // an underscore before the second capital
            let at = base
                .char_indices()
                .skip(1)
                .find(|(_, c)| c.is_uppercase())
                .map_or(base.len(), |(i, _)| i);
            format!("{}_{}", &base[..at], &base[at..])
        }
        1 => format!("{}{}", base.to_lowercase(), rng.range(2, 99)),
        2 => base.replacen('i', "1", 1).replacen('o', "0", 1),
        _ => format!("{base}SE"),
    }
}

/// The price of a listing in a month, in SEK.
fn price_sek(world: &World, m: u32, l: &Listing) -> f64 {
    let (substance, _, _, pieces) = PRODUCTS[l.product];
    let per_gram = world.prices[m as usize]
        .get(substance)
        .copied()
        .unwrap_or(100.0);
    // pills are a third of a gram's price each; larger quantities cost less per unit
    let per_unit = if pieces { per_gram / 3.0 } else { per_gram };
    let q = f64::from(l.quantity);
    per_unit * q * q.powf(-0.12) * l.markup
}

/// One month's crawl of a market's category page, and the number of listings on it.
fn market_page(
    rng: &mut Rng,
    world: &World,
    site: &MarketSite,
    mi: usize,
    m: u32,
    vendors: &[Vendor],
) -> (String, u64) {
    let (year, month) = world.calendar[m as usize];
    let mut cards = String::new();
    let mut items = Vec::new();
    let mut count = 0u64;
    for v in vendors {
        let Some(vendor) = &v.names[mi] else {
            continue;
        };
        if !v.active(world, m) {
            continue;
        }
        for l in &v.listings {
            let (substance, title, _, pieces) = PRODUCTS[l.product];
            let unit = if pieces { "st" } else { "g" };
            let sek = price_sek(world, m, l);
            let (price, shown) = if site.currency == "USD" {
                let usd = (sek / SEK_PER_USD * 100.0).round() / 100.0;
                (format!("{usd:.2}"), format!("${usd:.2}"))
            } else {
                let kr = (sek / 10.0).round() * 10.0;
                (format!("{kr:.0}"), format!("{} kr", thousands(kr as u64)))
            };
            // what vendors claim: purity for powders, THC for cannabis
            let claim = match substance {
                "kokain" => format!("Renhet ca {} %. ", rng.range(80, 95)),
                "amfetamin" | "heroin" => format!("Renhet ca {} %. ", rng.range(45, 75)),
                "cannabis" => format!("THC ca {} %. ", rng.range(15, 28)),
                _ => String::new(),
            };
            let description = format!(
                "{title}, {} {unit}. {claim}Diskret vakuumförpackning, skickas inom 24 h. Spårbart på begäran.",
                l.quantity,
            );
            let title = format!("{title} {}{unit}", l.quantity);
            let url = format!("http://{}/listing/{}", site.host, l.id);
            let vendor_url = format!("http://{}/vendor/{}", site.host, vendor);
            if site.json_ld {
                items.push(serde_json::json!({
                    "@type": "ListItem",
                    "position": items.len() + 1,
                    "item": {
                        "@type": "Product",
                        "@id": url,
                        "url": url,
                        "name": title,
                        "category": substance,
                        "description": description,
                        "offers": {
                            "@type": "Offer",
                            "price": price,
                            "priceCurrency": site.currency,
                            "eligibleQuantity": {"@type": "QuantitativeValue", "value": l.quantity, "unitText": unit},
                            "seller": {"@type": "Person", "name": vendor, "url": vendor_url},
                            "shippingDetails": {
                                "@type": "OfferShippingDetails",
                                "shippingOrigin": {"@type": "DefinedRegion", "addressCountry": v.ships_from},
                                "shippingDestination": v.ships_to.iter().map(|c| serde_json::json!({"@type": "DefinedRegion", "addressCountry": c})).collect::<Vec<_>>(),
                            },
                        },
                        "aggregateRating": {
                            "@type": "AggregateRating",
                            "ratingValue": format!("{:.2}", v.rating),
                            "bestRating": "5",
                            "reviewCount": v.reviews,
                        },
                    },
                }));
                let _ = writeln!(
                    cards,
                    "<div class=\"card\"><a href=\"{url}\"><h3>{}</h3></a><p class=\"price\">{}</p><p>av <a href=\"{vendor_url}\">{}</a> ★ {:.2} ({})</p></div>",
                    escape(&title),
                    escape(&shown),
                    escape(vendor),
                    v.rating,
                    v.reviews
                );
            } else {
                let destinations: String = v
                    .ships_to
                    .iter()
                    .map(|c| {
                        format!(
                            "<span itemprop=\"shippingDestination\" itemscope itemtype=\"https://schema.org/DefinedRegion\"><meta itemprop=\"addressCountry\" content=\"{c}\">{c}</span> "
                        )
                    })
                    .collect();
                let _ = write!(
                    cards,
                    r#"<article class="listing" itemscope itemtype="https://schema.org/Product" itemid="{url}">
  <h2 itemprop="name">{title}</h2>
  <p class="category">Kategori: <span itemprop="category">{substance}</span></p>
  <div itemprop="description">{description}</div>
  <div class="offer" itemprop="offers" itemscope itemtype="https://schema.org/Offer">
    <span class="price" itemprop="price" content="{price}">{shown}</span><meta itemprop="priceCurrency" content="{currency}">
    <span itemprop="eligibleQuantity" itemscope itemtype="https://schema.org/QuantitativeValue"><span itemprop="value">{quantity}</span> <span itemprop="unitText">{unit}</span></span>
    <div class="vendor" itemprop="seller" itemscope itemtype="https://schema.org/Person">Säljare: <a itemprop="url" href="{vendor_url}"><span itemprop="name">{vendor}</span></a></div>
    <div class="shipping" itemprop="shippingDetails" itemscope itemtype="https://schema.org/OfferShippingDetails">Skickas från <span itemprop="shippingOrigin" itemscope itemtype="https://schema.org/DefinedRegion"><meta itemprop="addressCountry" content="{from}">{from}</span> till {destinations}</div>
  </div>
  <div class="rating" itemprop="aggregateRating" itemscope itemtype="https://schema.org/AggregateRating">★ <span itemprop="ratingValue">{rating:.2}</span>/<span itemprop="bestRating">5</span> (<span itemprop="reviewCount">{reviews}</span> omdömen)</div>
</article>
"#,
                    title = escape(&title),
                    description = escape(&description),
                    shown = escape(&shown),
                    currency = site.currency,
                    from = v.ships_from,
                    quantity = l.quantity,
                    vendor = escape(vendor),
                    rating = v.rating,
                    reviews = v.reviews,
                );
            }
            count += 1;
        }
    }
    let head = format!(
        "<!DOCTYPE html>\n<html lang=\"sv\">\n<head>\n<meta charset=\"utf-8\">\n<title>{name} – Droger – {year:04}-{month:02}</title>\n<meta property=\"og:site_name\" content=\"{name}\">\n<link rel=\"canonical\" href=\"http://{host}/category/droger\">\n",
        name = site.name,
        host = site.host
    );
    let ld = if site.json_ld {
        let list = serde_json::json!({
            "@context": "https://schema.org",
            "@type": "ItemList",
            "name": "Droger",
            "itemListElement": items,
        });
        format!(
            "<script type=\"application/ld+json\">\n{}\n</script>\n",
            serde_json::to_string_pretty(&list)
                .expect("JSON values serialise")
                .replace("</", "<\\/")
        )
    } else {
        String::new()
    };
    let page = format!(
        "{head}{ld}</head>\n<body>\n<header><h1>{}</h1><nav><a href=\"/category/droger\">Droger</a> · <a href=\"/vendors\">Säljare</a> · <a href=\"/support\">Support</a></nav></header>\n<main>\n{cards}</main>\n<footer>Betala med XMR eller BTC. Escrow på alla order.</footer>\n</body>\n</html>\n",
        site.name
    );
    (page, count)
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(c);
    }
    out
}

/// A network's sales channel as its public preview page shows it after scrolling through the
/// period: (file name, page, posts, truth).
fn channel_page(
    rng: &mut Rng,
    world: &World,
    net: &Network,
    texts: &mut Texts,
) -> (String, String, u64, ChannelTruth) {
    let home = &world.districts[net.territory[0]];
    let slug: String = home
        .name
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'å' | 'ä' => 'a',
            'ö' => 'o',
            c if c.is_ascii_alphanumeric() => c,
            _ => '_',
        })
        .collect();
    let channel = format!("{slug}_plug{}", net.id);
    let title = format!("{} Plug 🔌", home.name);
    let file = format!("tme-{channel}.html");
    let dealers: Vec<usize> = (0..world.people.len())
        .filter(|i| {
            let p = &world.people[*i];
            p.network == Some(net.id) && p.role == Some(Role::StreetDealer)
        })
        .collect();
    let mut admins = Vec::new();
    let mut posts = String::new();
    let mut count = 0u64;
    let mut post_id = 1 + rng.below(200);
    for (m, (year, month)) in world.calendar.iter().enumerate() {
        let active: Vec<usize> = dealers
            .iter()
            .copied()
            .filter(|i| world.people[*i].active(m as u32))
            .collect();
        if active.is_empty() {
            continue;
        }
        let mut days: Vec<i64> = (0..rng.poisson(12.0)).map(|_| rng.range(1, 28)).collect();
        days.sort_unstable();
        for day in days {
            let admin = &world.people[*rng.pick(&active)];
            if !admins.contains(&admin.id) {
                admins.push(admin.id.clone());
            }
            let (text, mentions) = menu(rng, world, m, admin, home);
            texts.add(&file, "listing", &text, &mentions);
            post_id += 1 + rng.below(3);
            count += 1;
            let (hour, minute) = (rng.range(9, 23), rng.below(60));
            let views = 200 + rng.below(3000);
            let _ = write!(
                posts,
                r#"<div class="tgme_widget_message_wrap js-widget_message_wrap"><div class="tgme_widget_message text_not_supported_wrap js-widget_message" data-post="{channel}/{post_id}" data-view="{view}">
<div class="tgme_widget_message_user"><a href="https://t.me/{channel}"><i class="tgme_widget_message_user_photo bgcolor0" data-content="{initial}"></i></a></div>
<div class="tgme_widget_message_bubble">
<div class="tgme_widget_message_author accent_color"><a class="tgme_widget_message_owner_name" href="https://t.me/{channel}"><span dir="auto">{title}</span></a></div>
<div class="tgme_widget_message_text js-message_text" dir="auto">{body}</div>
<div class="tgme_widget_message_footer compact js-message_footer"><div class="tgme_widget_message_info short js-message_info"><span class="tgme_widget_message_views">{views_shown}</span><span class="copyonly"> views</span><span class="tgme_widget_message_meta"><a class="tgme_widget_message_date" href="https://t.me/{channel}/{post_id}"><time datetime="{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:00+00:00" class="time">{hour:02}:{minute:02}</time></a></span></div></div>
</div></div></div>
"#,
                view = rng.next_u64() % 1_000_000_000,
                initial = escape(&home.name.chars().take(1).collect::<String>()),
                title = escape(&title),
                body = text
                    .split('\n')
                    .map(escape)
                    .collect::<Vec<_>>()
                    .join("<br/>"),
                views_shown = if views >= 1000 {
                    format!("{:.1}K", views as f64 / 1000.0)
                } else {
                    views.to_string()
                },
            );
        }
    }
    let page = format!(
        r#"<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>{title} – Telegram</title>
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="Telegram">
<link rel="canonical" href="https://t.me/s/{channel}">
</head>
<body class="widget_frame_base tgme_webpreview_body">
<header class="tgme_header search_collapsed"><div class="tgme_header_info"><div class="tgme_header_title"><span dir="auto">{title}</span></div><div class="tgme_header_counter">{subscribers} subscribers</div></div></header>
<main class="tgme_main"><section class="tgme_channel_history js-message_history">
{posts}</section></main>
</body>
</html>
"#,
        title = escape(&title),
        subscribers = 300 + rng.below(4000),
    );
    (
        file,
        page,
        count,
        ChannelTruth {
            channel,
            title,
            network: net.id,
            admins,
        },
    )
}

/// A menu post: a few substances with prices, the delivery area, and how to pay or write.
fn menu<'a>(
    rng: &mut Rng,
    world: &World,
    m: usize,
    admin: &Person,
    home: &District,
) -> (String, Vec<(&'a str, String)>) {
    let mut lines = Vec::new();
    let mut mentions = Vec::new();
    let mut chosen: Vec<usize> = (0..rng.range(2, 4))
        .map(|_| rng.below(7) as usize)
        .collect();
    chosen.sort_unstable();
    chosen.dedup();
    for p in chosen {
        let (substance, name, emoji, _) = PRODUCTS[p];
        let per_gram = world.prices[m].get(substance).copied().unwrap_or(100.0);
        let grams = *rng.pick(&[1u32, 2, 5, 10]);
        let price = ((per_gram * f64::from(grams) * 1.1) / 50.0).round() as u64 * 50;
        lines.push(format!("{emoji} {name} {grams}g {price}kr"));
        // what the product is, however the post names it
        mentions.extend(substance_of(substance).map(|v| ("substance", v.to_owned())));
        mentions.push(("quantity", format!("{grams} g")));
        mentions.push(("price", format!("{price} SEK")));
    }
    lines.push(format!("📍 Leverans {}", home.name));
    mentions.extend(place_of(&home.name));
    match (&admin.swish_business, admin.handles.first()) {
        (Some(swish), _) if rng.chance(0.5) => {
            lines.push(format!("💸 Swish {swish}"));
            mentions.push(("swish", swish.clone()));
        }
        (_, Some(handle)) => {
            lines.push(format!("DM {handle} 🔌"));
            mentions.push(("handle", handle.to_lowercase()));
        }
        _ => lines.push("DM för beställning 🔌".to_owned()),
    }
    (lines.join("\n"), mentions)
}
