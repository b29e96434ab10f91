//! `tandem`: opens the window, or runs a headless subcommand (`demo`, `bench`).

use std::path::PathBuf;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use tandem::app::NewWorkspace;
use tandem::app::merge::MergeError;
use tandem::interchange::Format;
use tandem::store::Store;
use tandem::store::merge::{Choices, Side};
use tandem::ui::{Startup, TandemApp};

/// mimalloc: imports and exports allocate a few strings per item, and the board per frame; this
/// allocator does that work in fewer instructions than the system's (BENCHMARKS.md). Built without
/// transparent huge pages (`no_thp`): where the kernel compacts memory to hand one out, the frame that
/// first touches it waited 5–15 ms for it, and a small workspace kept 7 MB more.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Offline planning for product managers and product owners.
#[derive(Parser, Debug)]
#[command(name = "tandem", version = tandem::build_info::VERSION, about)]
struct Cli {
    /// The workspace file to open. The window creates it with the sample product if it is missing; the
    /// commands need an existing one. Defaults to the last workspace opened, or `tandem.sqlite` in your
    /// data folder.
    #[arg(long, value_name = "PATH", global = true)]
    db: Option<PathBuf>,
    /// Open a throwaway copy of the sample product, for workshops and demos. Nothing is kept.
    #[arg(long, conflicts_with = "db")]
    demo: bool,
    #[command(subcommand)]
    command: Option<Action>,
}

