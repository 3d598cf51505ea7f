package dev.breakwater.admin;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;
import java.util.Map;

/**
 * The gateway on fake upstreams with the admin API enabled; shared by the admin and status page tests.
 *
 * <p>Quarkus records the values of the files in {@code quarkus.config.locations} at build time as
 * runtime defaults, and list entries merge by index. So the build must see a file of the same shape
 * as the one the tests run on (not config/gateway.yaml, whose fourth model would be merged in): the
 * profile writes the baseline with placeholder URLs, and {@link AdminUpstreams} rewrites the same
 * file with the fakes' ports before the application starts.
 */
public class AdminTestProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        AdminUpstreams.writeYaml(GatewayYaml.of("http://127.0.0.1:9", "http://127.0.0.1:9"));
        return Map.of("quarkus.config.locations", AdminUpstreams.YAML.toString(),
                "breakwater.admin.token", AdminUpstreams.TOKEN);
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(AdminUpstreams.class));
    }
}
