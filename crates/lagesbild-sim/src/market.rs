//! Prices and purity that move with supply. Each substance has a supply index (1 = normal).
//! Seizures of wholesale quantities, and now and then a large seizure further up the chain
//! (customs, another region), take drugs off the market. The index falls and recovers over the
//! following months.
//!
//! Street prices rise as supply falls, with an elasticity of -0.6. Purity falls with supply, as
//! sellers cut more: purity follows supply^0.8. Customers buy less when prices rise. The price
//! elasticity of demand is -0.4, in the middle of the range that meta-analyses of illicit-drug
//! demand report (about -0.3 to -0.6).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::rng::Rng;

/// What one substance is sold as: name, street price per gram in SEK, typical street purity in
/// percent (low, high), and the weight of customers preferring it.
pub type Substance = (&'static str, f64, (f64, f64), u32);

/// How strongly street prices answer to supply (price ∝ supply^-PRICE_ELASTICITY).
const PRICE_ELASTICITY: f64 = 0.6;
/// How strongly purity answers to supply (purity ∝ supply^PURITY_ELASTICITY).
const PURITY_ELASTICITY: f64 = 0.8;
/// How strongly demand answers to price (purchases ∝ (price / base)^-DEMAND_ELASTICITY).
const DEMAND_ELASTICITY: f64 = 0.4;
/// The share of the gap to normal supply that closes each month.
const RECOVERY: f64 = 0.5;
/// The chance per substance and month of a large seizure upstream.
const UPSTREAM_SHOCK: f64 = 0.04;
/// How much of the seized share of a month's market is missing the next month: the region's
/// sellers also buy elsewhere.
const SEIZURE_PASS_THROUGH: f64 = 0.5;

/// The market of every substance.
#[derive(Debug, Clone)]
pub struct Market {
    substances: &'static [Substance],
    supply: Vec<f64>,
    /// Wholesale grams seized this month, per substance.
    seized: Vec<f64>,
    /// Upstream shocks this month, per substance: the share removed.
    shocks: Vec<f64>,
}

/// One month of the market as it really was, for `truth.json`.
#[derive(Debug, Clone, Serialize, Default)]
pub struct MarketTruth {
    /// Supply index per substance (1 = normal).
    pub supply: BTreeMap<String, f64>,
    /// Mean street price, SEK per gram.
    pub price_sek_per_gram: BTreeMap<String, f64>,
    /// Mean street purity in percent.
    pub purity_percent: BTreeMap<String, f64>,
    /// Wholesale quantities seized in the region, grams.
    pub seized_wholesale_grams: BTreeMap<String, f64>,
    /// Large seizures upstream that took this share of the month's supply.
    pub upstream_shocks: BTreeMap<String, f64>,
}

impl Market {
    pub fn new(substances: &'static [Substance]) -> Market {
        Market {
            substances,
            supply: vec![1.0; substances.len()],
            seized: vec![0.0; substances.len()],
            shocks: vec![0.0; substances.len()],
        }
    }

    /// The month's mean street price per gram, rounded to 10 SEK as sellers quote.
    pub fn price(&self, s: usize) -> f64 {
        let base = self.substances[s].1;
        (base * self.supply[s].powf(-PRICE_ELASTICITY) / 10.0).round() * 10.0
    }

    /// The month's mean street purity in percent.
    pub fn purity(&self, s: usize) -> f64 {
        let (lo, hi) = self.substances[s].2;
        let mid = (lo + hi) / 2.0;
        (mid * self.supply[s].powf(PURITY_ELASTICITY)).clamp(lo * 0.6, hi)
    }

    /// A purity a laboratory could measure for one seizure: spread over the substance's range
    /// around the month's mean; wholesale quantities are purer than street deals, cut later.
    pub fn sample_purity(&self, rng: &mut Rng, s: usize, wholesale: bool) -> f64 {
        let (lo, hi) = self.substances[s].2;
        let spread = (hi - lo) / 2.0;
        let mean = self.purity(s) * if wholesale { 1.25 } else { 1.0 };
        (mean + spread * (rng.unit() * 2.0 - 1.0)).clamp(1.0, 100.0)
    }

    /// How much of their usual rate customers buy at this month's price.
    pub fn demand(&self, s: usize) -> f64 {
        (self.price(s) / self.substances[s].1).powf(-DEMAND_ELASTICITY)
    }

    /// Records a seizure of `grams` of substance `s` at wholesale level.
    pub fn seized(&mut self, s: usize, grams: f64) {
        self.seized[s] += grams;
    }

    /// Closes a month: the truth of the month as it was, and the supply of the next one from
    /// what was consumed, what was seized and the shocks upstream.
    pub fn close_month(
        &mut self,
        rng: &mut Rng,
        consumed_grams: &BTreeMap<String, f64>,
    ) -> MarketTruth {
        let mut truth = MarketTruth::default();
        for (s, sub) in self.substances.iter().enumerate() {
            let name = sub.0.to_owned();
            truth.supply.insert(name.clone(), round3(self.supply[s]));
            truth.price_sek_per_gram.insert(name.clone(), self.price(s));
            truth
                .purity_percent
                .insert(name.clone(), round3(self.purity(s)));
            truth
                .seized_wholesale_grams
                .insert(name.clone(), round3(self.seized[s]));
            if self.shocks[s] > 0.0 {
                truth
                    .upstream_shocks
                    .insert(name.clone(), round3(self.shocks[s]));
            }
            // the share of a month's street market the region's seizures took
            let consumed = consumed_grams.get(sub.0).copied().unwrap_or(0.0).max(1.0);
            let seized_share = (self.seized[s] / consumed).min(0.6);
            let next = 1.0 + (1.0 - RECOVERY) * (self.supply[s] - 1.0)
                - SEIZURE_PASS_THROUGH * seized_share
                + 0.03 * rng.normal()
                - self.shocks[s];
            self.supply[s] = next.clamp(0.55, 1.3);
            self.seized[s] = 0.0;
            // a large seizure upstream lands on next month's supply
            self.shocks[s] = if rng.chance(UPSTREAM_SHOCK) {
                0.1 + rng.unit() * 0.2
            } else {
                0.0
            };
        }
        truth
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUBS: &[Substance] = &[("kokain", 900.0, (40.0, 90.0), 1)];

    #[test]
    fn a_seizure_raises_the_price_and_lowers_purity_then_the_market_recovers() {
        let mut m = Market::new(SUBS);
        let mut rng = Rng::new(7);
        let normal = (m.price(0), m.purity(0));
        assert_eq!(normal.0, 900.0);
        m.seized(0, 4_000.0); // 40 % of a month's 10 kg
        let consumed = BTreeMap::from([("kokain".to_owned(), 10_000.0)]);
        m.close_month(&mut rng, &consumed);
        let short = (m.price(0), m.purity(0));
        assert!(short.0 > normal.0 * 1.1, "{short:?} after {normal:?}");
        assert!(short.1 < normal.1 * 0.9, "{short:?} after {normal:?}");
        assert!(m.demand(0) < 1.0);
        for _ in 0..6 {
            m.close_month(&mut rng, &consumed);
        }
        // back near normal unless an upstream shock just struck
        assert!((m.price(0) - normal.0).abs() < 200.0, "{}", m.price(0));
    }

    #[test]
    fn purity_stays_in_its_range() {
        let mut m = Market::new(SUBS);
        let mut rng = Rng::new(1);
        let consumed = BTreeMap::from([("kokain".to_owned(), 100.0)]);
        for _ in 0..50 {
            m.seized(0, 1_000_000.0);
            m.close_month(&mut rng, &consumed);
            let p = m.sample_purity(&mut rng, 0, true);
            assert!((1.0..=100.0).contains(&p));
            assert!(m.purity(0) >= 24.0 && m.purity(0) <= 90.0);
            assert!(m.price(0) <= 900.0 * 1.5, "{}", m.price(0));
        }
    }
}
