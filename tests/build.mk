# tests/build.mk - unit-test programs and the test targets.
#
# tests/unit_*.c are linked with every library object (LIB_OBJS, which each
# directory's build.mk extends) and run with the shell tests tests/t_*.sh by
# tests/run.sh.  Tests named t_vm* boot the guest; the others run on the
# host and are the ones repeated under the sanitizers and valgrind.

LIB_OBJS += $(COLLECT_LIB)
LIB_LIBS += $(shell pkg-config --libs csv 2>/dev/null || echo -lcsv)
UNIT_BINS := $(patsubst tests/%.c,$(BUILD)/tests/%,$(wildcard tests/unit_*.c))
# ARCH=arm64 (KERNEL=arm64): the guest suite on arm64 (tests/t_vm_arm64.sh)
# and the MMU referee (t_vm_mmu.sh, arm64's referee) instead of the x86-64
# tests; plain `make test` leaves t_vm_arm64.sh out.
TEST_SCRIPTS := $(if $(filter arm64,$(KERNEL)),tests/t_vm_arm64.sh tests/t_vm_mmu.sh,$(filter-out tests/t_vm_arm64.sh,$(sort $(wildcard tests/t_*.sh))))
HOST_TESTS := $(filter-out tests/t_vm%,$(TEST_SCRIPTS))

$(BUILD)/tests/%: $(OBJ)/tests/%.o $(LIB_OBJS)
	$(call msg,LD,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIB_LIBS)

.PHONY: test-run test-host-run asan-run ubsan-run leakcheck-run
test-run: build-all $(UNIT_BINS) $(TEST_DEPS)
	$(Q)BIN=$(abspath $(BIN)) tests/run.sh $(UNIT_BINS) $(TEST_SCRIPTS)

# The host tests only (no guest): what the sanitizers and valgrind repeat.
# They need the programs, not the module (the host cannot load it), so a
# sanitizer run does not rebuild kmod/ptwalk.ko for its own build dir.
test-host-run: $(PROGS) $(HOST_TEST_HELPERS) $(UNIT_BINS)
	$(Q)BIN=$(abspath $(BIN)) tests/run.sh $(UNIT_BINS) $(HOST_TESTS)

asan-run:
	$(Q)$(MAKE) --no-print-directory SAN=asan test-host-run
ubsan-run:
	$(Q)$(MAKE) --no-print-directory SAN=ubsan test-host-run
# valgrind reports glibc's own static start-up as errors, so the programs
# it checks are a dynamically linked build (build/leakcheck/, no STATIC).
leakcheck-run:
	$(Q)$(MAKE) --no-print-directory SAN=leakcheck leakcheck-wrapped-run
leakcheck-wrapped-run: $(PROGS) $(HOST_TEST_HELPERS) $(UNIT_BINS)
	$(Q)WRAP="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,possible" \
		BIN=$(abspath $(BIN)) tests/run.sh $(UNIT_BINS) $(HOST_TESTS)
