# Makefile - builds, tests, reports and installs ptwalk.
#
# The targets that boot a guest (report, test, matrix, test-matrix) and
# `make setup` first run mk/setup.sh, which installs missing Debian
# packages, and then the internal target of the same job in a sub-make, so
# nothing here is evaluated before its tools exist.  The others (all,
# build-all, bench, asan, ubsan, leakcheck, fuzz, install) install nothing:
# mk/setup.sh --check says what is missing, one line each, and make stops.
# Each directory adds its own rules in its build.mk; objects and programs
# go to build/ (build/<san>/ for sanitizer builds).  Quiet unless V=1.

.DELETE_ON_ERROR:
# Keep objects make sees as intermediate (unit-test objects), so that a
# second run does not relink the tests.
.SECONDARY:
.SUFFIXES:
SHELL := /bin/bash

V ?= 0
Q := $(if $(filter 1,$(V)),,@)
msg = $(if $(filter 1,$(V)),,@printf '  %-8s %s\n' '$(1)' '$(2)';)

# The experiment and its target; see README.md.
TARGET ?= vm
PAGING ?= 4
KERNEL ?=
SIZES ?=
SAMPLES ?= 3

# ARCH=arm64: the guest is Debian's arm64 kernel (mk/arm64.mk), which is
# KERNEL=arm64 inside.  The kernel's own build reads ARCH, so it is not
# handed on to sub-makes as such.
ifneq ($(filter command line environment override,$(origin ARCH)),)
ifneq ($(filter arm64 aarch64,$(ARCH)),)
ifneq ($(filter-out arm64,$(or $(KERNEL),arm64)),)
$(error ARCH=arm64 boots Debian's arm64 6.1 kernel; KERNEL=$(KERNEL) is an x86-64 kernel)
endif
override KERNEL := arm64
else ifeq ($(filter command line,$(origin ARCH)),command line)
ifeq ($(filter x86_64 x86 amd64,$(ARCH)),)
$(error ARCH must be x86_64 or arm64, not '$(ARCH)')
endif
endif
MAKEOVERRIDES := $(filter-out ARCH=%,$(MAKEOVERRIDES))
unexport ARCH
endif

SAN ?=
# CROSS=arm64: the sub-make of mk/arm64.mk that cross-builds the guest's programs.
CROSS ?=
BUILD := build$(if $(SAN),/$(SAN))$(if $(CROSS),/$(CROSS))
BIN := $(BUILD)/bin
OBJ := $(BUILD)/obj

CC ?= gcc
CFLAGS ?= -O2 -g
WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-sign-compare
CPPFLAGS += -D_GNU_SOURCE -Ikmod -Icollect -Ianalyze -Itests
SAN_FLAGS_asan := -fsanitize=address -fno-omit-frame-pointer
SAN_FLAGS_ubsan := -fsanitize=undefined -fno-sanitize-recover=all
ALL_CFLAGS = -std=gnu11 $(WARN) $(CFLAGS) $(SAN_FLAGS_$(SAN)) -MMD -MP
# Collectors run inside the initramfs, which has no libc: link them
# statically unless a sanitizer needs its dynamic runtime.
STATIC := $(if $(SAN),,-static)
LDFLAGS_SAN = $(SAN_FLAGS_$(SAN))

# The kernel the guest boots and the module is built for (mk/kver.sh),
# found once: here, per make run, and handed to sub-makes for the same
# KERNEL in PTWALK_KVER_<KERNEL>, except by the make that runs mk/setup.sh
# first (setup may install that kernel).  Empty until a kernel with headers
# is installed; what needs it then stops with kver.sh's message.
kver_var := PTWALK_KVER_$(or $(subst .,_,$(subst -,_,$(KERNEL))),default)
KVER := $(or $($(kver_var)),$(shell mk/kver.sh $(KERNEL) 2>/dev/null))
ifneq ($(KVER),)
ifeq ($(and $(filter 0,$(MAKELEVEL)),$(filter setup test report matrix test-matrix,$(MAKECMDGOALS))),)
export $(kver_var) := $(KVER)
endif
endif
KDIR ?= /lib/modules/$(KVER)/build

PROGS :=
.PHONY: all test report bench asan ubsan leakcheck fuzz matrix test-matrix clean setup \
	build-all test-run install uninstall

# Boot a guest: install what is missing first.
test report matrix test-matrix: setup
	$(Q)$(MAKE) --no-print-directory $@-run $(if $(filter arm64,$(KERNEL)),KERNEL=arm64)

setup:
	$(Q)KERNEL='$(KERNEL)' PTWALK_MATRIX=$(if $(filter matrix test-matrix,$(MAKECMDGOALS)),1,0) mk/setup.sh

# Everything else only checks (mk/setup.sh --check), once, in the make the
# user started, before any rule runs.  SETUP_NEEDS_<goal>: its groups.
all: build-all
bench asan ubsan leakcheck fuzz: %: %-run
SETUP_NEEDS_all := build kernel
SETUP_NEEDS_build-all := build kernel
SETUP_NEEDS_bench := build kernel vm report
SETUP_NEEDS_asan := build check
SETUP_NEEDS_ubsan := build check
SETUP_NEEDS_leakcheck := build check
SETUP_NEEDS_fuzz := build check
SETUP_NEEDS_install := build install
setup_goals := $(or $(MAKECMDGOALS),all)
ifeq ($(MAKELEVEL)$(filter setup test report matrix test-matrix,$(setup_goals)),0)
setup_groups := $(sort $(foreach g,$(setup_goals),$(SETUP_NEEDS_$(g))))
ifneq ($(setup_groups),)
ifneq ($(shell KERNEL='$(KERNEL)' KVER='$(KVER)' mk/setup.sh --check $(setup_groups) && echo ok),ok)
$(error make $(setup_goals) stops: the above is missing; run make setup (as root) to install it)
endif
endif
endif

$(OBJ)/%.o: %.c
	$(call msg,CC,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

include collect/build.mk
include tests/helpers/build.mk
include kmod/build.mk
ifeq ($(KERNEL),arm64)
include mk/arm64.mk
endif
include analyze/build.mk
include vm/build.mk
include plots/build.mk
include reports/build.mk
include tests/build.mk
include bench/build.mk
include tests/fuzz/build.mk
include mk/matrix.mk
include mk/install.mk

build-all: $(PROGS)

clean:
	rm -rf build
	-$(MAKE) -C kmod clean KDIR=$(KDIR) >/dev/null 2>&1

-include $(shell find $(OBJ) -name '*.d' 2>/dev/null)
