package dev.breakwater.keys;

import dev.breakwater.testing.SecondRedis;
import dev.breakwater.testing.Upstreams;

import java.util.List;
import java.util.Map;

/** {@link KeysProfile} on a Redis of the test's own that it can kill and restart with its data (fsynced append-only file). */
public class KeysOutageProfile extends KeysProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Upstreams.class),
                new TestResourceEntry(SecondRedis.class, Map.of("durable", "true")));
    }
}
