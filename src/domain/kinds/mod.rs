//! The record kinds, one module each: the body type with its fields, the form that fills it
//! in (see [`Kind`](super::form::Kind)) and the rules between its fields.

pub mod demand;
pub mod team;
pub mod technology;
pub mod training;
pub mod visit;

pub use demand::{Demand, DemandStatus, Urgency};
pub use team::{InstitutionType, Team, TeamForm, TeamStatus, TeamTier};
pub use technology::{Stage, TechCategory, Technology};
pub use training::{Training, TrainingType};
pub use visit::{HelpKind, HostType, TeamLevel, Visit};
