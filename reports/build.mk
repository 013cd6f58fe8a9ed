# reports/build.mk - `make report`: guest experiment, analysis, figures, report.
#
#   make report [TARGET=vm|host] [PAGING=4|5] [SIZES=FROM:TO|"4K 64K 1M"] [SAMPLES=N]
#
# Each run goes to its own RDIR = reports/<vm-4level|vm-5level|host>/<UTC
# date-time>/ (reports/runs.sh), and reports/<target>/latest links to the
# last run that completed; a failed run is renamed <date-time>.failed and
# does not move it.  A run starts as a copy of latest, so make remakes only
# what is out of date, and a run that remakes nothing is dropped.  A run
# holds data/ (what
# the plan vm/plans/report.sh wrote, with the guest's logs), meta.txt, the
# analyzer's tables, fig/*.pdf + fig/*.png, report.md, report.tex and
# report.pdf.  Stamps make each stage depend on exactly what feeds it:
#   .plan.vars      the plan's variables, rewritten only when they change
#   .data.stamp     programs, module, plan scripts, guest init, .plan.vars
#   .analysis.stamp the data and the analyzer (reports/analyze.sh: main
#                   sweep into RDIR, each phase's user.PHASE.csv into
#                   RDIR/phases/PHASE/)
#   fig/.<fig>.stamp  its script, plots/style.gp, the analysis
#   report.md/.pdf  reports/gen.sh + gen.awk + teach.awk + frag_section.sh, every
#                   figure, the analysis
# so a second `make report` with nothing changed rebuilds nothing, and a
# changed plot script redraws its figure and the report only.  Each step
# prints "[k/N] what (seconds since start)" on stderr; the closing lines are
# a timing breakdown and where the report is.

# A kernel chosen with KERNEL= gets its own directory, so that the 6.1 and
# 6.12 reports never overwrite each other.  REPORT_RUN names the run
# report-run builds (report-steps and the sub-makes under it); the other
# targets that read RDIR see the latest run.
REPORT_NAME := $(if $(filter host,$(TARGET)),host,vm-$(if $(KERNEL),$(KERNEL)-)$(PAGING)level)
REPORT_TOP := reports/$(REPORT_NAME)
REPORT_RUN ?= latest
RDIR := $(REPORT_TOP)/$(REPORT_RUN)
TIMING := $(RDIR)/.timing
# Steps: build, collect, analyze, one per figure, report.md, report.pdf.
REPORT_N := $(words build collect analyze $(FIGS) md pdf)
# SIZES is FROM:TO or a list, "4K 64K 1M" as README.md shows it (commas
# work too); PLAN_ENV splits at spaces, so the list goes as 4K,64K,1M.
report_comma := ,
report_empty :=
report_space := $(report_empty) $(report_empty)
SIZES_PLAN := $(subst $(report_space),$(report_comma),$(strip $(subst $(report_comma),$(report_space),$(SIZES))))
PLAN_ENV_REPORT := $(if $(SIZES_PLAN),SIZES=$(SIZES_PLAN)) SAMPLES=$(SAMPLES) $(REPORT_PLAN_ENV)
# The report's guest has 4 GiB (VM_MEM): with less there is no ZONE_NORMAL
# and no 1 GiB direct-map leaf, and the held samples need the room.
REPORT_VM_MEM ?= 4G
PLAN_VARS := TARGET=$(TARGET) PAGING=$(PAGING) KERNEL=$(KERNEL) VM_MEM=$(REPORT_VM_MEM) $(PLAN_ENV_REPORT)
FIG_STAMPS := $(foreach f,$(FIGS),$(RDIR)/fig/.$(f).stamp)

.PHONY: report-run report-steps report-files report-plan-vars-force

# SIZES is checked before anything is made; then a new run, its steps, and
# latest moved only when they all succeeded.
# make -n shows the run's commands and makes no run: its line does not
# name $(MAKE), so make prints it without running it.
report-run: export PTWALK_SIZES = $(SIZES)
report-run: export MEMALLOC = $(abspath $(BIN))/memalloc
# SIZES is checked first, by memalloc's parser: only memalloc is built for it.
report-run: $(BIN)/memalloc
	$(Q)reports/sizes.sh
