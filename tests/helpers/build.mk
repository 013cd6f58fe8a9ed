# tests/helpers/build.mk - test-only programs, for the in-guest tests.
#
# ioctl_stress (random and scripted calls into the module, errno names
# from collect/errnames.h) and soak_xlate (translations against a churning
# process) are the module's test drivers; t_progs and t_numbers also run
# them on the host, where TBIN (tests/lib.sh) names this directory.
#
# Each is built into $(TEST_BIN) (build/tests/bin), never into build/bin
# with the collectors, and vm/mkinitramfs.sh -B packs them into the
# guest's /usr/bin.  Included before vm/build.mk, whose initramfs rule
# lists them.  ioctl32 is a 32-bit static program (gcc -m32) that reaches
# the module through the kernel's IA-32 emulation.  It needs Debian's
# gcc-12-multilib, not gcc-multilib: gcc-multilib conflicts with the arm64
# cross compiler (ARCH=arm64), and all it adds is a /usr/include/asm link,
# which -idirafter replaces (the x86 uapi asm headers serve -m32 and -m64).

TEST_BIN := $(BUILD)/tests/bin
TEST_HELPERS := $(TEST_BIN)/pt_race $(TEST_BIN)/pt_hostile $(TEST_BIN)/pt_stream $(TEST_BIN)/ioctl32 \
	$(TEST_BIN)/ioctl_stress $(TEST_BIN)/soak_xlate
# The helpers the host tests run (sanitized with the programs under SAN).
HOST_TEST_HELPERS := $(TEST_BIN)/ioctl_stress $(TEST_BIN)/soak_xlate

# pt_race, pt_hostile, pt_stream: static, threaded, with the shared number parser.
$(TEST_BIN)/pt_%: $(OBJ)/tests/helpers/pt_%.o $(OBJ)/collect/cli.o
	$(call msg,LD,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(STATIC) -pthread -o $@ $^

# ioctl_stress, soak_xlate: static, with the collectors' library.  They
# were built into build/bin until 2026-11-28: a copy left there by an older
# build goes when they are linked here.
$(TEST_BIN)/ioctl_stress $(TEST_BIN)/soak_xlate: $(TEST_BIN)/%: $(OBJ)/tests/helpers/%.o $(COLLECT_LIB)
	$(call msg,LD,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(STATIC) -o $@ $^
	$(Q)rm -f $(BIN)/$(@F)

$(TEST_BIN)/ioctl32: tests/helpers/ioctl32.c collect/cli.c collect/cli.h collect/xlate_line.c \
		collect/xlate_line.h kmod/ptwalk_uapi.h
	$(call msg,CC32,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -m32 -static -std=gnu11 $(WARN) $(CFLAGS) $(CPPFLAGS) \
		-idirafter /usr/include/x86_64-linux-gnu -o $@ \
		tests/helpers/ioctl32.c collect/cli.c collect/xlate_line.c || \
		{ echo "ioctl32: gcc -m32 -static failed: is gcc-12-multilib installed (make setup)?" >&2; exit 1; }

build-all: $(TEST_HELPERS)
