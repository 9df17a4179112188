//! A nation: `NATION_REGIONS` regional markets, each of the size of `Scale::Region` and with
//! its own random stream, written into `region-NN/` as a complete world with its own
//! `truth.json`. The regions are simulated on all cores, a few at a time. Memory is that of the
//! regions in flight, whatever the number of regions, and every file is streamed to disk.
//!
//! Each region has the fictional layout of Sydkusten, moved north and east on the map so that
//! the regions tile southern and central Sweden. The nation's `truth.json` lists the regions and
//! counts every file.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Serialize;

use crate::rng::Rng;
use crate::{Config, NATION_REGIONS, Scale, SimError, Summary, create_dir, region};

#[derive(Serialize)]
struct RegionTruth {
    dir: String,
    /// How far the region's map is moved from Sydkusten's (degrees of latitude, longitude).
    offset: (f64, f64),
    people: usize,
    networks: usize,
}

#[derive(Serialize)]
struct NationTruth<'a> {
    seed: u64,
    scale: Scale,
    months: u32,
    regions: &'a [RegionTruth],
    files: &'a BTreeMap<String, u64>,
}

/// Where region `k` lies: rows of five going north, each row centred on the country's axis,
/// which runs north-north-east.
fn offset(k: usize) -> (f64, f64) {
    let (row, col) = ((k / 5) as f64, (k % 5) as f64);
    let dlat = row * 0.55;
    let axis = dlat * 0.9;
    (dlat, axis + (col - 2.0) * 0.6)
}

pub fn simulate(
    cfg: &Config,
    out: &Path,
    progress: impl Fn(usize, usize) + Sync,
) -> Result<Summary, SimError> {
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 4);
    regions(cfg, out, NATION_REGIONS, Scale::Nation, workers, progress)
}

/// `count` regions of the size of `size`, simulated by `workers` threads.
fn regions(
    cfg: &Config,
    out: &Path,
    count: usize,
    size: Scale,
    workers: usize,
    progress: impl Fn(usize, usize) + Sync,
) -> Result<Summary, SimError> {
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<Summary, SimError>>>> =
        Mutex::new((0..count).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    if k >= count {
                        return;
                    }
                    let dir = out.join(format!("region-{:02}", k + 1));
                    let result = create_dir(&dir).and_then(|()| {
                        let root = Rng::new(cfg.seed).fork(&format!("region-{k}"));
                        region(cfg, root, size, offset(k), &dir)
                    });
                    let failed = result.is_err();
                    results.lock().expect("no worker panics")[k] = Some(result);
                    progress(done.fetch_add(1, Ordering::Relaxed) + 1, count);
                    if failed {
                        // the others stop at their next region
                        next.store(count, Ordering::Relaxed);
                        return;
                    }
                }
            });
        }
    });
    let mut files = BTreeMap::new();
    let mut regions = Vec::new();
    let (mut people, mut networks) = (0, 0);
    for (k, r) in results
        .into_inner()
        .expect("no worker panics")
        .into_iter()
        .enumerate()
    {
        let Some(r) = r else {
            continue;
        };
        let s = r?;
        let dir = format!("region-{:02}", k + 1);
        for (name, rows) in s.files {
            files.insert(format!("{dir}/{name}"), rows);
        }
        people += s.people;
        networks += s.networks;
        regions.push(RegionTruth {
            dir,
            offset: offset(k),
            people: s.people,
            networks: s.networks,
        });
    }
    let truth = NationTruth {
        seed: cfg.seed,
        scale: Scale::Nation,
        months: cfg.months,
        regions: &regions,
        files: &files,
    };
    let path = out.join("truth.json");
    let text = serde_json::to_vec(&truth).expect("the truth serialises");
    std::fs::write(&path, text).map_err(|source| SimError::Write { path, source })?;
    Ok(Summary {
        files,
        people,
        networks,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    let name = p.strip_prefix(dir).unwrap().display().to_string();
                    out.push((name, std::fs::read(&p).unwrap()));
                }
            }
        }
        out.sort();
        out
    }

    /// Regions are the same bytes whichever thread writes them and in whatever order, and each
    /// is a world of its own.
    #[test]
    fn regions_do_not_depend_on_the_threads() {
        let cfg = Config {
            seed: 11,
            scale: Scale::Nation,
            months: 2,
            start: (2026, 1),
        };
        let (one, three) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let a = regions(&cfg, one.path(), 3, Scale::Town, 1, |_, _| {}).unwrap();
        let done = AtomicUsize::new(0);
        let b = regions(&cfg, three.path(), 3, Scale::Town, 3, |n, total| {
            assert_eq!(total, 3);
            done.fetch_max(n, Ordering::Relaxed);
        })
        .unwrap();
        assert_eq!(done.into_inner(), 3);
        assert_eq!(a.files, b.files);
        let (x, y) = (bytes(one.path()), bytes(three.path()));
        assert_eq!(x.len(), y.len());
        assert!(x == y, "the same seed gave other bytes");
        // three regions, each with its own truth, and the nation's
        let truths = x.iter().filter(|(n, _)| n.ends_with("truth.json")).count();
        assert_eq!(truths, 4);
        let swish = |r: &str| {
            x.iter()
                .find(|(n, _)| n == &format!("{r}/swish.csv"))
                .map(|(_, b)| b.clone())
                .unwrap()
        };
        assert_ne!(swish("region-01"), swish("region-02"));
        let truth: serde_json::Value =
            serde_json::from_slice(&x.iter().find(|(n, _)| n == "truth.json").unwrap().1).unwrap();
        assert_eq!(truth["regions"].as_array().unwrap().len(), 3);
        assert_eq!(
            truth["files"]["region-02/swish.csv"].as_u64(),
            a.files.get("region-02/swish.csv").copied()
        );
    }

    #[test]
    fn regions_lie_in_sweden_and_apart() {
        for k in 0..crate::NATION_REGIONS {
            let (dlat, dlon) = offset(k);
            // Sydkusten's centre is near 55.7 N, 13.0 E
            let (lat, lon) = (55.7 + dlat, 13.0 + dlon);
            assert!((55.0..=62.0).contains(&lat), "{k}: {lat}");
            assert!((11.0..=19.5).contains(&lon), "{k}: {lon}");
            for j in 0..k {
                let o = offset(j);
                assert!((o.0 - dlat).abs() >= 0.5 || (o.1 - dlon).abs() >= 0.5);
            }
        }
    }
}
