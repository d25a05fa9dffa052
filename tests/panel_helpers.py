"""Drafts written straight into a workspace, as a panel run writes them (no model, no network)."""

from __future__ import annotations

from datetime import UTC, datetime

from panelist.models import Draft, DraftMeta
from panelist.quality.version import gate_version
from panelist.store.drafts import DraftStore, content_hash
from panelist.store.workspace import Workspace, write_atomic

HAIKU = "claude-haiku-open-weights"
QVAC = "tether-qvac-sdk"

# Vendor text that tries to run code on the published page.
XSS_SCRIPT = "<script>document.title='pwned'</script>"
XSS_IMG = "<img src=x onerror=\"document.title='pwned'\">"
XSS_LINK = "<a href=\"javascript:document.title='pwned'\">click</a>"
EVIL_PRODUCT = f"""---
name: Evil Tool {XSS_SCRIPT}
tagline: The tagline {XSS_IMG}
category: Developer Tools
pricing: Freemium
url: https://evil.example/tool
community:
  ship: 30
  skip: 10
---
Evil Tool is a product whose vendor wrote markup into the description. {XSS_SCRIPT}

It also tries an image {XSS_IMG} and a link {XSS_LINK} and [a markdown link](javascript:alert(1)).
"""

# The two example panels, in our own words, grounded in the example product files.
EXAMPLE_TAKES: dict[str, dict[str, tuple[str, str]]] = {
    HAIKU: {
        "dx": ("ship", "What you get is a weight file: download it, load it on your own "
               "hardware, and call a Claude-family model with no API key and no network. For "
               "local experiments, offline evaluation and fine-tuning research that removes the "
               "usual friction of keys, quotas and rate limits. The friction that remains is "
               "the license, not the engineering: it covers research and non-commercial work "
               "only, so this is a tool for the lab bench, not a drop-in replacement for the "
               "API in anything you sell. Researchers should pull it tonight; product teams "
               "should wait."),
        "skeptic": ("skip", "Open weights with a non-commercial license is openness with an "
                    "asterisk. The moment a team wants to build something it can sell, it is "
                    "back on the hosted API, and that is exactly the scenario that matters. "
                    "The announcement is also quiet on what the local model is good at compared "
                    "with the API, so nobody can yet say whether the research version is the "
                    "same Haiku people already pay for. Until the license changes, this is a "
                    "gesture, not a platform."),
        "strategist": ("ship", "The bet is that a safety-focused lab can take part in open "
                       "weights without giving away its commercial models: Haiku goes out, "
                       "Sonnet and Opus stay behind the API. The precedent matters more than "
                       "the model. Once a company has shipped weights once, the question "
                       "changes from whether it will to what it will release next and under "
                       "which license. If researchers adopt it, the pressure to widen the "
                       "license grows from inside the community the lab wants to court."),
        "buyer": ("skip", "There is no buyer in this release by design: the license forbids "
                  "commercial use, so research adoption does not turn into revenue, and there "
                  "is no built-in path from a research download to a paid plan. The strategic "
                  "value is goodwill and mindshare, which are real but hard to put in a budget. "
                  "For anyone who has to justify spend, the API is still the only way to "
                  "pay for Claude, and this release does not change that."),
        "creative": ("ship", "For students, hobbyists and artists running experiments at "
                     "home, a capable model that lives on your own machine is a real "
                     "invitation: private writing tools, offline chat for field notes, "
                     "classroom projects with no account to create. The non-commercial terms "
                     "fence off selling what you make, but they leave plenty of room to "
                     "tinker, learn and share work openly, which is where new uses usually "
                     "start."),
    },
    QVAC: {
        "dx": ("ship", "The primitive is one SDK with one API for text completion, embeddings, "
               "vision, OCR, speech and translation, running on the device through QVAC "
               "Fabric, a fork of llama.cpp. That lineage is the good news: the model formats "
               "and the mental model will feel familiar. Linux, macOS, Windows, Android and "
               "iOS from one interface is a genuine shortcut for mobile work. I would start "
               "with the offline path and leave the peer-to-peer layer for later."),
        "skeptic": ("skip", "A stablecoin company shipping an AI SDK invites the obvious "
                    "question of how long it will care. The Holepunch peer-to-peer stack is "
                    "powerful, but most teams want a plain local inference wrapper, and every "
                    "extra layer is something to debug on a phone in the field. Training "
                    "swarms are roadmap, not product. The description also lists the pricing "
                    "entry as paid while calling the SDK open source, and it never explains "
                    "what you pay for."),
        "strategist": ("ship", "This is a bet against cloud-only AI: intelligence that lives "
                       "on devices, shares models peer-to-peer and never needs a central "
                       "server. Put it next to Tether's payment business and the second-order "
                       "play is agents that both think and transact locally. With more than "
                       "$27B in reserves, Tether can fund a long open-source effort, and the "
                       "grants program shows it intends to seed that ecosystem rather than "
                       "wait for it."),
        "buyer": ("skip", "The SDK is open source, so the revenue question is where the "
                  "money comes from. The grants program spends money to create demand; it "
                  "does not collect any. The likeliest path is payments: agents that "
                  "transact on Tether's rails. That is a plausible moat for Tether, but a "
                  "buyer evaluating QVAC for its own product gets no pricing, no support "
                  "terms and no commercial roadmap from this announcement."),
        "creative": ("ship", "Offline transcription in the field, captions that never leave "
                     "the phone, translation on a flight with no signal, reading a sign "
                     "with OCR in a place with no network: these are the things creators "
                     "and travellers actually ask for. One SDK that does all of them on the "
                     "device, without trusting a cloud with your recordings, opens up a "
                     "whole shelf of small, private, personal apps."),
    },
}


def write_take(workspace: Workspace, product: str, persona: str, verdict: str, quote: str, *,
               model: str = "claude-sonnet-4-5", take: int | None = None) -> Draft:
    """Save a generated take to history and make it the current draft, as a panel run does."""
    store = DraftStore(workspace)
    meta = DraftMeta(
        product=product, persona=persona, verdict=verdict,
        take=take or store.next_take_number(product, persona), model=model, backend="claude",
        generated_at=datetime(2025, 11, 20, 9, 30, tzinfo=UTC), fingerprint="sha256:test",
        generated_hash=content_hash(verdict, quote), reasons=["one", "two"],
        quality_gate=gate_version())  # stamped as this version writes a draft (findings: none)
    return store.save_generated(meta, quote)


def edit_draft(draft: Draft, *, quote: str | None = None, verdict: str | None = None) -> None:
    """Change a draft on disk the way an editor would: in the file, by hand."""
    text = draft.path.read_text(encoding="utf-8")
    head, fence, body = text.partition("\n---\n")  # the body: the approval keeps a copy above
    if verdict is not None:
        head = head.replace(f"\nverdict: {draft.meta.verdict}\n", f"\nverdict: {verdict}\n", 1)
    if quote is not None:
        body = body.replace(draft.quote, quote, 1)
    write_atomic(draft.path, head + fence + body)


def draft_panel(workspace: Workspace, product: str,
                takes: dict[str, tuple[str, str]] | None = None, **kwargs: str) -> None:
    for persona, (verdict, quote) in (takes or EXAMPLE_TAKES[product]).items():
        write_take(workspace, product, persona, verdict, quote, **kwargs)
