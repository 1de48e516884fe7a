//! The YAML layer: front matter and `site.yaml` as `serde_yaml` values that
//! know where each of their nodes is written.
//!
//! A document is read by libyaml, the parser `serde_yaml` is built on. Its
//! event API gives the byte range of every node, and the same pass builds
//! the `serde_yaml` value, resolving plain scalars as `serde_yaml` does
//! (see [`plain_scalar`]): one tree of values and one of spans, of the same
//! shape, which a [`Node`] walks together. What that pass does not resolve
//! itself (a tag, an integer beyond 64 bits, two keys that are one value)
//! is read again by `serde_yaml`, whose answer, or error, stands.
//!
//! The event pass refuses what would make reading costly or its answer
//! ambiguous: anchors and aliases (a repeated alias of a long value expands
//! without bound), nesting deeper than [`MAX_DEPTH`], a key given twice in
//! one mapping, a second document. It stops at the first such node, so
//! hostile input costs time linear in what was read.
//!
//! [`Fields`] reads a mapping's fields, and [`Report`] collects what is
//! wrong with them, in one style for every file: an unknown field with a
//! did-you-mean at its key, a wrong type at the offending node.

use std::mem::MaybeUninit;
use std::ops::Range;
use std::path::Path;

use libyaml_rs as sys;
use rustc_hash::FxHashMap;
use serde_yaml::Value;

use crate::diagnostic::{did_you_mean, Code, Diagnostic, LineIndex, Location};
use crate::model::Spanned;

/// The deepest nesting of lists and mappings accepted: far more than any
/// front matter needs, far less than would strain a recursive reader.
pub(crate) const MAX_DEPTH: usize = 64;

const SYNTAX_HINT: &str = "check indentation, and quote text that contains `: ` or starts with a special character";

/// One YAML document: its value, and the byte range in the file of each of
/// its nodes.
pub(crate) struct Document {
    value: Value,
    /// Every node, in document order (a node before its children).
    spans: Vec<NodeSpan>,
}

#[derive(Debug, Clone)]
struct NodeSpan {
    range: Range<usize>,
    /// The index past this node's last descendant.
    after: usize,
}

impl Document {
    /// Parses `text[yaml]`, a whole file (`site.yaml`) or its front matter;
    /// `what` names it in messages ("front matter"). An empty document is
    /// null.
    pub(crate) fn parse(path: &Path, text: &str, yaml: Range<usize>, what: &str) -> Result<Document, Diagnostic> {
        let source = &text[yaml.clone()];
        let (spans, value) =
            read(source, yaml.start, what).map_err(|problem| problem.located(path, text, &yaml, what))?;
        let value: Value = match value {
            _ if spans.is_empty() => Value::Null,
            Some(value) => value,
            None => serde_yaml::from_str(source).map_err(|e| serde_error(path, text, yaml.start, &e))?,
        };
        let spans = if spans.is_empty() {
            let at = yaml.start + (source.len() - source.trim_start().len());
            vec![NodeSpan { range: at..at, after: 1 }]
        } else {
            spans
        };
        Ok(Document { value, spans })
    }

    /// The top node.
    pub(crate) fn root(&self) -> Node<'_> {
        Node { value: &self.value, spans: &self.spans, index: 0 }
    }
}

/// A node of a [`Document`]: its value and where it is written.
#[derive(Clone, Copy)]
pub(crate) struct Node<'d> {
    value: &'d Value,
    spans: &'d [NodeSpan],
    index: usize,
}

impl<'d> Node<'d> {
    pub(crate) fn value(self) -> &'d Value {
        self.value
    }

    /// The node's byte range in its file: for a scalar, its whole source
    /// (quotes included), or from its first character of content for a
    /// block scalar (`|`, `>`); for a list or mapping, from its first
    /// character to its last.
    pub(crate) fn span(self) -> Range<usize> {
        self.spans.get(self.index).map_or(0..0, |s| s.range.clone())
    }

    /// The node's text, for scalars: strings, numbers and booleans.
    pub(crate) fn text(self) -> Option<String> {
        scalar_text(self.value)
    }

    /// Null or an empty list: what a new file holds for a field not yet
    /// filled in.
    fn is_blank(self) -> bool {
        match self.value {
            Value::Null => true,
            Value::Sequence(items) => items.is_empty(),
            _ => false,
        }
    }

    fn children(self) -> impl Iterator<Item = usize> + 'd {
        let spans = self.spans;
        let after = spans.get(self.index).map_or(self.index, |s| s.after);
        let mut next = self.index + 1;
        std::iter::from_fn(move || {
            let child = next;
            (child < after).then(|| {
                next = spans[child].after;
                child
            })
        })
    }

    /// The items of a list; `None` for anything else.
    pub(crate) fn items(self) -> Option<impl Iterator<Item = Node<'d>>> {
        let Value::Sequence(items) = self.value else { return None };
        let spans = self.spans;
        Some(items.iter().zip(self.children()).map(move |(value, index)| Node { value, spans, index }))
    }

    /// The `(key, value)` entries of a mapping, in order; `None` for
    /// anything else.
    pub(crate) fn entries(self) -> Option<impl Iterator<Item = (Node<'d>, Node<'d>)>> {
        let Value::Mapping(map) = self.value else { return None };
        let spans = self.spans;
        let mut children = self.children();
        let pairs = std::iter::from_fn(move || Some((children.next()?, children.next()?)));
        Some(
            map.iter().zip(pairs).map(move |((key, value), (k, v))| {
                (Node { value: key, spans, index: k }, Node { value, spans, index: v })
            }),
        )
    }
}

