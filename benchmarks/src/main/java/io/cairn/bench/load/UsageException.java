package io.cairn.bench.load;

/**
 * A command line that cannot run: the message names the flag and the bad value, ready to print as is. {@link #help()}
 * marks the answer to {@code --help}, whose message is the usage text (exit 0, not 2).
 */
public final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean help;

    public UsageException(String message) {
        this(message, false);
    }

    private UsageException(String message, boolean help) {
        super(message);
        this.help = help;
    }

    static UsageException helpText(String usage) {
        return new UsageException(usage, true);
    }

    public boolean help() {
        return help;
    }
}
