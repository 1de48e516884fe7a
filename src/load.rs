//! Loading: the only stage that reads the site from disk.
//!
//! Walks `content/` and `templates/` in sorted order (so output never depends
//! on the order the file system lists files) and reads every file as UTF-8.
//! `static/` is only listed here; the write stage copies it.

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location};

/// The UTF-8 byte-order mark.
const BOM: &[u8] = b"\xef\xbb\xbf";

/// A text file of the site, with its path relative to the site root.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
}

/// Everything gloss reads from a site folder.
#[derive(Debug, Default)]
pub struct SiteSources {
    /// The site folder (empty for a site held only in memory).
    pub root: PathBuf,
    pub site_yaml: Option<SourceFile>,
    /// Every `.md` file under `content/`, sorted by path.
    pub content: Vec<SourceFile>,
    /// Every file under `templates/`, by path relative to `templates/`.
    pub templates: Vec<SourceFile>,
    /// Files under `static/`, relative to `static/`.
    pub static_files: Vec<PathBuf>,
    /// Files under `content/` other than text (an article folder's images),
    /// relative to the site root; listed, not read.
    pub content_files: Vec<PathBuf>,
    /// The `.geojson` files among `content_files`, read: the map layers a
    /// site may declare (`map_layers:`).
    pub geojson: Vec<SourceFile>,
}

impl SiteSources {
    /// A content file's text by its path ("" for none). Paths are hashed
    /// as bytes, not component by component as `Path` hashes them: an
    /// archive has a hundred thousand files, and `gloss serve` asks again
    /// after every edit.
    pub fn text_by_path<'a>(&'a self) -> impl Fn(&Path) -> &'a str + Sync + 'a {
        let texts: rustc_hash::FxHashMap<&std::ffi::OsStr, &str> =
            self.content.iter().map(|f| (f.path.as_os_str(), f.text.as_str())).collect();
        move |path: &Path| texts.get(path.as_os_str()).copied().unwrap_or("")
    }

    /// The place in [`SiteSources::content`] of the file at `path`.
    pub fn slot_of(&self, path: &Path) -> Option<usize> {
        self.content.iter().position(|f| f.path.as_os_str() == path.as_os_str())
    }
}

/// Reads the site at `root`. Every unreadable file is reported, not just the
/// first; the files that could be read are returned with those reports so
/// later stages can check them too. Fails outright only without `content/`.
pub fn load(root: &Path) -> Result<(SiteSources, Diagnostics), Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let mut sources = SiteSources { root: root.to_path_buf(), ..SiteSources::default() };
    let content = root.join("content");
    if !content.is_dir() {
        diagnostics.push(
            Diagnostic::error(Code::Io, format!("there is no `content` folder in {}", root.display()))
                .with_hint("run gloss in a site folder, pass --root DIR, or create a site with `gloss init DIR`"),
        );
        return Err(diagnostics);
    }
    let is_site_yaml = |path: &Path| {
        path.parent() == Some(content.as_path())
            && matches!(path.file_name().and_then(|n| n.to_str()), Some("site.yaml" | "site.yml"))
    };
    let (wanted, others): (Vec<PathBuf>, Vec<PathBuf>) = walk_files(&content, &mut diagnostics)
        .into_iter()
        .filter(|path| is_source(&relative_to(root, path)))
        .partition(|path| is_text(&relative_to(root, path)));
    sources.content_files = others.iter().map(|path| relative_to(root, path)).collect();
    let is_geojson = |path: &Path| path.extension().is_some_and(|e| e.eq_ignore_ascii_case("geojson"));
    sources.geojson = others
        .par_iter()
        .filter(|path| is_geojson(path))
        .filter_map(|path| read_text(path, relative_to(root, path), &mut Diagnostics::default()))
        .collect();
    // Read in parallel, keep the sorted order.
    let read: Vec<(PathBuf, Option<SourceFile>, Diagnostics)> = wanted
        .into_par_iter()
        .map(|path| {
            let mut problems = Diagnostics::default();
            let file = read_text(&path, relative_to(root, &path), &mut problems);
            (path, file, problems)
        })
        .collect();
    for (path, file, problems) in read {
        diagnostics.extend(problems.0);
        match file {
            Some(file) if is_site_yaml(&path) => sources.site_yaml = Some(file),
            Some(file) => sources.content.push(file),
            None => {}
        }
    }
    let templates = root.join("templates");
    if templates.is_dir() {
        for path in walk_files(&templates, &mut diagnostics) {
            if let Some(mut file) = read_text(&path, relative_to(root, &path), &mut diagnostics) {
                file.path = relative_to(&templates, &path);
                sources.templates.push(file);
            }
        }
    }
    let statics = root.join("static");
    if statics.is_dir() {
        sources.static_files =
            walk_files(&statics, &mut diagnostics).iter().map(|p| relative_to(&statics, p)).collect();
    }
    Ok((sources, diagnostics))
}

/// Is this path (relative to the site root) one that gloss reads? A `.md`
/// file or `site.yaml` under `content/` (or another file with an
/// extension, such as an article folder's image), or any file under
/// `templates/` or `static/`, but never a hidden file or an editor's backup
/// (`x.md~`, `.x.md.swp`, vim's test file `4913`): saving in an editor must
/// not look like a change to the site.
pub fn is_source(relative: &Path) -> bool {
    let mut parts = relative.components().map(|c| c.as_os_str().to_string_lossy());
    let Some(top) = parts.next() else { return false };
    let rest: Vec<_> = parts.collect();
    let Some(name) = rest.last() else { return false };
    if name.starts_with('.') || name.ends_with('~') {
        return false;
    }
    match top.as_ref() {
        "content" => name.contains('.'),
        "templates" | "static" => true,
        _ => false,
    }
}

