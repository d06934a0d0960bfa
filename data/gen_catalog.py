#!/usr/bin/env python3
"""Deterministic synthetic marketplace catalog with injected policy violations.

  python3 data/gen_catalog.py --records N [--seed S] [--merchants M]
      [--violation-rate R] [--evasion-rate E] [--shards K] [--broken]
      [--rules PACK_DIR] --out PATH [--truth PATH]

Writes one listing per line (JSON Lines). Python 3 standard library only;
the same arguments always give byte-identical output (one random.Random(seed),
no hash(), no set iteration order, no clock). A PATH ending in ".zst" is piped
through the `zstd` CLI (`zstd -q -3 -c`); byte identity of .zst output then also
assumes the same zstd version.

Records: item_id ("I00000123", about 1% plain integers), merchant_id (Zipf:
a few merchants own most listings), title, detail_html, price, original_price
(often absent, sometimes null), stock, min_order_qty, shipping_fee, category,
status. Field order varies a little; a few optional fields are absent or null
(original_price, stock, shipping_fee, min_order_qty, status, category,
detail_html; never item_id, merchant_id, title or price). About 2% of lines are
written with \\uXXXX escapes (ensure_ascii) so a scanner must decode JSON
strings; some detail_html holds \\n, \\t, ASCII quotes and U+2028.

Injections, drawn against the rule pack in --rules (default patterns/default):
  * violations (rate R, default 0.08 of records; ~15% of those get two): a
    phrase for a text rule in the title or detail_html, or numeric fields set
    for a `check` rule (original_price >= 10x price, min_order_qty >= 5,
    shipping_fee >= price and >= 20);
  * evasive spellings (rate E, default 0.02, independent of R) of the same
    phrases: fullwidth, spaces, symbols, tag (detail only), traditional,
    entity (detail only). A raw, non-normalizing scan must not see them.
Rules whose firing depends on the record, not on one phrase ("derived": a
pattern plus conditions, e.g. welfare wording AND stock == 0, or plus a check
such as text_price >= 3 * price) are injected by DERIVED_INJECT and judged on
the final record; word lists, exceptions, define/all_of/any_of/none_of and
stated prices are read as scanner/rules/rule_pack.h defines them (word-list
terms as written: Python does not normalize).
References (clause 3.4, rate --ref-rate, default 0.02, for a pack with a
reference rule, `extract: item_ref`): a welfare phrase naming an item id or
link ("福利款另拍：商品ID I00000123", "赠品链接 .../item/I00000123") to an
earlier listing that is off shelf, has stock 0 or is available (a negative),
or to an id no listing has ("NL…"). The truth lists the reference rule only
for the unavailable ones, as the scanner's whole-catalog join reports them.
Every injected record is evaluated against the pack with Python `re`
(re.ASCII, plus re.IGNORECASE for `caseless: true`; a {literal: x} is
re.escape(x)), which is how Hyperscan reads these patterns in UTF-8 mode
without HS_FLAG_UCP (\\s and \\b are ASCII), and the pack's must_match /
must_not_match examples are checked the same way at start-up. The generator
exits non-zero if a record's matched rule set differs from what was injected
(i.e. background text accidentally matched). Clean records get the same full
check with --verify full (the default up to 100000 records); --verify fast
checks every title, 1 in 64 clean records, and relies for the rest on the
detail text being built from start-up-verified sentences that end in
characters no pattern can match, joined by tags.

--broken adds 8 extra lines at fixed fractions of the file (after line 600
for 3000 records): 7 unreadable ones (truncated object, "not json", a JSON
array, no merchant_id, price "abc", trailing "}", a bare JSON string) and one
blank line. --broken sample replaces the array and the bare string, which are
valid JSON, with an array with a trailing comma and a raw TAB inside a string
(shared/checks/accept crashes on JSON lines that are not objects). It uses no
randomness: the records are the same without it.

Truth (--truth): JSONL in catalog order, one line per record with any
injection:
  {"item_id", "merchant_id", "rules": [sorted rule ids a raw scan must report],
   "evasive": [{"rule_id", "kind", "field", "text"}]}
and with --broken one line per deliberately broken or blank line:
  {"line": N, "file": basename, "quarantine": true|false, "reason_hint": ...}
(N = 1-based physical line in the decompressed file; the blank line has
"quarantine": false because it is skipped, not read).

--shards K: K files, PATH with "-0000i-of-0000K" inserted before the extension
(catalog.jsonl.zst -> catalog-00001-of-00003.jsonl.zst). Records are split
contiguously (shard i holds records [N*(i-1)/K, N*i/K)), so the shards
concatenated in name order equal the single-file output byte for byte.
"""

import argparse
import bisect
import json
import math
import os
import random
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_PACK = os.path.normpath(os.path.join(HERE, os.pardir, "patterns", "default"))


class Rng(random.Random):
    """random.Random with cheaper choice/randint (one random() call each; still deterministic)."""

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]

    def randint(self, a, b):
        return a + int(self.random() * (b - a + 1))


def die(msg):
    sys.stderr.write("gen_catalog: " + msg + "\n")
    sys.exit(2)


# --------------------------------------------------------------------------
# A tiny YAML reader for the rule pack's subset: block mappings and sequences,
# flow [..] and {..}, plain / 'single' / "double" quoted scalars, # comments.
# Cross-checked against PyYAML when that happens to be installed.
# --------------------------------------------------------------------------

def _strip_comment(line):
    out, q, i = [], None, 0
    while i < len(line):
        c = line[i]
        if q == "'":
            if c == "'":
                if line[i + 1:i + 2] == "'":
                    out.append("''")
                    i += 2
                    continue
                q = None
        elif q == '"':
            if c == "\\":
                out.append(line[i:i + 2])
                i += 2
                continue
            if c == '"':
                q = None
        else:
            if c in "'\"" and (i == 0 or line[i - 1] in " \t:[{,"):
                q = c
            elif c == "#" and (i == 0 or line[i - 1] in " \t"):
                break
        out.append(c)
        i += 1
    return "".join(out).rstrip()