#[derive(Subcommand, Debug)]
enum Action {
    /// Write a large realistic workspace, for benchmarks and tests.
    Demo {
        /// How many backlog items (up to 100,000).
        #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u32).range(0..=100_000))]
        items: u32,
        /// Where to write it; an existing file is replaced.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Give every item a one-sentence description and a reporter, and the items past the first
        /// column an assignee, as items imported from a tracker have.
        #[arg(long)]
        details: bool,
    },
    /// Write the workspace to a file: a .sqlite copy, the Tandem JSON document, or a CSV of backlog items.
    Export {
        /// sqlite, json or csv.
        #[arg(long, value_parser = ["sqlite", "json", "csv"])]
        format: String,
        /// Where to write; an existing file is replaced.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Bring a file into a workspace: a Tandem JSON document, CSV or .sqlite workspace, a Trello board
    /// export (JSON) or a Jira issue export (CSV). It prints how fields map and what cannot be kept.
    ///
    /// By default it merges into the workspace (--db, or the one in your data folder): columns, epics,
    /// sprints and objectives with the same names are reused, items are added, nothing is overwritten.
    Import {
        /// The file to import.
        file: PathBuf,
        /// auto (recognised from the content), sqlite, json, csv, trello or jira.
        #[arg(long, default_value = "auto", value_parser = ["auto", "sqlite", "json", "csv", "trello", "jira"])]
        format: String,
        /// Create this new workspace file from the import instead of merging.
        #[arg(long, value_name = "FILE")]
        into_new: Option<PathBuf>,
        /// Show what would be created and what cannot be kept, and change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Trello: also import the cards of archived lists, as archived items.
        #[arg(long)]
        archived_lists: bool,
    },
    /// List, move and edit backlog items from a script: the window's checks and messages, one
    /// transaction each.
    Item {
        #[command(subcommand)]
        action: ItemAction,
    },
    /// Baselines: the plan as it stands, saved under a name inside the workspace file, to compare with
    /// later.
    Baseline {
        #[command(subcommand)]
        action: BaselineAction,
    },
    /// What changed since a baseline (--baseline NAME), or how another copy of the plan differs from
    /// this workspace (a .sqlite file).
    Compare {
        /// Another copy of this workspace (a .sqlite file); it is only read.
        #[arg(value_name = "OTHER.sqlite", required_unless_present = "baseline", conflicts_with = "baseline")]
        other: Option<PathBuf>,
        /// The baseline to compare with.
        #[arg(long, value_name = "NAME")]
        baseline: Option<String>,
    },
    /// Merge a partner's copy of this plan (THEIRS.sqlite) into the workspace: Tandem finds what the
    /// copy changed since the two last shared a state, prints the review (what it takes, what
    /// conflicts) and applies it as one change. Exit code 3: conflicts need a side (--prefer), and
    /// nothing was written.
    Merge {
        /// The partner's copy; it is only read.
        theirs: PathBuf,
        /// Show the review and change nothing.
        #[arg(long)]
        dry_run: bool,
        /// The side that wins every conflict.
        #[arg(long, value_parser = ["mine", "theirs"])]
        prefer: Option<String>,
    },
    /// Measure opening, moving and drawing; prints `bench <name> <value> <unit>` lines.
    Bench {
        /// Fewer repetitions and smaller sizes, for a quick check.
        #[arg(long)]
        quick: bool,
    },
}

/// `tandem baseline …`.
#[derive(Subcommand, Debug)]
enum BaselineAction {
    /// Save the plan as it stands now under NAME.
    Save {
        /// The baseline's name, e.g. "Before PI 4 planning".
        name: String,
        /// A note kept with it (who saved it, why).
        #[arg(long, default_value = "")]
        note: String,
    },
    /// List the saved baselines: name, when, how many items, note.
    List,
    /// Delete a baseline (the plan itself is not touched).
    Delete {
        /// The baseline's name.
        name: String,
    },
}

/// `tandem item …`.
#[derive(Subcommand, Debug)]
enum ItemAction {
    /// One line per item in board order: id, column, position in the column, title (tab-separated).
    List {
        /// Only this column's items.
        #[arg(long, value_name = "NAME")]
        column: Option<String>,
    },
    /// Move an item to a column: to the bottom, the top (--top) or below another item (--after).
    Move {
        /// The item's id (see `tandem item list`).
        id: i64,
        /// The column's name.
        #[arg(long, value_name = "COLUMN")]
        to: String,
        /// Land directly below this item of the column.
        #[arg(long, value_name = "ID", conflicts_with = "top")]
        after: Option<i64>,
        /// Land at the top of the column.
        #[arg(long)]
        top: bool,
    },
    /// Change an item's title, estimate or description.
    Edit {
        /// The item's id (see `tandem item list`).
        id: i64,
        /// The new title.
        #[arg(long, allow_hyphen_values = true)]
        title: Option<String>,
        /// The new estimate in story points, or `none` to clear it.
        // A negative number is read as the estimate, so that it is refused with the rule it breaks.
        #[arg(long, value_name = "N", allow_negative_numbers = true)]
        points: Option<String>,
        /// The new description.
        #[arg(long, allow_hyphen_values = true)]
        description: Option<String>,
    },
}

/// Where the default workspace lives: the platform's data folder, created if it is missing.
fn default_workspace() -> anyhow::Result<PathBuf> {
    let path = default_workspace_path()?;
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder)
            .with_context(|| format!("Could not create the data folder {}", folder.display()))?;
    }
    Ok(path)
}

/// Where the default workspace lives, without creating its folder: the window does that, and says in
/// the window, not on a terminal nobody sees, when it cannot.
fn default_workspace_path() -> anyhow::Result<PathBuf> {
    let dirs = directories::ProjectDirs::from("org", "Tandem", "Tandem")
        .context("Could not find your data folder (no home directory?). Pass --db PATH to choose a workspace file.")?;
    Ok(dirs.data_dir().join("tandem.sqlite"))
}

