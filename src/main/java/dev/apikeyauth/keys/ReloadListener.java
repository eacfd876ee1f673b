package dev.apikeyauth.keys;

/** Told when a keys file is re-read: to count reloads and failures in metrics. Never sees a key. */
public interface ReloadListener {
    ReloadListener NONE = new ReloadListener() {
        @Override
        public void reloaded(KeySet keys) {
        }

        @Override
        public void reloadFailed() {
        }
    };

    /** A new, valid set of keys is now in force. */
    void reloaded(KeySet keys);

    /** A change to the file could not be loaded; the last good set stays in force. */
    void reloadFailed();
}
