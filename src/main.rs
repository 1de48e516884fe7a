//! The `gloss` command line: parses arguments, runs the library, prints
//! diagnostics. Exit status: 0 on success, 1 on content or build errors, 2 on
//! usage errors.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};
use gloss::diagnostic::{Code, Diagnostics};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A build allocates and frees millions of small strings and tree nodes on
/// every thread; mimalloc's per-thread heaps make that a fifth cheaper than
/// the system allocator (see benches/README.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Keeps memory a build frees for reuse instead of returning it to the
/// system after a second (mimalloc's purge delay). A build frees and takes
/// again hundreds of megabytes a second: returning it and faulting it back
/// in cost a twentieth of a build's CPU time at 10,000 articles (9,000 page
/// faults instead of 600). Keeping it raises the peak by about 60 MiB; a
/// build is over in seconds and gives everything back when it exits.
/// `serve`, which runs for hours, keeps the default.
fn keep_freed_memory() {
    // `mi_option_purge_delay` in mimalloc 3's `mi_option_e`
    // (include/mimalloc.h), which libmimalloc-sys does not name;
    // tests/integration/build.rs checks the number against mimalloc's list.
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: setting an option is a thread-safe call on plain integers.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) };
}

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
        /// Fail on warnings too, not only on errors and denied lints.
        #[arg(long)]
        strict: bool,
        /// Replace an output folder that gloss did not create.
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        site: SiteArgs,
    },
    /// Build the site into a folder of its own, serve it, and rebuild and reload on every change.
    Serve {
        /// The site folder, holding content/, templates/ and static/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Port to listen on (the next free one if taken; 0 for any).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on. Only 127.0.0.1 (this computer) unless you ask.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// The base URL feeds link to (by default the server's own address).
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
    },
    /// Create an entity file: gloss new person "Kim Jong-il".
    New {
        /// The kind: person, place, organisation, or any kind in site.yaml.
        kind: String,
        /// The entity's full name.
        name: String,
        /// The id (and file name), when the one made from the name will not do.
        #[arg(long)]
        id: Option<String>,
        /// The site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// List every mention and every possible mention left unlinked, for proofreading.
    Mentions {
        /// The site folder, holding content/, templates/ and static/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Only this article (its slug, the file name without .md).
        #[arg(long)]
        article: Option<String>,
        /// How to print the list.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Only the rows to review: text left unlinked, shared names settled from far back.
        #[arg(long)]
        review: bool,
    },
    /// Create a new site, ready to build, in a new folder.
    Init {
        /// The folder to create.
        dir: PathBuf,
    },
    /// Bring annotations made in other tools into the site.
    Import {
        #[command(subcommand)]
        what: Import,
    },
    /// Check the site without writing anything: content, links, anchors.
    Check {
        /// The site folder, holding content/, templates/ and static/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Fail on warnings too, not only on errors and denied lints.
        #[arg(long)]
        strict: bool,
        #[command(flatten)]
        site: SiteArgs,
    },
}

