"""Everyday use (issue 17): progress on a terminal and summary lines in logs, `circular init` data
repositories with their CI workflow, the review bundle when layout fails, portable fallbacks."""

from __future__ import annotations

import os
import pty
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, need_soffice, run_cli

BIN = Path(sys.executable).parent


def run_in(project: Path, *args: str, terminal: bool) -> str:
    """The command in its own process, its stderr a pseudo-terminal or a pipe; returns what it wrote."""
    env = dict(os.environ, CIRCULAR_PROGRESS_AFTER="0")
    command = [sys.executable, "-m", "circular", *args]
    if not terminal:
        done = subprocess.run(command, cwd=project, capture_output=True, text=True, env=env, timeout=600)
        assert done.returncode == 0, done.stderr
        return done.stderr
    master, slave = pty.openpty()
    proc = subprocess.Popen(command, cwd=project, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert proc.wait(timeout=600) == 0
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.render
@pytest.mark.parametrize("terminal", [True, False], ids=["terminal", "log"])
def test_build_and_pdf_report_progress(tmp_path, terminal):
    need_soffice()
    project = copy_project(tmp_path)
    output = run_in(project, "build", "--pdf", terminal=terminal) + run_in(project, "pdf", terminal=terminal)
    pieces = [piece.replace("\x1b[K", "") for piece in re.split(r"[\r\n]", output)]
    steps = {m.group(1) for piece in pieces if (m := re.match(r"^(.+?)：(\d+) 份，用时 [\d.]+ 秒$", piece))}
    assert {"生成 .docx", "试排（确认版记在偶数页）", "生成预览图"} <= steps, output
    redrawn = re.findall(r"\r\x1b\[K(生成 .docx|试排（确认版记在偶数页）|生成预览图) (\d+)/(\d+)", output)
    if terminal:
        assert redrawn, output  # a line redrawn in place, done/total
        assert all(int(done) <= int(total) for _, done, total in redrawn)
    else:
        assert not redrawn and "\r" not in output and "\x1b" not in output  # a log gets plain lines


def test_check_lists_only_failures_on_request(tmp_path):
    need_soffice()
    project = copy_project(tmp_path)
    assert run_cli("build", "--pdf", cwd=project).returncode == 0
    failures = run_cli("check", "--failures", cwd=project)
    assert failures.returncode == 0 and "PASS" not in failures.stdout
    assert re.search(r"^8 份文件，\d+ 项：0 项不合格（--all 列出每一项）$", failures.stdout, re.M)
    everything = run_cli("check", "--all", cwd=project)
    assert everything.stdout.count("PASS") > 300


def test_init_makes_a_data_repository_that_builds(tmp_path):
    target = tmp_path / "公文数据"
    result = run_cli("init", str(target), "--source", str(ROOT))
    assert result.returncode == 0, result.stderr
    files = {p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()}
    assert {"Makefile", "README.md", "requirements.txt", "constraints.txt", ".gitignore", "data/organs.yaml",
            "data/register.yaml", "data/示例通知/notice.yaml", "templates/invitation.md.j2", "templates/回执.docx",
            ".github/workflows/circular.yml"} == files
    assert (target / "requirements.txt").read_text(encoding="utf-8").splitlines()[-1] == str(ROOT)
    pins = (target / "constraints.txt").read_text(encoding="utf-8")
    assert re.search(r"^python-docx==1\.2\.0$", pins, re.M) and re.search(r"^lxml==", pins, re.M)
    assert "pytest" not in pins  # what circular runs on, not its tests
    # this checkout's circular stands in for the pinned install the Makefile would make
    done = subprocess.run(["make", "-s", "circular", f"BIN={BIN}", "STAMP="], cwd=target, capture_output=True,
                          text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    assert list((target / "out" / "示例通知").glob("示教〔2026〕1号_*.docx"))
    again = run_cli("init", str(target))
    assert again.returncode == 2 and "不是空的" in again.stderr


def test_templates_come_from_the_package_when_the_project_has_none(tmp_path):
    project = copy_project(tmp_path)
    shutil.rmtree(project / "templates")
    (project / "templates").mkdir()
    result = run_cli("build", "--no-paginate", cwd=project)
    assert result.returncode == 0, result.stderr
    assert len(list((project / "out" / "2013-07").glob("会议通知_*.docx"))) == 6


def test_the_workflow_validates_and_keeps_its_promises(tmp_path):
    target = tmp_path / "repo"
    assert run_cli("init", str(target)).returncode == 0
    workflow = target / ".github" / "workflows" / "circular.yml"
    checked = subprocess.run([str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows",
                              str(workflow)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    from ruamel.yaml import YAML

    flow = YAML(typ="safe").load(workflow.read_text(encoding="utf-8"))
    job = flow["jobs"]["documents"]
    assert job["timeout-minutes"] and flow["concurrency"]["group"]
    uses = [s["uses"] for s in job["steps"] if "uses" in s]
    assert uses and all(re.fullmatch(r"[\w./-]+@[0-9a-f]{40}", u) for u in uses)  # pinned by commit
    names = [s.get("name", "") for s in job["steps"]]
    # the review bundle and its summary run even when the layout check failed; the job fails last
    review = job["steps"][names.index("审阅包（检查不合格时照样生成）")]
    assert review["if"] == "always()" and names[-1] == "版式检查不合格则失败"
    assert "github.event.before" in job["env"]["BASE"]
    comment = next(s for s in job["steps"] if "sticky-pull-request-comment" in s.get("uses", ""))
    assert "head.repo.full_name == github.repository" in comment["if"]  # forks: no write token, no comment


def test_exchange_fallback_when_renameat2_is_missing(tmp_path, monkeypatch):
    """Without an atomic exchange (Windows, macOS, old kernels) publishing renames twice."""
    import circular.outdir as outdir

    project = copy_project(tmp_path)
    monkeypatch.setattr(outdir, "_exchange", lambda a, b: False)
    for date in ("2013年3月1日", "2013年3月2日"):
        notice = project / "data" / "2013-07" / "notice.yaml"
        notice.write_text(re.sub(r"^date: .*$", f"date: {date}", notice.read_text(encoding="utf-8"), flags=re.M),
                          encoding="utf-8")
        assert run_cli("build", "--no-paginate", cwd=project).returncode == 0
    assert not (project / ".out.old").exists() and (project / "out" / "manifest.json").exists()


def test_lock_works_where_there_is_no_flock(tmp_path, monkeypatch):
    """filelock uses flock (POSIX) or msvcrt (Windows); with neither it falls back to a lock file
    that exists while held (SoftFileLock). The project lock still makes a second writer wait."""
    import threading

    import filelock

    from circular.project import locked

    monkeypatch.setattr(filelock, "FileLock", filelock.SoftFileLock)
    path = tmp_path / ".circular.lock"
    waited = threading.Event()
    inside = threading.Event()
    release = threading.Event()

    def first() -> None:
        with locked(path, lambda: None):
            inside.set()
            release.wait(10)

    holder = threading.Thread(target=first)
    holder.start()
    assert inside.wait(10)

    def second() -> None:
        with locked(path, waited.set):
            pass

    waiter = threading.Thread(target=second)
    waiter.start()
    assert waited.wait(10)  # told it must wait …
    release.set()
    holder.join(10)
    waiter.join(10)  # … and got the lock once the first let go
    assert not waiter.is_alive() and not path.exists()


def test_a_build_with_placeholders_left_warns(tmp_path):
    project = copy_project(tmp_path)
    assert run_cli("new", "2013-08", "--title", "关于召开工作会议的通知", "--date", "2013年8月1日",
                   cwd=project).returncode == 0
    result = run_cli("build", "--no-paginate", cwd=project)
    assert result.returncode == 0
    warned = [line for line in result.stderr.splitlines() if "[leftover]" in line]
    assert warned and all(line.startswith("data/2013-08/notice.yaml:") and ": 警告: " in line for line in warned)


def test_font_gate_names_house_yaml_and_still_writes_the_docx(tmp_path):
    need_soffice()
    project = copy_project(tmp_path)
    (project / "data" / "house.yaml").write_text("layout:\n  fonts:\n    body: 不存在的仿宋字体\n", encoding="utf-8")
    built = run_cli("build", cwd=project)
    assert built.returncode == 0, built.stderr  # the .docx is right; the machine lacks the font
    assert list((project / "out" / "2013-07").glob("*.docx")) and not list((project / "out").rglob("*.pdf"))
    assert "data/house.yaml:3:11: 警告: 字体“不存在的仿宋字体”在本机会被替换为" in built.stderr
    refused = run_cli("pdf", cwd=project)
    assert refused.returncode == 2 and refused.stderr.startswith("data/house.yaml:3:11: 错误: 字体“不存在的仿宋字体”")
    assert "circular-" not in refused.stderr and ".docx" not in refused.stderr  # no temporary file named


def test_every_help_text_is_chinese():
    """Every command's --help (click's own boilerplate included) and a usage error, swept for English."""
    from click.testing import CliRunner

    from circular.cli import main
    from conftest import english_fragments

    runner = CliRunner()

    def run(*args: str) -> str:
        return runner.invoke(main, list(args), prog_name="circular").output

    texts = [run("--help")]
    for name, command in main.commands.items():
        texts.append(run(name, "--help"))
        for sub in getattr(command, "commands", {}):
            texts.append(run(name, sub, "--help"))
    texts += [run("build", "--no-such-option"), run("no-such-command")]
    # product names and the command's own words are not English prose
    products = re.compile(r"\b(Word|WPS|Markdown|HTML|LibreOffice|pandoc|git|diff\.circular\.\w+|circular( [a-z-]+)*)\b")
    found = {text.splitlines()[0]: english_fragments(products.sub("", text)) for text in texts}
    assert {first: words for first, words in found.items() if words} == {}