/// Prints a line on standard output. A reader that went away (`tandem import … | head -1`) ends the
/// output quietly: what was asked has been done, and nobody is left to read the rest.
/// Runs a long import or export: its progress on standard error (when that is a terminal), and Ctrl+C
/// cancels it cleanly (the work stops at its next batch and nothing is written) instead of killing the
/// process halfway.
fn with_progress<T>(what: &str, work: impl FnOnce(&tandem::interchange::Progress) -> T) -> T {
    use std::io::{IsTerminal as _, Write as _};
    let progress = tandem::interchange::Progress::default();
    let cancel = progress.clone();
    // Only the first handler of a process can be set; a CLI run sets one.
    let _ = ctrlc::set_handler(move || {
        eprintln!("\nCancelling: nothing will be written…");
        cancel.cancel();
    });
    let finished = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reporter = std::io::stderr().is_terminal().then(|| {
        let (progress, finished, what) = (progress.clone(), std::sync::Arc::clone(&finished), what.to_owned());
        std::thread::spawn(move || {
            let mut shown = false;
            while !finished.load(std::sync::atomic::Ordering::Relaxed) {
                std::thread::sleep(std::time::Duration::from_millis(250));
                let share = progress.fraction();
                if share > 0.0 && !finished.load(std::sync::atomic::Ordering::Relaxed) {
                    eprint!("\r{what}: {:>3.0}% (Ctrl+C cancels)", share * 100.0);
                    let _ = std::io::stderr().flush();
                    shown = true;
                }
            }
            if shown {
                eprint!("\r{}\r", " ".repeat(what.len() + 24));
            }
        })
    });
    let result = work(&progress);
    finished.store(true, std::sync::atomic::Ordering::Relaxed);
    if let Some(reporter) = reporter {
        let _ = reporter.join();
    }
    result
}

fn say(text: std::fmt::Arguments<'_>) {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    if let Err(error) = writeln!(out, "{text}").and_then(|()| out.flush())
        && error.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("Could not write the output: {error}");
    }
}

/// Ends the program with this exit code, after what it printed.
#[derive(Debug)]
struct Exit(u8);

impl std::fmt::Display for Exit {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "exit code {}", self.0)
    }
}

impl std::error::Error for Exit {}

