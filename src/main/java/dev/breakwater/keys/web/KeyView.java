package dev.breakwater.keys.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.breakwater.keys.CallerKey;
import dev.breakwater.keys.UsageTotals;

import java.time.Instant;
import java.util.List;

/**
 * A key as the admin API shows it: settings, usage in the current period, and the secret only in the
 * answer that created it. Unlimited settings read as null; {@code usage} is absent while Redis is away.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
record KeyView(String id, @JsonInclude(JsonInclude.Include.NON_NULL) String key, String name, List<String> models,
               Long rpm, Long tpm, Double budgetUsd, String budgetPeriod, String source, Instant createdAt,
               @JsonInclude(JsonInclude.Include.NON_NULL) Usage usage) {

    record Usage(long requests, long promptTokens, long completionTokens, double costUsd, Instant periodStart) {
    }

    static KeyView of(CallerKey k, String secret, UsageTotals totals, long periodStart) {
        return new KeyView(k.id(), secret, k.name(), k.models(), k.rpm(), k.tpm(), k.budgetUsd(),
                Periods.format(k.budgetPeriodSeconds()), k.declared() ? "yaml" : "api",
                k.declared() ? null : Instant.ofEpochMilli(k.createdAtMillis()),
                totals == null ? null : new Usage(totals.requests(), totals.promptTokens(), totals.completionTokens(),
                        totals.costUsd(), Instant.ofEpochMilli(periodStart)));
    }
}
