//! Network analysis on compact adjacency arrays.
//!
//! A [`Graph`] keeps u32 node ids in compressed sparse rows (out-edges, and in-edges when
//! directed) with optional weights; it is built from an [`EdgeList`] of named nodes and edges
//! with kinds and times, filtered by kind and time window. The measures follow networkx's
//! definitions and normalisations (tested against its values to 1e-9) and run in parallel where
//! the work is per source or per node.
//!
//! ```
//! use lagesbild_graph::{Graph, centrality, structure};
//! let g = Graph::from_edges(4, [(0, 1, 1.0), (1, 2, 1.0), (2, 3, 1.0)], false);
//! let bc = centrality::betweenness(&g, false, None, 1, &|_| {});
//! assert!((bc.values[1] - 2.0 / 3.0).abs() < 1e-12);
//! assert_eq!(structure::weak_components(&g).count, 1);
//! ```

pub mod centrality;
pub mod community;
pub mod disrupt;
pub mod graph;
pub mod io;
pub mod links;
pub mod paths;
pub mod rng;
pub mod search;
pub mod structure;

pub use graph::{Csr, Edge, EdgeList, Filter, Graph};
