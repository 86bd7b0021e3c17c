//! Links between records: which trainings and visits concern a technology.
