package dev.breakwater.testing;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bedrock's Converse endpoint for a {@link FakeUpstream}: chat only at {@code /model/{id}/converse}, and
 * only with a SigV4 {@code Authorization} header this fake recomputes with the SDK's own signer
 * ({@link AwsV4HttpSigner}, same credentials, region, service and {@code X-Amz-Date}, over the headers the
 * request says it signed) and compares. A mismatch gets Bedrock's 403.
 */
public record BedrockApi(String region, String accessKeyId, String secretAccessKey) implements ProviderLayout {

    private static final Pattern SIGNED_HEADERS = Pattern.compile("SignedHeaders=([^,]+)");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    public static Fault throttled() {
        return new Fault.RawBody(429, "application/json", "{\"message\":\"Too many requests, please wait before trying again.\"}");
    }

    public static Fault inputTooLong() {
        return new Fault.RawBody(400, "application/json", "{\"message\":\"Input is too long for requested model.\"}");
    }

    public static Fault accessDenied() {
        return new Fault.RawBody(403, "application/json",
                "{\"message\":\"You don't have access to the model with the specified model ID.\"}");
    }

    /** A guardrail stopped the answer (HTTP 200, {@code stopReason: guardrail_intervened}). */
    public static Fault guardrail() {
        return new Fault.RawBody(200, "application/json", """
                {"output":{"message":{"role":"assistant","content":[{"text":"Sorry, I can't help with that."}]}},\
                "stopReason":"guardrail_intervened","usage":{"inputTokens":9,"outputTokens":8,"totalTokens":17}}""");
    }

    @Override
    public Optional<FakeResponse> refuse(HttpWire.Request request) {
        if (!request.path().matches("/model/[^/]+/converse(-stream)?")) {
            return Optional.of(FakeResponse.of(404, "{\"message\":\"Unknown operation\"}"));
        }
        String authorization = request.headers().get("authorization");
        String date = request.headers().get("x-amz-date");
        if (authorization == null || date == null) {
            return Optional.of(FakeResponse.of(403, "{\"message\":\"Missing Authentication Token\"}"));
        }
        return authorization.equals(expectedAuthorization(request, Instant.from(AMZ_DATE.parse(date)))) ? Optional.empty()
                : Optional.of(FakeResponse.of(403, "{\"message\":\"The request signature we calculated does not match the "
                        + "signature you provided. Check your AWS Secret Access Key and signing method.\"}"));
    }

    /** The Authorization header the SDK's signer makes for this request, signed at {@code at}. */
    String expectedAuthorization(HttpWire.Request request, Instant at) {
        Matcher signed = SIGNED_HEADERS.matcher(request.headers().get("authorization"));
        if (!signed.find()) {
            return "";
        }
        SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(request.method()))
                .uri(URI.create("http://" + request.headers().get("host") + request.target()));
        for (String name : signed.group(1).split(";")) {
            if (!name.equals("host") && !name.equals("x-amz-date") && request.headers().containsKey(name)) {
                unsigned.putHeader(name, request.headers().get(name));
            }
        }
        return AwsV4HttpSigner.create().sign(r -> r.identity(AwsBasicCredentials.create(accessKeyId, secretAccessKey))
                        .request(unsigned.build())
                        .payload(ContentStreamProvider.fromByteArray(request.body()))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "bedrock")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC)))
                .request().firstMatchingHeader("Authorization").orElse("");
    }
}
