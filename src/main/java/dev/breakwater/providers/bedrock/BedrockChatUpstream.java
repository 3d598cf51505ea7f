package dev.breakwater.providers.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakwater.providers.ChatAnswer;
import dev.breakwater.providers.ChatUpstream;
import dev.breakwater.providers.ProviderErrors;
import dev.breakwater.providers.http.UpstreamHttpClient;
import dev.breakwater.resilience.ClassifiedException;
import dev.breakwater.resilience.Failure;
import dev.breakwater.resilience.FailureKind;
import io.vertx.core.buffer.Buffer;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A Bedrock model through the Converse API. Requests are signed here with the AWS SDK's SigV4 signer
 * ({@link AwsV4HttpSigner}, credentials from the SDK's default chain) and sent on the gateway's shared
 * Vert.x transport, so Bedrock calls share the connection pool, timeouts and cancellation of every
 * other provider instead of bringing the SDK's own HTTP client and thread pools.
 * <p>
 * A streamed request goes to ConverseStream; its binary event stream ({@link EventStreamFrames}) is read
 * whole (the gateway hands a caller a stream only once it is complete anyway, so the attempt's timeout
 * bounds it) and turned into {@code chat.completion.chunk} events.
 */
public final class BedrockChatUpstream implements ChatUpstream {

    private static final String SERVICE = "bedrock";

    private final UpstreamHttpClient http;
    private final ObjectMapper json;
    private final ConverseTranslator translator;
    private final AwsCredentialsProvider credentials;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private final Clock clock;
    private final URI uri;
    private final URI streamUri;
    private final String region;
    private final String modelId;

    /** @param endpoint e.g. {@code https://bedrock-runtime.eu-west-1.amazonaws.com}; a base-url override in tests */
    public BedrockChatUpstream(UpstreamHttpClient http, ObjectMapper json, Clock clock, AwsCredentialsProvider credentials,
                               String endpoint, String region, String modelId) {
        this.http = http;
        this.json = json;
        this.clock = clock;
        this.translator = new ConverseTranslator(json);
        this.credentials = credentials;
        String model = endpoint.replaceAll("/+$", "") + "/model/" + URLEncoder.encode(modelId, StandardCharsets.UTF_8).replace("+", "%20");
        this.uri = URI.create(model + "/converse");
        this.streamUri = URI.create(model + "/converse-stream");
        this.region = region;
        this.modelId = modelId;
    }

    public static String endpoint(String region) {
        return "https://bedrock-runtime." + region + ".amazonaws.com";
    }

    @Override
    public void admit(ObjectNode request) {
        translator.request(request);
    }

    @Override
    public ChatAnswer call(ObjectNode request, boolean stream) throws Exception {
        byte[] body = json.writeValueAsBytes(translator.request(request));
        UpstreamHttpClient.RawResponse response = send(stream ? streamUri : uri, body, stream);
        String id = "chatcmpl-" + UUID.randomUUID();
        long created = clock.instant().getEpochSecond();
        if (stream) {
            boolean includeUsage = request.path("stream_options").path("include_usage").asBoolean(false);
            ConverseTranslator.Streamed streamed = translator.streamed(EventStreamFrames.decode(response.body().getBytes()), id,
                    modelId, created, includeUsage);
            return ChatAnswer.streamed(streamed.chunks(), streamed.usage(), modelId);
        }
        JsonNode converse;
        try {
            converse = json.readTree(response.body().getBytes());
        } catch (IOException e) {
            throw new ClassifiedException(Failure.of(FailureKind.BAD_ANSWER, "Bedrock's answer is not JSON"));
        }
        ObjectNode completion = translator.completion(converse, id, modelId, created);
        return ChatAnswer.whole(completion, ConverseTranslator.usage(converse), modelId);
    }

    private UpstreamHttpClient.RawResponse send(URI target, byte[] body, boolean stream) {
        try {
            return http.post(target.toString(), signed(target, body, stream), Buffer.buffer(body));
        } catch (RuntimeException e) {
            throw ProviderErrors.translated(json, e);
        }
    }

    /** The SigV4-signed headers of a POST of {@code body} (Host and X-Amz-Date included, as signed). */
    private Map<String, List<String>> signed(URI target, byte[] body, boolean stream) {
        SdkHttpRequest unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(target)
                .putHeader("Content-Type", "application/json")
                .putHeader("Accept", stream ? "application/vnd.amazon.eventstream" : "application/json")
                .build();
        SignedRequest signed = signer.sign(r -> r.identity(credentials.resolveCredentials())
                .request(unsigned)
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SERVICE)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(HttpSigner.SIGNING_CLOCK, clock));
        return signed.request().headers();
    }
}
