package dev.apikeyauth.testsupport;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * External tools a test needs. In CI ({@code CI=true}) a missing tool fails the test, because
 * {@code .ci/run} installs it; on a developer's machine the test is skipped with the reason.
 */
public final class Tools {
    private Tools() {
    }

    public static Path require(String name, String debianPackage) {
        Optional<Path> found = find(name);
        if (found.isPresent()) {
            return found.get();
        }
        String why = name + " is not installed (apt-get install " + debianPackage + ")";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(why + "; .ci/run installs it, so in CI this is a failure, not a skip");
        }
        Assumptions.abort(why);
        throw new IllegalStateException("unreachable");
    }

    public static Optional<Path> find(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** A tool of the JDK that runs these tests (jcmd, jfr...). */
    public static Path jdkTool(String name) {
        Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
        Path tool = java.resolveSibling(name);
        if (!Files.isExecutable(tool)) {
            throw new AssertionError(name + " not found beside " + java + ": the tests need a full JDK");
        }
        return tool;
    }
}
