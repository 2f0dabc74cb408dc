"""The screen's stages (:data:`~cellwatch.screen.run.STAGES`, and ``done``) in English and
Simplified Chinese: one catalogue for the CLI's progress bar and the web page's job
status."""

from __future__ import annotations

STAGE_WORDS: dict[str, tuple[str, str]] = {
    "read": ("reading the file", "读取文件"),
    "map columns": ("finding the columns", "识别列"),
    "registry facts": ("looking up the registry", "查询登记库"),
    "judge": ("judging every row", "逐行判定"),
    "write": ("writing the result", "写出结果"),
    "summarise": ("counting", "汇总"),
    "done": ("done", "完成"),
}
