# bench/build.mk - `make bench`: every benchmark, one table of ratios.
#
# bench/run.sh runs each benchmark bench/*.sh (found by glob; run.sh and
# lib.sh are the driver and its helpers, not benchmarks), which print
# markdown rows, and writes the table, with date and machine, to
# build/bench.md.  Benchmarks report ratios measured side by side in one
# run; no absolute time is a bar.  Guest benchmarks are plans in
# bench/guest/, packed into the initramfs with the other plans.  The C
# helpers are built into build/bench/; gen_samples is also used by the
# host tests (TEST_DEPS).

$(BUILD)/bench/translate: $(OBJ)/bench/translate.o $(COLLECT_LIB)
	$(call msg,LD,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^
$(BUILD)/bench/csvtok_bench: $(OBJ)/bench/csvtok_bench.o
	$(call msg,LD,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ -lcsv
$(BUILD)/bench/gen_samples: $(OBJ)/bench/gen_samples.o $(OBJ)/collect/cli.o
	$(call msg,LD,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^
BENCH_DEPS += $(BUILD)/bench/translate $(BUILD)/bench/csvtok_bench $(BUILD)/bench/gen_samples
TEST_DEPS += $(BUILD)/bench/gen_samples

bench-run: build-all $(BENCH_DEPS) $(TEST_DEPS)
	$(Q)BUILD=$(abspath $(BUILD)) bench/run.sh
