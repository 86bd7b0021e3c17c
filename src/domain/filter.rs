//! Record list filters: what the list page shows, and how the filter reads from and writes to the URL.
