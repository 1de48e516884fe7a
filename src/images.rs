//! Images: where an image a text names is, how big it is, and the smaller
//! copies offered to small screens.
//!
//! An article that is a folder (`content/articles/<slug>/index.md`, a page
//! bundle as in Zola and Hugo) finds its images beside it; any text finds
//! images under `static/` (`/img/x.jpg`, or `img/x.jpg` where no bundle has
//! it). An image's size is read from its header (imagesize), so every
//! `<img>` carries `width` and `height` and the page does not jump as it
//! loads. A JPEG or PNG wider than [`WIDTHS`]' smallest gets a copy at each
//! smaller width, offered with `srcset`; one wider than the largest is
//! never sent to a page as it is. Copies are made when the site is written
//! (or served), into a cache under [`CACHE`] named by a hash of the
//! source, so a rebuild resizes nothing twice.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::hash::{Hash, Hasher};
use std::io;
use std::path::{Component, Path, PathBuf};

use image::ImageDecoder;
use rayon::prelude::*;

use crate::diagnostic::{Code, Diagnostic};
use crate::load::SiteSources;

/// The widths copies are made at: a phone, a phone at 2x or the article's
/// column (38rem) at 1x, the column at 2x.
pub const WIDTHS: [u32; 3] = [480, 960, 1440];

/// How wide an article's image is shown, for the browser to pick from
/// `srcset` before the stylesheet is read.
pub const SIZES: &str = "(min-width: 40rem) 38rem, 100vw";

/// Where copies are kept between builds, from the site root.
pub const CACHE: &str = ".gloss/cache/images";

/// The output folder copies are written to.
const RESIZED: &str = "resized";

/// The images a site's texts may name: what `static/` and the article
/// folders hold.
#[derive(Debug, Default)]
pub struct Library {
    root: PathBuf,
    statics: HashSet<String>,
    /// Each file in an article's folder, from the site root, with its path
    /// in the output (`articles/<slug>/<file>`).
    bundled: HashMap<PathBuf, String>,
}

/// What an image source names.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    /// An image elsewhere on the web, used as it is.
    Remote,
    /// An image of the site.
    Local(Image),
}

/// An image of the site.
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    /// From the output's root: `img/kim.jpg`, `articles/trip/photo.jpg`.
    pub path: String,
    /// From the site root: the file read.
    pub source: PathBuf,
    /// Unknown for a format whose header gloss cannot read (SVG).
    pub size: Option<(u32, u32)>,
    /// Smaller copies, narrowest first.
    pub copies: Vec<Copy>,
}

/// A smaller copy of an image.
#[derive(Debug, Clone, PartialEq)]
pub struct Copy {
    /// From the output's root (`resized/...`); also its name in the cache.
    pub path: String,
    pub width: u32,
    pub height: u32,
}

impl Library {
    /// Lists what `static/` and the article folders of `sources` hold.
    pub fn new(sources: &SiteSources) -> Library {
        let bundles: HashMap<&Path, String> = sources
            .content
            .iter()
            .filter(|f| f.path.file_name().is_some_and(|n| n == "index.md"))
            .filter(|f| f.path.starts_with("content/articles"))
            .filter_map(|f| Some((f.path.parent()?, crate::parse::article_slug(&f.path))))
            .collect();
        let bundled = sources
            .content_files
            .iter()
            .filter_map(|file| {
                let (folder, slug) = file.ancestors().skip(1).find_map(|a| bundles.get_key_value(a))?;
                let inside = slashed(file.strip_prefix(folder).ok()?);
                Some((file.clone(), format!("articles/{slug}/{inside}")))
            })
            .collect();
        Library {
            root: sources.root.clone(),
            statics: sources.static_files.iter().map(|p| slashed(p)).collect(),
            bundled,
        }
    }

    /// The files of article folders, with their paths in the output: they
    /// are copied as they are, as `static/` is.
    pub fn bundled(&self) -> impl Iterator<Item = (&PathBuf, &String)> {
        self.bundled.iter()
    }

