package dev.breakwater.api;

import dev.breakwater.categorize.AnswerServed;
import dev.breakwater.categorize.Categorization;
import dev.breakwater.categorize.CategorizationService;
import dev.breakwater.categorize.ContentPolicyRefusal;
import dev.breakwater.categorize.Source;
import dev.breakwater.config.GatewayConfig;
import dev.breakwater.keys.KeyCall;
import dev.breakwater.keys.KeyGuard;
import dev.breakwater.taxonomy.Taxonomy;
import dev.breakwater.telemetry.RequestOutcome;
import dev.breakwater.telemetry.RequestTrace;
import dev.breakwater.taxonomy.TaxonomyRegistry;
import io.quarkus.virtual.threads.VirtualThreads;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * POST /v1/categorize. The body is read on the event loop; the chain then runs on its own virtual
 * thread, so upstream calls block that thread only, never the event loop or a bounded worker pool.
 * (Why the method is not simply blocking: see {@link dev.breakwater.openai.OpenAiResource#complete}.)
 */
@Path("/v1/categorize")
public class CategorizeResource {

    private final CategorizationService service;
    private final TaxonomyRegistry taxonomies;
    private final GatewayConfig config;
    private final ExecutorService virtualThreads;
    private final KeyGuard keys;

    public CategorizeResource(CategorizationService service, TaxonomyRegistry taxonomies, GatewayConfig config,
                              @VirtualThreads ExecutorService virtualThreads, KeyGuard keys) {
        this.keys = keys;
        this.service = service;
        this.taxonomies = taxonomies;
        this.config = config;
        this.virtualThreads = virtualThreads;
    }

    /** The request is checked and the caller's key admitted on the event loop, before the chain's virtual thread starts. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Categorization> categorize(CategorizeRequest request, @Context SecurityContext caller, RoutingContext routing) {
        KeyCall call = KeyCall.from(caller.getUserPrincipal());
        RequestTrace trace = RequestTrace.of(routing);
        Taxonomy taxonomy = check(request);
        return keys.admit(call, List.of(config.categorize().chain())).emitOn(virtualThreads)
                .map(admitted -> categorizeNow(taxonomy, request.text(), call, trace));
    }

    /** The taxonomy of a well-formed request; every caller mistake is a 400 here, before the key is counted. */
    private Taxonomy check(CategorizeRequest request) {
        if (request == null) {
            throw ProblemException.badRequest("request body is missing: send {\"text\": \"...\"}").with("field", "text");
        }
        if (request.text() == null || request.text().isBlank()) {
            throw ProblemException.badRequest("field 'text' is required and must not be blank").with("field", "text");
        }
        if (!hasVisibleCharacter(request.text())) {
            throw ProblemException.badRequest("field 'text' has no visible characters (only control, zero-width or blank ones)")
                    .with("field", "text");
        }
        int limit = config.categorize().maxTextBytes();
        int size = request.text().getBytes(StandardCharsets.UTF_8).length;
        if (size > limit) {
            throw ProblemException.badRequest("field 'text' is " + size + " bytes; the limit is " + limit + " bytes")
                    .with("field", "text").with("limit", limit);
        }
        String taxonomyId = request.taxonomy() == null || request.taxonomy().isBlank()
                ? config.categorize().defaultTaxonomy() : request.taxonomy();
        return taxonomies.find(taxonomyId).orElseThrow(() -> ProblemException.badRequest(
                        "field 'taxonomy' names unknown taxonomy '" + abbreviate(taxonomyId) + "'")
                .with("field", "taxonomy")
                .with("available", taxonomies.all().stream().map(Taxonomy::id).toList()));
    }

    private Categorization categorizeNow(Taxonomy taxonomy, String text, KeyCall call, RequestTrace trace) {
        try {
            AnswerServed served = service.categorize(taxonomy, text, call);
            trace.answered(outcome(served));
            return served.answer();
        } catch (ContentPolicyRefusal refusal) {
            trace.answered(new RequestOutcome(null, RequestOutcome.NO_ANSWER, true, refusal.attempts(), Map.of()));
            throw refusal;
        }
    }

    /** A cached or default answer has no answering model: those tiers report as themselves. */
    private static RequestOutcome outcome(AnswerServed served) {
        Categorization a = served.answer();
        boolean byModel = a.source() == Source.LLM || a.source() == Source.LOCAL;
        return new RequestOutcome(byModel ? a.model() : null, a.source().id(), a.degraded(), a.attempts(), served.tokens());
    }

    /** Text of only zero-width, control or blank characters would be paid for and could only get a guess. */
    static boolean hasVisibleCharacter(String text) {
        return text.codePoints().anyMatch(c -> !Character.isWhitespace(c) && !Character.isSpaceChar(c)
                && Character.getType(c) != Character.CONTROL && Character.getType(c) != Character.FORMAT);
    }

    private static String abbreviate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}
