# analyze/build.mk - the analyzer and its libcsv tokenizer benchmark.
#
# analyze is linked statically (libcsv.a) like the collectors, so that it
# also runs in the guest; sanitizer builds link it dynamically.  Its
# library objects join LIB_OBJS for the unit tests.

ANALYZE_LIB := $(OBJ)/analyze/samples.o $(OBJ)/analyze/metrics.o \
	$(OBJ)/analyze/buddyinfo.o $(OBJ)/analyze/teach.o
LIB_OBJS += $(ANALYZE_LIB)
PROGS += $(BIN)/analyze

$(BIN)/analyze: $(OBJ)/analyze/analyze.o $(ANALYZE_LIB) $(OBJ)/collect/outfile.o $(OBJ)/collect/ptentry.o
	$(call msg,LD,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(STATIC) -o $@ $^ -lcsv

# The bare tokenizer and the row generator: for `make bench` only.
$(BUILD)/bench/csvtok_bench: $(OBJ)/analyze/csvtok_bench.o
	$(call msg,LD,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ -lcsv
$(BUILD)/bench/gen_samples: $(OBJ)/analyze/gen_samples.o $(OBJ)/collect/cli.o
	$(call msg,LD,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^
BENCH_DEPS += $(BUILD)/bench/csvtok_bench $(BUILD)/bench/gen_samples
TEST_DEPS += $(BUILD)/bench/gen_samples
