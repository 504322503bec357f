"""`site-builder init DIR`: a new region's project that uses the installed package: a commented
settings.yml whose every regional choice is a placeholder (refused by S040 until written in),
an obviously fictional example record, the workflow pinned to this package's version
(requirements.txt), and a .gitignore. Templates, layout and the theme stay in the package."""

from __future__ import annotations

import datetime as dt
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

STARTER = Path(__file__).resolve().parent / "starter"
# starter file → where it goes in the new project
FILES = {
    "settings.yml": "settings.yml",
    "brands/example-brand.md": "brands/shili-xugou-pinpai.md",
    "requirements.txt": "requirements.txt",
    "gitignore": ".gitignore",
    "workflows/site.yml": ".github/workflows/site.yml",
}


def package_version() -> str:
    try:
        return version("site-builder")
    except PackageNotFoundError:  # run from a checkout without installing
        return "0.0.0"


def init_project(dest: Path, force: bool = False, today: dt.date | None = None) -> tuple[bool, str]:
    """Write a new project into `dest`; (done, the Chinese message to print)."""
    if dest.exists() and not dest.is_dir():
        return False, f"{dest} 已存在且不是文件夹，没有创建项目。"
    if dest.is_dir() and any(dest.iterdir()) and not force:
        return False, (f"{dest} 不是空文件夹，没有创建项目（以免覆盖已有文件）；"
                       "提示：换一个新文件夹，或加 --force 只写入缺少的文件。")
    values = {"{version}": package_version(), "{today}": (today or dt.date.today()).isoformat()}
    written, kept = [], []
    for src, rel in FILES.items():
        target = dest / rel
        if target.exists():
            kept.append(rel)
            continue
        text = (STARTER / src).read_text(encoding="utf-8")
        for key, value in values.items():
            text = text.replace(key, value)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(rel)
    (dest / "docs").mkdir(exist_ok=True)  # hand-written pages and files, overriding the package's
    msg = (f"已在 {dest} 创建项目（site-builder {values['{version}']}）：写入 {'、'.join(written)}。"
           + (f"已存在、没有改动：{'、'.join(kept)}。" if kept else "")
           + "\n下一步：按注释填写 settings.yml 中所有【请填写……】，改写或删去示例档案，"
           f"然后在 {dest} 中运行 site-builder validate 和 site-builder build。")
    return True, msg
