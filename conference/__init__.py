"""Series, editions, timeline, tracks, topics and roles (see DESIGN.md). Filled by the calls issue."""
