//! The deployment recipes of `docs/deploy.md` and `docs/github-pages.yml`,
//! kept true offline: every `gloss` command they show is run against a copy
//! of a fixture site (host variables such as `$URL` given real addresses),
//! and must succeed and write the folder the recipe publishes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
use serde_yaml::Value;

use crate::support::{copy_dir, fixture};

/// The addresses the hosts' variables stand for in the recipes.
const HOST_VARIABLES: [(&str, &str); 3] = [
    ("URL", "https://example.netlify.app"),
    ("DEPLOY_PRIME_URL", "https://deploy-preview-42--example.netlify.app"),
    ("CF_PAGES_URL", "https://0a1b2c3d.example.pages.dev"),
];

fn gloss() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gloss"))
}

fn docs(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs").join(name)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A copy of the `publishing` fixture (it has a `base_url` under a
/// sub-path, drafts, tags and places with maps), to build in.
fn site_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("publishing"), dir.path());
    dir
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

// ---------------------------------------------------------------------------
// Reading the recipes: code in Markdown, scripts in YAML and TOML, and the
// simple commands of a shell script.

/// The fenced code blocks of a Markdown text, with their language, and its
/// inline code spans.
struct Code {
    blocks: Vec<(String, String)>,
    spans: Vec<String>,
}

fn code_of(markdown: &str) -> Code {
    let mut code = Code { blocks: Vec::new(), spans: Vec::new() };
    let mut block: Option<(String, String)> = None;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let language = match kind {
                    CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or("").to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                block = Some((language, String::new()));
            }
            Event::Text(text) => {
                if let Some((_, body)) = &mut block {
                    body.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => code.blocks.extend(block.take()),
            Event::Code(span) => code.spans.push(span.to_string()),
            _ => {}
        }
    }
    code
}

/// Every `run:` script of a YAML document (a GitHub Actions workflow), at
/// any depth.
fn run_scripts(yaml: &Value, scripts: &mut Vec<String>) {
    match yaml {
        Value::Mapping(map) => {
            for (key, value) in map {
                match (key.as_str(), value.as_str()) {
                    (Some("run"), Some(script)) => scripts.push(script.to_string()),
                    _ => run_scripts(value, scripts),
                }
            }
        }
        Value::Sequence(items) => items.iter().for_each(|item| run_scripts(item, scripts)),
        _ => {}
    }
}

/// The value of each `key = '…'` or `key = "…"` line of a TOML text.
fn toml_values(toml: &str, key: &str) -> Vec<String> {
    toml.lines()
        .filter_map(|line| {
            let (k, v) = line.split_once('=')?;
            (k.trim() == key).then(|| v.trim())
        })
        .map(|v| {
            if let Some(literal) = v.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
                literal.to_string()
            } else if let Some(basic) = v.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
                basic.replace("\\\"", "\"").replace("\\\\", "\\")
            } else {
                panic!("a TOML value the test cannot read: {v}")
            }
        })
        .collect()
}

/// The shell scripts of a Markdown code block, by its language: a shell
/// block is one, a YAML block has its `run:` scripts, a TOML block its
/// `command`s. Any other block must hold no gloss command.
fn scripts_of_block(language: &str, body: &str) -> Vec<String> {
    match language {
        "sh" | "bash" | "shell" | "console" | "" => vec![body.to_string()],
        "yaml" | "yml" => {
            let yaml: Value = serde_yaml::from_str(body).unwrap_or_else(|e| panic!("a YAML block: {e}\n{body}"));
            let mut scripts = Vec::new();
            run_scripts(&yaml, &mut scripts);
            scripts
        }
        "toml" => toml_values(body, "command"),
        _ => {
            assert!(
                !body.contains("gloss build") && !body.contains("gloss check"),
                "a ```{language} block holds a gloss command the test would not run:\n{body}"
            );
            Vec::new()
        }
    }
}

