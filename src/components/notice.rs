//! What happened after a save or a delete, said at the top of the next page.

use std::time::Duration;

use leptos::prelude::*;
use uuid::Uuid;

use crate::i18n::*;
use crate::language::use_i18n;
use crate::state::use_app;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notice {
    Saved,
    /// A record was deleted; the notice offers to undo it.
    Deleted(Uuid),
    /// A deletion was undone.
    Restored,
    /// An edit was saved over a version another tab saved meanwhile; that one is in history.
    KeptOtherVersion,
}

impl Notice {
    /// How long the notice stays; `None`: until dismissed.
    fn lingers(self) -> Option<Duration> {
        match self {
            Notice::Saved | Notice::Restored => Some(Duration::from_secs(6)),
            Notice::Deleted(_) => Some(Duration::from_secs(20)),
            Notice::KeptOtherVersion => None,
        }
    }
}

/// The notice being shown, shared by every page.
pub fn use_notice() -> RwSignal<Option<Notice>> {
    expect_context::<NoticeSignal>().0
}

#[derive(Clone, Copy)]
struct NoticeSignal(RwSignal<Option<Notice>>);

/// Makes the notice available to every page below (the page frame calls this).
pub fn provide_notice() {
    provide_context(NoticeSignal(RwSignal::new(None)));
}

/// Shows the current notice (with undo for a delete); short confirmations go away by
/// themselves, a conflict stays until dismissed.
#[component]
pub fn NoticeBanner() -> impl IntoView {
    let i18n = use_i18n();
    let app = use_app();
    let notice = use_notice();
    // A new notice replaces the old one's timer.
    let timer = StoredValue::new_local(None::<TimeoutHandle>);
    let stop_timer = move || {
        if let Some(handle) = timer.try_update_value(Option::take).flatten() {
            handle.clear();
        }
    };
    Effect::new(move |_| {
        let shown = notice.get();
        stop_timer();
        let Some(linger) = shown.and_then(Notice::lingers) else {
            return;
        };
        let handle = set_timeout_with_handle(move || notice.set(None), linger).ok();
        timer.set_value(handle);
    });
    on_cleanup(stop_timer);
    move || {
        notice.get().map(|shown| {
            let (text, undo) = match shown {
                Notice::Saved => (td_string!(i18n.get_locale(), notice.saved), None),
                Notice::Deleted(id) => (td_string!(i18n.get_locale(), notice.deleted), Some(id)),
                Notice::Restored => (td_string!(i18n.get_locale(), notice.restored), None),
                Notice::KeptOtherVersion => (td_string!(i18n.get_locale(), notice.kept_other_version), None),
            };
            let warning = shown == Notice::KeptOtherVersion;
            view! {
                <div class="banner notice" class:warning=warning class:info=!warning role="status" aria-live="polite">
                    <span>{text}</span>
                    {undo.map(|id| view! {
                        <button id="undo-delete" on:click=move |_| {
                            let next = app.records.undelete(id).ok().map(|()| Notice::Restored);
                            notice.set(next);
                        }>{tr!(i18n, notice.undo)}</button>
                    })}
                    <button class="dismiss" on:click=move |_| notice.set(None)>{tr!(i18n, notice.dismiss)}</button>
                </div>
            }
        })
    }
}