/// What `gloss import` reads.
#[derive(Subcommand)]
enum Import {
    /// W3C Web Annotations (JSON-LD, as Recogito and Hypothesis export them) into an
    /// article's annotations file: gloss import annotations FILE.jsonld --article SLUG.
    Annotations {
        /// The export: an Annotation, a list of them, an AnnotationCollection or an AnnotationPage.
        file: PathBuf,
        /// The article annotated (its slug, the file name without .md).
        #[arg(long)]
        article: String,
        /// The kind of the entities created when an annotation does not say (default: person).
        #[arg(long)]
        kind: Option<String>,
        /// The site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

/// What `build`, `check` and `serve` may override of the site's settings.
#[derive(clap::Args)]
struct SiteArgs {
    /// Publish drafts (articles with `draft: true`) too.
    #[arg(long)]
    drafts: bool,
    /// Use this base URL instead of site.yaml's, e.g. for a preview deploy.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
}

impl From<SiteArgs> for gloss::SiteOptions {
    fn from(args: SiteArgs) -> Self {
        gloss::SiteOptions { drafts: args.drafts, base_url: args.base_url }
    }
}

/// Output formats of `gloss mentions`.
#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Table,
    Csv,
    Json,
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Serve { root, port, bind, open, base_url } => {
            match gloss::serve(&gloss::ServeOptions { root, bind, port, open, base_url }) {
                Ok(()) => ExitCode::SUCCESS,
                Err(d) => fail(&Diagnostics(vec![d]), "cannot serve the site"),
            }
        }
        Command::New { kind, name, id, root } => {
            match gloss::new_entity(&root, &kind, &name, id.as_deref()) {
                Ok(path) => {
                    println!("{}", path.display());
                    ExitCode::SUCCESS
                }
                Err(d) => {
                    // An unknown kind or an unusable id is a mistake in the
                    // arguments: a usage error.
                    let usage = matches!(d.code, Code::UnknownField | Code::InvalidId);
                    fail(&Diagnostics(vec![d]), "nothing was created");
                    if usage {
                        ExitCode::from(2)
                    } else {
                        ExitCode::from(1)
                    }
                }
            }
        }
        Command::Mentions { root, article, format, review } => mentions(&root, article, format, review),
        Command::Import { what: Import::Annotations { file, article, kind, root } } => {
            import_annotations(gloss::ImportOptions { root, file, article, kind })
        }
        Command::Init { dir } => match gloss::init_site(&dir) {
            Ok(files) => {
                eprintln!("Created a site in {} ({} files). Next:", dir.display(), files.len());
                eprintln!("  cd {} && gloss serve", dir.display());
                ExitCode::SUCCESS
            }
            Err(d) => fail(&Diagnostics(vec![d]), "nothing was created"),
        },
        Command::Check { root, strict, site } => match gloss::check_site(&root, &site.into()) {
            Ok(report) => {
                print_diagnostics(&report.diagnostics);
                let c = report.counts;
                eprintln!(
                    "Checked {}: {} pages, {} mentions, {} internal links, {} external links, {} anchors: {}",
                    report.site.describe(),
                    c.pages,
                    report.site.mention_count(),
                    c.links,
                    c.external_links,
                    c.anchors,
                    counted(&report.diagnostics)
                );
                let warned = strict && report.diagnostics.warning_count() > 0;
                if report.diagnostics.has_errors() || warned {
                    ExitCode::from(1)
                } else {
                    ExitCode::SUCCESS
                }
            }
            Err(diagnostics) => fail(&diagnostics, "the site does not build"),
        },
        Command::Build { root, output, strict, force, site } => {
            keep_freed_memory();
            let options = gloss::BuildOptions { root, output, force, site: site.into() };
            let bar = PageBar::new();
            let built = gloss::build_with_progress(&options, &|p| {
                // Once the staging folder is made, the first moment a stop
                // has something to delete. (Its thread, started before the
                // build's, raised a 100,000-article build's peak memory
                // by 30 MB.)
                if let gloss::Progress::Rendering { .. } = p {
                    match gloss::delete_staging_on_signal() {
                        // The signals are ignored (`nohup`, or `&` in a
                        // script): nothing will stop the build.
                        Ok(()) | Err(ctrlc::Error::MultipleHandlers) => {}
                        Err(e) => eprintln!("warning: a stopped build will leave its staging folder: {e}"),
                    }
                }
                bar.update(p)
            });
            bar.finish();
            match built {
                Ok(report) => {
                    print_diagnostics(&report.warnings);
                    eprintln!(
                        "Built {}: {} pages, {} mentions in {} ms → {}",
                        report.summary,
                        report.pages,
                        report.mentions,
                        report.elapsed.as_millis(),
                        report.output.display()
                    );
                    if strict && report.warnings.warning_count() > 0 {
                        eprintln!("error: --strict fails on warnings: {}", counted(&report.warnings));
                        return ExitCode::from(1);
                    }
                    ExitCode::SUCCESS
                }
                Err(diagnostics) => {
                    let untouched = !diagnostics.0.iter().any(|d| d.code == Code::OutputNotRestored);
                    let what = if untouched {
                        "the site was not built; the previous output is untouched"
                    } else {
                        "the site was not built, and the previous output is not as it was (see above)"
                    };
                    fail(&diagnostics, what)
                }
            }
        }
    }
}

