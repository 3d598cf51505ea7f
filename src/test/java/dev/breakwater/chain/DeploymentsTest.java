package dev.breakwater.chain;

import dev.breakwater.resilience.BreakerRegistry;
import dev.breakwater.resilience.BreakerState;
import dev.breakwater.resilience.ResilientClient;
import dev.breakwater.testing.DeploymentUpstreams;
import dev.breakwater.testing.Fault;
import dev.breakwater.testing.GatewayTestSupport;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static dev.breakwater.testing.DeploymentUpstreams.backup;
import static dev.breakwater.testing.DeploymentUpstreams.east;
import static dev.breakwater.testing.DeploymentUpstreams.west;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One model served by two deployments (src/test/resources/deployments-gateway.yaml): gpt-4o on
 * {@code east} (weight 3, breaker {@code gpt-4o/0}) and {@code west} (weight 1, breaker {@code gpt-4o-west}),
 * then {@code backup}. Breakers open after 3 failures and probe after 500 ms; one retry per deployment.
 */
@QuarkusTest
@TestProfile(DeploymentUpstreams.Profile.class)
@WithTestResource(DeploymentUpstreams.class)
class DeploymentsTest {

    private static final String EAST = "gpt-4o/0";
    private static final String WEST = "gpt-4o-west";

    @Inject
    BreakerRegistry breakers;

    @BeforeEach
    void pristine() {
        breakers.all().forEach(ResilientClient::reset);
        DeploymentUpstreams.restoreDefaults();
    }

    @Test
    void weightsSplitTheCallsThreeToOne() {
        Map<String, Integer> served = chat(400);
        assertSplit(served, 400);
        assertEquals(served.get(EAST), east.requestCount());
        assertEquals(served.get(WEST), west.requestCount());
        assertEquals("gpt-4o-west", west.lastRequest().model(), "the west deployment sends its own model id");
        assertEquals("gpt-4o", east.lastRequest().model(), "a deployment without model: sends the model's name");
    }

    @Test
    void aFailingDeploymentOpensItsBreakerTheOtherServesEverythingAndTheSplitReturnsAfterRecovery() throws Exception {
        west.setFault(Fault.serviceUnavailable());
        long start = System.nanoTime();
        Map<String, Integer> served = chat(100);
        long elapsed = (System.nanoTime() - start) / 1_000_000;
        assertEquals(Map.of(EAST, 100), served, "every call answered by east, none failed");
        assertNotEquals(BreakerState.CLOSED, breaker(WEST).state(), "west's breaker opened");
        assertEquals(BreakerState.CLOSED, breaker(EAST).state());
        int westCalls = west.requestCount();
        // Until it opened, the threshold's calls (and a retry); then one probe per recovery period at most, however
        // long the machine took for the hundred calls (twice that, for the period boundaries).
        long periods = elapsed / breaker(WEST).policy().breaker().recoveryTimeout().toMillis() + 1;
        assertTrue(westCalls >= 3 && westCalls <= 4 + 2 * periods,
                "west was called until its breaker opened, then only probed: " + westCalls + " calls in " + elapsed + " ms");
        assertEquals(0, backup.requestCount(), "the fail-over stayed within the model");

        west.restoreDefaults();
        east.clearRecordings();
        awaitClosable(breaker(WEST));
        Map<String, Integer> after = chat(400);
        assertEquals(BreakerState.CLOSED, breaker(WEST).state(), "west's probe succeeded");
        assertSplit(after, 400);
    }

    @Test
    void whenEveryDeploymentFailsTheNextModelAnswersAndEachDeploymentWasTried() {
        east.setFault(Fault.serviceUnavailable());
        west.setFault(Fault.serviceUnavailable());
        Response r = post("chat");
        assertEquals(200, r.statusCode());
        assertEquals("backup", r.header("x-breakwater-model"));
        assertEquals(null, r.header("x-breakwater-deployment"), "backup has a single endpoint");
        assertEquals("5", r.header("x-breakwater-attempts"), "a try and a retry on each deployment, then backup");
        assertEquals(2, east.requestCount());
        assertEquals(2, west.requestCount());
    }

    @Test
    void categorizationWalksTheDeploymentsAndItsAttemptsNameThem() {
        east.setFault(Fault.serviceUnavailable());
        west.setFault(Fault.serviceUnavailable());
        JsonPath answer = GatewayTestSupport.categorize("Diesel for the delivery vans " + UUID.randomUUID())
                .statusCode(200).extract().jsonPath();
        assertEquals("backup", answer.getString("model"));
        List<Map<String, Object>> attempts = answer.getList("attempts");
        List<Object> deployments = attempts.stream().filter(a -> "gpt-4o".equals(a.get("model"))).map(a -> a.get("deployment")).distinct().toList();
        assertEquals(2, deployments.size(), "both deployments tried: " + attempts);
        assertTrue(deployments.containsAll(List.of(EAST, WEST)), attempts.toString());
        assertTrue(attempts.stream().filter(a -> "backup".equals(a.get("model"))).noneMatch(a -> a.containsKey("deployment")));
    }

    @Test
    void statusReadinessAndMetricsNameEachDeployment() {
        east.setFault(Fault.serviceUnavailable()); // drawn first by 3 calls in 4: 8 calls all but surely reach it
        chat(8);
        String page = given().get("/status").then().statusCode(200).extract().asString();
        assertTrue(page.contains(EAST) && page.contains(WEST), "status page lists both deployments' breakers");
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("circuit_breaker_failures_total{") && l.contains("service=\"" + EAST + "\"")
                && !l.endsWith(" 0.0")), "east's failures are its own series");
        assertTrue(metrics.contains("service=\"" + WEST + "\""), "west has its own series");
        JsonPath ready = given().get("/q/health/ready").then().extract().jsonPath();
        String checks = ready.getList("checks").toString();
        assertTrue(checks.contains(EAST) && checks.contains(WEST), checks);
    }

    private ResilientClient breaker(String service) {
        return breakers.find(service).orElseThrow(() -> new AssertionError("no breaker " + service));
    }

    /** Waits out the recovery timeout (500 ms in the test config) without assuming how long the machine takes. */
    private static void awaitClosable(ResilientClient breaker) throws InterruptedException {
        for (int i = 0; i < 200 && breaker.isOpenAndWaiting(); i++) {
            Thread.sleep(50);
        }
        assertTrue(!breaker.isOpenAndWaiting(), "recovery timeout never ended");
    }

    private static void assertSplit(Map<String, Integer> served, int calls) {
        assertEquals(calls, served.values().stream().mapToInt(Integer::intValue).sum(), "every call answered by a deployment: " + served);
        double eastShare = served.getOrDefault(EAST, 0) / (double) calls;
        // 10 % of 75/25: east's share in [67.5 %, 82.5 %] (3.5 standard deviations of 400 weighted draws).
        assertTrue(Math.abs(eastShare - 0.75) <= 0.075, "split " + served);
    }

    /** Posts {@code n} chat requests for gpt-4o; every one must succeed. Counts the answering deployment. */
    private static Map<String, Integer> chat(int n) {
        Map<String, Integer> served = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            Response r = post("gpt-4o");
            assertEquals(200, r.statusCode(), () -> "call failed: " + r.asString());
            assertEquals("gpt-4o", r.header("x-breakwater-model"));
            served.merge(r.header("x-breakwater-deployment"), 1, Integer::sum);
        }
        return served;
    }

    private static Response post(String model) {
        return given().contentType(ContentType.JSON)
                .body("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .post("/v1/chat/completions");
    }
}