/// Is this file under `content/` (relative to the site root) text that
/// gloss parses, Markdown, an article's annotations or `content/site.yaml`,
/// not a file listed for
/// copying?
pub fn is_text(relative: &Path) -> bool {
    relative.extension().is_some_and(|e| e == "md")
        || crate::standoff::is_annotations_file(relative)
        || crate::strings::is_site_file(relative)
        || relative == Path::new("content/site.yaml")
        || relative == Path::new("content/site.yml")
}

/// Reads one site file again (for incremental rebuilds). `None` when it is
/// gone or no longer a regular file.
pub fn read_one(root: &Path, relative: &Path) -> Option<Result<SourceFile, Diagnostics>> {
    let path = root.join(relative);
    if !fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
        return None;
    }
    let mut diagnostics = Diagnostics::default();
    Some(read_text(&path, relative.to_path_buf(), &mut diagnostics).ok_or(diagnostics))
}

/// Regular files below `dir`, sorted by name, symlinks not followed.
fn walk_files(dir: &Path, diagnostics: &mut Diagnostics) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for entry in WalkDir::new(dir) {
        match entry {
            Ok(entry) if entry.file_type().is_file() => {
                let hidden = entry.file_name().as_encoded_bytes().starts_with(b".");
                if !hidden {
                    files.push(entry.into_path());
                }
            }
            Ok(_) => {}
            Err(e) => {
                let path = e.path().map(Path::to_path_buf).unwrap_or_else(|| dir.to_path_buf());
                problems.push((path, e.to_string()));
            }
        }
    }
    files.sort_unstable_by(|a, b| walk_order(a, b));
    problems.sort_by(|(a, _), (b, _)| walk_order(a, b));
    for (path, problem) in problems {
        diagnostics.push(Diagnostic::error(Code::Io, format!("cannot read: {problem}")).in_file(&path));
    }
    files
}

/// The order of a walk that sorts each folder by name: component by
/// component, which is byte order with the separator below every other
/// byte. Sorting as the walk goes, or comparing `Path`s, takes each path
/// apart again at every comparison: a third of a second, on one core, for
/// an archive of 100,000 files.
fn walk_order(a: &Path, b: &Path) -> std::cmp::Ordering {
    fn bytes(path: &Path) -> impl Iterator<Item = u8> + '_ {
        let bytes = path.as_os_str().as_encoded_bytes().iter();
        bytes.map(|&b| if std::path::is_separator(char::from(b)) { 0 } else { b })
    }
    bytes(a).cmp(bytes(b))
}

/// Reads a file as UTF-8, reporting where the first invalid byte is.
fn read_text(path: &Path, relative: PathBuf, diagnostics: &mut Diagnostics) -> Option<SourceFile> {
    let bytes = match fs::read(path) {
        // A byte-order mark some editors write is no part of the text: a
        // template would print it before `<!DOCTYPE>`, and a column on the
        // first line would count it.
        Ok(bytes) if bytes.starts_with(BOM) => bytes[BOM.len()..].to_vec(),
        Ok(bytes) => bytes,
        Err(e) => {
            diagnostics.push(Diagnostic::error(Code::Io, format!("cannot read this file: {e}")).in_file(&relative));
            return None;
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => Some(SourceFile { path: relative, text }),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
            let location = Location::from_range(&relative, &prefix, valid..valid);
            diagnostics.push(
                Diagnostic::error(Code::NotUtf8, format!("this file is not UTF-8 text (byte {valid})"))
                    .at(location)
                    .with_hint("save the file as UTF-8 in your editor (often under “Save with encoding”)"),
            );
            None
        }
    }
}

/// `path` relative to `base`, or `path` itself when it is not below `base`.
pub fn relative_to(base: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(base).unwrap_or(path).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_what_gloss_reads() {
        for yes in [
            "content/site.yaml",
            "content/people/kim.md",
            "content/articles/trip/photo.jpg",
            "templates/base.html",
            "static/img/map.png",
        ] {
            assert!(is_source(Path::new(yes)), "{yes}");
        }
        for no in ["content/people/.kim.md.swp", "content/people/kim.md~", "content/articles/4913", "public/index.html"]
        {
            assert!(!is_source(Path::new(no)), "{no}");
        }
    }

    #[test]
    fn files_come_in_the_order_of_a_walk_sorted_by_name() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path();
        let names = [
            "a/x.md",
            "a-b/x.md",
            "a.md",
            "ab/c.md",
            "a/b/c.md",
            "a/b.md",
            "a b/x.md",
            "é/x.md",
            "Z.md",
            "a/.hidden.md",
        ];
        for name in names {
            let path = dir.join(name);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, "").unwrap();
        }
        let found: Vec<PathBuf> =
            walk_files(dir, &mut Diagnostics::default()).iter().map(|p| relative_to(dir, p)).collect();
        // What walkdir's own sorting by name gives, component by component.
        let mut expected: Vec<PathBuf> = names.iter().filter(|n| !n.contains("/.")).map(PathBuf::from).collect();
        expected.sort();
        assert_eq!(found, expected);
        // A folder's files before the names it begins (in byte order,
        // `a b/` and `a-b/` would come first).
        let first: Vec<&str> = found[..5].iter().map(|p| p.to_str().unwrap()).collect();
        assert_eq!(first, ["Z.md", "a/b/c.md", "a/b.md", "a/x.md", "a b/x.md"]);
    }
}
