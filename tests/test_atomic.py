"""Interrupted builds: out/ is always the previous complete build or the new one, never a mixture."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import copy_project

KILLS = 50
DATES = ("date: 2013年3月1日", "date: 2013年3月2日")


def state(out: Path) -> tuple[str, dict[str, str]]:
    """(manifest without its 'rebuilt' note, sha256 of every file but the manifest); asserts they agree."""
    data = json.loads((out / "manifest.json").read_bytes())
    data.pop("rebuilt")
    manifest = json.dumps(data, sort_keys=True)
    listed = {d["docx"]: d["sha256"] for d in data["documents"]}
    files = {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in out.rglob("*") if p.is_file() and p.name != "manifest.json"}
    assert files == listed, "manifest and files disagree"
    return manifest, files


def set_date(project: Path, date: str) -> None:
    notice = project / "data" / "2013-07" / "notice.yaml"
    text = notice.read_text(encoding="utf-8")
    for d in DATES:
        text = text.replace(d + "\n", date + "\n")
    notice.write_text(text, encoding="utf-8")


def build_cmd() -> list[str]:
    return [sys.executable, "-m", "circular", "build", "--no-paginate"]


def test_sigkill_never_leaves_a_mixed_out(tmp_path):
    project = copy_project(tmp_path)
    complete = {}
    for date in DATES:  # the two complete builds out/ may hold
        set_date(project, date)
        started = time.monotonic()
        subprocess.run(build_cmd(), cwd=project, check=True, capture_output=True)
        duration = time.monotonic() - started
        complete[date] = state(project / "out")
    rng = random.Random(9704)
    killed_mid_build = 0
    for i in range(KILLS):
        set_date(project, DATES[i % 2])
        before = state(project / "out")
        proc = subprocess.Popen(build_cmd(), cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0, duration * 1.1))
        finished = proc.poll() is not None
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        killed_mid_build += not finished
        after = state(project / "out")
        assert after in (before, complete[DATES[i % 2]]), f"kill {i}: out/ is neither the old nor the new build"
        assert after in complete.values()
    print(f"{KILLS} 次 SIGKILL（其中 {killed_mid_build} 次在构建中途），out/ 始终完整")
    assert killed_mid_build >= KILLS // 2
    # a build after all that cleans up and succeeds, also when it has nothing to rebuild
    (project / ".out.staging").mkdir(exist_ok=True)
    subprocess.run(build_cmd(), cwd=project, check=True, capture_output=True)
    assert not (project / ".out.staging").exists() and not (project / ".out.old").exists()


def test_a_second_writer_waits_for_the_first(tmp_path):
    """Two builds in one checkout would share the staging folder: the second waits its turn."""
    from circular.outdir import out_lock

    project = copy_project(tmp_path)
    with out_lock(project / "out", lambda: None):
        proc = subprocess.Popen(build_cmd(), cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(2)
        assert proc.poll() is None, "the second build did not wait"
        assert not (project / ".out.staging").exists() and not (project / "out").exists()
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "另一个 circular 进程正在写" in err and "等它结束后继续" in err
    state(project / "out")  # a complete build


def test_a_discard_killed_half_way_is_finished_by_the_next_build(tmp_path, monkeypatch):
    """After the swap the previous build is removed; a kill part-way through that removal must leave
    a folder the next build still recognises as its own, however far the removal got; so must a
    kill while the next build clears it away."""
    from circular import outdir
    from circular.manifest import Manifest

    def fake_build(folder: Path, n_files: int) -> None:
        folder.mkdir()
        (folder / outdir.STAGING_MARK).touch()
        manifest = Manifest(generator="circular test", inputs="", paginated=False, documents=[], rebuilt=[])
        (folder / "manifest.json").write_text(json.dumps(manifest.to_json()), encoding="utf-8")
        for i in range(n_files):
            (folder / "sub" / f"{i}").mkdir(parents=True, exist_ok=True)
            (folder / "sub" / f"{i}" / "a.docx").write_bytes(b"x")
            (folder / f"{i}.docx").write_bytes(b"x")

    class Killed(BaseException):
        pass

    real_unlink, real_rmdir = os.unlink, os.rmdir
    removals = 0
    for allowed in range(0, 40):
        out = tmp_path / str(allowed) / "out"
        out.parent.mkdir()
        fake_build(out, 4)
        (out / outdir.STAGING_MARK).unlink()  # a published build carries no mark
        stage = out.parent / ".out.staging"
        fake_build(stage, 4)
        removals = 0

        def counting(real):
            def call(path, *args, **kwargs):
                nonlocal removals
                if removals >= allowed:
                    raise Killed
                removals += 1
                return real(path, *args, **kwargs)
            return call

        monkeypatch.setattr(os, "unlink", counting(real_unlink))
        monkeypatch.setattr(os, "rmdir", counting(real_rmdir))
        try:
            outdir.publish(stage, out)
        except Killed:
            pass
        try:  # the next build's clean-up, killed as well
            removals = 0
            outdir.recover(out)
        except Killed:
            pass
        finally:
            monkeypatch.setattr(os, "unlink", real_unlink)
            monkeypatch.setattr(os, "rmdir", real_rmdir)
        assert (out / "manifest.json").exists()
        outdir.recover(out)  # and the one after that: it must not refuse the folder
        assert not stage.exists()
    assert removals < allowed, "the removal never ran to its end: allow more steps"
