"""Symposia, retreats and webinars: pages, registration, waitlist, check-in (see DESIGN.md)."""