/// The simple commands of a shell script, each as its words, quotes
/// removed and variables replaced by `variables` (an unknown variable stays
/// as written, `$NAME`). Commands are separated by new lines, `;`, `&&`,
/// `||`, `|` and `&`; the keywords `if`, `then`, `else`, `elif`, `do` and `!`
/// that begin a command are left out, so `then gloss build` is `gloss build`.
fn commands(script: &str, variables: &BTreeMap<&str, &str>) -> Vec<Vec<String>> {
    let mut commands = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = script.chars().peekable();
    let expand = |chars: &mut std::iter::Peekable<std::str::Chars>, out: &mut String| {
        // After a `$`.
        let braced = chars.peek() == Some(&'{');
        if braced {
            chars.next();
            if chars.peek() == Some(&'{') {
                // A GitHub Actions expression, `${{ … }}`: kept as written.
                out.push_str("${");
                return;
            }
        }
        let mut name = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_ascii_alphanumeric() || c == '_' {
                name.push(c);
                chars.next();
            } else {
                break;
            }
        }
        if braced {
            assert_eq!(chars.next(), Some('}'), "`${{{name}…` is more than the test can expand");
        }
        match variables.get(name.as_str()) {
            Some(value) => out.push_str(value),
            None => {
                out.push('$');
                out.push_str(&name);
            }
        }
    };
    let end_command = |words: &mut Vec<String>, commands: &mut Vec<Vec<String>>| {
        let first = words.iter().position(|w| !matches!(w.as_str(), "if" | "then" | "else" | "elif" | "do" | "!"));
        if let Some(first) = first {
            commands.push(words[first..].to_vec());
        }
        words.clear();
    };
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' => words.extend(word.take()),
            '\\' if chars.peek() == Some(&'\n') => {
                chars.next();
            }
            '\\' => word.get_or_insert_default().extend(chars.next()),
            '\'' => {
                let w = word.get_or_insert_default();
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                    w.push(c);
                }
            }
            '"' => {
                let w = word.get_or_insert_default();
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' if matches!(chars.peek(), Some('"' | '\\' | '$')) => w.extend(chars.next()),
                        '$' => expand(&mut chars, w),
                        c => w.push(c),
                    }
                }
            }
            '$' => expand(&mut chars, word.get_or_insert_default()),
            '#' if word.is_none() => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
                end_command(&mut words, &mut commands);
            }
            '\n' | ';' | '&' | '|' | '(' | ')' => {
                words.extend(word.take());
                end_command(&mut words, &mut commands);
            }
            c => word.get_or_insert_default().push(c),
        }
    }
    words.extend(word.take());
    end_command(&mut words, &mut commands);
    commands
}

/// The `gloss` commands of a script, without the leading `gloss`.
fn gloss_commands(script: &str) -> Vec<Vec<String>> {
    let variables: BTreeMap<&str, &str> = HOST_VARIABLES.into_iter().collect();
    commands(script, &variables).into_iter().filter(|c| c[0] == "gloss").map(|c| c[1..].to_vec()).collect()
}

/// Every shell script of `docs/deploy.md`: its code blocks', and its inline
/// code spans that run a command.
fn deploy_md_scripts() -> Vec<String> {
    let code = code_of(&read(&docs("deploy.md")));
    let mut scripts: Vec<String> =
        code.blocks.iter().flat_map(|(language, body)| scripts_of_block(language, body)).collect();
    // A span that only names the program, `gloss`, is no command.
    scripts.extend(code.spans.into_iter().filter(|s| s != "gloss"));
    scripts
}

fn workflow() -> Value {
    serde_yaml::from_str(&read(&docs("github-pages.yml"))).expect("docs/github-pages.yml is YAML")
}

fn workflow_scripts() -> Vec<String> {
    let mut scripts = Vec::new();
    run_scripts(&workflow(), &mut scripts);
    scripts
}

// ---------------------------------------------------------------------------
// Running a recipe's command.

/// The value of option `--name` in `args` (`--name value` or
/// `--name=value`).
fn option<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    let flag = format!("--{name}");
    args.iter().enumerate().find_map(|(i, a)| {
        if *a == flag {
            args.get(i + 1).map(String::as_str)
        } else {
            a.strip_prefix(&format!("{flag}="))
        }
    })
}

/// The folder `gloss build args` writes, relative to the site.
fn output_of(args: &[String]) -> String {
    option(args, "output").unwrap_or("public").to_string()
}

