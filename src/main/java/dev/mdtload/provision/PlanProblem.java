package dev.mdtload.provision;

/** A check only provisioning makes failed: carveouts of two entries overlap, one is too small, two entries start one processor. */
final class PlanProblem extends Exception {
    PlanProblem(String message) {
        super(message);
    }
}
