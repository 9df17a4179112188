//! A load generator for `lagesbild serve`: N users, each with its own API token and its own
//! keep-alive connection, alternate searches and entity pages for a while; the latencies'
//! percentiles, the rate and every answer that was not a success are reported as JSON.
//!
//! ```text
//! cargo run --release -p lagesbild-server --example load -- \
//!     --addr 127.0.0.1:8080 --tokens tokens.txt --ids ids.txt --terms terms.txt \
//!     --seconds 60 --think-ms 1000
//! ```
//!
//! Each user waits a random think time (exponential, mean `--think-ms`) between requests, as
//! a person does; `--think-ms 0` sends as fast as the server answers (saturation). See
//! `bench/load.sh`, which sets up the simulated city, the users and the server.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt as _, AsyncReadExt as _, AsyncWriteExt as _, BufReader};
use tokio::net::TcpStream;

use lagesbild_graph::rng::Rng;

struct Args {
    addr: String,
    tokens: Vec<String>,
    ids: Vec<String>,
    terms: Vec<String>,
    seconds: u64,
    think_ms: u64,
}

fn lines(path: &str) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

fn args() -> Args {
    let mut a = Args {
        addr: "127.0.0.1:8080".into(),
        tokens: Vec::new(),
        ids: Vec::new(),
        terms: Vec::new(),
        seconds: 60,
        think_ms: 1000,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--addr" => a.addr = value(),
            "--tokens" => a.tokens = lines(&value()),
            "--ids" => a.ids = lines(&value()),
            "--terms" => a.terms = lines(&value()),
            "--seconds" => a.seconds = value().parse().expect("--seconds N"),
            "--think-ms" => a.think_ms = value().parse().expect("--think-ms N"),
            other => panic!("unknown flag {other}"),
        }
    }
    assert!(!a.tokens.is_empty(), "--tokens FILE: one token per line");
    assert!(!a.ids.is_empty(), "--ids FILE: entity ids, one per line");
    assert!(
        !a.terms.is_empty(),
        "--terms FILE: search terms, one per line"
    );
    a
}

/// Uniform in [0, 1) from the seeded generator.
fn unit(rng: &mut Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// One request on a keep-alive connection: the status and the body's length.
async fn get(
    conn: &mut BufReader<TcpStream>,
    host: &str,
    path: &str,
    token: &str,
) -> std::io::Result<(u16, usize)> {
    let req = format!(
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n\
         X-Purpose: lasttest\r\nAccept: application/json\r\n\r\n"
    );
    conn.get_mut().write_all(req.as_bytes()).await?;
    let mut line = String::new();
    conn.read_line(&mut line).await?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad status line {line:?}")))?;
    let mut length = 0usize;
    let mut chunked = false;
    loop {
        line.clear();
        conn.read_line(&mut line).await?;
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse().unwrap_or(0);
            } else if k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked") {
                chunked = true;
            }
        }
    }
    if chunked {
        let mut total = 0;
        loop {
            line.clear();
            conn.read_line(&mut line).await?;
            let n = usize::from_str_radix(line.trim(), 16).unwrap_or(0);
            let mut buf = vec![0u8; n + 2];
            conn.read_exact(&mut buf).await?;
            total += n;
            if n == 0 {
                return Ok((status, total));
            }
        }
    }
    let mut body = vec![0u8; length];
    conn.read_exact(&mut body).await?;
    Ok((status, length))
}

#[derive(Default)]
struct Tally {
    latencies_us: Vec<u64>,
    by_kind: BTreeMap<&'static str, Vec<u64>>,
    failures: BTreeMap<String, u64>,
}

async fn user(n: usize, a: std::sync::Arc<Args>, until: Instant) -> Tally {
    let mut rng = Rng::new(n as u64 + 1);
    let token = &a.tokens[n % a.tokens.len()];
    let mut t = Tally::default();
    let mut conn: Option<BufReader<TcpStream>> = None;
    // start at a random moment of the first think time, as users do not all click at once
    if a.think_ms > 0 {
        tokio::time::sleep(Duration::from_millis(rng.below(a.think_ms as usize) as u64)).await;
    }
    while Instant::now() < until {
        let (kind, path) = if rng.below(2) == 0 {
            let q = &a.terms[rng.below(a.terms.len())];
            ("search", format!("/api/v1/search?q={}&limit=20", encode(q)))
        } else {
            let id = &a.ids[rng.below(a.ids.len())];
            ("entity", format!("/api/v1/entities/{}", encode(id)))
        };
        if conn.is_none() {
            match TcpStream::connect(&a.addr).await {
                Ok(s) => {
                    let _ = s.set_nodelay(true);
                    conn = Some(BufReader::new(s));
                }
                Err(e) => {
                    *t.failures.entry(format!("connect: {e}")).or_default() += 1;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            }
        }
        let started = Instant::now();
        let c = conn.as_mut().expect("connected above");
        match get(c, &a.addr, &path, token).await {
            Ok((status, _)) => {
                let us = started.elapsed().as_micros() as u64;
                t.latencies_us.push(us);
                t.by_kind.entry(kind).or_default().push(us);
                if !(200..300).contains(&status) {
                    *t.failures.entry(format!("{kind} {status}")).or_default() += 1;
                }
            }
            Err(e) => {
                *t.failures.entry(format!("{kind}: {e}")).or_default() += 1;
                conn = None;
            }
        }
        if a.think_ms > 0 {
            let think = -(a.think_ms as f64) * (1.0 - unit(&mut rng)).ln();
            tokio::time::sleep(Duration::from_millis(
                think.min(10.0 * a.think_ms as f64) as u64
            ))
            .await;
        }
    }
    t
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let k = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[k] as f64 / 1000.0
}

fn summary(v: &mut [u64]) -> serde_json::Value {
    v.sort_unstable();
    serde_json::json!({
        "requests": v.len(),
        "p50_ms": percentile(v, 50.0), "p90_ms": percentile(v, 90.0),
        "p99_ms": percentile(v, 99.0), "max_ms": percentile(v, 100.0),
    })
}

fn main() {
    let a = std::sync::Arc::new(args());
    let users = a.tokens.len();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a runtime");
    let started = Instant::now();
    let until = started + Duration::from_secs(a.seconds);
    let tallies: Vec<Tally> = rt.block_on(async {
        let tasks: Vec<_> = (0..users)
            .map(|n| tokio::spawn(user(n, a.clone(), until)))
            .collect();
        let mut out = Vec::new();
        for t in tasks {
            out.push(t.await.expect("a user's task"));
        }
        out
    });
    let secs = started.elapsed().as_secs_f64();
    let mut all = Vec::new();
    let mut kinds: BTreeMap<&str, Vec<u64>> = BTreeMap::new();
    let mut failures: BTreeMap<String, u64> = BTreeMap::new();
    for t in tallies {
        all.extend(t.latencies_us);
        for (k, v) in t.by_kind {
            kinds.entry(k).or_default().extend(v);
        }
        for (k, n) in t.failures {
            *failures.entry(k).or_default() += n;
        }
    }
    let total = all.len();
    let errors: u64 = failures.values().sum();
    let mut report = serde_json::json!({
        "users": users, "seconds": secs, "think_ms": a.think_ms,
        "requests_per_second": total as f64 / secs,
        "errors": errors, "failures": failures,
        "all": summary(&mut all),
    });
    for (k, mut v) in kinds {
        report[k] = summary(&mut v);
    }
    println!("{}", serde_json::to_string_pretty(&report).expect("JSON"));
}
