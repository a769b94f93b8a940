"""build: the stages that write out/ — the .docx stage (documents.py) and the PDF stage (pdfs.py),
each staged and published whole — over a worker pool (workers.py)."""

from .documents import Planned, build, plan
from .pdfs import PRINT_NAME, render_pdfs
from .workers import RENDER_WINDOW, jobs, render_all

__all__ = ["PRINT_NAME", "RENDER_WINDOW", "Planned", "build", "jobs", "plan", "render_all", "render_pdfs"]
