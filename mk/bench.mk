# mk/bench.mk - `make bench`: every benchmark, one table of ratios.
#
# mk/bench.sh runs each */bench.sh (they print markdown rows) and writes
# the table, with date and machine, to build/bench.md.  Benchmarks report
# ratios measured side by side in one run; no absolute time is a bar.
bench-run: build-all $(BENCH_DEPS) $(TEST_DEPS)
	$(Q)BUILD=$(abspath $(BUILD)) mk/bench.sh
