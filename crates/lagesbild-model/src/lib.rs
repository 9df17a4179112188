//! The domain model of Lägesbild: schemata with typed, multi-valued properties (FollowTheMoney
//! names where FtM has them), value types that normalise, records and the fragments they yield,
//! the policy fields every record carries, and the principal and purpose of every access.
//!
//! This crate knows no storage, no HTTP and no file formats.

pub mod policy;
pub mod principal;
pub mod record;
pub mod schema;
pub mod suppress;
pub mod types;
pub mod visibility;

pub use policy::{Grading, Handling, InfoGrade, Policy, PolicyError, SourceGrade, SubjectCategory};
pub use principal::{AuditOp, Principal, Purpose, Role};
pub use record::{Fragment, FragmentError, PropValue, Record, SourceRef};
pub use schema::{Model, Property, Schema, model};
pub use types::{Context, Normalised, PropType};
pub use visibility::{Agreement, Use, Visibility};
