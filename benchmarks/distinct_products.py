"""Product files for the catalogue benchmark, each its own: generated from a seed, product by
product (product ``n`` is the same in a catalogue of 10 or of 10,000), with its own invented
name, maker and parts, its own figures (prices, sizes, counts, years), domain words drawn from
one of several shelves (so products of a shelf share some terms, as rivals do), and a length
like the example product files' (100-190 words, in several paragraphs); and each persona's
take on it (``take_quote``), in its own words, figures and parts.

A catalogue of one description copied a thousand times shares every fact between its
products: the gate's rival check (``quality.borrowed``), which reads every product's facts,
then derives one product's facts a thousand times from a warm cache. These make it pay what a
real catalogue costs.
"""

from __future__ import annotations

import random
from typing import Any


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


def _spec(number: int, seed: int) -> tuple[random.Random, dict[str, Any]]:
    rng = random.Random(f"{seed}-{number}")
    shelf = rng.choice(sorted(SHELVES))
    spec = {"name": product_name(number), "maker": f"{invented(rng, 2)} {rng.choice(MAKER_KINDS)}",
            "part": invented(rng, 2), "engine": invented(rng, 3),
            "terms": rng.sample(SHELVES[shelf], 5),
            "platforms": rng.sample(PLATFORMS, rng.randint(2, 4)),
            "integrations": rng.sample(INTEGRATIONS, rng.randint(2, 4)),
            "price": rng.choice((9, 12, 19, 29, 39, 49, 79, 99, 149, 249)),
            "seats": rng.randint(3, 500), "size": rng.choice((40, 120, 180, 512, 900)),
            "year": rng.randint(2014, 2031), "share": rng.randint(11, 97),
            "speed": rng.randint(2, 40)}
    return rng, spec


PANEL = {"dx": "ship", "skeptic": "skip", "strategist": "ship", "buyer": "skip",
         "creative": "ship"}  # the example panel's personas and verdicts


def take_quote(number: int, persona: str, seed: int = 19) -> str:
    """A take on product ``number`` by ``persona`` that reads as one (65-80 words): its own
    name, parts, figures and shelf's terms, and the persona's lean (``PANEL``'s verdict)."""
    _, spec = _spec(number, seed)
    name, part, engine, terms = spec["name"], spec["part"], spec["engine"], spec["terms"]
    service, price, speed = spec["integrations"][0], spec["price"], spec["speed"]
    quotes = {
        "dx": f"{name} gets out of the way: {part} picked up our {terms[2]} on the first run, "
              f"the {service} connection was quick to set up, and the command line does what "
              f"the docs say. {engine} is the part I would read before trusting it with "
              f"{terms[4]}, but for a team that lives in {terms[1]} this is the rare tool "
              f"that saves time in its first week instead of its first quarter.",
        "skeptic": f"{name} promises a lot for {terms[0]}, and {part} did handle our "
                   f"{terms[2]} once the {service} connection was set up. But at ${price} a "
                   f"person it is not cheap, getting {engine} going took an afternoon, and "
                   f"nothing backs the {speed}x claim. For a team buried in {terms[1]} I would "
                   f"wait for an outside test before paying for a year of it.",
        "strategist": f"The bet behind {name} is that {terms[0]} becomes a daily habit, not a "
                      f"quarterly chore, and {spec['maker']} has built {part} to own that habit. "
                      f"If {terms[3]} keeps moving into the same place as {terms[1]}, the team "
                      f"that owns {engine} owns the switching cost too. It is early, and the "
                      f"{speed}x number is the vendor's own, but the direction is right.",
        "buyer": f"At ${price} a person a month for up to {spec['seats']} people, {name} costs "
                 f"more than the {terms[0]} tools we already pay for, and the free plan is too "
                 f"small to test {terms[2]} properly. I could not find what support promises "
                 f"beyond a reply within days. Until {spec['maker']} shows a contract and a "
                 f"real trial, I would keep the budget where it is.",
        "creative": f"What surprised me about {name} is how quiet it is: {part} sits beside "
                    f"our {terms[1]} and only speaks up when {terms[3]} needs a look. The "
                    f"{service} link made it feel like part of the team rather than another "
                    f"tab, and {engine} kept everything on my own machine, which made me "
                    f"braver about trying odd ideas with {terms[4]}.",
    }
    return quotes[persona]


def product_file(number: int, seed: int = 19) -> str:
    """Product ``number``'s file: front matter and a description of its own."""
    rng, spec = _spec(number, seed)
    name, maker, part, engine = spec["name"], spec["maker"], spec["part"], spec["engine"]
    terms, platforms, integrations = spec["terms"], spec["platforms"], spec["integrations"]
    price, seats, size = spec["price"], spec["seats"], spec["size"]
    year, share, speed = spec["year"], spec["share"], spec["speed"]
    # everyday words around the product's own (its names, figures, a shelf's terms,
    # platforms and services): what the gate counts as facts is the product's, as in a real
    # description, not a template's shared by every product
    sentences = [
        f"{name} is a {terms[0]} tool from {maker} for people who work with {terms[1]} "
        f"every day.",
        f"It runs on {', '.join(platforms[:-1])} and {platforms[-1]}, and it works with "
        f"{', '.join(integrations[:-1])} and {integrations[-1]}.",
        f"Its core, {part}, was first made in {year} and now also does {terms[2]} and "
        f"{terms[3]}.",
        f"The company says it is {speed} times faster than doing the same work by hand.",
        f"At its heart is {engine}, a {size} KB part that keeps {terms[4]} on your own "
        f"computer.",
        f"About {share}% of its users are on the free plan, {maker} says.",
        f"A team plan costs ${price} per person a month for up to {seats} people.",
        f"Help comes within {rng.randint(11, 72)} hours, but there is no phone number.",
        f"{part} keeps every change for {rng.randint(11, 400)} days.",
        f"To run it on your own you need {rng.choice((16, 32, 64))} GB of memory.",
        f"{maker} started in {year - rng.randint(1, 6)} and raised "
        f"${rng.randint(11, 90)} million last year.",
        f"The free plan has room for {rng.randint(11, 50)} projects and {rng.randint(100, 5000)} "
        f"{terms[1]} a month.",
        f"With the {part} command line you can run {terms[2]} from your own code.",
        f"People like how it does {terms[3]}, but getting {engine} going can take an "
        f"afternoon.",
    ]
    # the sentences the takes draw on, always; then some of the others; in any order
    given, others = [sentences[at] for at in (0, 1, 2, 3, 4, 6)], \
        [sentence for at, sentence in enumerate(sentences) if at not in (0, 1, 2, 3, 4, 6)]
    body = given + rng.sample(others, rng.randint(1, 7))
    rng.shuffle(body)
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
