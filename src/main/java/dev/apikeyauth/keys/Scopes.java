package dev.apikeyauth.keys;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The scopes a key holds: every scope (a key without {@code scopes=}, and {@code AUTH_API_KEY}), or
 * a set of names. A route may need one scope; a valid key without it is refused with 403.
 *
 * <p>A scope name is 1–32 characters of {@code [a-z0-9:._-]}: nothing a header's quoted string or a
 * log line would need to escape.
 */
public final class Scopes {
    /** Every scope, named or not: what a key without {@code scopes=} holds. */
    public static final Scopes ALL = new Scopes(Set.of(), true);
    /** No scope at all: what an unauthenticated request holds. */
    public static final Scopes NONE = new Scopes(Set.of(), false);

    private static final Pattern NAME = Pattern.compile("[a-z0-9:._-]{1,32}");

    private final Set<String> names;
    private final boolean all;

    private Scopes(Set<String> names, boolean all) {
        this.names = names;
        this.all = all;
    }

    public static boolean isValidName(String name) {
        return NAME.matcher(name).matches();
    }

    /**
     * Reads {@code a,b}: one or more names, separated by commas, none repeated.
     *
     * @throws IllegalArgumentException saying what is wrong, never repeating the text
     */
    public static Scopes parse(String list) {
        Set<String> names = new TreeSet<>();
        for (String name : list.split(",", -1)) {
            if (!isValidName(name)) {
                throw new IllegalArgumentException("scopes must be names of 1-32 characters of a-z 0-9 : . _ - "
                        + "separated by commas, such as scopes=read,metrics");
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException("scope '" + name + "' is listed twice");
            }
        }
        return new Scopes(Collections.unmodifiableSet(names), false);
    }

    /** Whether these scopes include {@code scope}; {@code null} (no scope needed) is always included. */
    public boolean includes(String scope) {
        return scope == null || all || names.contains(scope);
    }

    /** Whether these are all scopes, the default of a key. */
    public boolean isAll() {
        return all;
    }

    /** The names, sorted; empty for {@link #ALL} (which holds names no one has written yet). */
    public Set<String> names() {
        return names;
    }

    /** The names as the keys file writes them, {@code a,b}; not defined for {@link #ALL}. */
    public String format() {
        if (all) {
            throw new IllegalStateException("all scopes have no list");
        }
        return String.join(",", names);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Scopes that && all == that.all && names.equals(that.names);
    }

    @Override
    public int hashCode() {
        return all ? 1 : names.hashCode() * 31;
    }

    @Override
    public String toString() {
        return all ? "Scopes[all]" : "Scopes" + names;
    }
}
