package dev.breakwater.load;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Caller keys for a keyed load run: each declared in the gateway's YAML with its rpm, its secret in an
 * environment variable, under a Redis prefix of the run's own (the gateway uses the Redis at 127.0.0.1:6379).
 */
record CallerKeys(Map<String, Long> rpmByName, String prefix) {

    static final CallerKeys NONE = new CallerKeys(Map.of(), "");

    static CallerKeys of(Map<String, Long> rpmByName) {
        return new CallerKeys(new LinkedHashMap<>(rpmByName), "breakwater-load-" + UUID.randomUUID());
    }

    List<String> names() {
        return List.copyOf(rpmByName.keySet());
    }

    String secret(String name) {
        return "bw-load-" + name + "-" + prefix.substring(prefix.length() - 12);
    }

    String yaml() {
        if (rpmByName.isEmpty()) {
            return "";
        }
        StringBuilder yaml = new StringBuilder("  auth:\n    mode: keys\n    redis-prefix: " + prefix + "\n    keys:\n");
        rpmByName.forEach((name, rpm) -> yaml.append("      - {name: ").append(name).append(", key-env: ").append(variable(name))
                .append(", rpm: ").append(rpm).append("}\n"));
        return yaml.toString();
    }

    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        rpmByName.keySet().forEach(name -> env.put(variable(name), secret(name)));
        return env;
    }

    /** Open mode ignores the header; keyed, the warm-up uses the first key (which the run must not exhaust). */
    String warmUpKey() {
        return rpmByName.isEmpty() ? "" : secret(names().get(0));
    }

    private static String variable(String name) {
        return "LOAD_KEY_" + name.toUpperCase().replace('-', '_');
    }
}
