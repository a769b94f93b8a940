"""Do two commits write the same bytes? Builds the same inputs with each commit's code and compares
the sha256 every manifest records.

  .venv/bin/python bench/same_bytes.py BASE [OTHER]        (OTHER defaults to the working tree)

Inputs, identical for both sides: the seed data and templates of BASE, and a synthetic set of the
seed plus 200 meetings with invitations (bench/synthetic.py). Each side is built in a git worktree
of its commit with this virtual environment (same pinned libraries), with the LibreOffice
pagination pass when soffice is installed. Exit status 0 when every document is identical.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from synthetic import project

ROOT = Path(__file__).resolve().parents[1]
INVITATIONS = 200
BUILD = ("import sys; sys.path.insert(0, sys.argv[1]); from pathlib import Path; from circular.build import build; "
         "build(Path(sys.argv[2]), Path(sys.argv[3]), paginate=True)")


def checkout(rev: str | None, where: Path) -> Path:
    """The source tree of ``rev`` (a worktree), or of the working tree when ``rev`` is None."""
    if rev is None:
        return ROOT
    subprocess.run(["git", "worktree", "add", "--detach", "--quiet", str(where), rev], cwd=ROOT, check=True)
    return where


def inputs(base: Path, into: Path) -> dict[str, Path]:
    """The two data sets, made from BASE's data and templates."""
    seed = into / "seed"
    for name in ("data", "templates"):
        shutil.copytree(base / name, seed / name)
    return {"seed": seed / "data", "synthetic": project(into / "synthetic", INVITATIONS, source=seed) / "data"}


def hashes(tree: Path, data: Path, out: Path) -> dict[str, str]:
    # each side's own code, run from a neutral folder so nothing else is imported
    out.parent.mkdir(parents=True)
    subprocess.run([sys.executable, "-c", BUILD, str(tree / "src"), str(data), str(out)], check=True,
                   cwd=out.parent)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {d["docx"]: d["sha256"] for d in manifest["documents"] if "docx" in d}


def main() -> int:
    parser = argparse.ArgumentParser(description="两个提交对同样的输入是否写出同样的字节")
    parser.add_argument("base")
    parser.add_argument("other", nargs="?")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="circular-bytes-") as tmp_name:
        tmp = Path(tmp_name)
        trees = {"base": checkout(args.base, tmp / "base"), "other": checkout(args.other, tmp / "other")}
        try:
            sets = inputs(trees["base"], tmp / "inputs")
            differ = 0
            for name, data in sets.items():
                side = {who: hashes(tree, data, tmp / f"{who}-{name}" / "out") for who, tree in trees.items()}
                for doc in sorted(set(side["base"]) | set(side["other"])):
                    if side["base"].get(doc) != side["other"].get(doc):
                        differ += 1
                        print(f"不同：{name}/{doc}")
                same = sum(side["base"].get(d) == h for d, h in side["other"].items())
                print(f"{name}：{len(side['base'])} 份文件，{same} 份字节相同")
        finally:
            for who in ("base", "other"):
                if trees[who] != ROOT:
                    subprocess.run(["git", "worktree", "remove", "--force", str(trees[who])], cwd=ROOT, check=False)
    print("全部相同" if not differ else f"{differ} 份不同")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
