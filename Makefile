# hub: one static binary. `make` builds ./hub, `make test` runs every test.
#
#   make V=1                            show the commands
#   make SANITIZE=address,undefined     build build/san/hub (glibc, checked)
#   make test SANITIZE=address,undefined  run the whole suite against it
#   make install PREFIX=/usr/local DESTDIR=...
#
# Dependencies (curl, BearSSL, zlib, cJSON) are built once from Debian's
# source packages by scripts/build-deps.sh into build/deps/<toolchain>/ and
# kept until `make distclean`.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/site-functions

V ?= 0
Q := $(if $(filter 1,$(V)),,@)
say = $(if $(filter 1,$(V)),,@printf '  %-8s %s\n' '$(1)' '$(2)';)

HUB_VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)

WARNINGS := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wformat=2 -Wvla -Wno-unused-parameter
OPTIMIZE ?= -O2
BASE_CFLAGS := -std=c11 -D_GNU_SOURCE -DHUB_VERSION='"$(HUB_VERSION)"' \
	$(WARNINGS) -ffunction-sections -fdata-sections -MMD -MP
LIBS := -lcurl -lbearssl -lcjson -lz -lpthread -lm

SOURCES := $(wildcard src/*.c)
MAIN_SOURCES := src/hub.c
MODULE_SOURCES := $(filter-out $(MAIN_SOURCES),$(SOURCES))

# The shipped binary: musl, fully static, stripped.
MUSL_DEPS := build/deps/musl
MUSL_OBJ := $(SOURCES:src/%.c=build/musl/%.o)
MUSL_CFLAGS := $(BASE_CFLAGS) $(OPTIMIZE) -DHUB_MALLOC -I$(MUSL_DEPS) -I$(MUSL_DEPS)/include

# The glibc build: unit tests, fuzzers, and the sanitized binary.
GNU_DEPS := build/deps/gnu
ifneq ($(SANITIZE),)
GNU_DIR := build/san
SAN_FLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
HUB_BIN := build/san/hub
else
GNU_DIR := build/gnu
SAN_FLAGS :=
HUB_BIN := hub
endif
GNU_CC ?= gcc
GNU_OBJ := $(SOURCES:src/%.c=$(GNU_DIR)/%.o)
GNU_MODULE_OBJ := $(MODULE_SOURCES:src/%.c=$(GNU_DIR)/%.o)
GNU_CFLAGS := $(BASE_CFLAGS) -O1 -g $(SAN_FLAGS) -I$(GNU_DEPS) -I$(GNU_DEPS)/include

UNIT_SOURCES := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SOURCES:tests/unit/%.c=$(GNU_DIR)/unit/%)

.PHONY: all test unit tools fuzz check-size install uninstall clean distclean deps man
all: hub

deps: $(MUSL_DEPS)/.ok

$(MUSL_DEPS)/.ok: scripts/build-deps.sh
	$(Q)scripts/build-deps.sh musl $(MUSL_DEPS)
	$(Q)touch $@

$(GNU_DEPS)/.ok: scripts/build-deps.sh
	$(Q)scripts/build-deps.sh gnu $(GNU_DEPS)
	$(Q)touch $@

build/musl/%.o: src/%.c | $(MUSL_DEPS)/.ok
	@mkdir -p $(@D)
	$(call say,CC,$<)
	$(Q)musl-gcc $(MUSL_CFLAGS) -c -o $@ $<

hub: $(MUSL_OBJ)
	$(call say,LINK,$@)
	$(Q)musl-gcc -static -o $@ $(MUSL_OBJ) -L$(MUSL_DEPS)/lib $(LIBS) -Wl,--gc-sections -s
	@size=$$(stat -c %s $@); \
	 printf '  %-8s %s: %d bytes (%d KiB), static\n' SIZE $@ $$size $$((size / 1024)); \
	 if [ $$size -gt 1572864 ]; then echo "hub: the binary is over 1.5 MiB" >&2; exit 1; fi
	$(Q)for c in list help load download set-dir purge; do ln -sf hub build/hub-$$c; done

$(GNU_DIR)/%.o: src/%.c | $(GNU_DEPS)/.ok
	@mkdir -p $(@D)
	$(call say,CC,$<)
	$(Q)$(GNU_CC) $(GNU_CFLAGS) -c -o $@ $<

build/san/hub: $(GNU_OBJ)
	$(call say,LINK,$@)
	$(Q)$(GNU_CC) $(SAN_FLAGS) -o $@ $(GNU_OBJ) -L$(GNU_DEPS)/lib $(LIBS)

# Unit tests and fuzzers link against an archive of everything but main, so
# each pulls in only the modules it uses.
$(GNU_DIR)/libhub.a: $(GNU_MODULE_OBJ)
	$(call say,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $(GNU_MODULE_OBJ)

$(GNU_DIR)/unit/%: tests/unit/%.c $(GNU_DIR)/libhub.a
	@mkdir -p $(@D)
	$(call say,CC,$<)
	$(Q)$(GNU_CC) $(GNU_CFLAGS) -Wno-missing-prototypes -Isrc -o $@ $< $(GNU_DIR)/libhub.a \
		-L$(GNU_DEPS)/lib $(LIBS) -lcmocka

unit: $(UNIT_BINS)

# Helper programs for the shell tests (tests/tools/NAME.c), linked like the
# unit tests: pydump prints the parser's tree for t2020.
TOOL_SOURCES := $(wildcard tests/tools/*.c)
TOOL_BINS := $(TOOL_SOURCES:tests/tools/%.c=$(GNU_DIR)/tools/%)

$(GNU_DIR)/tools/%: tests/tools/%.c $(GNU_DIR)/libhub.a
	@mkdir -p $(@D)
	$(call say,CC,$<)
	$(Q)$(GNU_CC) $(GNU_CFLAGS) -Isrc -o $@ $< $(GNU_DIR)/libhub.a -L$(GNU_DEPS)/lib $(LIBS)

tools: $(TOOL_BINS)

# The allocator's checks, linked like the shipped binary (static musl, so
# src/malloc.c replaces musl's malloc).
MUSL_TOOLS := build/musl/tools/malloc-check
build/musl/tools/malloc-check: tests/musl/malloc-check.c build/musl/malloc.o
	@mkdir -p $(@D)
	$(call say,CC,$<)
	$(Q)musl-gcc -static $(filter-out -MMD -MP,$(MUSL_CFLAGS)) -o $@ $< build/musl/malloc.o -lpthread

# Fuzzing. Each fuzz/fuzz_NAME.c is a libFuzzer target over its seeds in
# fuzz/corpus/NAME/. `make fuzz` builds the fuzzers with clang into
# build/fuzz/ (run one: build/fuzz/fuzz_NAME fuzz/corpus/NAME); `make test`
# links the same targets with fuzz/replay.c into plain programs that replay
# every seed, so the corpus is a regression test. fuzz/repo.c, linked into
# every target, builds the repository the hubconf targets read.
FUZZ_SOURCES := $(wildcard fuzz/fuzz_*.c)
FUZZ_REPLAYS := $(FUZZ_SOURCES:fuzz/%.c=$(GNU_DIR)/fuzz/%_replay)
FUZZERS := $(FUZZ_SOURCES:fuzz/%.c=build/fuzz/%)
FUZZ_CC ?= clang
FUZZ_CFLAGS := $(filter-out -MMD -MP,$(BASE_CFLAGS)) -g -O1 -fno-omit-frame-pointer \
	-fsanitize=address,undefined -I$(GNU_DEPS) -I$(GNU_DEPS)/include
FUZZ_OBJ := $(MODULE_SOURCES:src/%.c=build/fuzz/obj/%.o)

$(GNU_DIR)/fuzz/%_replay: fuzz/%.c fuzz/replay.c fuzz/repo.c $(GNU_DIR)/libhub.a $(wildcard src/*.h fuzz/*.h)
	@mkdir -p $(@D)
	$(call say,CC,$<)
	$(Q)$(GNU_CC) $(GNU_CFLAGS) -Wno-missing-prototypes -Isrc -o $@ $< fuzz/replay.c fuzz/repo.c \
		$(GNU_DIR)/libhub.a -L$(GNU_DEPS)/lib $(LIBS)

# Objects list their headers (-MMD, included below), so a changed struct
# rebuilds every object that uses it.
build/fuzz/obj/%.o: src/%.c | $(GNU_DEPS)/.ok
	@mkdir -p $(@D)
	$(call say,CC,$<)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -fsanitize=fuzzer-no-link -c -o $@ $<

build/fuzz/libhub.a: $(FUZZ_OBJ)
	$(Q)rm -f $@ && ar rcs $@ $(FUZZ_OBJ)

build/fuzz/%: fuzz/%.c fuzz/repo.c build/fuzz/libhub.a $(wildcard src/*.h fuzz/*.h)
	$(call say,FUZZER,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -Wno-missing-prototypes -fsanitize=fuzzer -Isrc -o $@ $< \
		fuzz/repo.c build/fuzz/libhub.a -L$(GNU_DEPS)/lib $(LIBS)

fuzz: $(FUZZERS)

# Every test runs under prove (TAP): the shell tests in tests/t*.sh and the
# cmocka unit tests. HUB_BIN tells the shell tests which binary to try.
# A real repository for the tests of list, help and load: pytorch/vision
# 0.14.1, the upstream tree in Debian's pytorch-vision source package.
FIXTURES := build/src/.fixtures-ok
$(FIXTURES): scripts/fetch-fixture.sh
	$(Q)scripts/fetch-fixture.sh >/dev/null
	$(Q)touch $@

test: $(HUB_BIN) $(UNIT_BINS) $(FUZZ_REPLAYS) $(TOOL_BINS) $(MUSL_TOOLS) $(FIXTURES)
	$(Q)HUB_BIN=$(CURDIR)/$(HUB_BIN) HUB_UNIT_DIR=$(CURDIR)/$(GNU_DIR)/unit \
		HUB_MUSL_TOOL_DIR=$(CURDIR)/build/musl/tools \
		HUB_FUZZ_DIR=$(CURDIR)/$(GNU_DIR)/fuzz HUB_TOOL_DIR=$(CURDIR)/$(GNU_DIR)/tools \
		prove --timer $(PROVE_FLAGS) tests/t[0-9]*.sh tests/unit.sh

man: man/hub.1
man/hub.1: hub.1.md scripts/make-man.sh
	$(call say,MAN,$@)
	$(Q)scripts/make-man.sh hub.1.md >$@.tmp && mv $@.tmp $@

install: hub
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 hub $(DESTDIR)$(BINDIR)/hub
	install -m 644 man/hub.1 $(DESTDIR)$(MANDIR)/man1/hub.1
	install -d $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -m 644 scripts/completion/hub.bash $(DESTDIR)$(BASHCOMPDIR)/hub
	for c in list help load download set-dir purge; do ln -sf hub $(DESTDIR)$(BASHCOMPDIR)/hub-$$c; done
	install -m 644 scripts/completion/_hub $(DESTDIR)$(ZSHCOMPDIR)/_hub

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/hub $(DESTDIR)$(MANDIR)/man1/hub.1
	rm -f $(DESTDIR)$(BASHCOMPDIR)/hub $(DESTDIR)$(ZSHCOMPDIR)/_hub
	for c in list help load download set-dir purge; do rm -f $(DESTDIR)$(BASHCOMPDIR)/hub-$$c; done

clean:
	rm -rf hub build/musl build/gnu build/san build/hub-* build/fuzz build/test

distclean: clean
	rm -rf build

-include $(MUSL_OBJ:.o=.d) $(GNU_OBJ:.o=.d) $(FUZZ_OBJ:.o=.d)
