//! The JSON Schema of export files (`schema/export-v1.schema.json`), for the native tests that
//! check what an export writes against it (jsonschema is a native-only dev-dependency).

use serde_json::Value;

/// The schema, compiled.
pub fn export_validator() -> jsonschema::Validator {
    let schema: Value =
        serde_json::from_str(include_str!("../../schema/export-v1.schema.json")).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

/// What the schema finds wrong with an export file's JSON (nothing, for a good file).
pub fn export_schema_errors(export: &Value) -> Vec<String> {
    export_validator()
        .iter_errors(export)
        .map(|e| e.to_string())
        .collect()
}
