//! Generates the `i18n` module from `locales/*.json` (leptos_i18n), so that every message
//! key is checked at compile time in both languages.
use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    // wasm-split needs the linker's relocations to cut the wasm apart (cargo-leptos passes
    // the same flag for `--split`). Only the app binary is linked with them.
    if std::env::var_os("CARGO_FEATURE_SPLIT").is_some()
        && std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32")
    {
        println!("cargo::rustc-link-arg-bins=--emit-relocs");
    }
    let out_dir = std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?;
    let config = Config::new("zh")?
        .add_locale("en")?
        .parse_options(ParseOptions::new().interpolate_display(true));
    let translations = TranslationsInfos::parse(config)?;
    translations.emit_diagnostics();
    translations.rerun_if_locales_changed();
    translations.generate_i18n_module(PathBuf::from(out_dir).join("i18n"))?;
    Ok(())
}
