# mk/matrix.mk - the kernel matrix: Debian's 6.1 and 6.12 x 4- and 5-level
# paging, and Debian's arm64 6.1 (4 levels; mk/arm64.mk builds its parts).
#
#   make matrix          report plan + in-guest tests on every target, then
#                        reports/matrix/latest/matrix.md and matrix.csv
#                        (each run in reports/matrix/<UTC date-time>/)
#   make test-matrix     the in-guest test suite on every target
#   MATRIX_KERNELS="6.1 6.12 arm64"  MATRIX_PAGING="4 5"  MATRIX_JOBS=2
#
# Each kernel gets its own module, built from a copy of kmod/ in
# build/kmod-$(KVER)/ (kmod/build.mk), and its own initramfs,
# build/matrix/initramfs-$(KVER).cpio.gz.  Both are made here, one kernel
# after the other; mk/matrix.sh then only boots guests, MATRIX_JOBS at a
# time.

MATRIX_KERNELS ?= 6.1 6.12 arm64
MATRIX_PAGING ?= 4 5
MATRIX_JOBS ?= 2
# The last complete matrix run (mk/matrix.sh, reports/runs.sh).
MATRIX_DIR := reports/matrix/latest

.PHONY: matrix-run test-matrix-run matrix-build matrix-table

# build/kmod-KVER/ptwalk.ko, the module for one kernel in a tree of its
# own: kmod/build.mk.

# build/matrix/initramfs-KVER.cpio.gz: that kernel's guest, with its module.
build/matrix/initramfs-%.cpio.gz: build/kmod-%/ptwalk.ko $(PROGS) $(TEST_HELPERS) vm/init vm/mkinitramfs.sh tests/lib.sh \
		$(wildcard vm/plans/*.sh tests/plans/*.sh bench/guest/*.sh tests/guest/*) vm/lib.sh collect/errnames.h
	$(call msg,CPIO,$@)
	$(Q)mkdir -p $(@D)
	$(Q)vm/mkinitramfs.sh -k $* -o $@ -b $(BIN) -m build/kmod-$*/ptwalk.ko >$(if $(filter 1,$(V)),&2,/dev/null)

matrix-build: build-all
	$(Q)set -e; for k in $(MATRIX_KERNELS); do kv=$$(mk/kver.sh $$k); \
		$(MAKE) -s --no-print-directory $$([ $$k = arm64 ] && echo KERNEL=arm64) \
			build/kmod-$$kv/ptwalk.ko build/matrix/initramfs-$$kv.cpio.gz; done

test-matrix-run: matrix-build
	$(Q)MATRIX_KERNELS='$(MATRIX_KERNELS)' MATRIX_PAGING='$(MATRIX_PAGING)' MATRIX_JOBS=$(MATRIX_JOBS) \
		mk/matrix.sh test

matrix-run: matrix-build
	$(Q)MATRIX_KERNELS='$(MATRIX_KERNELS)' MATRIX_PAGING='$(MATRIX_PAGING)' MATRIX_JOBS=$(MATRIX_JOBS) \
		SAMPLES=$(SAMPLES) SIZES='$(SIZES)' ANALYZE=$(BIN)/analyze mk/matrix.sh report test

# The comparison alone, from the targets' analyzer outputs already there.
matrix-table:
	$(Q)mk/matrix-table.sh $(MATRIX_DIR)

# make report MATRIX=1: reports/gen.sh adds the matrix's table and figure
# (mk/matrix-section.sh), so the report follows reports/matrix/latest and is
# rewritten when MATRIX changes.
MATRIX ?= 0
.PHONY: matrix-vars-force
$(RDIR)/.matrix.vars: matrix-vars-force
	$(Q)mkdir -p $(@D)
	$(Q)echo 'MATRIX=$(MATRIX)' | cmp -s - $@ || echo 'MATRIX=$(MATRIX)' >$@
$(RDIR)/report.md: $(RDIR)/.matrix.vars $(if $(filter 1,$(MATRIX)),$(MATRIX_DIR)/matrix.md \
	$(MATRIX_DIR)/matrix.tex $(MATRIX_DIR)/fig_matrix.pdf $(MATRIX_DIR)/fig_matrix.png mk/matrix-section.sh)
$(MATRIX_DIR)/matrix.md $(MATRIX_DIR)/matrix.tex $(MATRIX_DIR)/fig_matrix.pdf $(MATRIX_DIR)/fig_matrix.png:
	@echo "report: MATRIX=1 needs $@: run make matrix first" >&2; exit 1
