"""Product files for the catalogue benchmark, each its own: generated from a seed, product by
product (product ``n`` is the same in a catalogue of 10 or of 10,000), with its own invented
name, maker and parts, its own figures (prices, sizes, counts, years), domain words drawn from
one of several shelves (so products of a shelf share some terms, as rivals do), and a length
like the example product files' (80-190 words, in three to seven paragraphs).

A catalogue of one description copied a thousand times shares every fact between its
products: the gate's rival check (``quality.borrowed``), which reads every product's facts,
then derives one product's facts a thousand times from a warm cache. These make it pay what a
real catalogue costs.
"""

from __future__ import annotations

import random


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


SYLLABLES = _words("ka ren vo lin tu sar mel dro fen qui bal tor ny vex ash cor pim lux zar eno "
                 "bri gal hob jun kel mor nas ori pax rud sil tam ulv wen yar zel dax fio")
ENDINGS = _words("a o is ix on ly um era ent ora")
KINDS = _words("Relay Studio Notes CI Vault Desk Flow Lens Forge Pilot Grid Sync Scribe Beacon "
               "Loom Harbor Ledger Signal Atlas Spark")
MAKER_KINDS = _words("Labs Inc Systems Software Works Collective")
CATEGORIES = ("Developer Tools", "Productivity", "Data", "Security", "Design", "Writing",
              "Finance", "Health")
SHELVES: dict[str, tuple[str, ...]] = {
    "ci": ("test suites", "build minutes", "flaky tests", "pull requests", "monorepos",
           "caching layer", "runners", "pipelines", "artifacts", "merge queue", "coverage"),
    "notes": ("backlinks", "markdown", "offline sync", "daily notes", "graph view",
              "templates", "end-to-end encryption", "web clipper", "tags", "outliner"),
    "data": ("warehouse", "columnar storage", "dbt models", "connectors", "schema drift",
             "lineage", "Parquet files", "SQL dialect", "incremental loads", "dashboards"),
    "security": ("secrets scanning", "SBOM", "CVE feeds", "SSO", "audit log", "RBAC",
                 "container images", "policy engine", "SOC 2 report", "key rotation"),
    "speech": ("transcription", "diarization", "speaker labels", "word error rate",
               "streaming audio", "timestamps", "accents", "subtitles", "voice cloning"),
    "llm": ("inference server", "quantized weights", "context window", "embeddings",
            "fine-tuning", "eval harness", "tokenizer", "GPU memory", "prompt caching"),
    "finance": ("invoices", "reconciliation", "ledger entries", "payroll", "expense cards",
                "multi-currency", "tax filings", "bank feeds", "approval chains"),
    "design": ("vector canvas", "design tokens", "prototypes", "component library",
               "handoff specs", "Figma import", "auto layout", "version history", "plugins"),
}
PLATFORMS = ("Linux", "macOS", "Windows", "Android", "iOS", "the browser", "Kubernetes",
             "Docker", "Raspberry Pi")
INTEGRATIONS = ("GitHub", "GitLab", "Slack", "Jira", "Notion", "Postgres", "Snowflake",
                "Okta", "Stripe", "Zapier", "S3", "BigQuery", "Linear", "Datadog")
PRICING = ("Paid", "Free", "Freemium", "Open source", "Enterprise")
LICENSES = ("", "", "Open source", "MIT", "Apache-2.0", "Proprietary", "AGPL-3.0")


def invented(rng: random.Random, parts: int) -> str:
    return ("".join(rng.choice(SYLLABLES) for _ in range(parts))
            + rng.choice(ENDINGS)).capitalize()


def product_name(number: int) -> str:
    """A name no other product of the catalogue has: its first word spelled from the
    product's number (three syllables: 54,872 names), its second a kind of tool."""
    rng = random.Random(f"name-{number}")
    base = len(SYLLABLES)
    spelled = "".join(SYLLABLES[number // base ** place % base] for place in range(3))
    return f"{spelled.capitalize()}{rng.choice(ENDINGS)} {rng.choice(KINDS)}"


def product_file(number: int, seed: int = 19) -> str:
    """Product ``number``'s file: front matter and a description of its own."""
    rng = random.Random(f"{seed}-{number}")
    name = product_name(number)
    maker = f"{invented(rng, 2)} {rng.choice(MAKER_KINDS)}"
    part, engine = invented(rng, 2), invented(rng, 3)
    shelf = rng.choice(sorted(SHELVES))
    terms = rng.sample(SHELVES[shelf], 5)
    platforms = rng.sample(PLATFORMS, rng.randint(2, 4))
    integrations = rng.sample(INTEGRATIONS, rng.randint(2, 4))
    price, seats, size = rng.choice((9, 12, 19, 29, 39, 49, 79, 99, 149, 249)), \
        rng.randint(3, 500), rng.choice((40, 120, 180, 512, 900))
    year, share, speed = rng.randint(2014, 2031), rng.randint(11, 97), rng.randint(2, 40)
    sentences = [
        f"{name} is a {terms[0]} tool from {maker} for teams that work with {terms[1]} "
        f"every day.",
        f"It runs on {', '.join(platforms[:-1])} and {platforms[-1]}, and connects to "
        f"{', '.join(integrations[:-1])} and {integrations[-1]}.",
        f"Its core, {part}, was first written in {year} and now handles {terms[2]} as well as "
        f"{terms[3]}.",
        f"The vendor says it is {speed}x faster than doing it by hand; it publishes no "
        f"independent benchmark.",
        f"Underneath sits the {engine} engine, a {size} KB library that keeps {terms[4]} on "
        f"the device.",
        f"About {share}% of its users are on the free plan, according to {maker}.",
        f"A team plan costs ${price} per seat a month for up to {seats} seats, billed yearly.",
        f"Support answers within {rng.randint(2, 72)} hours; there is no phone line.",
        f"{part} keeps a history of every change for {rng.randint(7, 400)} days.",
        f"Self-hosting needs {rng.choice((2, 4, 8, 16, 32))} GB of memory and a Postgres "
        f"database.",
        f"{maker} was founded in {year - rng.randint(1, 6)} and raised "
        f"${rng.randint(2, 90)}M in its last round.",
        f"A free tier covers {rng.randint(1, 5)} projects and {rng.randint(100, 5000)} "
        f"{terms[1]} a month.",
        f"The {part} command line tool scripts {terms[2]} and exports to CSV and JSON.",
        f"Reviewers praise how it handles {terms[3]} but say the {engine} setup takes an "
        f"afternoon.",
    ]
    rng.shuffle(sentences)
    body = sentences[:rng.randint(7, 13)]
    paragraphs: list[str] = []
    while body:
        take = rng.randint(2, 3)
        paragraphs.append(" ".join(body[:take]))
        body = body[take:]
    license_line = rng.choice(LICENSES)
    front = [f"name: {name}", f"tagline: {terms[0].capitalize()} and {terms[1]} for "
                              f"{rng.choice(('small teams', 'enterprises', 'solo developers'))}",
             f"category: {rng.choice(CATEGORIES)}", f"pricing: {rng.choice(PRICING)}"]
    if license_line:
        front.append(f"license: {license_line}")
    return "---\n" + "\n".join(front) + "\n---\n" + "\n\n".join(paragraphs) + "\n"
