"""People, organisations, sign-in, and the personal-data export and erasure registry."""
