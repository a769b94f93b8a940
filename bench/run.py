"""make bench: speed and memory, as ratios against baselines measured in the same run.

  .venv/bin/python bench/run.py [--sizes 1,100,1000,10000] [--json bench-results.json]   (make bench)

Kept outside the package: editing the benchmark must not change circular's code fingerprint, which
would invalidate every cached document.

Synthetic data: N meetings, each with an invitation to a 10-unit group, in a copy of the project.
Measured: invitations per second through our renderer (one core and all cores) against a naive
docxtpl render + save per document of an equivalent Word template; make circular cold / no-op /
after a one-line change; PDF documents per second batched against one soffice per file; peak RSS
of a build per N.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from synthetic import project

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
def invitations(data: Path) -> list:
    from circular.load import load_all

    return [p.build() for s in load_all(data) for p in s.pending]


def our_rate(docs: list, workers: int) -> float:
    from circular.build import render_all
    from circular.layout import Layout
    from circular.render import ImprintPlacement

    jobs = [(n, (gw, Layout(), ImprintPlacement.FLOW)) for n, gw in enumerate(docs)]
    start = time.perf_counter()
    for _ in render_all(jobs, workers):
        pass
    return len(jobs) / (time.perf_counter() - start)


def naive_template(sample: Path, target: Path, number: str) -> dict[str, str]:
    """An equivalent docxtpl template: one of our invitations with four of its values as tags."""
    with zipfile.ZipFile(sample) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "word/document.xml":
                text = data.decode("utf-8")
                values = {"date": re.search(r"\d{4}年\d{1,2}月\d{1,2}日", text)[0], "venue": "会议室",
                          "number": number, "contact": "刘立新"}
                for key, value in values.items():
                    assert value in text, value
                    text = text.replace(value, "{{ " + key + " }}", 1)
                data = text.encode("utf-8")
            dst.writestr(name, data)
    return values


def naive_rate(template: Path, values: dict[str, str], count: int) -> float:
    from docxtpl import DocxTemplate

    start = time.perf_counter()
    for i in range(count):
        tpl = DocxTemplate(str(template))
        tpl.render({**values, "number": f"渝教工委办函〔2013〕{i + 1}号"}, autoescape=True)
        tpl.save(io.BytesIO())
    return count / (time.perf_counter() - start)


def timed(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - start


def make_circular(root: Path) -> dict[str, float]:
    cmd = ["make", "-s", "circular", f"BIN={BIN}", "STAMP="]
    cold = timed(cmd, root)
    floor = one_batch(root / "out", root.parent / "floor") if shutil.which("soffice") else 0.0
    warm = timed(cmd, root)
    schedule = root / "data" / "2013-07" / "schedule.yaml"
    schedule.write_text(schedule.read_text(encoding="utf-8").replace("venue: 教委三楼会议室", "venue: 教委四楼会议室"),
                        encoding="utf-8")
    change = timed(cmd, root)
    rebuilt = json.loads((root / "out" / "manifest.json").read_text(encoding="utf-8"))["rebuilt"]
    return {"cold_s": cold, "noop_s": warm, "one_line_s": change, "one_line_rebuilt": rebuilt,
            "one_batch_s": floor, "cold_over_batch": cold / floor if floor else 0.0}


def one_batch(out: Path, tmp: Path) -> float:
    """The physical floor of make circular: one LibreOffice batch converting the same .docx files."""
    from circular.convert import to_pdf

    tmp.mkdir(parents=True)
    copies = []
    for n, doc in enumerate(sorted(out.rglob("*.docx"))):
        copies.append(tmp / f"{n}.docx")
        shutil.copyfile(doc, copies[-1])
    start = time.perf_counter()
    to_pdf(copies, workers=1)
    return time.perf_counter() - start


def pdf_scaling(docs: list, tmp: Path, count: int) -> dict[str, float]:
    """PDFs per second for ``count`` invitations: one LibreOffice worker, then one per core."""
    from circular.convert import to_pdf
    from circular.layout import Layout
    from circular.render import render

    cores = os.cpu_count() or 1
    rates = {}
    for workers in (1, cores):
        folder = tmp / f"scaling-{workers}"
        folder.mkdir(parents=True)
        files = []
        for n, gw in enumerate(docs[:count]):
            files.append(folder / f"{n}.docx")
            files[-1].write_bytes(render(gw, Layout()))
        start = time.perf_counter()
        to_pdf(files, workers=workers)
        rates[workers] = len(files) / (time.perf_counter() - start)
    return {"docs": min(count, len(docs)), "cores": cores, "one_worker_per_s": rates[1],
            "all_cores_per_s": rates[cores], "speedup": rates[cores] / rates[1], "target_speedup": 0.8 * cores}


def pdf_rates(out: Path, tmp: Path) -> dict[str, float]:
    from circular.convert import PDF_FILTER, fonts, soffice, to_pdf

    docs = sorted(out.rglob("*.docx"))
    batch_dir = tmp / "batch"
    shutil.copytree(out, batch_dir)
    copies = sorted(batch_dir.rglob("*.docx"))
    start = time.perf_counter()
    to_pdf(copies)
    batched = len(copies) / (time.perf_counter() - start)
    single_dir = tmp / "single"
    single_dir.mkdir()
    start = time.perf_counter()
    for n, doc in enumerate(docs):  # the naive way: one soffice, one fresh profile, per file
        profile = (tmp / f"profile{n}").as_uri()
        subprocess.run([soffice(), f"-env:UserInstallation={profile}", "--headless", "--convert-to", PDF_FILTER,
                        "--outdir", str(single_dir), str(doc)], capture_output=True,
                       env=dict(os.environ, FONTCONFIG_FILE=str(fonts.conf_path())), check=False)
    single = len(docs) / (time.perf_counter() - start)
    return {"batched_docs_per_s": batched, "single_docs_per_s": single, "ratio": batched / single}


TITLE_WORDS = ("关于", "进一步", "加强", "全市", "教育系统", "关心下一代", "工作", "委员会", "的", "实施意见", "通知",
               "2013年", "和", "改进", "高等学校", "思想政治", "《", "》", "开展", "创建活动")


def title_breaking(lengths: tuple[int, ...] = (50, 100, 200), titles: int = 20) -> dict[str, float]:
    """Milliseconds to break one title of each length into lines (worst of ``titles`` titles)."""
    import random

    from circular.titles import break_title, load_dictionary

    load_dictionary()
    rng = random.Random(9704)
    times = {}
    for length in lengths:
        worst = 0.0
        for _ in range(titles):
            title = "".join(rng.choice(TITLE_WORDS) for _ in range(length))[:length]
            start = time.perf_counter()
            break_title(title)
            worst = max(worst, time.perf_counter() - start)
        times[str(length)] = worst * 1000
    return times


def peak_rss(root: Path, meetings: int) -> float:
    """Peak resident memory (MB) of a build of ``meetings`` synthetic invitations, in its own process.

    VmHWM, not ru_maxrss: Linux carries the forking parent's peak into the child's ru_maxrss
    across exec, which made every small build report the benchmark's own size."""
    code = ("import re; from pathlib import Path; from circular.build import build; "
            "build(Path('data'), Path('out-rss'), paginate=False); "
            "print(re.search(r'VmHWM:\\s+(\\d+) kB', Path('/proc/self/status').read_text())[1])")
    result = subprocess.run([sys.executable, "-c", code], cwd=project(root, meetings), capture_output=True,
                            text=True, check=True, env=dict(os.environ, CIRCULAR_JOBS="1"))
    return int(result.stdout.strip().splitlines()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description="circular 性能测试")
    parser.add_argument("--sizes", default="1,100,1000,10000")
    parser.add_argument("--json", default="bench-results.json")
    parser.add_argument("--pdf-docs", type=int, default=1000, help="会议通知份数（PDF 多核扩展测试）")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    report: dict = {"machine": f"{platform.machine()}, {os.cpu_count()} 核, Python {platform.python_version()}",
                    "date": time.strftime("%Y-%m-%d")}
    with tempfile.TemporaryDirectory(prefix="circular-bench-") as tmp_name:
        tmp = Path(tmp_name)
        # steady state on both sides: warm up on other meetings (one-time costs: the word-break
        # dictionary, compiling templates, shared parts), then time 1,000 meetings never seen
        # (fewer would mostly time starting the worker processes)
        loaded = invitations(project(tmp / "rate", 1100) / "data")
        real = len(loaded) - 1100  # the seed's own invitations come first; their long titles load jieba
        docs, warm_up = loaded[real:real + 1000], loaded[:real] + loaded[real + 1000:]
        sample = tmp / "sample.docx"
        from circular.layout import Layout
        from circular.render import render

        sample.write_bytes(render(docs[0], Layout()))
        template = tmp / "naive.docx"
        values = naive_template(sample, template, str(docs[0].header.doc_number))
        naive_rate(template, values, 10)
        naive = naive_rate(template, values, 100)
        our_rate(warm_up, 1)
        one = our_rate(docs, 1)
        cores = our_rate(docs, os.cpu_count() or 1)
        report["invitations"] = {"naive_docxtpl_per_s": naive, "ours_one_core_per_s": one,
                                 "ours_all_cores_per_s": cores, "ratio_per_core": one / naive,
                                 "target_ratio_per_core": 10}
        seed = tmp / "seed"
        for name in ("data", "templates"):
            shutil.copytree(ROOT / name, seed / name)
        shutil.copy(ROOT / "Makefile", seed / "Makefile")
        report["make_circular"] = make_circular(seed)
        if shutil.which("soffice"):
            report["pdf"] = pdf_rates(seed / "out", tmp)
            report["pdf_scaling"] = pdf_scaling(docs, tmp, args.pdf_docs)
        report["peak_rss_mb"] = {str(n): peak_rss(tmp / f"rss{n}", n) for n in sizes}
    report["title_breaking_ms"] = title_breaking()
    print_table(report)
    Path(args.json).write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"结果已写入 {args.json}")