/// Text of a scalar (strings, numbers, booleans); `None` for lists, maps,
/// null and tagged values.
pub(crate) fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Where a file's problems are collected, located in its text.
pub(crate) struct Report<'t> {
    pub(crate) path: &'t Path,
    pub(crate) text: &'t str,
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// The file's lines, indexed at the first error: a front matter may
    /// hold thousands of wrong items, each located in log time.
    lines: std::cell::OnceCell<LineIndex<'t>>,
}

impl<'t> Report<'t> {
    pub(crate) fn new(path: &'t Path, text: &'t str) -> Self {
        Report { path, text, diagnostics: Vec::new(), lines: std::cell::OnceCell::new() }
    }

    pub(crate) fn error(&mut self, code: Code, span: Range<usize>, message: String, hint: Option<String>) {
        let lines = self.lines.get_or_init(|| LineIndex::new(self.text));
        let mut d = Diagnostic::error(code, message).at(Location::from_index(self.path, lines, span));
        d.hint = hint;
        self.diagnostics.push(d);
    }

    /// `key`'s value (or an item of it), `node`, is not what it must be.
    pub(crate) fn wrong_type(&mut self, key: &str, node: Node, expected: &str, example: &str) {
        self.error(
            Code::InvalidValue,
            node.span(),
            format!("`{key}` must be {expected}"),
            Some(format!("write it like `{example}`")),
        );
    }

    pub(crate) fn has(&self, code: Code) -> bool {
        self.diagnostics.iter().any(|d| d.code == code)
    }
}

/// The fields of one mapping, read by name.
pub(crate) struct Fields<'d> {
    at: Range<usize>,
    entries: Vec<(Node<'d>, Node<'d>)>,
}

impl<'d> Fields<'d> {
    /// The fields of a mapping (none for null); `None` for anything else.
    pub(crate) fn of(node: Node<'d>) -> Option<Self> {
        let entries = match node.value {
            Value::Null => Vec::new(),
            _ => node.entries()?.collect(),
        };
        Some(Fields { at: node.span(), entries })
    }

    /// The value of `key`, even null or an empty list.
    pub(crate) fn raw(&self, key: &str) -> Option<Node<'d>> {
        self.entries.iter().find(|(k, _)| k.value.as_str() == Some(key)).map(|&(_, v)| v)
    }

    /// The value of `key`; an empty value or list is as good as absent.
    pub(crate) fn get(&self, key: &str) -> Option<Node<'d>> {
        self.raw(key).filter(|v| !v.is_blank())
    }

    /// Reports every key not in `known`, at the key, with a did-you-mean.
    pub(crate) fn reject_unknown(&self, report: &mut Report, known: &[&str], what: &str) {
        for (key, _) in &self.entries {
            let name = key.text().unwrap_or_else(|| "?".into());
            if known.contains(&name.as_str()) {
                continue;
            }
            let hint = match did_you_mean(&name, known.iter().copied()) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("the fields of {what} are: {}", known.join(", ")),
            };
            report.error(Code::UnknownField, key.span(), format!("unknown field `{name}` in {what}"), Some(hint));
        }
    }

    /// A text field (numbers and booleans are text too).
    pub(crate) fn text(&self, report: &mut Report, key: &str) -> Option<Spanned<String>> {
        let node = self.get(key)?;
        match node.text() {
            Some(value) => Some(Spanned { value, span: node.span() }),
            None => {
                report.wrong_type(key, node, "text", &format!("{key}: some text"));
                None
            }
        }
    }

    /// A text field `what` must have: its absence is reported at the
    /// mapping.
    pub(crate) fn required_text(&self, report: &mut Report, key: &str, what: &str) -> Option<Spanned<String>> {
        if self.get(key).is_none() {
            report.error(
                Code::MissingField,
                self.at.start..self.at.start,
                format!("{what} has no `{key}`"),
                Some(format!("add `{key}: ...` to it")),
            );
            return None;
        }
        self.text(report, key)
    }

    /// A list of texts; a single text is not a list.
    pub(crate) fn list(&self, report: &mut Report, key: &str) -> Vec<Spanned<String>> {
        let Some(node) = self.get(key) else { return Vec::new() };
        let Some(items) = node.items() else {
            report.wrong_type(key, node, "a list", &format!("{key}: [first, second]"));
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items {
            match item.text() {
                Some(value) => out.push(Spanned { value, span: item.span() }),
                None => report.wrong_type(key, item, "a list of texts", &format!("{key}: [first, second]")),
            }
        }
        out
    }
}

/// Why the event pass refused a document, at a byte range of the YAML.
struct Problem {
    message: String,
    hint: Hint,
    at: Range<usize>,
}

