//! The command line: global options and one subcommand per task.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Lägesbild: the shared situation picture of the illegal drug trade.
///
/// Every command that reads or writes data acts for a user (--user) and a purpose (--purpose),
/// and is written to the tamper-evident audit log.
#[derive(Debug, Parser)]
#[command(name = "lagesbild", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct Global {
    /// The store directory
    #[arg(
        long,
        global = true,
        env = "LAGESBILD_DATA",
        default_value = "./lagesbild-data"
    )]
    pub data: PathBuf,
    /// Who is acting (defaults to LAGESBILD_USER, then the login name)
    #[arg(long, global = true, env = "LAGESBILD_USER")]
    pub user: Option<String>,
    /// The organisation the user acts for
    #[arg(
        long = "user-org",
        global = true,
        env = "LAGESBILD_USER_ORG",
        default_value = "local"
    )]
    pub user_org: String,
    /// Why: the justification logged with every access (e.g. a case number)
    #[arg(long, global = true, env = "LAGESBILD_PURPOSE")]
    pub purpose: Option<String>,
    /// Print results as JSON
    #[arg(long, global = true)]
    pub json: bool,
    /// More log output on stderr (-v, -vv)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Only errors on stderr, no progress
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create an empty store
    Init,
    /// Read files into the store (FtM JSON Lines, CSV through an FtM mapping, chat exports, bank
    /// statements, drug-listing pages)
    Ingest(Box<IngestArgs>),
    /// Full-text search (BM25) with filters
    Search(SearchArgs),
    /// Show an entity: every value with its source, organisation, grading and handling code
    Show(ShowArgs),
    /// Counts of batches, records, entities and statements
    Stats,
    /// Find the people in the store who are the same and propose them for review
    Resolve(ResolveArgs),
    /// Walk the proposed pairs, the most uncertain first, and judge them
    Review(ReviewArgs),
    /// Judge two entities: same (merge), not-same (never merge), unsure
    Judge {
        a: String,
        b: String,
        /// same, not-same or unsure
        verdict: String,
    },
    /// The judgements, newest first
    Judgements {
        #[arg(long, short = 'n', default_value_t = 50)]
        limit: u64,
    },
    /// Undo a judgement: the mapping becomes what the judgements that remain give
    Undo { judgement: i64 },
    /// Counts of events per area and month with small cells suppressed: what partners see
    Aggregate(AggregateArgs),
    /// The audit log: list entries or verify the hash chain
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Rebuild the search index from the store
    Reindex,
    /// Write a simulated regional drug market with its ground truth (truth.json)
    Simulate(SimulateArgs),
    /// Find phones, accounts, wallets, handles, drugs, amounts and places in text
    Extract(ExtractArgs),
    /// Network analysis on the store's links or an edge list
    #[command(subcommand)]
    Graph(GraphCommand),
    /// Organisations of the directory (police regions, customs, municipalities, schools...)
    #[command(subcommand)]
    Org(OrgCommand),
    /// Users of the directory: roles, passwords, lockout
    #[command(subcommand)]
    User(UserCommand),
    /// Compartments (operations, cases): their data is invisible outside them
    #[command(subcommand)]
    Compartment(CompartmentCommand),
    /// Sharing agreements between organisations
    #[command(subcommand)]
    Agreement(AgreementCommand),
    /// API tokens: hashed, scoped, expiring, revocable
    #[command(subcommand)]
    Token(TokenCommand),
    /// Retention: periods per data-subject category, what is due, and erasure
    #[command(subcommand)]
    Retention(RetentionCommand),
    /// Getis-Ord Gi* hotspots (or kernel density) of events in H3 or SWEREF grid cells
    Hotspots(Box<crate::commands::geo::HotspotsArgs>),
    /// Emerging hotspots: Gi* per time step and a Mann–Kendall trend per cell
    Emerging(Box<crate::commands::geo::EmergingArgs>),
    /// Near-repeat Knox test over spatial × temporal bands
    Nearrepeat(Box<crate::commands::geo::NearRepeatArgs>),
    /// Weekly or monthly counts per area and category with a baseline and alerts
    Trends(Box<crate::commands::geo::TrendsArgs>),
    /// Before/after with comparison areas (difference in differences) and displacement (WDQ)
    Intervention(Box<crate::commands::geo::InterventionArgs>),
    /// The lägesbild of an area and period as one HTML file (and PDF): maps, trends, networks
    Report(Box<crate::commands::report::ReportArgs>),
    /// Link two CSV files of people: matched pairs with probability and weight
    Link(crate::resolve::LinkArgs),
    /// Deduplicate a CSV file of people: each record's cluster
    Dedupe(crate::resolve::DedupeArgs),
    /// Serve the web app and the JSON API (docs/api.md) over the store
    Serve(Box<crate::commands::serve::ServeArgs>),
}

