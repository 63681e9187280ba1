# mdtload build. `make` builds the tool (bin/mdtload), `make test` runs every test,
# `make demo` loads a real image into a file-backed carveout through the simulated secure world,
# `make demo-board` provisions a copy of the fake board from firmware-samples/board/manifest.yaml,
# `make demo-doctor` asks `doctor` about a healthy and a broken copy of it.

# Uninstalling needs no JDK: it only reads the list the install left.
ifneq ($(MAKECMDGOALS),uninstall)
JDK := $(shell scripts/find-jdk)
ifeq ($(JDK),)
$(error no JDK 25 found (see the message above))
endif
endif
export JAVA_HOME := $(JDK)
JAVA := $(JDK)/bin/java

MVN ?= mvn
MVNFLAGS ?= -B -q -Dstyle.color=never
NATIVE_DIR := $(CURDIR)/target/native
JAR := target/mdtload.jar
SHARED := $(abspath $(CURDIR)/../shared)
DEMO_DIR := target/demo
DEMO_BOARD := target/demo-board
DEMO_DOCTOR := target/demo-doctor

.PHONY: all build native samples aot FORCE test test-corpus test-kernel test-kernel-loader demo demo-board demo-doctor bench bench-load \
	bench-cli fuzz clean stage install uninstall deb

all: build samples aot

native:
	$(MAKE) -s -C native-stubs OUT=$(NATIVE_DIR)

build: native target/jdk
	$(MVN) $(MVNFLAGS) -DskipTests package

# The JDK this tree is built with: bin/mdtload runs on it without searching for one on every start
# (docs/benchmarks.md, third round). Rewritten only when the JDK changes, as the AOT cache depends on it.
target/jdk: FORCE
	@mkdir -p target && echo '$(JDK)' | cmp -s - $@ || echo '$(JDK)' > $@

# The JDK's AOT cache (JEP 483/514/515): the classes of a training run of the real commands on the
# samples, loaded and linked ahead of time. bin/mdtload makes it (MDTLOAD_AOT_TRAINING) with its own
# flags and class path, and uses it while it is newer than the jar (docs/benchmarks.md, third round).
# The same training makes the installed runtime's cache in the staged tree below.
AOT_CACHE := target/mdtload.aot
AOT_WORK := target/aot-train
AOT_SAMPLE := firmware-samples/valid/v6-elf32-fixed
AOT_TRAINING := --version \; info $(AOT_SAMPLE)-split.mdt \; validate $(AOT_SAMPLE)-split.mdt \
    firmware-samples/valid/v5-elf32-reloc-squashed.mbn firmware-samples/valid/v3-elf32-fixed-split.mdt \; \
    map $(AOT_SAMPLE)-split.mdt --phys 0x4b000000 --size 0x5000 \; squash $(AOT_SAMPLE)-split.mdt -o $(AOT_WORK)/squashed.mbn \; \
    load $(AOT_SAMPLE)-squashed.mbn --carveout file:$(AOT_WORK)/carveout.bin --phys 0x4b000000 --size 0x5000 \
    --pas-id 6 --scm sim
# $(1): the launcher, $(2): the cache it writes
aot-train = rm -rf $(AOT_WORK) $(2) && mkdir -p $(AOT_WORK) && \
    MDTLOAD_AOT_TRAINING=$(2) $(1) $(AOT_TRAINING) > $(AOT_WORK)/training.out 2> $(AOT_WORK)/training.err \
    || { rm -f $(2); cat $(AOT_WORK)/training.err >&2; exit 1; }

aot: $(AOT_CACHE)

$(AOT_CACHE): $(JAR) target/jdk $(NATIVE_DIR)/libpassim.so | samples
	@$(call aot-train,bin/mdtload,$@)

# The generator is part of the tool, so samples are rewritten from the code on every build.
samples: build
	bin/mdtload samples firmware-samples

# rsvg-convert renders map --svg in MapPictureTest.
test: native
	@scripts/need-package rsvg-convert librsvg2-bin
	$(MVN) -B --no-transfer-progress -Dstyle.color=never package
	bin/mdtload samples firmware-samples --check
	scripts/test-install

# The real linux-firmware corpus (Debian trixie's firmware-qcom-soc + firmware-atheros, pinned),
# fetched once into a cache outside the repository, then the tests tagged "corpus" over it; they
# rewrite docs/corpus.md.
test-corpus: native
	@root=$$(scripts/fetch-linux-firmware) && \
	$(MVN) -B --no-transfer-progress -Dstyle.color=never test -Dgroups=corpus -Dtest.excludedGroups= \
	    -Dmdtload.corpus="$$root" -Dmdtload.corpus.table=$(CURDIR)/docs/corpus.md -Dsurefire.failIfNoSpecifiedTests=false

