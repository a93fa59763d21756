package org.fleethealth.system;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import org.hibernate.validator.constraints.time.DurationMin;

/**
 * A {@code fleet-health.*} duration that must be longer than zero: an interval, a window, a timeout. A negative one
 * is accepted by the binder ({@code -P7D}) and turned windows into the future and every master into a silent one;
 * the start now stops with the setting named (Spring Boot's failure report). {@code null} is valid (see
 * {@code @NotNull}).
 */
@Documented
@Constraint(validatedBy = {})
@DurationMin(seconds = 0, inclusive = false)
@ReportAsSingleViolation
@Target({ ElementType.METHOD, ElementType.FIELD, ElementType.PARAMETER, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
public @interface PositiveDuration {

	String message() default "must be longer than zero, as 10m, PT10M or 7d";

	Class<?>[] groups() default {};

	Class<? extends Payload>[] payload() default {};

}
