# `make test` and `make book` each set up what they need: a .venv built from
# requirements.txt (+ constraints.txt) when it is missing or older than them.
VENV    ?= .venv
PYTHON  := $(VENV)/bin/python
JOBS    ?= 2
BOOKFLAGS ?=

# TensorFlow: quiet C++ logs and no oneDNN re-ordering (reproducible float results).
export TF_CPP_MIN_LOG_LEVEL := 3
export TF_ENABLE_ONEDNN_OPTS := 0
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: help venv colab-venv test test-robust test-colab unit notebooks book book-strict test-html report lint clean

help:
	@echo "make test   unit tests + every notebook under nbval (fills the execution cache)"
	@echo "make test-robust OFFSET=3  every notebook again: seeds shifted, the reader's threads"
	@echo "make test-colab OFFSET=3   the same, as in Colab: each notebook alone, ipywidgets 7"
	@echo "make book   the HTML book in _build/html (executes notebooks not cached yet)"
	@echo "make test-html  the built book in headless Chromium (after make book)"
	@echo "make report each notebook alone: time, peak memory, what it checks (into README)"
	@echo "make lint   ruff over helpers, tests, tools and notebooks"

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt constraints.txt pyproject.toml
	test -x $(PYTHON) || python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -r requirements.txt -c constraints.txt
	$(PYTHON) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# Unit tests and notebooks in one pytest run, spread over $(JOBS) processes; each
# notebook stays on one worker (--dist loadscope) and runs in its own kernel. Each kernel
# gets one thread: $(JOBS) kernels each starting PyTorch's and TensorFlow's thread pools on
# as many cores makes small models up to 30 times slower (measured on the 2-core CI).
ONE_THREAD := OMP_NUM_THREADS=1 TF_NUM_INTRAOP_THREADS=1 TF_NUM_INTEROP_THREADS=1

test: venv
	$(ONE_THREAD) $(PYTHON) -m pytest -n $(JOBS) --dist loadscope --nbval-lax --nbval-current-env \
	  --nbval-cell-timeout=300 --ignore=tests/browser tests chapters

# The robustness pass: every notebook again as a reader runs it, with every seed shifted
# by OFFSET (BOOK_SEED_OFFSET, see helpers/seed.py): one notebook at a time, the
# libraries' default thread counts, TensorFlow's oneDNN setting as the notebooks leave it.
# Its outputs are not stored for the book (tests/plugin_store_outputs.py stores offset 0
# only).
OFFSET ?= 1
ROBUST_ENV := env -u OMP_NUM_THREADS -u MKL_NUM_THREADS -u OPENBLAS_NUM_THREADS \
  -u TF_NUM_INTRAOP_THREADS -u TF_NUM_INTEROP_THREADS -u TF_ENABLE_ONEDNN_OPTS \
  BOOK_SEED_OFFSET=$(OFFSET)

test-robust: venv
	$(ROBUST_ENV) $(PYTHON) -m pytest --nbval-lax --nbval-current-env \
	  --nbval-cell-timeout=300 chapters

# The Colab pass (tools/colab_pass.py): the robustness pass again, but as a Colab reader
# runs the book. .venv-colab reuses .venv's packages through a .pth file, puts Colab's
# ipywidgets 7 in front of them and installs helpers from this clone the way the hidden
# Colab cell does (pip --no-deps, not editable); each notebook runs alone in a temporary
# folder outside the repository. CI runs this pass instead of test-robust.
COLAB_VENV := .venv-colab
COLAB_PY := $(COLAB_VENV)/bin/python
COLAB_PACKAGES := ipywidgets==7.7.1

colab-venv: $(COLAB_VENV)/.installed

$(COLAB_VENV)/.installed: $(VENV)/.installed pyproject.toml $(wildcard helpers/*.py helpers/*/*)
	rm -rf $(COLAB_VENV)
	python3 -m venv $(COLAB_VENV)
	$(PYTHON) -c "import sysconfig; print(sysconfig.get_paths()['purelib'])" \
	  > "$$($(COLAB_PY) -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")/zz_book_env.pth"
	$(COLAB_PY) -m pip install --quiet $(COLAB_PACKAGES)
	tmp=$$(mktemp -d) && cp -r pyproject.toml README.md helpers "$$tmp" && \
	  $(COLAB_PY) -m pip install --quiet --no-deps "$$tmp" && rm -rf "$$tmp"
	touch $@

test-colab: venv colab-venv
	$(PYTHON) tools/colab_pass.py --python $(COLAB_PY) --offset $(OFFSET)

unit: venv
	$(PYTHON) -m pytest --ignore=tests/browser tests

notebooks: venv
	$(ONE_THREAD) $(PYTHON) -m pytest -n $(JOBS) --dist loadscope --nbval-lax --nbval-current-env \
	  --nbval-cell-timeout=300 chapters

# A notebook that fails does not stop the build; tools/book_errors.py then names it and
# the failing cell, and the target fails.
book: venv
	rm -rf _build/html/reports
	$(VENV)/bin/jupyter-book build --all $(BOOKFLAGS) . || status=$$?; \
	  $(PYTHON) tools/book_errors.py && exit $${status:-0}

# What CI builds: warnings are errors, cross-references checked (nitpicky).
book-strict: BOOKFLAGS = -W -n --keep-going
book-strict: book

# The HTML book as a reader meets it (needs Debian's chromium; see .ci/run).
test-html: venv
	$(PYTHON) -m pytest tests/browser

# Every notebook alone in a fresh kernel, in toc order: time, peak memory and the numbers
# its checks print, written to _build/report/ and into README.md's performance table.
report: venv
	$(PYTHON) tools/report.py --readme

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf _build
