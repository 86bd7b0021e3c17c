//! Photo bytes, apart from the records: IndexedDB database `field-ledger-photos`, object
//! store `photos`, one value `{mime, bytes}` (an ArrayBuffer) per photo, keyed by the
//! SHA-256 of its bytes. localStorage (5 MB) keeps the records and their photo lists; a
//! failure here never stops a record being saved.
//!
//! [`PhotoBackend`] is the seam the browser tests put a fault-injecting store behind.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use js_sys::{ArrayBuffer, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbRequest, IdbTransactionMode};

use crate::domain::photo::PhotoMime;

const DATABASE: &str = "field-ledger-photos";
const STORE: &str = "photos";
const VERSION: u32 = 1;

/// Why the photo store could not do what was asked.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PhotoStoreError {
    /// IndexedDB is missing or refused (a private window, a browser setting).
    #[error("the photo store cannot be opened: {0}")]
    Unavailable(String),
    /// The browser has no more room for this site.
    #[error("there is no room left for photos")]
    Full,
    #[error("the photo store failed: {0}")]
    Failed(String),
    /// A stored value is not a photo as this app writes them.
    #[error("a stored photo cannot be read")]
    Unreadable,
}

/// A photo's bytes as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredPhoto {
    pub mime: PhotoMime,
    pub bytes: Vec<u8>,
}

pub type LocalFuture<T> = Pin<Box<dyn Future<Output = Result<T, PhotoStoreError>>>>;

/// Where photo bytes are kept, by hash.
pub trait PhotoBackend {
    fn put(&self, hash: &str, photo: &StoredPhoto) -> LocalFuture<()>;
    fn get(&self, hash: &str) -> LocalFuture<Option<StoredPhoto>>;
    fn delete(&self, hash: &str) -> LocalFuture<()>;
    /// Every stored photo's hash.
    fn hashes(&self) -> LocalFuture<Vec<String>>;
}

/// The app's photo store: a backend shared by whoever needs it.
#[derive(Clone)]
pub struct PhotoStore(Rc<dyn PhotoBackend>);

impl PhotoStore {
    /// The browser's IndexedDB.
    pub fn browser() -> Self {
        PhotoStore(Rc::new(IndexedDbPhotos))
    }

    pub fn with_backend(backend: Rc<dyn PhotoBackend>) -> Self {
        PhotoStore(backend)
    }

    pub async fn put(&self, hash: &str, photo: &StoredPhoto) -> Result<(), PhotoStoreError> {
        self.0.put(hash, photo).await
    }

    pub async fn get(&self, hash: &str) -> Result<Option<StoredPhoto>, PhotoStoreError> {
        self.0.get(hash).await
    }

    pub async fn delete(&self, hash: &str) -> Result<(), PhotoStoreError> {
        self.0.delete(hash).await
    }

    pub async fn hashes(&self) -> Result<Vec<String>, PhotoStoreError> {
        self.0.hashes().await
    }
}

/// Waits for an IndexedDB request: its result, or its error.
async fn request_done(request: &IdbRequest) -> Result<JsValue, JsValue> {
    let done = js_sys::Promise::new(&mut |resolve, reject| {
        request.set_onsuccess(Some(&resolve));
        request.set_onerror(Some(&reject));
    });
    match JsFuture::from(done).await {
        Ok(_) => request.result(),
        Err(_) => Err(request
            .error()
            .ok()
            .flatten()
            .map_or_else(|| JsValue::from_str("request failed"), JsValue::from)),
    }
}

/// The browser's IndexedDB, opened for each step (a step is rare: a photo taken, shown or
/// exported), so no connection is held between them.
struct IndexedDbPhotos;

impl IndexedDbPhotos {
    async fn open() -> Result<IdbDatabase, PhotoStoreError> {
        let unavailable = |e: JsValue| PhotoStoreError::Unavailable(js_message(&e));
        let factory = web_sys::window()
            .ok_or_else(|| PhotoStoreError::Unavailable("no window".into()))?
            .indexed_db()
            .map_err(unavailable)?
            .ok_or_else(|| PhotoStoreError::Unavailable("no IndexedDB".into()))?;
        let request = factory.open_with_u32(DATABASE, VERSION).map_err(unavailable)?;
        // The first open makes the object store.
        let upgrade = {
            let request = request.clone();
            Closure::<dyn FnMut()>::new(move || {
                if let Ok(database) = request.result().and_then(|d| d.dyn_into::<IdbDatabase>()) {
                    if !database.object_store_names().contains(STORE) {
                        let _ = database.create_object_store(STORE);
                    }
                }
            })
        };
        request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
        let opened = request_done(&request).await;
        request.set_onupgradeneeded(None);
        drop(upgrade);
        opened
            .map_err(unavailable)?
            .dyn_into::<IdbDatabase>()
            .map_err(|_| PhotoStoreError::Unavailable("not a database".into()))
    }

