"""Shared fixtures: one build of the real data and, where LibreOffice exists, its PDFs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))  # bench/synthetic.py: synthetic data sets shared with make bench
DATA = ROOT / "data"
TEMPLATES = ROOT / "templates"


def copy_project(root: Path) -> Path:
    """A project folder with the repository's data/ and templates/ (what an office has)."""
    import shutil as _shutil

    _shutil.copytree(DATA, root / "data")
    _shutil.copytree(TEMPLATES, root / "templates")
    return root
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def need_soffice() -> None:
    """LibreOffice tests run in CI always; locally they skip only when soffice is missing."""
    if shutil.which("soffice"):
        return
    if os.environ.get("CI"):
        pytest.fail("CI 环境必须安装 LibreOffice（.ci/run 负责安装）")
    pytest.skip("本机没有 LibreOffice（soffice），跳过渲染测试；CI 中不会跳过")


WORDLIKE_CANDIDATES = (ROOT.parent / "shared" / "tools" / "wordlike" / "render",
                       Path("/work/shared/tools/wordlike/render"))


def wordlike() -> Path:
    """The Word-emulating renderer (../shared/tools/wordlike, or $CIRCULAR_WORDLIKE). Tests that lay
    out in both engines run in CI always; locally they skip only when it is missing."""
    need_soffice()  # its fonts are the ones the LibreOffice set-up installs
    given = os.environ.get("CIRCULAR_WORDLIKE")
    for path in ([Path(given)] if given else list(WORDLIKE_CANDIDATES)):
        if path.is_file():
            return path
    if os.environ.get("CI"):
        pytest.fail("CI 环境必须能找到 Word 仿真渲染器（../shared/tools/wordlike/render 或 $CIRCULAR_WORDLIKE）")
    pytest.skip("本机没有 Word 仿真渲染器，跳过；CI 中不会跳过")


def render_wordlike(docs: list[Path], out: Path) -> dict[Path, Path]:
    """Each .docx laid out by the Word-emulating engine: docx -> out/NAME.pdf."""
    tool = wordlike()
    subprocess.run([str(tool), str(out), *map(str, docs)], check=True, capture_output=True, timeout=1800)
    pdfs = {doc: out / f"{doc.stem}.pdf" for doc in docs}
    missing = [str(d) for d, pdf in pdfs.items() if not pdf.exists()]
    assert not missing, missing
    return pdfs


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """The circular command as a user runs it, with its exit code, stdout and stderr — in this
    process, through click's runner (a new interpreter per call cost most of the catalogue's time).
    Where a separate process is the point (kills, locks, concurrency), tests start one themselves."""
    from click.testing import CliRunner

    from circular.cli import main

    here = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, list(args), prog_name="circular")
    finally:
        os.chdir(here)
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        import traceback

        stderr += "".join(traceback.format_exception(result.exception))  # shows as a traceback, as it would
    return subprocess.CompletedProcess(list(args), result.exit_code, result.stdout, stderr)


def run_process(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """The circular command in a new Python process (``python -m circular``)."""
    return subprocess.run([sys.executable, "-m", "circular", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=600)


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """out/ of a build of the repository's data/."""
    from circular.build import build

    out = tmp_path_factory.mktemp("build") / "out"
    build(DATA, out)
    return out


@pytest.fixture(scope="session")
def manifest(built) -> dict:
    import json

    return json.loads((built / "manifest.json").read_text(encoding="utf-8"))


def docx_of(built: Path, manifest: dict, kind: str) -> Path:
    return built / next(d["docx"] for d in manifest["documents"] if d["kind"] == kind)


@pytest.fixture(scope="session")
def rendered(built, manifest) -> dict[str, Path]:
    """kind -> PDF of every built document (LibreOffice)."""
    need_soffice()
    from circular.convert import to_pdf

    docs = {d["kind"]: built / d["docx"] for d in manifest["documents"]}
    pdfs = to_pdf(list(docs.values()))
    return {kind: pdfs[path] for kind, path in docs.items()}


# commands and names a message may quote; anything else of two English words in a row is a library's
# text leaking through (strerror, pydantic, click)
_COMMANDS = re.compile(r"(sudo )?apt-get install [\w -]+|make \w+|circular( [\w-]+)+|git [\w -]+|"
                       r"--[\w-]+( \S+)?|\w+:( \w+)?|Times New Roman|Noto \w+( \w+)*")


def english_fragments(message: str) -> list[str]:
    """English phrases in a user-facing message, outside quoted data “…” and command examples."""
    text = re.sub(r"“[^”]*”|‘[^’]*’|'[^']*'|\S*/\S*|[\w.-]+\.(md|yaml|yml|docx|pdf|png|j2|json|txt|lock)\b", "", message)
    text = _COMMANDS.sub("", text)
    return re.findall(r"[A-Za-z]{2,}(?:[ ,'.]+[A-Za-z]{2,})+", text)


def check_pdfs(pdfs: dict) -> dict:
    """name -> the check results of its PDF."""
    from circular.verify.pdf import PdfView
    from circular.verify.rules import check

    out = {}
    for name, pdf in pdfs.items():
        with PdfView(pdf) as view:
            out[name] = check(view)
    return out


def render_and_check(docs: dict) -> dict:
    """name -> the check results of its .docx rendered by LibreOffice."""
    need_soffice()
    from circular.convert import to_pdf

    pdfs = to_pdf(list(docs.values()))
    return check_pdfs({name: pdfs[docx] for name, docx in docs.items()})


@pytest.fixture(scope="session")
def results(rendered) -> dict:
    """kind -> the check results of its PDF."""
    return check_pdfs(rendered)


def pytest_collection_modifyitems(items):
    """Tests on rendered PDFs need LibreOffice: ``make test-fast`` (-m "not render") leaves them out."""
    for item in items:
        if {"rendered", "results", "rich_results"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.render)


def pytest_terminal_summary(terminalreporter):
    """Print the size of the bad-input catalogue with every run (CI shows it)."""
    module = sys.modules.get("test_catalogue")
    if module is not None:
        terminalreporter.write_line(f"坏输入目录：{len(module.CASES)} 例须清楚报错，{len(module.WORKING)} 例须正常生成")
