package dev.breakwater;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No two packages of ours import each other, directly or around a circle: a package can then be read, tested
 * and changed knowing only what it imports. The imports are read from the compiled classes by the JDK's own
 * {@code jdeps}, so nothing here has to parse Java.
 */
class PackageCyclesTest {

    private static final Pattern EDGE = Pattern.compile("^\\s+(dev\\.breakwater[\\w.]*)\\s+->\\s+(dev\\.breakwater[\\w.]*)\\s", Pattern.MULTILINE);

    @Test
    void noPackageOfOursDependsOnItselfThroughOthers() {
        Map<String, Set<String>> imports = packageImports(Path.of("target", "classes"));
        assertTrue(imports.containsKey("dev.breakwater.config") && imports.containsKey("dev.breakwater.chain"),
                "jdeps read the gateway's packages: " + imports.keySet());
        assertEquals(List.of(), cycles(imports), "packages that import each other, directly or around a circle");
    }

    private static Map<String, Set<String>> packageImports(Path classes) {
        assertTrue(Files.isDirectory(classes), classes + " is compiled before the tests run");
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        int exit = jdeps.run(new PrintWriter(out), new PrintWriter(out), "-verbose:package", "-filter:none", classes.toString());
        assertEquals(0, exit, out.toString());
        Map<String, Set<String>> imports = new TreeMap<>();
        Matcher edge = EDGE.matcher(out.toString());
        while (edge.find()) {
            Set<String> targets = imports.computeIfAbsent(edge.group(1), p -> new TreeSet<>());
            if (!edge.group(1).equals(edge.group(2))) {
                targets.add(edge.group(2));
            }
        }
        return imports;
    }

    /** The strongly connected groups of more than one package (Tarjan), each sorted. */
    private static List<Set<String>> cycles(Map<String, Set<String>> imports) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        List<Set<String>> cycles = new ArrayList<>();
        for (String p : imports.keySet()) {
            if (!index.containsKey(p)) {
                connect(p, imports, index, low, stack, cycles);
            }
        }
        return cycles;
    }

    private static void connect(String p, Map<String, Set<String>> imports, Map<String, Integer> index,
                                Map<String, Integer> low, Deque<String> stack, List<Set<String>> cycles) {
        index.put(p, index.size());
        low.put(p, index.get(p));
        stack.push(p);
        for (String q : imports.getOrDefault(p, Set.of())) {
            if (!index.containsKey(q)) {
                connect(q, imports, index, low, stack, cycles);
                low.put(p, Math.min(low.get(p), low.get(q)));
            } else if (stack.contains(q)) {
                low.put(p, Math.min(low.get(p), index.get(q)));
            }
        }
        if (low.get(p).equals(index.get(p))) {
            Set<String> group = new TreeSet<>();
            String q;
            do {
                q = stack.pop();
                group.add(q);
            } while (!q.equals(p));
            if (group.size() > 1) {
                cycles.add(group);
            }
        }
    }
}
