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
use send_wrapper::SendWrapper;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::browser::{call, error_text, property};

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
pub struct PhotoStore(SendWrapper<Rc<dyn PhotoBackend>>);

impl PhotoStore {
    /// The browser's IndexedDB.
    pub fn browser() -> Self {
        PhotoStore(SendWrapper::new(Rc::new(IndexedDbPhotos)))
    }

    pub fn with_backend(backend: Rc<dyn PhotoBackend>) -> Self {
        PhotoStore(SendWrapper::new(backend))
    }

    /// The store a test provided as context, else the browser's.
    pub fn in_use() -> Self {
        leptos::prelude::use_context::<PhotoStore>().unwrap_or_else(PhotoStore::browser)
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

/// Waits for an IndexedDB request (its `onsuccess` or `onerror`): its result, or its error.
async fn request_done(request: &JsValue) -> Result<JsValue, JsValue> {
    let done = js_sys::Promise::new(&mut |resolve, reject| {
        let _ = Reflect::set(request, &"onsuccess".into(), &resolve);
        let _ = Reflect::set(request, &"onerror".into(), &reject);
    });
    match JsFuture::from(done).await {
        Ok(_) => Ok(property(request, "result")),
        Err(_) => Err(property(request, "error")),
    }
}

/// The browser's IndexedDB, opened for each step (a step is rare: a photo taken, shown or
/// exported), so no connection is held between them. Called through reflection
/// ([`browser::call`]), so that the store adds nothing to the first screen's files.
struct IndexedDbPhotos;

impl IndexedDbPhotos {
    async fn open() -> Result<JsValue, PhotoStoreError> {
        let unavailable = |e: JsValue| PhotoStoreError::Unavailable(error_text(&e));
        let window: JsValue = web_sys::window()
            .ok_or_else(|| PhotoStoreError::Unavailable("no window".into()))?
            .into();
        // Reading `indexedDB` itself throws where storage is refused.
        let factory = Reflect::get(&window, &"indexedDB".into()).map_err(unavailable)?;
        if factory.is_undefined() || factory.is_null() {
            return Err(PhotoStoreError::Unavailable("no IndexedDB".into()));
        }
        let request =
            call(&factory, "open", &[&DATABASE.into(), &VERSION.into()]).map_err(unavailable)?;
        // The first open makes the object store.
        let upgrade = {
            let request = request.clone();
            Closure::<dyn FnMut()>::new(move || {
                let database = property(&request, "result");
                let _ = call(&database, "createObjectStore", &[&STORE.into()]);
            })
        };
        let _ = Reflect::set(&request, &"onupgradeneeded".into(), upgrade.as_ref());
        let opened = request_done(&request).await;
        let _ = Reflect::set(&request, &"onupgradeneeded".into(), &JsValue::NULL);
        drop(upgrade);
        opened.map_err(unavailable)
    }

    /// Runs one request on the object store and waits for the transaction to finish, so
    /// that a write is on disk (or refused) when this returns.
    async fn run(write: bool, method: &str, args: &[&JsValue]) -> Result<JsValue, PhotoStoreError> {
        let database = Self::open().await?;
        let result = async {
            let mode = if write { "readwrite" } else { "readonly" };
            let transaction = call(&database, "transaction", &[&STORE.into(), &mode.into()])
                .map_err(store_error)?;
            let store = call(&transaction, "objectStore", &[&STORE.into()]).map_err(store_error)?;
            let request = call(&store, method, args).map_err(store_error)?;
            let value = request_done(&request).await.map_err(store_error)?;
            if write {
                let done = js_sys::Promise::new(&mut |resolve, reject| {
                    let _ = Reflect::set(&transaction, &"oncomplete".into(), &resolve);
                    let _ = Reflect::set(&transaction, &"onerror".into(), &reject);
                    let _ = Reflect::set(&transaction, &"onabort".into(), &reject);
                });
                JsFuture::from(done)
                    .await
                    .map_err(|_| store_error(property(&transaction, "error")))?;
            }
            Ok(value)
        }
        .await;
        let _ = call(&database, "close", &[]);
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
            Self::run(true, "put", &[&value, &key]).await.map(drop)
        })
    }

    fn get(&self, hash: &str) -> LocalFuture<Option<StoredPhoto>> {
        let key = JsValue::from_str(hash);
        Box::pin(async move {
            let value = Self::run(false, "get", &[&key]).await?;
            if value.is_undefined() {
                return Ok(None);
            }
            let mime = property(&value, "mime")
                .as_string()
                .and_then(|m| PhotoMime::from_mime(&m))
                .ok_or(PhotoStoreError::Unreadable)?;
            let bytes = property(&value, "bytes")
                .dyn_into::<ArrayBuffer>()
                .map_err(|_| PhotoStoreError::Unreadable)?;
            Ok(Some(StoredPhoto {
                mime,
                bytes: Uint8Array::new(&bytes).to_vec(),
            }))
        })
    }

    fn delete(&self, hash: &str) -> LocalFuture<()> {
        let key = JsValue::from_str(hash);
        Box::pin(async move { Self::run(true, "delete", &[&key]).await.map(drop) })
    }

    fn hashes(&self) -> LocalFuture<Vec<String>> {
        Box::pin(async move {
            let keys = Self::run(false, "getAllKeys", &[]).await?;
            let keys: js_sys::Array = keys.dyn_into().map_err(|_| PhotoStoreError::Unreadable)?;
            Ok(keys.iter().filter_map(|k| k.as_string()).collect())
        })
    }
}

/// A DOMException from IndexedDB as this module's error: a full disk is said so.
fn store_error(error: JsValue) -> PhotoStoreError {
    if property(&error, "name").as_string().as_deref() == Some("QuotaExceededError") {
        PhotoStoreError::Full
    } else {
        PhotoStoreError::Failed(error_text(&error))
    }
}
