"""The public knowledge hub: publications, search, citation formats, OAI-PMH (see DESIGN.md)."""
