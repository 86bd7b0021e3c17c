//! This device's settings: officer name, language, counties, targets, the export log.

use leptos::prelude::*;

use super::SharedStore;
use crate::domain::report::{self, PhotoChoice};
use crate::domain::{Author, Settings};
use crate::storage::{StorageError, keys};

#[derive(Clone, Copy)]
pub struct DeviceSettings {
    store: SharedStore,
    /// What is stored; changed only through [`DeviceSettings::update`].
    pub settings: ReadSignal<Settings>,
    set: WriteSignal<Settings>,
}

impl DeviceSettings {
    pub(super) fn new(store: SharedStore, settings: Settings) -> Self {
        let (settings, set) = signal(settings);
        DeviceSettings {
            store,
            settings,
            set,
        }
    }

    /// Changes the settings and stores them; on failure nothing changes.
    pub fn update(&self, change: impl FnOnce(&mut Settings)) -> Result<(), StorageError> {
        let mut next = self.settings.get_untracked();
        change(&mut next);
        self.store.with_value(|store| store.save_settings(&next))?;
        self.set.set(next);
        Ok(())
    }

    /// The photos chosen for the report (see `keys::REPORT_PHOTOS`); none chosen when the
    /// value cannot be read (each case then shows its first photo).
    pub fn report_photos(&self) -> PhotoChoice {
        let text = self
            .store
            .with_value(|s| s.load_value(keys::REPORT_PHOTOS))
            .ok()
            .flatten()
            .unwrap_or_default();
        report::photo_choice_from_text(&text)
    }

    /// Keeps the photos chosen for the report; on failure nothing is stored.
    pub fn choose_report_photos(&self, choice: &PhotoChoice) -> Result<(), StorageError> {
        let text = report::photo_choice_text(choice);
        self.store
            .with_value(|s| s.save_value(keys::REPORT_PHOTOS, &text))
    }

    /// Who writes from this device: what every new revision carries.
    pub fn author(&self) -> Author {
        self.settings.with_untracked(|s| Author {
            device_id: s.device_id.clone(),
            name: s.author.clone(),
        })
    }

    /// Settings another tab stored.
    pub(super) fn follow(&self, settings: Settings) {
        if self.settings.with_untracked(|s| *s != settings) {
            self.set.set(settings);
        }
    }

    /// Settings already stored by the caller (an import that also took targets).
    pub(super) fn show_stored(&self, settings: Settings) {
        self.set.set(settings);
    }
}
