package dev.breakwater.keys.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakwater.admin.AdminOnly;
import dev.breakwater.api.ProblemException;
import dev.breakwater.keys.CallerKey;
import dev.breakwater.keys.KeyCache;
import dev.breakwater.keys.KeySecrets;
import dev.breakwater.keys.KeyStore;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Clock;
import java.util.List;

/**
 * {@code /admin/keys}: create (the secret is in that answer only; Redis keeps its SHA-256), list, read
 * with usage, change limits and models, revoke. Every change is announced to the other replicas.
 * Keys declared in YAML are listed but changed only in the YAML. Redis away: changes answer 503.
 */
@Path("/admin/keys")
@AdminOnly
@Produces(MediaType.APPLICATION_JSON)
public class KeyAdminResource {

    private final KeyStore store;
    private final KeyCache cache;
    private final Clock clock;

    public KeyAdminResource(KeyStore store, KeyCache cache, Clock clock) {
        this.store = store;
        this.cache = cache;
        this.clock = clock;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(ObjectNode body) {
        KeySettings settings = KeySettings.read(body, true);
        if (cache.all().stream().anyMatch(k -> k.name().equals(settings.name()))) {
            throw new ProblemException(409, "Conflict", "a key named '" + settings.name() + "' exists; names label the metrics, so each is unique")
                    .with("field", "name");
        }
        String secret = KeySecrets.newSecret();
        CallerKey key = settings.apply(new CallerKey(KeySecrets.newId(), settings.name(), KeySecrets.hash(secret),
                List.of("*"), null, null, null, 0, clock.millis(), false));
        saved(store.save(key));
        cache.put(key);
        return Response.status(201).entity(view(key, secret)).build();
    }

    @GET
    public List<KeyView> list() {
        return cache.all().stream().map(k -> view(k, null)).toList();
    }

    @GET
    @Path("/{id}")
    public KeyView get(@PathParam("id") String id) {
        return view(find(id), null);
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public KeyView patch(@PathParam("id") String id, ObjectNode body) {
        CallerKey key = changeable(find(id));
        CallerKey changed = KeySettings.read(body, false).apply(key);
        saved(store.save(changed));
        cache.put(changed);
        return view(changed, null);
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id) {
        CallerKey key = changeable(find(id));
        saved(store.delete(key.id()));
        cache.remove(key.id());
        return Response.noContent().build();
    }

    private CallerKey find(String id) {
        return cache.byId(id).orElseThrow(() -> new ProblemException(404, "Not Found", "no caller key with id '"
                + (id.length() > 64 ? id.substring(0, 64) + "…" : id) + "'"));
    }

    private static CallerKey changeable(CallerKey key) {
        if (key.declared()) {
            throw new ProblemException(409, "Conflict", "the key '" + key.name() + "' is declared in the YAML (breakwater.auth.keys): change it there");
        }
        return key;
    }

    private static void saved(boolean saved) {
        if (!saved) {
            throw new ProblemException(503, "Service Unavailable",
                    "Redis is unavailable, so keys cannot be created or changed now; existing keys keep working. Retry later");
        }
    }

    private KeyView view(CallerKey key, String secret) {
        long periodStart = key.periodStart(clock.millis());
        return KeyView.of(key, secret, store.usage(key.id(), periodStart).orElse(null), periodStart);
    }

    /** The settings of a POST (all but {@code name} optional) or a PATCH (only the fields sent change; null clears a limit). */
    record KeySettings(String name, JsonNode body) {

        private static final int MAX_MODELS = 100;

        static KeySettings read(ObjectNode body, boolean creating) {
            if (body == null) {
                throw ProblemException.badRequest("request body is missing: send a JSON object");
            }
            JsonNode name = body.get("name");
            if (creating) {
                if (name == null || !name.isTextual() || !name.asText().matches("[A-Za-z0-9._-]{1,64}")) {
                    throw ProblemException.badRequest("field 'name' is required: 1-64 letters, digits, '.', '_' or '-'")
                            .with("field", "name");
                }
            } else if (name != null) {
                throw ProblemException.badRequest("field 'name' cannot change: create a new key instead").with("field", "name");
            }
            body.fieldNames().forEachRemaining(f -> {
                if (!List.of("name", "models", "rpm", "tpm", "budget_usd", "budget_period").contains(f)) {
                    throw ProblemException.badRequest("unknown field '" + (f.length() > 64 ? f.substring(0, 64) : f)
                            + "'; known: name, models, rpm, tpm, budget_usd, budget_period").with("field", f);
                }
            });
            return new KeySettings(creating ? name.asText() : null, body);
        }

        CallerKey apply(CallerKey key) {
            return key.with(body.has("models") ? models() : key.models(),
                    body.has("rpm") ? positive("rpm") : key.rpm(),
                    body.has("tpm") ? positive("tpm") : key.tpm(),
                    body.has("budget_usd") ? budget() : key.budgetUsd(),
                    body.has("budget_period") ? period() : key.budgetPeriodSeconds());
        }

        private List<String> models() {
            JsonNode models = body.get("models");
            if (models.isNull()) {
                return List.of("*");
            }
            if (!models.isArray() || models.isEmpty() || models.size() > MAX_MODELS) {
                throw ProblemException.badRequest("field 'models' must be a list of 1-" + MAX_MODELS
                        + " chains, models or route patterns ('*' is every one)").with("field", "models");
            }
            for (JsonNode m : models) {
                if (!m.isTextual() || m.asText().isBlank() || m.asText().length() > 256) {
                    throw ProblemException.badRequest("field 'models' must hold non-blank names of at most 256 characters")
                            .with("field", "models");
                }
            }
            return java.util.stream.StreamSupport.stream(models.spliterator(), false).map(JsonNode::asText).toList();
        }

        private Long positive(String field) {
            JsonNode value = body.get(field);
            if (value.isNull()) {
                return null;
            }
            if (!value.canConvertToLong() || !value.isIntegralNumber() || value.asLong() < 1) {
                throw ProblemException.badRequest("field '" + field + "' must be a positive whole number, or null for no limit")
                        .with("field", field);
            }
            return value.asLong();
        }

        private Double budget() {
            JsonNode value = body.get("budget_usd");
            if (value.isNull()) {
                return null;
            }
            if (!value.isNumber() || value.asDouble() < 0 || value.asDouble() > 1e9) {
                throw ProblemException.badRequest("field 'budget_usd' must be a number of USD from 0 to 1e9, or null for no budget")
                        .with("field", "budget_usd");
            }
            return value.asDouble();
        }

        private long period() {
            JsonNode value = body.get("budget_period");
            try {
                long seconds = value.isTextual() ? Periods.parse(value.asText()).toSeconds() : -1;
                if (seconds >= 60) {
                    return seconds;
                }
            } catch (IllegalArgumentException e) {
                // answered below
            }
            throw ProblemException.badRequest("field 'budget_period' must be a duration of at least 1m, such as \"30d\", \"24h\" or \"1h\"")
                    .with("field", "budget_period");
        }
    }
}
