"""How the work is spread: in this process, in worker processes, or as a Spark job.

All of them call the same ``Extraction.run`` (``run.extract``); linking and storing stay in one
place, after, in publication order (``ledger.ingest_articles``).
"""

from .extract import Extracted, Extraction
from .local import Workers, cores

__all__ = ["Extracted", "Extraction", "Workers", "cores"]
