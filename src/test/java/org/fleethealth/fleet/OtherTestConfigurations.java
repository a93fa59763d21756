package org.fleethealth.fleet;

import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.classreading.MetadataReaderFactory;

/**
 * Leaves the test configurations of other tests (web slices, scenario configurations) out of the component scan of
 * a service started with {@code SpringApplicationBuilder}, which knows nothing of test contexts:
 * {@code .initializers((c) -> c.getBeanFactory().registerSingleton("otherTestConfigurations", new OtherTestConfigurations()))}.
 */
public class OtherTestConfigurations extends TypeExcludeFilter {

	@Override
	public boolean match(MetadataReader reader, MetadataReaderFactory factory) {
		return reader.getAnnotationMetadata().isAnnotated(TestConfiguration.class.getName())
				&& !reader.getClassMetadata().getClassName().equals(FakeFleet.class.getName());
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof OtherTestConfigurations;
	}

	@Override
	public int hashCode() {
		return OtherTestConfigurations.class.hashCode();
	}

}

