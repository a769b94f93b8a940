"""Incremental and parallel builds: nothing rebuilt without a change, exactly the dependents after one,
and the same bytes whether documents are rendered one by one or over several processes."""

from __future__ import annotations

from circular.build import build
from docset import make_set


def replace_in(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def files(out):
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*.docx")}


def test_no_change_rebuilds_nothing(tmp_path):
    data = make_set(tmp_path)
    first = build(data, tmp_path / "out", paginate=False).to_json()
    assert len(first["rebuilt"]) == 8
    before = files(tmp_path / "out")
    again = build(data, tmp_path / "out", paginate=False).to_json()
    assert again["rebuilt"] == [] and files(tmp_path / "out") == before


def test_one_meeting_rebuilds_its_invitation_only(tmp_path):
    data = make_set(tmp_path)
    build(data, tmp_path / "out", paginate=False)
    replace_in(data / "2013-07" / "schedule.yaml", "venue: 教委三楼会议室", "venue: 教委四楼会议室")
    manifest = build(data, tmp_path / "out", paginate=False).to_json()
    assert manifest["rebuilt"] == ["2013-07/会议通知_渝西片区_合川区.docx"]


def test_a_place_rebuilds_the_invitation_and_the_documents_quoting_the_schedule(tmp_path):
    data = make_set(tmp_path)
    build(data, tmp_path / "out", paginate=False)
    replace_in(data / "2013-07" / "schedule.yaml", "place: 合川区", "place: 铜梁县")
    manifest = build(data, tmp_path / "out", paginate=False).to_json()
    assert sorted(manifest["rebuilt"]) == sorted([
        "2013-07/会议通知_渝西片区_铜梁县.docx",
        "2013-07/渝教工委办〔2013〕7号_关于印发《重庆市教委关心下一代工作委员会2013年工作要点》的通知.docx",
        "2013-07/重庆市教委关心下一代工作委员会2013年工作要点.docx",
    ])
    assert not (tmp_path / "out" / "2013-07" / "会议通知_渝西片区_合川区.docx").exists()


def test_layout_and_template_changes_rebuild_their_documents(tmp_path):
    data = make_set(tmp_path)
    build(data, tmp_path / "out", paginate=False)
    replace_in(tmp_path / "templates" / "invitation.md.j2", "不得无故缺席", "不得缺席")
    manifest = build(data, tmp_path / "out", paginate=False).to_json()
    assert len(manifest["rebuilt"]) == 6 and all("会议通知" in r for r in manifest["rebuilt"])
    (data / "house.yaml").write_text("layout:\n  header:\n    red_line_weight_pt: 1.0\n", encoding="utf-8")
    assert len(build(data, tmp_path / "out", paginate=False).rebuilt) == 8


def test_parallel_and_serial_builds_are_byte_identical(tmp_path):
    data = make_set(tmp_path)
    build(data, tmp_path / "serial", paginate=False, workers=1)
    build(data, tmp_path / "parallel", paginate=False, workers=2)
    serial, parallel = files(tmp_path / "serial"), files(tmp_path / "parallel")
    assert len(serial) == 8 and serial == parallel


def test_many_documents_same_bytes_over_windows_and_caches(tmp_path):
    """More documents than a render window and than the reuse cache holds: every worker's caches
    differ from the serial build's, the bytes do not."""
    from synthetic import project
    from circular.build import RENDER_WINDOW

    data = project(tmp_path / "p", 3 * RENDER_WINDOW) / "data"
    build(data, tmp_path / "serial", paginate=False, workers=1)
    build(data, tmp_path / "parallel", paginate=False, workers=2)
    serial, parallel = files(tmp_path / "serial"), files(tmp_path / "parallel")
    assert len(serial) == 8 + 3 * RENDER_WINDOW and serial == parallel


def test_a_build_with_nothing_to_do_loads_neither_data_nor_writer(tmp_path):
    """The no-op build stays well under half a second because it only fingerprints the
    inputs: the loader (pydantic, the layout), the writer (python-docx, docxtpl) and jieba are
    never imported. (Its time is measured by make bench; this guards the reason.)"""
    import subprocess
    import sys

    data = make_set(tmp_path)
    build(data, tmp_path / "out", paginate=False)
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "circular", "build", "--no-paginate"],
                         cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode == 0 and "8 份文件的内容没有变化" in run.stdout, run.stderr[-2000:]
    imported = {line.rsplit("|", 1)[-1].strip() for line in run.stderr.splitlines() if line.startswith("import time:")}
    assert "circular.cli" in imported
    heavy = {"circular.load", "circular.layout", "circular.render", "circular.lint", "pydantic", "docx",
             "docxtpl", "jieba"} & imported
    assert not heavy, heavy
