# circular — make targets are thin wrappers over the `circular` command.
# Set-up on a fresh clone is part of every target: the first run creates .venv and installs.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
TESTSTAMP := $(VENV)/.test-stamp

.PHONY: help circular pdf check lint review bench test test-fast code-check clean

BASE ?= HEAD~1

help:  ## 列出全部目标
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## (.*)$$/  make \1\t\2/' | expand -t 22

circular: $(STAMP)  ## 生成全部公文到 out/（装有 LibreOffice 时同时生成 PDF 和会议通知合订本）
	$(BIN)/circular build --pdf
	$(BIN)/circular pdf --optional --no-previews

pdf: $(STAMP)  ## 用 LibreOffice 生成 PDF、每页预览图和长图（要求已安装）
	$(BIN)/circular build --pdf
	$(BIN)/circular pdf

lint: $(STAMP)  ## 检查数据中的文字（发文字号、日期、标点、序号、跨文件一致性）
	$(BIN)/circular lint

check: pdf  ## 在 PDF 上逐项检查 GB/T 9704 版式
	$(BIN)/circular check

review: $(STAMP)  ## 与 git 版本 BASE 比较，审阅包写到 review/（CI 在合并请求上运行它）
	mkdir -p review
	$(BIN)/circular lint --format sarif > review/lint.sarif; test $$? -le 1
	$(BIN)/circular lint > review/lint.txt; test $$? -le 1
	$(BIN)/circular build --pdf
	$(BIN)/circular pdf --no-previews
	$(BIN)/circular check --all > review/check.txt; echo $$? > review/check.status
	$(BIN)/circular diff --rev $(BASE) --bundle review --format markdown > review/summary.md; test $$? -le 1
	@# the bundle is written whatever check found; a layout failure fails the target last
	test "$$(cat review/check.status)" = 0

bench: $(TESTSTAMP)  ## 性能测试（比值相对同一次运行中的基线），结果写入 bench-results.json
	$(BIN)/python bench/run.py $(if $(SIZES),--sizes $(SIZES))

test: $(TESTSTAMP)  ## 运行全部测试
	$(BIN)/python -m pytest

test-fast: $(TESTSTAMP)  ## 不需要 LibreOffice 的测试（约 1.5 分钟）
	$(BIN)/python -m pytest -m "not render"

code-check: $(TESTSTAMP)  ## ruff 和 mypy 检查 src/（CI 中有问题即失败）
	$(BIN)/ruff check src bench
	$(BIN)/mypy

clean:  ## 删除生成的文件（保留 .venv）
	rm -rf out .out.staging .out.old review

# make circular installs what building needs; make test adds the test tools
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "正在安装 circular 及其依赖（第一次约需几分钟）…"
	$(BIN)/python -m pip install $(if $(CI),--quiet,--progress-bar on) --disable-pip-version-check -c constraints.txt -e .
	touch $@

$(TESTSTAMP): $(STAMP)
	$(BIN)/python -m pip install $(if $(CI),--quiet,--progress-bar on) --disable-pip-version-check -c constraints.txt -e '.[test]'
	touch $@
