"""Submissions, authorships, documents, conflicts and their visibility (see DESIGN.md)."""
