package dev.apikeyauth.cli;

import dev.apikeyauth.ops.Logging;

/** The entry point of {@code java -jar api-key-auth.jar [command]}. */
public final class Main {
    private static final String JETTY_REFERENCES_PER_CACHE_LINE = "org.eclipse.jetty.util.referencesPerCacheLine";

    private Main() {
    }

    public static void main(String[] args) {
        // Jetty sizes some arrays to the CPU cache line and, unless told how many references fit
        // in one, starts the JMX platform MBean server (~250 classes) just to ask whether
        // compressed oops are on. They are for any heap under 32 GiB: 64-byte lines, 4-byte refs.
        if (System.getProperty(JETTY_REFERENCES_PER_CACHE_LINE) == null) {
            System.setProperty(JETTY_REFERENCES_PER_CACHE_LINE, "16");
        }
        int status = new Cli(System.in, System.out, System.err, System.getenv(), Console::isInteractive).run(args);
        if (status != Cli.RUNNING) {
            Logging.flush();
            System.out.flush();
            System.exit(status);
        }
    }
}
