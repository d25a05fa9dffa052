"""Plan once, then run the plan: from products and personas to drafts through a backend.

    jobs          the run's types: settings, jobs, planned jobs, results, the reporter
    plan          what a command will do: one model choice and one request per job
    panel         render -> complete -> gate -> write, concurrently, one retry policy;
                  sinks: where takes are written (drafts/, or a trial's folder)
    bookkeeping   every call in the ledger; what each job spent
    batch         the same plan through a provider's batch API, collected later
    estimate      tokens and cost of a plan, before running it
    trial         variants of one persona over products, into .panelist/trials/; adopt: make
                  a variant the persona, keeping the replaced file
    prompts       the one prompt environment; takes: parsing an answer; injection: flags
"""
