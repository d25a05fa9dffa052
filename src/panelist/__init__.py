"""panelist: draft AI-tool reviews from a panel of reviewer personas."""

__version__ = "0.1.0"
