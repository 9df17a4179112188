//! A few handles on the same store, each with its own SQLite connection and index reader, so
//! that requests read in parallel. A request takes one, uses it on a blocking thread, and
//! gives it back. Writes that touch the search index take the write lock as well (the index
//! has one writer at a time); SQLite serialises the rest (the audit log's appends among them).

use std::path::Path;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

use lagesbild_store::{Store, StoreError};

use crate::problem::Problem;

pub struct Pool {
    free: Mutex<Vec<Store>>,
    returned: Condvar,
    size: usize,
    write: Mutex<()>,
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pool").field("size", &self.size).finish()
    }
}

/// Gives the store back to the pool however the work ends.
struct Lease<'a> {
    pool: &'a Pool,
    store: Option<Store>,
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        if let Some(store) = self.store.take() {
            lock(&self.pool.free).push(store);
            self.pool.returned.notify_one();
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // a panic in a handler leaves the data consistent: the stores are transactional
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Pool {
    /// Opens `size` handles on the store in `dir` (the first brings it up to date).
    pub fn open(dir: &Path, size: usize) -> Result<Pool, StoreError> {
        let mut stores = Vec::with_capacity(size);
        for _ in 0..size {
            stores.push(Store::open(dir)?);
        }
        Ok(Pool {
            free: Mutex::new(stores),
            returned: Condvar::new(),
            size,
            write: Mutex::new(()),
        })
    }

    pub fn size(&self) -> usize {
        self.size
    }

    /// Runs `f` on a free store, waiting for one if all are busy.
    pub fn with<R>(&self, f: impl FnOnce(&mut Store) -> R) -> R {
        let mut free = lock(&self.free);
        let store = loop {
            if let Some(s) = free.pop() {
                break s;
            }
            free = self
                .returned
                .wait(free)
                .unwrap_or_else(PoisonError::into_inner);
        };
        drop(free);
        let mut lease = Lease {
            pool: self,
            store: Some(store),
        };
        f(lease.store.as_mut().expect("leased"))
    }

    /// Runs `f` as [`Pool::with`], alone among the writers.
    pub fn write<R>(&self, f: impl FnOnce(&mut Store) -> R) -> R {
        let _one_writer = lock(&self.write);
        self.with(f)
    }
}

/// Runs blocking store work off the async threads.
pub async fn blocking<R: Send + 'static>(
    f: impl FnOnce() -> Result<R, Problem> + Send + 'static,
) -> Result<R, Problem> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Problem::internal(format!("a request's work failed: {e}")))?
}
