//! Reusable views: the page frame, form controls, the three record forms and value labels.

pub mod charts;
pub mod fields;
pub mod forms;
pub mod labels;
pub mod layout;
