//! The interface language, as one signal every view reads: what the settings say (Chinese
//! unless the user chose English), or, when that choice could not be stored, the choice made
//! in this session. Messages themselves come from `locales/*.json` through leptos_i18n's
//! compile-time checked `td_string!`; the browser's own languages are not consulted.

use leptos::prelude::*;

use crate::domain::Language;
use crate::i18n::Locale;

/// The interface language of the app: the settings' language, unless a choice made in this
/// session could not be stored (then that choice, for the rest of the session).
#[derive(Clone, Copy)]
pub struct I18n {
    locale: Memo<Locale>,
    unsaved_choice: RwSignal<Option<Language>>,
}

impl I18n {
    /// The language, followed by the calling view.
    pub fn get_locale(self) -> Locale {
        self.locale.get()
    }

    pub fn get_locale_untracked(self) -> Locale {
        self.locale.get_untracked()
    }

    /// Shows `language` although the settings could not keep it.
    pub fn choose_unsaved(self, language: Language) {
        self.unsaved_choice.set(Some(language));
    }
}

pub fn locale_of(language: Language) -> Locale {
    match language {
        Language::Zh => Locale::zh,
        Language::En => Locale::en,
    }
}

/// Provides the language to the views below, following `settings_language`, and keeps the
/// page's `lang` attribute in step (screen readers and fonts follow it).
pub fn provide_i18n(settings_language: Signal<Language>) -> I18n {
    let unsaved_choice = RwSignal::new(None);
    let i18n = I18n {
        locale: Memo::new(move |_| {
            locale_of(
                unsaved_choice
                    .get()
                    .unwrap_or_else(|| settings_language.get()),
            )
        }),
        unsaved_choice,
    };
    provide_context(i18n);
    Effect::new(move |_| {
        let lang = match i18n.get_locale() {
            Locale::zh => "zh",
            Locale::en => "en",
        };
        crate::browser::set_page_language(lang);
    });
    i18n
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}
