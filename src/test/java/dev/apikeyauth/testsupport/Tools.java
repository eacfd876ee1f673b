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

    /** Where JDK 25, the container's JDK, is looked for unless {@code JDK25} names it. */
    public static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

    /**
     * The home of JDK 25, which the container runs ({@code JDK25}, else {@link #JDK25}). Missing, it is
     * the JDK that runs these tests, on a developer's machine; in CI that is a failure.
     */
    public static Path jdk25() {
        Path home = Path.of(System.getenv().getOrDefault("JDK25", JDK25.toString()));
        if (Files.isExecutable(home.resolve("bin/java")) && Files.isExecutable(home.resolve("bin/jcmd"))) {
            return home;
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError("no JDK 25 at " + home + " (set JDK25): the container's JVM is 25, and CI has it");
        }
        return Path.of(ProcessHandle.current().info().command().orElseThrow()).getParent().getParent();
    }

    /** Whether {@code java} is JDK 25's (its home is the one {@link #jdk25()} found as JDK 25). */
    public static boolean isJdk25(Path java) {
        Path release = java.getParent().getParent().resolve("release");
        try {
            return Files.readString(release).contains("JAVA_VERSION=\"25");
        } catch (java.io.IOException e) {
            return false;
        }
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
