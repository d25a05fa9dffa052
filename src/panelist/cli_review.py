"""Commands to review drafts: compare, approve, lint, publish, stats (registered on the app)."""

from __future__ import annotations
