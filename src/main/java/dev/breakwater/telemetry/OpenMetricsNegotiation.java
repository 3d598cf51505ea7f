package dev.breakwater.telemetry;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Lets Prometheus have the OpenMetrics format of {@code /q/metrics}, the only one that carries
 * exemplars (the trace id of a request on the latency histogram). Quarkus 3.33 serves it only to an
 * Accept header naming {@code version=1.0.0} and {@code charset=utf-8} exactly, and Prometheus' own
 * header names no charset, so every scrape fell back to the plain text format. A scraper that
 * prefers OpenMetrics is given it; one that does not keeps the plain format.
 */
@Singleton
public class OpenMetricsNegotiation {

    static final String OPEN_METRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private final String path;

    public OpenMetricsNegotiation(@ConfigProperty(name = "quarkus.http.non-application-root-path", defaultValue = "q") String root,
                                  @ConfigProperty(name = "quarkus.micrometer.export.prometheus.path", defaultValue = "metrics") String metrics) {
        this.path = metrics.startsWith("/") ? metrics : "/" + root.replaceAll("^/|/$", "") + "/" + metrics;
    }

    void install(@Observes Router router) {
        router.route(path).order(Integer.MIN_VALUE).handler(rc -> {
            String accept = rc.request().getHeader(HttpHeaders.ACCEPT);
            if (prefersOpenMetrics(accept)) {
                rc.request().headers().set(HttpHeaders.ACCEPT, OPEN_METRICS);
            }
            rc.next();
        });
    }

    /** Whether the first media range of the header (Prometheus lists its preference first) is OpenMetrics 1.x. */
    static boolean prefersOpenMetrics(String accept) {
        if (accept == null) {
            return false;
        }
        String first = accept.split(",", 2)[0].replace(" ", "").toLowerCase();
        return first.startsWith("application/openmetrics-text") && !first.contains("version=0.");
    }
}