def _scalar(s):
    s = s.strip()
    if s[:1] == "'":
        if not s.endswith("'") or len(s) < 2:
            raise ValueError("unterminated quote: " + s)
        return s[1:-1].replace("''", "'")
    if s[:1] == '"':
        return json.loads(s)
    if s in ("", "~", "null", "Null", "NULL"):
        return None
    if s in ("true", "True", "TRUE"):
        return True
    if s in ("false", "False", "FALSE"):
        return False
    if re.fullmatch(r"[-+]?[0-9]+", s):
        return int(s)
    if re.fullmatch(r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?", s):
        return float(s)
    return s


def _flow(s, i):
    """Parses a flow value starting at s[i]; returns (value, next index)."""
    while s[i] == " ":
        i += 1
    c = s[i]
    if c in "[{":
        close = "]" if c == "[" else "}"
        items, mapping = [], {}
        i += 1
        while True:
            while s[i] in " ,":
                i += 1
            if s[i] == close:
                return (items if c == "[" else mapping), i + 1
            if c == "[":
                v, i = _flow(s, i)
                items.append(v)
            else:
                k, i = _flow(s, i)
                while s[i] == " ":
                    i += 1
                if s[i] != ":":
                    raise ValueError("expected ':' in flow mapping: " + s)
                v, i = _flow(s, i + 1)
                mapping[k] = v
    if c in "'\"":
        j = i + 1
        while True:
            if s[j] == "\\" and c == '"':
                j += 2
                continue
            if s[j] == c:
                if c == "'" and s[j + 1:j + 2] == "'":
                    j += 2
                    continue
                break
            j += 1
        return _scalar(s[i:j + 1]), j + 1
    j = i
    while j < len(s) and s[j] not in ",]}" and not (s[j] == ":" and s[j + 1:j + 2] in (" ", "")):
        j += 1
    return _scalar(s[i:j]), j


def _value(s):
    s = s.strip()
    if s[:1] in "[{":
        v, j = _flow(s, 0)
        if s[j:].strip():
            raise ValueError("trailing text after flow value: " + s)
        return v
    return _scalar(s)


def _split_key(text):
    """'key: value' -> (key, value) or None if text is not a mapping entry."""
    if text[:1] in "'\"[{":
        return None
    m = re.match(r"([^:#\s][^:]*?)\s*:(\s+|$)", text)
    if not m:
        return None
    return m.group(1), text[m.end():]


def _block(lines, i, indent):
    if lines[i][1] == "-" or lines[i][1].startswith("- "):
        seq = []
        while i < len(lines) and lines[i][0] == indent and (lines[i][1] == "-" or lines[i][1].startswith("- ")):
            rest = lines[i][1][1:].strip()
            if not rest:
                v, i = _block(lines, i + 1, lines[i + 1][0])
            elif _split_key(rest):
                lines[i] = (indent + 2, rest)   # "- key: v" opens a mapping two columns in
                v, i = _block(lines, i, indent + 2)
            else:
                v, i = _value(rest), i + 1
            seq.append(v)
        return seq, i
    mapping = {}
    while i < len(lines) and lines[i][0] == indent and not lines[i][1].startswith("- "):
        kv = _split_key(lines[i][1])
        if kv is None:
            raise ValueError("cannot parse line: " + lines[i][1])
        key, rest = kv
        key = _scalar(key)
        if rest.strip():
            mapping[key], i = _value(rest), i + 1
        elif i + 1 < len(lines) and (lines[i + 1][0] > indent or
                                     (lines[i + 1][0] == indent and lines[i + 1][1].startswith("- "))):
            mapping[key], i = _block(lines, i + 1, lines[i + 1][0])
        else:
            mapping[key], i = None, i + 1
    return mapping, i


def parse_yaml(text):
    lines = []
    for raw in text.split("\n"):
        s = _strip_comment(raw.rstrip("\r"))
        if s.strip():
            lines.append((len(s) - len(s.lstrip(" ")), s.strip()))
    if not lines:
        return None
    v, i = _block(lines, 0, lines[0][0])
    if i != len(lines):
        raise ValueError("unparsed YAML from: " + lines[i][1])
    return v


# --------------------------------------------------------------------------
# The rule pack, as Python sees it.
# --------------------------------------------------------------------------

_CHECK_TOKENS = re.compile(r"\s*(?:([A-Za-z_][A-Za-z0-9_]*)|([0-9]+(?:\.[0-9]+)?)|(>=|<=|==|!=|>|<|\*|\+|-|/|\(|\)))")


def _stated_price(s, start, end):
    """Python twin of ReadStatedPrice (scanner/rules/text_price.h): the number
    inside s[start:end], else right after it past a few separators; None if none."""
    i = next((k for k in range(start, min(end, len(s))) if s[k].isdigit() and s[k].isascii()), None)
    if i is None:
        i = end
        for _ in range(4):
            for sep in (" ", ":", "\uff1a", "\u00a5", "\uffe5", "$", "rmb", "RMB"):
                if s.startswith(sep, i):
                    i += len(sep)
                    break
            else:
                break
        if not (i < len(s) and s[i].isascii() and s[i].isdigit()):
            return None
    v = 0.0
    while i < len(s):
        if s[i].isascii() and s[i].isdigit():
            v = v * 10 + int(s[i])
            i += 1
        elif (s[i] == "," and i + 3 < len(s) and all(c.isascii() and c.isdigit() for c in s[i + 1:i + 4])
              and not (i + 4 < len(s) and s[i + 4].isascii() and s[i + 4].isdigit())):
            i += 1
        else:
            break
    if i + 1 < len(s) and s[i] == "." and s[i + 1].isascii() and s[i + 1].isdigit():
        scale = 0.1
        i += 1
        while i < len(s) and s[i].isascii() and s[i].isdigit():
            v += int(s[i]) * scale
            scale /= 10
            i += 1
    while i < len(s) and s[i] == " ":
        i += 1
    if s.startswith("\u4e07", i):
        v *= 10000
    return v


def _compile_check(text, path, rid):
    pos, names = 0, []
    while pos < len(text.rstrip()):
        m = _CHECK_TOKENS.match(text, pos)
        if not m:
            die("%s: rule %s: cannot read check %r" % (path, rid, text))
        if m.group(1) and m.group(1) not in ("and", "or", "not"):
            if m.group(1) not in names:
                names.append(m.group(1))
        pos = m.end()
    return names, compile(text, "<check %s>" % rid, "eval")


def _eval_check(names, code, rec, text_price=None):
    env = {}
    for f in names:
        v = text_price if f == "text_price" else rec.get(f)
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            return False
        env[f] = v
    return bool(eval(code, {"__builtins__": {}}, env))


class Rule(object):
    """One rule as Python reads it. Word lists, exceptions, conditions and
    stated prices follow scanner/rules/rule_pack.h; Python matches the raw
    text (word-list terms as written)."""

    def __init__(self, d, path):
        self.id = d["id"]
        self.category = d.get("category")
        self.clause = d.get("clause")
        self.severity = d.get("severity")
        self.check = d.get("check")
        # A reference rule (extract: item_ref, clause 3.4) fires only through the
        # whole-catalog join: its hits name item ids (the trailing id run of the hit).
        self.ref = d.get("extract") == "item_ref"
        caseless = bool(d.get("caseless"))
        base = os.path.dirname(path)

        def compile_entries(entries, default_caseless):
            out = []   # (regex, name)
            for p in entries or []:
                if isinstance(p, dict) and "words" in p:
                    files = p["words"] if isinstance(p["words"], list) else [p["words"]]
                    for rx in _word_regexes(base, files, p.get("caseless", default_caseless)):
                        out.append((rx, p.get("name")))
                    continue
                if isinstance(p, dict):
                    src = re.escape(p["literal"]) if "literal" in p else p["regex"]
                    cl = p.get("caseless", default_caseless)
                    name = p.get("name")
                else:
                    src, cl, name = p, default_caseless, None
                out.append((re.compile(src, re.ASCII | (re.IGNORECASE if cl else 0)), name))
            return out

        pats = compile_entries(d.get("patterns"), caseless)
        if d.get("words"):
            files = d["words"] if isinstance(d["words"], list) else [d["words"]]
            for rx in _word_regexes(base, files, d.get("words_caseless", caseless)):
                pats.append((rx, None))
        self.regexes = [rx for rx, _ in pats]
        self.names = [n for _, n in pats]
        self.exceptions = [rx for rx, _ in compile_entries(d.get("exceptions"), caseless)]
        self.defined = []
        for name, v in (d.get("define") or {}).items():
            for rx, _ in compile_entries(v if isinstance(v, list) else [v], False):
                self.defined.append((rx, name))
        self.conditions = {k: list(d.get(k) or []) for k in ("all_of", "any_of", "none_of")}
        self.cond_checks = {}
        for k, items in self.conditions.items():
            for c in items:
                if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", c):
                    self.cond_checks[c] = _compile_check(c, path, self.id)
        self.must_match = list(d.get("must_match") or [])
        self.must_not_match = list(d.get("must_not_match") or [])
        self.check_fields, self.check_code = [], None
        if self.check:
            self.check_fields, self.check_code = _compile_check(self.check, path, self.id)
        # Derived: whether it fires depends on the record, not on one phrase.
        self.derived = bool(self.regexes) and (bool(self.check) or any(self.conditions.values()))
        # Cheap necessary condition: literal characters every match must contain.
        self.required = [_required_chars(rx) for rx in self.regexes]

    def hits(self, s):
        """[(start, end, pattern index)] of the evidence patterns in s, less those an
        exception covers."""
        out = []
        for k, (rx, req) in enumerate(zip(self.regexes, self.required)):
            if any(c not in s for c in req):
                continue
            for i in range(len(s)):
                m = rx.match(s, i)
                if m and m.end() > i:
                    out.append((i, m.end(), k))
        if out and self.exceptions:
            spans = []
            for ex in self.exceptions:
                for i in range(len(s)):
                    m = ex.match(s, i)
                    if m:
                        spans.append((i, m.end()))
            out = [h for h in out if not any(a <= h[0] and h[1] <= b for a, b in spans)]
        return out

    def text_match(self, s):
        if not self.exceptions:
            for rx, req in zip(self.regexes, self.required):
                for c in req:
                    if c not in s:
                        break
                else:
                    if rx.search(s):
                        return True
            return False
        return bool(self.hits(s))

    def check_match(self, rec):
        return _eval_check(self.check_fields, self.check_code, rec)

    def record_match(self, rec):
        """Whether the rule fires on the record (title and detail_html)."""
        strings = [rec.get(k) for k in ("title", "detail_html") if isinstance(rec.get(k), str)]
        if not self.regexes:
            return bool(self.check) and self.check_match(rec) and self._conditions(rec, strings)
        hits = [(s, h) for s in strings for h in self.hits(s)]
        if self.ref:
            hits = [(s, h) for s, h in hits if re.search(r"[A-Za-z0-9_-]$", s[h[0]:h[1]])]
        if not hits or not self._conditions(rec, strings):
            return False
        if not self.check:
            return True
        return any(_eval_check(self.check_fields, self.check_code, rec, _stated_price(s, h[0], h[1]))
                   for s, h in hits)

    def _uncovered(self, rx, s):
        """Whether rx matches s somewhere no exception covers (exceptions cancel
        condition patterns too)."""
        spans = [(m.start(), m.end()) for ex in self.exceptions for m in ex.finditer(s)] if self.exceptions else []
        for i in range(len(s)):
            m = rx.match(s, i)
            if m and m.end() > i and not any(a <= i and m.end() <= b for a, b in spans):
                return True
        return False

    def ref_ids(self, rec):
        """The item ids a reference rule's hits name in the record (empty unless its
        conditions hold)."""
        strings = [rec.get(k) for k in ("title", "detail_html") if isinstance(rec.get(k), str)]
        ids = []
        for s in strings:
            for st, en, k in self.hits(s):
                m = re.search(r"[A-Za-z0-9_-]+$", s[st:en])
                if m and m.group(0) not in ids:
                    ids.append(m.group(0))
        return ids if ids and self._conditions(rec, strings) else []

    def _conditions(self, rec, strings):
        if not any(self.conditions.values()):
            return True
        seen = set()
        for s in strings:
            for st, en, k in self.hits(s):
                if self.names[k]:
                    seen.add(self.names[k])
            for rx, name in self.defined:
                if name not in seen and self._uncovered(rx, s):
                    seen.add(name)

        def holds(c):
            if c in self.cond_checks:
                return _eval_check(self.cond_checks[c][0], self.cond_checks[c][1], rec)
            return c in seen
        c = self.conditions
        return (all(holds(x) for x in c["all_of"]) and (not c["any_of"] or any(holds(x) for x in c["any_of"]))
                and not any(holds(x) for x in c["none_of"]))


def _word_regexes(base, files, caseless):
    terms = []
    for f in files:
        with open(os.path.join(base, f), encoding="utf-8") as fh:
            for line in fh:
                t = line.strip(" \t\r\n")
                if t and not t.startswith("#") and t not in terms:
                    terms.append(t)
    flags = re.ASCII | (re.IGNORECASE if caseless else 0)
    return [re.compile(re.escape(t), flags) for t in terms]


def _required_chars(rx):
    """Non-ASCII literal characters that every match of rx must contain (may be empty)."""
    try:
        import re._parser as sp  # Python >= 3.11
    except ImportError:
        try:
            import sre_parse as sp
        except ImportError:
            return ""
    try:
        tree = sp.parse(rx.pattern, rx.flags)
    except Exception:
        return ""
    out = []

    def walk(seq):
        for op, av in seq:
            name = str(op)
            if name == "LITERAL" and av > 127:
                out.append(chr(av))
            elif name == "SUBPATTERN":
                walk(av[-1])
            elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[0] >= 1:
                walk(av[2])
    walk(tree)
    return "".join(sorted(set(out)))


class Pack(object):
    def __init__(self, pack_dir):
        if not os.path.isdir(pack_dir):
            die("rule pack %s is not a directory" % pack_dir)
        self.name, self.version, self.rules = None, None, []
        names = sorted(n for n in os.listdir(pack_dir)
                       if n.endswith((".yaml", ".yml")) and n != "policy.yaml")  # the penalty ladder
        if not names:
            die("no .yaml files in " + pack_dir)
        try:
            import yaml  # only to cross-check the hand parser, never required
        except ImportError:
            yaml = None
        for n in names:
            path = os.path.join(pack_dir, n)
            with open(path, encoding="utf-8") as f:
                text = f.read()
            try:
                doc = parse_yaml(text) or {}
            except (ValueError, IndexError) as e:
                die("%s: %s" % (path, e))
            if yaml is not None and yaml.safe_load(text) != doc:
                die("%s: the built-in YAML reader disagrees with PyYAML; fix parse_yaml" % path)
            if "name" in doc:
                self.name, self.version = doc["name"], doc.get("version")
            for d in doc.get("rules") or []:
                try:
                    self.rules.append(Rule(d, path))
                except re.error as e:
                    die("%s: rule %s: Python cannot compile a pattern: %s" % (path, d.get("id"), e))
        self.by_id = {r.id: r for r in self.rules}
        # Derived rules (a phrase plus conditions or a stated price) are judged on the
        # whole record; text_rules are those one phrase decides.
        self.ref_rules = [r for r in self.rules if r.ref]
        self.text_rules = [r for r in self.rules if r.regexes and not r.derived and not r.ref]
        self.derived_rules = [r for r in self.rules if r.derived and not r.ref]
        self.check_rules = [r for r in self.rules if r.check and not r.regexes]
        alts = []
        for r in self.text_rules + self.derived_rules + self.ref_rules:
            for rx in r.regexes:
                alts.append(("(?i:%s)" if rx.flags & re.IGNORECASE else "(?:%s)") % rx.pattern)
        self.any_rx = re.compile("|".join(alts) or "(?!)", re.ASCII)
        # The pack's own examples must agree with Python's reading of the patterns.
        for r in self.rules:
            for want, examples in ((True, r.must_match), (False, r.must_not_match)):
                for ex in examples:
                    recs = [ex] if isinstance(ex, dict) else [{"title": ex}, {"detail_html": ex}]
                    if any(r.record_match(x) for x in recs) != want:
                        die("rule %s: %s %r %s in Python" % (r.id, "must_match" if want else "must_not_match", ex,
                                                              "does not match" if want else "matches"))

    def text_rules_matching(self, s):
        return [r.id for r in self.text_rules if r.text_match(s)]

    def any_text_match(self, s):
        """A rule any of whose evidence matches s (derived rules included: background
        text never holds their phrases either)."""
        if len(s) < 256:              # short strings: one pass of the whole pack
            if not self.any_rx.search(s):
                return None
        for r in self.text_rules + self.derived_rules + self.ref_rules:
            if r.text_match(s):
                return r.id
        return None

    def record_rules(self, rec):
        """Sorted ids of every rule that fires on the record."""
        hit = []
        strings = [v for v in rec.values() if isinstance(v, str)]
        for r in self.rules:
            if r.ref:
                continue          # judged by the whole-catalog join (Gen.record)
            if r.derived:
                if r.record_match(rec):
                    hit.append(r.id)
            elif r.regexes and any(r.text_match(s) for s in strings):
                hit.append(r.id)
            elif r.check and not r.regexes and r.check_match(rec) and r.record_match(rec):
                hit.append(r.id)
        return sorted(hit)

    def derived_hits(self, rec):
        return sorted(r.id for r in self.derived_rules if r.record_match(rec))


# --------------------------------------------------------------------------
# Vocabulary. Nothing here may match a pattern of the pack (checked at start).
# --------------------------------------------------------------------------

def W(s):
    return s.split()


CATEGORIES = {
    "食品": dict(
        price=35, nouns=W("冰糖心苹果 赣南脐橙 五常大米 手工牛肉干 每日坚果礼盒 东北黑木耳 云南小粒咖啡 西湖龙井 柳州螺蛳粉 "
                         "麻辣小龙虾 即食燕麦片 黑芝麻丸 农家土蜂蜜 广式腊肠 紫薯饼干 山东烟台樱桃 海南金钻凤梨 内蒙古风干牛肉 "
                         "低脂鸡胸肉 红心猕猴桃 手剥山核桃 原味夏威夷果 黄桃罐头 桂圆干 红枣夹核桃 四川腊肉 老面馒头 酸辣粉"),
        specs=W("500g 5斤装 2.5kg 10袋装 礼盒装 净含量1kg 12罐/箱 250ml×24盒 3斤 一箱24包 200g×3袋 净重4.5斤"),
        adjs=W("新鲜 现摘 当季 脆甜多汁 香辣 低脂 无蔗糖 手工 原味 农家 产地直发 即食 散装 独立小包装 坏果包赔"),
        origin=W("云南 新疆 海南 四川 广西 山东 内蒙古 东北 浙江 福建"),
        lines=["口感{a}，{n}一口爆汁，老人小孩都爱吃。", "{n}采用真空包装，开袋即食，办公室追剧必备。",
               "保质期：12个月，请置于阴凉干燥处保存。", "果径约75-80mm，单果重约200g，个个饱满。",
               "产地{o}，当天采摘当天发货，冷链运输保证新鲜。", "配料表干净，不添加防腐剂和色素。",
               "收到后如有坏果请拍照联系客服，坏多少赔多少。", "每一颗{n}都经过人工挑选，大小均匀。"]),
    "服饰": dict(
        price=89, nouns=W("纯棉T恤 冰丝阔腿裤 双面羊绒大衣 水洗牛仔外套 法式碎花连衣裙 连帽卫衣 白鸭绒羽绒服 打底衫 直筒休闲裤 "
                         "针织开衫 运动袜 V领毛衣 衬衫 半身裙 西装外套 工装裤 POLO衫 真丝睡衣 棉麻阔腿裤 冲锋衣"),
        specs=W("S/M/L/XL XXL 均码 3件套 160/84A M码 L码 5双装 XL-4XL 两件套"),
        adjs=W("宽松 修身 加厚 加绒 透气 百搭 韩版 复古 显瘦 高腰 垂感 oversize 新款 春秋款 冬季 纯色 撞色"),
        origin=W("广州 杭州 常熟 虎门 宁波 青岛"),
        lines=["面料：95%棉 5%氨纶，亲肤透气不起球。", "{n}版型{a}，遮肉显瘦，微胖女生也能穿。",
               "尺码建议：身高160cm体重50kg建议M码。", "洗涤说明：建议手洗，水温不超过30度，不可漂白。",
               "模特身高172cm，体重52kg，穿M码。", "由于拍摄光线不同，实物颜色可能略有差异。",
               "做工精细，走线平整，细节处见品质。", "{a}设计，日常通勤约会都能穿。"]),
    "家居": dict(
        price=129, nouns=W("全棉四件套 记忆棉枕头 透明收纳箱 实木储物柜 乳胶床垫 遮光窗帘 实木餐桌 懒人沙发 不锈钢保温杯 "
                         "不粘锅具 香薰蜡烛 客厅地毯 桌面置物架 折叠晾衣架 陶瓷碗碟套装 竹纤维毛巾 清仓储物柜 鞋柜 衣帽架 夜灯"),
        specs=W("1.5m床 1.8m 60*40cm 3件套 大号 500ml 4件套 120×180cm 2个装 三层"),
        adjs=W("北欧风 简约 加厚 防滑 静音 可折叠 日式 ins风 大容量 免打孔 耐高温 实木 轻奢 家用"),
        origin=W("南通 佛山 义乌 金华 潮州 曹县"),
        lines=["安装简单，配有详细说明书，免费安装限一线城市。", "{n}选用环保材质，无异味，孕妇宝宝可放心使用。",
               "尺寸为人工测量，可能存在1-3cm误差。", "支持免费上门安装，具体请咨询客服。",
               "{a}外观，百搭各种家居风格。", "承重能力强，稳固不摇晃。",
               "包装采用加厚纸箱+泡沫护角，运输更安心。", "可放置于客厅、卧室、书房等多个空间。"]),
    "美妆": dict(
        price=99, nouns=W("保湿面霜 丝绒口红 烟酰胺精华液 氨基酸洗面奶 防晒霜 补水面膜 眼影盘 卸妆水 洗发水 身体乳 "
                         "粉底液 护手霜 睫毛膏 定妆喷雾 香水小样"),
        specs=W("30ml 50g 10片装 3.5g 500ml 100ml 15色 2支装 SPF50+"),
        adjs=W("补水 清爽 敏感肌可用 持久 哑光 温和 控油 提亮 不脱妆 淡香 滋润"),
        origin=W("上海 广州 日本 韩国 法国"),
        lines=["质地轻薄，上脸易推开，不油腻不闷痘。", "{n}适合所有肤质，敏感肌请先在耳后试用。",
               "保质期3年，开封后建议12个月内用完。", "官方正品，支持专柜验货。",
               "使用方法：洁面后取适量均匀涂抹于面部。", "{a}配方，四季都能用。",
               "包装更新中，新旧包装随机发出。", "孕妇及哺乳期请遵医嘱使用。"]),
    "数码": dict(
        price=79, nouns=W("蓝牙耳机 充电宝 手机壳 数据线 机械键盘 无线鼠标 显示器支架 智能手表 平板保护套 移动硬盘 "
                         "氮化镓充电器 读卡器 手机支架 游戏手柄 电脑包"),
        specs=W("20000mAh 1m 2TB 27\" Type-C USB3.0 65W 适用iPhone15 3米 104键 Wi-Fi6"),
        adjs=W("快充 降噪 超薄 磁吸 防摔 无线 静音 大容量 便携 金属 透明 RGB"),
        origin=W("深圳 东莞 惠州"),
        lines=["兼容主流手机型号，即插即用。", "{n}支持快充协议，充电更快更安全。",
               "赠送QQ音乐会员月卡一张，数量有限。", "数据线有1米、3米、10米长可选，下单请备注。",
               "全国联保一年，非人为损坏免费换新。", "产品通过3C认证，品质有保障。",
               "货号：{sku}，请认准官方标识。", "{a}设计，出差旅行随身携带。"]),
    "母婴": dict(
        price=69, nouns=W("纸尿裤 婴儿湿巾 玻璃奶瓶 儿童餐椅 婴儿推车 爬行垫 儿童牙刷 宝宝辅食碗 婴儿连体衣 安抚奶嘴 学步鞋"),
        specs=W("L码60片 80抽×10包 240ml 0-6个月 XL码 2只装 150cm×200cm"),
        adjs=W("超薄透气 食品级 防胀气 可折叠 无香 柔软 防漏 亲肤 轻便"),
        origin=W("日本 上海 杭州 福建"),
        lines=["食品级材质，宝宝入口更安心。", "{n}柔软亲肤，不伤宝宝娇嫩皮肤。",
               "请在成人监护下使用。", "新生儿可用，0-3岁宝宝适用。",
               "{a}，妈妈们的回购好物。", "独立包装，外出携带方便。"]),
    "运动": dict(
        price=59, nouns=W("瑜伽垫 计数跳绳 包胶哑铃 缓震跑步鞋 骑行手套 登山包 运动护膝 速干衣 弹力带 泳镜 羽毛球拍"),
        specs=W("10mm 2×5kg 40码 35L 42码 一对装 183×61cm"),
        adjs=W("防滑 轻量 专业 透气 耐磨 速干 回弹 防水"),
        origin=W("晋江 莆田 厦门 宁波"),
        lines=["{n}采用{a}材料，运动更舒适。", "适合健身房、居家、户外等多种场景。",
               "尺码偏小，建议拍大一码。", "专业运动员推荐款，性价比超高。"]),
    "宠物": dict(
        price=49, nouns=W("全价猫粮 成犬狗粮 豆腐猫砂 逗猫棒 宠物窝 牵引绳 冻干零食 猫抓板 宠物指甲剪"),
        specs=W("1.5kg 10kg 6L 2.5kg 3包装"),
        adjs=W("无谷 除臭 低敏 耐抓 可水洗 营养"),
        origin=W("山东 河北 上海"),
        lines=["{n}适合各年龄段猫咪，适口性好。", "主人回购率超高，毛孩子都爱吃。",
               "换粮请七日过渡，避免肠胃不适。", "结团快，低粉尘，可冲厕所。"]),
    "家电": dict(
        price=199, nouns=W("空气炸锅 电饭煲 负离子吹风机 扫地机器人 电热水壶 加湿器 破壁机 电动牙刷 挂烫机 小型洗衣机"),
        specs=W("5L 1.7L 2000W 4L 3档 220V"),
        adjs=W("智能 大容量 负离子 静音 家用 一键操作 可预约 迷你"),
        origin=W("顺德 中山 宁波 慈溪"),
        lines=["{n}一机多用，操作简单，老人也会用。", "整机保修一年，电机保修三年。",
               "额定电压220V，请勿在潮湿环境使用。", "包装内含：主机、说明书、保修卡。",
               "{a}设计，小户型也放得下。", "支持以旧换新，详情咨询客服。"]),
    "图书": dict(
        price=39, nouns=W("儿童绘本 考研英语词汇 中国历史故事 Python编程入门 经典小说套装 唐诗三百首 作文素材 漫画书"),
        specs=W("全10册 精装 第2版 全套6册 彩图注音版"),
        adjs=W("正版 全新 畅销 彩印 护眼纸"),
        origin=W("北京 上海 长沙"),
        lines=["正版图书，印刷清晰，纸张厚实。", "{n}适合3-12岁孩子阅读。",
               "书籍采用护眼纸张，长时间阅读不累眼。", "部分书籍为新旧封面随机发货。"]),
}
CATEGORY_NAMES = sorted(CATEGORIES)  # fixed order

BRANDS = W("良品工坊 山野农家 简系生活 小鹿优选 北纬好物 青木家居 云上茶舍 极客派 萌宝乐 运动派 喵星球 厨房达人 书香阁 "
           "悦享生活 初见 柚子家 橙心 南山 本味 森活 小米粒 大白熊 暖阳 拾光")
SELLING = W("包邮 顺丰发货 现货速发 官方正品 品质保证 7天无理由 买二送一 第2件半价 赠运费险 假一赔十 "
            "厂家直销 源头工厂 晚发必赔 48小时发货 支持定制 官方旗舰 热卖 爆款 回购率高")
# Hard negatives: the pack's must_not_match lists are added at start-up.
HARD_NEG = W("清仓储物柜 限时折扣 免费安装 微信支付 支持微信支付 新人专享价 新粉丝 加购物车 QQ音乐 货号123456789012 "
             "卖了30分钟就没了 10米长 季末折扣 一件包邮 件件精品 邮费险 包邮 免费试用 限时特惠 清仓价 每人限购2件 "
             "满199减20 加厚加绒 加大码 加湿器 新人礼包 V领 白色 蛋白粉 亏本 工厂直发 全场五折")
EMOJI = ["🔥", "✨", "🎁", "👍", "💯", "🌸", "🍎", "☕", "❤️", "⭐", "🚚", "😄"]
GENERIC_LINES = [
    "收到商品后如有任何问题请联系在线客服，我们会第一时间为您处理。",
    "支持7天无理由退换货，退回运费由买家承担。",
    "全国大部分地区包邮，新疆、西藏等偏远地区除外。",
    "温馨提示：由于显示器差异，图片与实物可能存在轻微色差，请以实物为准。",
    "下单后48小时内发货，节假日顺延。",
    "本店所有商品均为实物拍摄，请放心购买。",
    "满{m}元减{d}元，优惠券可叠加使用。",
    "每人限购{k}件，先到先得。",
    "第2件半价，多买多优惠。",
    "喜欢的亲可以先加购物车哦～",
    "关注店铺，新粉丝可领优惠券。",
    "支持微信支付、支付宝付款。",
    "新人专享价仅限首单使用。",
    "限时折扣进行中，欢迎选购。",
    "季末折扣，全场低至5折。",
    "件件精品，品质保障。",
    "一件包邮，放心购买。",
    "本店赠送运费险，退换无忧。",
    "卖了30分钟就没了，库存有限，喜欢的尽快下单。",
    "{b}品牌授权，假一赔十。",
    "商品编号：{sku}。",
    "发货地：{o}。",
]
HEADINGS = W("产品参数 商品详情 温馨提示 售后说明 使用方法 规格说明 品牌故事 买家秀")
IMG_HOST = "https://img.demo-cdn.cn/catalog/"
BREAKERS = "。！；？～"   # characters no pattern of the pack can match: they end every sentence

# --------------------------------------------------------------------------
# Violation phrases: (prefix, core, suffix); the evasive forms change the core.
# --------------------------------------------------------------------------

CN_NUM = W("一 两 三 五 十 十五 二十")
WX_PREFIX = W("shop tm mall hh good sale fresh home")


def _wx_id(rng):
    p = rng.choice(WX_PREFIX)
    return p + rng.choice(["_", "", "-"]) + str(rng.randint(100, 999999))


def _phone(rng):
    return "1" + rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9))


