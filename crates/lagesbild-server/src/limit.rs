//! A token bucket per user (or per address before login): a sustained rate of requests per
//! second with bursts of twice as many; beyond that, 429 with the seconds to wait.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

#[derive(Debug)]
pub struct Limiter {
    rate: f64,
    burst: f64,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl Limiter {
    /// `rate` requests per second; 0 turns the limit off.
    pub fn new(rate: u32) -> Limiter {
        Limiter {
            rate: f64::from(rate),
            burst: f64::from(rate) * 2.0,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one request from `who`'s bucket: `Err(seconds to wait)` when it is empty.
    pub fn take(&self, who: &str) -> Result<(), u64> {
        if self.rate <= 0.0 {
            return Ok(());
        }
        let now = Instant::now();
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if buckets.len() > 100_000 {
            // forget the buckets that have filled up again
            let (rate, burst) = (self.rate, self.burst);
            buckets.retain(|_, (tokens, at)| {
                *tokens + now.duration_since(*at).as_secs_f64() * rate < burst
            });
        }
        let (tokens, at) = buckets.entry(who.to_owned()).or_insert((self.burst, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * self.rate).min(self.burst);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - *tokens) / self.rate).ceil().max(1.0) as u64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_passes_then_requests_wait() {
        let l = Limiter::new(5);
        for _ in 0..10 {
            assert!(l.take("anna").is_ok());
        }
        assert_eq!(l.take("anna"), Err(1));
        // another user has a bucket of their own
        assert!(l.take("bertil").is_ok());
        assert!(Limiter::new(0).take("anna").is_ok());
    }
}