fn main() -> std::process::ExitCode {
    match run(Cli::parse()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) if error.downcast_ref::<Exit>().is_some() => {
            std::process::ExitCode::from(error.downcast_ref::<Exit>().map_or(1, |exit| exit.0))
        }
        Err(error) => {
            // The whole chain, one cause per line, without a backtrace: these are messages for people.
            eprintln!("Error: {error}");
            for cause in error.chain().skip(1) {
                eprintln!("  because: {cause}");
            }
            std::process::ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Some(Action::Demo { items, out, details }) => {
            let what = if details { tandem::demo::Generated::Described } else { tandem::demo::Generated::Cards };
            tandem::demo::generate_items(&out, items as usize, what)
                .with_context(|| format!("Could not write the demo workspace {}", out.display()))?;
            say(format_args!("Wrote {items} items to {}", out.display()));
            Ok(())
        }
        Some(Action::Bench { quick }) => tandem::bench::run(quick).context("The benchmark failed"),
        Some(Action::Export { format, out }) => {
            let format = Format::from_name(&format).context("Unknown format; use sqlite, json or csv.")?;
            let path = existing_workspace(cli.db)?;
            let (mut store, _) = Store::open(&path)?;
            with_progress("Exporting", |progress| {
                tandem::interchange::export_with(&mut store, format, &out, progress)
            })?;
            say(format_args!("Exported {} to {}", path.display(), out.display()));
            Ok(())
        }
        Some(Action::Import { file, format, into_new, dry_run, archived_lists }) => {
            let format = if format == "auto" { None } else { Format::from_name(&format) };
            let options = tandem::interchange::ReadOptions { archived_lists };
            // The workspace an import goes into, unless it makes a new one.
            let workspace = match (&into_new, cli.db) {
                (Some(_), _) => None,
                (None, Some(path)) => Some(path),
                (None, None) => Some(default_workspace()?),
            };
            if workspace.as_deref().is_some_and(|workspace| tandem::store::is_workspace_file(&file, workspace)) {
                return Err(tandem::interchange::InterchangeError::FromWorkspace { path: file }.into());
            }
            let document = tandem::interchange::read_document_with(&file, format, options)?;
            let (target, keep_product) = match (into_new, workspace) {
                (Some(path), _) => {
                    if path.exists() {
                        anyhow::bail!(
                            "{} already exists; --into-new never overwrites a file. Choose another name.",
                            path.display()
                        );
                    }
                    (path, false)
                }
                (None, workspace) => (workspace.context("no workspace to import into")?, true),
            };
            let creating = !target.exists();
            if creating && dry_run {
                // Nothing may be written: preview against an empty in-memory workspace.
                let report = with_progress("Checking", |progress| {
                    tandem::interchange::dry_run_into_new(&document, &target, progress)
                })?;
                say(format_args!(
                    "Dry run: importing {} into a new workspace would create:\n{report}Nothing was written.",
                    file.display()
                ));
                return Ok(());
            }
            let report = if creating {
                // Built beside the target and renamed into place: a failure or Ctrl+C leaves no file behind.
                with_progress("Importing", |progress| {
                    tandem::interchange::import_into_new(&document, &target, progress)
                })?
            } else {
                let (mut store, _) = Store::open(&target)?;
                with_progress(if dry_run { "Checking" } else { "Importing" }, |progress| {
                    tandem::interchange::import_with(&mut store, &document, keep_product, dry_run, progress)
                })?
            };
            if dry_run {
                say(format_args!(
                    "Dry run: importing {} into {} would create:\n{report}Nothing was written.",
                    file.display(),
                    target.display()
                ));
            } else {
                say(format_args!("Imported {} into {}:\n{report}", file.display(), target.display()));
            }
            Ok(())
        }
        Some(Action::Item { action }) => run_item(cli.db, action),
        Some(Action::Baseline { action }) => run_baseline(cli.db, action),
        Some(Action::Merge { theirs, dry_run, prefer }) => {
            let mut app = tandem::app::App::open(&existing_workspace(cli.db)?, NewWorkspace::Blank)?;
            let all = prefer.map(|side| if side == "mine" { Side::Mine } else { Side::Theirs });
            let choices = Choices { all, ..Choices::default() };
            match app.merge_from(&theirs, &choices, dry_run) {
                Ok(review) => {
                    say(format_args!("{}", review.to_text().trim_end()));
                    if dry_run {
                        say(format_args!("Dry run: nothing was written."));
                    }
                    if review.undecided() > 0 {
                        return Err(Exit(3).into());
                    }
                    Ok(())
                }
                Err(MergeError::Undecided(review)) => {
                    say(format_args!("{}", review.to_text().trim_end()));
                    eprintln!("{}", MergeError::Undecided(review));
                    Err(Exit(3).into())
                }
                Err(error) => Err(error.into()),
            }
        }
        Some(Action::Compare { other, baseline }) => {
            let app = tandem::app::App::open(&existing_workspace(cli.db)?, NewWorkspace::Blank)?;
            let comparison = match (other, baseline) {
                (_, Some(name)) => app.compare_with_baseline(&name)?,
                (Some(other), None) => app.compare_with_file(&other)?,
                (None, None) => anyhow::bail!("Say what to compare with: --baseline NAME, or another copy's file."),
            };
            say(format_args!("{}", comparison.to_text().trim_end()));
            Ok(())
        }
        None => run_window(cli.db, cli.demo),
    }
}

/// The workspace a headless command works on: `--db`, or the one in the data folder; it must exist.
fn existing_workspace(db: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    let path = match db {
        Some(path) => path,
        None => default_workspace()?,
    };
    if !path.exists() {
        anyhow::bail!(
            "There is no workspace at {0}; nothing was done. Open it in the window once to create it (tandem --db \"{0}\"), or pass --db with an existing workspace.",
            path.display()
        );
    }
    // An empty file (one just made by another program) holds no workspace either: a command that
    // expects one does not make one in it. Its pages may still be in the write-ahead log beside it.
    let length = |path: &std::path::Path| std::fs::metadata(path).map_or(0, |meta| meta.len());
    let mut log = path.clone().into_os_string();
    log.push("-wal");
    // (A side file of a workspace is refused by opening, with a sentence of its own.)
    if length(&path) == 0 && length(std::path::Path::new(&log)) == 0 && tandem::store::workspace_beside(&path).is_none()
    {
        anyhow::bail!(
            "{0} is an empty file, not a workspace; nothing was done. Open it in the window once to make a workspace of it (tandem --db \"{0}\"), or pass --db with an existing workspace.",
            path.display()
        );
    }
    Ok(path)
}

