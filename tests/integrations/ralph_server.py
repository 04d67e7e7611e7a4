"""Runs ralph's LRS with its file-system backend, in ralph's own virtualenv (not the app's).

That backend, meant for development, writes every statement with CREATE, so once its file
exists every later statement fails (HTTP 500, "already exists and overwrite is not allowed");
its other backends (Elasticsearch, MongoDB, ClickHouse) need servers this suite does not run.
Here it appends instead, which is all that differs from `ralph runserver -b fs`."""

import sys

import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

if __name__ == "__main__":
    uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]), log_level="info")