ifeq ($(findstring n,$(firstword -$(MAKEFLAGS))),)
	+$(Q)run=$$(reports/runs.sh new $(REPORT_TOP)) && \
	if $(MAKE) --no-print-directory report-steps REPORT_RUN=$${run##*/}; then \
		reports/runs.sh done $(REPORT_TOP) $$run; \
	else reports/runs.sh failed $(REPORT_TOP) $$run; exit 1; fi
else
	run=$$(reports/runs.sh new $(REPORT_TOP)) && \
	if make report-steps REPORT_RUN=$${run##*/}; then reports/runs.sh done $(REPORT_TOP) $$run; \
	else reports/runs.sh failed $(REPORT_TOP) $$run; exit 1; fi
endif

report-steps:
	$(Q)mkdir -p $(RDIR) && : >$(TIMING)
	+$(Q)export REPORT_T0=$$(date +%s.%N) && \
	reports/step.sh 1/$(REPORT_N) "build: programs, module$(if $(filter vm,$(TARGET)), and initramfs)" $(TIMING) \
		$(MAKE) -s --no-print-directory build-all $(REPORT_DEPS) && \
	$(MAKE) --no-print-directory report-files && \
	reports/timing.sh $(RDIR) $(REPORT_N)

report-files: $(RDIR)/report.pdf

$(RDIR)/.plan.vars: report-plan-vars-force
	$(Q)mkdir -p $(@D)
	$(Q)echo '$(strip $(PLAN_VARS))' | cmp -s - $@ || echo '$(strip $(PLAN_VARS))' >$@

$(RDIR)/.data.stamp: $(PROGS) $(VM_KO) vm/plans/report.sh vm/plans/pagemap_self.sh vm/plans/lib.sh vm/plans/frag.sh vm/lib.sh collect/errnames.h vm/init vm/run.sh \
		reports/collect.sh $(RDIR)/.plan.vars | $(REPORT_DEPS)
	$(Q)reports/step.sh 2/$(REPORT_N) "collect: vm/run.sh report $(RDIR)/data ($(TARGET), $(PAGING)-level paging, sizes $(or $(SIZES_PLAN),4K:256M), $(SAMPLES) samples)" \
		$(TIMING) env TARGET=$(TARGET) PAGING=$(PAGING) KERNEL=$(KERNEL) VM_MEM=$(REPORT_VM_MEM) PLAN_ENV='$(strip $(PLAN_ENV_REPORT))' \
		reports/collect.sh $(RDIR)
	$(Q)touch $@

$(RDIR)/.analysis.stamp: $(RDIR)/.data.stamp $(BIN)/analyze reports/analyze.sh
	$(Q)reports/step.sh 3/$(REPORT_N) "analyze: $(BIN)/analyze -o $(RDIR) data/*, per phase user.*.csv" $(TIMING) \
		env ANALYZE=$(BIN)/analyze reports/analyze.sh $(RDIR)
	$(Q)touch $@

define report_fig
$(RDIR)/fig/.$(1).stamp: plots/$(1).gp plots/style.gp $(FIG_DEPS_$(1)) $(RDIR)/.analysis.stamp | gnuplot-check
	$(Q)mkdir -p $$(@D)
	$(Q)reports/step.sh $(2)/$(REPORT_N) "$(1).gp --> $(1).pdf" $(TIMING) \
		reports/plot.sh plots/$(1).gp $(RDIR)/$(FIG_DATA_$(1)) $(RDIR)/fig/$(1)
	$(Q)touch $$@
endef
$(foreach i,$(shell seq 1 $(words $(FIGS))),$(eval $(call report_fig,$(word $(i),$(FIGS)),$(shell echo $$(($(i) + 3))))))

$(RDIR)/report.md: reports/gen.sh reports/gen.awk reports/teach.awk reports/frag_section.sh reports/walk_section.sh reports/arch_section.sh $(FIG_STAMPS) $(RDIR)/.analysis.stamp
	$(Q)reports/step.sh $(shell echo $$(($(REPORT_N) - 1)))/$(REPORT_N) "report.md and report.tex" $(TIMING) \
		reports/gen.sh $(RDIR)

$(RDIR)/report.pdf: $(RDIR)/report.md reports/latex.sh
	$(Q)reports/step.sh $(REPORT_N)/$(REPORT_N) "pdflatex report.tex --> report.pdf" $(TIMING) \
		reports/latex.sh $(RDIR)