/// Runs `gloss args`, as a recipe gives it, in a copy of a fixture site,
/// and checks that it succeeds and, for a build, that the site is in the
/// folder it names. An absolute `--output` (a USB stick) is moved into the
/// temporary folder.
fn run_recipe(args: &[String]) {
    assert!(
        args.iter().all(|a| !a.contains('$')),
        "`gloss {}` uses a variable the test does not know; add it to HOST_VARIABLES",
        args.join(" ")
    );
    let shown = format!("gloss {}", args.join(" "));
    match args.first().map(String::as_str) {
        Some("build") | Some("check") => {
            let site = site_copy();
            let mut args = args.to_vec();
            let output = output_of(&args);
            let written = match output.strip_prefix('/') {
                Some(relative) => {
                    let moved = site.path().join("elsewhere").join(relative);
                    let at = args.iter().position(|a| *a == "--output").expect("`--output DIR`, not `--output=DIR`");
                    args[at + 1] = moved.to_string_lossy().into_owned();
                    moved
                }
                None => site.path().join(&output),
            };
            let out = gloss().args(&args).current_dir(site.path()).output().unwrap();
            assert!(out.status.success(), "`{shown}` failed:\n{}", stderr(&out));
            if args[0] == "build" {
                assert!(written.join("index.html").is_file(), "`{shown}` wrote no {}/index.html", written.display());
                assert!(written.join(".gloss-output").is_file(), "`{shown}`: no marker in {}", written.display());
            }
        }
        // Commands that run on (`serve`) or change the site: their options
        // must be ones the command has.
        Some(command) => {
            let out = gloss().args([command, "--help"]).output().unwrap();
            assert!(out.status.success(), "`{shown}`: gloss has no command `{command}`");
            let help = String::from_utf8_lossy(&out.stdout);
            for flag in args.iter().filter(|a| a.starts_with("--")) {
                let flag = flag.split('=').next().unwrap();
                assert!(help.contains(&format!("{flag} ")), "`{shown}`: `gloss {command}` has no {flag}:\n{help}");
            }
        }
        None => panic!("a bare `gloss` in the recipes"),
    }
}

// ---------------------------------------------------------------------------
// The tests.

#[test]
fn every_gloss_command_in_deploy_md_works_and_writes_where_it_says() {
    let mut run = Vec::new();
    for script in deploy_md_scripts() {
        for args in gloss_commands(&script) {
            run_recipe(&args);
            run.push(args.join(" "));
        }
    }
    // The recipes are all there, and were all found.
    for expected in [
        "build --base-url https://OWNER.github.io/REPO/",
        "build --output docs --base-url https://OWNER.github.io/REPO/",
        "build --base-url https://example.netlify.app",
        "build --base-url https://deploy-preview-42--example.netlify.app",
        "build --base-url https://0a1b2c3d.example.pages.dev",
        "build --output /media/usb/edition",
        "build --base-url https://deploy-preview-42--example.netlify.app --drafts",
    ] {
        assert!(run.iter().any(|r| r == expected), "no `gloss {expected}` among {run:#?}");
    }
}