#[derive(Debug, Subcommand)]
pub enum RetentionCommand {
    /// Set how long records of a data-subject category are kept after the last relevant entry
    Set {
        /// suspect, convicted, victim, witness, contact, informant, not_suspected, none, unknown
        category: String,
        #[arg(long)]
        years: u32,
    },
    /// List the periods
    List,
    /// What would be erased (or reviewed) and why
    Plan {
        /// The date to plan for (default today)
        #[arg(long)]
        as_of: Option<String>,
    },
    /// Erase what is due: records, statements, links, keys, index entries, merges they alone
    /// supported
    Run {
        #[arg(long)]
        as_of: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum OrgCommand {
    /// Add an organisation
    Add {
        name: String,
        /// What kind: police, customs, municipality, school, social-services, housing, europol,
        /// other
        #[arg(long, default_value = "police")]
        kind: String,
    },
    /// List the organisations
    List,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user; the password is read from LAGESBILD_NEW_PASSWORD or the first line of
    /// standard input (never from the command line, where others could see it)
    Add {
        name: String,
        #[arg(long)]
        org: String,
        /// analyst, investigator, area-officer, partner, liaison, auditor, administrator
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
    },
    /// List users with roles, compartments and lockouts
    List,
    /// Give a user a role
    Grant {
        name: String,
        #[arg(long)]
        role: String,
    },
    /// Take a role from a user
    Revoke {
        name: String,
        #[arg(long)]
        role: String,
    },
    /// Set a new password (read as for `add`); lifts a lockout
    Passwd { name: String },
    /// Stop a user from logging in
    Disable { name: String },
    /// Let a disabled user log in again
    Enable { name: String },
}

#[derive(Debug, Subcommand)]
pub enum CompartmentCommand {
    /// Add a compartment
    Add {
        name: String,
        #[arg(long, default_value = "")]
        description: String,
    },
    /// List compartments and their members
    List,
    /// Make a user a member
    Grant {
        compartment: String,
        #[arg(value_name = "USER")]
        member: String,
    },
    /// End a user's membership
    Revoke {
        compartment: String,
        #[arg(value_name = "USER")]
        member: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum AgreementCommand {
    /// Record that one organisation shares its records (or only counts) with another
    Add {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        /// Only these datasets (repeatable); all when not given
        #[arg(long = "dataset")]
        datasets: Vec<String>,
        /// The provider consents to its H2 records going to the recipient
        #[arg(long)]
        h2_consent: bool,
        /// Only aggregate counts are shared, never records
        #[arg(long)]
        aggregates_only: bool,
    },
    /// List the agreements in force
    List,
    /// End an agreement
    Revoke { id: i64 },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token for a user; it is printed once and only its hash is kept
    Create {
        /// The user the token acts for
        #[arg(value_name = "USER")]
        owner: String,
        /// read, or read,write
        #[arg(long, default_value = "read")]
        scope: String,
        /// When it expires (RFC 3339)
        #[arg(long)]
        expires: String,
    },
    /// List tokens (never the tokens themselves)
    List,
    /// Revoke a token
    Revoke { id: i64 },
}

/// Where the network comes from and which edges it keeps.
#[derive(Debug, Args, Clone)]
pub struct GraphSource {
    /// An edge list (CSV: source,target[,weight][,time][,kind]) instead of the store
    #[arg(long)]
    pub edges: Option<PathBuf>,
    /// Keep edge direction (payer → beneficiary, sender → recipient)
    #[arg(long)]
    pub directed: bool,
    /// Use weights as lengths for paths, closeness and betweenness
    #[arg(long)]
    pub weighted: bool,
    /// Only edges of these kinds (schema or property names: Payment, Message, mentions…)
    #[arg(long = "kind")]
    pub kinds: Vec<String>,
    /// Only edges from this time on (YYYY-MM-DD; edge lists with a time column)
    #[arg(long)]
    pub from: Option<String>,
    /// Only edges before this time
    #[arg(long)]
    pub to: Option<String>,
    /// From the store, for a court export: links stated only in H1 records are left out
    #[arg(long, conflicts_with = "disclose_to")]
    pub for_court: bool,
    /// From the store, to be passed on to this organisation: what the handling codes keep
    /// from it (H2 without the provider's consent, H3) is left out, and the disclosure is logged
    #[arg(long, value_name = "ORG")]
    pub disclose_to: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum GraphCommand {
    /// Centralities, cores, components and brokers; the top nodes
    Metrics(GraphMetricsArgs),
    /// Leiden communities with modularity
    Communities(GraphCommunitiesArgs),
    /// Shortest (or k shortest) paths between two nodes
    Path(GraphPathArgs),
    /// The neighbourhood of a node, with hubs summarised
    Ego(GraphEgoArgs),
    /// Remove the top nodes by a measure (or given nodes) and see the network fragment
    Disrupt(GraphDisruptArgs),
    /// Write the network with measures and communities for Gephi (GEXF, GraphML) or i2 (CSV)
    Export(GraphExportArgs),
    /// How the network changed between two time slices (edge lists with a time column)
    Change(GraphChangeArgs),
}

#[derive(Debug, Args)]
pub struct GraphChangeArgs {
    #[command(flatten)]
    pub source: GraphSource,
    /// The first slice runs from --from to this date, the second from it to --to
    #[arg(long)]
    pub split: String,
    /// How many risers and fallers to list
    #[arg(long, default_value_t = 10)]
    pub top: usize,
}

#[derive(Debug, Args)]
pub struct GraphMetricsArgs {
    #[command(flatten)]
    pub source: GraphSource,
    /// How many top nodes to list
    #[arg(long, default_value_t = 15)]
    pub top: usize,
    /// Betweenness from this many sampled sources (exact when omitted)
    #[arg(long)]
    pub sample: Option<usize>,
    /// Also closeness and harmonic centrality (one search per node)
    #[arg(long)]
    pub closeness: bool,
}

#[derive(Debug, Args)]
pub struct GraphCommunitiesArgs {
    #[command(flatten)]
    pub source: GraphSource,
    /// γ: above 1 more and smaller communities, below 1 fewer and larger
    #[arg(long, default_value_t = 1.0)]
    pub resolution: f64,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// How many communities to list
    #[arg(long, default_value_t = 15)]
    pub top: usize,
}

#[derive(Debug, Args)]
pub struct GraphPathArgs {
    #[command(flatten)]
    pub source: GraphSource,
    pub from_node: String,
    pub to_node: String,
    /// The k shortest simple paths
    #[arg(long, default_value_t = 1)]
    pub k: usize,
}

#[derive(Debug, Args)]
pub struct GraphEgoArgs {
    #[command(flatten)]
    pub source: GraphSource,
    pub node: String,
    #[arg(long, default_value_t = 2)]
    pub radius: u32,
    /// Nodes with more neighbours than this are shown but not expanded
    #[arg(long, default_value_t = 50)]
    pub cap: usize,
}

#[derive(Debug, Args)]
pub struct GraphDisruptArgs {
    #[command(flatten)]
    pub source: GraphSource,
    /// The measure to rank by: betweenness, pagerank, degree
    #[arg(long, default_value = "betweenness")]
    pub by: String,
    /// How many to remove
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    /// Remove these nodes instead (comma-separated ids)
    #[arg(long, value_delimiter = ',')]
    pub nodes: Vec<String>,
    /// Random removals of the same size to compare with
    #[arg(long, default_value_t = 20)]
    pub trials: usize,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

#[derive(Debug, Args)]
pub struct GraphExportArgs {
    #[command(flatten)]
    pub source: GraphSource,
    /// gexf, graphml or i2 (CSV of links with both ends' attributes)
    #[arg(long, default_value = "gexf")]
    pub format: String,
    #[arg(long)]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// The text to read (`-` or nothing: standard input)
    pub file: Option<PathBuf>,
    /// Score the extractor on an annotated JSON Lines file (the fixture, or texts.jsonl from
    /// `lagesbild simulate`) and print precision and recall per kind
    #[arg(long, conflicts_with = "file")]
    pub eval: Option<PathBuf>,
    /// With --eval: list every false positive and false negative
    #[arg(long, requires = "eval")]
    pub misses: bool,
    /// Read each line as a text of its own (offsets then count from the line's start)
    #[arg(long)]
    pub lines: bool,
    /// The region of phone numbers written without a country code
    #[arg(long, default_value = "SE")]
    pub region: String,
    /// The date the text was written (YYYY-MM-DD), for the century of personnummer
    #[arg(long)]
    pub date: Option<String>,
}

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// The seed: the same seed writes byte-identical files
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// How large a world (town, city, region, nation)
    #[arg(long, default_value = "town")]
    pub scale: String,
    /// How many months to simulate
    #[arg(long, default_value_t = 12)]
    pub months: u32,
    /// The first month, YYYY-MM
    #[arg(long, default_value = "2026-01")]
    pub start: String,
    /// The directory to write into
    #[arg(long)]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Files to read; each is one batch, kept whole or not at all
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// FollowTheMoney mapping file (YAML) for CSV files; without it, FILE.yml beside each
    /// FILE.csv is used
    #[arg(long, short)]
    pub mapping: Option<PathBuf>,
    /// The format, when the file name does not tell (ftm, csv, telegram, whatsapp, camt053,
    /// listing: an HTML page of drug listings, also "html")
    #[arg(long)]
    pub format: Option<String>,
    /// The text encoding of CSV files (utf-8, latin-1, windows-1252)
    #[arg(long, default_value = "utf-8")]
    pub encoding: String,
    /// The CSV delimiter (guessed from the header otherwise)
    #[arg(long)]
    pub delimiter: Option<char>,
    /// The organisation the data comes from
    #[arg(long, env = "LAGESBILD_ORG")]
    pub org: String,
    /// Do not read free text for phones, accounts, wallets, handles, drugs, amounts and places
    #[arg(long)]
    pub no_extract: bool,
    /// The dataset (defaults to the mapping's dataset name, or the file's name)
    #[arg(long)]
    pub dataset: Option<String>,
    /// Europol 4x4 grading: source A/B/C/X and information 1–4, e.g. B2
    #[arg(long, default_value = "X4")]
    pub grading: String,
    /// Handling code H0–H3
    #[arg(long, default_value = "H0")]
    pub handling: String,
    /// The restriction in words (required with H3)
    #[arg(long)]
    pub handling_note: Option<String>,
    /// Data-subject category (suspect, convicted, victim, witness, contact, informant,
    /// not_suspected, none, unknown)
    #[arg(long, default_value = "unknown")]
    pub subject_category: String,
    /// Why the data is held (defaults to --purpose)
    #[arg(long)]
    pub record_purpose: Option<String>,
    /// The legal basis of the processing
    #[arg(long)]
    pub legal_basis: Option<String>,
    /// The compartment (operation, case) the data belongs to
    #[arg(long)]
    pub compartment: Option<String>,
    /// When the need to keep the data must be reviewed
    #[arg(long)]
    pub review_by: Option<String>,
    /// When the data must be erased
    #[arg(long)]
    pub delete_by: Option<String>,
    /// Default region for phone numbers without a country code
    #[arg(long, default_value = "SE")]
    pub region: String,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query (words, "phrases", AND/OR/NOT, field-less); empty or * lists all
    pub query: String,
    /// Only entities of this schema (or one descending from it)
    #[arg(long)]
    pub schema: Option<String>,
    #[arg(long)]
    pub dataset: Option<String>,
    /// Only entities with a date on or after this (YYYY, YYYY-MM or YYYY-MM-DD)
    #[arg(long)]
    pub from: Option<String>,
    /// Only entities with a date on or before this
    #[arg(long)]
    pub to: Option<String>,
    /// Only records graded at least this well (B2: source A or B, information 1 or 2)
    #[arg(long, value_name = "GRADING")]
    pub graded: Option<String>,
    #[arg(long, short = 'n', default_value_t = 20)]
    pub limit: usize,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The entity id
    pub id: String,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// List entries, newest last
    Log(AuditLogArgs),
    /// Check the hash chain; names the first entry that was changed, removed or reordered.
    /// With --anchor, also that the log still holds the anchored entry (not truncated or
    /// rewritten)
    Verify(AuditVerifyArgs),
    /// Export the log for a supervisory authority: every entry as a JSON line, then a line
    /// with the chain's head and whether it verifies
    Export {
        #[arg(long)]
        out: std::path::PathBuf,
        /// Only entries from this time (RFC 3339 or a date)
        #[arg(long)]
        since: Option<String>,
        /// Only entries by this user
        #[arg(long = "by")]
        by_user: Option<String>,
    },
    /// Make an Ed25519 key for anchoring (the secret goes to FILE, the public key to stdout)
    Keygen {
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Sign the head of the chain with the key: keep the anchor outside the store
    Anchor {
        /// The secret key file from `audit keygen`
        #[arg(long)]
        key: std::path::PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct AuditVerifyArgs {
    /// An anchor (JSON from `audit anchor`) the log must still contain
    #[arg(long)]
    pub anchor: Option<std::path::PathBuf>,
    /// The public key (hex) the anchor must be signed with
    #[arg(long)]
    pub public_key: Option<String>,
}

#[derive(Debug, Args)]
pub struct AuditLogArgs {
    /// Only entries by this user
    #[arg(long = "by")]
    pub by_user: Option<String>,
    /// Only this operation (collect, alter, consult, disclose, combine, erase)
    #[arg(long)]
    pub op: Option<String>,
    /// Only entries that touched this id
    #[arg(long)]
    pub entity: Option<String>,
    /// From this time (RFC 3339 or a date)
    #[arg(long)]
    pub since: Option<String>,
    /// Up to this time
    #[arg(long)]
    pub until: Option<String>,
    #[arg(long, short = 'n', default_value_t = 100)]
    pub limit: u64,
}

#[derive(Debug, Args)]
pub struct AggregateArgs {
    /// Only events of this category (substance, or the incident's category)
    #[arg(long)]
    pub category: Option<String>,
    /// From this month (YYYY-MM)
    #[arg(long)]
    pub from: Option<String>,
    /// Up to and including this month (YYYY-MM)
    #[arg(long)]
    pub to: Option<String>,
    /// Counts below this are suppressed (partners: at least 5)
    #[arg(long, default_value_t = 5)]
    pub k: u64,
}

#[derive(Debug, Args)]
pub struct ResolveArgs {
    /// Pairs from this probability up are proposed for review
    #[arg(long, default_value_t = 0.5)]
    pub propose_above: f64,
    /// Pairs linked by a shared identifier from this probability up are merged at once, as a
    /// judgement of the user's (off unless given)
    #[arg(long)]
    pub merge_above: Option<f64>,
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// How many pairs to walk
    #[arg(long, short = 'n', default_value_t = 20)]
    pub limit: u64,
}
