# collect/build.mk - the user-space collectors and their pagemap library.
#
# Every collector links the same library objects and is linked statically
# (see STATIC in the top Makefile) so that it runs inside the initramfs.
# To add a collector, add its name to COLLECT_PROGS.

COLLECT_PROGS := memalloc pagemap_reader prober pfn_ioctl fragment ioctl_stress soak_xlate
COLLECT_LIB := $(OBJ)/collect/pagemap.o $(OBJ)/collect/csvout.o $(OBJ)/collect/outfile.o $(OBJ)/collect/cli.o \
	$(OBJ)/collect/size.o $(OBJ)/collect/proc.o
COLLECT_LIB += $(OBJ)/collect/xlate_line.o

define collect_prog
PROGS += $(BIN)/$(1)
$(BIN)/$(1): $(OBJ)/collect/$(1).o $(COLLECT_LIB)
	$$(call msg,LD,$$@)
	$$(Q)mkdir -p $$(@D)
	$$(Q)$$(CC) $$(ALL_CFLAGS) $$(STATIC) -o $$@ $$^
endef
$(foreach p,$(filter $(patsubst collect/%.c,%,$(wildcard collect/*.c)),$(COLLECT_PROGS)),$(eval $(call collect_prog,$(p))))

# Benchmarks: built for `make bench` only, never shipped in the guest.
$(BUILD)/bench/bench_translate: $(OBJ)/collect/bench_translate.o $(COLLECT_LIB)
	$(call msg,LD,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^
BENCH_DEPS += $(BUILD)/bench/bench_translate
