package dev.breakwater.api;

import dev.breakwater.config.FactorCategory;
import dev.breakwater.factors.FactorAnswer;
import dev.breakwater.factors.FactorLookup;
import dev.breakwater.factors.FactorService;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** GET /v1/factors/{category}: an emission factor from the broker, its cache or the defaults table. */
@Path("/v1/factors")
public class FactorResource {

    private final FactorService service;

    public FactorResource(FactorService service) {
        this.service = service;
    }

    @GET
    @Path("{category}")
    @Produces(MediaType.APPLICATION_JSON)
    @RunOnVirtualThread
    public FactorAnswer factor(@PathParam("category") String category) {
        if (!FactorCategory.isValid(category)) {
            // The value is not echoed: it may be long or carry anything.
            throw ProblemException.badRequest("path segment 'category' must be " + FactorCategory.RULE)
                    .with("field", "category");
        }
        return switch (service.lookup(category)) {
            case FactorLookup.Found found -> found.answer();
            case FactorLookup.Unknown unknown -> throw new ProblemException(404, "Unknown emission factor category",
                    unknown.detail()).with("category", category);
            case FactorLookup.Unavailable unavailable -> throw new ProblemException(503, "Emission factor unavailable",
                    unavailable.detail()).with("category", category);
        };
    }
}
