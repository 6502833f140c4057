//! The `manjian` command: `manjian quote|refund|protect|settle [FILE]`.
//!
//! Reads one JSON document from FILE (or stdin when FILE is absent or
//! `-`), prints the output document on stdout and exits 0; on invalid
//! input prints the contract's error document on stdout and exits 1.
//! Usage errors (unknown operation, unreadable file) go to stderr with
//! exit status 2; the engine's own failure (`internal_error`, never the
//! input's fault) prints its error document and exits 3.

#![deny(clippy::too_many_lines)]

use manjian::{Operation, MAX_INPUT_BYTES};
use std::io::{Read, Write};
use std::process::ExitCode;

const USAGE: &str = "usage: manjian quote|refund|protect|settle [FILE|-] [--pretty]\n\
    \x20      manjian serve [--addr HOST:PORT] [--www DIR] [--rules FILE --catalogue FILE]   (built with --features server)\n\
    Reads a JSON document (stdin when FILE is absent or '-') and prints the result.\n\
    Exit status: 0 on success, 1 with an error document on invalid input, 2 on usage errors,\n\
    3 with an error document when the engine itself fails.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("serve") {
        return serve(args.get(1..).unwrap_or_default());
    }
    let pretty = args.iter().any(|a| a == "--pretty");
    let rest: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| *a != "--pretty")
        .collect();
    let (op, file) = match rest.as_slice() {
        [op] => (*op, None),
        [op, file] => (*op, Some(*file)),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    if op == "--help" || op == "-h" {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let Some(op) = Operation::from_name(op) else {
        eprintln!("manjian: unknown operation '{op}'\n{USAGE}");
        return ExitCode::from(2);
    };

    let mut bytes = Vec::new();
    // Read one byte past the limit so that an oversized input is told
    // apart without reading all of it.
    let limit = u64::try_from(MAX_INPUT_BYTES + 1).unwrap_or(u64::MAX);
    let read = match file {
        None | Some("-") => std::io::stdin().lock().take(limit).read_to_end(&mut bytes),
        Some(path) => match std::fs::File::open(path) {
            Ok(f) => f.take(limit).read_to_end(&mut bytes),
            Err(e) => {
                eprintln!("manjian: cannot open {path}: {e}");
                return ExitCode::from(2);
            }
        },
    };
    if let Err(e) = read {
        eprintln!("manjian: cannot read input: {e}");
        return ExitCode::from(2);
    }

    let result = if pretty {
        op.slice_to_string_pretty(&bytes)
    } else {
        op.slice_to_string(&bytes)
    };

    // Invalid input is the error document on stdout and status 1; a
    // failure of the engine itself (never the input's fault) is status 3.
    let (doc, code) = match result {
        Ok(doc) => (doc, ExitCode::SUCCESS),
        Err(e) if e.code.is_input_error() => (e.to_document(), ExitCode::from(1)),
        Err(e) => (e.to_document(), ExitCode::from(3)),
    };
    let mut out = std::io::stdout().lock();
    if writeln!(out, "{doc}").and_then(|()| out.flush()).is_err() {
        return ExitCode::from(2);
    }
    code
}

/// `manjian serve [--addr HOST:PORT] [--www DIR] [--rules FILE --catalogue FILE]`.
#[cfg(feature = "server")]
fn serve(args: &[String]) -> ExitCode {
    let mut addr = String::from("127.0.0.1:8080");
    let mut www = default_www();
    let (mut rules, mut catalogue) = (None, None);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match (a.as_str(), it.next()) {
            ("--addr", Some(v)) => addr = v.clone(),
            ("--www", Some(v)) => www = std::path::PathBuf::from(v),
            ("--rules", Some(v)) => rules = Some(v.clone()),
            ("--catalogue", Some(v)) => catalogue = Some(v.clone()),
            _ => {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let Ok(addr) = addr.parse() else {
        eprintln!("manjian: --addr wants HOST:PORT, e.g. 127.0.0.1:8080");
        return ExitCode::from(2);
    };
    let shop = match (rules, catalogue) {
        (None, None) => None,
        (Some(rules), Some(catalogue)) => match read_shop(&rules, &catalogue) {
            Ok(shop) => Some(std::sync::Arc::new(shop)),
            Err(why) => {
                eprintln!("manjian: --rules {rules} --catalogue {catalogue}: {why}");
                return ExitCode::from(1);
            }
        },
        _ => {
            eprintln!("manjian: --rules and --catalogue go together (the shop that prices orders)");
            return ExitCode::from(2);
        }
    };
    match manjian::server::run_blocking(addr, manjian::server::Site { www, shop }) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("manjian: cannot serve on {addr}: {e}");
            ExitCode::from(1)
        }
    }
}

/// The shop of the `--rules` and `--catalogue` files.
#[cfg(feature = "server")]
fn read_shop(rules: &str, catalogue: &str) -> Result<manjian::server::Shop, String> {
    let read = |f: &str| std::fs::read_to_string(f).map_err(|e| format!("{f}: {e}"));
    manjian::server::Shop::new(&read(rules)?, &read(catalogue)?).map_err(|e| e.to_document())
}

/// `./www` when run from the project, else the `www` beside the sources.
#[cfg(feature = "server")]
fn default_www() -> std::path::PathBuf {
    let here = std::path::PathBuf::from("www");
    if here.is_dir() {
        here
    } else {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("www")
    }
}

#[cfg(not(feature = "server"))]
fn serve(_: &[String]) -> ExitCode {
    eprintln!(
        "manjian: this build has no server; build with `cargo build --release --features server`"
    );
    ExitCode::from(2)
}
