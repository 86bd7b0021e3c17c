//! Sample data built from the bureau's report, to explore the app with.
