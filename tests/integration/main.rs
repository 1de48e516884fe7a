//! Integration tests: build fixture sites (and the default site) and check
//! what a reader would see in the output.

mod annotations_export;
mod apparatus;
mod architecture;
mod awkward;
mod build;
mod data;
mod deploy;
mod diagnostics;
mod edition;
mod editions;
mod incremental;
mod languages;
mod maps;
mod mentions;
mod properties;
mod publishing;
mod reading;
mod scripts;
mod security;
mod serve;
mod support;
mod themes;
