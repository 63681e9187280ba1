# mdtload build. `make` builds the tool (bin/mdtload), `make test` runs every test,
# `make demo` loads a real image into a file-backed carveout through the simulated secure world,
# `make demo-board` provisions a copy of the fake board from firmware-samples/board/manifest.yaml.

JDK := $(shell scripts/find-jdk)
ifeq ($(JDK),)
$(error no JDK >= 22 found (see the message above))
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

.PHONY: all build native samples test demo demo-board bench bench-load bench-cli fuzz clean

all: build samples

native:
	$(MAKE) -s -C native-stubs OUT=$(NATIVE_DIR)

build: native
	$(MVN) $(MVNFLAGS) -DskipTests package

# The generator is part of the tool, so samples are rewritten from the code on every build.
samples: build
	bin/mdtload samples firmware-samples

test: native
	$(MVN) -B --no-transfer-progress -Dstyle.color=never package
	bin/mdtload samples firmware-samples --check

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

# Whole processes against the programs issue 12 measures mdtload by (java -version, openssl dgst,
# sha256sum, cat, dd), alternated, medians and ratios; raw samples in target/bench-cli/.
bench-cli: all
	scripts/bench-cli --runs $(BENCH_RUNS)

FUZZ_SECONDS ?= 180
fuzz: native
	scripts/fuzz $(FUZZ_SECONDS)

clean:
	rm -rf target
	$(MAKE) -s -C native-stubs clean OUT=$(NATIVE_DIR)

NATIVE_ACCESS := --enable-native-access=ALL-UNNAMED
