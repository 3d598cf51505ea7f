package dev.breakwater.keys;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** One immutable generation of every known key, by secret digest and by id; swapped whole, never edited. */
record KeyTable(Map<String, CallerKey> byHash, Map<String, CallerKey> byId) {

    static final KeyTable EMPTY = of(java.util.List.of());

    static KeyTable of(Collection<CallerKey> keys) {
        Map<String, CallerKey> hashes = new HashMap<>();
        Map<String, CallerKey> ids = new HashMap<>();
        for (CallerKey key : keys) {
            hashes.put(key.hash(), key);
            ids.put(key.id(), key);
        }
        return new KeyTable(Map.copyOf(hashes), Map.copyOf(ids));
    }

    Optional<CallerKey> byHash(String hash) {
        return Optional.ofNullable(byHash.get(hash));
    }

    Optional<CallerKey> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    KeyTable with(CallerKey key) {
        Map<String, CallerKey> ids = new HashMap<>(byId);
        ids.put(key.id(), key);
        return of(ids.values());
    }

    KeyTable without(String id) {
        Map<String, CallerKey> ids = new HashMap<>(byId);
        ids.remove(id);
        return of(ids.values());
    }
}
