# analyze/build.mk - the analyzer (its benchmarks are in bench/build.mk).
#
# analyze is a thin command line (main.c) over a library (analyze.h,
# analyze_run()): the readers and metrics (samples, metrics, buddyinfo),
# the grouping, one file per table, the output set over collect/outfile.
# It is linked statically (libcsv.a) like the collectors, so that it also
# runs in the guest; sanitizer builds link it dynamically.  The readers
# and metrics join LIB_OBJS for the unit tests; the fuzz target links
# ANALYZE_SRCS itself (tests/fuzz/build.mk).

ANALYZE_READERS := analyze/samples.c analyze/metrics.c analyze/buddyinfo.c
ANALYZE_SRCS := $(ANALYZE_READERS) analyze/map.c analyze/outset.c \
	analyze/group.c analyze/summary.c analyze/deltas.c analyze/runhist.c \
	analyze/reuse.c analyze/findings.c analyze/pfnmap.c analyze/frag.c \
	analyze/teach.c analyze/deltabins.c analyze/compact.c analyze/userpm.c analyze/kalloc.c analyze/run.c
ANALYZE_LIB := $(ANALYZE_READERS:%.c=$(OBJ)/%.o)
LIB_OBJS += $(ANALYZE_LIB)
ANALYZE_SRCS += analyze/vmas.c analyze/textin.c
PROGS += $(BIN)/analyze

$(BIN)/analyze: $(OBJ)/analyze/main.o $(ANALYZE_SRCS:%.c=$(OBJ)/%.o) $(OBJ)/collect/outfile.o $(OBJ)/collect/ptentry.o $(OBJ)/collect/ptentry_arm64.o $(OBJ)/collect/cli.o
	$(call msg,LD,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(STATIC) -o $@ $^ -lcsv

