package dev.mdtload.fuzz;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

/**
 * What {@code scripts/fuzz} runs: Jazzer fuzzes one {@code @FuzzTest} per JVM, so the script asks
 * this class for the list of targets ({@code --list}: every method tagged "jazzer" under
 * dev.mdtload, as {@code Class#method(parameter types)}) and then starts one JVM per target with its own heap
 * limit. A new target is found without touching the script: write the {@code @FuzzTest} method.
 */
public final class FuzzMain {
    /** Fuzz tests are Jupiter tests; jqwik would fail to find a method given with its parameter types. */
    private static final EngineFilter JUPITER = EngineFilter.includeEngines("junit-jupiter");

    private FuzzMain() {}

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: FuzzMain --list | CLASS#METHOD");
            System.exit(2);
        }
        Launcher launcher = LauncherFactory.create();
        if (args[0].equals("--list")) {
            list(launcher).forEach(System.out::println);
            return;
        }
        System.exit(run(launcher, args[0]) == 0 ? 0 : 1);
    }

    private static Set<String> list(Launcher launcher) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectPackage("dev.mdtload"))
                .filters(JUPITER, TagFilter.includeTags("jazzer"))
                .build();
        TestPlan plan = launcher.discover(request);
        Set<String> targets = new TreeSet<>();
        Deque<TestIdentifier> todo = new ArrayDeque<>(plan.getRoots());
        while (!todo.isEmpty()) {
            TestIdentifier id = todo.pop();
            id.getSource().filter(MethodSource.class::isInstance).map(MethodSource.class::cast)
                    .ifPresent(m -> targets.add(m.getClassName() + "#" + m.getMethodName()
                            + "(" + m.getMethodParameterTypes().replace(" ", "") + ")"));
            todo.addAll(plan.getChildren(id));
        }
        return targets;
    }

    /** Runs one target; returns the number of failed executions (findings and errors alike). */
    private static int run(Launcher launcher, String target) {
        AtomicInteger failures = new AtomicInteger();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectMethod(target)).filters(JUPITER).build(),
                new TestExecutionListener() {
                    @Override
                    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                        if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                            failures.incrementAndGet();
                            System.err.println("FAILED " + id.getDisplayName() + ": "
                                    + result.getThrowable().map(Throwable::toString).orElse(result.getStatus().toString()));
                        }
                    }
                });
        return failures.get();
    }
}
