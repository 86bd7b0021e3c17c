//! This device's settings: officer name, language, counties, targets, the export log.

use leptos::prelude::*;

use super::SharedStore;
use crate::domain::{Author, Settings};
use crate::storage::StorageError;

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
