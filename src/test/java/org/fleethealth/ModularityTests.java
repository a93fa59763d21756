package org.fleethealth;

import com.tngtech.archunit.core.importer.ImportOption;
import modularity.fixture.FixtureApplication;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.core.Violations;
import org.springframework.modulith.docs.Documenter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Keeps the module boundaries honest: no cycles, no module reaching into another's internals (sub-packages such
 * as {@code fleet.internal}), no dependency a module's {@code package-info} does not declare.
 */
class ModularityTests {

	private final ApplicationModules modules = ApplicationModules.of(FleetHealthApplication.class);

	@Test
	void verifiesModuleStructure() {
		this.modules.verify();
	}

	@Test
	void noEntityOfTheFleetIsUsedOutsideIt() {
		assertThat(this.modules.getModuleByName("fleet").orElseThrow().getBasePackage().getName())
			.isEqualTo("org.fleethealth.fleet");
		this.modules.stream()
			.filter((m) -> !m.getName().equals("fleet"))
			.forEach((m) -> assertThat(m.getDependencies(this.modules).stream()
				.map((d) -> d.getTargetType().getPackageName())
				.filter((p) -> p.startsWith("org.fleethealth.fleet.internal")))
				.as(m.getName() + " uses fleet.internal")
				.isEmpty());
	}

	@Test
	void failsOnAnInternalTypeUsedOrAnUndeclaredDependency() {
		ApplicationModules broken = ApplicationModules.of(FixtureApplication.class, new ImportOption.OnlyIncludeTests());
		assertThatExceptionOfType(Violations.class).isThrownBy(broken::verify)
			.withMessageContaining("StockRow")
			.withMessageContaining("shipping");
	}

	@Test
	void writesModuleDocumentation() {
		new Documenter(this.modules).writeModulesAsPlantUml().writeIndividualModulesAsPlantUml();
	}

}