# mdtload on a real Linux kernel: Debian's kernel under QEMU (TCG without /dev/kvm), /dev/mem and
# PCI BAR loads checked from the host with QMP pmemsave; results in target/kernel-test/
# (docs/kernel-test.md). Needs qemu-system-x86 and cpio; downloads are cached outside the repo.
test-kernel: build
	scripts/kernel-test/run

demo: build
	@mkdir -p $(DEMO_DIR)
	@rm -f $(DEMO_DIR)/wpss-carveout.bin
	@echo "== where wpss (WCN6750 WiFi DSP, MBN v6, split into 9 parts) lands in its carveout"
	@bin/mdtload map $(SHARED)/firmware/ath11k/WCN6750/hw1.0/wpss.mdt --phys 0x9ae00000 --size 0x1900000
	@echo "== validate, load into a file-backed carveout, authenticate in the simulated secure world"
	@bin/mdtload load $(SHARED)/firmware/ath11k/WCN6750/hw1.0/wpss.mdt \
	    --carveout file:$(DEMO_DIR)/wpss-carveout.bin --phys 0x9ae00000 --size 0x1900000 \
	    --pas-id 6 --scm sim

# The committed fake board is never written: the demo provisions a copy in target/demo-board,
# with a sparse file standing in for /dev/mem (reserved: carveouts map through ROOT/dev/mem) that
# reaches past the highest carveout's end (wpss: 0x9c700000; 2560 MiB = 0xa0000000).
demo-board: build
	@rm -rf $(DEMO_BOARD) && mkdir -p $(DEMO_BOARD)
	@cp -R firmware-samples/board/root $(DEMO_BOARD)/root
	@mkdir -p $(DEMO_BOARD)/root/dev && truncate -s 2560M $(DEMO_BOARD)/root/dev/mem
	@echo "== dry run against the shipped board: every check, the calls recorded, nothing under its root touched"
	@bin/mdtload provision firmware-samples/board/manifest.yaml --root firmware-samples/board/root --dry-run \
	    --record $(DEMO_BOARD)/dry-run-calls.jsonl
	@echo "== provision a copy of it: wpss and venus through the simulated secure world, q6 and m3 through remoteproc"
	@bin/mdtload provision firmware-samples/board/manifest.yaml --root $(DEMO_BOARD)/root \
	    --report $(DEMO_BOARD)/report.json
	@echo "== the copy's remote processors afterwards (report: $(DEMO_BOARD)/report.json)"
	@bin/mdtload rproc list --root $(DEMO_BOARD)/root

# Two copies of the fake board with the real images of ../shared/firmware installed as a distribution
# would (wpss in the versioned updates directory of the release the copy's /proc names). The healthy
# one exits 0; the broken one is read through broken.dtb (broken.dts: one change per kind of failure)
# with one part of wpss overwritten and the MBA image installed for a carveout in the wrong place.
DEMO_RELEASE := 6.12.95+deb13-arm64
demo-doctor: build
	@rm -rf $(DEMO_DOCTOR) && mkdir -p $(DEMO_DOCTOR)
	@cp -R firmware-samples/board/root $(DEMO_DOCTOR)/healthy
	@mkdir -p $(DEMO_DOCTOR)/healthy/proc/sys/kernel && echo $(DEMO_RELEASE) > $(DEMO_DOCTOR)/healthy/proc/sys/kernel/osrelease
	@fw=$(DEMO_DOCTOR)/healthy/lib/firmware && \
	    mkdir -p $$fw/updates/$(DEMO_RELEASE)/ath11k/WCN6750 $$fw/ath11k/IPQ8074 $$fw/qcom && \
	    cp -R $(SHARED)/firmware/ath11k/WCN6750/hw1.0 $$fw/updates/$(DEMO_RELEASE)/ath11k/WCN6750/ && \
	    cp -R $(SHARED)/firmware/ath11k/IPQ8074/hw2.0 $$fw/ath11k/IPQ8074/ && \
	    cp -R $(SHARED)/firmware/qcom/venus-5.2 $$fw/qcom/
	@cp -R $(DEMO_DOCTOR)/healthy $(DEMO_DOCTOR)/broken
	@mkdir -p $(DEMO_DOCTOR)/broken/lib/firmware/qcom/apq8096 && \
	    cp $(SHARED)/firmware/qcom/apq8096/mba.mbn $(DEMO_DOCTOR)/broken/lib/firmware/qcom/apq8096/
	@printf mdtload | dd of=$(DEMO_DOCTOR)/broken/lib/firmware/updates/$(DEMO_RELEASE)/ath11k/WCN6750/hw1.0/wpss.b02 \
	    bs=1 seek=4096 conv=notrunc status=none
	@echo "== a healthy board: every enabled processor would start (exit 0)"
	@bin/mdtload doctor --root $(DEMO_DOCTOR)/healthy
	@echo "== a broken one: a part overwritten, firmware missing, carveouts too small, misplaced and overlapping (exit 1)"
	@bin/mdtload doctor --root $(DEMO_DOCTOR)/broken --dtb firmware-samples/board/broken.dtb; \
	    code=$$?; echo "exit $$code"; test $$code -eq 1

