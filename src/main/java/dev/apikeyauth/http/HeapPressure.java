package dev.apikeyauth.http;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;

/**
 * Whether the heap is nearly full of live data: a collection found the old generation still holding
 * {@link #HIGH} of what it may hold. Connections are the one thing callers can make the service keep
 * in memory, so while this holds, {@link ConnectionCap} sheds them.
 *
 * <p>The JVM tells, right after each collection that finds it (a collection-usage threshold). The
 * serial collector only collects the old generation when it is full, which under a fast flood is
 * too late to shed anything, so crossing {@link #HIGH} of it at all (garbage included: a usage
 * threshold) asks for a collection at once, on a thread of its own; the answer is the first
 * notification. Whether the pressure has passed is known after another collection, which a quiet
 * service may not run for a long time: {@link #recheck()} runs one, at most once a second, and only
 * while the pressure holds.
 */
final class HeapPressure implements NotificationListener {
    /** The share of the old generation, live after a collection, that counts as nearly full. */
    static final double HIGH = 0.80;
    /** The share below which it no longer does (lower than {@link #HIGH}, so that it doesn't flap). */
    static final double LOW = 0.60;
    private static final long RECHECK_NANOS = 1_000_000_000L;

    private final MemoryPoolMXBean old;
    private final Runnable onHigh;
    private final AtomicBoolean collecting = new AtomicBoolean();
    private volatile boolean high;
    private long lastRecheck;

    /** @param onHigh run, on the JVM's notification thread, when a collection finds the heap nearly full */
    HeapPressure(Runnable onHigh) {
        this.onHigh = onHigh;
        this.old = oldGeneration();
    }

    /** The heap pool that holds long-lived objects: the old generation, whatever the collector. */
    private static MemoryPoolMXBean oldGeneration() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP && pool.isCollectionUsageThresholdSupported()
                        && pool.isUsageThresholdSupported() && pool.getUsage().getMax() > 0)
                .max(Comparator.comparing((MemoryPoolMXBean pool) -> isOld(pool.getName()))
                        .thenComparingLong(pool -> pool.getUsage().getMax()))
                .orElse(null);
    }

    private static boolean isOld(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.contains("old") || lower.contains("tenured");
    }

    /** Starts listening to the JVM's notifications about the old generation. */
    void start() {
        if (old == null) {
            return; // a collector without an old generation the JVM reports on: no pressure is ever seen
        }
        long threshold = (long) (old.getUsage().getMax() * HIGH);
        old.setUsageThreshold(threshold);
        old.setCollectionUsageThreshold(threshold);
        ((NotificationEmitter) ManagementFactory.getMemoryMXBean()).addNotificationListener(this, null, null);
    }

    void stop() {
        try {
            ((NotificationEmitter) ManagementFactory.getMemoryMXBean()).removeNotificationListener(this);
        } catch (ListenerNotFoundException notStarted) {
            // nothing to remove
        }
    }

    boolean isHigh() {
        return high;
    }

    /** "N of M MiB": what the last collection of the old generation left live in it, and its most. */
    String describe() {
        if (old == null) {
            return "unknown";
        }
        return old.getCollectionUsage().getUsed() / (1024 * 1024) + " of " + old.getUsage().getMax() / (1024 * 1024)
                + " MiB";
    }

    @Override
    public void handleNotification(Notification notification, Object handback) {
        String type = notification.getType();
        if (MemoryNotificationInfo.MEMORY_COLLECTION_THRESHOLD_EXCEEDED.equals(type)) {
            high = true;
            onHigh.run();
        } else if (MemoryNotificationInfo.MEMORY_THRESHOLD_EXCEEDED.equals(type) && !high
                && collecting.compareAndSet(false, true)) {
            // Garbage or live data? A collection tells; if live, the notification above follows it.
            Thread collect = new Thread(() -> {
                try {
                    System.gc();
                } finally {
                    collecting.set(false);
                }
            }, "heap-pressure-check");
            collect.setDaemon(true);
            collect.start();
        }
    }

    /**
     * While the heap is nearly full: collects (at most once a second) to learn how much of the old
     * generation is still live, and clears the state once that is below {@link #LOW}.
     */
    synchronized void recheck() {
        if (!high || old == null) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastRecheck < RECHECK_NANOS) {
            return;
        }
        lastRecheck = now;
        System.gc(); // the old generation's live size is only known after a collection of it
        if (old.getCollectionUsage().getUsed() < old.getUsage().getMax() * LOW) {
            high = false;
        }
    }
}