def _met(ok: bool) -> str:
    return "达到" if ok else "未达到"


def print_table(r: dict) -> None:
    inv, mk = r["invitations"], r["make_circular"]
    rss = r["peak_rss_mb"]
    rows = [
        ("会议通知生成（每秒，单核）", f"{inv['ours_one_core_per_s']:.1f}",
         f"docxtpl 逐份渲染 {inv['naive_docxtpl_per_s']:.1f}", f"{inv['ratio_per_core']:.2f}×",
         f"≥ 10×（{_met(inv['ratio_per_core'] >= 10)}）"),
        ("会议通知生成（每秒，全部核）", f"{inv['ours_all_cores_per_s']:.1f}", "", "", ""),
        ("make circular 冷启动", f"{mk['cold_s']:.2f} s",
         f"同样的 .docx 一次 LibreOffice 批量转换 {mk['one_batch_s']:.2f} s",
         f"{mk['cold_over_batch']:.2f}×", f"≤ 2.0×（{_met(0 < mk['cold_over_batch'] <= 2.0)}）"),
        ("make circular 无改动", f"{mk['noop_s']:.2f} s", "", "", f"< 0.5 s（{_met(mk['noop_s'] < 0.5)}）"),
        ("改一行（一个会议的会场）", f"{mk['one_line_s']:.2f} s", "重建：" + "、".join(
            re.sub(r"^.*/", "", p) for p in mk["one_line_rebuilt"]), "", ""),
    ]
    if "pdf" in r:
        p = r["pdf"]
        rows.append(("PDF 转换（份/秒）", f"{p['batched_docs_per_s']:.2f}",
                     f"每份单独启动 {p['single_docs_per_s']:.2f}",
                     f"{p['ratio']:.2f}×", f"≥ 4×（{_met(p['ratio'] >= 4)}）"))
    if "pdf_scaling" in r:
        sc = r["pdf_scaling"]
        met = _met(sc["speedup"] >= sc["target_speedup"])
        rows.append((f"PDF 吞吐（{sc['docs']} 份会议通知，每核一个 LibreOffice）", f"{sc['all_cores_per_s']:.2f} 份/秒",
                     f"单个 LibreOffice {sc['one_worker_per_s']:.2f} 份/秒", f"{sc['speedup']:.2f}×",
                     f"≥ 0.8 × {sc['cores']} 核 = {sc['target_speedup']:.1f}×（{met}）"))
    sizes = sorted(rss, key=int)
    ratio, target = "", "N=10000 ≤ 1.5 × N=100"
    if "100" in rss and "10000" in rss:
        growth = rss["10000"] / rss["100"]
        ratio, target = f"{growth:.2f}×", f"{target}（{_met(growth <= 1.5)}）"
    rows.append(("峰值内存（MB）", "、".join(f"N={n}: {rss[n]:.0f}" for n in sizes), "", ratio, target))
    titles = r["title_breaking_ms"]
    worst = max(titles.values())
    rows.append(("标题分行（每个标题，最慢，ms）", "、".join(f"{n} 字: {t:.1f}" for n, t in titles.items()), "", "",
                 f"200 字 < 100 ms（{_met(titles.get('200', worst) < 100)}）"))
    print(f"circular 性能（{r['machine']}，{r['date']}）")
    print("| 项目 | 实测 | 基线 | 比值 | 目标 |")
    print("|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
