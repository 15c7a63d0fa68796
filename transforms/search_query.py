"""Search query syntax: a query string parsed into a typed tree, the plan the warehouse's search
macros run, and a plain evaluation of a query against one article (the reference the tests use)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from transforms.search_text import positioned, terms

# Syntax (as in web search engines):
#   sanctions                 a word (case, and marks on Latin letters, do not matter)
#   "north korea"             a phrase: the words side by side, in one paragraph or the headline
#   sanction*                 a prefix: any word that starts so
#   a AND b, a b              both (AND is implied between neighbours)
#   a OR b                    either
#   NOT a, -a                 without; a query must look for something: NOT a alone is refused
#   ( ... )                   grouping; NOT binds tighter than AND, AND tighter than OR
# Operators are the upper-case words AND, OR, NOT; lower-case "and" is a word. A query word made of
# several words ("north-korea", "Korea's-missile") is a phrase of them. Inside quotes * is punctuation.


class QuerySyntaxError(ValueError):
    """A query that cannot be run; the message names the problem and how to write it."""

    def __init__(self, query: str, problem: str) -> None:
        super().__init__(f"search query {query!r}: {problem}")
        self.query = query
        self.problem = problem


@dataclass(frozen=True, slots=True)
class Word:
    term: str


@dataclass(frozen=True, slots=True)
class Prefix:
    stem: str


@dataclass(frozen=True, slots=True)
class Phrase:
    terms: tuple[str, ...]  # two or more


@dataclass(frozen=True, slots=True)
class Not:
    operand: Query


@dataclass(frozen=True, slots=True)
class And:
    operands: tuple[Query, ...]  # two or more


@dataclass(frozen=True, slots=True)
class Or:
    operands: tuple[Query, ...]  # two or more


Leaf = Word | Prefix | Phrase
Query = Word | Prefix | Phrase | Not | And | Or
OPERATORS = ("AND", "OR", "NOT")
# Distinct leaves a query may have: search_articles() keeps the leaves an article matches as the bits
# of one BIGINT (warehouse/schema/093_search_articles.sql).
MAX_LEAVES = 62
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                               "\u2066\u2067\u2068\u2069"))


# --- lexing ------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str  # leaf, and, or, not, open, close
    leaf: Leaf | None = None
    text: str = ""


def _leaf(query: str, text: str, quoted: bool) -> Leaf:
    if not quoted and len(text) > 1 and text.endswith("*"):
        stem = terms(text.rstrip("*"))
        if len(stem) != 1:
            raise QuerySyntaxError(query, f"{text!r}: a * prefix must follow exactly one word (like sanction*)")
        return Prefix(stem[0])
    words = terms(text)
    if not words:
        what = f'the phrase "{text}"' if quoted else f"{text!r}"
        hint = "; to exclude a word write -word, with no space" if text == "-" else ""
        raise QuerySyntaxError(query, f"{what} has no letters or digits to search for{hint}")
    return Word(words[0]) if len(words) == 1 else Phrase(tuple(words))


def _lex(query: str) -> list[_Tok]:
    text = unicodedata.normalize("NFKC", query.translate(_INVISIBLE))
    out: list[_Tok] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif c == '"':
            end = text.find('"', i + 1)
            if end < 0:
                raise QuerySyntaxError(query, 'unbalanced quote: a " opens a phrase that is never closed')
            out.append(_Tok("leaf", _leaf(query, text[i + 1:end], quoted=True), text[i:end + 1]))
            i = end + 1
        elif c in "()":
            out.append(_Tok("open" if c == "(" else "close", text=c))
            i += 1
        elif c == "-" and i + 1 < n and not text[i + 1].isspace() and text[i + 1] != ")":
            out.append(_Tok("not", text="-"))
            i += 1
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in '()"':
                j += 1
            word = text[i:j]
            out.append(_Tok(word.lower(), text=word) if word in OPERATORS else
                       _Tok("leaf", _leaf(query, word, quoted=False), word))
            i = j
    return out


# --- parsing (recursive descent) ------------------------------------------------------------------

class _Parser:
    def __init__(self, query: str, toks: list[_Tok]) -> None:
        self.query, self.toks, self.i = query, toks, 0

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def fail(self, problem: str) -> QuerySyntaxError:
        return QuerySyntaxError(self.query, problem)

    def parse(self) -> Query:
        if not self.toks:
            raise self.fail("the query is empty; give a word, a \"phrase\" or a prefix*")
        node = self.or_expr()
        tok = self.peek()
        if tok is not None:  # only a stray ) stops or_expr early
            raise self.fail("unbalanced parentheses: a ) has no ( before it")
        return node

    def or_expr(self) -> Query:
        parts = [self.and_expr()]
        while (tok := self.peek()) is not None and tok.kind == "or":
            self.i += 1
            parts.append(self.and_expr(after="OR"))
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def and_expr(self, after: str | None = None) -> Query:
        parts = [self.unary(after)]
        while (tok := self.peek()) is not None and tok.kind in ("and", "leaf", "not", "open"):
            if tok.kind == "and":
                self.i += 1
                parts.append(self.unary("AND"))
            else:
                parts.append(self.unary())
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def unary(self, after: str | None = None) -> Query:
        tok = self.peek()
        if tok is not None and tok.kind == "not":
            self.i += 1
            nxt = self.peek()
            if nxt is None or nxt.kind in ("and", "or", "close"):
                raise self.fail(f"{tok.text} must be followed by what to exclude: a word, a \"phrase\" or ( ... )"
                                + ("" if nxt is None else f", not {nxt.text}"))
            return Not(self.unary())
        return self.atom(after)

    def atom(self, after: str | None) -> Query:
        tok = self.peek()
        if tok is None or tok.kind in ("and", "or", "close"):
            if after:
                raise self.fail(f"{after} needs a word, a \"phrase\" or ( ... ) on each side")
            if tok is not None and tok.kind == "close":
                raise self.fail("empty parentheses ()" if self.i and self.toks[self.i - 1].kind == "open"
                                else "unbalanced parentheses: a ) has no ( before it")
            raise self.fail(f"{tok.text if tok else 'the query'} needs a word, a \"phrase\" or ( ... ) on each side")
        self.i += 1
        if tok.kind == "leaf":
            return tok.leaf
        node = self.or_expr()  # tok is (
        close = self.peek()
        if close is None or close.kind != "close":
            raise self.fail("unbalanced parentheses: a ( is never closed")
        self.i += 1
        return node


def parse(query: str) -> Query:
    """A query string as a tree; QuerySyntaxError for anything malformed, with what to do."""
    tree = _Parser(query, _lex(query)).parse()
    if (distinct := len(plan(tree).leaves)) > MAX_LEAVES:
        raise QuerySyntaxError(query, f"it has {distinct} distinct words, phrases and prefixes, more than "
                                      f"{MAX_LEAVES}; split it into several queries")
    if evaluate(tree, lambda leaf: False):
        raise QuerySyntaxError(query, "the query only excludes words, so it would match articles that contain "
                                      "none of its words; add a word to look for (e.g. sanctions NOT iran)")
    return tree


# --- evaluation -----------------------------------------------------------------------------------

def evaluate(tree: Query, leaf_true) -> bool:
    """The query's truth given the truth of each leaf (a function of the leaf)."""
    if isinstance(tree, Not):
        return not evaluate(tree.operand, leaf_true)
    if isinstance(tree, And):
        return all(evaluate(t, leaf_true) for t in tree.operands)
    if isinstance(tree, Or):
        return any(evaluate(t, leaf_true) for t in tree.operands)
    return leaf_true(tree)


