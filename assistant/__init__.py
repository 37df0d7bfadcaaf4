"""sote-assistant: answers questions over Finnish sote planning documents, with citations."""

__version__ = "0.1.0"
