//! The server's JavaScript (`server/`) run natively in QuickJS, as CouchDB runs it: the view's
//! map function for the counting tests, and `validate_doc_update` for the fake server.

use rquickjs::{CatchResultExt, CaughtError, Context, Function, Runtime};
use serde_json::Value;

/// A function of `server/` as CouchDB compiles it: the file from the line starting with
/// `function` (the explanatory comment above it is left out, as `server/design-doc.mjs`
/// does). `path` is relative to the repository.
pub fn function_source(path: &str) -> String {
    let file = format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file}: {e}"));
    let start = text
        .lines()
        .scan(0, |at, line| {
            let here = *at;
            *at += line.len() + 1;
            Some((here, line))
        })
        .find(|(_, line)| line.starts_with("function"))
        .map(|(at, _)| at)
        .unwrap_or_else(|| panic!("{file}: no line starting with function"));
    text[start..].trim().to_owned()
}

/// `server/validate_doc_update.js`, compiled once.
pub struct Validator {
    // The runtime must outlive the context.
    context: Context,
    _runtime: Runtime,
}

/// Why the validation refused a write: CouchDB's error name (`forbidden`, `unauthorized`) and
/// the reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    pub error: String,
    pub reason: String,
}

impl Validator {
    pub fn new() -> Self {
        let runtime = Runtime::new().expect("QuickJS");
        let context = Context::full(&runtime).expect("a context");
        context.with(|ctx| {
            ctx.eval::<(), _>(format!(
                "var validate = ({});\n\
                 function run(args) {{\n\
                   var a = JSON.parse(args);\n\
                   try {{ validate(a[0], a[1], a[2], a[3]); return ''; }}\n\
                   catch (e) {{ return JSON.stringify(e); }}\n\
                 }}",
                function_source("server/validate_doc_update.js")
            ))
            .expect("validate_doc_update compiles");
        });
        Validator {
            context,
            _runtime: runtime,
        }
    }

    /// Runs `validate_doc_update(new_doc, old_doc, user_ctx, {})`.
    pub fn check(
        &self,
        new_doc: &Value,
        old_doc: Option<&Value>,
        user_ctx: &Value,
    ) -> Result<(), Refused> {
        let args = serde_json::json!([new_doc, old_doc, user_ctx, {}]).to_string();
        let thrown: String = self.context.with(|ctx| {
            let run: Function = ctx.globals().get("run").expect("run");
            match run.call::<_, String>((args,)).catch(&ctx) {
                Ok(thrown) => thrown,
                Err(CaughtError::Exception(e)) => {
                    panic!("validate_doc_update failed: {:?}", e.message())
                }
                Err(e) => panic!("validate_doc_update failed: {e}"),
            }
        });
        if thrown.is_empty() {
            return Ok(());
        }
        let thrown: Value = serde_json::from_str(&thrown).unwrap_or_default();
        let (error, reason) = match (thrown.get("forbidden"), thrown.get("unauthorized")) {
            (Some(reason), _) => ("forbidden", reason),
            (None, Some(reason)) => ("unauthorized", reason),
            // Anything else thrown is a failure of the function: CouchDB answers 500.
            (None, None) => panic!("validate_doc_update threw {thrown}"),
        };
        Err(Refused {
            error: error.to_owned(),
            reason: reason.as_str().unwrap_or_default().to_owned(),
        })
    }
}

impl Default for Validator {
    fn default() -> Self {
        Self::new()
    }
}
