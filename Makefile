# oomtest build. Everything goes to build/; sources are never written to.
#   make            host binary, guest agent + hog for x86_64 and i386, modules per target
#   make images     fetch the default targets (Debian kernels) if missing
#   make check      script checks, unit tests (cmocka, ASan+UBSan), fuzz corpora replayed, integration tests (real guests)
#   make check-slow a kernel built from Debian's linux-source-6.1 (build-kernel), the seed cases run on it
#   make test       ./run-tests.sh
#   make fuzz       run each fuzz target for FUZZ_SECONDS
CC      ?= gcc
B       := build
XML_CFLAGS := $(shell pkg-config --cflags libxml-2.0 2>/dev/null || echo -I/usr/include/libxml2)
INCLUDES := -iquote harness -iquote .
CFLAGS_COMMON := -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE -g $(XML_CFLAGS) $(INCLUDES)
CFLAGS  ?= -O2
HOST_CFLAGS := $(CFLAGS_COMMON) $(CFLAGS)
# an installed oomtest's state dir; a source tree's is always build/
unexport OOMTEST_STATE
YAML_LIBS := $(shell pkg-config --libs yaml-0.1 2>/dev/null || echo -lyaml)
HOST_LIBS := -lkmod -lvirt -lxml2 -ljson-c $(YAML_LIBS) -lm -pthread
# the LAVA server backend's REST client (harness/lava/lava_rest.c)
CURL_LIBS := $(shell pkg-config --libs libcurl 2>/dev/null || echo -lcurl)
HOST_LIBS += $(CURL_LIBS)
SAN_FLAGS := -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