def leaf_positions(leaf: Leaf, words: list[tuple[str, int]]) -> list[int]:
    """Positions of an article's words that the leaf matches (all words of each phrase occurrence)."""
    if isinstance(leaf, Word):
        return [p for w, p in words if w == leaf.term]
    if isinstance(leaf, Prefix):
        return [p for w, p in words if w.startswith(leaf.stem)]
    at = set(words)
    k = len(leaf.terms)
    starts = [p for w, p in words if w == leaf.terms[0]
              and all((leaf.terms[j], p + j) in at for j in range(1, k))]
    return sorted({p + j for p in starts for j in range(k)})


def matches(tree: Query, headline: str | None, body: str | None) -> bool:
    """Does the article match? The plain evaluation, word by word, that the index must agree with."""
    words = positioned(headline, body)
    return evaluate(tree, lambda leaf: bool(leaf_positions(leaf, words)))


# --- the plan the SQL macros run --------------------------------------------------------------------

# Reverse Polish notation: a leaf's index (>= 0) or one of these operators.
RPN_AND, RPN_OR, RPN_NOT = -1, -2, -3


@dataclass(frozen=True, slots=True)
class Plan:
    leaves: list[dict]  # {"kind": "word"|"prefix"|"phrase", "terms": [...], "positive": bool}
    rpn: list[int]


def plan(tree: Query) -> Plan:
    """Distinct leaves (positive: looked for somewhere, not only excluded) and the query in RPN."""
    index: dict[Leaf, int] = {}
    positive: dict[Leaf, bool] = {}
    rpn: list[int] = []

    def walk(node: Query, negated: bool) -> None:
        if isinstance(node, Not):
            walk(node.operand, not negated)
            rpn.append(RPN_NOT)
        elif isinstance(node, (And, Or)):
            walk(node.operands[0], negated)
            for operand in node.operands[1:]:
                walk(operand, negated)
                rpn.append(RPN_AND if isinstance(node, And) else RPN_OR)
        else:
            rpn.append(index.setdefault(node, len(index)))
            positive[node] = positive.get(node, False) or not negated

    walk(tree, False)
    leaves = [{"kind": type(leaf).__name__.lower(), "positive": positive[leaf],
               "terms": [leaf.term] if isinstance(leaf, Word) else [leaf.stem] if isinstance(leaf, Prefix)
               else list(leaf.terms)} for leaf in index]
    return Plan(leaves, rpn)


@lru_cache(maxsize=256)
def plan_of(query: str) -> dict:
    """parse + plan as the dict the search_plan() SQL function returns."""
    p = plan(parse(query))
    return {"leaves": p.leaves, "rpn": p.rpn}
