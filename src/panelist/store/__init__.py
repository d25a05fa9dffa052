"""Files on disk: the workspace's folders, front matter, drafts and their history, the ledger,
persona trials.

Everything written goes through ``workspace.write_atomic``; nothing above this layer knows
a file name.
"""
