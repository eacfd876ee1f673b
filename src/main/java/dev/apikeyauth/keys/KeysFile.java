package dev.apikeyauth.keys;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The keys file format: one {@code id sha256:<64 hex> [expires=<ISO-8601 instant>] [scopes=<a,b>]}
 * per line (the optional fields in either order), fields separated by spaces or tabs; blank lines and lines whose first non-blank character is
 * {@code #} are ignored. A UTF-8 byte-order mark and CRLF line ends are accepted.
 *
 * <p>Parsing is strict: any bad line rejects the whole file, so a typo can never silently drop a
 * key or half-load a set.
 */
public final class KeysFile {
    /** Larger files are refused unread: a keys file is a few KiB, a 50 MB one is a mistake. */
    public static final long MAX_BYTES = 1024 * 1024;
    private static final String EXPIRES = "expires=";
    private static final String SCOPES = "scopes=";
    private static final String FORM = "'id sha256:<64 hex digits> [expires=<instant>] [scopes=<a,b>]'";

    private KeysFile() {
    }

    /**
     * Parses a keys file's text.
     *
     * @param file        the file's name, for error messages
     * @param text        its contents
     * @param reservedIds identities already taken by other key sources (e.g. {@code default})
     * @return the keys, in file order
     * @throws KeysFileException naming the file and line of the first problem
     */
    public static List<ApiKey> parse(String file, String text, Set<String> reservedIds) throws KeysFileException {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<ApiKey> keys = new ArrayList<>();
        Map<String, Integer> idLines = new HashMap<>();
        Map<KeyDigest, String> digestIds = new HashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int number = i + 1;
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            String content = line.strip();
            if (content.isEmpty() || content.startsWith("#")) {
                continue;
            }
            ApiKey key = parseLine(file, number, content);
            if (reservedIds.contains(key.id())) {
                throw KeysFileException.atLine(file, number, "id '" + key.id()
                        + "' is already taken by AUTH_API_KEY; choose another id");
            }
            Integer previous = idLines.putIfAbsent(key.id(), number);
            if (previous != null) {
                throw KeysFileException.atLine(file, number, "id '" + key.id() + "' repeats line " + previous);
            }
            String sameDigest = digestIds.putIfAbsent(key.digest(), key.id());
            if (sameDigest != null) {
                throw KeysFileException.atLine(file, number, "id '" + key.id() + "' has the same digest as '"
                        + sameDigest + "'; each key must be different");
            }
            keys.add(key);
        }
        return keys;
    }

    private static ApiKey parseLine(String file, int number, String content) throws KeysFileException {
        String[] fields = content.split("[ \t]+");
        if (fields.length < 2) {
            throw KeysFileException.atLine(file, number, "expected " + FORM);
        }
        if (fields.length > 4) {
            throw KeysFileException.atLine(file, number, "too many fields; expected " + FORM);
        }
        String id = fields[0];
        if (!Keys.isValidId(id)) {
            throw KeysFileException.atLine(file, number, "id must be 1-64 characters of A-Z a-z 0-9 . _ -");
        }
        KeyDigest digest;
        try {
            digest = KeyDigest.parse(fields[1]);
        } catch (IllegalArgumentException e) {
            throw KeysFileException.atLine(file, number, e.getMessage());
        }
        Instant expiresAt = null;
        Scopes scopes = null;
        for (int i = 2; i < fields.length; i++) {
            String field = fields[i];
            if (field.startsWith(EXPIRES) && expiresAt == null) {
                try {
                    expiresAt = OffsetDateTime.parse(field.substring(EXPIRES.length())).toInstant();
                } catch (DateTimeParseException e) {
                    throw KeysFileException.atLine(file, number,
                            "expires must be an ISO-8601 instant such as 2027-03-01T00:00:00Z");
                }
            } else if (field.startsWith(SCOPES) && scopes == null) {
                try {
                    scopes = Scopes.parse(field.substring(SCOPES.length()));
                } catch (IllegalArgumentException e) {
                    throw KeysFileException.atLine(file, number, e.getMessage());
                }
            } else if (field.startsWith(EXPIRES) || field.startsWith(SCOPES)) {
                throw KeysFileException.atLine(file, number, field.substring(0, field.indexOf('=')) + " is given twice");
            } else {
                throw KeysFileException.atLine(file, number, "after the digest, expected expires=<ISO-8601 instant> "
                        + "or scopes=<a,b>");
            }
        }
        return new ApiKey(id, digest, expiresAt, scopes == null ? Scopes.ALL : scopes);
    }

    /** Writes keys in the file format, one line each; {@link #parse} reads it back unchanged. */
    public static String format(List<ApiKey> keys) {
        StringBuilder out = new StringBuilder();
        for (ApiKey key : keys) {
            out.append(key.id()).append(' ').append(key.digest().format());
            if (key.expiresAt() != null) {
                out.append(' ').append(EXPIRES).append(key.expiresAt());
            }
            if (!key.scopes().isAll()) {
                out.append(' ').append(SCOPES).append(key.scopes().format());
            }
            out.append('\n');
        }
        return out.toString();
    }
}
