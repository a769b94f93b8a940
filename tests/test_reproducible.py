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


def test_build_replaces_its_own_files_and_keeps_anyone_elses(tmp_path):
    """A file an earlier build listed goes with the next build; a file circular never made stops it."""
    import json
    import shutil

    import pytest

    from circular.errors import CircularError

    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    shutil.copytree(DATA.parent / "templates", tmp_path / "templates")
    out = tmp_path / "out"
    build(data, out, paginate=False)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest["documents"].append({"kind": "workpoints", "title": "旧文件", "sources": [], "docx": "2013-07/旧文件.docx",
                                  "sha256": "0"})
    (out / "2013-07" / "旧文件.docx").write_bytes(b"old")
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    build(data, out, paginate=False)
    assert not (out / "2013-07" / "旧文件.docx").exists()
    assert not (tmp_path / ".out.staging").exists() and not (tmp_path / ".out.old").exists()

    (out / "笔记.txt").write_text("mine", encoding="utf-8")
    (data / "2013-07" / "notice.yaml").write_text(
        (data / "2013-07" / "notice.yaml").read_text(encoding="utf-8").replace("2013年3月5日", "2013年3月6日"),
        encoding="utf-8")
    with pytest.raises(CircularError, match="不是 circular 生成的文件"):
        build(data, out, paginate=False)
    assert (out / "笔记.txt").read_text(encoding="utf-8") == "mine"
