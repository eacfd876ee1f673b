package dev.apikeyauth.keys;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys of {@code AUTH_API_KEY} and {@code AUTH_API_KEYS_FILE} together, with the file re-read
 * when it changes: edited in place, replaced by rename, or swapped the way a Kubernetes secret
 * volume does it (a {@code ..data} symlink turned to a new directory).
 *
 * <p>The file is polled, not watched: inotify on a path does not see a symlink swap in its parent,
 * and a {@code stat} a second is nothing. A poll compares the file's real path (symlinks resolved),
 * inode, size and modification time with the last ones seen, and re-reads only on a change. A new
 * set is built whole and swapped in with one volatile write, so a request sees the old set or the
 * new one, never half of one. A change that can't be loaded (unreadable, deleted, invalid) leaves
 * the last good set in force, is logged and counted once, and is retried until it loads.
 *
 * <p>Whatever the path is swapped for, the poller is never held for long and never holds more than
 * the size limit: what {@code stat} says is no regular file, or is over the limit, is refused
 * without being opened; everything else is opened once and read by a {@link KeysFileReader}, which
 * reads at most the limit plus one byte through that one channel and gives up after a deadline.
 * The race that remains is a swap between the {@code stat} and the open: the reader's deadline and
 * limit bound what it costs, and the {@code stat} after the read sees the swap and discards what
 * was read. Only a swap there and back again within one read (same inode, size and time) goes
 * unseen, which needs write access to the file's directory, and with that anyone can write keys.
 */
public final class ReloadingKeyStore implements KeyStore, AutoCloseable {
    /** How often the file is checked; the contract allows 10 s from change to effect. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    /**
     * How long a changed file must stay unchanged before it is read. An in-place edit truncates,
     * then writes; read in between, the file is a valid but shorter set (or an empty one) that
     * would lock callers out for a moment. Waiting for the file to settle avoids that.
     */
    public static final Duration DEFAULT_SETTLE = Duration.ofMillis(500);
    /**
     * How long an empty file must stay unchanged before it is read (or the settle time, if longer).
     * Every in-place edit is empty between its truncate and its write, and a writer that loses the
     * CPU there (a loaded machine, a GC pause) can leave it so for far longer than the settle time:
     * under load, over half a second was seen. Read then, it would lock every caller out. Measured
     * from the poll that first sees it, not scaled with the settle time: what it must outlast is a
     * stalled writer, whatever the settle time. Emptying the file on purpose takes this much longer;
     * with the default interval, still well within the contract's 10 s.
     */
    static final Duration EMPTY_SETTLE = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(ReloadingKeyStore.class);
    private static final String NOT_REGULAR = "is not a regular file";
    private static final String TOO_LARGE = KeysFileReader.tooLarge(KeysFile.MAX_BYTES);

    private final Path file;
    private final List<ApiKey> fixedKeys;
    private final Set<String> reservedIds;
    private final ReloadListener listener;
    private final ScheduledExecutorService poller;
    private final KeysFileReader reader = new KeysFileReader(KeysFile.MAX_BYTES, KeysFileReader.DEFAULT_TIMEOUT);
    private final long settleNanos;
    /** How long an empty file must rest: {@link #EMPTY_SETTLE}, but for tests. */
    private final long emptySettleNanos;

    private volatile KeySet current;
    // Touched only by the constructor and then the single poller thread.
    private Fingerprint seen;
    private byte[] loadedHash;
    private String failure;
    private Fingerprint pending;
    private long pendingSince;

    private ReloadingKeyStore(Path file, List<ApiKey> fixedKeys, ReloadListener listener, Duration settle,
                              Duration emptySettle) {
        this.file = file;
        this.settleNanos = settle.toNanos();
        this.emptySettleNanos = emptySettle.toNanos();
        this.fixedKeys = List.copyOf(fixedKeys);
        this.reservedIds = fixedKeys.stream().map(ApiKey::id).collect(Collectors.toUnmodifiableSet());
        this.listener = listener;
        this.poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "keys-file-poller");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Loads the file (it must be valid now) and starts watching it.
     *
     * @param file      the keys file
     * @param fixedKeys keys from other sources, always in force (their ids are reserved)
     * @param listener  told of each reload and failed reload
     * @param interval  how often to check the file
     * @param settle    how long a change must rest before it is read
     * @throws KeysFileException when the file can't be used at start-up
     */
    public static ReloadingKeyStore open(Path file, List<ApiKey> fixedKeys, ReloadListener listener,
                                         Duration interval, Duration settle) throws KeysFileException {
        return open(file, fixedKeys, listener, interval, settle, EMPTY_SETTLE);
    }

    /**
     * {@link #open(Path, List, ReloadListener, Duration, Duration)} with an empty file's rest other
     * than {@link #EMPTY_SETTLE}: for tests of what an empty file does, which need not wait 5 s each.
     */
    static ReloadingKeyStore open(Path file, List<ApiKey> fixedKeys, ReloadListener listener, Duration interval,
                                  Duration settle, Duration emptySettle) throws KeysFileException {
        ReloadingKeyStore store = new ReloadingKeyStore(file, fixedKeys, listener, settle, emptySettle);
        Fingerprint fingerprint = store.fingerprint();
        Loaded loaded;
        try {
            loaded = store.load(fingerprint);
        } catch (KeysFileException e) {
            store.close();
            throw e;
        }
        store.seen = fingerprint;
        store.loadedHash = loaded.hash;
        store.current = loaded.keys;
        if (loaded.keys.size() == 0) {
            LOG.warn("No keys are active (keys file {} holds none): every request will be refused", file);
        } else {
            LOG.info("Loaded {} key(s) from {}: {}", loaded.fileKeys, file, loaded.keys.ids());
        }
        long millis = interval.toMillis();
        store.poller.scheduleWithFixedDelay(store::pollSafely, millis, millis, TimeUnit.MILLISECONDS);
        return store;
    }

