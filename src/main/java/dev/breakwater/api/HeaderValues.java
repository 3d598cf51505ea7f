package dev.breakwater.api;

import dev.breakwater.secrets.Secrets;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import java.util.List;
import java.util.Map;

/**
 * No header value we send may carry a control character or a secret: some values echo caller input
 * (a routed model id in {@code x-breakwater-model}), and Vert.x refuses to write a CR or LF, which
 * would leave the caller waiting for an answer that never comes.
 */
public class HeaderValues {

    @ServerResponseFilter
    public void clean(ContainerResponseContext response) {
        for (Map.Entry<String, List<Object>> header : response.getHeaders().entrySet()) {
            List<Object> values = header.getValue();
            for (int i = 0; i < values.size(); i++) {
                if (values.get(i) instanceof String s) {
                    String clean = Secrets.printable(s);
                    if (!clean.equals(s)) {
                        values.set(i, clean);
                    }
                }
            }
        }
    }
}
