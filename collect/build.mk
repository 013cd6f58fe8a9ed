# collect/build.mk - the user-space collectors and their pagemap library.
#
# Every collector links the same library objects and is linked statically
# (see STATIC in the top Makefile) so that it runs inside the initramfs.
# To add a collector, add its name to COLLECT_PROGS.  Only what a user
# runs goes here: test drivers live in tests/helpers/, benchmarks in bench/.

COLLECT_PROGS := memalloc pagemap_reader prober pfn_ioctl fragment
COLLECT_LIB := $(OBJ)/collect/pagemap.o $(OBJ)/collect/csvout.o $(OBJ)/collect/outfile.o $(OBJ)/collect/cli.o \
	$(OBJ)/collect/size.o $(OBJ)/collect/proc.o $(OBJ)/collect/errname.o $(OBJ)/collect/ptentry.o $(OBJ)/collect/ptentry_arm64.o
COLLECT_LIB += $(OBJ)/collect/xlate_line.o

define collect_prog
PROGS += $(BIN)/$(1)
$(BIN)/$(1): $(OBJ)/collect/$(1).o $(COLLECT_LIB)
	$$(call msg,LD,$$@)
	$$(Q)mkdir -p $$(@D)
	$$(Q)$$(CC) $$(ALL_CFLAGS) $$(STATIC) -o $$@ $$^
endef
$(foreach p,$(filter $(patsubst collect/%.c,%,$(wildcard collect/*.c)),$(COLLECT_PROGS)),$(eval $(call collect_prog,$(p))))

