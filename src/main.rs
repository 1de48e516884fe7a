//! The `gloss` command line: parses arguments, runs the library, prints
//! diagnostics. Exit status: 0 on success, 1 on content or build errors, 2 on
//! usage errors.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use gloss::diagnostic::Diagnostics;

#[derive(Parser)]
#[command(name = "gloss", version, about = "Static site generator for annotated articles")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into its output folder (default: <root>/public).
    Build {
        /// The site folder, holding content/, templates/ and static/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site.
        #[arg(long)]
        output: Option<PathBuf>,
        /// Fail on warnings too.
        #[arg(long)]
        strict: bool,
        /// Replace an output folder that gloss did not create.
        #[arg(long)]
        force: bool,
    },
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Build { root, output, strict, force } => {
            let options = gloss::BuildOptions { root, output, force };
            match gloss::build(&options) {
                Ok(report) => {
                    print_diagnostics(&report.site.warnings);
                    eprintln!(
                        "Built {}: {} pages, {} mentions in {} ms → {}",
                        report.site.describe(),
                        report.site.pages.len(),
                        report.site.mention_count(),
                        report.elapsed.as_millis(),
                        report.output.display()
                    );
                    if strict && !report.site.warnings.0.is_empty() {
                        eprintln!("error: --strict: {} warning(s)", report.site.warnings.0.len());
                        return ExitCode::from(1);
                    }
                    ExitCode::SUCCESS
                }
                Err(diagnostics) => {
                    print_diagnostics(&diagnostics);
                    eprintln!(
                        "error: the site was not built ({} error{}); the previous output is untouched",
                        diagnostics.error_count(),
                        if diagnostics.error_count() == 1 { "" } else { "s" }
                    );
                    ExitCode::from(1)
                }
            }
        }
    }
}

/// Prints diagnostics to stderr, in colour only on a terminal and when
/// `NO_COLOR` is not set.
fn print_diagnostics(diagnostics: &Diagnostics) {
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    for d in &diagnostics.0 {
        eprintln!("{}\n", d.render(colour));
    }
}
