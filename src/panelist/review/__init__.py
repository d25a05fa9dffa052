"""One read model of drafts, and what editors do with it.

    views      a product's panel, two panels side by side, one persona's takes
    catalogue  the one catalogue read model (status, stats, lint, compare, the desk), from the
               index; takes_index keeps each take's derived row in it (store/index), and
               take_rows derives the rows (take_workers: in worker processes when there are
               many, forked as soon as a read sees them coming)
    reports    the same read model as plain rows (status, takes) for tables and JSON
    approval   approving and unapproving takes, edit ratios; signoff: what approval binds to
    lint       checks before approving or publishing; claims: ungrounded claims per sentence
    publish    the A vs B page from approved takes; site: its HTML environment
    worddiff   word-level changes between two quotes
    trials     a persona trial's takes against the approved ones; calibration: each persona
               against the panel and the community
"""
