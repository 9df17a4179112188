//! One module per subcommand.

mod aggregate;
mod audit;
mod directory;
mod extract;
pub mod geo;
mod graph;
mod ingest;
mod init;
mod reindex;
pub mod report;
mod resolution;
mod retention;
mod search;
pub mod serve;
mod show;
mod simulate;
mod stats;

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::{AuditCommand, Cli, Command};

pub fn run(cli: Cli) -> Result<ExitCode> {
    let g = &cli.global;
    match cli.command {
        Command::Init => init::run(g),
        Command::Ingest(a) => ingest::run(g, *a),
        Command::Search(a) => search::run(g, a),
        Command::Show(a) => show::run(g, a),
        Command::Stats => stats::run(g),
        Command::Aggregate(a) => aggregate::run(g, a),
        Command::Resolve(a) => resolution::resolve(g, a),
        Command::Review(a) => resolution::review(g, a),
        Command::Judge { a, b, verdict } => resolution::judge(g, &a, &b, &verdict),
        Command::Judgements { limit } => resolution::judgements(g, limit),
        Command::Undo { judgement } => resolution::undo(g, judgement),
        Command::Audit(AuditCommand::Log(a)) => audit::log(g, a),
        Command::Audit(AuditCommand::Verify(a)) => audit::verify(g, a),
        Command::Audit(AuditCommand::Keygen { out }) => audit::keygen(g, &out),
        Command::Audit(AuditCommand::Export {
            out,
            since,
            by_user,
        }) => audit::export(g, &out, since, by_user),
        Command::Audit(AuditCommand::Anchor { key }) => audit::anchor(g, &key),
        Command::Reindex => reindex::run(g),
        Command::Simulate(a) => simulate::run(g, a),
        Command::Extract(a) => extract::run(g, a),
        Command::Graph(c) => graph::run(g, c),
        Command::Org(c) => directory::org(g, c),
        Command::User(c) => directory::user(g, c),
        Command::Compartment(c) => directory::compartment(g, c),
        Command::Agreement(c) => directory::agreement(g, c),
        Command::Token(c) => directory::token(g, c),
        Command::Retention(c) => retention::run(g, c),
        Command::Hotspots(a) => geo::hotspots(g, *a),
        Command::Emerging(a) => geo::emerging(g, *a),
        Command::Nearrepeat(a) => geo::nearrepeat(g, *a),
        Command::Trends(a) => geo::trends(g, *a),
        Command::Intervention(a) => geo::intervention(g, *a),
        Command::Report(a) => report::run(g, *a),
        Command::Link(a) => crate::resolve::link(g, a),
        Command::Dedupe(a) => crate::resolve::dedupe(g, a),
        Command::Serve(a) => serve::run(g, *a),
    }
}