bench: build
	$(MVN) $(MVNFLAGS) -DskipTests test-compile
	$(JAVA) $(NATIVE_ACCESS) -Dmdtload.native.dir=$(NATIVE_DIR) -Dmdtload.shared=$(SHARED) \
	    -cp target/classes:target/test-classes:$$(cat target/test-classpath.txt) \
	    org.openjdk.jmh.Main $(BENCH)

# Whole-process wall time of `load` against `cat` of the same files (docs/benchmarks.md).
BENCH_RUNS ?= 10
bench-load: build
	$(MVN) $(MVNFLAGS) -DskipTests test-compile
	scripts/bench-load $(BENCH_RUNS)

# The kernel's own MDT loader as the oracle: Debian's arm64 kernels (bookworm's 6.1 to sid's 7.2;
# MDTLOAD_KERNELS picks others) boot under QEMU, MDTLOAD_GUESTS at a time, load every corpus image
# and sample through a real remoteproc, and their verdicts and bytes are compared with mdtload's
# under --kernel (docs/kernel-loader.md; results in target/kernel-loader/).
test-kernel-loader: build
	scripts/kernel-test/arm64/kernel-loader-test

# Whole processes against the programs issue 12 measures mdtload by (java -version, openssl dgst,
# sha256sum, cat, dd), alternated, medians and ratios; raw samples in target/bench-cli/.
bench-cli: all
	scripts/bench-cli --runs $(BENCH_RUNS)

FUZZ_SECONDS ?= 180
fuzz: native
	scripts/fuzz $(FUZZ_SECONDS)