def _qq(rng):
    return str(rng.randint(1, 9)) + "".join(rng.choice("0123456789") for _ in range(rng.randint(5, 9)))


PHRASES = {
    "time_limit.sell_only_minutes": [
        lambda r: ("今晚", "只卖%d分钟" % r.choice([3, 5, 10, 15, 20, 30, 45, 60]), ""),
        lambda r: ("", "只卖半小时", ""),
        lambda r: ("直播间", "只卖%s分钟" % r.choice(CN_NUM), ""),
        lambda r: ("", "只卖 %d 分钟" % r.choice([5, 10, 30]), ""),
        lambda r: ("", "只卖%d个小时" % r.choice([1, 2, 3]), ""),
        lambda r: ("福利款", "仅限%d分钟" % r.choice([5, 10, 30]), ""),
        lambda r: ("", "只限%s分钟" % r.choice(W("五 十 二十")), "抢购"),
    ],
    "freebie.zero_price_gift": [
        lambda r: ("", "0米送", ""),
        lambda r: ("", "0元领", "取"),
        lambda r: ("", "零元抢", ""),
        lambda r: ("", "0元拿", ""),
        lambda r: ("", "0块抢", ""),
        lambda r: ("", "免费送", "一份"),
        lambda r: ("关注店铺", "免费领", "小样"),
        lambda r: ("", "0 元送", ""),
    ],
    "freebie.new_user_gift": [
        lambda r: ("", "新人送", "好礼"),
        lambda r: ("", "新粉每人一件", ""),
        lambda r: ("", "新粉&每人一件", ""),
        lambda r: ("", "不要钱请你吃", ""),
        lambda r: ("", "每人一件免费", ""),
        lambda r: ("", "新人领", "红包"),
        lambda r: ("", "新人免费", "试吃"),
    ],
    "clearance.loss_sale": [
        lambda r: ("", "亏本甩卖", ""),
        lambda r: ("老板", "亏本清仓", ""),
        lambda r: ("", "亏本处理", ""),
        lambda r: ("", "工厂倒闭", "最后三天"),
        lambda r: ("", "清仓甩卖", ""),
        lambda r: ("", "跳楼价", ""),
        lambda r: ("", "血亏清仓", ""),
        lambda r: ("", "亏本大甩卖", ""),
    ],
    "conditions.multi_piece_minimum": [
        lambda r: ("", "多件起购", ""),
        lambda r: ("", "%d件起拍" % r.choice([2, 3, 5, 10, 20]), ""),
        lambda r: ("", "%s件起购" % r.choice(W("两 三 五 十")), ""),
        lambda r: ("", "单拍不发", ""),
        lambda r: ("", "%d 件起发" % r.choice([2, 3, 6]), ""),
        lambda r: ("", "%d件起买" % r.choice([3, 4]), ""),
    ],
    "conditions.high_shipping_text": [
        lambda r: ("需", "另付邮费", ""),
        lambda r: ("", "高额邮费", ""),
        lambda r: ("单件", "另加邮费", ""),
    ],
    "private.add_wechat": [
        lambda r: ("", "加微信", " " + _wx_id(r)),
        lambda r: ("", "加我vx", ""),
        lambda r: ("", "微信号：" + _wx_id(r), ""),
        lambda r: ("", "VX:" + _wx_id(r), ""),
        lambda r: ("", "私聊", "优惠"),
        lambda r: ("详情看", "朋友圈", ""),
        lambda r: ("", "加V", "：" + _wx_id(r)),
        lambda r: ("", "加微信", _phone(r)),          # also a phone number: two rules at once
    ],
    "private.qq_number": [
        lambda r: ("", "QQ:" + _qq(r), ""),
        lambda r: ("", "qq号 " + _qq(r), ""),
        lambda r: ("售后", "QQ " + _qq(r), ""),
        lambda r: ("", "QQ：" + _qq(r), ""),
    ],
    "private.phone_number": [
        lambda r: ("电话", _phone(r), ""),
        lambda r: ("联系 ", _phone(r), " 下单"),
        lambda r: ("热线：", _phone(r), ""),
        lambda r: ("手机", _phone(r), ""),
    ],
}
CONTEXTS = ["{}", "{}，手慢无！", "温馨提示：{}。", "🔥{}🔥", "今日特惠：{}，数量有限。", "直播间福利：{}！", "【{}】"]

