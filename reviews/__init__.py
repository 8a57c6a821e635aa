"""Reviewer pool, bids, assignment, reviews and decisions (see DESIGN.md)."""
