package dev.breakwater.providers.http;

import dev.langchain4j.exception.HttpException;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A non-2xx upstream answer that keeps its headers: LangChain4j's own exception drops them, and Retry-After lives there. */
public class UpstreamHttpException extends HttpException {

    private final Map<String, List<String>> headers;
    private final String body;

    public UpstreamHttpException(int statusCode, String body, Map<String, List<String>> headers) {
        super(statusCode, body);
        this.body = body;
        this.headers = headers;
    }

    public String body() {
        return body;
    }

    public Optional<String> header(String name) {
        return headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty())
                .map(e -> e.getValue().get(0))
                .findFirst();
    }
}
