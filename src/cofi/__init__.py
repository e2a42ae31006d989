"""cofi — the open ledger of co-investment in the digital commons of tiers-lieux."""

__version__ = "0.1.0"
