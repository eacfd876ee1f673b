package dev.apikeyauth.keys;

import java.util.concurrent.atomic.AtomicInteger;

/** A reload listener that counts what the store tells it, for the tests of the keys file's reloads. */
final class CountingReloads implements ReloadListener {
    final AtomicInteger reloads = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();

    @Override
    public void reloaded(KeySet keys) {
        reloads.incrementAndGet();
    }

    @Override
    public void reloadFailed() {
        failures.incrementAndGet();
    }
}
