package dev.breakwater.testing;

import java.util.Optional;

/**
 * A provider's URL layout and auth, for a {@link FakeUpstream} that must answer only where and how the
 * real provider does ({@link FakeUpstream#speak}); answers themselves follow the path's dialect.
 */
public interface ProviderLayout {

    /** The provider's answer to a request its layout or auth does not accept; empty when the request may pass. */
    Optional<FakeResponse> refuse(HttpWire.Request request);
}