enum Hint {
    Text(&'static str),
    /// A syntax error past the last line: something opened (a bracket, a
    /// quote) was never closed.
    PastEnd,
    /// A key given twice: where it was first given.
    FirstAt(usize),
}

impl Problem {
    fn located(self, path: &Path, text: &str, yaml: &Range<usize>, what: &str) -> Diagnostic {
        let Problem { mut message, hint, at } = self;
        let mut at = yaml.start + at.start..yaml.start + at.end;
        let hint = match hint {
            Hint::Text(hint) => hint.to_string(),
            Hint::PastEnd => {
                let the = if what == "front matter" { "the front matter" } else { what };
                message = format!("{message} ({the} ends before it is closed)");
                let end = yaml.start + text[yaml.clone()].trim_end().len();
                at = end..end;
                SYNTAX_HINT.to_string()
            }
            Hint::FirstAt(first) => {
                let line = text[..yaml.start + first].matches('\n').count() + 1;
                format!("it is first given on line {line}: keep one of them")
            }
        };
        Diagnostic::error(Code::YamlSyntax, message).with_hint(hint).at(Location::from_range(path, text, at))
    }
}

/// A list or mapping whose end the event pass has not reached yet.
struct Open {
    node: usize,
    mapping: bool,
    /// Written in brackets or braces, not as indented lines.
    flow: bool,
    /// In a mapping: the next node is a key.
    at_key: bool,
    /// In a mapping: each scalar key so far, by its text (`a` and `"a"`
    /// are one key, and so are `1` and `"1"`), and where it was given.
    keys: FxHashMap<Box<[u8]>, usize>,
    /// Where its last entry so far ends, in the file.
    end: usize,
}

/// The byte range (offset by `offset`) of every node of the one document
/// in `yaml`, in document order (empty for an empty document), and its
/// value, unless it needs `serde_yaml` to read it (see [`Values`]).
fn read(yaml: &str, offset: usize, what: &str) -> Result<(Vec<NodeSpan>, Option<Value>), Problem> {
    let refuse =
        |message: String, hint: &'static str, at: Range<usize>| Problem { message, hint: Hint::Text(hint), at };
    let mut events = Events::new(yaml);
    let mut spans: Vec<NodeSpan> = Vec::new();
    let mut open: Vec<Open> = Vec::new();
    let mut key = Vec::new();
    let mut values = Values::default();
    let mut documents = 0;
    loop {
        let at_key = open.last().is_some_and(|o| o.mapping && o.at_key);
        let event = events.next(&mut key).map_err(|e| Problem {
            message: format!("invalid YAML: {}", e.problem),
            hint: if e.line >= yaml.lines().count() { Hint::PastEnd } else { Hint::Text(SYNTAX_HINT) },
            at: e.at..e.at,
        })?;
        if let Some(anchor) = event.anchor {
            return Err(refuse(
                format!("anchors and aliases are not supported in {what}: write the value out"),
                "remove the `&name` and write the value out wherever `*name` stands",
                anchor,
            ));
        }
        match event.kind {
            EventKind::StreamStart | EventKind::DocumentEnd | EventKind::Alias => {}
            EventKind::StreamEnd => break,
            EventKind::DocumentStart => {
                documents += 1;
                if documents > 1 {
                    return Err(refuse(
                        format!("invalid YAML: a second document in {what}"),
                        "a line `---` starts another YAML document: remove it",
                        event.start..event.end,
                    ));
                }
            }
            EventKind::Scalar { block, plain, tagged } => {
                values.scalar(&key, plain, tagged);
                if at_key {
                    let mapping = open.last_mut().expect("a key is in a mapping");
                    if let Some(&first) = mapping.keys.get(key.as_slice()) {
                        return Err(Problem {
                            message: format!(
                                "invalid YAML: the key `{}` is given twice",
                                String::from_utf8_lossy(&key)
                            ),
                            hint: Hint::FirstAt(first),
                            at: event.start..event.end,
                        });
                    }
                    mapping.keys.insert(key.as_slice().into(), event.start);
                }
                let (start, end) = if block {
                    let end = event.start + yaml[event.start..event.end].trim_end().len();
                    (block_content_start(yaml, event.start, end), end)
                } else {
                    (event.start, event.end)
                };
                let node = spans.len();
                spans.push(NodeSpan { range: offset + start..offset + end, after: node + 1 });
                node_done(&mut open, offset + end);
            }
            EventKind::SequenceStart { flow } | EventKind::MappingStart { flow } => {
                if open.len() == MAX_DEPTH {
                    return Err(refuse(
                        format!("invalid YAML: lists and mappings nested more than {MAX_DEPTH} deep"),
                        "fields hold texts, lists and small mappings: flatten this value",
                        event.start..event.start + 1,
                    ));
                }
                let node = spans.len();
                spans.push(NodeSpan { range: offset + event.start..offset + event.start, after: node + 1 });
                let mapping = matches!(event.kind, EventKind::MappingStart { .. });
                values.open(mapping, event.tagged);
                open.push(Open { node, mapping, flow, at_key: true, keys: FxHashMap::default(), end: 0 });
            }
            EventKind::SequenceEnd | EventKind::MappingEnd => {
                values.close();
                let Some(closed) = open.pop() else { continue };
                let after = spans.len();
                let span = &mut spans[closed.node];
                // A flow list or mapping ends at its bracket; a block one
                // with its last entry, not at the next line less indented.
                span.range.end = if closed.flow { offset + event.end } else { closed.end.max(span.range.start) };
                span.after = after;
                let end = span.range.end;
                node_done(&mut open, end);
            }
        }
    }
    Ok((spans, values.finish()))
}

/// A node ending at `end` (in the file) is complete: in a mapping, a key
/// is followed by its value and a value by the next key.
fn node_done(open: &mut [Open], end: usize) {
    if let Some(parent) = open.last_mut() {
        parent.at_key = !parent.at_key;
        parent.end = end;
    }
}

/// Where the content of a block scalar (`|`, `>`) written at `start..end`
/// starts: its first character after the indicator's line.
fn block_content_start(yaml: &str, start: usize, end: usize) -> usize {
    let Some(line_end) = yaml[start..end].find('\n') else { return end };
    let content = &yaml[start + line_end..end];
    start + line_end + (content.len() - content.trim_start().len())
}

/// A located `serde_yaml` error: one the event pass did not catch first.
fn serde_error(path: &Path, text: &str, offset: usize, e: &serde_yaml::Error) -> Diagnostic {
    let message = e.to_string();
    // The library appends " at line L column C": the location is shown anyway.
    let message = message.split(" at line ").next().unwrap_or(&message).to_string();
    let diagnostic = Diagnostic::error(Code::YamlSyntax, format!("invalid YAML: {message}")).with_hint(SYNTAX_HINT);
    match e.location() {
        Some(location) => {
            diagnostic.at(Location::from_range(path, text, offset + location.index()..offset + location.index()))
        }
        None => diagnostic.in_file(path),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EventKind {
    StreamStart,
    StreamEnd,
    DocumentStart,
    DocumentEnd,
    Alias,
    Scalar {
        block: bool,
        /// Plain (no quotes, not `|` or `>`): resolved as null, a boolean,
        /// a number or text.
        plain: bool,
        tagged: bool,
    },
    SequenceStart {
        flow: bool,
    },
    SequenceEnd,
    MappingStart {
        flow: bool,
    },
    MappingEnd,
}

/// One libyaml event, as far as spans need it.
struct Event {
    kind: EventKind,
    /// Where an alias (`*name`), or the anchor of a node (`&name`), is.
    anchor: Option<Range<usize>>,
    /// Byte offsets in the input: from the node's first property (anchor,
    /// tag) or character to its last.
    start: usize,
    end: usize,
    /// A list or mapping with a tag (`!name`), which `serde_yaml` reads.
    tagged: bool,
}

/// A libyaml syntax error.
struct SyntaxError {
    problem: String,
    /// Byte offset in the input.
    at: usize,
    /// 0-based line.
    line: usize,
}

/// libyaml's event parser over one string: the only unsafe code of the
/// YAML layer, kept to this type.
struct Events<'a> {
    /// Boxed: libyaml keeps pointers into its parser, which must not move.
    parser: Box<MaybeUninit<sys::yaml_parser_t>>,
    input: &'a str,
}

impl<'a> Events<'a> {
    fn new(input: &'a str) -> Self {
        let mut parser = Box::new(MaybeUninit::<sys::yaml_parser_t>::uninit());
        // SAFETY: `yaml_parser_initialize` initialises the parser it is
        // given, and only fails when out of memory. The input is borrowed
        // for 'a, as long as the parser that reads it lives.
        unsafe {
            let p = parser.as_mut_ptr();
            if sys::yaml_parser_initialize(p).fail {
                panic!("libyaml could not allocate a parser");
            }
            sys::yaml_parser_set_encoding(p, sys::YAML_UTF8_ENCODING);
            sys::yaml_parser_set_input_string(p, input.as_ptr(), input.len() as u64);
        }
        Events { parser, input }
    }

    /// The next event; a scalar's value is copied into `value`.
    fn next(&mut self, value: &mut Vec<u8>) -> Result<Event, SyntaxError> {
        let mut event = MaybeUninit::<sys::yaml_event_t>::uninit();
        // SAFETY: the parser was initialised in `new`. On success
        // `yaml_parser_parse` initialises `event`, whose fields are read
        // as its type says, then freed once; on failure it leaves the
        // error in the parser and allocates nothing.
        unsafe {
            let parser = self.parser.as_mut_ptr();
            if sys::yaml_parser_parse(parser, event.as_mut_ptr()).fail {
                let parser = &*parser;
                let problem = if parser.problem.is_null() {
                    "the YAML parser failed".to_string()
                } else {
                    std::ffi::CStr::from_ptr(parser.problem).to_string_lossy().into_owned()
                };
                return Err(SyntaxError {
                    problem,
                    at: parser.problem_mark.index as usize,
                    line: parser.problem_mark.line as usize,
                });
            }
            let event = event.as_mut_ptr();
            let e = &*event;
            let mut tagged = false;
            let (kind, anchor) = match e.type_ {
                sys::YAML_STREAM_START_EVENT => (EventKind::StreamStart, std::ptr::null()),
                sys::YAML_DOCUMENT_START_EVENT => (EventKind::DocumentStart, std::ptr::null()),
                sys::YAML_DOCUMENT_END_EVENT => (EventKind::DocumentEnd, std::ptr::null()),
                sys::YAML_ALIAS_EVENT => (EventKind::Alias, e.data.alias.anchor.cast_const()),
                sys::YAML_SCALAR_EVENT => {
                    let scalar = &e.data.scalar;
                    value.clear();
                    value.extend_from_slice(std::slice::from_raw_parts(scalar.value, scalar.length as usize));
                    let block = matches!(scalar.style, sys::YAML_LITERAL_SCALAR_STYLE | sys::YAML_FOLDED_SCALAR_STYLE);
                    let plain = scalar.style == sys::YAML_PLAIN_SCALAR_STYLE;
                    let tagged = !scalar.tag.is_null();
                    (EventKind::Scalar { block, plain, tagged }, scalar.anchor.cast_const())
                }
                sys::YAML_SEQUENCE_START_EVENT => {
                    let start = &e.data.sequence_start;
                    let flow = start.style == sys::YAML_FLOW_SEQUENCE_STYLE;
                    tagged = !start.tag.is_null();
                    (EventKind::SequenceStart { flow }, start.anchor.cast_const())
                }
                sys::YAML_SEQUENCE_END_EVENT => (EventKind::SequenceEnd, std::ptr::null()),
                sys::YAML_MAPPING_START_EVENT => {
                    let start = &e.data.mapping_start;
                    let flow = start.style == sys::YAML_FLOW_MAPPING_STYLE;
                    tagged = !start.tag.is_null();
                    (EventKind::MappingStart { flow }, start.anchor.cast_const())
                }
                sys::YAML_MAPPING_END_EVENT => (EventKind::MappingEnd, std::ptr::null()),
                // The stream has ended (or no event was made): end it again.
                _ => (EventKind::StreamEnd, std::ptr::null()),
            };
            let (start, end) = (e.start_mark.index as usize, e.end_mark.index as usize);
            let anchor = match kind {
                EventKind::Alias => Some(start..end),
                // A node starts with its properties, `&name` usually first
                // (else after a tag: then the node's start stands for it).
                _ if !anchor.is_null() => {
                    let name = std::ffi::CStr::from_ptr(anchor.cast()).to_bytes().len();
                    Some(if self.input[start..].starts_with('&') { start..start + 1 + name } else { start..start })
                }
                _ => None,
            };
            let result = Event { kind, anchor, start, end, tagged };
            sys::yaml_event_delete(event);
            Ok(result)
        }
    }
}

impl Drop for Events<'_> {
    fn drop(&mut self) {
        // SAFETY: initialised in `new`, deleted once.
        unsafe { sys::yaml_parser_delete(self.parser.as_mut_ptr()) }
    }
}

/// The value of a document, built from its events as `serde_yaml` builds
/// it from the same events (one parse where there were two). It gives up,
/// leaving the document to `serde_yaml`, at what it does not resolve the
/// same way itself: a tag, an integer beyond 64 bits (an error there), two
/// keys of one mapping that are one value (`1` and `0x1`: an error there).
#[derive(Default)]
struct Values {
    /// The lists and mappings not yet closed, innermost last; a mapping
    /// with its key when the next node is that key's value.
    open: Vec<(Container, Option<Value>)>,
    done: Option<Value>,
    given_up: bool,
}

enum Container {
    List(Vec<Value>),
    Mapping(serde_yaml::Mapping),
}

impl Values {
    fn scalar(&mut self, text: &[u8], plain: bool, tagged: bool) {
        if self.given_up {
            return;
        }
        let Ok(text) = std::str::from_utf8(text) else { return self.give_up() };
        let value = match (tagged, plain) {
            (true, _) => None,
            (false, true) => plain_scalar(text),
            (false, false) => Some(Value::String(text.to_string())),
        };
        match value {
            Some(value) => self.add(value),
            None => self.give_up(),
        }
    }

