"""The outbox: every mail is a row first and is sent once by a worker (see DESIGN.md, Mail)."""
