//! Reusable views: the page frame, form controls, the three record forms and value labels.

pub mod charts;
pub mod entry;
pub mod fields;
pub mod forms;
pub mod labels;
pub mod layout;
pub mod related;
