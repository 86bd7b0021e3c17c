//! Progress against the year's targets: the counting rules of the dashboard.