/// `gloss mentions`: the review on stdout, the summary and any errors on
/// stderr. Exit status 1 when the site has errors (the review is printed
/// all the same), 2 for an article that does not exist.
fn mentions(root: &std::path::Path, article: Option<String>, format: Format, review_only: bool) -> ExitCode {
    let site = match gloss::annotate_site(root) {
        Ok(site) => site,
        Err(diagnostics) => return fail(&diagnostics, "the site cannot be read"),
    };
    if let Some(slug) = &article {
        if !site.registry.articles.iter().any(|a| &a.slug == slug) {
            let slugs = site.registry.articles.iter().map(|a| a.slug.as_str());
            let hint = match gloss::diagnostic::did_you_mean(slug, slugs) {
                Some(near) => format!("did you mean `{near}`?"),
                None => "give the article's file name without .md".to_string(),
            };
            eprintln!("error: there is no article `{slug}`\n  = help: {hint}");
            return ExitCode::from(2);
        }
    }
    let filter = gloss::review::Filter { article, review_only };
    let rows = gloss::review::rows(&site, &filter);
    let mut out = std::io::stdout().lock();
    use std::io::Write;
    let written = match format {
        Format::Table => gloss::review::write_table(&mut out, &rows),
        Format::Csv => gloss::review::write_csv(&mut out, &rows),
        Format::Json => gloss::review::write_json(&mut out, &rows),
    };
    // A closed pipe (`gloss mentions | head`) is no error.
    if let Err(e) = written.and_then(|()| out.flush()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: cannot write the list: {e}");
            return ExitCode::from(1);
        }
    }
    // The review lists the findings about mentions; other problems are
    // printed as diagnostics.
    let errors = Diagnostics(site.diagnostics.0.into_iter().filter(|d| d.is_error()).collect());
    print_diagnostics(&errors);
    eprintln!("{}", gloss::review::summary(&rows));
    if errors.has_errors() {
        eprintln!("error: the site has errors ({})", counted(&errors));
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// `gloss import annotations`: each quote not found and each annotation
/// left out, then a summary, on stderr. Exit status 1 when nothing could
/// be imported (the export or the site's annotations do not parse), 2 for
/// an article or a kind that does not exist.
fn import_annotations(options: gloss::ImportOptions) -> ExitCode {
    match gloss::import_annotations(&options) {
        Ok(report) => {
            for missing in &report.not_found {
                let id = missing.id.as_deref().unwrap_or("an annotation without an id");
                eprintln!("warning: {id}: the quote “{}” is not in the text of {}", missing.quote, options.article);
            }
            for skipped in &report.skipped {
                let id = skipped.id.as_deref().unwrap_or("an annotation without an id");
                eprintln!("note: {id} is left out: {}", skipped.reason);
            }
            for suggestion in &report.suggestions {
                eprintln!("note: {suggestion}");
            }
            for created in &report.created {
                eprintln!("created {}: fill in its summary", created.display());
            }
            eprintln!("{}", report.summary());
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            let usage = diagnostics.0.iter().any(|d| matches!(d.code, Code::UnknownEntity | Code::UnknownField));
            fail(&diagnostics, "nothing was imported");
            if usage {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}

/// A progress bar for the pages of a build: only on a terminal, and only
/// once the build has taken more than a second.
struct PageBar {
    bar: ProgressBar,
    started: Instant,
    terminal: bool,
}

impl PageBar {
    fn new() -> Self {
        PageBar { bar: ProgressBar::hidden(), started: Instant::now(), terminal: std::io::stderr().is_terminal() }
    }

    fn update(&self, progress: gloss::Progress) {
        match progress {
            gloss::Progress::Rendering { pages } => {
                self.bar.set_length(pages as u64);
                // The estimate should count from now, not from loading.
                self.bar.reset_elapsed();
                self.bar.reset_eta();
            }
            gloss::Progress::PageWritten => {
                self.bar.inc(1);
                if self.terminal && self.bar.is_hidden() && self.started.elapsed() > Duration::from_secs(1) {
                    self.bar.set_style(
                        ProgressStyle::with_template("{wide_bar} {pos}/{len} pages, {eta} left")
                            .expect("the template is valid"),
                    );
                    self.bar.set_draw_target(ProgressDrawTarget::stderr());
                }
            }
        }
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// Prints the diagnostics and a closing line; exit status 1.
fn fail(diagnostics: &Diagnostics, what: &str) -> ExitCode {
    print_diagnostics(diagnostics);
    eprintln!("error: {what} ({})", counted(diagnostics));
    ExitCode::from(1)
}

/// "2 errors, 1 warning".
fn counted(diagnostics: &Diagnostics) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!("{}, {}", plural(diagnostics.error_count(), "error"), plural(diagnostics.warning_count(), "warning"))
}

/// Prints diagnostics to stderr, in colour only on a terminal and when
/// `NO_COLOR` is not set.
fn print_diagnostics(diagnostics: &Diagnostics) {
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    for d in &diagnostics.0 {
        eprintln!("{}\n", d.render(colour));
    }
}
