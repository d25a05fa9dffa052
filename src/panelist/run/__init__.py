"""Plan once, then run the plan: from products and personas to drafts through a backend.

    plan       what a command will do: the jobs, the settings, the request of each job
    panel      render -> complete -> validate -> write, concurrently, one retry policy
    batch      the same jobs through a provider's batch API, collected later
    estimate   tokens and cost of a plan, before running it
    prompts    the one prompt environment; takes: parsing an answer; injection: flags
    pricing    cost of a call from data/prices.json
"""
