//! The `lagesbild` command: parses arguments, runs the command, maps errors to exit codes
//! (0 ok, 1 the user's error, 2 an internal error) and treats a broken pipe as success.

mod cli;
mod commands;
mod context;
mod output;
mod resolve;

use std::process::ExitCode;

use clap::Parser;

/// mimalloc: the readers, the store's writer and the index build many small strings on several
/// threads at once, where it spends less than the system's allocator. Its version 2 (the
/// crate's `v2` feature): a record is built on the reader's thread and freed on the index's,
/// and version 3's frees from another thread cost more (1M-row ingest, three alternating runs:
/// 18.5–20.3 s and 30–33 CPU-s against 19.5–22.1 s and 32–36 CPU-s).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    quiet_on_broken_pipe();
    let args = cli::Cli::parse();
    let serving = matches!(args.command, cli::Command::Serve(_));
    init_tracing(args.global.verbose, args.global.quiet, serving);
    match commands::run(args) {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            let code = exit_code(&err);
            eprintln!("error: {err}");
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::from(code)
        }
    }
}

/// `println!` panics when the reader of standard output has gone (`lagesbild … | head`):
/// that ends the command quietly and successfully, as a closed pipe should.
fn quiet_on_broken_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if message.starts_with("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(0);
        }
        default(info);
    }));
}

fn init_tracing(verbose: u8, quiet: bool, serving: bool) {
    let default = match (quiet, verbose) {
        (true, _) => "error",
        // a server logs each request (lagesbild::access) and its logins
        (false, 0) if serving => "warn,lagesbild::access=info,lagesbild_server=info",
        (false, 0) => "warn",
        (false, 1) => "info",
        (false, _) => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("LAGESBILD_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    use std::io::IsTerminal as _;
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        .init();
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// 1 when the user can fix it (a bad file, flag, id or permission), 2 otherwise.
fn exit_code(err: &anyhow::Error) -> u8 {
    use lagesbild_store::StoreError;
    for cause in err.chain() {
        if cause.downcast_ref::<context::UserError>().is_some()
            || cause
                .downcast_ref::<lagesbild_ingest::IngestError>()
                .is_some()
        {
            return 1;
        }
        if let Some(e) = cause.downcast_ref::<StoreError>() {
            return match e {
                StoreError::NotInitialised(_)
                | StoreError::AlreadyExists(_)
                | StoreError::TooNew { .. }
                | StoreError::Policy(_)
                | StoreError::Denied(_)
                | StoreError::NotFound { .. }
                | StoreError::Query(_) => 1,
                _ => 2,
            };
        }
    }
    2
}
