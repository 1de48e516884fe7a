//! Images in a text: `![alt](src "title")` becomes an `<img>` with its
//! size, copies and lazy loading, and an image alone in its paragraph a
//! `<figure>` whose caption is the title: `"Caption | Credit"` gives a
//! caption and a credit line.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event};

use super::Origin;
use crate::diagnostic::{Code, Diagnostic};
use crate::html::escape;
use crate::images::{Found, Image};
use crate::model::EntityImage;

/// An entity's image, as its page and its previews show it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Portrait {
    /// The `<img>`, from a page one folder down (an entity's page).
    pub html: String,
    /// The image's address: from the output's root, or on the web.
    pub path: String,
    pub remote: bool,
    /// The smallest copy (or the image), for a preview card, from the
    /// output's root or on the web.
    pub thumbnail: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub alt: String,
    pub credit: Option<String>,
    pub licence: Option<String>,
    pub licence_url: Option<String>,
}

/// The entity `name`'s `image`, found where it says (an error at its
/// `src` when it is nowhere).
pub(super) fn portrait(
    origin: Origin,
    image: &EntityImage,
    name: &str,
    figures: &mut Figures,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Portrait> {
    let alt = image.alt.clone().unwrap_or_else(|| name.to_string());
    let src = &image.src.value;
    let (html, path, remote, thumbnail, size) = match origin.registry.images.find(origin.path, src) {
        Ok(Found::Local(found)) => {
            let html = format!("<img {} alt=\"{}\">", found.attributes(origin.href_prefix), escape(&alt));
            let thumbnail = found.copies.first().map_or(&found.path, |c| &c.path).clone();
            let shown = (found.path.clone(), found.size);
            figures.shown.push(found);
            (html, shown.0, false, thumbnail, shown.1)
        }
        Ok(Found::Remote) => {
            let html =
                format!("<img src=\"{}\" loading=\"lazy\" decoding=\"async\" alt=\"{}\">", escape(src), escape(&alt));
            (html, src.clone(), true, src.clone(), None)
        }
        Err(message) => {
            diagnostics.push(
                Diagnostic::error(Code::MissingImage, message).at(origin.locate(image.src.span.clone())).with_hint(
                    "an entity's image goes under static/: `image: img/kim-jong-il.jpg` is static/img/kim-jong-il.jpg",
                ),
            );
            return None;
        }
    };
    Some(Portrait {
        html,
        path,
        remote,
        thumbnail,
        width: size.map(|s| s.0),
        height: size.map(|s| s.1),
        alt,
        credit: image.credit.clone(),
        licence: image.licence.clone(),
        licence_url: image.licence_url.clone(),
    })
}

/// An image whose alternative text is being read.
#[derive(Debug)]
struct Open {
    src: String,
    title: String,
    source: Range<usize>,
    /// Where its alternative text starts among the events written.
    from: usize,
    /// Its address is refused (`javascript:`; already reported).
    refused: bool,
}

/// The images of one text.
#[derive(Debug, Default)]
pub(super) struct Figures {
    open: Vec<Open>,
    /// Where the open paragraph starts among the events written.
    paragraph: Option<usize>,
    /// The last image written: where, and its title.
    last: Option<(usize, String)>,
    /// Every image of the site shown, for its copies to be made.
    pub(super) shown: Vec<Image>,
}

impl Figures {
    /// An image starts; its alternative text follows as events in `out`.
    pub(super) fn start(
        &mut self,
        src: &str,
        title: &str,
        source: Range<usize>,
        refused: bool,
        out: &[Event<'static>],
    ) {
        let open = Open { src: src.to_string(), title: title.to_string(), source, from: out.len(), refused };
        self.open.push(open);
    }

    /// The image ends: its events become one `<img>`.
    pub(super) fn end(&mut self, origin: Origin, out: &mut Vec<Event<'static>>, diagnostics: &mut Vec<Diagnostic>) {
        let Some(open) = self.open.pop() else { return };
        let alt: String = out
            .drain(open.from..)
            .filter_map(|event| match event {
                Event::Text(text) | Event::Code(text) => Some(text),
                Event::SoftBreak | Event::HardBreak => Some(" ".into()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .concat();
        if alt.trim().is_empty() {
            diagnostics.push(
                Diagnostic::warning(
                    Code::MissingAlt,
                    "this image has no alternative text: a reader who cannot see it learns nothing of it",
                )
                .at(origin.locate(open.source.clone()))
                .with_hint("say what it shows between the brackets: `![Crowds at Khasan station](khasan.jpg)`"),
            );
        }
        let attributes = match open.refused {
            true => String::new(),
            false => self.attributes(&open, origin, diagnostics),
        };
        let title = match open.title.is_empty() {
            true => String::new(),
            false => format!(" title=\"{}\"", escape(&open.title)),
        };
        let html = format!("<img {attributes} alt=\"{}\"{title}>", escape(alt.trim()));
        out.push(Event::InlineHtml(CowStr::from(html)));
        if self.open.is_empty() {
            self.last = Some((out.len() - 1, open.title));
        }
    }

    /// `src`, `srcset`, size and loading of an image, found where its text
    /// says (an error at the image when it is nowhere).
    fn attributes(&mut self, open: &Open, origin: Origin, diagnostics: &mut Vec<Diagnostic>) -> String {
        match origin.registry.images.find(origin.path, &open.src) {
            Ok(Found::Local(image)) => {
                let attributes = image.attributes(origin.href_prefix);
                self.shown.push(image);
                attributes
            }
            Ok(Found::Remote) => format!("src=\"{}\" loading=\"lazy\" decoding=\"async\"", escape(&open.src)),
            Err(message) => {
                diagnostics.push(
                    Diagnostic::error(Code::MissingImage, message)
                        .at(origin.locate(open.source.clone()))
                        .with_hint("check the file name's spelling and case, or put the image there"),
                );
                format!("src=\"{}\"", escape(&open.src))
            }
        }
    }

    /// A paragraph starts at `at` among the events written.
    pub(super) fn paragraph(&mut self, at: usize) {
        self.paragraph = Some(at);
        self.last = None;
    }

    /// A paragraph ends. If it held one image and nothing else, it becomes
    /// a figure, captioned by the image's title: `true` when it did (and
    /// its end is written).
    pub(super) fn end_paragraph(&mut self, out: &mut Vec<Event<'static>>) -> bool {
        let (Some(start), Some((image, title))) = (self.paragraph.take(), self.last.take()) else { return false };
        if image != start + 1 || out.len() != start + 2 {
            return false;
        }
        let Some(Event::InlineHtml(img)) = out.pop() else { return false };
        out.truncate(start);
        let img = match title.is_empty() {
            true => img.to_string(),
            // The caption says it; a tooltip would say it twice.
            false => img.replacen(&format!(" title=\"{}\"", escape(&title)), "", 1),
        };
        let caption = match title.split_once('|') {
            _ if title.trim().is_empty() => String::new(),
            Some((caption, credit)) => format!(
                "\n<figcaption>{} <span class=\"credit\">{}</span></figcaption>",
                escape(caption.trim()),
                escape(credit.trim())
            ),
            None => format!("\n<figcaption>{}</figcaption>", escape(title.trim())),
        };
        out.push(Event::Html(CowStr::from(format!("<figure class=\"figure\">{img}{caption}</figure>\n"))));
        true
    }
}
