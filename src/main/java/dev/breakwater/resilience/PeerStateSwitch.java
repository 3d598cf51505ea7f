package dev.breakwater.resilience;

import java.util.Optional;

/** The registry's clients are built before shared state starts: they hold this and see the peers once set. */
final class PeerStateSwitch implements PeerState {

    private volatile PeerState target = PeerState.NONE;

    void use(PeerState peers) {
        this.target = peers;
    }

    @Override
    public boolean openElsewhere(String service) {
        return target.openElsewhere(service);
    }

    @Override
    public Admission admit(String service) {
        return target.admit(service);
    }

    @Override
    public Optional<PeerOpening> opening(String service) {
        return target.opening(service);
    }

    @Override
    public void probeSucceeded(String service) {
        target.probeSucceeded(service);
    }

    @Override
    public void probeFailed(String service) {
        target.probeFailed(service);
    }

    @Override
    public void probeAbandoned(String service) {
        target.probeAbandoned(service);
    }

    @Override
    public void ownProbeSucceeded(String service) {
        target.ownProbeSucceeded(service);
    }
}
