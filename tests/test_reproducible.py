"""Same inputs, same bytes."""

from circular.build import build
from conftest import DATA


def test_two_builds_are_byte_identical(tmp_path, built, manifest):
    out = tmp_path / "out"
    build(DATA, out)
    first = {d["docx"]: (built / d["docx"]).read_bytes() for d in manifest["documents"]}
    second = {d["docx"]: (out / d["docx"]).read_bytes() for d in manifest["documents"]}
    assert first == second
    assert (out / "manifest.json").read_bytes() == (built / "manifest.json").read_bytes()


def test_build_replaces_out_whole(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "stale.docx").write_bytes(b"old")
    build(DATA, out)
    assert not (out / "stale.docx").exists()
    assert not (tmp_path / ".out.staging").exists() and not (tmp_path / ".out.old").exists()
