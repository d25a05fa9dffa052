"""One read model of drafts, and what editors do with it.

    views      a product's panel, two panels side by side, one persona's takes
    reports    the same drafts as plain rows (status, takes, catalogue)
    approval   approving takes, edit ratios
    lint       checks before approving or publishing
    publish    the A vs B page from approved takes; site: its HTML environment
    worddiff   word-level changes between two quotes
"""
