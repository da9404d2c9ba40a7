"""warledger: a sourced ledger of strike events and casualties, read from war reporting."""

__version__ = "0.1.0"
