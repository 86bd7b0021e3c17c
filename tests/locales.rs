//! Tier 1: the interface is complete in both languages: the same message keys, none empty,
//! and every interpolated value ({{ name }}) present in both.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;

fn flatten(prefix: &str, value: &serde_json::Value, out: &mut BTreeMap<String, String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, child) in map {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                flatten(&path, child, out);
            }
        }
        serde_json::Value::String(text) => {
            out.insert(prefix.to_owned(), text.clone());
        }
        other => panic!("{prefix}: a message must be text, found {other}"),
    }
}

fn messages(json: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    flatten("", &serde_json::from_str(json).unwrap(), &mut out);
    out
}

fn placeholders(text: &str) -> Vec<String> {
    let mut found: Vec<String> = text
        .split("{{")
        .skip(1)
        .filter_map(|rest| {
            rest.split_once("}}")
                .map(|(name, _)| name.trim().to_owned())
        })
        .collect();
    found.sort();
    found
}

/// A message's own text, its placeholders left out.
fn without_placeholders(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some((before, after)) = rest.split_once("{{") {
        out.push_str(before);
        rest = after.split_once("}}").map_or("", |(_, after)| after);
    }
    out.push_str(rest);
    out
}

#[test]
fn every_message_exists_in_chinese_and_english_with_the_same_placeholders() {
    let zh = messages(include_str!("../locales/zh.json"));
    let en = messages(include_str!("../locales/en.json"));
    assert_eq!(zh.keys().collect::<Vec<_>>(), en.keys().collect::<Vec<_>>());
    for (key, zh_text) in &zh {
        let en_text = &en[key];
        assert!(
            !zh_text.trim().is_empty() && !en_text.trim().is_empty(),
            "{key} is empty"
        );
        assert_eq!(placeholders(zh_text), placeholders(en_text), "{key}");
        // The Chinese interface is in Chinese: a message with words has Chinese in it, except
        // the button that switches to English, which speaks English. (A separator or a bare
        // placeholder has no words to translate.)
        let has_cjk = zh_text
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        let has_words = without_placeholders(zh_text)
            .chars()
            .any(|c| c.is_ascii_alphabetic());
        assert!(
            has_cjk || !has_words || key.starts_with("nav.switch_language"),
            "{key} is not translated: {zh_text}"
        );
    }
    println!("messages checked in both languages: {}", zh.len());
}