# ---- make install, make uninstall, make deb ------------------------------------------------------
# One tree, laid out as under PREFIX, is staged in target/dist/stage-PREFIX and copied as it is by
# `make install` (into DESTDIR/PREFIX) and by `make deb` (staged for /usr):
#   bin/mdtload                          the launcher (finds lib/mdtload beside it)
#   lib/mdtload/runtime/                 a jlink image of just the JDK modules mdtload needs
#   lib/mdtload/mdtload.jar, lib/*.jar   the tool and its libraries
#   lib/mdtload/libpassim.so             the simulated secure world
#   share/man/man1/mdtload*.1.gz         a man page per command
#   share/bash-completion/completions/mdtload, zsh: _mdtload
#   lib/systemd/system/mdtload-provision.service
PREFIX ?= /usr/local
DESTDIR ?=
DIST := target/dist
RUNTIME := $(DIST)/runtime
STAGE := $(DIST)/stage$(subst /,-,$(PREFIX))
# Debian's zsh looks in vendor-completions for packaged functions, in site-functions for local ones.
ZSH_DIR := $(if $(filter /usr,$(PREFIX)),share/zsh/vendor-completions,share/zsh/site-functions)
JAVA_RELEASE = $(shell sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' $(JDK)/release)
DEB_VERSION := $(shell sed -n 's:^  <version>\(.*\)</version>$$:\1:p' pom.xml | head -n 1 | tr - '~')
DEB = target/mdtload_$(DEB_VERSION)_$(shell dpkg --print-architecture).deb

# The jar only when a source changed, so installing right after `make test` rebuilds nothing.
$(JAR): pom.xml $(shell find src/main src/gate -type f) src/test/java/dev/mdtload/cli/CommandDocs.java
	$(MVN) $(MVNFLAGS) -DskipTests package
	@touch $@

# The modules, from jdeps over the jar and its libraries, less java.desktop: jdeps reaches it
# only through snakeyaml's bean introspector and Jackson's java.beans support, which both
# declare it optional (`requires static`) and mdtload never calls (Jackson reads YAML through
# snakeyaml's parser); it would add 24 MB and X11 libraries. scripts/test-install runs every
# kind of command on the image. The list is rewritten only when it changes, so the slow jlink
# below reruns only then.
$(DIST)/modules.stamp: $(JAR)
	@mkdir -p $(DIST)
	$(JDK)/bin/jdeps --print-module-deps --ignore-missing-deps --multi-release $(JAVA_RELEASE) \
	    --class-path 'target/lib/*' $(JAR) | tr , '\n' | grep -vx java.desktop | paste -sd, - > $(DIST)/modules.new
	@cmp -s $(DIST)/modules.new $(DIST)/modules.txt && rm $(DIST)/modules.new || mv $(DIST)/modules.new $(DIST)/modules.txt
	@touch $@

$(DIST)/modules.txt: $(DIST)/modules.stamp ;

# The CDS archive keeps the start-up of the full JDK, whose own archive jlink does not carry over.
# Only the one for compressed oops is kept: the other serves heaps over 32 GiB, which mdtload
# never asks for, and would add 14 MB.
$(RUNTIME)/release: $(DIST)/modules.txt $(JDK)/release
	rm -rf $(RUNTIME)
	$(JDK)/bin/jlink --add-modules $$(cat $(DIST)/modules.txt) --strip-debug --no-header-files \
	    --no-man-pages --generate-cds-archive --output $(RUNTIME)
	rm -f $(RUNTIME)/lib/server/classes_nocoops.jsa

# Completion scripts and man pages from the command line Main builds; asciidoctor (Debian's, in
# Ruby) renders picocli's AsciiDoc to roff: the generator writes only AsciiDoc, and asciidoctor
# is the one renderer Debian has for it without a DocBook tool chain.
$(DIST)/docs.stamp: $(JAR)
	@scripts/need-package asciidoctor asciidoctor
	rm -rf $(DIST)/docs && mkdir -p $(DIST)/docs/man
	$(JAVA) -cp target/classes:target/test-classes:$$(cat target/test-classpath.txt) \
	    dev.mdtload.cli.CommandDocs $(DIST)/docs
	@# The date in the pages is the last commit's, so building a commit again gives the same pages.
	SOURCE_DATE_EPOCH=$${SOURCE_DATE_EPOCH:-$$(git log -1 --format=%ct 2>/dev/null || date +%s)} \
	    asciidoctor -b manpage -a manmanual='mdtload manual' -D $(DIST)/docs/man $(DIST)/docs/adoc/*.adoc
	gzip -9n $(DIST)/docs/man/*.1
	@touch $@

$(NATIVE_DIR)/libpassim.so: $(wildcard native-stubs/*.c native-stubs/*.h) native-stubs/Makefile
	$(MAKE) -s -C native-stubs OUT=$(NATIVE_DIR)

$(STAGE).done: $(JAR) $(NATIVE_DIR)/libpassim.so $(RUNTIME)/release $(DIST)/docs.stamp bin/mdtload \
    packaging/mdtload-provision.service.in
	rm -rf $(STAGE) && mkdir -p $(STAGE)/lib/mdtload
	install -D -m 755 bin/mdtload $(STAGE)/bin/mdtload
	install -m 644 $(JAR) $(NATIVE_DIR)/libpassim.so $(STAGE)/lib/mdtload/
	install -D -m 644 -t $(STAGE)/lib/mdtload/lib target/lib/*.jar
	cp -al $(RUNTIME) $(STAGE)/lib/mdtload/runtime
	install -D -m 644 -t $(STAGE)/share/man/man1 $(DIST)/docs/man/*.1.gz
	install -D -m 644 $(DIST)/docs/bash/mdtload $(STAGE)/share/bash-completion/completions/mdtload
	install -D -m 644 $(DIST)/docs/zsh/_mdtload $(STAGE)/$(ZSH_DIR)/_mdtload
	mkdir -p $(STAGE)/lib/systemd/system
	sed 's|@BINDIR@|$(PREFIX)/bin|' packaging/mdtload-provision.service.in \
	    > $(STAGE)/lib/systemd/system/mdtload-provision.service
	@$(call aot-train,$(STAGE)/bin/mdtload,$(STAGE)/lib/mdtload/mdtload.aot)
	@touch $@

stage: $(STAGE).done

install: stage
	packaging/install-tree $(STAGE) "$(DESTDIR)$(PREFIX)"

uninstall:
	packaging/install-tree --uninstall "$(DESTDIR)$(PREFIX)"

# The package's tree is the install's for PREFIX=/usr: made by a make of its own with that PREFIX.
deb:
	@$(MAKE) --no-print-directory $(DEB) PREFIX=/usr

$(DEB): $(STAGE).done packaging/build-deb $(wildcard packaging/debian/*)
	@scripts/need-package dpkg-shlibdeps dpkg-dev
	packaging/build-deb $(STAGE) $(DEB_VERSION) $@

clean:
	rm -rf target
	$(MAKE) -s -C native-stubs clean OUT=$(NATIVE_DIR)

NATIVE_ACCESS := --enable-native-access=ALL-UNNAMED
