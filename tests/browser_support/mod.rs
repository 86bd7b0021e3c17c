//! Helpers shared by the browser tests (tier 2).

pub fn local_storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// Every key and value in localStorage, sorted: what "storage is unchanged" compares.
pub fn snapshot() -> Vec<(String, String)> {
    let storage = local_storage();
    let mut all: Vec<_> = (0..storage.length().unwrap())
        .filter_map(|i| storage.key(i).unwrap())
        .map(|k| {
            let v = storage.get_item(&k).unwrap().unwrap_or_default();
            (k, v)
        })
        .collect();
    all.sort();
    all
}