# harness/ holds one folder per pipeline stage; tests/ and fuzz/ are not part of the program
STAGES       := lib case klog ktap payload run backend target target/arch report cmd lava
PROTO_SRCS   := $(wildcard proto/*.c)
# the case parser checks a hog's arguments with the hog's own option table
HOG_ARGS_SRCS := apps/hog_args.c
HARNESS_SRCS := $(foreach s,$(STAGES),$(wildcard harness/$(s)/*.c)) $(PROTO_SRCS) $(HOG_ARGS_SRCS)
HARNESS_HDRS := $(foreach s,$(STAGES),$(wildcard harness/$(s)/*.h)) $(wildcard proto/*.h) apps/hog_args.h
HARNESS_OBJS := $(HARNESS_SRCS:%.c=$(B)/host/%.o)
SAN_OBJS     := $(HARNESS_SRCS:%.c=$(B)/san/%.o)
TEST_SRCS    := $(wildcard harness/tests/test_*.c)
TEST_BINS    := $(TEST_SRCS:harness/tests/%.c=$(B)/tests/%)
FUZZ_SRCS    := $(wildcard harness/fuzz/fuzz_*.c)
FUZZ_BINS    := $(FUZZ_SRCS:harness/fuzz/%.c=$(B)/fuzz/%)
FUZZ_SECONDS ?= 60

ARCHES := x86_64 i386 arm64
GUEST_BINS := $(foreach a,$(ARCHES),$(B)/guest/$(a)/oomtest-init $(B)/guest/$(a)/hog)
# programs that cases bring along themselves (run = ../build/guest/${arch}/NAME):
# built for every arch, never put in the base image
USER_APPS := pipe_leak tap_meminfo fragment
USER_APP_BINS := $(foreach a,$(ARCHES),$(foreach p,$(USER_APPS),$(B)/guest/$(a)/$(p)))
GUEST_CFLAGS := $(CFLAGS_COMMON) -Os -static
# each guest arch's compiler: the host's for x86_64, Debian's cross
# compilers for i386 and arm64 (gcc-multilib, the other way to i386, cannot
# be installed beside a cross compiler in Debian)
m32_i386 :=
m32_x86_64 :=
m32_arm64 :=
GUEST_CC_x86_64 := $(CC)
GUEST_CC_i386 := i686-linux-gnu-gcc
GUEST_CC_arm64 := aarch64-linux-gnu-gcc

.PHONY: all images modules check check-slow unit integration test fuzz fuzz-corpus clean deps install man-check
# With targets fetched, `make` also builds each target's module and initramfs.
all: $(B)/oomtest $(GUEST_BINS) $(USER_APP_BINS) $(if $(wildcard $(B)/images/targets.list),modules)

deps:
	@./images/install-deps.sh

$(B)/host/%.o: %.c $(HARNESS_HDRS)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -c $< -o $@

$(B)/oomtest: harness/main.c $(HARNESS_OBJS)
	$(CC) $(HOST_CFLAGS) $^ -o $@ $(HOST_LIBS)

# the agent shares the protocol code and the monotonic clock with the harness
GUEST_SRCS := $(wildcard guest/*.c) $(PROTO_SRCS) harness/lib/clock.c
$(B)/guest/%/oomtest-init: $(GUEST_SRCS) $(wildcard guest/*.h proto/*.h) harness/lib/clock.h
	@mkdir -p $(@D)
	$(GUEST_CC_$*) $(GUEST_CFLAGS) $(m32_$*) $(GUEST_SRCS) -o $@

# the hog parses sizes as case files do and its options as the case parser
# checks them (GUEST_CFLAGS has -iquote harness)
HOG_SRCS := apps/hog.c $(HOG_ARGS_SRCS) harness/lib/units.c
$(B)/guest/%/hog: $(HOG_SRCS) apps/hog_args.h harness/lib/units.h
	@mkdir -p $(@D)
	$(GUEST_CC_$*) $(GUEST_CFLAGS) $(m32_$*) $(HOG_SRCS) -o $@

# sizes are parsed as case files parse them
$(B)/guest/%/pipe_leak: apps/pipe_leak.c harness/lib/units.c harness/lib/units.h
	@mkdir -p $(@D)
	$(GUEST_CC_$*) $(GUEST_CFLAGS) $(m32_$*) apps/pipe_leak.c harness/lib/units.c -o $@

$(B)/guest/%/fragment: apps/fragment.c harness/lib/units.c harness/lib/units.h
	@mkdir -p $(@D)
	$(GUEST_CC_$*) $(GUEST_CFLAGS) $(m32_$*) apps/fragment.c harness/lib/units.c -o $@

$(B)/guest/%/tap_meminfo: apps/tap_meminfo.c
	@mkdir -p $(@D)
	$(GUEST_CC_$*) $(GUEST_CFLAGS) $(m32_$*) $< -o $@

images:
	@./images/fetch-targets.sh

# Modules and initramfs per target; they need the images.
modules: $(GUEST_BINS)
	@test -f $(B)/images/targets.list || { echo "no targets: run 'make images'" >&2; exit 1; }
	@grep -v '^#' $(B)/images/targets.list | while read -r name arch rel kernel kdir boot; do \
	  ./images/build-initramfs.sh "$$name" "$$arch" "$$kdir" "$$kernel" > /dev/null || exit 1; done

$(B)/san/%.o: %.c $(HARNESS_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_COMMON) $(SAN_FLAGS) -c $< -o $@

# The sanitizer objects are kept between builds (not intermediate files).
.SECONDARY: $(SAN_OBJS)

# the tests' shared helpers (case_test.h, ...) are rebuilt into each test
TEST_HDRS := $(wildcard harness/tests/*.h)
$(B)/tests/%: harness/tests/%.c $(SAN_OBJS) $(TEST_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_COMMON) $(SAN_FLAGS) $(filter-out %.h,$^) -o $@ -lcmocka $(HOST_LIBS)

# Tests of the agent's modules (test_guest_*.c) link them, but its main,
# instead of the harness.
GUEST_TEST_OBJS := $(patsubst %.c,$(B)/san/%.o,$(filter-out guest/agent.c,$(GUEST_SRCS)))
.SECONDARY: $(GUEST_TEST_OBJS)
$(B)/san/guest/%.o: guest/%.c $(wildcard guest/*.h proto/*.h) harness/lib/clock.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_COMMON) $(SAN_FLAGS) -c $< -o $@

$(B)/tests/test_guest_%: harness/tests/test_guest_%.c $(GUEST_TEST_OBJS) $(TEST_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_COMMON) $(SAN_FLAGS) $(filter-out %.h,$^) -o $@ -lcmocka

$(B)/fuzz/%: harness/fuzz/%.c $(HARNESS_SRCS)
	@mkdir -p $(@D)
	clang $(CFLAGS_COMMON) -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all $^ -o $@ $(HOST_LIBS)

# the agent's readers of kernel records and values, with the agent's modules
# (not its main) instead of the harness
$(B)/fuzz/fuzz_guest_kmsg: harness/fuzz/fuzz_guest_kmsg.c $(filter-out guest/agent.c,$(GUEST_SRCS)) $(wildcard guest/*.h proto/*.h)
	@mkdir -p $(@D)
	clang $(CFLAGS_COMMON) -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all $(filter %.c,$^) -o $@

# the agent's archive walker, with the agent modules it needs instead of the harness
FUZZ_GUEST_PAYLOAD_SRCS := guest/payload.c guest/chan.c guest/modules.c guest/buf.c proto/codec.c proto/frame.c proto/siphash.c harness/lib/clock.c
$(B)/fuzz/fuzz_guest_payload: harness/fuzz/fuzz_guest_payload.c $(FUZZ_GUEST_PAYLOAD_SRCS) $(wildcard guest/*.h proto/*.h)
	@mkdir -p $(@D)
	clang $(CFLAGS_COMMON) -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all $(filter %.c,$^) -o $@

unit: $(TEST_BINS)
	@set -e; for t in $(TEST_BINS); do echo "# $$t"; (cd harness/tests && ../../$$t); done

integration: all $(B)/ptyrun
	@./harness/tests/integration.sh

# opt-in, minutes: a kernel built from Debian's linux-source-6.1, the seed cases on it
check-slow: all
	@./harness/tests/slow.sh

# a test helper: scripted conversations with a program on a pty
PTYRUN_SRCS := $(wildcard harness/tests/ptyrun/*.c)
$(B)/ptyrun: $(PTYRUN_SRCS) $(wildcard harness/tests/ptyrun/*.h) proto/proto.h
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(PTYRUN_SRCS) -o $@ -lutil

# Installs what is missing first, so that a fresh machine needs nothing else.
check:
	@./images/install-deps.sh
	@./harness/tests/scripts.sh
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory fuzz-corpus
	@$(MAKE) --no-print-directory integration
	@./harness/tests/lava-server.sh

# Every fuzz target over its committed corpus, once (ASan+UBSan): the
# inputs that found something before still pass.
fuzz-corpus: $(FUZZ_BINS)
	@set -e; for f in $(FUZZ_BINS); do n=$$(basename $$f); echo "# $$n over its corpus"; \
	  harness/fuzz/replay.sh $$f harness/fuzz/corpus/$${n#fuzz_}; done

test:
	./run-tests.sh

fuzz: $(FUZZ_BINS)
	@set -e; for f in $(FUZZ_BINS); do n=$$(basename $$f); mkdir -p $(B)/fuzz/corpus-$$n; \
	  echo "# $$n for $(FUZZ_SECONDS)s"; \
	  $$f -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -artifact_prefix=$(B)/fuzz/$$n- \
	    $(B)/fuzz/corpus-$$n harness/fuzz/corpus/$${n#fuzz_}; done

# make install [PREFIX=/usr/local] [DESTDIR=]: the program and what it puts
# in guests under PREFIX/lib/oomtest (PREFIX/bin/oomtest links to it), the
# cases under PREFIX/share/oomtest/cases, the man page. Kernels are fetched,
# and modules and images built, on first use, in ~/.cache/oomtest.
PREFIX ?= /usr/local
LIBDIR := $(DESTDIR)$(PREFIX)/lib/oomtest
install: $(B)/oomtest $(GUEST_BINS) $(USER_APP_BINS)
	install -d $(foreach a,$(ARCHES),$(LIBDIR)/build/guest/$(a)) $(LIBDIR)/images $(LIBDIR)/kmod \
		$(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/oomtest $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(B)/oomtest $(LIBDIR)/build/oomtest
	for a in $(ARCHES); do install -m 755 $(B)/guest/$$a/oomtest-init $(B)/guest/$$a/hog \
		$(foreach p,$(USER_APPS),$(B)/guest/$$a/$(p)) $(LIBDIR)/build/guest/$$a/; done
	install -m 755 images/fetch-targets.sh images/build-initramfs.sh images/apt-update.sh \
		images/install-deps.sh images/libvirtd-local.sh $(LIBDIR)/images/
	install -m 644 kmod/oom_trigger.c kmod/oomtest_console.c kmod/Kbuild $(LIBDIR)/kmod/
	install -d $(LIBDIR)/kmod/vmalloc_hog $(LIBDIR)/cases/scripts
	install -m 644 kmod/vmalloc_hog/vmalloc_hog.c kmod/vmalloc_hog/Kbuild $(LIBDIR)/kmod/vmalloc_hog/
	# the cases name their programs, scripts and modules by paths relative
	# to themselves (../build/guest/ARCH/..., ../kmod/...): they live here
	install -m 644 cases/*.case $(LIBDIR)/cases/
	install -m 755 cases/scripts/*.sh $(LIBDIR)/cases/scripts/
	rm -rf $(DESTDIR)$(PREFIX)/share/oomtest/cases
	ln -sfn ../../lib/oomtest/cases $(DESTDIR)$(PREFIX)/share/oomtest/cases
	ln -sfn ../lib/oomtest/build/oomtest $(DESTDIR)$(PREFIX)/bin/oomtest
	install -m 644 oomtest.1 $(DESTDIR)$(PREFIX)/share/man/man1/oomtest.1
	echo "installed by make install; state lives in ~/.cache/oomtest" > $(LIBDIR)/INSTALLED

# The man page documents every option, command and case key --help prints.
man-check: $(B)/oomtest
	@./harness/tests/man-check.sh $(B)/oomtest oomtest.1

clean:
	rm -rf $(B)
