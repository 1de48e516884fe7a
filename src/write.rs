//! Writing: the only stage that writes to disk.
//!
//! The site is written into a staging folder beside the output, then swapped
//! into place, so a failed build never leaves a half-written site: the
//! previous output stays exactly as it was. gloss only replaces folders it
//! created itself (recognised by a marker file), and refuses outputs that
//! would overwrite the site.
//!
//! A page identical to the one already in the output is hard-linked into the
//! staging folder instead of written again. A rebuild after a small edit
//! then writes only what changed, and unchanged files keep their
//! modification time, so sync tools (`rsync`, `aws s3 sync`) upload only
//! what changed.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use rayon::prelude::*;

use crate::diagnostic::{Code, Diagnostic};
use crate::render::Page;

/// Written into every output folder; its presence means gloss may replace it.
pub const MARKER: &str = ".gloss-output";

/// Static files every site gets unless its `static/` has a file of the same
/// name.
pub const DEFAULT_STATIC: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../static/style.css")),
    ("gloss.js", include_bytes!("../static/gloss.js")),
    ("favicon.svg", include_bytes!("../static/favicon.svg")),
    (crate::map::STYLESHEET, include_bytes!("../static/map.css")),
];

/// The staging folder being written, which a stopped build deletes (see
/// [`delete_staging_on_signal`]). Held through the swap, so that a stop
/// waits for the swap to end.
static UNDER_WAY: Mutex<Option<PathBuf>> = Mutex::new(None);

/// Set once a stop is deleting the staging folder: no folder is made again
/// for a page still being written.
static STOPPING: AtomicBool = AtomicBool::new(false);

fn under_way() -> MutexGuard<'static, Option<PathBuf>> {
    UNDER_WAY.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Takes `dir` off what a stop deletes; a stop waits until the guard goes.
fn settle(dir: &Path) -> MutexGuard<'static, Option<PathBuf>> {
    let mut staging = under_way();
    if staging.as_deref() == Some(dir) {
        *staging = None;
    }
    staging
}

/// Makes a build stopped by Ctrl-C, `kill` or a closed terminal delete its
/// staging folder (at 100,000 articles, gigabytes the next build would only
/// clear), then end with the status a shell gives a program stopped by
/// Ctrl-C. A stop during the swap waits for it: the output is the previous
/// site or the new one, never part of each.
pub fn delete_staging_on_signal() -> Result<(), ctrlc::Error> {
    ctrlc::set_handler(|| {
        let mut staging = under_way();
        STOPPING.store(true, Ordering::SeqCst);
        if let Some(dir) = staging.take() {
            // A page being written as it goes may fail and be retried: try
            // again until nothing is left.
            for _ in 0..10 {
                if fs::remove_dir_all(&dir).is_ok() || !dir.exists() {
                    break;
                }
            }
        }
        std::process::exit(130);
    })
}

/// Makes `path` absolute and removes `.` and `..` without touching the disk
/// (the output may not exist yet).
pub fn absolute(path: &Path) -> PathBuf {
    let joined =
        if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(path) };
    let mut out = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Refuses an output folder that is, or contains, the site or its sources.
pub fn check_output_path(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let root = fs::canonicalize(root).unwrap_or_else(|_| absolute(root));
    let output = absolute(output);
    let output = match (output.parent(), output.file_name()) {
        (Some(parent), Some(name)) => fs::canonicalize(parent).map(|p| p.join(name)).unwrap_or(output.clone()),
        _ => output.clone(),
    };
    let protected = ["content", "templates", "static"];
    let reason = if output.parent().is_none() {
        Some("it is the file system root".to_string())
    } else if std::env::var_os("HOME").is_some_and(|home| Path::new(&home) == output) {
        Some("it is your home folder".to_string())
    } else if root.starts_with(&output) {
        Some("it is the site folder or contains it".to_string())
    } else {
        protected
            .iter()
            .find(|p| output.starts_with(root.join(p)))
            .map(|p| format!("it is inside the site's `{p}` folder"))
    };
    match reason {
        Some(reason) => Err(Diagnostic::error(
            Code::OutputPath,
            format!("refusing to write the site into {}: {reason}", output.display()),
        )
        .with_hint("choose an output folder of its own, such as `public` (the default)")),
        None => Ok(()),
    }
}

/// A staging folder, filled page by page (so a large site never has to be
/// held in memory whole) and swapped into place by [`Staging::finish`].
/// Dropped unfinished, it removes itself: the previous output is never
/// touched.
///
/// An output that is a symbolic link is written where the link points; the
/// link stays. The staging folder is made beside the output and renamed
/// into its place, unless the output cannot be renamed (a mount point, such
/// as a container's volume, or a folder whose parent gloss may not write
/// in): then the staging folder is made inside it and its entries are
/// swapped in one by one, and put back as they were if any fails.
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    /// The output gloss wrote last time, whose unchanged files are reused.
    previous: Option<PathBuf>,
    /// Where the previous output goes while the new one is moved in.
    old: PathBuf,
    in_place: bool,
    finished: bool,
}