fn run_baseline(db: Option<PathBuf>, action: BaselineAction) -> anyhow::Result<()> {
    let path = existing_workspace(db)?;
    let mut app = tandem::app::App::open(&path, NewWorkspace::Blank)?;
    match action {
        BaselineAction::Save { name, note } => {
            let (_, said) = app.save_baseline(&name, &note)?;
            say(format_args!("{said}"));
        }
        BaselineAction::List => {
            let baselines = app.baselines()?;
            if baselines.is_empty() {
                say(format_args!("No baselines yet; save one with `tandem baseline save NAME`."));
            }
            for baseline in baselines {
                let when = baseline.created_at.to_zoned(jiff::tz::TimeZone::system()).strftime("%Y-%m-%d %H:%M");
                say(format_args!("{}\t{when}\t{} items\t{}", baseline.name, baseline.items, baseline.note));
            }
        }
        BaselineAction::Delete { name } => {
            let said = app.delete_baseline(&name)?;
            say(format_args!("{said}"));
        }
    }
    Ok(())
}

fn run_item(db: Option<PathBuf>, action: ItemAction) -> anyhow::Result<()> {
    let path = existing_workspace(db)?;
    let mut app = tandem::app::App::open(&path, NewWorkspace::Blank)?;
    let said = match action {
        ItemAction::List { column } => {
            let listed = tandem::script::list(app.workspace(), column.as_deref())?;
            if !listed.is_empty() {
                say(format_args!("{}", listed.trim_end_matches('\n')));
            }
            return Ok(());
        }
        ItemAction::Move { id, to, after, top } => {
            let place = match (after, top) {
                (Some(after), _) => tandem::script::Place::After(after),
                (None, true) => tandem::script::Place::Top,
                (None, false) => tandem::script::Place::Bottom,
            };
            tandem::script::move_item(&mut app, id, &to, place)?
        }
        ItemAction::Edit { id, title, points, description } => {
            tandem::script::edit_item(&mut app, id, &tandem::script::Edit { title, points, description })?
        }
    };
    say(format_args!("{said}"));
    Ok(())
}

fn run_window(db: Option<PathBuf>, demo: bool) -> anyhow::Result<()> {
    let startup = if demo {
        let path = std::env::temp_dir().join(format!("tandem-demo-{}.sqlite", std::process::id()));
        tandem::demo::create_demo(&path)
            .with_context(|| format!("Could not create the demo workspace {}", path.display()))?;
        Startup {
            path: Some(path.clone()),
            default_path: path,
            new_workspace: NewWorkspace::Sample,
            remember: false,
            demo: true,
            first_screen_above: tandem::ui::FIRST_SCREEN_ABOVE,
        }
    } else {
        Startup {
            path: db,
            default_path: default_workspace_path()?,
            new_workspace: NewWorkspace::Sample,
            remember: true,
            demo: false,
            first_screen_above: tandem::ui::FIRST_SCREEN_ABOVE,
        }
    };
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Tandem")
            .with_app_id("tandem")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([720.0, 480.0]),
        ..Default::default()
    };
    let demo_path = demo.then(|| startup.default_path.clone());
    let result = eframe::run_native(
        "Tandem",
        options,
        Box::new(move |creation| {
            // "Follow the system" where the windowing system does not say (X11): ask the desktop.
            if creation.egui_ctx.system_theme().is_none()
                && let Some(desktop) = tandem::ui::theme::desktop_theme()
            {
                creation.egui_ctx.options_mut(|options| options.fallback_theme = desktop);
            }
            Ok(Box::new(TandemApp::new(creation, &startup)))
        }),
    );
    if let Some(path) = demo_path {
        tandem::store::remove_workspace_files(&path);
    }
    result.map_err(|error| anyhow::anyhow!("The window could not be opened: {error}"))
}
