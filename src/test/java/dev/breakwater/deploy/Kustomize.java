package dev.breakwater.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.breakwater.deploy.Yamls.at;
import static dev.breakwater.deploy.Yamls.list;
import static dev.breakwater.deploy.Yamls.map;
import static dev.breakwater.deploy.Yamls.string;

/**
 * Renders a kustomization. {@link #KUBECTL} uses {@code kubectl kustomize}; {@link #PARSER} is the
 * stand-in where kubectl is missing: it reads the kustomization files itself and applies the subset
 * of kustomize that k8s/ uses (resources, configMapGenerator with merge, labels, namespace, replicas,
 * images, JSON6902 patches and {@code $patch: delete}), without name hashes. The manifest tests run
 * their checks on both, so the artefacts are validated either way.
 */
enum Kustomize {
    KUBECTL {
        @Override
        List<Map<String, Object>> render(Path dir) throws IOException, InterruptedException {
            Process process = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError("kubectl kustomize " + dir + " failed:\n" + output);
            }
            return Yamls.loadAll(output);
        }
    },
    PARSER {
        @Override
        List<Map<String, Object>> render(Path dir) {
            Map<String, Object> k = Yamls.load(dir.resolve("kustomization.yaml"));
            List<Map<String, Object>> objects = new ArrayList<>();
            for (Object resource : list(k.get("resources"))) {
                Path path = dir.resolve(String.valueOf(resource)).normalize();
                objects.addAll(Files.isDirectory(path) ? render(path) : Yamls.loadAll(Yamls.read(path)));
            }
            for (Object generator : list(k.get("configMapGenerator"))) {
                generate(dir, map(generator), objects);
            }
            for (Object labels : list(k.get("labels"))) {
                Map<String, Object> pairs = map(at(labels, "pairs"));
                boolean selectors = Boolean.TRUE.equals(at(labels, "includeSelectors"));
                objects.forEach(o -> addLabels(o, pairs, selectors));
            }
            for (Object replica : list(k.get("replicas"))) {
                map(named(objects, "Deployment", string(replica, "name")).get("spec")).put("replicas", at(replica, "count"));
            }
            for (Object image : list(k.get("images"))) {
                objects.forEach(o -> list(at(o, "spec", "template", "spec", "containers")).forEach(c -> {
                    String current = string(c, "image");
                    if (current != null && current.split(":")[0].equals(string(image, "name"))) {
                        map(c).put("image", string(image, "newName") + ":" + string(image, "newTag"));
                    }
                }));
            }
            for (Object patch : list(k.get("patches"))) {
                applyPatch(objects, map(patch));
            }
            if (k.get("namespace") != null) {
                objects.forEach(o -> map(o.get("metadata")).put("namespace", k.get("namespace")));
            }
            return objects;
        }
    };

    abstract List<Map<String, Object>> render(Path dir) throws Exception;

    static boolean kubectlAvailable() {
        try {
            Process process = new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    // ---- the parser's kustomize subset ---------------------------------------------------------

    private static void generate(Path dir, Map<String, Object> generator, List<Map<String, Object>> objects) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (Object file : list(generator.get("files"))) {
            String[] keyAndPath = String.valueOf(file).split("=", 2);
            data.put(keyAndPath[0], Yamls.read(dir.resolve(keyAndPath[keyAndPath.length - 1])));
        }
        for (Object literal : list(generator.get("literals"))) {
            String[] keyAndValue = String.valueOf(literal).split("=", 2);
            data.put(keyAndValue[0], keyAndValue[1]);
        }
        String name = String.valueOf(generator.get("name"));
        if ("merge".equals(generator.get("behavior"))) {
            map(named(objects, "ConfigMap", name).get("data")).putAll(data);
            return;
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", name);
        metadata.put("labels", new LinkedHashMap<>(map(at(generator, "options", "labels"))));
        Map<String, Object> configMap = new LinkedHashMap<>();
        configMap.put("apiVersion", "v1");
        configMap.put("kind", "ConfigMap");
        configMap.put("metadata", metadata);
        configMap.put("data", data);
        objects.add(configMap);
    }

    private static void addLabels(Map<String, Object> object, Map<String, Object> pairs, boolean selectors) {
        labelsAt(object, "metadata").putAll(pairs);
        if (!selectors) {
            return;
        }
        switch (String.valueOf(object.get("kind"))) {
            case "Deployment", "StatefulSet" -> {
                labelsAt(map(object.get("spec")), "template", "metadata").putAll(pairs);
                mapAt(map(object.get("spec")), "selector", "matchLabels").putAll(pairs);
            }
            case "Service" -> mapAt(object, "spec", "selector").putAll(pairs);
            default -> { }
        }
    }

    private static Map<String, Object> labelsAt(Map<String, Object> node, String... path) {
        String[] full = java.util.Arrays.copyOf(path, path.length + 1);
        full[path.length] = "labels";
        return mapAt(node, full);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mapAt(Map<String, Object> node, String... path) {
        Map<String, Object> current = node;
        for (String key : path) {
            current = (Map<String, Object>) current.computeIfAbsent(key, x -> new LinkedHashMap<>());
        }
        return current;
    }

    private static Map<String, Object> named(List<Map<String, Object>> objects, String kind, String name) {
        return objects.stream()
                .filter(o -> kind.equals(o.get("kind")) && name.equals(string(o, "metadata", "name")))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    private static void applyPatch(List<Map<String, Object>> objects, Map<String, Object> patch) {
        Map<String, Object> target = named(objects, string(patch, "target", "kind"), string(patch, "target", "name"));
        Object body = new org.yaml.snakeyaml.Yaml().load(String.valueOf(patch.get("patch")));
        if (body instanceof Map<?, ?> strategic && "delete".equals(strategic.get("$patch"))) {
            objects.remove(target);
            return;
        }
        for (Object op : list(body)) {
            String[] path = string(op, "path").substring(1).split("/");
            Object parent = target;
            for (int i = 0; i < path.length - 1; i++) {
                parent = step(parent, path[i]);
            }
            String last = path[path.length - 1];
            switch (string(op, "op")) {
                case "remove" -> map(parent).remove(last);
                case "add", "replace" -> {
                    if (parent instanceof List<?>) {
                        list(parent).set(Integer.parseInt(last), at(op, "value"));
                    } else {
                        map(parent).put(last, at(op, "value"));
                    }
                }
                default -> throw new AssertionError("unsupported patch op " + op);
            }
        }
    }

    private static Object step(Object node, String key) {
        return node instanceof List<?> items ? items.get(Integer.parseInt(key)) : map(node).get(key);
    }
}