# --------------------------------------------------------------------------
# Evasions of a phrase core.
# --------------------------------------------------------------------------

S2T = dict(zip("卖钟亏费领块仓处厂闭价单发购额邮话号电楼钱请时两仅买抢个礼",
               "賣鐘虧費領塊倉處廠閉價單發購額郵話號電樓錢請時兩僅買搶個禮"))
SYMBOLS = [".", "*", "·", "-", "/", "~", "|", "_"]
TAGS = [("<b>", "</b>"), ("<i>", "</i>"), ("<span>", "</span>"), ("<em>", "</em>"),
        ('<font color="red">', "</font>"), ("<strong>", "</strong>")]
EVASION_KINDS = ["fullwidth", "spaces", "symbols", "tag", "traditional", "entity"]
DETAIL_ONLY = ("tag", "entity")


def is_han(c):
    return "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf"


def evade(core, kind, rng):
    """The core spelled to dodge a raw matcher, or None if this kind cannot apply."""
    if kind == "fullwidth":
        out = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in core)
    elif kind == "spaces":
        out = " ".join(c for c in core if c != " ")
    elif kind == "symbols":
        # Fillers only where a Han character is on one side: between two ASCII
        # characters ("2-3天", "QQ|5566") a symbol is real text, and the
        # normalizer deliberately keeps it.
        chars = [c for c in core if c != " "]
        s = rng.choice(SYMBOLS)
        gaps = [i for i in range(1, len(chars)) if is_han(chars[i - 1]) or is_han(chars[i])]
        if not gaps:
            return None
        chosen = set(gaps) if rng.random() < 0.5 else {rng.choice(gaps)}
        out = "".join((s if i in chosen else "") + c for i, c in enumerate(chars))
    elif kind == "tag":
        if len(core) < 2:
            return None
        i = rng.randint(1, len(core) - 1)
        j = min(len(core), i + rng.randint(1, 2))
        a, b = rng.choice(TAGS)
        out = core[:i] + a + core[i:j] + b + core[j:]
    elif kind == "traditional":
        out = "".join(S2T.get(c, c) for c in core)
    elif kind == "entity":
        idx = [i for i, c in enumerate(core) if ord(c) > 127] or [i for i, c in enumerate(core) if c.isdigit()]
        if not idx:
            return None
        i = rng.choice(idx)
        ent = ("&#%d;" % ord(core[i])) if rng.random() < 0.7 else ("&#x%X;" % ord(core[i]))
        out = core[:i] + ent + core[i + 1:]
    else:
        raise ValueError(kind)
    return out if out != core else None


