"""Synthetic data for benchmarks and tests: the seed project with N extra meetings, each with an
invitation to a 10-unit group."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

MEETING = """      - id: m{n}
        text: 召开第{n}次合成测试研讨会
        place: 合成地点{n}
        group: 合成名单
        invitation:
          issued: 2013年4月1日
          date: 2013年5月{day}日
          time: 上午9:00
          venue: 会议室
          participants: 各单位负责人
          agenda: [交流经验, 部署工作]
          reply_by: 2013年4月20日
          contact: {{name: 刘立新, phone: 023-63854123}}
"""


def project(root: Path, meetings: int, source: Path = ROOT) -> Path:
    """A copy of the project at ``source`` (data/, templates/, Makefile) whose schedule has
    ``meetings`` synthetic meetings with invitations."""
    shutil.copytree(source / "data", root / "data")
    shutil.copytree(source / "templates", root / "templates")
    if (source / "Makefile").exists():
        shutil.copy(source / "Makefile", root / "Makefile")
    regions = root / "data" / "regions.yaml"
    regions.write_text(regions.read_text(encoding="utf-8") + "  合成名单:\n" +
                       "".join(f"    - 合成单位{i}关工委\n" for i in range(10)), encoding="utf-8")
    schedule = root / "data" / "2013-07" / "schedule.yaml"
    text = schedule.read_text(encoding="utf-8")
    extra = "".join(MEETING.format(n=n, day=1 + n % 28) for n in range(meetings))
    schedule.write_text(text.replace("      - 总结全年关工委工作\n", "      - 总结全年关工委工作\n" + extra),
                        encoding="utf-8")
    return root
