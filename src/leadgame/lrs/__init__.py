"""Learning records: games as xAPI statements, sent to an organisation's Learning Record Store.

Nothing here runs unless an LRS is configured (see `config`). Then every game saved on this
machine also appends its new statements to a durable outbox in the saves folder (`outbox`), and
a background thread sends them (`sender`), so a slow or absent LRS never holds up play. The
profile (what each statement says) is in `statements` and docs/xapi.md.
"""