    fn open(&mut self, mapping: bool, tagged: bool) {
        if tagged {
            self.give_up();
        }
        if self.given_up {
            return;
        }
        let container =
            if mapping { Container::Mapping(serde_yaml::Mapping::new()) } else { Container::List(Vec::new()) };
        self.open.push((container, None));
    }

    fn close(&mut self) {
        if self.given_up {
            return;
        }
        match self.open.pop() {
            Some((Container::List(items), _)) => self.add(Value::Sequence(items)),
            Some((Container::Mapping(mapping), _)) => self.add(Value::Mapping(mapping)),
            None => self.give_up(),
        }
    }

    fn add(&mut self, value: Value) {
        match self.open.last_mut() {
            None => self.done = Some(value),
            Some((Container::List(items), _)) => items.push(value),
            Some((Container::Mapping(_), key @ None)) => *key = Some(value),
            Some((Container::Mapping(mapping), key)) => {
                let key = key.take().expect("matched above");
                if mapping.insert(key, value).is_some() {
                    self.give_up();
                }
            }
        }
    }

    fn give_up(&mut self) {
        self.given_up = true;
        self.open.clear();
    }

    fn finish(self) -> Option<Value> {
        if self.given_up {
            None
        } else {
            self.done
        }
    }
}

/// A plain scalar's value as `serde_yaml` resolves it (YAML 1.2's core
/// schema: `visit_untagged_scalar` in its `de.rs`, whose rules the
/// functions below repeat), or `None` for an integer it refuses.
fn plain_scalar(text: &str) -> Option<Value> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Some(Value::Null),
        "true" | "True" | "TRUE" => return Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Value::Bool(false)),
        _ => {}
    }
    // Most scalars are words: no number starts with a letter (Rust's float
    // parser reads `inf` and `nan`, which are not finite: text).
    if !text.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | '.')) {
        return Some(Value::String(text.to_string()));
    }
    if let Some(n) = parse_unsigned_int(text, u64::from_str_radix) {
        return Some(Value::Number(n.into()));
    }
    if let Some(n) = parse_negative_int(text, i64::from_str_radix) {
        return Some(Value::Number(n.into()));
    }
    if parse_unsigned_int(text, u128::from_str_radix).is_some()
        || parse_negative_int(text, i128::from_str_radix).is_some()
    {
        return None;
    }
    if !digits_but_not_number(text) {
        if let Some(f) = parse_f64(text) {
            return Some(Value::Number(f.into()));
        }
    }
    Some(Value::String(text.to_string()))
}

