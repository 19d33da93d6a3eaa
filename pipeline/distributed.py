"""Running the per-document work on a Dask cluster (dask.distributed).

:func:`pipeline.work.tag_source` is a pure function of a file and a model, so
the batch can be spread over any number of machines: each worker loads the
model once (``load_tagger`` caches it) and tags the documents sent to it; the
results come back in input order, and the outputs are identical to a local
run. The model folder and the input files must be readable at the same paths
on every worker (a shared file system); the output folder need not be, since
each worker returns a document's passages whole and the parts are written by
the process that runs the batch.
"""

from __future__ import annotations

from typing import Iterator

from . import errors
from .work import tag_source
from .tagger import load_tagger
from pathlib import Path
from .model.io import DEFAULT_MODEL


def _tag_on_worker(src, model_path: str | None):

    return tag_source(src, load_tagger(model_path))


def map_on_dask(sources: list, model_path: str | None, scheduler) -> Iterator:
    """Tag ``sources`` on the Dask cluster at ``scheduler`` (an address like ``tcp://host:8786``, or a
    ``distributed.Client``); yields :class:`~pipeline.work.DocResult` in input order."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise errors.MissingDependency("distributed", "dask", "Tagging on a Dask cluster") from None


    model = str(Path(model_path).resolve()) if model_path else str(DEFAULT_MODEL)
    own = not isinstance(scheduler, Client)
    client = Client(scheduler) if own else scheduler
    try:
        futures = client.map(_tag_on_worker, sources, model_path=model, pure=False)
        done: dict[int, object] = {}
        index = {f.key: i for i, f in enumerate(futures)}
        nxt = 0
        for fut in as_completed(futures):
            done[index[fut.key]] = fut.result()
            fut.release()
            while nxt in done:
                yield done.pop(nxt)
                nxt += 1
    finally:
        if own:
            client.close()
