package dev.apikeyauth.cli;

/** The entry point of {@code java -jar api-key-auth.jar [command]}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        int status = new Cli(System.in, System.out, System.err, System.getenv(), Console::isInteractive).run(args);
        if (status != Cli.RUNNING) {
            System.out.flush();
            System.exit(status);
        }
    }
}
