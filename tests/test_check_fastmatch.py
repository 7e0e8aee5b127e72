"""The one-pass matcher gives exactly the reference matcher's verdicts."""

import random
import re

from checkdb import REPO

from auditor.check.fastmatch import FastMatcher, WordScanner
from auditor.rules import read_catalogue
from auditor.rules.matcher import fields_from_mapping, judge, page_fields
from auditor.rules.model import FIELDS, Clause, Element, FieldCondition, Rule

ALPHABET = "污染地块名录单清甲乙"  # few letters: words overlap and nest often


def words(rng, n):
    return tuple("".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 4))) for _ in range(n))


def test_scanner_finds_overlapping_and_nested_words():
    scanner = WordScanner(["污染地块", "地块名录", "地块", "名录公示", "录"])
    assert scanner.present("嘉定区污染地块名录公示") == {"污染地块", "地块名录", "地块", "名录公示", "录"}
    assert scanner.present("地块名") == {"地块"}
    assert WordScanner([]).present("任何文字") == set()


def test_scanner_equals_brute_force_on_random_texts():
    rng = random.Random(7)
    for _ in range(300):
        vocab = words(rng, rng.randint(1, 12))
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 40)))
        assert WordScanner(vocab).present(text) == {w for w in vocab if w in text}, (vocab, text)


def random_condition(rng):
    kinds = rng.sample(["all", "any", "none", "regex"], rng.randint(1, 3))
    return FieldCondition(
        all=words(rng, rng.randint(1, 2)) if "all" in kinds else (),
        any=words(rng, rng.randint(1, 3)) if "any" in kinds else (),
        none=words(rng, 1) if "none" in kinds else (),
        regex=(re.compile(rng.choice(ALPHABET) + "." + rng.choice(ALPHABET)),) if "regex" in kinds else (),
    )


def random_clauses(rng, n):
    return tuple(Clause(tuple((f, random_condition(rng)) for f in rng.sample(FIELDS, rng.randint(1, 2))))
                 for _ in range(n))


def random_rule(rng, i):
    elements = tuple(Element(f"e{j}", random_clauses(rng, 1)) for j in range(rng.choice([0, 0, 2])))
    match = random_clauses(rng, rng.randint(0 if elements else 1, 2))
    return Rule(f"r-{i}", None, "t", ("区府办",), 1.0, "web", match=match, elements=elements,
                exclude=random_clauses(rng, rng.randint(0, 1)))


def random_page(rng):
    text = lambda n: "".join(rng.choice(ALPHABET + "，。") for _ in range(rng.randint(0, n)))  # noqa: E731
    return page_fields(title=text(12), text=text(80), attachments=[text(8) for _ in range(rng.randint(0, 2))],
                       url="http://x.test/" + text(5), column=text(6))


def assert_agree(rules, pages):
    fast = FastMatcher(rules)
    for fields in pages:
        expected = [(r.id, judge(r, fields).elements) for r in rules if judge(r, fields).evidence]
        assert [(r.id, v.elements) for r, v in fast.judge_page(fields)] == expected, fields


def test_fast_matcher_equals_reference_on_random_rules_and_pages():
    rng = random.Random(11)
    for _ in range(40):
        rules = [random_rule(rng, i) for i in range(25)]
        assert_agree(rules, [random_page(rng) for _ in range(60)])


def test_fast_matcher_equals_reference_on_the_catalogue():
    catalogue, _ = read_catalogue(REPO / "rules")  # the catalogue as it stands, problems or not
    rules = [r for r in catalogue.rules if r.is_web]
    examples = [fields_from_mapping(e.page) for r in rules for e in r.examples_match + r.examples_no_match]
    rng = random.Random(3)
    mixed = []  # pages mixing the catalogue's own example titles
    for _ in range(300):
        a, b = rng.sample(examples, 2)
        mixed.append(page_fields(title=a["title"] + b["title"][: len(b["title"]) // 2], text=b["title"] + a["text"],
                                 attachments=list(b["attachments"]), column=a["column"]))
    assert len(rules) > 50
    assert_agree(rules, examples + mixed)
    matched = sum(bool(FastMatcher(rules).judge_page(f)) for f in examples)
    assert matched > len(examples) // 3  # the examples do exercise matches, not only rejections
