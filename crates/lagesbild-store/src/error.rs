//! The errors of the store.

use std::path::PathBuf;

use lagesbild_model::PolicyError;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no store at {0} (run `lagesbild init` first, or pass --data)")]
    NotInitialised(PathBuf),
    #[error("a store already exists at {0}")]
    AlreadyExists(PathBuf),
    #[error(
        "the store at {path} has schema version {found}, newer than this program knows ({known}); \
         upgrade lagesbild"
    )]
    TooNew {
        path: PathBuf,
        found: u32,
        known: u32,
    },
    #[error(transparent)]
    Policy(#[from] PolicyError),
    #[error("not allowed: {0}")]
    Denied(String),
    #[error("unknown {kind} {id:?}")]
    NotFound { kind: &'static str, id: String },
    #[error("invalid query: {0}")]
    Query(String),
    #[error("database: {0}")]
    Db(#[from] rusqlite::Error),
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index: {0}")]
    IndexOpen(#[from] tantivy::directory::error::OpenDirectoryError),
    #[error("{context}: {source}")]
    Io {
        context: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Other(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
