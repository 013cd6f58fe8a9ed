# mk/arm64.mk - the arm64 VM target (make ... ARCH=arm64, i.e. KERNEL=arm64).
#
# Included by the top Makefile, after kmod/build.mk, when the guest is
# Debian's arm64 kernel, extracted by mk/setup-arm64.sh into ARM64_ROOT
# (mk/arm64-root.sh).  The module is cross-built in a tree of its own,
# build/kmod-$(KVER)/ (kmod/build.mk's rule, as for the matrix), with
# ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-, and any compiler warning fails
# it.  The guest's programs are the same $(PROGS) cross-built statically by
# a sub-make into build/arm64/bin and build/arm64/tests/bin (CROSS=arm64
# moves BUILD there), all but ioctl32, an x86 32-bit program; the analyzer
# links the arm64 libcsv.a that mk/setup-arm64.sh unpacked into ARM64_ROOT
# (the guest's plans and tests take the samples header from `analyze
# --schema`, as on x86-64).  The host keeps its own x86-64 build/bin for
# the analyzer and the host tests.

ARM64_ROOT := $(shell mk/arm64-root.sh)
ARM64_CROSS := aarch64-linux-gnu-
ARM64_KDIR = $(ARM64_ROOT)/lib/modules/$(KVER)/build
ARM64_KODIR = build/kmod-$(KVER)
ARM64_BIN := build/arm64/bin
ARM64_TEST_BIN := build/arm64/tests/bin
ARM64_STAMP := build/arm64/progs.stamp
# analyze/build.mk comes after this file: its program by name.
GUEST_PROGS = $(PROGS) $(BIN)/analyze $(filter-out %/ioctl32,$(TEST_HELPERS))

ifeq ($(CROSS),arm64)
# The sub-make: just the guest's programs, cross-compiled; libcsv's header
# and static library from ARM64_ROOT (the cross compiler does not look in
# the host's /usr/include).
ALL_CFLAGS += -isystem $(ARM64_ROOT)/usr/include
$(BIN)/analyze: ALL_CFLAGS += -L$(ARM64_ROOT)/usr/lib/aarch64-linux-gnu
.PHONY: guest-progs
guest-progs: $(GUEST_PROGS)
	@:
else
VM_KO := $(ARM64_KODIR)/ptwalk.ko
VM_BIN := $(ARM64_BIN)
VM_TEST_BIN := $(ARM64_TEST_BIN)
VM_PROGS := $(ARM64_STAMP)
VM_MKINITRAMFS_ARGS := -r $(ARM64_ROOT)

# The module: kmod/build.mk's per-kernel tree, against the arm64 headers.
$(VM_KO): KMOD_KDIR := $(ARM64_KDIR)
$(VM_KO): KMOD_ARGS := ARCH=arm64 CROSS_COMPILE=$(ARM64_CROSS)

# The sub-make decides what to rebuild; the stamp changes only when a
# program did, so the initramfs is remade only then.
.PHONY: arm64-progs-force
$(ARM64_STAMP): arm64-progs-force
	$(Q)$(MAKE) --no-print-directory KERNEL=arm64 CROSS=arm64 CC=$(ARM64_CROSS)gcc guest-progs
	$(Q)if [ ! -f $@ ] || [ -n "$$(find $(ARM64_BIN) -type f -newer $@)" ] || [ -n "$$(find $(ARM64_TEST_BIN) -type f -newer $@ 2>/dev/null)" ]; then touch $@; fi

# The matrix's arm64 guest (mk/matrix.mk): the same parts, its own archive.
build/matrix/initramfs-$(KVER).cpio.gz: $(VM_KO) $(ARM64_STAMP) vm/init vm/mkinitramfs.sh tests/lib.sh \
		$(wildcard vm/plans/*.sh tests/plans/*.sh bench/guest/*.sh tests/guest/*) vm/lib.sh collect/errnames.h
	$(call msg,CPIO,$@)
	$(Q)mkdir -p $(@D)
	$(Q)vm/mkinitramfs.sh -k $(KVER) -o $@ -b $(ARM64_BIN) -B $(ARM64_TEST_BIN) -m $(VM_KO) -r $(ARM64_ROOT) >$(if $(filter 1,$(V)),&2,/dev/null)

.PHONY: kmod
kmod: $(VM_KO)
build-all: $(VM_KO) $(ARM64_STAMP)
endif
