package dev.breakwater.resilience.shared;

import dev.breakwater.config.GatewayConfig;
import dev.breakwater.telemetry.OpsGatewayTest;
import io.vertx.mutiny.core.Vertx;
import jakarta.inject.Inject;

/** The gateway under test as one replica, with what a second {@link Replica} in this JVM is built from. */
abstract class SharedStateGatewayTest extends OpsGatewayTest {

    @Inject
    GatewayConfig config;

    @Inject
    Vertx vertx;

    @Inject
    SharedBreakerState shared;
}
