"""The streaming YAML loader gives the data and positions ruamel's round-trip loader gives,
in a fraction of the memory."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from ruamel.yaml.constructor import RoundTripConstructor

from circular.errors import DataError
from circular.load.yamlsrc import parse_yaml

ROOT = Path(__file__).resolve().parents[1]
SNIPPETS = [
    "a: 12\nb: true\nc: 1.5\nd: ~\ne: yes\nf: no\ng: 012\nh: 0x1F\ni: ''\nj:\nk: 1_000\n",
    "list:\n  - x\n  - [1, 2, {y: z}]\n  -\n    - nested\nflow: {a: 1, b: [c, d]}\n",
    "text: |\n  第一行\n  第二行\nfolded: >\n  a\n  b\nquoted: \"\\u4e2d 'q'\"\nsingle: 'it''s'\n",
    "base: &b {k: 1, m: 2}\nuse: *b\nmerged:\n  <<: *b\n  m: 3\nlist: &l [1, 2]\nagain: *l\n",
    "# comment\nkey: value  # trailing\n\n\nlater:\n    deep:\n        deeper: 1\n",
    "date: 2013-02-30\ntime: 上午9:00\nphone: 023-63854123\n",
]


class _DatesAsText(RoundTripConstructor):
    """The old loader's set-up: dates stay text (2013-02-30 made ruamel itself fail)."""


_DatesAsText.add_constructor("tag:yaml.org,2002:timestamp", RoundTripConstructor.construct_yaml_str)


def round_trip(text: str):
    yaml = YAML(typ="rt", pure=True)
    yaml.Constructor = _DatesAsText
    return yaml.load(text)


def plain(value):
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def positions(node, path=()):
    """(path, line, column) of every value, from ruamel's round-trip line/column records."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key not in node.lc.data:  # came in through a << merge
                continue
            line, col = node.lc.value(key)
            if value is not None:  # an empty value: ruamel points at the next token, we at the key's line
                yield path + (key,), line + 1, col + 1
            yield from positions(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            line, col = node.lc.item(i)
            yield path + (i,), line + 1, col + 1
            yield from positions(value, path + (i,))


def corpus():
    files = sorted(ROOT.glob("data/**/*.yaml"))
    return [(f.relative_to(ROOT).as_posix(), f.read_text(encoding="utf-8")) for f in files] + \
        [(f"snippet{i}", text) for i, text in enumerate(SNIPPETS)]


@pytest.mark.parametrize("name, text", corpus(), ids=[name for name, _ in corpus()])
def test_same_data_and_positions_as_round_trip(name, text):
    lean = parse_yaml(Path(name), text)
    rt = round_trip(text)
    assert lean.data == plain(rt)
    for path, line, col in positions(rt):
        if path[0] in ("use", "again"):
            continue  # an alias: ruamel points at the anchored value, we at the alias itself
        where = lean.where(path)
        assert (where.line, where.column) == (line, col), path


@pytest.mark.parametrize("text, words", [
    ("a: 1\na: 2\n", "键“a”重复出现"),
    ("a: 1\n---\nb: 2\n", "只能有一个 YAML 文档"),
    ("a: *nowhere\n", "别名"),
    ("a:\n\tb: 1\n", "Tab"),
    ("a: !custom x\n", "不支持的 YAML 标签"),
    ("? [x]\n: 1\n", "键不能是列表或映射"),
    ("a: b: c\n", "此处不能出现"),
    ("a:\n  <<: 5\n", "只能合并"),
])
def test_mistakes_are_positioned_data_errors(text, words):
    with pytest.raises(DataError) as caught:
        parse_yaml(Path("f.yaml"), text)
    assert words in str(caught.value) and str(caught.value).startswith("f.yaml:")


def test_memory_is_a_small_multiple_of_the_file(tmp_path):
    """A 2 MB schedule: the round-trip tree took ~75 bytes per byte of YAML; the stream needs few."""
    meeting = ("  - id: m{n}\n    text: 召开第{n}次研讨会\n    place: 地点{n}\n    invitation:\n"
               "      date: 2013年5月1日\n      agenda: [交流经验, 部署工作]\n      contact: {{name: 刘立新, phone: 023-1}}\n")
    path = tmp_path / "big.yaml"
    path.write_text("items:\n" + "".join(meeting.format(n=n) for n in range(12000)), encoding="utf-8")
    size = path.stat().st_size
    code = ("import resource, sys; from pathlib import Path; from circular.load.yamlsrc import parse_yaml; "
            "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss; d = parse_yaml(Path(sys.argv[1])); "
            "print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024, len(d.data['items']))")
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True)
    grown, items = map(int, out.stdout.split())
    assert items == 12000
    assert grown < 25 * size, f"{grown / size:.0f} bytes of memory per byte of YAML"


def test_each_item_is_checked_while_reading_and_dropped():
    """Items handed to Each are replaced as soon as they are complete; positions still resolve."""
    from circular.load.yamlsrc import Each

    seen = []

    def check(doc, loc):
        seen.append((loc, doc.where(loc + ("v",)).line if isinstance(doc.data["q"][loc[1]]["items"][loc[3]], dict)
                     else doc.where(loc).line))
        assert len(doc._positions) < 12  # earlier items' positions are gone
        return None

    text = "q:\n  - items:\n      - {v: 1}\n      - plain\n  - items:\n" + "".join(
        f"      - v: {n}\n" for n in range(20))
    doc = parse_yaml(Path("s.yaml"), text, each=Each(("q", None, "items"), check))
    assert seen[:3] == [(("q", 0, "items", 0), 3), (("q", 0, "items", 1), 4), (("q", 1, "items", 0), 6)]
    assert len(seen) == 22 and doc.data["q"][1]["items"] == [None] * 20
    assert doc.where(("q", 1, "items", 19)).line == 25


def test_each_sees_aliased_items_too():
    from circular.load.yamlsrc import Each

    seen = []
    text = "q:\n  - items:\n      - &t 某项工作\n      - &m {v: 1}\n      - *t\n      - *m\n"
    parse_yaml(Path("s.yaml"), text, each=Each(("q", None, "items"), lambda doc, loc: seen.append(
        doc.data["q"][loc[1]]["items"][loc[3]])))
    assert seen == ["某项工作", {"v": 1}, "某项工作", {"v": 1}]
