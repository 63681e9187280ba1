package dev.mdtload.scm;

import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.IOException;
import java.util.List;

/** The simulated secure world: it keeps each peripheral's state, which is what it shows. */
@EnabledOnOs(OS.LINUX)
class SimSecureMonitorContractTest extends SecureMonitorContract {
    @Override
    SecureMonitor open(SecureWorldSetup setup) throws IOException {
        return SimSecureMonitor.open(setup);
    }

    @Override
    long reached(SecureMonitor monitor) {
        return ((SimSecureMonitor) monitor).callCount();
    }

    @Override
    String shown(SecureMonitor monitor, long pasId) {
        return ((SimSecureMonitor) monitor).state(pasId).name();
    }

    @Override
    List<String> shownAfterEachCallOfABoot() {
        return List.of("INITIALIZED", "MEMORY_SET_UP", "RUNNING", "IDLE");
    }
}
