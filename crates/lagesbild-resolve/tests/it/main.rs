//! Integration tests of entity resolution: hand-made cases from the domain, the synthetic data
//! against its truth, and property tests of the pure parts.

mod domain;
mod prop;
mod synthetic;
