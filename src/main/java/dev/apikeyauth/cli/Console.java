package dev.apikeyauth.cli;

/** Whether standard input and output are an interactive terminal: a person at a laptop. */
final class Console {
    private Console() {
    }

    static boolean isInteractive() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        // Since JDK 22 System.console() may return a console even when redirected; isTerminal()
        // (22+) tells the truth. The code targets 17, so it is looked up rather than called.
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 17-21: a non-null console is a terminal
        }
    }
}
