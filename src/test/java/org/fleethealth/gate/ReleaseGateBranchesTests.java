package org.fleethealth.gate;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

/** {@link ReleaseGateBranchesScenario} on H2. */
@SpringBootTest(properties = { "fleet-health.poll.enabled=false", "spring.datasource.url=jdbc:h2:mem:gate-branches" })
@Import(ReleaseGateBranchesScenario.Config.class)
@DirtiesContext
class ReleaseGateBranchesTests extends ReleaseGateBranchesScenario {

}
