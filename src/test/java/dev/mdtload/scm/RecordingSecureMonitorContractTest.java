package dev.mdtload.scm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.StringWriter;
import java.util.List;

/** The recorder: what it shows is its record, one JSON line per call. */
class RecordingSecureMonitorContractTest extends SecureMonitorContract {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StringWriter record = new StringWriter();

    @Override
    SecureMonitor open(SecureWorldSetup setup) {
        return new RecordingSecureMonitor(record, setup.sharedBase());
    }

    private List<String> lines() {
        return record.toString().lines().toList();
    }

    @Override
    long reached(SecureMonitor monitor) {
        return lines().size();
    }

    /** The last recorded call's name, for the peripheral it was made for. */
    @Override
    String shown(SecureMonitor monitor, long pasId) throws IOException {
        JsonNode last = JSON.readTree(lines().getLast());
        return last.get("call").asText() + " " + Long.decode(last.get("registers").get(2).asText());
    }

    @Override
    List<String> shownAfterEachCallOfABoot() {
        return List.of("init_image 9", "mem_setup 9", "auth_and_reset 9", "shutdown 9");
    }
}
