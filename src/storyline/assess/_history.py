"""Which lines of a story's timeline state the claim, and which are context.

The status history holds the lines that state the story's claim with a status: reported,
confirmed, denied, not confirmed, asserted by a named holder, or a stance. Context lines are
folded apart: the article's own "asserted" background (no holder, or the outlet itself), a
claim posed as a condition or a question ("If the reports are confirmed, …"), and a second
claim over a sentence already in the history.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from storyline import lang
from storyline.assess._labels import WORD, reporting_forms

ARTICLE = "the article"
# Statuses a line can state its claim with, in the order a story usually runs.
ARC = ("reported", "unconfirmed", "denied", "confirmed", "asserted",
       "proposed", "considered", "supported", "opposed")
_LEAD = "“”\"'‘’( \n\t"
# Fewest words a line needs beside its holder's name and its verb of saying to state anything
# ("Barrot said." states nothing; "Valdoria sent troops, Marek said." does).
MIN_SAID_WORDS = 2


def _says_nothing(text: str, holder: str, code: str) -> bool:
    name = {w.lower() for w in WORD.findall(holder)}
    forms = reporting_forms(code)
    rest = [w for w in WORD.findall(text) if w.lower() not in name and w.lower() not in forms]
    return len(rest) < MIN_SAID_WORDS


@lru_cache(maxsize=4)
def _openers(code: str) -> re.Pattern[str]:
    words = sorted(lang.words("context_openers", code), key=len, reverse=True)
    return re.compile(r"^(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)


def why_context(row: dict[str, Any], outlets: Iterable[str] = (), code: str = "en") -> str | None:
    """Why a timeline row is context, not a statement of the claim; None when it states it."""
    text = row["text"].strip()
    holder = row.get("holder") or ARTICLE
    own = holder == ARTICLE or holder in set(outlets)
    # a report of the article's own whose verb is no verb of saying ("… marks an escalation")
    # is its commentary; "reports that …" (said: True) states that the claim is reported
    if own and (row["status"] == "asserted" or row.get("said") is False):
        return "the article's own background, not a statement of the claim by anyone"
    if _says_nothing(text, holder, code):
        return "an attribution without what was said"
    if _openers(code).match(text.lstrip(_LEAD)):
        return "a condition or a question: it poses the claim, it does not state it"
    if text.rstrip(_LEAD).endswith("?"):
        return "a question: it poses the claim, it does not state it"
    return None


def fold(rows: list[dict[str, Any]], outlets: dict[str, set[str]]) -> None:
    """Mark each row ``context`` (bool) and ``context_reason`` in place; ``outlets`` maps a
    document ref to the names of its outlet and publisher. Of claims over one sentence (their
    spans overlap), the first in order states it and lists the others' holders of the same
    status in ``co_holders``; the others are context."""
    kept: list[dict[str, Any]] = []
    for r in rows:
        r.setdefault("co_holders", [])
        why = why_context(r, outlets.get(r["document"], set()))
        first = next((k for k in kept if k["document"] == r["document"]
                      and k["start"] < r["end"] and r["start"] < k["end"]), None)
        if why is None and first is not None:
            why = f"the same sentence as {first['claim']}"
            if first["status"] == r["status"] and r["holder"] not in (first["holder"],
                                                                        *first["co_holders"]):
                first["co_holders"].append(r["holder"])
        if why is None:
            kept.append(r)
        r["context"], r["context_reason"] = why is not None, why


# The statuses an arc follows, by the story's kind; an asserted line joins the arc only of a
# story no one checked or positioned on (its history is then assertions alone).
FAMILY = {"event": ("reported", "unconfirmed", "denied", "confirmed"),
          "proposal": ("proposed", "considered", "supported", "opposed")}
# Holders (and figures) named per arc step; the rest are counted ("+4 more"): the arc is one
# line an analyst reads at a glance, the history lists them all.
ARC_NAMES = 3


def arc(rows: list[dict[str, Any]], kind: str | None = None) -> list[dict[str, Any]]:
    """The status arc: each status of the story's kind once, where it first appears in the
    timeline, with every holder of that status and the figures they give (a later line of a
    status already in the arc adds its holders to that step: "reported → denied → reported"
    is still a story first reported, then denied)."""
    lines = [r for r in rows if not r.get("context")]
    family = FAMILY.get(kind or "", ())
    if family and any(r["status"] in family for r in lines):
        lines = [r for r in lines if r["status"] in family]
    steps: dict[str, dict[str, Any]] = {}
    for r in lines:
        step = steps.setdefault(r["status"], {"status": r["status"], "holders": [],
                                              "figures": [], "claims": []})
        for who in (r["holder"], *r.get("co_holders", [])):
            if who not in step["holders"]:
                step["holders"].append(who)
        step["claims"].append(r["claim"])
        for f in r.get("figures", []):
            if f["text"] not in step["figures"]:
                step["figures"].append(f["text"])
    return list(steps.values())


def _names(items: list[str]) -> list[str]:
    more = len(items) - ARC_NAMES
    return items[:ARC_NAMES] + ([f"+{more} more"] if more > 0 else [])


def arc_line(steps: list[dict[str, Any]]) -> str:
    """"reported (X, 1,500) → denied (Y) → confirmed (Z, >10,000)": one line, generated."""
    return " → ".join(f"{s['status']} ({', '.join(_names(s['holders']) + _names(s['figures']))})"
                      for s in steps)