    /// Runs one request on the object store and waits for the transaction to finish, so
    /// that a write is on disk (or refused) when this returns.
    async fn run(
        mode: IdbTransactionMode,
        make: impl FnOnce(&web_sys::IdbObjectStore) -> Result<IdbRequest, JsValue>,
    ) -> Result<JsValue, PhotoStoreError> {
        let database = Self::open().await?;
        let result = async {
            let transaction = database
                .transaction_with_str_and_mode(STORE, mode)
                .map_err(store_error)?;
            let store = transaction.object_store(STORE).map_err(store_error)?;
            let request = make(&store).map_err(store_error)?;
            let value = request_done(&request).await.map_err(store_error)?;
            if mode == IdbTransactionMode::Readwrite {
                let done = js_sys::Promise::new(&mut |resolve, reject| {
                    transaction.set_oncomplete(Some(&resolve));
                    transaction.set_onerror(Some(&reject));
                    transaction.set_onabort(Some(&reject));
                });
                JsFuture::from(done).await.map_err(|_| {
                    transaction
                        .error()
                        .map_or(PhotoStoreError::Failed("aborted".into()), |e| {
                            store_error(e.into())
                        })
                })?;
            }
            Ok(value)
        }
        .await;
        database.close();
        result
    }
}

impl PhotoBackend for IndexedDbPhotos {
    fn put(&self, hash: &str, photo: &StoredPhoto) -> LocalFuture<()> {
        let key = JsValue::from_str(hash);
        let value = Object::new();
        let bytes = Uint8Array::from(photo.bytes.as_slice()).buffer();
        let set = Reflect::set(&value, &"mime".into(), &photo.mime.as_str().into())
            .and_then(|_| Reflect::set(&value, &"bytes".into(), &bytes));
        Box::pin(async move {
            set.map_err(store_error)?;
            Self::run(IdbTransactionMode::Readwrite, |store| {
                store.put_with_key(&value, &key)
            })
            .await
            .map(|_| ())
        })
    }

    fn get(&self, hash: &str) -> LocalFuture<Option<StoredPhoto>> {
        let key = JsValue::from_str(hash);
        Box::pin(async move {
            let value = Self::run(IdbTransactionMode::Readonly, |store| store.get(&key)).await?;
            if value.is_undefined() {
                return Ok(None);
            }
            let mime = Reflect::get(&value, &"mime".into())
                .ok()
                .and_then(|m| m.as_string())
                .and_then(|m| PhotoMime::from_mime(&m))
                .ok_or(PhotoStoreError::Unreadable)?;
            let bytes = Reflect::get(&value, &"bytes".into())
                .ok()
                .and_then(|b| b.dyn_into::<ArrayBuffer>().ok())
                .ok_or(PhotoStoreError::Unreadable)?;
            Ok(Some(StoredPhoto {
                mime,
                bytes: Uint8Array::new(&bytes).to_vec(),
            }))
        })
    }

    fn delete(&self, hash: &str) -> LocalFuture<()> {
        let key = JsValue::from_str(hash);
        Box::pin(async move {
            Self::run(IdbTransactionMode::Readwrite, |store| store.delete(&key))
                .await
                .map(|_| ())
        })
    }

    fn hashes(&self) -> LocalFuture<Vec<String>> {
        Box::pin(async move {
            let keys = Self::run(IdbTransactionMode::Readonly, |store| store.get_all_keys()).await?;
            let keys: js_sys::Array = keys.dyn_into().map_err(|_| PhotoStoreError::Unreadable)?;
            Ok(keys.iter().filter_map(|k| k.as_string()).collect())
        })
    }
}

/// A DOMException from IndexedDB as this module's error: a full disk is said so.
fn store_error(error: JsValue) -> PhotoStoreError {
    let name = Reflect::get(&error, &"name".into())
        .ok()
        .and_then(|n| n.as_string())
        .unwrap_or_default();
    if name == "QuotaExceededError" {
        PhotoStoreError::Full
    } else {
        PhotoStoreError::Failed(js_message(&error))
    }
}

fn js_message(error: &JsValue) -> String {
    Reflect::get(error, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unknown error".into())
}
