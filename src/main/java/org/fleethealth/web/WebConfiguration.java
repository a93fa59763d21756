package org.fleethealth.web;

import java.util.function.Function;

import org.fleethealth.health.WorkerState;
import org.fleethealth.pruning.ProposalStatus;
import org.fleethealth.quarantine.QuarantineStatus;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.format.FormatterRegistry;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Request parameters of the API and the pages, converted once for every controller from the labels people
 * and scripts write ({@code flaky-host}, {@code approved}, {@code all}). A label that names nothing fails the
 * conversion with a message that says what would do, which {@link ParameterAdvice} answers with a 400.
 */
@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

	/** Before Spring Session's filter, so that a database down while the session is read or saved is a 503. */
	@Bean
	DatabaseDownFilter databaseDownFilter() {
		return new DatabaseDownFilter();
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(new RepeatedParameters());
	}

	@Override
	public void addFormatters(FormatterRegistry registry) {
		registry.addConverter(String.class, WorkerState.class, labels(WorkerState::fromLabel));
		registry.addConverter(String.class, ProposalStatus.class, labels(ProposalStatus::fromLabel));
		registry.addConverter(String.class, StateChoice.class, labels(StateChoice::of));
		registry.addConverter(String.class, QuarantineStatus.class, labels(QuarantineStatus::fromLabel));
	}

	/** A blank parameter (an empty form field) is no choice; an unknown label is a {@link BadParameterValue}. */
	static <T> Converter<String, T> labels(Function<String, T> fromLabel) {
		return (text) -> {
			if (text.isBlank()) {
				return null;
			}
			try {
				return fromLabel.apply(text.strip());
			}
			catch (IllegalArgumentException ex) {
				throw new BadParameterValue(ex.getMessage());
			}
		};
	}

	/** A parameter value that names nothing; its message says what would do. */
	static class BadParameterValue extends IllegalArgumentException {

		BadParameterValue(String message) {
			super(message);
		}

	}

}