#[test]
fn options_named_in_deploy_md_are_gloss_options() {
    let help = |command: &str| {
        let out = gloss().args([command, "--help"]).output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let options = format!("{}{}", help("build"), help("serve"));
    let code = code_of(&read(&docs("deploy.md")));
    let named: Vec<&String> = code.spans.iter().filter(|s| s.starts_with("--")).collect();
    for span in &named {
        let flag = span.split([' ', '=']).next().unwrap();
        // These are rsync's and the AWS CLI's, not gloss's.
        if !["--delete", "--exclude"].contains(&flag) {
            assert!(options.contains(&format!("{flag} ")), "deploy.md names `{span}`, which gloss does not have");
        }
    }
    assert!(named.len() >= 3, "{named:?}");
}

#[test]
fn the_github_pages_workflow_is_in_deploy_md_as_it_is() {
    let workflow = read(&docs("github-pages.yml"));
    let code = code_of(&read(&docs("deploy.md")));
    assert!(
        code.blocks.iter().any(|(language, body)| language == "yaml" && *body == workflow),
        "deploy.md should show docs/github-pages.yml exactly, in a ```yaml block"
    );
}

#[test]
fn the_github_pages_workflow_builds_and_publishes_public() {
    let workflow = workflow();
    assert_eq!(workflow["permissions"]["pages"].as_str(), Some("write"));
    assert_eq!(workflow["permissions"]["id-token"].as_str(), Some("write"));
    assert!(workflow["concurrency"]["group"].as_str().is_some(), "a concurrency group");

    let builds: Vec<Vec<String>> = workflow_scripts().iter().flat_map(|s| gloss_commands(s)).collect();
    assert_eq!(builds.len(), 1, "one gloss command: {builds:?}");
    assert_eq!(builds[0][0], "build");
    run_recipe(&builds[0]);

    let steps = workflow["jobs"]["build"]["steps"].as_sequence().expect("jobs.build.steps");
    let uses = |step: &Value, action: &str| step["uses"].as_str().is_some_and(|u| u.starts_with(action));
    let upload = steps
        .iter()
        .find(|s| uses(s, "actions/upload-pages-artifact@v3"))
        .expect("a step uses actions/upload-pages-artifact@v3");
    assert_eq!(upload["with"]["path"].as_str(), Some(output_of(&builds[0]).as_str()), "it uploads what gloss wrote");
    // The upload comes after the build.
    let position = |found: &dyn Fn(&Value) -> bool| steps.iter().position(found).unwrap();
    let built = position(&|s| s["run"].as_str().is_some_and(|r| r.contains("gloss build")));
    let uploaded = position(&|s| uses(s, "actions/upload-pages-artifact@"));
    assert!(built < uploaded);

    let deploy = &workflow["jobs"]["deploy"];
    assert_eq!(deploy["needs"].as_str(), Some("build"));
    let deploys = deploy["steps"].as_sequence().unwrap().iter().any(|s| uses(s, "actions/deploy-pages@v4"));
    assert!(deploys, "the deploy job uses actions/deploy-pages@v4");
    assert_eq!(deploy["environment"]["name"].as_str(), Some("github-pages"));
}

#[test]
fn the_workflow_recognises_the_gloss_repository_and_installs_the_gloss_package() {
    let scripts = workflow_scripts().join("\n");
    // `grep -qx 'name = "gloss"' Cargo.toml` must match this repository's
    // Cargo.toml, whose package and binary are both `gloss`.
    assert!(scripts.contains(r#"grep -qx 'name = "gloss"' Cargo.toml"#), "{scripts}");
    let cargo_toml = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"));
    assert!(cargo_toml.lines().any(|l| l == r#"name = "gloss""#), "Cargo.toml has no line `name = \"gloss\"`");
    assert!(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.lock").is_file(), "--locked needs Cargo.lock");
    let installs: Vec<Vec<String>> = commands(&scripts, &BTreeMap::new())
        .into_iter()
        .filter(|c| c.len() > 1 && c[0] == "cargo" && c[1] == "install")
        .collect();
    assert_eq!(installs.len(), 2, "{installs:?}");
    assert!(installs.iter().any(|c| c.ends_with(&["--path".into(), ".".into()])), "{installs:?}");
    // From a repository, the package is named: `gloss`.
    assert!(installs.iter().any(|c| c.contains(&"--git".into()) && c.last().unwrap() == "gloss"), "{installs:?}");
}

#[test]
fn netlify_publishes_the_folder_gloss_builds() {
    let code = code_of(&read(&docs("deploy.md")));
    let toml = code.blocks.iter().find(|(language, _)| language == "toml").map(|(_, b)| b).expect("a netlify.toml");
    let published = toml_values(toml, "publish");
    assert_eq!(published, ["public"]);
    let builds: Vec<Vec<String>> = toml_values(toml, "command").iter().flat_map(|c| gloss_commands(c)).collect();
    assert_eq!(builds.len(), 3, "{builds:?}");
    for build in &builds {
        assert_eq!(output_of(build), published[0], "{build:?}");
    }
}

#[test]
fn the_docs_recipe_adds_nojekyll_after_the_build_because_a_rebuild_removes_it() {
    // In deploy.md, `touch docs/.nojekyll` follows the build into docs/.
    let script = deploy_md_scripts()
        .into_iter()
        .find(|s| gloss_commands(s).iter().any(|c| output_of(c) == "docs"))
        .expect("a script builds into docs/");
    let lines: Vec<&str> = script.lines().collect();
    let build = lines.iter().position(|l| l.starts_with("gloss build --output docs")).unwrap();
    let touch = lines.iter().position(|l| *l == "touch docs/.nojekyll").expect("touch docs/.nojekyll");
    assert!(build < touch, "{script}");

    // Why it must follow every build: gloss replaces the folder whole, and
    // does not copy hidden files from static/.
    let site = site_copy();
    let build = || {
        let out = gloss().args(["build", "--output", "docs"]).current_dir(site.path()).output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    };
    std::fs::create_dir_all(site.path().join("static")).unwrap();
    std::fs::write(site.path().join("static/.nojekyll"), "").unwrap();
    build();
    let nojekyll = site.path().join("docs/.nojekyll");
    assert!(!nojekyll.exists(), "a hidden file in static/ is not copied");
    std::fs::write(&nojekyll, "").unwrap();
    build();
    assert!(!nojekyll.exists(), "a rebuild replaces docs/ whole");
    assert!(site.path().join("docs/index.html").is_file());
}

#[test]
fn gloss_writes_no_name_that_jekyll_would_leave_out() {
    let site = site_copy();
    let out = gloss().args(["build", "--drafts"]).current_dir(site.path()).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let public = site.path().join("public");
    let mut tiles = 0;
    for entry in walkdir::WalkDir::new(&public).min_depth(1) {
        let entry = entry.unwrap();
        let relative = entry.path().strip_prefix(&public).unwrap().to_string_lossy().into_owned();
        let name = entry.file_name().to_string_lossy();
        assert!(!name.starts_with('_'), "{relative} starts with `_`: Jekyll would leave it out");
        assert!(!name.starts_with('.') || relative == ".gloss-output", "{relative} is hidden");
        if relative.starts_with("maps/") && name.contains('_') {
            tiles += 1;
        }
    }
    // The names with `_` inside are the map tiles, as deploy.md says.
    assert!(tiles > 0, "no map tile: the check above proves less than it should");
}

#[test]
fn robots_txt_is_written_only_at_the_root_of_a_host() {
    let build = |base_url: &str| {
        let site = site_copy();
        let out = gloss().args(["build", "--base-url", base_url]).current_dir(site.path()).output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        (site, stderr(&out))
    };

    let (site, said) = build("https://example.org/sub/");
    let public = site.path().join("public");
    assert!(!public.join("robots.txt").exists());
    assert!(said.contains("no robots.txt is written"), "{said}");
    assert!(said.contains("https://example.org/sub"), "{said}");
    // The rest of what base_url gives is there.
    assert!(read(&public.join("sitemap.xml")).contains("<loc>https://example.org/sub/index.html</loc>"));
    assert!(public.join("atom.xml").is_file());

    let (site, said) = build("https://example.org/");
    let robots = read(&site.path().join("public/robots.txt"));
    assert!(robots.contains("Sitemap: https://example.org/sitemap.xml"), "{robots}");
    assert!(!said.contains("robots.txt"), "{said}");
}

#[test]
fn without_base_url_there_is_no_sitemap_robots_or_canonical_link() {
    let site = site_copy();
    let yaml = site.path().join("content/site.yaml");
    let text = read(&yaml);
    let without: String = text.lines().filter(|l| !l.starts_with("base_url:")).map(|l| format!("{l}\n")).collect();
    assert_ne!(text, without, "the fixture has a base_url to take out");
    std::fs::write(&yaml, without).unwrap();
    let out = gloss().args(["build"]).current_dir(site.path()).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let public = site.path().join("public");
    for absent in ["sitemap.xml", "robots.txt", "atom.xml"] {
        assert!(!public.join(absent).exists(), "{absent} without a base_url");
    }
    let home = read(&public.join("index.html"));
    assert!(!home.contains("rel=\"canonical\"") && !home.contains("og:url"), "{home}");
}

#[test]
fn the_shell_reader_reads_what_the_recipes_write() {
    let variables: BTreeMap<&str, &str> = [("URL", "https://x.example")].into_iter().collect();
    let script = "if [ \"$B\" = main ]; then\n  gloss build\nelse gloss build --base-url \"$URL\" # a preview\nfi\n\
                  a && b 'c d' \\\n  e | f; g=\"${URL}/\"";
    let found = commands(script, &variables);
    let expected: Vec<Vec<&str>> = vec![
        vec!["[", "$B", "=", "main", "]"],
        vec!["gloss", "build"],
        vec!["gloss", "build", "--base-url", "https://x.example"],
        vec!["fi"],
        vec!["a"],
        vec!["b", "c d", "e"],
        vec!["f"],
        vec!["g=https://x.example/"],
    ];
    assert_eq!(found, expected);
    assert_eq!(toml_values("command = 'a \"b\"'\npublish = \"p\\\"q\"", "publish"), ["p\"q"]);
}
