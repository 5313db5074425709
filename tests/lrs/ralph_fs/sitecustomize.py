"""Loaded by the Ralph LRS processes the tests start (this folder is on their PYTHONPATH only).

Ralph's file-system backend writes its statements file in "create" mode, so with `ralph
runserver -b fs` the first POST creates the file and every later one fails with HTTP 500 ("already
exists and overwrite is not allowed"). Appending is the mode its own docs give for adding
records to a file; everything else (authentication, validation, duplicate detection, queries)
is Ralph's own code, untouched.
"""

import os

if os.environ.get("RALPH_RUNSERVER_BACKEND") == "fs":
    from ralph.backends.data.base import BaseOperationType
    from ralph.backends.lrs.fs import FSLRSBackend

    FSLRSBackend.default_operation_type = BaseOperationType.APPEND
