"""How a question names a chart's categories and series: the written forms of a name as printed on a chart
('Q1 '21' = 'first quarter of 2021', ''20' = 2020, '2019/20' = '2019/2020', 'Nov 4' = 'November 4', footnote stars,
parentheses, 'New Delhi, India' = 'New Delhi'), OCR slips, a word only one name has; and years as charts print them."""
from __future__ import annotations

import re

from .metrics import anls

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

_QUARTER = {"1": "first", "2": "second", "3": "third", "4": "fourth"}
_STOP = {"the", "of", "and", "in", "on", "for", "to", "a", "an", "by", "at", "or", "with", "from", "per", "as", "is",
         "was", "what", "which", "how", "did", "does", "many", "much", "were", "are", "be", "its", "their", "this",
         "that", "than", "other", "total", "number", "share", "value", "years", "year", "all"}


def short_year(two: str) -> str:
    """'21 -> 2021, '98 -> 1998 (a two-digit year as charts print it)."""
    return ("20" if int(two) <= 40 else "19") + two


MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december")


def variants(name: str, short_years: bool = False) -> list[str]:
    """The ways a question may write a category or series as printed on a chart: without footnote stars or a
    parenthesis, its first comma part, years in full ('20 -> 2020, 2019/20 -> 2019/2020), quarters in words
    (Q1 '21 -> first quarter of 2021), ranges with 'to'."""
    n = " ".join(str(name).replace("\u2019", "'").replace("`", "'").replace("\u2013", "-").split()).lower()
    out = [n]
    core = n.strip(" *\u2020")
    out.append(core)
    par = re.sub(r"\s*\([^)]*\)", "", core).strip()
    out.append(par)
    if "," in par and len(par.split(",")[0].strip()) >= 4:
        out.append(par.split(",")[0].strip())
    full = re.sub(r"(?<!\w)'(\d\d)\b|(?<=\w)'(\d\d)\b", lambda m: " " * (m.group(2) is not None)
                  + short_year(m.group(1) or m.group(2)), par)
    if short_years:  # the table's categories are years printed short ('19, 20: the apostrophe lost by OCR)
        full = re.sub(r"^(?:(q[1-4]|h[12])\s+)?(\d\d)$", lambda m: (m.group(1) + " " if m.group(1) else "")
                      + short_year(m.group(2)), full)
    m = re.fullmatch(r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2}|\d{4})", full)
    if m:  # 'Nov 4' = 'November 4', 'Jan 2020' = 'January 2020'
        out.append(f"{MONTH_NAMES[MONTHS.index(m.group(1))]} {m.group(2)}")
    full = re.sub(r"^(\d\d)/(\d\d)$", lambda m: f"{short_year(m.group(1))}/{m.group(2)}", full)  # 10/11 -> 2010/11
    full = re.sub(r"\b((?:19|20)(\d\d))\s*/\s*(\d\d)\b", lambda m: f"{m.group(1)}/{m.group(1)[:2]}{m.group(3)}", full)
    out.append(full)
    m = re.fullmatch(r"(\d{4})/(\d{4})", full)
    if m:
        out += [f"{m.group(1)}-{m.group(2)}", f"{m.group(1)}-{m.group(2)[2:]}", f"{m.group(1)}/{m.group(2)[2:]}"]
    m = re.fullmatch(r"q([1-4])\s*(\d{4})", full)
    if m:
        out += [f"{_QUARTER[m.group(1)]} quarter of {m.group(2)}", f"q{m.group(1)} of {m.group(2)}",
                f"{_QUARTER[m.group(1)]} quarter {m.group(2)}"]
    m = re.fullmatch(r"h([12])\s*(\d{4})", full)
    if m:
        out.append(f"{'first' if m.group(1) == '1' else 'second'} half of {m.group(2)}")
    if re.search(r"\d[\w%]*\s*-\s*[$€£]?\d", full):   # '2010-2015', '$60k-$75k'

        out.append(re.sub(r"(\d[\w%]*)\s*-\s*([$€£]?\d)", r"\1 to \2", full))
    seen, res = set(), []
    for v in out:
        v = v.strip()
        if v and v not in seen and (len(v) >= 2 or v.isdigit()):
            seen.add(v)
            res.append(v)
    return res


def _tokens(s: str) -> set[str]:
    return {w for w in re.findall(r"[a-z][a-z\-]{2,}|\d{3,}", s.lower()) if w not in _STOP}


def find_mentions(q: str, names: list[str]) -> list[tuple[int, int]]:
    """(position in question, index) for each name mentioned (see `mention_spans`)."""
    return [(p, i) for p, i, _ in mention_spans(q, names)]


def mention_spans(q: str, names: list[str]) -> list[tuple[int, int, int]]:
    """(position in question, index, length) for each name mentioned: a written form of the name (see `variants`) first;
    OCR slips (fuzzy) second; last, a word that only one name has ('Madrid' for 'Community of Madrid')."""
    short_years = sum(bool(re.fullmatch(r"(?:(?:q[1-4]|h[12])\s*)?'?\d\d\*?|(?:19|20)\d\d\*?", str(n).strip().lower()))
                      for n in names) >= max(2, 0.6 * len(names))
    out = []
    ql = q.lower().replace("\u2019", "'")
    for i, n in enumerate(names):
        for nl in variants(n, short_years):
            m = re.search(rf"(?<![\w.]){re.escape(nl)}(?![\w])", ql)
            if m:
                out.append((m.start(), i, len(nl)))
                break
    if not out:
        words = re.findall(r"[\w.\-]+", ql)
        for i, n in enumerate(names):
            nl = str(n).strip().lower()
            k = max(1, len(nl.split()))
            for j in range(len(words) - k + 1):
                cand = " ".join(words[j:j + k])
                if len(nl) >= 3 and anls(cand, nl) >= 0.75:
                    out.append((ql.find(cand), i, len(nl)))
                    break
    if not out and len(names) >= 2:
        toks = [_tokens(str(n)) for n in names]
        df: dict = {}
        for t in toks:
            for w in t:
                df[w] = df.get(w, 0) + 1
        qt = set(re.findall(r"[a-z][a-z\-]{2,}|\d{3,}", ql))
        for i, t in enumerate(toks):
            own = sorted((w for w in t & qt if df[w] == 1), key=ql.find)
            if own:
                out.append((ql.find(own[0]), i, len(own[0])))
    # drop mentions inside a longer mention ("Men" inside "Women")
    out.sort(key=lambda t: (-t[2], t[0]))
    kept: list = []
    for pos, i, ln in out:
        if any(p <= pos < p + l for p, _, l in kept):
            continue
        kept.append((pos, i, ln))
    return sorted(kept)


def year_of(c: str) -> int:
    m = re.search(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)", c)
    if m:
        return int(m.group(1))
    m = re.search(r"'(\d\d)\b|^(\d\d)\*?$", c.strip())  # '19, or 19 whose apostrophe OCR lost
    return int(short_year(m.group(1) or m.group(2))) if m else 0


def is_years(cs: list[str]) -> bool:
    return bool(cs) and all(year_of(str(c)) for c in cs)
