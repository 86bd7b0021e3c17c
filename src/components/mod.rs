//! Reusable views: the page frame, notices and errors, the record form, record text and
//! value labels, charts, and the panels that several pages show.

pub mod charts;
pub mod errors;
pub mod export_panel;
pub mod follow_ups;
pub mod form;
pub mod import_panel;
pub mod labels;
pub mod layout;
pub mod my_work;
pub mod notice;
pub mod open_demands;
pub mod period_picker;
pub mod photos;
pub mod picklists;
pub mod record_text;
pub mod related;
pub mod report_document;
pub mod sample_data;
pub mod submissions;
pub mod sync_text;
pub mod team_links;
pub mod when_visible;
