package dev.apikeyauth.keys;

/**
 * A keys file that can't be used. The message names the file and, for a bad line, its number and
 * what is wrong with it; it never quotes a digest or any other part of the line's secret material.
 */
public final class KeysFileException extends Exception {
    private static final long serialVersionUID = 1L;

    KeysFileException(String message) {
        super(message, null, false, false);
    }

    static KeysFileException atLine(String file, int line, String problem) {
        return new KeysFileException("keys file " + file + " line " + line + ": " + problem);
    }

    static KeysFileException whole(String file, String problem) {
        return new KeysFileException("keys file " + file + ": " + problem);
    }
}