    /// What `src`, named in the text at `text` (from the site root), is:
    /// an error message when it is nowhere.
    pub fn find(&self, text: &Path, src: &str) -> Result<Found, String> {
        let src = src.trim();
        let lower = src.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") || src.starts_with("//") {
            return Ok(Found::Remote);
        }
        let path = src.split(['?', '#']).next().unwrap_or_default();
        let path = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
        let (source, output) = match path.strip_prefix('/') {
            Some(in_static) => self.in_static(in_static),
            None => self.beside(text, &path).or_else(|| self.in_static(&path)),
        }
        .ok_or_else(|| {
            let beside = match text.file_name().is_some_and(|n| n == "index.md") {
                true => format!("{}/ nor in static/", text.parent().map(slashed).unwrap_or_default()),
                false => {
                    "static/ (an article that is a folder, articles/<slug>/index.md, may keep it beside it)".into()
                }
            };
            format!("image `{src}` is neither in {beside}")
        })?;
        Ok(Found::Local(self.measure(source, output)))
    }

    fn in_static(&self, path: &str) -> Option<(PathBuf, String)> {
        let path = normal(Path::new(path))?;
        self.statics.contains(&path).then(|| (Path::new("static").join(&path), path))
    }

    fn beside(&self, text: &Path, path: &str) -> Option<(PathBuf, String)> {
        let file = normal(&text.parent()?.join(path))?;
        let output = self.bundled.get(Path::new(&file))?;
        Some((PathBuf::from(file), output.clone()))
    }

    /// Reads the size of the image at `source` and plans its copies.
    fn measure(&self, source: PathBuf, path: String) -> Image {
        let file = self.root.join(&source);
        let size = imagesize::size(&file)
            .ok()
            .and_then(|s| Some((u32::try_from(s.width).ok()?, u32::try_from(s.height).ok()?)));
        let extension = resizable(&source);
        let size = match (size, extension) {
            // A camera's photograph is stored sideways with a note to turn
            // it: the size shown is the turned one.
            (Some((w, h)), Some("jpg")) if turned(&file) => Some((h, w)),
            (size, _) => size,
        };
        let copies = match (size, extension) {
            (Some((width, height)), Some(extension)) => {
                let key = cache_key(&file, &source);
                let stem = source.file_stem().map(|s| crate::model::slugify(&s.to_string_lossy())).unwrap_or_default();
                WIDTHS
                    .iter()
                    .filter(|&&w| w < width)
                    .map(|&w| Copy {
                        path: format!("{RESIZED}/{stem}-{key:016x}-{w}w.{extension}"),
                        width: w,
                        height: (u64::from(height) * u64::from(w) / u64::from(width)).max(1) as u32,
                    })
                    .collect()
            }
            _ => Vec::new(),
        };
        Image { path, source, size, copies }
    }
}

impl Image {
    /// What the page's `<img>` loads by default: the original, or its
    /// largest copy when the original is wider than any copy.
    pub fn shown(&self) -> (&str, Option<(u32, u32)>) {
        match (self.size, self.copies.last()) {
            (Some((width, _)), Some(copy)) if width > WIDTHS[WIDTHS.len() - 1] => {
                (&copy.path, Some((copy.width, copy.height)))
            }
            _ => (&self.path, self.size),
        }
    }

    /// The attributes of its `<img>` but `alt`, with links from a page
    /// `prefix` away from the root: `src`, `srcset` and `sizes`, `width`
    /// and `height`, and lazy loading.
    pub fn attributes(&self, prefix: &str) -> String {
        let (src, size) = self.shown();
        let mut out = format!("src=\"{}\"", crate::html::escape(&format!("{prefix}{src}")));
        if !self.copies.is_empty() {
            let mut candidates: Vec<String> =
                self.copies.iter().map(|c| format!("{prefix}{} {}w", c.path, c.width)).collect();
            if let Some((width, _)) = self.size.filter(|&(w, _)| w <= WIDTHS[WIDTHS.len() - 1]) {
                candidates.push(format!("{prefix}{} {width}w", self.path));
            }
            out.push_str(&format!(" srcset=\"{}\" sizes=\"{SIZES}\"", crate::html::escape(&candidates.join(", "))));
        }
        if let Some((width, height)) = size {
            out.push_str(&format!(" width=\"{width}\" height=\"{height}\""));
        }
        out.push_str(" loading=\"lazy\" decoding=\"async\"");
        out
    }
}

/// Makes every copy of `images` that the cache does not hold yet, in
/// parallel; returns each copy's output path and its file in the cache.
pub fn make_copies<'a>(
    root: &Path,
    images: impl Iterator<Item = &'a Image>,
) -> Result<Vec<(String, PathBuf)>, Diagnostic> {
    let mut seen = HashSet::new();
    let wanted: Vec<&Image> = images.filter(|i| !i.copies.is_empty() && seen.insert(&i.path)).collect();
    let cache = root.join(CACHE);
    let made: Vec<Vec<(String, PathBuf)>> = wanted
        .par_iter()
        .map(|image| {
            let missing: Vec<&Copy> = image.copies.iter().filter(|c| !cached(&cache, c).is_file()).collect();
            if !missing.is_empty() {
                resize(&root.join(&image.source), &missing, &cache).map_err(|e| {
                    Diagnostic::error(Code::Io, format!("cannot make smaller copies of this image: {e}"))
                        .in_file(&image.source)
                        .with_hint(
                            "check that the file is a whole JPEG or PNG image, and that the site folder is writable",
                        )
                })?;
            }
            Ok(image.copies.iter().map(|c| (c.path.clone(), cached(&cache, c))).collect())
        })
        .collect::<Result<_, Diagnostic>>()?;
    Ok(made.into_iter().flatten().collect())
}

/// Where the cache keeps `copy`.
fn cached(cache: &Path, copy: &Copy) -> PathBuf {
    cache.join(copy.path.strip_prefix(&format!("{RESIZED}/")).unwrap_or(&copy.path))
}