/// The names of the staging and set-aside folders inside an output filled in
/// place; never part of the site.
const IN_PLACE_STAGING: &str = ".gloss-staging";
const IN_PLACE_OLD: &str = ".gloss-old";

impl Staging {
    /// Checks the output folder and creates an empty staging folder.
    pub fn create(root: &Path, output: &Path, force: bool) -> Result<Staging, Diagnostic> {
        check_output_path(root, output)?;
        let output = follow_link(&absolute(output));
        check_output_path(root, &output)?;
        if output.exists() && !output.join(MARKER).exists() && !is_empty_dir(&output) && !force {
            return Err(Diagnostic::error(
                Code::OutputPath,
                format!("{} exists and was not written by gloss; refusing to replace it", output.display()),
            )
            .with_hint("pick another --output, empty that folder, or pass --force to replace it"));
        }
        let previous = output.join(MARKER).is_file().then(|| output.clone());
        let name = output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let parent = output.parent().unwrap_or(Path::new("/")).to_path_buf();
        let beside = parent.join(format!(".{name}.gloss-staging"));
        let in_place = output.is_dir() && (is_mount_point(&output) || fresh_dir(&beside).is_err());
        let (dir, old) = if in_place {
            (output.join(IN_PLACE_STAGING), output.join(IN_PLACE_OLD))
        } else {
            (beside, parent.join(format!(".{name}.gloss-old")))
        };
        fresh_dir(&dir)?;
        *under_way() = Some(dir.clone());
        Ok(Staging { dir, old, output, previous, in_place, finished: false })
    }

    /// Writes one page (creating its folder when needed).
    pub fn write(&self, page: &Page) -> Result<(), Diagnostic> {
        self.write_bytes(Path::new(&page.path), page.html.as_bytes())
    }

    /// Writes the file at `relative` with `write`, as it makes it: for a
    /// file too large to make whole in memory first. Where the previous
    /// output holds the same bytes, its copy is linked in its place, as
    /// for any other file.
    pub fn write_streamed(
        &self,
        relative: &str,
        write: impl FnOnce(&mut io::BufWriter<fs::File>) -> io::Result<()>,
    ) -> Result<(), Diagnostic> {
        let path = self.dir.join(relative);
        if let Some(folder) = path.parent().filter(|_| !STOPPING.load(Ordering::Relaxed)) {
            fs::create_dir_all(folder).map_err(|e| io_error(folder, "create", e))?;
        }
        let file = fs::File::create(&path).map_err(|e| io_error(&path, "write", e))?;
        let mut out = io::BufWriter::with_capacity(1 << 20, file);
        write(&mut out).and_then(|()| io::Write::flush(&mut out)).map_err(|e| io_error(&path, "write", e))?;
        drop(out);
        if let Some(previous) = self.unchanged(Path::new(relative), |previous| holds_file(previous, &path)) {
            let linked = path.with_extension("gloss-linked");
            if fs::hard_link(&previous, &linked).is_ok() {
                fs::rename(&linked, &path).map_err(|e| io_error(&path, "write", e))?;
            }
        }
        Ok(())
    }

    fn write_bytes(&self, relative: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
        let path = self.dir.join(relative);
        let unchanged = self.unchanged(relative, |previous| holds_bytes(previous, bytes));
        self.put(&path, unchanged, "write", |path| write_file(path, bytes))
    }

    /// The previous output's copy of `relative`, if `same` says it is
    /// unchanged.
    fn unchanged(&self, relative: &Path, same: impl FnOnce(&Path) -> bool) -> Option<PathBuf> {
        self.previous.as_ref().map(|p| p.join(relative)).filter(|p| same(p))
    }

    /// Puts a file at `path`: a hard link to its unchanged previous copy, or
    /// else (also where the file system has no hard links) what `write` writes.
    fn put(
        &self,
        path: &Path,
        unchanged: Option<PathBuf>,
        action: &str,
        write: impl Fn(&Path) -> io::Result<()>,
    ) -> Result<(), Diagnostic> {
        let put = |path: &Path| match &unchanged {
            Some(previous) => fs::hard_link(previous, path).or_else(|_| write(path)),
            None => write(path),
        };
        match put(path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound && !STOPPING.load(Ordering::Relaxed) => {
                let folder = path.parent().unwrap_or(&self.dir);
                fs::create_dir_all(folder).map_err(|e| io_error(folder, "create", e))?;
                put(path).map_err(|e| io_error(path, action, e))
            }
            result => result.map_err(|e| io_error(path, action, e)),
        }
    }

