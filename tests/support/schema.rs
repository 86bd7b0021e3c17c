//! The JSON Schemas of export files (`schema/export-v3.schema.json`, and the version 1 files
//! still import by `schema/export-v1.schema.json`), for the native tests that check what an
//! export writes against them (jsonschema is a native-only dev-dependency).

use serde_json::Value;

/// The schema of what this version writes, compiled.
pub fn export_validator() -> jsonschema::Validator {
    validator(include_str!("../../schema/export-v3.schema.json"))
}

/// The schema of version 1 files.
pub fn export_v1_validator() -> jsonschema::Validator {
    validator(include_str!("../../schema/export-v1.schema.json"))
}

fn validator(text: &str) -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(text).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

/// What the schema finds wrong with an export file's JSON (nothing, for a good file).
pub fn export_schema_errors(export: &Value) -> Vec<String> {
    export_validator()
        .iter_errors(export)
        .map(|e| e.to_string())
        .collect()
}
