package dev.breakwater.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

/** An RFC 9457 problem document. {@code extras} carries machine-readable details such as the field or limit. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, @com.fasterxml.jackson.annotation.JsonIgnore Map<String, Object> extras) {

    public static final String MEDIA_TYPE = "application/problem+json";

    @JsonAnyGetter
    public Map<String, Object> anyExtras() {
        return extras;
    }
}
