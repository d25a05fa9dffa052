"""Files on disk: the workspace's folders, front matter, drafts and their history, the ledger.

Everything written goes through ``workspace.write_atomic``; nothing above this layer knows
a file name.
"""
