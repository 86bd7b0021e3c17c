//! The interface language, as one signal every view reads: what the settings say (Chinese
//! unless the user chose English), or, when that choice could not be stored, the choice made
//! in this session. Messages themselves come from `locales/*.json` through leptos_i18n's
//! compile-time checked `td_string!`; the browser's own languages are not consulted.

use leptos::prelude::*;

use crate::domain::Language;
use crate::i18n::Locale;

/// The interface language of the app.
#[derive(Clone, Copy)]
pub struct I18n(RwSignal<Locale>);

impl I18n {
    /// The language, followed by the calling view.
    pub fn get_locale(self) -> Locale {
        self.0.get()
    }

    pub fn get_locale_untracked(self) -> Locale {
        self.0.get_untracked()
    }

    pub fn set_locale(self, locale: Locale) {
        if self.0.get_untracked() != locale {
            self.0.set(locale);
        }
    }
}

pub fn locale_of(language: Language) -> Locale {
    match language {
        Language::Zh => Locale::zh,
        Language::En => Locale::en,
    }
}

/// Provides the language to the views below, starting from `language`, and keeps the page's
/// `lang` attribute in step (screen readers and fonts follow it).
pub fn provide_i18n(language: Language) -> I18n {
    let i18n = I18n(RwSignal::new(locale_of(language)));
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
