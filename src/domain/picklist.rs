//! Remembered picklists: the values an officer typed before, most used first, and renaming a value everywhere.
