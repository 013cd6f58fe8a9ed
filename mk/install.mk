# mk/install.mk - make install / uninstall: ptwalk for native use.
#
#   make install [prefix=/usr/local] [DESTDIR=] [KDIR=/lib/modules/R/build]
#   make uninstall [prefix=...] [DESTDIR=]
#
# Installs, as libbpf-tools does, every program of build/bin ($(PROGS)) in
# $(DESTDIR)$(prefix)/bin, its man page in $(DESTDIR)$(prefix)/share/man/man1
# (mk/man.sh: help2man, from the program's --help, into build/man/), and
# the module as $(DESTDIR)/lib/modules/RELEASE/extra/ptwalk.ko.  RELEASE is
# the running kernel's (uname -r), or KDIR's (UTS_RELEASE in its
# include/generated/utsrelease.h, as in the module's vermagic) when KDIR
# is given: this is the native
# use, not the guest's kernel, so the module is built for RELEASE in
# build/kmod-RELEASE/ (kmod/build.mk).  Without headers for RELEASE the
# module cannot be built: install says so in one line and installs the
# rest, since every program but pfn_ioctl works without the module; `make
# install-kmod` alone fails then.  depmod runs only when DESTDIR is empty.

prefix ?= /usr/local
DESTDIR ?=
# q: a value as one single-quoted shell word, whatever it holds (a space,
# a ', a $ or ` in DESTDIR or prefix is a character of the path).
q = '$(subst ','\'',$(1))'
comma := ,
# A relative prefix would be glued to DESTDIR's last name (DESTDIR=/tmp/d
# prefix=usr installed into /tmp/dusr): refused, as an empty one is not.
ifneq ($(filter install install-run install-progs install-kmod uninstall,$(MAKECMDGOALS)),)
ifneq ($(patsubst /%,,$(firstword $(prefix))),)
$(error install: prefix '$(prefix)' is not an absolute path (DESTDIR stages an install elsewhere))
endif
endif
bindir := $(prefix)/bin
man1dir := $(prefix)/share/man/man1
INSTALL ?= install
# The man pages' version: the commit they were made from.
VERSION := $(or $(shell git describe --always --dirty 2>/dev/null),unknown)

ifneq ($(filter command line environment,$(origin KDIR)),)
INSTALL_KDIR := $(abspath $(KDIR))
INSTALL_RELEASE := $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"$$/\1/p' $(call q,$(INSTALL_KDIR)/include/generated/utsrelease.h) 2>/dev/null)
else
INSTALL_RELEASE := $(shell uname -r)
INSTALL_KDIR := /lib/modules/$(INSTALL_RELEASE)/build
endif
ifneq ($(INSTALL_RELEASE),)
INSTALL_KO := build/kmod-$(INSTALL_RELEASE)/ptwalk.ko
$(INSTALL_KO): KMOD_KDIR := $(INSTALL_KDIR)
else
INSTALL_KO := install-no-release
.PHONY: install-no-release
install-no-release:
	@echo "install: no kernel release at KDIR=$(KDIR) (no include/generated/utsrelease.h: not a kernel tree)" >&2; exit 1
endif
MODDIR := $(DESTDIR)/lib/modules/$(INSTALL_RELEASE)/extra

# Each man page's NAME line; a program without one gets a generic line.
MAN_NAME_analyze := reduce ptwalk samples CSV and buddyinfo snapshots to tables
MAN_NAME_fragment := fragment free memory into 4 KiB pages that cannot merge
MAN_NAME_memalloc := allocate memory and record each page's physical address
MAN_NAME_pagemap_reader := translate a process's virtual addresses through /proc/PID/pagemap
MAN_NAME_pfn_ioctl := translate a process's virtual pages with ptwalk.ko's ioctl
MAN_NAME_prober := allocate and touch memory, print its address and PID, wait
MANS := $(patsubst $(BIN)/%,build/man/%.1,$(PROGS))

build/man/%.1: $(BIN)/% mk/man.sh
	$(call msg,MAN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)mk/man.sh ./$< "$(or $(MAN_NAME_$*),a ptwalk program)" '$(VERSION)' $@

.PHONY: install-run install-progs install-kmod
install-run: install-progs
	$(Q)if [ -z $(call q,$(INSTALL_RELEASE)) ] || [ ! -d $(call q,$(INSTALL_KDIR)) ]; then \
		echo $(call q,install: ptwalk.ko not installed: no kernel headers $(if $(INSTALL_RELEASE),for $(INSTALL_RELEASE) at $(INSTALL_KDIR) (install linux-headers-$(INSTALL_RELEASE), or give KDIR=),at KDIR=$(KDIR))) >&2; \
	else $(MAKE) --no-print-directory install-kmod; fi

install-progs: $(PROGS) $(MANS)
	$(Q)$(INSTALL) -d $(call q,$(DESTDIR)$(bindir)) $(call q,$(DESTDIR)$(man1dir))
	$(Q)$(INSTALL) -m 755 $(PROGS) $(call q,$(DESTDIR)$(bindir)/)
	$(Q)$(INSTALL) -m 644 $(MANS) $(call q,$(DESTDIR)$(man1dir)/)
	$(Q)echo $(call q,install: $(notdir $(PROGS)) in $(DESTDIR)$(bindir)$(comma) man pages in $(DESTDIR)$(man1dir)) >&2

install-kmod: $(INSTALL_KO)
	$(Q)$(INSTALL) -d $(call q,$(MODDIR))
	$(Q)$(INSTALL) -m 644 $< $(call q,$(MODDIR)/ptwalk.ko)
	$(Q)$(if $(DESTDIR),:,depmod $(call q,$(INSTALL_RELEASE)))
	$(Q)echo $(call q,install: ptwalk.ko for $(INSTALL_RELEASE) in $(MODDIR)) >&2

install: install-run

uninstall:
	$(Q)rm -f $(foreach p,$(notdir $(PROGS)),$(call q,$(DESTDIR)$(bindir)/$(p)) $(call q,$(DESTDIR)$(man1dir)/$(p).1))
	$(Q)rm -f $(call q,$(MODDIR)/ptwalk.ko)
	$(Q)$(if $(DESTDIR),:,[ ! -d $(call q,/lib/modules/$(INSTALL_RELEASE)) ] || depmod $(call q,$(INSTALL_RELEASE)))
