# Makefile - builds, tests and reports ptwalk.
#
# Public targets (all, test, report, bench, asan, ubsan, leakcheck, fuzz,
# clean) first run mk/setup.sh, which installs missing Debian packages, and
# then the internal target of the same job in a sub-make, so nothing here is
# evaluated before its tools exist.  Each directory adds its own rules in
# its build.mk; objects and programs go to build/ (build/<san>/ for
# sanitizer builds).  Quiet unless V=1.

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

# The kernel the module is built for: found at build time (mk/kver.sh).
KVER = $(shell mk/kver.sh $(KERNEL))
KDIR ?= /lib/modules/$(KVER)/build

PROGS :=
.PHONY: all test report bench asan ubsan leakcheck fuzz clean setup \
	build-all test-run

all test report bench asan ubsan leakcheck fuzz matrix test-matrix: setup
	$(Q)$(MAKE) --no-print-directory $@-run $(if $(filter arm64,$(KERNEL)),KERNEL=arm64)

setup:
	$(Q)KERNEL='$(KERNEL)' PTWALK_MATRIX=$(if $(filter matrix test-matrix,$(MAKECMDGOALS)),1,0) mk/setup.sh

$(OBJ)/%.o: %.c
	$(call msg,CC,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

include collect/build.mk
include tests/helpers/build.mk
ifeq ($(KERNEL),arm64)
include mk/arm64.mk
else
-include kmod/build.mk
endif
-include analyze/build.mk
-include vm/build.mk
-include plots/build.mk
-include reports/build.mk
include tests/build.mk
include bench/build.mk
include tests/fuzz/build.mk
-include mk/matrix.mk

all-run: build-all
build-all: $(PROGS)

clean:
	rm -rf build
	-$(MAKE) -C kmod clean >/dev/null 2>&1

-include $(shell find $(OBJ) -name '*.d' 2>/dev/null)
