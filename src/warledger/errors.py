"""Every error warledger raises, in one place.

    WarledgerError
     +-- InputError       a file or line that cannot be read as an article
     +-- DataFileError    a vocabulary / alias file in data/ that is malformed
     +-- GazetteerError   the place index cannot be built or loaded
     +-- StoreError       the database cannot be opened or migrated
     +-- NotFound         no such event (or article) in the ledger
     +-- EvalError        a corpus folder without usable gold
     +-- ConfigError      a sources file (warledger follow) that cannot be used
     +-- SourceError      a followed feed, or a page of it, that failed this time
     +-- SparkError       Spark could not start, or its job failed (spark-ingest)

Library code raises these; only ``cli.py`` prints them (one line) and sets the exit code.
"""

from __future__ import annotations


class WarledgerError(Exception):
    """Base class: catch this to catch everything warledger raises on purpose."""

    code = "W000"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


class InputError(WarledgerError):
    """A file or a line of a file could not be read as an article.

    ``where`` is ``path`` or ``path:line``; the message says what is wrong.
    """

    code = "W100"

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem


class DataFileError(WarledgerError):
    code = "W200"

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")


class GazetteerError(WarledgerError):
    code = "W300"


class StoreError(WarledgerError):
    """The ledger's database failed; the driver's words are kept, on one line."""

    code = "W400"

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))


class NotFound(WarledgerError):
    """The ledger has no such event (or article); the API answers 404 to this and to nothing else."""

    code = "W404"


class EvalError(WarledgerError):
    code = "W500"


class ConfigError(WarledgerError):
    """A sources file for ``warledger follow`` that cannot be used: names the file and the problem."""

    code = "W600"

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")


class SourceError(WarledgerError):
    """A followed source failed this time (its feed, its robots.txt, or one of its pages); the
    follower reports it and goes on with the others, trying it again later."""

    code = "W610"

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"source {source}: {problem}")
        self.source = source
        self.problem = problem


class SparkError(WarledgerError):
    """Spark could not start (no Java?) or a spark-ingest job failed; Spark's words on one line."""

    code = "W620"

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))
