# vm/build.mk - the guest's initramfs and the variables other parts use.
#
# build/vm/initramfs-$(KVER).cpio.gz is remade when a program, a test
# helper (tests/helpers/build.mk), the module,
# the guest init, a plan (VM_PLAN_FILES: vm/plans, tests/plans, bench/guest,
# as vm/lib.sh's PLAN_DIRS), vm/lib.sh, the errno table or an in-guest test
# changes.  Parts that boot the
# guest depend on $(VM_INITRAMFS) through TEST_DEPS (make test) and
# REPORT_DEPS (make report); vm/run.sh makes it itself when run by hand.
# VM_KO names the module to pack (default kmod/ptwalk.ko); VM_BIN and
# VM_TEST_BIN the directories of the guest's programs and test helpers,
# VM_PROGS what they are remade from, VM_MKINITRAMFS_ARGS more options
# (mk/arm64.mk sets them all for arm64).

VM_DIR := build/vm
VM_KO ?= kmod/ptwalk.ko
VM_BIN ?= $(BIN)
VM_TEST_BIN ?= $(TEST_BIN)
VM_PROGS ?= $(PROGS) $(TEST_HELPERS)
VM_MKINITRAMFS_ARGS ?=
# KVER: the top Makefile's.  An explicit (not pattern) rule below, so that a
# missing input is an error rather than a silently skipped rule.
VM_INITRAMFS := $(VM_DIR)/initramfs-$(or $(KVER),NO-KERNEL).cpio.gz
VM_PLAN_FILES := $(wildcard vm/plans/*.sh tests/plans/*.sh bench/guest/*.sh) vm/lib.sh collect/errnames.h
VM_INPUTS = $(VM_PROGS) $(VM_KO) vm/init vm/mkinitramfs.sh tests/lib.sh tests/readme_lib.sh README.md \
	$(VM_PLAN_FILES) $(wildcard vm/plans tests/plans bench/guest tests/guest tests/guest/*)

# The guest only exists for TARGET=vm; TARGET=host needs just the module.
VM_DEPS = $(if $(filter vm,$(TARGET)),$(VM_INITRAMFS),$(VM_KO))
TEST_DEPS += $(VM_DEPS)
REPORT_DEPS += $(VM_DEPS)

.PHONY: vm-initramfs
vm-initramfs: $(VM_INITRAMFS)

$(VM_INITRAMFS): $(VM_INPUTS)
	$(Q)[ -n '$(KVER)' ] || mk/kver.sh $(KERNEL) >/dev/null
	$(call msg,CPIO,$@)
	$(Q)vm/mkinitramfs.sh -k $(KVER) -o $@ -b $(VM_BIN) -B $(VM_TEST_BIN) -m $(VM_KO) $(VM_MKINITRAMFS_ARGS) >$(if $(filter 1,$(V)),&2,/dev/null)
