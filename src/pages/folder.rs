//! The folders `gloss serve` keeps its pages in.
//!
//! Each server process has a folder of its own, [`ServeFolder`]:
//! `.gloss/serve/<pid>` in the site (or, where the site cannot be written
//! in, `gloss-serve/<pid>` in the system's temporary folder), never the
//! site's `public/`, so serving cannot clobber a `gloss build`. In it, each
//! full build writes a fresh [`PageFolder`], so the last good build stays
//! whole while the next is written (or fails); an incremental update
//! replaces files in place, each atomically (a temporary file in the same
//! folder, renamed over the page), so a request never reads half a page.
//!
//! A page folder is deleted when the last of its users lets it go (the
//! site, and the snapshots requests read); the server's folder when the
//! server stops (see [`ServeFolder::remove`]). A server killed outright
//! leaves its folder behind: the process holds a lock on a file in it, and
//! the next server on the site deletes every folder whose lock is free.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Where the servers' folders are, in the site.
const IN_SITE: &str = ".gloss/serve";

/// The file each server's folder holds locked while it runs.
const LOCK: &str = ".lock";

/// The folder of one server process, shared by its builds.
#[derive(Clone)]
pub(crate) struct ServeFolder(Arc<Inner>);

struct Inner {
    dir: PathBuf,
    /// Held locked while the process runs.
    _lock: fs::File,
    /// Names the next build's folder.
    next: AtomicU64,
}

impl ServeFolder {
    /// Makes this process's folder for the site at `root`, first deleting
    /// those left by servers no longer running.
    pub(crate) fn create(root: &Path) -> io::Result<ServeFolder> {
        match Self::create_in(&root.join(IN_SITE)) {
            Ok(folder) => Ok(folder),
            Err(_) => Self::create_in(&std::env::temp_dir().join("gloss-serve")),
        }
    }

    fn create_in(parent: &Path) -> io::Result<ServeFolder> {
        fs::create_dir_all(parent)?;
        remove_stale(parent);
        let dir = parent.join(std::process::id().to_string());
        // Left by an earlier process of the same id, now gone.
        if dir.exists() {
            fs::remove_dir_all(&dir)?;
        }
        fs::create_dir(&dir)?;
        let lock = fs::File::create(dir.join(LOCK))?;
        lock.try_lock().map_err(|e| io::Error::other(format!("cannot lock {}: {e}", dir.display())))?;
        Ok(ServeFolder(Arc::new(Inner { dir, _lock: lock, next: AtomicU64::new(0) })))
    }

    #[cfg(test)]
    pub(crate) fn path(&self) -> &Path {
        &self.0.dir
    }

    /// An empty folder for a build.
    pub(crate) fn fresh(&self) -> io::Result<Arc<PageFolder>> {
        let n = self.0.next.fetch_add(1, Ordering::Relaxed);
        let dir = self.0.dir.join(format!("build-{n}"));
        fs::create_dir(&dir)?;
        Ok(Arc::new(PageFolder { dir, temporary: AtomicU64::new(0) }))
    }

    /// Deletes the folder and everything in it: the server stops.
    pub(crate) fn remove(&self) {
        let _ = fs::remove_dir_all(&self.0.dir);
    }
}

/// Deletes the folders in `parent` whose server is gone: their lock is
/// free, or (a server killed before it locked it) there is none and no
/// process of that id runs.
fn remove_stale(parent: &Path) {
    let Ok(entries) = fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let dir = entry.path();
        let stale = match fs::File::open(dir.join(LOCK)) {
            Ok(lock) => lock.try_lock().is_ok(),
            Err(_) => entry.file_name().to_str().and_then(|n| n.parse::<u32>().ok()).is_some_and(|pid| !running(pid)),
        };
        if stale && dir.is_dir() {
            let _ = fs::remove_dir_all(&dir);
        }
    }
}

/// Whether a process of this id runs (where that cannot be known: yes).
fn running(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Some(pid) = i32::try_from(pid).ok().and_then(rustix::process::Pid::from_raw) else { return false };
        !matches!(rustix::process::test_kill_process(pid), Err(rustix::io::Errno::SRCH))
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

/// The pages of one build, a file each at its path from the root.
pub(crate) struct PageFolder {
    dir: PathBuf,
    /// Names temporary files.
    temporary: AtomicU64,
}

impl PageFolder {
    #[cfg(test)]
    pub(crate) fn path(&self) -> &Path {
        &self.dir
    }

    /// The file of the page at `path` (from the root).
    pub(crate) fn file(&self, path: &str) -> PathBuf {
        self.dir.join(path)
    }

    pub(crate) fn read(&self, path: &str) -> io::Result<Vec<u8>> {
        fs::read(self.file(path))
    }

    pub(crate) fn read_text(&self, path: &str) -> io::Result<String> {
        String::from_utf8(self.read(path)?).map_err(io::Error::other)
    }

    /// Whether the page file at `path` holds exactly `bytes`.
    pub(crate) fn holds(&self, path: &str, bytes: &[u8]) -> bool {
        let Ok(file) = fs::File::open(self.file(path)) else { return false };
        if file.metadata().map(|m| m.len()).ok() != Some(bytes.len() as u64) {
            return false;
        }
        let mut held = Vec::with_capacity(bytes.len());
        file.take(bytes.len() as u64 + 1).read_to_end(&mut held).is_ok() && held == bytes
    }

    /// Writes a page into a folder nobody reads yet (a build's first
    /// writing), making its folders as needed.
    pub(crate) fn write_new(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        let file = self.file(path);
        match fs::write(&file, bytes) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                fs::create_dir_all(file.parent().unwrap_or(&self.dir))?;
                fs::write(&file, bytes)
            }
            result => result,
        }
    }

    /// Writes a page atomically: whoever opens the file gets the old bytes
    /// or the new, never part of either.
    pub(crate) fn replace(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        let file = self.file(path);
        let folder = file.parent().unwrap_or(&self.dir);
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let n = self.temporary.fetch_add(1, Ordering::Relaxed);
        let temporary = folder.join(format!(".{name}.{n}.tmp"));
        if let Err(e) = fs::write(&temporary, bytes) {
            if e.kind() != io::ErrorKind::NotFound {
                return Err(e);
            }
            fs::create_dir_all(folder)?;
            fs::write(&temporary, bytes)?;
        }
        fs::rename(&temporary, &file).inspect_err(|_| {
            let _ = fs::remove_file(&temporary);
        })
    }

    /// Deletes the page file at `path`, if there is one.
    pub(crate) fn remove(&self, path: &str) -> io::Result<()> {
        match fs::remove_file(self.file(path)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

impl Drop for PageFolder {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_left_by_a_dead_server_is_deleted_and_a_live_one_kept() {
        let root = tempfile::tempdir().unwrap();
        let parent = root.path().join(IN_SITE);
        // A server killed outright: its lock free, its pages still there.
        fs::create_dir_all(parent.join("1/build-0")).unwrap();
        fs::write(parent.join("1").join(LOCK), "").unwrap();
        let live = ServeFolder::create(root.path()).unwrap();
        assert!(!parent.join("1").exists(), "the dead server's folder is deleted");
        assert!(live.path().starts_with(&parent));
        // Another server on the same site keeps this one's folder.
        remove_stale(&parent);
        assert!(live.path().join(LOCK).exists(), "a running server's folder is kept");
        live.remove();
        assert!(!live.path().exists());
    }
}
