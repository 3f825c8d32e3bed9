"""Utilities beneath every layer: text cleaning and dates (text.py), byte decoding (encoding.py),
format sniffing from bytes (formats.py). They import only the spec."""
