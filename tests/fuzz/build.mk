# tests/fuzz/build.mk - libFuzzer targets (tests/fuzz/) and `make fuzz`.
#
# The targets are built with clang, -fsanitize=fuzzer,address,undefined,
# into build/fuzz/ only: their objects (build/fuzz/obj/) never mix with
# the gcc objects in build/obj/.  `make fuzz FUZZ_S=N` runs each target
# for N seconds (default 60) on a working corpus in build/fuzz/<target>/
# seeded from tests/fuzz/corpus/<target>/ and the golden tests, and fails
# on any crash, leak or timeout, leaving the input in build/fuzz/<target>/
# and printing its path (tests/fuzz/run.sh does the running).
# tests/t_fuzz.sh runs every target for a few seconds in `make test`.

FUZZ_CC ?= clang
FUZZ_S ?= 60
FUZZ_DIR := build/fuzz
FUZZ_OBJ := $(FUZZ_DIR)/obj
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer
FUZZ_CFLAGS := -std=gnu11 -g -O1 $(WARN) $(FUZZ_SAN) -fsanitize=fuzzer-no-link -MMD -MP
FUZZ_TARGETS := size buddyinfo samples analyze row

# What each target links besides its own tests/fuzz/fuzz_<t>.o.
FUZZ_LIB_size := collect/size.o collect/cli.o
FUZZ_LIB_buddyinfo := analyze/buddyinfo.o analyze/metrics.o
FUZZ_LIB_samples := analyze/samples.o analyze/metrics.o
FUZZ_LIB_analyze := $(ANALYZE_SRCS:%.c=%.o) collect/outfile.o collect/ptentry.o collect/ptentry_arm64.o
FUZZ_LIB_row := collect/pagemap.o analyze/samples.o

FUZZ_BINS := $(FUZZ_TARGETS:%=$(FUZZ_DIR)/bin/fuzz_%)

$(FUZZ_OBJ)/%.o: %.c
	$(call msg,CLANG,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -c -o $@ $<

define fuzz_target
$(FUZZ_DIR)/bin/fuzz_$(1): $(FUZZ_OBJ)/tests/fuzz/fuzz_$(1).o $(addprefix $(FUZZ_OBJ)/,$(FUZZ_LIB_$(1)))
	$$(call msg,LD,$$@)
	$$(Q)mkdir -p $$(@D)
	$$(Q)$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $$@ $$^ -lcsv
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call fuzz_target,$(t))))

.PHONY: fuzz-build fuzz-run fuzz-list
fuzz-build: $(FUZZ_BINS)

fuzz-run: fuzz-build
	$(Q)err=0; for t in $(FUZZ_TARGETS); do \
		tests/fuzz/run.sh $$t $(FUZZ_S) || err=1; \
	done; exit $$err

fuzz-list:
	@echo $(FUZZ_TARGETS)

-include $(shell find $(FUZZ_OBJ) -name '*.d' 2>/dev/null)
