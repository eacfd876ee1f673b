package dev.apikeyauth.ops;

import java.util.concurrent.atomic.AtomicBoolean;

/** Whether the service should receive traffic: up from start, down for good once shutdown begins. */
public final class Health {
    private final AtomicBoolean up = new AtomicBoolean(true);

    public boolean isUp() {
        return up.get();
    }

    public void markDown() {
        up.set(false);
    }
}
