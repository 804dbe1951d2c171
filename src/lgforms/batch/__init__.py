"""Batch printing (DESIGN §8): JSON Lines / JSON array in, print-shop files out.

``lgforms batch FORM_ID records.jsonl -o OUTDIR`` — see ``runner`` for the stages (plan, run,
finish), ``store`` for the durable job store, ``executors`` for the local process pool and Dask,
``work`` for one unit, ``mail`` for the mail sort and household splitting, ``source`` for the
lazy input reader.
"""

from .executors import DaskExecutor, LocalExecutor
from .runner import BatchOptions, create_job, find_job, finish_job, render_batch, run_job
from .store import BatchStore, JobNotFound, open_store

__all__ = ["render_batch", "BatchOptions", "create_job", "run_job", "finish_job", "find_job", "BatchStore", "open_store",
           "JobNotFound", "LocalExecutor", "DaskExecutor"]
