# kmod/build.mk - the kernel module, built against $(KDIR).
#
# KDIR comes from the top Makefile (the kernel mk/kver.sh finds, i.e. the
# one the VM target boots).  The module is remade when a source changes or
# when the kernel it is for changes (the stamp $(BUILD)/kmod.kver), and any
# compiler warning fails the build.

KMOD_LOG := $(BUILD)/kmod.log
KMOD_STAMP := $(BUILD)/kmod.kver
KMOD_SRCS := $(wildcard kmod/*.c kmod/*.h) kmod/Kbuild kmod/Makefile

.PHONY: kmod-kver-force
$(KMOD_STAMP): kmod-kver-force
	$(Q)mkdir -p $(@D)
	$(Q)echo '$(KVER) $(abspath $(KDIR))' | cmp -s - $@ || echo '$(KVER) $(abspath $(KDIR))' >$@

.PHONY: kmod
kmod: kmod/ptwalk.ko

kmod/ptwalk.ko: $(KMOD_SRCS) $(KMOD_STAMP)
	$(call msg,KMOD,$@ ($(KVER)))
	$(Q)test -d $(KDIR) || { echo "kmod: no kernel headers at $(KDIR) (make setup)" >&2; exit 1; }
	$(Q)mkdir -p $(BUILD)
	$(Q)$(MAKE) --no-print-directory -C kmod KDIR=$(abspath $(KDIR)) \
		$(if $(filter 1,$(V)),V=1) >$(KMOD_LOG) 2>&1 || { cat $(KMOD_LOG) >&2; rm -f $(KMOD_LOG); exit 1; }
	$(Q)if grep -E 'warning:' $(KMOD_LOG) >&2; then rm -f $(KMOD_LOG) kmod/ptwalk.ko; \
		echo "kmod: the module must build without warnings" >&2; exit 1; fi
	$(Q)rm -f $(KMOD_LOG)

build-all: kmod/ptwalk.ko