/// `0x`, `0o` and `0b` radixes, an optional `+`; not `0123` (text).
fn parse_unsigned_int<T>(text: &str, from_str_radix: fn(&str, u32) -> Result<T, std::num::ParseIntError>) -> Option<T> {
    let unpositive = text.strip_prefix('+').unwrap_or(text);
    for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if let Some(rest) = unpositive.strip_prefix(prefix) {
            if rest.starts_with(['+', '-']) {
                return None;
            }
            if let Ok(n) = from_str_radix(rest, radix) {
                return Some(n);
            }
        }
    }
    if unpositive.starts_with(['+', '-']) || digits_but_not_number(text) {
        return None;
    }
    from_str_radix(unpositive, 10).ok()
}

/// `-0x…`, `-0o…`, `-0b…` and decimal negative integers.
fn parse_negative_int<T>(text: &str, from_str_radix: fn(&str, u32) -> Result<T, std::num::ParseIntError>) -> Option<T> {
    for (prefix, radix) in [("-0x", 16), ("-0o", 8), ("-0b", 2)] {
        if let Some(rest) = text.strip_prefix(prefix) {
            if let Ok(n) = from_str_radix(&format!("-{rest}"), radix) {
                return Some(n);
            }
        }
    }
    if digits_but_not_number(text) {
        return None;
    }
    from_str_radix(text, 10).ok()
}