# --------------------------------------------------------------------------
# Generator
# --------------------------------------------------------------------------

class Gen(object):
    def __init__(self, args, pack):
        self.a = args
        self.pack = pack
        self.rng = Rng(args.seed)
        r = self.rng
        self.stats = {"records": 0, "violating": 0, "evasive": 0, "by_rule": {}, "by_kind": {}}
        missing = [x.id for x in pack.text_rules if x.id not in PHRASES and not x.must_match]
        if missing:
            die("no injection phrases for text rule(s) %s (add to PHRASES or give must_match)" % ", ".join(missing))
        self.phrases = {}
        for rule in pack.text_rules:
            gens = list(PHRASES.get(rule.id, []))
            for ex in rule.must_match:        # the pack's own examples are injected too
                if isinstance(ex, str):
                    gens.append(lambda _r, ex=ex: ("", ex, ""))
            self.phrases[rule.id] = gens
        self.injectable = ([x.id for x in pack.text_rules] + [x.id for x in pack.check_rules if x.id in CHECK_INJECT]
                           + [x.id for x in pack.derived_rules if x.id in DERIVED_INJECT])
        for x in pack.derived_rules:
            if x.id not in DERIVED_INJECT:
                sys.stderr.write("gen_catalog: warning: no injector for rule %s; it is never injected\n" % x.id)
        for x in pack.check_rules:
            if x.id not in CHECK_INJECT:
                sys.stderr.write("gen_catalog: warning: no injector for check rule %s; it is never injected\n" % x.id)
        self.avail = {"off_shelf": [], "no_stock": [], "available": []}   # item ids by availability
        self.hard_neg = list(HARD_NEG)
        for x in pack.rules:
            if x.derived:
                continue          # their negatives hold the phrase without the condition
            self.hard_neg.extend(s for s in x.must_not_match if isinstance(s, str) and s not in self.hard_neg)
        for s in self.hard_neg:
            bad = pack.any_text_match(s)
            if bad:
                die("hard negative %r matches rule %s" % (s, bad))
        # Merchants: Zipf ranks mapped to shuffled ids, each with a home category.
        m = args.merchants
        ids = ["M%06d" % (i + 1) for i in range(m)]
        r.shuffle(ids)
        self.merchant_ids = ids
        self.merchant_cat = [r.choice(CATEGORY_NAMES) for _ in range(m)]
        acc, self.zipf_cw = 0.0, []
        for k in range(1, m + 1):
            acc += 1.0 / (k ** 1.1)
            self.zipf_cw.append(acc)
        # Sentence pools per category, every sentence verified clean and ending in a breaker.
        self.pool = {}
        for c in CATEGORY_NAMES:
            cv = CATEGORIES[c]
            sents = []
            for _ in range(400):
                t = r.choice(cv["lines"] if r.random() < 0.55 else GENERIC_LINES)
                s = t.format(n=r.choice(cv["nouns"]), a=r.choice(cv["adjs"]), o=r.choice(cv["origin"]),
                             b=r.choice(BRANDS), sku=self._sku(), m=r.choice([99, 199, 299, 399]),
                             d=r.choice([10, 20, 30, 50]), k=r.choice([2, 3, 5]))
                self._assert_clean(s, "sentence")
                if s[-1] not in BREAKERS:
                    die("sentence does not end in a breaker: " + s)
                sents.append(s)
            self.pool[c] = sents
        for s in (CATEGORIES[c][k] for c in CATEGORY_NAMES for k in ("nouns", "specs", "adjs")):
            for w in s:
                self._assert_clean(w, "word")
        for w in BRANDS + SELLING + EMOJI + HEADINGS + CATEGORY_NAMES + ["on_sale", "off_shelf"]:
            self._assert_clean(w, "word")

    def _assert_clean(self, s, what):
        bad = self.pack.any_text_match(s)
        if bad:
            die("background %s %r matches rule %s" % (what, s, bad))

    def _sku(self):
        r = self.rng
        return r.choice(["69", "88", "20"]) + "".join(r.choice("0123456789") for _ in range(r.choice([10, 11])))

    # ---- record pieces ----

    def _price(self, cat):
        r = self.rng
        v = math.exp(r.gauss(math.log(CATEGORIES[cat]["price"]), 0.7))
        v = min(max(v, 1.0), 9999.0)
        cents = r.choice([0, 90, 99, 50, 80, 0, 0])
        return round(int(v) + cents / 100.0, 2) if int(v) >= 1 else 1.0

    def _title(self, cat, hard_neg):
        r = self.rng
        cv = CATEGORIES[cat]
        parts = []
        if r.random() < 0.5:
            parts.append("【%s】" % r.choice(BRANDS))
        elif r.random() < 0.3:
            parts.append(r.choice(BRANDS))
        parts.append("".join(r.sample(cv["adjs"], r.randint(1, 2))) + r.choice(cv["nouns"]))
        if r.random() < 0.8:
            parts.append(r.choice(cv["specs"]))
        for _ in range(r.randint(0, 2)):
            parts.append(r.choice(SELLING))
        if hard_neg is not None:
            parts.insert(r.randint(1, len(parts)), hard_neg)
        if r.random() < 0.15:
            parts.append(r.choice(EMOJI))
        sep = " " if r.random() < 0.6 else ""
        # A short hard negative can form a violation with its neighbour ("最" + "静音"),
        # also across the spaces normalization removes: then the title goes without it.
        if hard_neg is not None and self.pack.any_text_match("".join(parts)):
            parts.remove(hard_neg)
        return sep.join(parts)

    def _detail(self, cat, hard_neg):
        r = self.rng
        cv = CATEGORIES[cat]
        pool = self.pool[cat]
        target = min(max(int(math.exp(r.gauss(6.2, 0.8))), 100), 8000)
        nl = "\n" if r.random() < 0.3 else ""
        blocks, size = [], 0
        if r.random() < 0.4:
            blocks.append("<p><b>%s</b></p>" % r.choice(HEADINGS))
        while size < target:
            x = r.random()
            if x < 0.45:
                n = r.randint(1, 4)
                sep = "<br>" if r.random() < 0.3 else ""
                b = "<p>" + sep.join(r.choice(pool) for _ in range(n)) + "</p>"
            elif x < 0.65:
                b = '<img src="%s%012x.jpg"%s>' % (IMG_HOST, r.getrandbits(48),
                                                    ' alt="%s"' % r.choice(cv["nouns"]) if r.random() < 0.5 else "")
            elif x < 0.8:
                items = ["规格：" + r.choice(cv["specs"]), "产地：" + r.choice(cv["origin"]),
                         "品牌：" + r.choice(BRANDS), "适用：" + r.choice(cv["nouns"])]
                r.shuffle(items)
                b = "<ul>" + "".join("<li>%s</li>" % i for i in items[:r.randint(2, 4)]) + "</ul>"
            elif x < 0.88:
                b = "<p>%s&nbsp;%s&nbsp;&amp;&nbsp;%s</p>" % (r.choice(BRANDS), r.choice(cv["nouns"]), r.choice(cv["specs"]))
            elif x < 0.94:
                b = "<p><b>%s</b>%s</p>" % (r.choice(HEADINGS), r.choice(pool))
            else:
                b = "<br>"
            blocks.append(b)
            size += len(b.encode("utf-8")) if x >= 0.45 else len(b) * 3
        if hard_neg is not None:
            blocks.insert(r.randint(0, len(blocks)), "<p>%s</p>" % hard_neg)
        if r.random() < 0.02:
            blocks.insert(r.randint(0, len(blocks)), "<p>规格\t参数\t见图</p>")
        if r.random() < 0.005:
            blocks.insert(r.randint(0, len(blocks)), "<p>请认准\u2028官方店铺。</p>")
        return nl.join(blocks)

    def _inject_text(self, rec, field, text):
        r = self.rng
        if field == "title":
            if text.startswith("【") or r.random() < 0.5:
                rec["title"] = text + " " + rec["title"]
            else:
                rec["title"] = rec["title"] + " " + text
        else:
            d = rec["detail_html"]
            cuts = [0] + [m.end() for m in re.finditer(r"</p>|</ul>|<br>|>\n", d)] + [len(d)]
            at = r.choice(cuts)
            wrap = r.choice(["<p>%s</p>", "<p><b>%s</b></p>", '<p><span style="color:red">%s</span></p>', "%s<br>"])
            rec["detail_html"] = d[:at] + (wrap % text) + d[at:]

    def _phrase(self, rule_id):
        r = self.rng
        return r.choice(self.phrases[rule_id])(r)

    def record(self, idx):
        r = self.rng
        a = self.a
        mrank = bisect.bisect_left(self.zipf_cw, r.random() * self.zipf_cw[-1])
        mrank = min(mrank, len(self.zipf_cw) - 1)
        cat = self.merchant_cat[mrank] if r.random() < 0.85 else r.choice(CATEGORY_NAMES)
        hn_title = r.choice(self.hard_neg) if r.random() < 0.1 else None
        hn_detail = r.choice(self.hard_neg) if r.random() < 0.15 else None
        price = self._price(cat)
        rec = {
            "item_id": ("I%08d" % (idx + 1)) if r.random() >= 0.01 else idx + 1,
            "merchant_id": self.merchant_ids[mrank],
            "title": self._title(cat, hn_title),
            "detail_html": self._detail(cat, hn_detail),
            "price": price,
            "original_price": round(price * r.uniform(1.05, 2.9), 2),
            "stock": r.randint(0, 5000) if r.random() < 0.9 else r.randint(0, 20),
            "min_order_qty": 1 if r.random() < 0.9 else 2,
            "shipping_fee": 0 if r.random() < 0.7 else r.choice([5, 6, 8, 10, 12, 5.5]),
            "category": cat,
            "status": "on_sale" if r.random() < 0.93 else "off_shelf",
        }
        # Violations and evasions.
        inject, evasive, expected = [], [], []
        if r.random() < a.violation_rate:
            inject.append(r.choice(self.injectable))
            if r.random() < 0.15:
                other = r.choice(self.injectable)
                if other != inject[0]:
                    inject.append(other)
        # The shipping injection may lower the price, so it goes before the others.
        for rid in sorted(inject, key=lambda x: x != "conditions.high_shipping_fee"):
            if rid in CHECK_INJECT:
                CHECK_INJECT[rid](rec, r, self.pack.by_id[rid])
                expected.append(rid)
            elif rid in DERIVED_INJECT:
                text = DERIVED_INJECT[rid](rec, r)
                expected.extend(self.pack.text_rules_matching(text))
                expected.append(rid)
                field = "title" if r.random() < 0.4 else "detail_html"
                self._inject_text(rec, field, r.choice(CONTEXTS).format(text) if field == "detail_html" else text)
            else:
                pre, core, post = self._phrase(rid)
                text = pre + core + post
                got = self.pack.text_rules_matching(text)
                if rid not in got:
                    die("phrase %r for %s does not match it" % (text, rid))
                expected.extend(got)
                field = "title" if r.random() < 0.4 else "detail_html"
                self._inject_text(rec, field, r.choice(CONTEXTS).format(text) if field == "detail_html" else text)
        ref = self._inject_reference(rec) if self.pack.ref_rules and r.random() < a.ref_rate else None
        if r.random() < a.evasion_rate:
            ev = self._evasive()
            if ev is not None:
                self._inject_text(rec, ev["field"], ev["text"])
                evasive.append(ev)
        # Shape noise: absent / null optional fields, integer prices, field order.
        x = r.random()
        if "clearance.inflated_original_price" in inject:
            pass
        elif x < 0.22:
            del rec["original_price"]
        elif x < 0.25:
            rec["original_price"] = None
        x = r.random()
        if x < 0.01:
            rec["stock"] = None
        elif x < 0.02:
            del rec["status"]
        elif x < 0.025:
            del rec["category"]
        elif x < 0.03 and not evasive and not inject and ref is None:
            rec["detail_html"] = None if r.random() < 0.5 else ""
        elif x < 0.035 and "conditions.min_order_qty" not in inject:
            del rec["min_order_qty"]
        elif x < 0.04 and "conditions.high_shipping_fee" not in inject:
            del rec["shipping_fee"]
        if r.random() < 0.02 and rec["price"] == int(rec["price"]):
            rec["price"] = int(rec["price"])
        if r.random() < 0.08:
            keys = list(rec)
            i, j = r.randrange(len(keys)), r.randrange(len(keys))
            keys[i], keys[j] = keys[j], keys[i]
            rec = {k: rec[k] for k in keys}
        # The record must match exactly what was injected, nothing else. Whether a
        # derived rule fires depends on the final record (a welfare phrase with
        # stock 0, a stated price against the price): the Python reading decides.
        derived = self.pack.derived_hits(rec)
        derived_ids = set(x.id for x in self.pack.derived_rules)
        want = sorted((set(expected) - derived_ids) | set(derived))
        if inject or evasive or ref is not None:
            got = self.pack.record_rules(rec)
            if got != want:
                die("record %d: matched rules %s, injected %s (background or evasion text matched?)\n%s"
                    % (idx + 1, got, want, json.dumps(rec, ensure_ascii=False)))
        elif a.verify == "full" or idx % 64 == 0:
            got = self.pack.record_rules(rec)
            if got:
                die("clean record %d matches %s:\n%s" % (idx + 1, got, json.dumps(rec, ensure_ascii=False)))
        else:
            # Detail text is built from verified sentences that end in breakers and from tags,
            # so only the freely composed title needs a look (plus the 1-in-64 full check above).
            bad = self.pack.any_text_match(rec["title"])
            if bad:
                die("clean record %d: title %r matches %s" % (idx + 1, rec["title"], bad))
        if ref is not None:
            rule, target, kind = ref
            ids = rule.ref_ids(rec)
            if ids != [target]:
                die("record %d: reference to %s reads as %s in Python\n%s"
                    % (idx + 1, target, ids, json.dumps(rec, ensure_ascii=False)))
            if kind != "available":
                want = sorted(set(want) | {rule.id})
        self._note_availability(rec)
        truth = None
        if inject or evasive or ref is not None:
            rules = want
            truth = {"item_id": rec["item_id"], "merchant_id": rec["merchant_id"], "rules": rules, "evasive": evasive}
            st = self.stats
            if rules:
                st["violating"] += 1
            for x in rules:
                st["by_rule"][x] = st["by_rule"].get(x, 0) + 1
            for e in evasive:
                st["evasive"] += 1
                st["by_kind"][e["kind"]] = st["by_kind"].get(e["kind"], 0) + 1
        self.stats["records"] += 1
        line = json.dumps(rec, ensure_ascii=(r.random() < 0.02))
        return line, truth

    # ---- clause 3.4: references to other listings, judged against the catalog ----

    REF_PHRASES = ["福利款另拍：商品ID {}", "赠品链接 https://shop.example.com/item/{}", "福利商品ID {}",
                   "宠粉福利款见 https://shop.example.com/item.htm?id={}", "今日福利：商品ID：{}", "赠品请拍 item?id={}"]

    def _inject_reference(self, rec):
        """Writes a welfare reference into the record: to an earlier listing that is
        off shelf, without stock or available (a negative), or to an id no listing
        has. Returns (rule, target id, kind) or None when no target of the drawn
        kind exists yet."""
        r = self.rng
        kind = r.choice(["missing", "off_shelf", "no_stock", "available", "available"])
        if kind == "missing":
            target = "NL%06d" % r.randint(0, 999999)   # never an item id here
        else:
            pool = self.avail[kind]
            if not pool:
                return None
            target = r.choice(pool)
        rule = self.pack.ref_rules[0]
        text = r.choice(self.REF_PHRASES).format(target)
        field = "title" if r.random() < 0.3 else "detail_html"
        self._inject_text(rec, field, text)
        return rule, target, kind

    def _note_availability(self, rec):
        """Remembers the record's availability as the scanner reads it (status
        absent: on shelf; stock null or absent: unknown, so available)."""
        iid = str(rec["item_id"])
        if rec.get("status") in ("off_shelf", "offline", "deleted", "inactive", "sold_out"):
            kind = "off_shelf"
        elif rec.get("stock") is not None and rec["stock"] <= 0:
            kind = "no_stock"
        else:
            kind = "available"
        pool = self.avail[kind]
        if len(pool) >= 200:
            pool[self.rng.randrange(len(pool))] = iid
        else:
            pool.append(iid)

    def _evasive(self):
        r = self.rng
        for _ in range(40):
            rid = r.choice([x.id for x in self.pack.text_rules])
            gens = PHRASES.get(rid)
            if not gens:
                continue
            pre, core, post = r.choice(gens)(r)
            field = "title" if r.random() < 0.35 else "detail_html"
            kinds = [k for k in EVASION_KINDS if field == "detail_html" or k not in DETAIL_ONLY]
            kind = r.choice(kinds)
            ev = evade(core, kind, r)
            if ev is None:
                continue
            text = pre + ev + post
            if self.pack.any_text_match(text):
                continue              # this spelling is still caught raw: not an evasion
            return {"rule_id": rid, "kind": kind, "field": field, "text": text}
        return None

    # ---- deliberately broken lines (--broken) ----

    def broken_lines(self, n, which):
        """[(before_record_index, line_text, quarantine, reason_hint)] at fixed fractions of n.

        which="sample" swaps the two lines that are valid JSON but not objects (an array, a
        bare string) for invalid JSON: shared/checks/accept json-loads every line of
        data/sample*.jsonl* and calls .get() on whatever parses, so it crashes on those.

        Uses no randomness, so the records are the same with and without --broken. The
        broken records carry violation text: a scanner must not report them."""
        good = {"item_id": "B0000001", "merchant_id": self.merchant_ids[0], "title": "今晚只卖30分钟 纯棉T恤",
                "detail_html": "<p>亏本甩卖，加微信 shop_8888</p>", "price": 19.9, "stock": 10,
                "min_order_qty": 1, "shipping_fee": 0, "category": "服饰", "status": "on_sale"}

        def rec(item, **kw):
            d = dict(good, item_id=item)
            d.update(kw)
            return d
        full = json.dumps(rec("B0000001"), ensure_ascii=False)
        no_mid = rec("B0000004")
        del no_mid["merchant_id"]
        specs = [
            (0.21, full[:len(full) * 3 // 5], True, "truncated JSON object"),
            (0.29, "not json", True, "not JSON"),
            (0.37, "[" + json.dumps(rec("B0000003"), ensure_ascii=False) + "]", True, "JSON array, not an object")
            if which == "all" else
            (0.37, "[" + json.dumps(rec("B0000003"), ensure_ascii=False) + ",]", True, "JSON array with a trailing comma"),
            (0.44, "", False, "blank line: skipped, not read or quarantined"),
            (0.52, json.dumps(no_mid, ensure_ascii=False), True, "missing merchant_id"),
            (0.61, json.dumps(rec("B0000005", price="abc"), ensure_ascii=False), True, "price is a string"),
            (0.73, json.dumps(rec("B0000006"), ensure_ascii=False) + " }", True, "trailing characters after the object"),
            (0.88, '"just a string"', True, "JSON string, not an object")
            if which == "all" else
            (0.88, json.dumps(rec("B0000007", title="今晚只卖30分钟\t纯棉T恤"), ensure_ascii=False).replace("\\t", "\t"), True,
             "raw control character (TAB) inside a string"),
        ]
        return [(int(f * n), text, q, hint) for f, text, q, hint in specs]


def _inflate_original(rec, r, rule):
    p = rec["price"]
    if r.random() < 0.15:
        o = round(p * 10, 2)                      # the boundary: exactly ten times
    else:
        o = round(p * r.choice([10.5, 12, 15, 20, 30, 50]), 2)
    while not rule.check_match(dict(rec, original_price=o)):
        o = round(o + 0.01, 2)
    rec["original_price"] = o


def _min_qty(rec, r, rule):
    rec["min_order_qty"] = r.choice([5, 5, 6, 10, 12, 20, 50])


def _high_shipping(rec, r, rule):
    if rec["price"] > 60:
        rec["price"] = round(r.uniform(9.9, 39.9), 1)
        if rec.get("original_price") is not None:     # keep it clean; an inflation is applied after
            rec["original_price"] = round(rec["price"] * r.uniform(1.05, 2.9), 2)
    fee = max(20.0, rec["price"]) + r.choice([0, 0, 5, 10.5, 30])
    rec["shipping_fee"] = round(fee, 2)
    if not rule.check_match(rec):
        die("shipping injection failed: %r" % rec)


def _stated_original(rec, r):
    """Text stating an original price at least 3 times the record's price."""
    v = int(math.ceil(rec["price"] * r.choice([3, 4, 5, 8, 10, 20]))) + r.choice([0, 0, 1, 50])
    word = r.choice(["原价", "专柜价", "吊牌价", "市场价"])
    num = "{:,}".format(v) if v >= 1000 and r.random() < 0.3 else str(v)
    return r.choice(["%s¥%s", "%s %s元", "%s:%s", "%s：%s", "%s%s元"]) % (word, num)


def _welfare_no_stock(rec, r):
    rec["stock"] = 0
    return r.choice(["福利款", "福利价", "福利品", "福利商品"]) + r.choice(["", "限量", "上新"])


# Rules a phrase alone does not decide: the injector returns the text and sets fields.
DERIVED_INJECT = {
    "clearance.stated_original_price": _stated_original,
    "conditions.welfare_no_stock": _welfare_no_stock,
}

CHECK_INJECT = {
    "clearance.inflated_original_price": _inflate_original,
    "conditions.min_order_qty": _min_qty,
    "conditions.high_shipping_fee": _high_shipping,
}


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------

class Sink(object):
    """One output file; zstd-compressed through the CLI when the name ends in .zst."""

    def __init__(self, path):
        self.path = path
        self.buf, self.size, self.lines = [], 0, 0
        self.f = open(path, "wb")
        self.proc = None
        if path.endswith(".zst"):
            self.proc = subprocess.Popen(["zstd", "-q", "-3", "-c"], stdin=subprocess.PIPE, stdout=self.f)
            self.out = self.proc.stdin
        else:
            self.out = self.f
        self.raw_bytes = 0

    def add(self, line):
        self.buf.append(line)
        self.size += len(line)
        self.lines += 1
        if self.size > (4 << 20):
            self.flush()

    def flush(self):
        if self.buf:
            data = ("\n".join(self.buf) + "\n").encode("utf-8")
            self.raw_bytes += len(data)
            self.out.write(data)
            self.buf, self.size = [], 0

    def close(self):
        self.flush()
        if self.proc:
            self.proc.stdin.close()
            if self.proc.wait() != 0:
                die("zstd failed writing " + self.path)
        self.f.close()


def shard_name(path, i, k):
    d, base = os.path.split(path)
    for ext in (".jsonl.zst", ".json.zst", ".jsonl", ".json", ".zst"):
        if base.endswith(ext) and len(base) > len(ext):
            stem, e = base[:-len(ext)], ext
            break
    else:
        stem, e = os.path.splitext(base)
    return os.path.join(d, "%s-%05d-of-%05d%s" % (stem, i, k, e))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 epilog="See the module docstring (head -60 data/gen_catalog.py) for the formats.")
    ap.add_argument("--records", type=int, required=True, help="readable records to write")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--merchants", type=int, default=None, help="default: records/40, at least 10")
    ap.add_argument("--violation-rate", type=float, default=0.08, help="share of records with a violation")
    ap.add_argument("--ref-rate", type=float, default=0.02,
                    help="share of records advertising a welfare item by id or link (clause 3.4)")
    ap.add_argument("--evasion-rate", type=float, default=0.02,
                    help="share of records with an evasive spelling")
    ap.add_argument("--shards", type=int, default=1, help="split into K files (contiguous records)")
    ap.add_argument("--broken", nargs="?", const="all", choices=["all", "sample"],
                    help="add 7 deliberately broken lines and one blank line; 'sample' avoids lines that are "
                         "valid JSON but not objects (shared/checks/accept cannot read those)")
    ap.add_argument("--rules", default=DEFAULT_PACK, help="rule pack directory (default: %(default)s)")
    ap.add_argument("--verify", choices=["full", "fast"], default=None,
                    help="full: run the whole pack over every record; fast: full check of injected records, "
                         "1 in 64 clean ones and every title (default: full up to 100000 records)")
    ap.add_argument("--out", required=True, help="catalog path; .zst compresses with the zstd CLI")
    ap.add_argument("--truth", help="write the truth JSONL here")
    ap.add_argument("--quiet", action="store_true", help="no summary on stderr")
    a = ap.parse_args(argv)
    if a.records < 0 or a.shards < 1 or a.shards > 99999:
        die("bad --records or --shards")
    if a.merchants is None:
        a.merchants = max(10, a.records // 40)
    if a.merchants < 1:
        die("--merchants must be >= 1")
    if a.verify is None:
        a.verify = "full" if a.records <= 100000 else "fast"
    for p in (a.out, a.truth):
        if p and os.path.dirname(p):
            os.makedirs(os.path.dirname(p), exist_ok=True)
    t0 = time.time()
    pack = Pack(a.rules)
    g = Gen(a, pack)
    broken = g.broken_lines(a.records, a.broken) if a.broken else []
    bi = 0
    paths = [a.out] if a.shards == 1 else [shard_name(a.out, i + 1, a.shards) for i in range(a.shards)]
    truth_f = open(a.truth, "w", encoding="utf-8", newline="\n") if a.truth else None
    truth_buf = []
    total_raw = 0
    for s, path in enumerate(paths):
        lo, hi = a.records * s // a.shards, a.records * (s + 1) // a.shards
        sink = Sink(path)
        for idx in range(lo, hi + (1 if s == len(paths) - 1 else 0)):
            while bi < len(broken) and broken[bi][0] == idx:
                _, text, q, hint = broken[bi]
                sink.add(text)
                if truth_f:
                    truth_buf.append(json.dumps({"line": sink.lines, "file": os.path.basename(path), "quarantine": q,
                                                 "reason_hint": hint}, ensure_ascii=False))
                bi += 1
            if idx == hi:
                break
            line, truth = g.record(idx)
            sink.add(line)
            if truth_f and truth is not None:
                truth_buf.append(json.dumps(truth, ensure_ascii=False))
            if truth_f and len(truth_buf) > 20000:
                truth_f.write("\n".join(truth_buf) + "\n")
                truth_buf = []
        sink.close()
        total_raw += sink.raw_bytes
    if truth_f:
        if truth_buf:
            truth_f.write("\n".join(truth_buf) + "\n")
        truth_f.close()
    dt = time.time() - t0
    if not a.quiet:
        st = g.stats
        sys.stderr.write("gen_catalog: %d records, %d violating, %d evasive, %d broken/blank lines, %.1f MB JSONL "
                         "in %.1fs (%.1f MB/s) -> %s\n" % (st["records"], st["violating"], st["evasive"], len(broken),
                                                           total_raw / 1e6, dt, total_raw / 1e6 / max(dt, 1e-9),
                                                           ", ".join(paths) if len(paths) <= 3 else
                                                           "%s ... (%d files)" % (paths[0], len(paths))))
        sys.stderr.write("gen_catalog: records per rule: %s; evasive kinds: %s\n" % (
            ", ".join("%s=%d" % kv for kv in sorted(st["by_rule"].items())),
            ", ".join("%s=%d" % kv for kv in sorted(st["by_kind"].items()))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
