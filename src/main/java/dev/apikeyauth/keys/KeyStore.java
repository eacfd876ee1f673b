package dev.apikeyauth.keys;

/** Where the guard finds the keys in force right now; a reloading store swaps its set atomically. */
@FunctionalInterface
public interface KeyStore {
    KeySet current();

    /** A store whose keys never change. */
    static KeyStore fixed(KeySet keys) {
        return () -> keys;
    }
}