/// `.inf`, `-.inf`, `.nan` in three cases, and finite decimals.
fn parse_f64(text: &str) -> Option<f64> {
    let unpositive = match text.strip_prefix('+') {
        Some(rest) if rest.starts_with(['+', '-']) => return None,
        Some(rest) => rest,
        None => text,
    };
    if let ".inf" | ".Inf" | ".INF" = unpositive {
        return Some(f64::INFINITY);
    }
    if let "-.inf" | "-.Inf" | "-.INF" = text {
        return Some(f64::NEG_INFINITY);
    }
    if let ".nan" | ".NaN" | ".NAN" = text {
        return Some(f64::NAN.copysign(1.0));
    }
    unpositive.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// A leading zero before more digits (`007`, `-01`): text in YAML 1.2.
fn digits_but_not_number(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    digits.len() > 1 && digits.starts_with('0') && digits[1..].bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(yaml: &str) -> Result<Document, Diagnostic> {
        Document::parse(Path::new("a.md"), yaml, 0..yaml.len(), "front matter")
    }

    /// The source text of each node, in document order.
    fn nodes(yaml: &str) -> Vec<&str> {
        let doc = parse(yaml).unwrap();
        doc.spans.iter().map(|s| &yaml[s.range.clone()]).collect()
    }

    fn at(error: &Diagnostic) -> (usize, usize) {
        let location = error.location.as_ref().expect("located");
        (location.line, location.column)
    }

    #[test]
    fn every_node_spans_its_own_source() {
        assert_eq!(
            nodes(
                "aliases: [Kim Jong-Il, Kim]\nroles:\n  - {title: X, form: 1994}\n  - title: Y\n    to: 2\n\n# end\n"
            ),
            [
                "aliases: [Kim Jong-Il, Kim]\nroles:\n  - {title: X, form: 1994}\n  - title: Y\n    to: 2",
                "aliases",
                "[Kim Jong-Il, Kim]",
                "Kim Jong-Il",
                "Kim",
                "roles",
                "- {title: X, form: 1994}\n  - title: Y\n    to: 2",
                "{title: X, form: 1994}",
                "title",
                "X",
                "form",
                "1994",
                "title: Y\n    to: 2",
                "title",
                "Y",
                "to",
                "2",
            ]
        );
    }

    #[test]
    fn quoted_scalars_keep_their_quotes_and_block_scalars_start_at_their_text() {
        let yaml = "a: \"x: y\"\nb: 'it''s'\nc: |\n  First line\n  second\n\nd: >-\n\n   Folded\n";
        assert_eq!(nodes(yaml)[1..], ["a", "\"x: y\"", "b", "'it''s'", "c", "First line\n  second", "d", "Folded"]);
    }

    #[test]
    fn a_tagged_list_ends_at_its_bracket() {
        assert_eq!(nodes("a: !t [x]\nb: 1\n")[2], "!t [x]");
    }

    #[test]
    fn items_and_entries_walk_values_and_spans_together() {
        let yaml = "tags: [a, b]\nroles:\n  - {title: X}\n";
        let doc = parse(yaml).unwrap();
        let fields = Fields::of(doc.root()).unwrap();
        let tags: Vec<(String, &str)> =
            fields.get("tags").unwrap().items().unwrap().map(|n| (n.text().unwrap(), &yaml[n.span()])).collect();
        assert_eq!(tags, [("a".to_string(), "a"), ("b".to_string(), "b")]);
        let role = fields.get("roles").unwrap().items().unwrap().next().unwrap();
        let (key, value) = role.entries().unwrap().next().unwrap();
        assert_eq!((&yaml[key.span()], value.text().as_deref()), ("title", Some("X")));
    }

    #[test]
    fn an_empty_document_is_null() {
        for yaml in ["", "\n\n", "# a comment\n"] {
            assert!(parse(yaml).unwrap().root().value().is_null(), "{yaml:?}");
        }
    }

    #[test]
    fn a_key_given_twice_is_refused_at_the_second() {
        let error = parse("name: Kim\naliases: [Kim]\n'name': Kim Jong-il\n").map(|_| ()).unwrap_err();
        assert_eq!((error.code, at(&error)), (Code::YamlSyntax, (3, 1)));
        assert_eq!(error.hint.as_deref(), Some("it is first given on line 1: keep one of them"));
        // The same key in two mappings is no duplicate.
        assert!(parse("a: {x: 1}\nb: {x: 2}\nc: [{x: 1}, {x: 2}]\n").is_ok());
        let error = parse("roles:\n  - {title: X, from: 1, from: 2}\n").map(|_| ()).unwrap_err();
        assert_eq!(at(&error), (2, 25));
    }

    #[test]
    fn anchors_and_aliases_are_refused_where_they_stand() {
        let error = parse("a: &x text\nb: *x\n").map(|_| ()).unwrap_err();
        assert_eq!((error.code, at(&error)), (Code::YamlSyntax, (1, 4)));
        assert!(error.message.contains("anchors and aliases are not supported in front matter"), "{}", error.message);
        assert_eq!(error.location.unwrap().span_chars, 2);
    }

    #[test]
    fn an_anchor_after_a_tag_is_refused_at_the_node() {
        let error = parse("a: 1\nb: !t &x [1]\n").map(|_| ()).unwrap_err();
        assert_eq!((error.code, at(&error)), (Code::YamlSyntax, (2, 4)));
    }

    /// The value one pass builds, where it builds one, is `serde_yaml`'s.
    fn same_value_as_serde(yaml: &str) -> bool {
        let (_, value) = read(yaml, 0, "front matter").unwrap_or_else(|_| panic!("{yaml:?} reads"));
        let serde: Result<Value, _> = serde_yaml::from_str(yaml);
        if let Some(value) = &value {
            match &serde {
                Ok(serde) => assert_eq!(value, serde, "{yaml:?}"),
                Err(e) => panic!("{yaml:?}: read as {value:?}, where serde_yaml fails: {e}"),
            }
        }
        value.is_some()
    }

    #[test]
    fn scalars_resolve_as_serde_yaml_resolves_them() {
        let plain = [
            "",
            "~",
            "null",
            "Null",
            "NULL",
            "nULL",
            "true",
            "True",
            "TRUE",
            "tRUE",
            "false",
            "yes",
            "no",
            "on",
            "0",
            "-0",
            "+0",
            "00",
            "01",
            "-01",
            "+01",
            "08",
            "007",
            "-007",
            "+007",
            "0.",
            ".5",
            "-.5",
            "+.5",
            "1e3",
            "1E3",
            "-1e-3",
            "1_000",
            "0x1F",
            "0X1F",
            "+0x1F",
            "-0x1F",
            "0x-1",
            "0o17",
            "-0o17",
            "0b101",
            "-0b101",
            "0b2",
            "0xG",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            ".inf",
            "+.inf",
            "-.inf",
            ".Inf",
            "-.INF",
            "inf",
            "infinity",
            "-inf",
            ".nan",
            ".NaN",
            "NaN",
            "nan",
            "+-1",
            "-+1",
            "++1",
            "1.5.2",
            "2019-10-19",
            "1958",
            "1:20",
            "12:30:00",
            "3 km",
            "Kim",
            "Ким",
            "–1",
            "(1942)",
            "/path",
            "$5",
            "1,000",
            "0,5",
        ];
        for scalar in plain {
            same_value_as_serde(&format!("key: {scalar}\n"));
            same_value_as_serde(&format!("- {scalar}\n"));
            if !scalar.is_empty() {
                same_value_as_serde(&format!("{scalar}: value\n"));
                same_value_as_serde(&format!("key: '{scalar}'\nother: \"{scalar}\"\nlast: [{scalar}, x]\n"));
            }
        }
        assert!(same_value_as_serde("title: Kim\ndate: 2019-10-19\naliases: [Kim, \"Mr Kim\"]\nborn: 1941\n"));
    }

    #[test]
    fn what_one_pass_does_not_resolve_is_left_to_serde_yaml() {
        // Tags: serde_yaml's value, as before.
        for yaml in ["born: !!str 1941\n", "when: !year 1941\n", "list: !!seq [a]\n"] {
            assert!(!same_value_as_serde(yaml), "{yaml:?} is left to serde_yaml");
            let expected: Value = serde_yaml::from_str(yaml).unwrap();
            assert_eq!(parse(yaml).unwrap().root().value(), &expected, "{yaml:?}");
        }
        assert_eq!(parse("born: !!str 1941\n").unwrap().root().value()["born"], Value::String("1941".into()));
        // What serde_yaml refuses is an error where serde_yaml locates it
        // (two keys that are one value: at the mapping), as before.
        for (yaml, line) in [
            ("big: 18446744073709551616\n", 1),
            ("small: -9223372036854775809\n", 1),
            ("1: a\n0x1: b\n", 1),
            ("~: a\nnull: b\n", 1),
        ] {
            assert!(!same_value_as_serde(yaml), "{yaml:?} is left to serde_yaml");
            let error = parse(yaml).map(|_| ()).unwrap_err();
            assert_eq!(error.code, Code::YamlSyntax, "{error}");
            assert!(error.message.starts_with("invalid YAML: "), "{error}");
            assert_eq!(at(&error).0, line, "{yaml:?}: {error}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_document_has_the_value_serde_yaml_gives_it(
            entries in proptest::collection::vec(
                (
                    "[a-z]{1,6}",
                    proptest::collection::vec(
                        "[-+]?[0-9]{0,3}[.]?[0-9]{0,2}([eE][-+]?[0-9]{1,2})?|[-+]?0[xob][-+]?[0-9a-fA-F]{0,3}\
                         |[-+.0-9a-fA-FxobeEnNulTtrsIi_:~ ]{0,8}|'[^'\n]{0,6}'|\"[a-z0-9 ]{0,6}\"",
                        1..4,
                    ),
                    0..3usize,
                ),
                1..6,
            )
        ) {
            let mut yaml = String::new();
            let mut keys = std::collections::HashSet::new();
            for (key, scalars, shape) in &entries {
                if !keys.insert(key.clone()) {
                    continue;
                }
                match shape {
                    0 => yaml.push_str(&format!("{key}: {}\n", scalars[0])),
                    1 => yaml.push_str(&format!("{key}: [{}]\n", scalars.join(", "))),
                    _ => {
                        yaml.push_str(&format!("{key}:\n"));
                        for scalar in scalars {
                            yaml.push_str(&format!("  - {scalar}\n"));
                        }
                    }
                }
            }
            // Not every string is YAML (`a: b: c`); what is reads the same.
            if read(&yaml, 0, "front matter").is_ok() {
                same_value_as_serde(&yaml);
            }
        }
    }

    #[test]
    fn a_second_document_is_refused() {
        let error = parse("a: 1\n---\nb: 2\n").map(|_| ()).unwrap_err();
        assert_eq!((error.code, at(&error)), (Code::YamlSyntax, (2, 1)));
    }

    #[test]
    fn syntax_errors_are_located_by_the_parser() {
        let error = parse("a: 1\nb: [x, y\nc: 2\n").map(|_| ()).unwrap_err();
        assert_eq!(error.code, Code::YamlSyntax);
        assert!(error.message.starts_with("invalid YAML: "), "{}", error.message);
        let error = parse("a: 1\nb: \"open\n").map(|_| ()).unwrap_err();
        assert!(error.message.ends_with("(the front matter ends before it is closed)"), "{}", error.message);
        assert_eq!(at(&error), (2, 9));
    }

    /// 1 MB of one alias repeated: refused at the anchor, before anything
    /// expands it.
    #[test]
    fn an_alias_bomb_is_refused_at_its_anchor() {
        let mut yaml = format!("name: Kim\nbig: &s \"{}\"\ntags: [", "x".repeat(10_000));
        while yaml.len() < 1_000_000 {
            yaml.push_str("*s, ");
        }
        yaml.push_str("*s]\n");
        let error = parse(&yaml).map(|_| ()).unwrap_err();
        assert_eq!((error.code, at(&error)), (Code::YamlSyntax, (2, 6)));
    }

    /// 200 KB of `[`: refused at the first list too deep, without
    /// reading on.
    #[test]
    fn a_nesting_bomb_is_refused_at_the_first_level_too_deep() {
        for open in ["[", "{a: "] {
            let depth = 200_000 / open.len();
            let yaml = format!("tags: {}\n", open.repeat(depth));
            let error = parse(&yaml).map(|_| ()).unwrap_err();
            assert_eq!(error.code, Code::YamlSyntax, "{open}");
            // The top mapping is one level: the 64th list opens the 65th.
            let column = "tags: ".len() + (MAX_DEPTH - 1) * open.len() + 1;
            assert_eq!(at(&error), (1, column), "{open}: {}", error.message);
        }
        let nested = format!("a: {}x{}\n", "[".repeat(MAX_DEPTH - 1), "]".repeat(MAX_DEPTH - 1));
        assert!(parse(&nested).is_ok(), "64 levels are fine");
    }

    /// Block lists nested one a line, deeper and deeper.
    #[test]
    fn deep_block_nesting_is_refused_too() {
        let yaml: String = (0..200).map(|depth| format!("{}- \n", "  ".repeat(depth))).collect();
        let error = parse(&format!("a:\n{yaml}")).map(|_| ()).unwrap_err();
        assert_eq!(error.code, Code::YamlSyntax);
        assert_eq!(at(&error).0, 1 + MAX_DEPTH);
    }
}