/// Decodes the image at `file` once and writes each of `copies` into
/// `cache` (through a temporary file, so a build stopped halfway leaves no
/// half-written copy to be taken for a whole one).
fn resize(file: &Path, copies: &[&Copy], cache: &Path) -> Result<(), String> {
    let mut decoder = image::ImageReader::open(file)
        .and_then(|r| r.with_guessed_format())
        .map_err(|e| e.to_string())?
        .into_decoder()
        .map_err(|e| e.to_string())?;
    let orientation = decoder.orientation().map_err(|e| e.to_string())?;
    let mut larger = image::DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
    larger.apply_orientation(orientation);
    fs::create_dir_all(cache).map_err(|e| format!("cannot create {}: {e}", cache.display()))?;
    // Widest first, each from the one before: a camera's 6000 pixels are
    // filtered once, not once a copy.
    let mut copies = copies.to_vec();
    copies.sort_by_key(|c| std::cmp::Reverse(c.width));
    for copy in copies {
        let smaller = larger.resize_exact(copy.width, copy.height, image::imageops::FilterType::CatmullRom);
        let to = cached(cache, copy);
        let partial = to.with_extension("partial");
        let written = match to.extension().and_then(|e| e.to_str()) {
            Some("jpg") => fs::File::create(&partial).map_err(|e| e.to_string()).and_then(|f| {
                let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(io::BufWriter::new(f), 82);
                smaller.to_rgb8().write_with_encoder(encoder).map_err(|e| e.to_string())
            }),
            _ => smaller.save_with_format(&partial, image::ImageFormat::Png).map_err(|e| e.to_string()),
        };
        written.and_then(|()| fs::rename(&partial, &to).map_err(|e| e.to_string())).inspect_err(|_| {
            let _ = fs::remove_file(&partial);
        })?;
        larger = smaller;
    }
    Ok(())
}

/// The extension of a copy of `source`, if gloss makes copies of it.
fn resizable(source: &Path) -> Option<&'static str> {
    match source.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "jpg" | "jpeg" => Some("jpg"),
        "png" => Some("png"),
        _ => None,
    }
}

/// Whether a JPEG's orientation turns it a quarter (its width is its height).
fn turned(file: &Path) -> bool {
    let orientation = image::ImageReader::open(file)
        .and_then(|r| r.with_guessed_format())
        .ok()
        .and_then(|r| r.into_decoder().ok())
        .and_then(|mut d| d.orientation().ok());
    use image::metadata::Orientation::*;
    matches!(orientation, Some(Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH))
}

/// Names a source's copies by its bytes, so the same image gets the same
/// names on every machine. Each file is read once a process for as long as
/// its size and modification time stay the same: a served site re-renders
/// an article without reading its photographs again.
fn cache_key(file: &Path, source: &Path) -> u64 {
    type Seen = HashMap<(PathBuf, u64, Option<std::time::SystemTime>), u64>;
    static SEEN: std::sync::OnceLock<std::sync::Mutex<Seen>> = std::sync::OnceLock::new();
    let meta = fs::metadata(file).ok();
    let stamp = (file.to_path_buf(), meta.as_ref().map_or(0, |m| m.len()), meta.and_then(|m| m.modified().ok()));
    let seen = SEEN.get_or_init(Default::default);
    if let Some(&key) = seen.lock().unwrap_or_else(|e| e.into_inner()).get(&stamp) {
        return key;
    }
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    source.hash(&mut hasher);
    fs::read(file).unwrap_or_default().hash(&mut hasher);
    WIDTHS.hash(&mut hasher);
    let key = hasher.finish();
    seen.lock().unwrap_or_else(|e| e.into_inner()).insert(stamp, key);
    key
}

/// `path` with `/` between its parts.
fn slashed(path: &Path) -> String {
    path.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// `path` without `.` and `..`, with `/` between its parts; `None` when it
/// climbs above where it starts.
fn normal(path: &Path) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_never_climb_out() {
        assert_eq!(normal(Path::new("content/articles/x/./a.jpg")).as_deref(), Some("content/articles/x/a.jpg"));
        assert_eq!(normal(Path::new("img/../a.jpg")).as_deref(), Some("a.jpg"));
        assert_eq!(normal(Path::new("../a.jpg")), None);
    }

    #[test]
    fn a_wide_image_is_shown_through_its_largest_copy() {
        let copy = |w: u32| Copy { path: format!("resized/p-{w}w.jpg"), width: w, height: w / 2 };
        let wide = Image {
            path: "articles/x/p.jpg".into(),
            source: "content/articles/x/p.jpg".into(),
            size: Some((6000, 3000)),
            copies: WIDTHS.iter().map(|&w| copy(w)).collect(),
        };
        let attributes = wide.attributes("../");
        assert!(attributes.starts_with("src=\"../resized/p-1440w.jpg\""), "{attributes}");
        assert!(attributes.contains("width=\"1440\" height=\"720\""));
        assert!(!attributes.contains("articles/x/p.jpg"), "the original is never sent: {attributes}");
        let small = Image { size: Some((1000, 500)), copies: vec![copy(480), copy(960)], ..wide };
        let attributes = small.attributes("../");
        assert!(attributes
            .contains("srcset=\"../resized/p-480w.jpg 480w, ../resized/p-960w.jpg 960w, ../articles/x/p.jpg 1000w\""));
        assert!(attributes.contains("width=\"1000\" height=\"500\""));
    }
}
