# kmod/build.mk - the kernel module, every build of it through kmod/Makefile.
#
# kmod/ptwalk.ko is built in place against $(KDIR), the kernel mk/kver.sh
# finds (the one the VM target boots); it is remade when a source changes
# or when that kernel changes (the stamp $(BUILD)/kmod.kver).
# build/kmod-RELEASE/ptwalk.ko is the module for any other kernel, built
# in a copy of kmod/ (Kbuild writes its objects beside the sources, so one
# tree per kernel lets kernels build side by side without clobbering
# kmod/ptwalk.ko): the matrix (mk/matrix.mk), arm64 (mk/arm64.mk) and
# make install (mk/install.mk).  There KMOD_KDIR (set per target) names
# the kernel tree, default /lib/modules/RELEASE/build, and KMOD_ARGS adds
# make arguments (ARCH=arm64 CROSS_COMPILE=...).  Both go through
# kmod/Makefile, whose Kbuild fails on any compiler warning; the output
# is kept in a log and shown only on failure.

KMOD_LOG := $(BUILD)/kmod.log
KMOD_STAMP := $(BUILD)/kmod.kver
KMOD_SRCS := $(filter-out kmod/%.mod.c,$(wildcard kmod/*.c kmod/*.h)) kmod/Kbuild kmod/Makefile

# kmod_make DIR KDIR LOG [ARGS]: kmod/Makefile (or its copy) in DIR.
kmod_make = $(MAKE) --no-print-directory -C $(1) KDIR=$(2) $(4) $(if $(filter 1,$(V)),V=1) >$(3) 2>&1 || \
	{ cat $(3) >&2; rm -f $(1)/ptwalk.ko; exit 1; }

.PHONY: kmod-kver-force
$(KMOD_STAMP): kmod-kver-force
	$(Q)mkdir -p $(@D)
	$(Q)echo '$(KVER) $(abspath $(KDIR))' | cmp -s - $@ || echo '$(KVER) $(abspath $(KDIR))' >$@

kmod/ptwalk.ko: $(KMOD_SRCS) $(KMOD_STAMP)
	$(Q)[ -n '$(KVER)' ] || mk/kver.sh $(KERNEL) >/dev/null
	$(call msg,KMOD,$@ ($(KVER)))
	$(Q)test -d $(KDIR) || { echo "kmod: no kernel headers at $(KDIR) (make setup)" >&2; exit 1; }
	$(Q)mkdir -p $(BUILD)
	$(Q)$(call kmod_make,kmod,$(abspath $(KDIR)),$(KMOD_LOG))

build/kmod-%/ptwalk.ko: $(KMOD_SRCS)
	$(call msg,KMOD,$@)
	$(Q)test -d $(or $(KMOD_KDIR),/lib/modules/$*/build) || \
		{ echo "kmod: no kernel headers for $* at $(or $(KMOD_KDIR),/lib/modules/$*/build) (make setup KERNEL=...)" >&2; exit 1; }
	$(Q)mkdir -p $(@D) && cp $(KMOD_SRCS) $(@D)/
	$(Q)$(call kmod_make,$(@D),$(or $(KMOD_KDIR),/lib/modules/$*/build),$(@D)/build.log,$(KMOD_ARGS))

ifneq ($(KERNEL),arm64)
.PHONY: kmod
kmod: kmod/ptwalk.ko
build-all: kmod/ptwalk.ko
endif