    /// Copies files as they are (`static/`, article folders' files, copies
    /// of images: `(path in the output, file)` pairs), writes the marker
    /// and swaps the staging folder into place of the output.
    pub fn finish(mut self, copies: &[(PathBuf, PathBuf)]) -> Result<(), Diagnostic> {
        for (name, bytes) in DEFAULT_STATIC {
            if !copies.iter().any(|(to, _)| to == Path::new(name)) {
                self.write_bytes(Path::new(name), bytes)?;
            }
        }
        for (file, from) in copies {
            let unchanged = self.unchanged(file, |previous| holds_file(previous, from));
            let action = format!("copy {} to", from.display());
            self.put(&self.dir.join(file), unchanged, &action, |to| fs::copy(from, to).map(drop))?;
        }
        self.write_bytes(Path::new(MARKER), b"This folder is written by `gloss build` and replaced on every build.\n")?;
        let _settled = settle(&self.dir);
        if self.in_place {
            swap_entries(&self.dir, &self.output, &self.old)?;
        } else {
            swap(&self.dir, &self.output, &self.old)?;
        }
        self.finished = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished {
            let _settled = settle(&self.dir);
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Where a symbolic link at `path` leads, links followed to the end (the
/// target need not exist yet); `path` itself when it is no link.
fn follow_link(path: &Path) -> PathBuf {
    let mut path = path.to_path_buf();
    // A cycle of links is given up on, and fails when written to.
    for _ in 0..40 {
        match fs::read_link(&path) {
            Ok(target) => path = absolute(&path.parent().unwrap_or(Path::new("/")).join(target)),
            Err(_) => break,
        }
    }
    path
}

/// Is `path` a mount point, on another device than its parent? Such a
/// folder cannot be renamed.
fn is_mount_point(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let parent = path.parent().unwrap_or(Path::new("/"));
        matches!((fs::metadata(path), fs::metadata(parent)), (Ok(a), Ok(b)) if a.dev() != b.dev())
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

/// Makes an empty folder at `dir`, removing one left by an interrupted run.
fn fresh_dir(dir: &Path) -> Result<(), Diagnostic> {
    if dir.exists() {
        fs::remove_dir_all(dir).map_err(|e| io_error(dir, "remove the leftover", e))?;
    }
    fs::create_dir_all(dir).map_err(|e| io_error(dir, "create", e))
}

fn is_empty_dir(path: &Path) -> bool {
    fs::read_dir(path).is_ok_and(|mut entries| entries.next().is_none())
}

/// An I/O error that names the path it happened at.
fn io_error(path: &Path, action: &str, e: io::Error) -> Diagnostic {
    Diagnostic::error(Code::Io, format!("cannot {action} {}: {e}", path.display()))
        .with_hint("check that the folder is writable and the disk has space; the previous output was left untouched")
}

/// Whether the regular file at `path` is `len` bytes long and `same` finds
/// each of its chunks (at an offset) as expected. Read in chunks: a large
/// site's search index runs to tens of megabytes.
fn holds(path: &Path, len: u64, mut same: impl FnMut(usize, &[u8]) -> bool) -> bool {
    use std::io::Read;
    let Ok(meta) = fs::symlink_metadata(path) else { return false };
    if !meta.is_file() || meta.len() != len {
        return false;
    }
    let Ok(mut file) = fs::File::open(path) else { return false };
    let mut chunk = vec![0; len.min(256 * 1024) as usize];
    let mut at = 0;
    while (at as u64) < len {
        let n = (len - at as u64).min(chunk.len() as u64) as usize;
        if file.read_exact(&mut chunk[..n]).is_err() || !same(at, &chunk[..n]) {
            return false;
        }
        at += n;
    }
    true
}

/// [`holds`] for bytes in memory.
fn holds_bytes(path: &Path, bytes: &[u8]) -> bool {
    holds(path, bytes.len() as u64, |at, chunk| bytes[at..at + chunk.len()] == *chunk)
}

/// [`holds`] for the contents of another file.
fn holds_file(path: &Path, source: &Path) -> bool {
    use std::io::Read;
    let (Ok(meta), Ok(mut source)) = (fs::metadata(source), fs::File::open(source)) else { return false };
    let mut wanted = Vec::new();
    holds(path, meta.len(), |_, chunk| {
        wanted.resize(chunk.len(), 0);
        source.read_exact(&mut wanted).is_ok() && wanted == chunk
    })
}

/// One `write` call per file: pages are rendered whole in memory already.
fn write_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    fs::write(path, bytes)
}

/// Moves the finished staging folder into place of `output`.
fn swap(staging: &Path, output: &Path, old: &Path) -> Result<(), Diagnostic> {
    if old.exists() {
        remove_tree(old).map_err(|e| io_error(old, "remove the leftover", e))?;
    }
    let had_output = output.exists();
    if had_output {
        fs::rename(output, old).map_err(|e| io_error(output, "move aside", e))?;
    }
    if let Err(e) = fs::rename(staging, output) {
        let failure = io_error(output, "move the new site into", e);
        if had_output && fs::rename(old, output).is_err() {
            return Err(Diagnostic::error(
                Code::OutputNotRestored,
                format!("{}; and the previous output could not be put back", failure.message),
            )
            .with_hint(format!(
                "the previous output is in {}; move it back to {}",
                old.display(),
                output.display()
            )));
        }
        return Err(failure);
    }
    if had_output {
        remove_tree(old).map_err(|e| io_error(old, "remove the previous site at", e))?;
    }
    Ok(())
}

/// Swaps the finished staging folder's entries into `output` one by one:
/// every entry of the previous output is set aside in `old`, then every new
/// one moved in. If any move fails, what was moved is put back, so the
/// previous output is as it was (the error says so only when it is true).
fn swap_entries(staging: &Path, output: &Path, old: &Path) -> Result<(), Diagnostic> {
    let entries = |dir: &Path| -> io::Result<Vec<std::ffi::OsString>> {
        let mut names = Vec::new();
        for entry in fs::read_dir(dir)? {
            let name = entry?.file_name();
            if name != IN_PLACE_STAGING && name != IN_PLACE_OLD {
                names.push(name);
            }
        }
        Ok(names)
    };
    fresh_dir(old)?;
    let previous = entries(output).map_err(|e| io_error(output, "list", e))?;
    let new = entries(staging).map_err(|e| io_error(staging, "list", e))?;
    let mut set_aside = Vec::new();
    let mut moved_in = Vec::new();
    let mut failure = None;
    for name in &previous {
        match fs::rename(output.join(name), old.join(name)) {
            Ok(()) => set_aside.push(name),
            Err(e) => {
                failure = Some(io_error(&output.join(name), "move aside", e));
                break;
            }
        }
    }
    if failure.is_none() {
        for name in &new {
            match fs::rename(staging.join(name), output.join(name)) {
                Ok(()) => moved_in.push(name),
                Err(e) => {
                    failure = Some(io_error(&output.join(name), "move the new site into", e));
                    break;
                }
            }
        }
    }
    let Some(failure) = failure else {
        let _ = fs::remove_dir(staging);
        return remove_tree(old).map_err(|e| io_error(old, "remove the previous site at", e));
    };
    // Put everything back as it was.
    let mut restored = true;
    for name in moved_in {
        restored &= fs::rename(output.join(name), staging.join(name)).is_ok();
    }
    for name in set_aside {
        restored &= fs::rename(old.join(name), output.join(name)).is_ok();
    }
    if restored {
        let _ = fs::remove_dir_all(old);
        Err(failure)
    } else {
        Err(Diagnostic::error(
            Code::OutputNotRestored,
            format!("{}; and the previous output could not all be put back", failure.message),
        )
        .with_hint(format!(
            "what was set aside is in {}; move it back into {}",
            old.display(),
            output.display()
        )))
    }
}

/// Removes a folder gloss wrote: its files in parallel (a large site has
/// tens of thousands), then the folders.
fn remove_tree(dir: &Path) -> io::Result<()> {
    let files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .map(walkdir::DirEntry::into_path)
        .collect();
    files.par_iter().try_for_each(fs::remove_file)?;
    fs::remove_dir_all(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_outputs_that_hold_the_site() {
        let site = tempfile::tempdir().unwrap();
        fs::create_dir(site.path().join("content")).unwrap();
        let refused = |out: PathBuf| check_output_path(site.path(), &out).unwrap_err().code;
        assert_eq!(refused(site.path().to_path_buf()), Code::OutputPath);
        assert_eq!(refused(site.path().join("content")), Code::OutputPath);
        assert_eq!(refused(site.path().join("content/public")), Code::OutputPath);
        assert_eq!(refused(site.path().parent().unwrap().to_path_buf()), Code::OutputPath);
        assert_eq!(refused(PathBuf::from("/")), Code::OutputPath);
        assert!(check_output_path(site.path(), &site.path().join("public")).is_ok());
    }

    #[test]
    fn absolute_resolves_dots_lexically() {
        assert_eq!(absolute(Path::new("/a/b/../c/./d")), PathBuf::from("/a/c/d"));
    }
}