    @Override
    public KeySet current() {
        return current;
    }

    /** The file watched. */
    public Path file() {
        return file;
    }

    @Override
    public void close() {
        poller.shutdownNow();
        reader.close();
    }

    private void pollSafely() {
        try {
            poll();
        } catch (RuntimeException | Error e) {
            // A scheduled task that throws is never run again: keep watching whatever happens.
            LOG.error("Checking keys file {} failed", file, e);
        }
    }

    /** One check: re-read if the file changed and has settled, or if the last attempt failed. */
    void poll() {
        Fingerprint fingerprint = fingerprint();
        boolean changed = !fingerprint.equals(seen);
        if (!changed) {
            pending = null;
            if (failure == null) {
                return;
            }
        } else if (fingerprint.refusedOnSight()) {
            // Nothing will be read, so there is nothing to let settle; and a file that keeps growing
            // past the limit would never settle, yet must be reported.
            pending = null;
        } else if (!fingerprint.equals(pending)) {
            pending = fingerprint;
            pendingSince = System.nanoTime();
            return;
        } else if (System.nanoTime() - pendingSince < settleNanos(fingerprint)) {
            return;
        }
        pending = null;
        Fingerprint previous = seen;
        seen = fingerprint;
        try {
            Loaded loaded = load(fingerprint);
            if (!fingerprint().equals(fingerprint)) {
                return; // written to while we read it: read again at the next poll
            }
            String recovered = failure;
            failure = null;
            if (MessageDigest.isEqual(loaded.hash, loadedHash)) {
                if (recovered != null) {
                    LOG.info("Keys file {} is readable again and unchanged", file);
                }
                return;
            }
            loadedHash = loaded.hash;
            current = loaded.keys;
            listener.reloaded(loaded.keys);
            if (loaded.keys.size() == 0) {
                LOG.warn("Reloaded keys file {}: no keys are active, every request will be refused", file);
            } else {
                LOG.info("Reloaded {} key(s) from {}: {}", loaded.fileKeys, file, loaded.keys.ids());
            }
        } catch (KeysFileException e) {
            if (fingerprint.problem == null && !fingerprint().equals(fingerprint)) {
                return; // swapped or written to while we read it: the failure may be stale, read again
            }
            String message = e.getMessage();
            // A file refused on sight is not reported again for the same reason while it stays the
            // same file: one that keeps growing changes at every poll.
            boolean anew = changed && !(fingerprint.refusedOnSight() && fingerprint.sameFileAs(previous));
            if (failure == null || !message.equals(failure) || anew) {
                LOG.error("Reloading keys failed, the previous {} key(s) stay in force: {}", current.size(), message);
                listener.reloadFailed();
            }
            failure = message;
        }
    }

    /** How long {@code fingerprint} must stay unchanged before it is read. */
    private long settleNanos(Fingerprint fingerprint) {
        return fingerprint.size() == 0 ? Math.max(settleNanos, emptySettleNanos) : settleNanos;
    }

    private Loaded load(Fingerprint fingerprint) throws KeysFileException {
        String name = file.toString();
        if (fingerprint.problem != null) {
            // Refused unopened: opening a FIFO would block until a writer comes along.
            throw KeysFileException.whole(name, fingerprint.problem);
        }
        ByteBuffer bytes = reader.read(file);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes.duplicate()).toString();
        } catch (CharacterCodingException e) {
            throw KeysFileException.whole(name, "is not valid UTF-8");
        }
        List<ApiKey> fromFile = KeysFile.parse(name, text, reservedIds);
        List<ApiKey> all = new ArrayList<>(fixedKeys);
        all.addAll(fromFile);
        KeySet keys;
        try {
            keys = KeySet.of(all);
        } catch (IllegalArgumentException e) {
            throw KeysFileException.whole(name, "a key in it is the same as AUTH_API_KEY");
        }
        return new Loaded(keys, fromFile.size(), sha256(bytes));
    }

    private Fingerprint fingerprint() {
        try {
            Path real = file.toRealPath();
            BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class);
            String problem = !attributes.isRegularFile() ? NOT_REGULAR
                    : attributes.size() > KeysFile.MAX_BYTES ? TOO_LARGE : null;
            return new Fingerprint(real.toString(), Objects.toString(attributes.fileKey()), attributes.size(),
                    attributes.lastModifiedTime().toMillis(), problem);
        } catch (NoSuchFileException e) {
            return Fingerprint.problem("does not exist");
        } catch (IOException e) {
            return Fingerprint.problem("can't be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static byte[] sha256(ByteBuffer bytes) {
        MessageDigest digest = KeyDigest.sha256();
        digest.update(bytes.duplicate());
        return digest.digest();
    }

    /**
     * What a poll compares: a change in any field means the file may have changed. {@code problem}
     * says why the file is refused without being opened, or is null.
     */
    private record Fingerprint(String realPath, String fileKey, long size, long modifiedMillis, String problem) {
        static Fingerprint problem(String problem) {
            return new Fingerprint(null, null, -1, -1, problem);
        }

        /** Refused for what it is, not for a moment of an edit (a missing file may be back soon). */
        boolean refusedOnSight() {
            return NOT_REGULAR.equals(problem) || TOO_LARGE.equals(problem);
        }

        /** The same file as {@code other}, though perhaps grown or touched since. */
        boolean sameFileAs(Fingerprint other) {
            return other != null && Objects.equals(realPath, other.realPath) && Objects.equals(fileKey, other.fileKey);
        }
    }

    private record Loaded(KeySet keys, int fileKeys, byte[] hash) {
    }
}
