# analyze/build.mk - the analyzer (its benchmarks are in bench/build.mk).
#
# analyze is linked statically (libcsv.a) like the collectors, so that it
# also runs in the guest; sanitizer builds link it dynamically.  Its
# library objects join LIB_OBJS for the unit tests.

ANALYZE_LIB := $(OBJ)/analyze/samples.o $(OBJ)/analyze/metrics.o \
	$(OBJ)/analyze/buddyinfo.o
LIB_OBJS += $(ANALYZE_LIB)
PROGS += $(BIN)/analyze

$(BIN)/analyze: $(OBJ)/analyze/analyze.o $(ANALYZE_LIB) $(OBJ)/collect/outfile.o
	$(call msg,LD,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(STATIC) -o $@ $^ -lcsv

