package org.fleethealth.system;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.quartz.simpl.SimpleInstanceIdGenerator;

import static org.assertj.core.api.Assertions.assertThat;

class InstanceIdsTests {

	@Test
	void quartzsAutoNameIsTheSameForTwoSchedulersStartedInOneMillisecond() throws Exception {
		// Why fleet-health names its instances itself: AUTO is host name plus currentTimeMillis.
		SimpleInstanceIdGenerator auto = new SimpleInstanceIdGenerator();
		boolean clash = false;
		for (int i = 0; i < 1000 && !clash; i++) {
			clash = auto.generateInstanceId().equals(auto.generateInstanceId());
		}
		assertThat(clash).isTrue();
	}

	@Test
	void namesOfInstancesStartedTogetherDiffer() {
		Set<String> names = new HashSet<>();
		for (int i = 0; i < 1000; i++) {
			names.add(InstanceIds.forThisProcess());
		}
		assertThat(names).hasSize(1000);
	}

	@Test
	void aNameSaysHostAndProcessAndFitsQuartzsColumns() {
		assertThat(InstanceIds.of("build-mon-1", 48211, 0x9c1f03ab)).isEqualTo("build-mon-1-48211-9c1f03ab");
		String longHost = "a".repeat(250);
		String name = InstanceIds.of(longHost, Long.MAX_VALUE, -1);
		// entry_id is varchar(95): the name and a 13-digit counter.
		assertThat(name).hasSizeLessThanOrEqualTo(InstanceIds.MAX_LENGTH);
		assertThat((name + System.currentTimeMillis()).length()).isLessThanOrEqualTo(95);
		assertThat(InstanceIds.forThisProcess()).contains("-" + ProcessHandle.current().pid() + "-");
	}

}
