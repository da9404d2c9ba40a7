"""Following sources as they publish: RSS / Atom feeds (``warledger follow``) and a drop folder
(``warledger watch``), with what was read remembered in the ledger (migration ``0009_feeds``)."""

from .config import FollowConfig, Source, load_config, parse_config
from .follow import Follower, PollResult
from .watch import ScanResult, Watcher

__all__ = ["FollowConfig", "Follower", "PollResult", "ScanResult", "Source", "Watcher", "load_config", "parse_config"]
