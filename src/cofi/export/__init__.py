"""Books other tools read: hledger and beancount journals, and the SCDL grants file.

Pure functions from a checked ledger and its results to text; `cofi export` writes it.
"""
